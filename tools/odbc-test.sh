#!/usr/bin/env bash
# The long forms through a real ODBC client (issue 14, item 4).  Runs inside
# pg_virtualenv (PGHOST, PGPORT, PGUSER, PGPASSWORD set) after
# data/sample_survey.sql and demo/readme_setup.sql, as tools/docs-tests.sh
# runs it.  Configures a DSN for psqlODBC (Debian odbc-postgresql) under
# unixODBC, once with the Unicode and once with the ANSI driver, and runs
# every formatted table's long form through tools/odbc_columns.c (a
# 100-line ODBC client: SQLDescribeCol, SQLColAttribute, SQLGetData).
#
# A long form passes when every column ODBC reports is a scalar SQL type
# (SQL_INTEGER, SQL_DOUBLE/SQL_FLOAT, SQL_VARCHAR/SQL_LONGVARCHAR or their W
# forms), no driver type name is an array type (_text) or "unknown" (what
# psqlODBC 13 reports for text[], as SQL_VARCHAR), no value
# reads as an array literal "{...}", and it has rows.  Negative control:
# the same check on the array form (regression_table, cells text[]) must
# fail; it is counted as a test.  Last line: "odbc: N passed, M failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -Wall -Wextra -Werror -o "$tmp/odbc_columns" tools/odbc_columns.c -lodbc

# a user DSN file of its own; the drivers are the ones odbc-postgresql
# registered in /etc/odbcinst.ini
for driver in Unicode ANSI; do
	cat >> "$tmp/odbc.ini" <<INI
[survey_reg_$driver]
Driver = PostgreSQL $driver
Servername = ${PGHOST:-localhost}
Port = ${PGPORT:-5432}
Database = ${PGDATABASE:-postgres}
Username = ${PGUSER:-postgres}
Password = ${PGPASSWORD:-}

INI
done
export ODBCINI=$tmp/odbc.ini

# an exact fit, so that a table shows Infinity (t and F of a residual SS 0)
psql -q -X -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS odbc_exact" \
	-c "CREATE TABLE odbc_exact AS SELECT g::float8 AS x, 2 * g::float8 + 1 AS y FROM generate_series(1, 10) g" \
	-c "CREATE OR REPLACE VIEW odbc_enig AS SELECT *, effektiv >= 3 AS enig FROM analysis"

blocks="ARRAY['styring', 'arbeidsbelastning, ratio, kontorstorrelse, tilsettingsforhold', 'effektiv, tiltakskunnskap, kjonn, alder']"
queries=(
	"regression_table (table)|SELECT * FROM survey_reg.regression_table_long('analysis', 'individualisering', $blocks)"
	"regression_table (state)|SELECT l.* FROM article_matrix a, survey_reg.regression_table_long(a.m, 'individualisering', $blocks, decimal_mark => ',', leading_zero => false) l"
	"correlation_table (table)|SELECT * FROM survey_reg.correlation_table_long('analysis', ARRAY['individualisering', 'styring', 'arbeidsbelastning', 'alder'])"
	"correlation_table (state)|SELECT l.* FROM article_matrix a, survey_reg.correlation_table_long(a.m, numbered => true) l"
	"descriptives_table (table)|SELECT * FROM survey_reg.descriptives_table_long('analysis', ARRAY['individualisering', 'styring', 'kjonn', 'alder'], dummies => ARRAY['kjonn=0'])"
	"descriptives_table (state)|SELECT l.* FROM article_matrix a, survey_reg.descriptives_table_long(a.m) l"
	"reliability_table|SELECT * FROM survey_reg.reliability_table_long('survey_analysis', ARRAY['styring', 'arbeidsbelastning'], ARRAY['styring_a, styring_b', 'belast_tid_r, belast_krav_r, belast_stor'])"
	"frequency_table|SELECT * FROM survey_reg.frequency_table_long('survey_analysis', 'individualisering')"
	"frequency_chart|SELECT * FROM survey_reg.frequency_chart_long('survey_analysis', 'individualisering')"
	"logistic_table|SELECT * FROM survey_reg.logistic_table_long('odbc_enig', 'enig', ARRAY['styring, arbeidsbelastning', 'kjonn, alder'])"
	"regression_table, exact fit (Infinity)|SELECT * FROM survey_reg.regression_table_long('odbc_exact', 'y', ARRAY['x'], statistic => 'b', summary => ARRAY['n', 'r2', 'f'])"
)
# the negative control: the array form
control="regression_table (array form)|SELECT * FROM survey_reg.regression_table('analysis', 'individualisering', $blocks)"

# check OUT: why it fails, or nothing
check() {
	awk -F'\t' '
		$1 == "column" {
			ok = $3 ~ /^SQL_(INTEGER|SMALLINT|BIGINT|DOUBLE|FLOAT|REAL|VARCHAR|LONGVARCHAR|WVARCHAR|WLONGVARCHAR)$/
			if (!ok) printf "column %s is %s (%s)\n", $2, $3, $5
			else if ($5 ~ /^_/ || $5 == "unknown") printf "column %s is not a scalar type (driver type name %s, reported as %s)\n", $2, $5, $3
		}
		$1 == "rows" && $2 == 0 { print "no rows" }
		$1 == "array_literals" && $2 > 0 { printf "%d values read as array literals\n", $2 }' "$1"
}

passed=0 failed=0
for driver in Unicode ANSI; do
	for q in "${queries[@]}" "$control"; do
		name=${q%%|*} sql=${q#*|}
		out=$tmp/out
		if ! "$tmp/odbc_columns" "DSN=survey_reg_$driver" "$sql" > "$out" 2> "$tmp/err"; then
			echo "FAILED: $driver: $name: the ODBC client failed: $(cat "$tmp/err")"
			failed=$((failed + 1))
			continue
		fi
		why=$(check "$out")
		types=$(awk -F'\t' '$1 == "column" { printf "%s%s %s", sep, $2, $3; sep = ", " }' "$out")
		if [ "$q" = "$control" ]; then
			if [ -n "$why" ]; then
				echo "ok: $driver: negative control $name fails the check: $(echo "$why" | head -n 1)"
				passed=$((passed + 1))
			else
				echo "FAILED: $driver: negative control $name passes the check ($types)"
				failed=$((failed + 1))
			fi
			continue
		fi
		if [ -z "$why" ]; then
			echo "ok: $driver: $name: $(awk '$1 == "rows" { print $2 }' "$out") rows; $types"
			passed=$((passed + 1))
		else
			echo "FAILED: $driver: $name: $why"
			failed=$((failed + 1))
		fi
		# how non-finite values arrive: the exact fit's t and F
		if [[ $name == *Infinity* ]]; then
			inf=$(awk -F'\t' '$1 == "row" && $9 ~ /inf/ { printf "%s %s = %s (cell %s); ", $5, $8, $9, $11 }' "$out")
			if [ -n "$inf" ]; then
				echo "ok: $driver: Infinity arrives as SQL_C_DOUBLE inf: $inf"
				passed=$((passed + 1))
			else
				echo "FAILED: $driver: no Infinity value arrived as a double"
				awk -F'\t' '$1 == "row"' "$out" | head -n 20
				failed=$((failed + 1))
			fi
		fi
	done
done
echo "odbc: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
