#!/usr/bin/env bash
# Random SQL against survey_reg: sqlsmith (Debian package sqlsmith) in a
# throwaway cluster with the extension and the sample survey loaded
# (doc/HARDENING.md).
#
#   bash tools/sqlsmith.sh              until 20000 queries reached survey_reg
#   bash tools/sqlsmith.sh 2000         a short run
#   SQLSMITH_SEED_BASE=1000 bash tools/sqlsmith.sh
#                                       other seeds (default: rounds 1, 2, ...)
#   SQLSMITH_SANITIZED=1 bash tools/sqlsmith.sh 5000
#                                       against the ASan + UBSan build of
#                                       tools/sanitize.sh (private server)
#
# sqlsmith builds queries from the catalog.  Left alone it would mostly call
# PostgreSQL's own functions and never the set-returning ones (it skips
# SRFs), so the role it connects as sees a filtered pg_proc (a view first in
# its search_path) with survey_reg's functions and aggregates, scalar
# wrappers around survey_reg's set-returning functions (schema smith_wrap,
# each a plain call of the real function), and a few array builders; tables
# hold the sample survey and stored moments states.  Every generated query
# is counted (those naming survey_reg or smith_wrap "reach" the extension).
#
# Pass: no backend crash (server log: no "terminated by signal", no PANIC),
# and every error with a proper SQLSTATE (no XX000 internal_error or other
# class XX).  Closing line: "sqlsmith: N passed, M failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EXTRA_PACKAGES="${EXTRA_PACKAGES:-} sqlsmith" source tools/setup.sh

target=${1:-20000}
export SQLSMITH_TARGET=$target
export SQLSMITH_WORK=${SQLSMITH_WORK:-$(mktemp -d /tmp/survey_reg_sqlsmith.XXXXXX)}
chmod 777 "$SQLSMITH_WORK"
export SQLSMITH_REPO=$PWD

# the script that runs inside the throwaway cluster
cat >"$SQLSMITH_WORK/in-cluster.sh" <<'INNER'
set -euo pipefail
cd "$SQLSMITH_REPO"
psql -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE smith" >/dev/null
export PGDATABASE=smith
PGOPTIONS="-c client_min_messages=warning" psql -qX -v ON_ERROR_STOP=1 \
	-c "CREATE EXTENSION survey_reg" -f data/sample_survey.sql >/dev/null
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<"SQL"
-- stored states for sqlsmith to pick up as columns
CREATE TABLE office_states AS
SELECT office_id,
	survey_reg.moments(ARRAY[individualisering, styring_a, styring_b, alder],
		ARRAY['individualisering', 'styring_a', 'styring_b', 'alder']) AS m,
	survey_reg.moments(ARRAY[belast_tid, belast_krav, belast_stor]) AS items,
	survey_reg.moments(ARRAY[ratio, effektiv], NULL, weight) AS weighted
FROM sample_survey GROUP BY office_id;
CREATE TABLE names (name text);
INSERT INTO names VALUES ('individualisering'), ('styring_a'), ('alder'), ('x1'), ('x2'),
	('sample_survey'), ('office_states'), ('public.sample_survey'), ('"Quoted"'), ('a, b');

