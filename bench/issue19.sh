#!/usr/bin/env bash
# Issue 19's measurements, in one run of one throwaway cluster:
#   1. GROUP BY 50,000 groups x 200 rows x 11 columns at work_mem 64 MB
#      (hash_mem_multiplier 2): the HashAggregate's peak memory, batches and
#      time, for this build, the baseline build and PostgreSQL's own count(*)
#      + 11 sums; and this build's hashed results against the sorted plan's.
#   2. The single-group (batched) update, this build against the baseline,
#      paired: ROUNDS (7) rounds, each runs both, in alternating order (a
#      fresh backend per query, so each loads only its own library); ratio
#      = median of the rounds' ratios.
#   3. frequencies() of 20,000 values with 10,000 value labels against none,
#      paired the same way.
#
#   bash bench/issue19.sh [baseline-commit]     (default e8a2c9c; ~6 min)
#   PARTS="2" ROUNDS=15 bash bench/issue19.sh   (some parts, more rounds)
#
# The baseline is built from git into a temporary directory and its
# transition and final functions are declared from that library under the
# schema bench_old; this build is installed as usual (tools/setup.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${1:-}" != --in-cluster ]; then
	base=${1:-e8a2c9c}
	source tools/setup.sh
	old=$(mktemp -d)
	chmod 755 "$old"			# the server reads the baseline library
	trap 'rm -rf "$old"' EXIT
	git archive "$base" | tar -x -C "$old"
	make -s -C "$old" PG_CONFIG="$PG_CONFIG" >/dev/null
	mkdir -p bench/out
	pg_virtualenv -t -v 15 -c "-p $(free_port)" -o work_mem=64MB -o hash_mem_multiplier=2 \
		-o max_parallel_workers_per_gather=0 -o shared_buffers=2GB -o jit=off \
		bash bench/issue19.sh --in-cluster "$old/survey_reg.so" "$base" 2>&1 | tee bench/out/issue19.log
	exit
fi
oldlib=$2
base=$3
parts=" ${PARTS:-1 2 3} "
rounds=${ROUNDS:-7}
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
cols="c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11"

q -c "CREATE EXTENSION survey_reg" >/dev/null
q <<SQL >/dev/null
CREATE SCHEMA bench_old;
CREATE FUNCTION bench_old.moments_transfn(survey_reg.moments, float8[]) RETURNS survey_reg.moments
AS '$oldlib', 'moments_transfn' LANGUAGE C IMMUTABLE;
CREATE FUNCTION bench_old.moments_of_transfn(survey_reg.moments, VARIADIC "any") RETURNS survey_reg.moments
AS '$oldlib', 'moments_of_transfn' LANGUAGE C IMMUTABLE;
CREATE FUNCTION bench_old.moments_finalfn(survey_reg.moments) RETURNS survey_reg.moments
AS '$oldlib', 'moments_finalfn' LANGUAGE C IMMUTABLE STRICT;
CREATE AGGREGATE bench_old.moments(float8[]) (SFUNC = bench_old.moments_transfn,
	STYPE = survey_reg.moments, FINALFUNC = bench_old.moments_finalfn);
CREATE AGGREGATE bench_old.moments_of(VARIADIC "any") (SFUNC = bench_old.moments_of_transfn,
	STYPE = survey_reg.moments, FINALFUNC = bench_old.moments_finalfn);
CREATE UNLOGGED TABLE big AS
SELECT g % 50000 AS office,
	1e6 + sin(g) AS c1, (g * 7) % 97 + cos(g) AS c2, ((g * 11) % 89)::float8 AS c3,
	sqrt(g) AS c4, ln(g) AS c5, ((g / 50000) % 5)::float8 AS c6, sin(g * 0.5) AS c7,
	((g * 13) % 83 + 0.5)::float8 AS c8, cos(g * 0.25) * 10 AS c9, (g % 31)::float8 AS c10,
	(1e-3 * ((g * 17) % 71))::float8 AS c11
FROM generate_series(1, 10000000) g;
VACUUM ANALYZE big;
CREATE UNLOGGED TABLE answers AS SELECT g::float8 AS v FROM generate_series(1, 20000) g;
CREATE TABLE labels AS SELECT jsonb_object_agg(2 * i, 'label ' || i) AS l FROM generate_series(1, 10000) i;
CREATE FUNCTION agg_node(q text) RETURNS jsonb LANGUAGE plpgsql AS \$\$
DECLARE plan jsonb;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO plan;
	RETURN jsonb_path_query_first(plan, 'strict \$.**? (@."Node Type" == "Aggregate")');
END \$\$;
SQL

