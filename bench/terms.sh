#!/usr/bin/env bash
# Issue 15's measurement: model_summary with model terms (a 5-level text
# factor, a boolean and one interaction) against the floor query over the
# same columns, paired: ROUNDS (7) rounds, each runs every case once, in
# turn; ratio = median of the rounds' ratios (as bench/ratios.py).
#
#   bash bench/terms.sh            (5M rows; ROWS=1000000 for 1M)
#
# Cases (table tt: x float8, f text with 5 levels, b boolean, y float8):
#   floor         SELECT count(*), sum(x), sum(y), count(f), count(b)
#   model_summary survey_reg.model_summary('tt', 'y',
#                     ARRAY['x, factor(f)', 'b, x:b'])
#                 (one ungrouped scan, a state per level of f over y, x, b, x*b:
#                 src/model_terms.c)
#   indicators    the alternative design, every model column computed in
#                 the scan: moments_of(y, x, 4 indicators, b, x*b) (reference)
# and once, on its own: a factor of ROWS distinct values (factor(id)), which
# must be an error, timed.
#
# Builds and installs survey_reg (tools/setup.sh) and runs in a throwaway
# cluster; hold the shared install's lock around it:
#   flock /tmp/survey_reg-pg15.lock bash bench/terms.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${1:-}" != --in-cluster ]; then
	SURVEY_REG_COPT="-Wall -Wextra -Werror" source tools/setup.sh
	mkdir -p bench/out
	pg_virtualenv -t -v 15 -c "-p $(free_port)" -o shared_buffers=2GB -o jit=off \
		-o max_parallel_workers_per_gather=0 -o work_mem=64MB \
		bash bench/terms.sh --in-cluster 2>&1 | tee bench/out/terms.log
	exit
fi
rows=${ROWS:-5000000}
rounds=${ROUNDS:-7}
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

q -c "CREATE EXTENSION survey_reg" -c "CREATE EXTENSION pg_prewarm" >/dev/null
q <<SQL >/dev/null
CREATE UNLOGGED TABLE tt AS
SELECT i AS id, x, f, b,
	1 + 0.5 * x + CASE f WHEN 'north' THEN 1 WHEN 'south' THEN -1 WHEN 'west' THEN 0.5
		WHEN 'centre' THEN 2 ELSE 0 END + 0.8 * b::int + 0.1 * x * b::int
		+ random() AS y
FROM (SELECT i, random() * 4 AS x,
	(ARRAY['east', 'north', 'south', 'west', 'centre'])[1 + (i::bigint * 7919) % 5] AS f,
	random() < 0.4 AS b
	FROM generate_series(1, $rows) i) s;
VACUUM ANALYZE tt;
SELECT pg_prewarm('tt');
SQL

floor="SELECT count(*), sum(x), sum(y), count(f), count(b) FROM tt"
terms="SELECT count(*) FROM survey_reg.model_summary('tt', 'y', ARRAY['x, factor(f)', 'b, x:b'])"
ind="SELECT survey_reg.moments_of(y, x, (f = 'east')::int::float8, (f = 'north')::int::float8, (f = 'south')::int::float8, (f = 'west')::int::float8, b::int::float8, x * b::int) IS NOT NULL FROM tt"
labels=(floor model_summary indicators)
queries=("$floor" "$terms" "$ind")

ms() { # the query's time in ms (psql \timing)
	q -c '\timing on' -c "$1" | grep -oP 'Time: \K[0-9.]+' | tail -n 1
}
declare -a times
for ((r = 0; r < rounds; r++)); do
	for i in 0 1 2; do
		times[i]="${times[i]:-} $(ms "${queries[i]}")"
	done
done
echo "== $rows rows, $rounds rounds (ms per run)"
for i in 0 1 2; do
	echo "${labels[i]}:${times[i]}"
done
python3 - "${times[0]}" "${times[1]}" "${times[2]}" <<'PY'
import statistics, sys
f, m, ind = ([float(x) for x in a.split()] for a in sys.argv[1:4])
print(f"floor median {statistics.median(f):.0f} ms; model_summary median {statistics.median(m):.0f} ms; indicators-in-scan median {statistics.median(ind):.0f} ms")
print(f"model_summary x floor (paired median): {statistics.median(a / b for a, b in zip(m, f)):.3f}")
print(f"indicators-in-scan x floor (paired median): {statistics.median(a / b for a, b in zip(ind, f)):.3f}")
PY

echo "== factor(id): $rows levels"
q -c '\timing on' -c "SELECT * FROM survey_reg.model_summary('tt', 'y', ARRAY['x, factor(id)'])" 2>&1 \
	| grep -E 'ERROR|Time' || true
