#!/usr/bin/env bash
# Runs inside pg_virtualenv (bench/robust.sh): the issue-18 cases.  Timing
# as bench/in-cluster.sh's time_cases: REPS rounds, one run of each case per
# round (psql \timing), every time kept; peak private memory of the
# backend from /proc after the query.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPS=${REPS:-7}
SIZES=${SIZES:-1 5}
OUT=bench/out/robust.tsv
: > "$OUT"

q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
q -c "CREATE EXTENSION IF NOT EXISTS survey_reg" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm"

RSS_SQL="SELECT 'PRIVATE_PEAK ' || (max(v) FILTER (WHERE k = 'VmHWM') - max(v) FILTER (WHERE k = 'RssShmem'))
FROM (SELECT split_part(l, ':', 1) AS k, (regexp_match(l, '([0-9]+)'))[1]::bigint AS v
      FROM pg_catalog.regexp_split_to_table(pg_read_file('/proc/' || pg_backend_pid() || '/status'), E'\\n') l
      WHERE l LIKE 'VmHWM%' OR l LIKE 'RssShmem%') s"

# spec: "label|query"; REPS rounds, the cases in turn, the first of a round
# alternating (rounds start at case r mod n)
time_cases() {
	local table=$1 size=$2
	shift 2
	local specs=("$@") n=$# i j r label query out t
	local -a times=() rss=()
	for ((r = 0; r < REPS; r++)); do
		for ((j = 0; j < n; j++)); do
			i=$(( (j + r) % n ))
			IFS='|' read -r label query <<< "${specs[i]}"
			out=$(q -c '\timing on' -c "$query" -c '\timing off' -c "$RSS_SQL" 2>&1) || {
				echo "FAILED $label: $out"; exit 1; }
			t=$(echo "$out" | grep -oP 'Time: \K[0-9.]+' | tail -n 1)
			times[i]="${times[i]:-} $t"
			rss[i]=$(echo "$out" | grep -oP 'PRIVATE_PEAK \K[0-9]+')
		done
	done
	for ((i = 0; i < n; i++)); do
		IFS='|' read -r label query <<< "${specs[i]}"
		local med
		med=$(printf '%s\n' ${times[i]} | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$table" "$size" 0 "$med" "${rss[i]}" "${times[i]# }" >> "$OUT"
		printf '%-22s %-6s median %9.1f ms  backend peak private %s kB  (runs:%s)\n' \
			"$label" "$table" "$med" "${rss[i]}" "${times[i]}"
	done
}

B="ARRAY['c1, c2, c3', 'c4, c5, c6', 'c7, c8, c9, c10']"
for size in $SIZES; do
	t=r${size}m
	echo "== building $t: ${size}M rows x (10 predictors + y), 2,000 clusters in 20 strata, 100,000 clusters"
	q -c "DROP TABLE IF EXISTS $t" \
	  -c "CREATE UNLOGGED TABLE $t AS SELECT c1, c2, c3, c4, c5, c6, c7, c8, c9, c10,
		1.0 + 0.2 * c1 + 0.3 * c2 + 0.4 * c3 + 0.5 * c4 + 0.6 * c5 + 0.7 * c6 + 0.8 * c7
		+ 0.9 * c8 + 0.1 * c9 + 0.2 * c10 + random() * 2 AS y,
		cl, cl % 20 AS st, 0.5 + random() AS pw, (random() * 99999)::int AS cl100k
		FROM (SELECT random() * 4 AS c1, random() * 4 AS c2, random() * 4 AS c3,
			random() * 4 AS c4, random() * 4 AS c5, random() * 4 AS c6, random() * 4 AS c7,
			random() * 4 AS c8, random() * 4 AS c9, random() * 4 AS c10,
			(random() * 1999)::int AS cl FROM generate_series(1, $((size * 1000000)))) s" \
	  -c "VACUUM ANALYZE $t" -c "SELECT pg_prewarm('$t')" >/dev/null
	time_cases "$t" "$size" \
		"floor|SELECT count(*), sum(c1), sum(c2), sum(c3), sum(c4), sum(c5), sum(c6), sum(c7), sum(c8), sum(c9), sum(c10), sum(y) FROM $t" \
		"classical|SELECT count(*) FROM survey_reg.coefficients('$t', 'y', $B)" \
		"classical weighted|SELECT count(*) FROM survey_reg.coefficients('$t', 'y', $B, weight => 'pw')" \
		"hc1|SELECT count(*) FROM survey_reg.coefficients('$t', 'y', $B, se => 'hc1')" \
		"hc3|SELECT count(*) FROM survey_reg.coefficients('$t', 'y', $B, se => 'hc3')" \
		"cluster|SELECT count(*) FROM survey_reg.coefficients('$t', 'y', $B, se => 'cluster', cluster => 'cl')" \
		"design|SELECT count(*) FROM survey_reg.coefficients('$t', 'y', $B, weight => 'pw', weight_type => 'probability', se => 'design', cluster => 'cl', strata => 'st')"
	# memory: a fresh backend per query (time_cases connects per run);
	# three runs each
	REPS=3 time_cases "$t" "$size" \
		"mem classical|SELECT count(*) FROM survey_reg.coefficients('$t', 'y', $B)" \
		"mem cluster 2k|SELECT count(*) FROM survey_reg.coefficients('$t', 'y', $B, se => 'cluster', cluster => 'cl')" \
		"mem cluster 100k|SELECT count(*) FROM survey_reg.coefficients('$t', 'y', $B, se => 'cluster', cluster => 'cl100k')"
	if [ "$size" != "${SIZES##* }" ]; then q -c "DROP TABLE $t"; fi
done

echo
echo "== ratios to classical (same run, paired per round)"
python3 bench/ratios.py --base classical "$OUT"