if [[ $parts == *" 1 "* ]]; then
echo "== 1. GROUP BY office (50,000 groups x 200 rows x 11 columns), work_mem 64MB x hash_mem_multiplier 2 = 131072 kB"
printf '%-28s %8s %10s %8s %12s %10s\n' case strategy peak_kB batches disk_kB ms
hashed() { # label, aggregate call
	q -t -A -F ' ' -c "SET enable_sort = off" -c "SELECT n->>'Strategy', n->>'Peak Memory Usage', n->>'HashAgg Batches', coalesce(n->>'Disk Usage', '0'), round((n->>'Actual Total Time')::numeric) FROM agg_node('SELECT office, $2 FROM big GROUP BY office') n" \
		| awk -v l="$1" '{ printf "%-28s %8s %10s %8s %12s %10s\n", l, $1, $2, $3, $4, $5 }'
}
hashed "count(*) + 11 sums (PG)" "count(*), sum(c1), sum(c2), sum(c3), sum(c4), sum(c5), sum(c6), sum(c7), sum(c8), sum(c9), sum(c10), sum(c11)"
hashed "moments, $base" "bench_old.moments(ARRAY[$cols])"
hashed "moments, this build" "survey_reg.moments(ARRAY[$cols])"
q -t -A <<SQL
SET enable_sort = off;
CREATE TEMP TABLE h AS SELECT office, (survey_reg.describe(m)).* FROM (SELECT office, survey_reg.moments(ARRAY[$cols]) m FROM big GROUP BY office) s;
RESET enable_sort;
SET enable_hashagg = off;
CREATE TEMP TABLE s AS SELECT office, (survey_reg.describe(m)).* FROM (SELECT office, survey_reg.moments(ARRAY[$cols]) m FROM big GROUP BY office) s;
SELECT format('hashed vs sorted plan: %s group-variables, %s with equal n/min/max; max relative difference of mean, sd: %s; max abs difference of skewness, kurtosis: %s',
	count(*), count(*) FILTER (WHERE h.n = s.n AND h.min = s.min AND h.max = s.max),
	max(greatest(abs(h.mean - s.mean) / abs(s.mean), abs(h.sd - s.sd) / s.sd)),
	max(greatest(abs(h.skewness - s.skewness), abs(h.kurtosis - s.kurtosis))))
FROM h JOIN s USING (office, variable);
SQL
fi

ms() { # the time of one query in a fresh backend
	q -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
paired() { # title, query A (baseline), query B (this build), rounds
	local title=$1 a=$2 b=$3 rounds=$4 i ta tb
	: > /tmp/issue19_pairs.$$
	ms "$a" >/dev/null; ms "$b" >/dev/null   # warm
	for ((i = 0; i < rounds; i++)); do
		if ((i % 2 == 0)); then ta=$(ms "$a"); tb=$(ms "$b")
		else tb=$(ms "$b"); ta=$(ms "$a"); fi
		echo "$ta $tb" >> /tmp/issue19_pairs.$$
	done
	python3 - "$title" /tmp/issue19_pairs.$$ <<'PY'
import statistics, sys
pairs = [tuple(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
a = statistics.median(p[0] for p in pairs); b = statistics.median(p[1] for p in pairs)
r = statistics.median(p[1] / p[0] for p in pairs)
print(f"{sys.argv[1]}: A median {a:.0f} ms, B median {b:.0f} ms, B/A median of {len(pairs)} paired ratios {r:.3f}")
print("  pairs (ms): " + ", ".join(f"{x:.0f}/{y:.0f}" for x, y in pairs))
PY
	rm -f /tmp/issue19_pairs.$$
}
if [[ $parts == *" 2 "* ]]; then
echo
echo "== 2. single group (batched update), 10M rows x 11 columns: A = $base, B = this build"
paired "moments(ARRAY[...])" "SELECT bench_old.moments(ARRAY[$cols]) IS NOT NULL FROM big" \
	"SELECT survey_reg.moments(ARRAY[$cols]) IS NOT NULL FROM big" "$rounds"
paired "moments_of(...)" "SELECT bench_old.moments_of($cols) IS NOT NULL FROM big" \
	"SELECT survey_reg.moments_of($cols) IS NOT NULL FROM big" "$rounds"
fi
if [[ $parts == *" 3 "* ]]; then
echo
echo "== 3. frequencies of 20,000 values: A = no labels, B = 10,000 value labels"
paired "frequencies" "SELECT count(*) FROM survey_reg.frequencies('answers', 'v')" \
	"SELECT count(*) FROM labels, survey_reg.frequencies('answers', 'v', value_labels => labels.l)" "$rounds"
fi
