#!/usr/bin/env bash
# Runs inside pg_virtualenv: data, cases, table.  Every timing is the median
# of REPS runs of the query through psql (\timing), on a warm cache; the
# cases compared with each other run interleaved (time_cases).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPS=${REPS:-7}
ALT_REPS=${ALT_REPS:-3}
if [ -n "${BENCH_QUICK:-}" ]; then SIZES="1"; ALT_SIZES="1"; else SIZES="1 5 20"; ALT_SIZES="1 5"; fi
OUT=bench/out/results.tsv
: > "$OUT"

q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

q -c "CREATE EXTENSION IF NOT EXISTS survey_reg" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" \
	-c "CREATE EXTENSION IF NOT EXISTS plr" -c "CREATE EXTENSION IF NOT EXISTS plpython3u"

cols() { # c1 .. cK
	local k=$1 s="" i; for ((i = 1; i <= k; i++)); do s+="${s:+, }c$i"; done; echo "$s"
}

make_table() { # name rows k: k predictors plus y, y depends on all of them
	local name=$1 rows=$2 k=$3 i sel="" ysum="" 
	for ((i = 1; i <= k; i++)); do
		sel+="random() * 4 AS c$i, "
	done
	for ((i = 1; i <= k; i++)); do ysum+=" + 0.$((i % 9 + 1)) * c$i"; done
	q -c "DROP TABLE IF EXISTS $name" \
	  -c "CREATE UNLOGGED TABLE $name AS SELECT *, 1.0 ${ysum} + random() * 2 AS y FROM (SELECT ${sel%, } FROM generate_series(1, $rows)) s" \
	  -c "VACUUM ANALYZE $name" -c "SELECT pg_prewarm('$name')" >/dev/null
}

# The backend's peak private memory in kB: peak RSS (VmHWM) less the shared
# memory it has mapped (RssShmem: shared_buffers pages it touched, which
# every backend shares), read from /proc after the query.
RSS_SQL="SELECT 'PRIVATE_PEAK ' || (max(v) FILTER (WHERE k = 'VmHWM') - max(v) FILTER (WHERE k = 'RssShmem'))
FROM (SELECT split_part(l, ':', 1) AS k, (regexp_match(l, '([0-9]+)'))[1]::bigint AS v
      FROM pg_catalog.regexp_split_to_table(pg_read_file('/proc/' || pg_backend_pid() || '/status'), E'\\n') l
      WHERE l LIKE 'VmHWM%' OR l LIKE 'RssShmem%') s"

# time_query label table size workers query: median of REPS, plus the peak
# private memory of the backend of a fresh connection
time_query() {
	local label=$1 table=$2 size=$3 workers=$4 query=$5 reps=${6:-$REPS} i times=() rss
	for ((i = 0; i < reps; i++)); do
		local out
		out=$(q -c "SET max_parallel_workers_per_gather = $workers" -c '\timing on' \
			-c "$query" -c '\timing off' -c "$RSS_SQL" 2>&1) || {
			echo "FAILED $label $table: $(echo "$out" | grep -m1 ERROR)"
			printf '%s\t%s\t%s\t%s\tFAILED\t\t\n' "$label" "$table" "$size" "$workers" >> "$OUT"
			return 0
		}
		times+=("$(echo "$out" | grep -oP 'Time: \K[0-9.]+' | tail -n 1)")
		rss=$(echo "$out" | grep -oP 'PRIVATE_PEAK \K[0-9]+')
	done
	local med
	med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t\n' "$label" "$table" "$size" "$workers" "$med" "$rss" >> "$OUT"
	printf '%-28s %-6s workers=%s  median %9.1f ms  backend peak private RSS %s kB\n' "$label" "$table" "$workers" "$med" "$rss"
}