-- scalar wrappers around the set-returning functions (sqlsmith skips SRFs)
CREATE SCHEMA smith_wrap;
CREATE FUNCTION smith_wrap.describe(m survey_reg.moments) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.describe(m) d $$;
CREATE FUNCTION smith_wrap.correlations(m survey_reg.moments) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.correlations(m) d $$;
CREATE FUNCTION smith_wrap.reliability(m survey_reg.moments) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.reliability(m) d $$;
CREATE FUNCTION smith_wrap.item_total(m survey_reg.moments) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.item_total(m) d $$;
CREATE FUNCTION smith_wrap.coefficients(m survey_reg.moments, dep text, blocks text[], icpt bool) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.coefficients(m, dep, blocks, icpt) d $$;
CREATE FUNCTION smith_wrap.model_summary(m survey_reg.moments, dep text, blocks text[], icpt bool) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.model_summary(m, dep, blocks, icpt) d $$;
CREATE FUNCTION smith_wrap.describe_table(src text, vars text[], missing text, weight text) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.describe(src, vars, missing, weight) d $$;
CREATE FUNCTION smith_wrap.correlations_table(src text, vars text[], missing text, weight text) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.correlations(src, vars, missing, weight) d $$;
CREATE FUNCTION smith_wrap.reliability_table(src text, items text[], weight text) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.reliability(src, items, weight) d $$;
CREATE FUNCTION smith_wrap.item_total_table(src text, items text[], weight text) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.item_total(src, items, weight) d $$;
CREATE FUNCTION smith_wrap.coefficients_table(src text, dep text, blocks text[], weight text, icpt bool) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.coefficients(src, dep, blocks, weight, icpt) d $$;
CREATE FUNCTION smith_wrap.model_summary_table(src text, dep text, blocks text[], weight text, icpt bool) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(d::text, '; ') FROM survey_reg.model_summary(src, dep, blocks, weight, icpt) d $$;
CREATE FUNCTION smith_wrap.moments_from_text(t text) RETURNS survey_reg.moments LANGUAGE sql
	AS $$ SELECT t::survey_reg.moments $$;
CREATE FUNCTION smith_wrap.moments_to_text(m survey_reg.moments) RETURNS text LANGUAGE sql
	AS $$ SELECT m::text $$;

-- the role sqlsmith runs as, and the catalog it sees
CREATE ROLE smith LOGIN;
GRANT USAGE ON SCHEMA survey_reg, smith_wrap TO smith;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO smith;
CREATE SCHEMA smith_catalog;
GRANT USAGE ON SCHEMA smith_catalog TO smith;
CREATE VIEW smith_catalog.pg_proc AS
SELECT * FROM pg_catalog.pg_proc
WHERE pronamespace IN ('survey_reg'::regnamespace, 'smith_wrap'::regnamespace)
   OR (pronamespace = 'pg_catalog'::regnamespace
       AND proname IN ('array_append', 'array_prepend', 'array_cat', 'array_fill',
                       'string_to_array', 'array_agg', 'float8', 'text', 'random',
                       'sum', 'count', 'avg', 'max', 'min', 'concat', 'quote_ident'));
GRANT SELECT ON smith_catalog.pg_proc TO smith;
ALTER ROLE smith SET search_path = smith_catalog, pg_catalog, public;
-- long cross joins are stopped; a timeout is a clean 57014
ALTER ROLE smith SET statement_timeout = '2s';
SQL
psql -qX -v ON_ERROR_STOP=1 -c "ALTER ROLE smith PASSWORD '$PGPASSWORD'" >/dev/null

