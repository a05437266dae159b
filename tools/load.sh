#!/usr/bin/env bash
# Load: pgbench with 16 clients running a mix of analyses (table-name and
# aggregate forms, GROUP BY, forced parallel plans) against a throwaway
# cluster (doc/HARDENING.md; scripts in bench/load/).
#
#   bash tools/load.sh          60 s
#   bash tools/load.sh 120      120 s
#
# Every transaction compares its results with those of a serial run made
# first (bench/load/setup.sql, load_check) and fails on any difference, so
# "no errors" also means "identical to serial".  The backends' memory (RSS
# and private memory from /proc) is sampled every 5 s.  Pass: pgbench exits
# 0 with no failed or aborted transactions, and no backend's private memory
# grows by more than 10% + 5 MB between the 20 s sample and the last.
# Closing line: "load: N passed, M failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source tools/setup.sh

export LOAD_SECONDS=${1:-60}
export LOAD_CLIENTS=${LOAD_CLIENTS:-16}
export LOAD_WORK=${LOAD_WORK:-$(mktemp -d /tmp/survey_reg_load.XXXXXX)}
export LOAD_REPO=$PWD

cat >"$LOAD_WORK/in-cluster.sh" <<'INNER'
set -euo pipefail
cd "$LOAD_REPO"
scripts=(bench/load/describe_table.sql bench/load/regression_table.sql
	bench/load/aggregate_groupby.sql bench/load/aggregate_parallel.sql)
psql -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE load" >/dev/null
export PGDATABASE=load
PGOPTIONS="-c client_min_messages=warning" psql -qX -v ON_ERROR_STOP=1 \
	-c "CREATE EXTENSION survey_reg" -f data/sample_survey.sql -f bench/load/setup.sql >/dev/null

# the serial results: no parallel workers at all
for s in "${scripts[@]}"; do
	PGOPTIONS="-c survey_reg_load.mode=record -c max_parallel_workers=0 -c client_min_messages=warning" \
		psql -qX -v ON_ERROR_STOP=1 -f "$s" >/dev/null
done
echo "serial results recorded: $(psql -AtX -c 'SELECT count(*) FROM load_expected')"

# memory of the pgbench backends every 5 s or so (t: seconds since the start)
sample_memory() {
	local t pid rss priv line workers start
	set +e
	start=$(date +%s)
	while sleep 5; do
		t=$(( $(date +%s) - start ))
		line=""
		workers=$(psql -AtX -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'parallel worker'")
		echo "$t ${workers:-0}" >>"$LOAD_WORK/workers.log"
		for pid in $(psql -AtX -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench' AND backend_type = 'client backend'"); do
			rss=$(awk '/^VmRSS/ { print $2 }' /proc/$pid/status 2>/dev/null || echo 0)
			priv=$(awk '/^Private_(Clean|Dirty)/ { s += $2 } END { print s + 0 }' /proc/$pid/smaps_rollup 2>/dev/null || echo 0)
			line="$line $pid:$rss:$priv"
		done
		echo "$t$line" >>"$LOAD_WORK/memory.log"
	done
}
sample_memory &
sampler=$!

status=0
PGOPTIONS="-c client_min_messages=warning" pgbench -n -c "$LOAD_CLIENTS" -j 2 -T "$LOAD_SECONDS" -P 10 -r \
	$(printf -- '-f %s ' "${scripts[@]}") >"$LOAD_WORK/pgbench.log" 2>&1 || status=$?
kill $sampler 2>/dev/null || true
echo "$status" >"$LOAD_WORK/pgbench.status"
psql -AtX -c "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM load_inexact" >"$LOAD_WORK/inexact"
psql -AtX -c "SELECT format('  %s: largest relative difference %s', name, max_rel) FROM load_inexact_seen ORDER BY name" >"$LOAD_WORK/inexact_seen"

# the results once more after the load, serially
for s in "${scripts[@]}"; do
	PGOPTIONS="-c max_parallel_workers=0 -c client_min_messages=warning" \
		psql -qX -v ON_ERROR_STOP=1 -f "$s" >/dev/null || echo "after load: $s differs" >>"$LOAD_WORK/after.log"
done
INNER

PGPORT=${LOAD_PORT:-55490} pg_virtualenv -t -v 15 -o max_connections=100 \
	-o max_worker_processes=24 -o max_parallel_workers=16 -o shared_buffers=256MB \
	bash "$LOAD_WORK/in-cluster.sh"

passed=0
failed=0
status=$(cat "$LOAD_WORK/pgbench.status")
grep -vE '^progress' "$LOAD_WORK/pgbench.log" | head -n 40
grep -E '^progress' "$LOAD_WORK/pgbench.log" || true
failed_tx=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$LOAD_WORK/pgbench.log")
if [ "$status" -eq 0 ] && [ "${failed_tx:-0}" -eq 0 ] && ! grep -q 'aborted' "$LOAD_WORK/pgbench.log"; then
	passed=$((passed + 1))
	echo "pgbench: no errors, every result identical to the serial run"
	echo "  ($(cat "$LOAD_WORK/inexact") results equal to it to 1e-12 but not bit for bit:)"
	cat "$LOAD_WORK/inexact_seen"
else
	failed=$((failed + 1))
	echo "FAILED: pgbench exit $status, failed transactions ${failed_tx:-?}"
	grep -E 'ERROR|DETAIL|aborted' "$LOAD_WORK/pgbench.log" | head -n 20
fi
if [ -s "$LOAD_WORK/after.log" ]; then
	failed=$((failed + 1))
	cat "$LOAD_WORK/after.log"
else
	passed=$((passed + 1))
	echo "after the load: every result still identical to the serial run"
fi

# memory: per sample, backends, max and sum of RSS, max private (MB)
echo "backend memory (MB) by time (s): t backends rss_max rss_sum private_max"
awk '{
	n = 0; rmax = 0; rsum = 0; pmax = 0
	for (i = 2; i <= NF; i++) {
		split($i, f, ":"); n++
		if (f[2] > rmax) rmax = f[2]; rsum += f[2]
		if (f[3] > pmax) pmax = f[3]
	}
	printf "%4d %3d %7.1f %8.1f %7.1f\n", $1, n, rmax / 1024, rsum / 1024, pmax / 1024
}' "$LOAD_WORK/memory.log" | tee "$LOAD_WORK/memory.table"
echo "parallel workers running at the samples: $(awk '{ printf "%s ", $2 }' "$LOAD_WORK/workers.log")"
# growth of each backend's private memory from its 20 s sample to its last
growth=$(awk '
	$1 >= 20 && !based { based = 1; for (i = 2; i <= NF; i++) { split($i, f, ":"); base[f[1]] = f[3] }; next }
	based { for (i = 2; i <= NF; i++) { split($i, f, ":"); last[f[1]] = f[3] } }
	END {
		worst = 0; bad = 0
		for (p in base) if (p in last) {
			g = last[p] - base[p]; if (g > worst) worst = g
			if (last[p] > base[p] * 1.1 + 5120) bad++
		}
		printf "%d %.1f\n", bad, worst / 1024
	}' "$LOAD_WORK/memory.log")
if [ "${growth%% *}" -eq 0 ]; then
	passed=$((passed + 1))
	echo "memory flat: largest growth of a backend's private memory after 20 s: ${growth#* } MB"
else
	failed=$((failed + 1))
	echo "FAILED: ${growth%% *} backends grew by more than 10% + 5 MB (largest ${growth#* } MB)"
fi
echo "load: $passed passed, $failed failed (logs in $LOAD_WORK)"
[ "$failed" -eq 0 ]