# time_cases table size spec...: each spec is "label|workers|query".  The
# cases run interleaved, one of each per round for REPS rounds, so that a
# slow spell of the machine (a shared VM) falls on every case alike rather
# than on whichever case happened to run then; median per case, and every
# time in the log.
time_cases() {
	local table=$1 size=$2
	shift 2
	local specs=("$@") n=$# i r label workers query out t
	local -a times=() rss=() failed=()
	for ((r = 0; r < REPS; r++)); do
		for ((i = 0; i < n; i++)); do
			[ -n "${failed[i]:-}" ] && continue
			IFS='|' read -r label workers query <<< "${specs[i]}"
			out=$(q -c "SET max_parallel_workers_per_gather = $workers" -c '\timing on' \
				-c "$query" -c '\timing off' -c "$RSS_SQL" 2>&1) || {
				echo "FAILED $label $table: $(echo "$out" | grep -m1 ERROR)"
				failed[i]=1
				continue
			}
			t=$(echo "$out" | grep -oP 'Time: \K[0-9.]+' | tail -n 1)
			times[i]="${times[i]:-} $t"
			rss[i]=$(echo "$out" | grep -oP 'PRIVATE_PEAK \K[0-9]+')
		done
	done
	for ((i = 0; i < n; i++)); do
		IFS='|' read -r label workers query <<< "${specs[i]}"
		if [ -n "${failed[i]:-}" ]; then
			printf '%s\t%s\t%s\t%s\tFAILED\t\t\n' "$label" "$table" "$size" "$workers" >> "$OUT"
			continue
		fi
		local med
		med=$(printf '%s\n' ${times[i]} | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$table" "$size" "$workers" "$med" "${rss[i]}" "${times[i]# }" >> "$OUT"
		printf '%-28s %-6s workers=%s  median %9.1f ms  backend peak private RSS %s kB  (runs:%s)\n' \
			"$label" "$table" "$workers" "$med" "${rss[i]}" "${times[i]}"
	done
}

blocks_sql() { # the three-block design over c1..ck
	local k=$1 b1 b2 b3 i
	b1=$(seq -s ', c' 1 $((k / 3)) | sed 's/^/c/')
	b2=$(seq -s ', c' $((k / 3 + 1)) $((2 * k / 3)) | sed 's/^/c/')
	b3=$(seq -s ', c' $((2 * k / 3 + 1)) "$k" | sed 's/^/c/')
	echo "ARRAY['$b1', '$b2', '$b3']"
}

floor_sql() { # count(*), sum(c1) .. sum(y)
	local k=$1 s="count(*)" i
	for ((i = 1; i <= k; i++)); do s+=", sum(c$i)"; done
	echo "SELECT $s, sum(y) FROM $2"
}

# PL/R and PL/Python: the three nested models over array_agg columns
k=10
args=$(for ((i = 1; i <= k; i++)); do printf 'c%d float8[], ' "$i"; done)
q <<SQL
CREATE OR REPLACE FUNCTION plr_blocks(${args}y float8[]) RETURNS float8[] LANGUAGE plr AS \$\$
  d <- data.frame(y = y, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  m1 <- lm(y ~ c1 + c2 + c3, data = d)
  m2 <- lm(y ~ c1 + c2 + c3 + c4 + c5 + c6, data = d)
  m3 <- lm(y ~ ., data = d)
  c(summary(m1)\$r.squared, summary(m2)\$r.squared, summary(m3)\$r.squared, coef(m3))
\$\$;
CREATE OR REPLACE FUNCTION plpy_blocks(${args}y float8[]) RETURNS float8[] LANGUAGE plpython3u AS \$\$
  import numpy as np
  X = np.column_stack([c1, c2, c3, c4, c5, c6, c7, c8, c9, c10])
  Y = np.asarray(y)
  out = []
  for p in (3, 6, 10):
      A = np.column_stack([np.ones(len(Y)), X[:, :p]])
      b, rss, rank, sv = np.linalg.lstsq(A, Y, rcond=None)
      r = Y - A @ b
      out.append(1 - (r @ r) / ((Y - Y.mean()) @ (Y - Y.mean())))
  return out + list(b)
\$\$;
SQL

aggs=$(for ((i = 1; i <= k; i++)); do printf 'array_agg(c%d), ' "$i"; done)
for size in $SIZES; do
	t=t${size}m
	echo "== building $t: ${size}M rows x (10 predictors + y)"
	make_table "$t" $((size * 1000000)) 10
	c=$(cols 10)
	# serial and parallel in the same rounds: both ratios are paired
	specs=()
	for w in 0 2; do
		specs+=("floor|$w|$(floor_sql 10 "$t")")
		[ $w = 0 ] && specs+=("moments(ARRAY[...])|$w|SELECT survey_reg.moments(ARRAY[$c, y]) IS NOT NULL FROM $t")
		specs+=("moments_of(...)|$w|SELECT survey_reg.moments_of($c, y) IS NOT NULL FROM $t"
			"model_summary(table)|$w|SELECT count(*) FROM survey_reg.model_summary('$t', 'y', $(blocks_sql 10))")
		[ $w = 0 ] && specs+=("coefficients(table)|$w|SELECT count(*) FROM survey_reg.coefficients('$t', 'y', $(blocks_sql 10))")
	done
	time_cases "$t" "$size" "${specs[@]}"
	if [[ " $ALT_SIZES " == *" $size "* ]]; then
		time_query "PL/R lm(array_agg)" "$t" "$size" 0 "SELECT plr_blocks(${aggs}array_agg(y)) IS NOT NULL FROM $t" "$ALT_REPS"
		time_query "PL/Python lstsq(array_agg)" "$t" "$size" 0 "SELECT plpy_blocks(${aggs}array_agg(y)) IS NOT NULL FROM $t" "$ALT_REPS"
		# export with \copy and fit in Rscript: wall time and peak RSS of R
		start=$(date +%s.%N)
		psql -X -q -c "\\copy (SELECT $c, y FROM $t) TO 'bench/out/export.csv' CSV HEADER"
		/usr/bin/time -f '%M' -o bench/out/rscript.rss Rscript bench/fit.R
		end=$(date +%s.%N)
		ms=$(echo "($end - $start) * 1000" | bc)
		printf '%s\t%s\t%s\t%s\t%s\t%s\t\n' "export+Rscript lm" "$t" "$size" 0 "$ms" "$(cat bench/out/rscript.rss)" >> "$OUT"
		printf '%-28s %-6s workers=0  once   %9.1f ms  Rscript peak RSS %s kB\n' "export+Rscript lm" "$t" "$ms" "$(cat bench/out/rscript.rss)"
		rm -f bench/out/export.csv
	fi
	[ "$size" != 1 ] && q -c "DROP TABLE $t"
done

echo "== building w1m: 1M rows x (50 predictors + y)"
make_table w1m 1000000 50
c=$(cols 50)
time_cases w1m 1 "floor|0|$(floor_sql 50 w1m)" \
	"moments_of(...)|0|SELECT survey_reg.moments_of($c, y) IS NOT NULL FROM w1m" \
	"model_summary(table)|0|SELECT count(*) FROM survey_reg.model_summary('w1m', 'y', $(blocks_sql 50))"

echo
echo "== ratios (same run)"
python3 bench/ratios.py "$OUT"