status=0
# rounds of sqlsmith (it stops on a lost connection; a crash must not
# hide the rest), each with its own seed, until enough queries reached
# survey_reg
reached=0
total=0
round=0
while [ "$reached" -lt "$SQLSMITH_TARGET" ] && [ "$round" -lt 200 ]; do
	round=$((round + 1))
	timeout 900 sqlsmith --target="host=$PGHOST port=$PGPORT dbname=smith user=smith password=$PGPASSWORD" \
		--seed=$((${SQLSMITH_SEED_BASE:-0} + round)) --exclude-catalog --dump-all-queries \
		--max-queries=$(( (SQLSMITH_TARGET - reached) * 13 / 10 + 100 )) \
		>"$SQLSMITH_WORK/queries.$round.sql" 2>"$SQLSMITH_WORK/sqlsmith.$round.log" || true
	counts=$(awk -v RS=";\n" "NF { t++; if (/survey_reg\\.|smith_wrap\\./) r++ } END { print t + 0, r + 0 }" \
		"$SQLSMITH_WORK/queries.$round.sql")
	total=$((total + ${counts% *}))
	reached=$((reached + ${counts#* }))
	echo "round $round: $counts (total $total, reaching survey_reg $reached)"
	gzip -f "$SQLSMITH_WORK/queries.$round.sql"
done
echo "$total $reached" >"$SQLSMITH_WORK/counts"
INNER

mkdir -p "$SQLSMITH_WORK/reports"
chmod 777 "$SQLSMITH_WORK/reports"
if [ -z "${SQLSMITH_SANITIZED:-}" ]; then
	# the cluster logs every error with its SQLSTATE to a file of ours
	PGPORT=${SQLSMITH_PORT:-55470} pg_virtualenv -t -v 15 \
		-o logging_collector=on -o "log_directory=$SQLSMITH_WORK" -o log_filename=server.log \
		-o "log_line_prefix=%m [%p] %e " -o log_min_messages=warning \
		-o log_min_error_statement=panic -o max_parallel_workers_per_gather=2 \
		bash "$SQLSMITH_WORK/in-cluster.sh"
else
	# the same against the ASan + UBSan build of tools/sanitize.sh
	source tools/sanitize.sh
	san=$SQLSMITH_WORK/san
	mkdir -p "$san/run"
	san_copy_tree "$SQLSMITH_REPO" "$san/tree"
	san_private_install "$san/root"
	san_patch_server "$san/root"
	san_build "$san/tree" "$san/root" \
		"-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
	SAN_SERVER_ENV=(
		"LD_PRELOAD=$(gcc -print-file-name=libasan.so)"
		"ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$SQLSMITH_WORK/reports/asan:disable_coredump=1"
		"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$SQLSMITH_WORK/reports/ubsan"
	)
	SAN_EXTRA_CONF=(
		"logging_collector = on" "log_directory = '$SQLSMITH_WORK'" "log_filename = 'server.log'"
		"log_line_prefix = '%m [%p] %e '" "log_min_error_statement = panic"
	)
	san_start "$san/root" "$san/run/data" "${SQLSMITH_PORT:-55471}" "$san/stderr.log"
	trap 'san_stop "$san/root" "$san/run/data"' EXIT
	PGHOST=$san/run PGPORT=${SQLSMITH_PORT:-55471} PGUSER=postgres PGDATABASE=postgres \
		PGPASSWORD=unused bash "$SQLSMITH_WORK/in-cluster.sh"
	san_stop "$san/root" "$san/run/data"
	trap - EXIT
fi

log=$SQLSMITH_WORK/server.log
read -r total reached <"$SQLSMITH_WORK/counts"
crashes=$(grep -cE 'terminated by signal|was terminated|PANIC' "$log" || true)
errors=$(grep -cE ' ERROR: ' "$log" || true)
internal=$(grep -cE '\] XX[0-9A-Z]{3} +ERROR:' "$log" || true)
echo "sqlsmith: $total queries generated, $reached reached survey_reg; server log $log"
echo "errors by SQLSTATE:"
grep -oE '\] [0-9A-Z]{5} +ERROR:' "$log" | awk '{print $2}' | sort | uniq -c | sort -rn | head -n 25 || true
echo "errors naming survey_reg (most frequent messages):"
grep -E ' ERROR: ' "$log" | sed -E 's/^.*ERROR: +//' | sed -E 's/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -n 25 || true
passed=0
failed=0
if [ "$reached" -ge "$target" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: only $reached queries reached survey_reg"; fi
if [ "$crashes" -eq 0 ]; then passed=$((passed + 1)); echo "backend crashes: 0"; else failed=$((failed + 1)); echo "FAILED: $crashes crash lines in the server log"; grep -E 'terminated by signal|was terminated|PANIC' "$log" | head; fi
reports=$(ls "$SQLSMITH_WORK/reports" | wc -l)
if [ "$reports" -eq 0 ]; then passed=$((passed + 1)); echo "sanitizer reports: 0${SQLSMITH_SANITIZED:+ (ASan + UBSan build)}"; else failed=$((failed + 1)); echo "FAILED: $reports sanitizer reports"; head -n 40 "$SQLSMITH_WORK"/reports/*; fi
if [ "$internal" -eq 0 ]; then passed=$((passed + 1)); echo "internal errors (XX...): 0 of $errors errors"; else failed=$((failed + 1)); echo "FAILED: $internal internal errors (class XX) of $errors"; grep -E '\] XX[0-9A-Z]{3} +ERROR:' "$log" | head; fi
echo "sqlsmith: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
