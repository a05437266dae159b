#!/usr/bin/env bash
# Issue 17's measurement: logistic regression at ROWS rows (5M) and 10
# predictors.
#   1. one iteration (one scan of survey_reg.logistic_step at the start
#      coefficients) against the floor query over the same columns
#      (count, sum of y and of x1..x10), paired: ROUNDS (5) rounds, each
#      runs both once; ratio = median of the rounds' ratios (bench/ratios.py)
#   2. the whole fit, logistic_summary (iterations reported), against PL/R's
#      glm(family = binomial, control = glm.control(epsilon = 1e-15,
#      maxit = 100)) over array_agg of the same columns, paired: FIT_ROUNDS
#      (3) rounds; and the largest relative difference of the coefficients.
# Serial plans (max_parallel_workers_per_gather = 0), jit off, the table
# prewarmed.  Needs postgresql-15-plr.  Builds and installs survey_reg
# (tools/setup.sh) in a throwaway cluster; hold the shared install's lock:
#   flock /tmp/survey_reg-pg15.lock bash bench/logistic.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${1:-}" != --in-cluster ]; then
	SURVEY_REG_COPT="-Wall -Wextra -Werror" source tools/setup.sh
	mkdir -p bench/out
	pg_virtualenv -t -v 15 -c "-p $(free_port)" -o shared_buffers=2GB -o jit=off \
		-o max_parallel_workers_per_gather=0 -o work_mem=64MB \
		bash bench/logistic.sh --in-cluster 2>&1 | tee bench/out/logistic.log
	exit
fi
rows=${ROWS:-5000000}
rounds=${ROUNDS:-5}
fit_rounds=${FIT_ROUNDS:-3}
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

q -c "CREATE EXTENSION survey_reg" -c "CREATE EXTENSION pg_prewarm" -c "CREATE EXTENSION plr" >/dev/null
q <<SQL >/dev/null
CREATE UNLOGGED TABLE lt AS
SELECT i AS id, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10,
	(random() < 1 / (1 + exp(-(-0.5 + 0.3 * x1 - 0.2 * x2 + 0.1 * x3 + 0.4 * x4
		- 0.3 * x5 + 0.05 * x6 + 0.2 * x7 - 0.1 * x8 + 0.15 * x9 + 0.25 * x10))))::int::float8 AS y
FROM (SELECT i, random() * 2 - 1 AS x1, random() * 2 - 1 AS x2, random() * 2 - 1 AS x3,
	random() * 2 - 1 AS x4, random() * 2 - 1 AS x5, random() * 2 - 1 AS x6,
	random() * 2 - 1 AS x7, random() * 2 - 1 AS x8, random() * 2 - 1 AS x9,
	random() * 2 - 1 AS x10 FROM generate_series(1, $rows) i) s;
VACUUM ANALYZE lt;
SELECT pg_prewarm('lt');
CREATE FUNCTION r_glm(y float8[], x1 float8[], x2 float8[], x3 float8[],
	x4 float8[], x5 float8[], x6 float8[], x7 float8[], x8 float8[],
	x9 float8[], x10 float8[]) RETURNS float8[] LANGUAGE plr AS \$\$
	d <- data.frame(y, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10)
	f <- glm(y ~ ., family = binomial, data = d,
			 control = glm.control(epsilon = 1e-15, maxit = 100))
	c(f\$iter, f\$deviance, coef(f))
\$\$;
SQL

xs="x1, x2, x3, x4, x5, x6, x7, x8, x9, x10"
floor="SELECT count(*), sum(y), sum(x1), sum(x2), sum(x3), sum(x4), sum(x5), sum(x6), sum(x7), sum(x8), sum(x9), sum(x10) FROM lt"
# the fit array of src/logistic.c: header (magic, columns, intercept,
# models, score kind, frequency weights), model sizes, active flag and the
# 11 coefficients (all 0: the first iteration's)
step="SELECT survey_reg.logistic_step('{7617,10,1,1,0,0,10,1,0,0,0,0,0,0,0,0,0,0,0}'::float8[], 1::float8, y, $xs) IS NOT NULL FROM lt"
ours="SELECT iterations FROM survey_reg.logistic_summary('lt', 'y', ARRAY['$xs'])"
plr="SELECT (r_glm(array_agg(y), array_agg(x1), array_agg(x2), array_agg(x3), array_agg(x4), array_agg(x5), array_agg(x6), array_agg(x7), array_agg(x8), array_agg(x9), array_agg(x10)))[1] FROM lt"

ms() { # the query's time in ms (psql \timing)
	q -c '\timing on' -c "$1" | grep -oP 'Time: \K[0-9.]+' | tail -n 1
}
tf=""; ts=""
for ((r = 0; r < rounds; r++)); do
	tf="$tf $(ms "$floor")"
	ts="$ts $(ms "$step")"
done
to=""; tp=""
for ((r = 0; r < fit_rounds; r++)); do
	to="$to $(ms "$ours")"
	tp="$tp $(ms "$plr")"
done
echo "== $rows rows, 10 predictors; ms per run"
echo "floor:$tf"
echo "logistic_step (one iteration):$ts"
echo "logistic_summary (whole fit):$to"
echo "PL/R glm over array_agg:$tp"
q -At -c "SELECT 'iterations (Newton steps) ' || iterations || ', converged ' || converged || ', deviance ' || deviance FROM survey_reg.logistic_summary('lt', 'y', ARRAY['$xs'])"
q -At <<SQL
WITH r AS (SELECT r_glm(array_agg(y), array_agg(x1), array_agg(x2), array_agg(x3), array_agg(x4), array_agg(x5), array_agg(x6), array_agg(x7), array_agg(x8), array_agg(x9), array_agg(x10)) AS v FROM lt),
o AS (SELECT row_number() OVER () AS k, b FROM survey_reg.logistic_coefficients('lt', 'y', ARRAY['$xs']))
SELECT 'R glm iterations ' || (v[1])::int || ', deviance ' || v[2]
	|| '; largest relative difference of the coefficients: '
	|| (SELECT max(abs(o.b - v[2 + k]) / abs(v[2 + k])) FROM o)
FROM r;
SQL
python3 - "$tf" "$ts" "$to" "$tp" <<'PY'
import statistics, sys
f, s, o, p = ([float(x) for x in a.split()] for a in sys.argv[1:5])
print(f"floor median {statistics.median(f):.0f} ms; one iteration median {statistics.median(s):.0f} ms")
print(f"one iteration x floor (paired median): {statistics.median(a / b for a, b in zip(s, f)):.3f}")
print(f"whole fit median {statistics.median(o):.0f} ms; PL/R glm median {statistics.median(p):.0f} ms")
print(f"PL/R glm x whole fit (paired median): {statistics.median(b / a for a, b in zip(o, p)):.3f}")
PY
