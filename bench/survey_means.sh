#!/usr/bin/env bash
# Issue 16: survey_means of 10 variables by a 10-level group over ROWS rows
# (default 5,000,000) of a stratified cluster sample (20 strata, 2,000
# PSUs, weights), against the floor query of the same columns (the
# weighted sums and sums of weights per group in plain SQL, reading the design
# columns too), paired as bench/ratios.py does: ROUNDS rounds (default 7),
# each runs both in alternating order; the ratio is the median of the
# rounds' ratios.  Also the unclustered design (every row a PSU), the
# two-stage design with population counts, and the one-stage design on a
# copy whose rows interleave the PSUs, each paired with its floor.
#
#   bash bench/survey_means.sh                 (~10 min at 5M rows)
#   ROWS=1000000 ROUNDS=5 bash bench/survey_means.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${1:-}" != --in-cluster ]; then
	source tools/setup.sh
	mkdir -p bench/out
	pg_virtualenv -t -v 15 -c "-p $(free_port)" -o shared_buffers=2GB -o jit=off \
		-o work_mem=64MB -o max_parallel_workers_per_gather=2 \
		bash bench/survey_means.sh --in-cluster 2>&1 | tee bench/out/survey_means.log
	exit
fi
rows=${ROWS:-5000000}
rounds=${ROUNDS:-7}
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
q -c "CREATE EXTENSION survey_reg"
# sm: rows stored office by office, as survey files are (PSU ids ascending);
# sm_i: the same design with the PSUs interleaved row by row (the worst
# case for the grouped scan: every row meets another PSU's sums)
q <<SQL
CREATE TABLE sm AS
SELECT i, (p / 100) AS stratum, p AS psu, (i * 20000::bigint / $rows) AS ssu,
	(i / 7) % 10 AS g, 100.0 AS fpc1, 40.0 AS fpc2,
	1 + random() * 20 AS w,
	random() AS x1, random() AS x2, random() AS x3, random() AS x4,
	random() AS x5, random() AS x6, random() AS x7, random() AS x8,
	random() AS x9, random() AS x10
FROM generate_series(0, $rows - 1) i, LATERAL (SELECT (i * 2000::bigint / $rows)::int AS p) pp;
CREATE TABLE sm_i AS SELECT * FROM sm ORDER BY i % ($rows / 2000), psu;
VACUUM ANALYZE sm;
VACUUM ANALYZE sm_i;
SQL
vars="ARRAY['x1','x2','x3','x4','x5','x6','x7','x8','x9','x10']"
# the floor: the point estimates in plain SQL (per group and variable the
# weighted sum and the sum of weights over the rows where it is present),
# reading the design columns too
est=""
for i in $(seq 1 10); do est+=", sum(w * x$i), sum(w) FILTER (WHERE x$i IS NOT NULL)"; done
floor="SELECT g, max(stratum), max(psu)$est FROM sm GROUP BY g"
floor2="SELECT g, max(stratum), max(psu), max(ssu), max(fpc1), max(fpc2)$est FROM sm GROUP BY g"
declare -A sql=(
	[floor]="$floor"
	[clustered]="SELECT * FROM survey_reg.survey_means('sm', $vars, weight => 'w', strata => 'stratum', cluster => 'psu', by => 'g')"
	[rows]="SELECT * FROM survey_reg.survey_means('sm', $vars, weight => 'w', strata => 'stratum', by => 'g')"
	[floor2]="$floor2"
	[interleaved]="SELECT * FROM survey_reg.survey_means('sm_i', $vars, weight => 'w', strata => 'stratum', cluster => 'psu', by => 'g')"
	[floor_i]="${floor/FROM sm /FROM sm_i }"
	[twostage]="SELECT * FROM survey_reg.survey_means('sm', $vars, weight => 'w', strata => 'stratum', cluster => 'psu', fpc => 'fpc1', cluster2 => 'ssu', fpc2 => 'fpc2', by => 'g')"
)
# one run in a fresh backend: milliseconds.  The whole row is read (s::text):
# with count(*) alone the planner drops the floor's unused sums
# (remove_unused_subquery_outputs) and times only its GROUP BY.
ms() {
	q -c '\timing on' -c "SELECT count(*) FROM (${sql[$1]}) s WHERE s::text IS NOT NULL" | sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p'
}
echo "rows $rows, rounds $rounds"
for pair in "clustered floor" "rows floor" "twostage floor2" "interleaved floor_i"; do
	set -- $pair
	ratios=()
	for r in $(seq 1 "$rounds"); do
		if [ $((r % 2)) -eq 1 ]; then a=$(ms "$1"); b=$(ms "$2"); else b=$(ms "$2"); a=$(ms "$1"); fi
		ratios+=("$(python3 -c "print($a / $b)")")
		echo "round $r: $1 $a ms, $2 $b ms, ratio $(python3 -c "print(round($a / $b, 3))")"
	done
	echo "$1 / $2: median of the rounds' ratios $(python3 -c "import statistics,sys; print(round(statistics.median(map(float, sys.argv[1:])), 3))" "${ratios[@]}")"
done
