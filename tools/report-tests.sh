#!/usr/bin/env bash
# The report outside SQL: rendered by a browser, scheduled by pg_cron.
#
#   1. The demo (demo/50_report.sql) writes the HTML report of the SYNTHETIC
#      sample survey; headless Chromium renders it and
#      tools/report_render_check.py checks the element boxes and the pixels
#      (bars sized in proportion, every table present and sized).
#   2. The README's pg_cron example runs as it stands; the same job command
#      is scheduled every minute and pg_cron must insert a report row
#      (bounded wait); the row's HTML is rendered and checked like the demo's,
#      and the BI view is read.
#   3. Layout (issue 14), on both reports: row labels on one line with their
#      row numbers, captions on at most two lines and as wide as the table
#      or 500 px, "(N = ...)" unbroken, the N row's numbers aligned with
#      their column, every table inside its section; read from the element
#      boxes and from a full-page screenshot.  Negative control: each
#      report with the layout fixes undone (--degrade) must fail them.
#
# Needs its own throwaway cluster, because pg_cron must be in
# shared_preload_libraries: run it after tools/in-cluster-tests.sh, not
# inside it (tools/test.sh).  Standalone: bash tools/report-tests.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${1:-}" != "--in-cluster" ]; then
	pgv=${SURVEY_REG_PG:-15}
	EXTRA_PACKAGES="chromium postgresql-$pgv-cron fonts-dejavu-core" source tools/setup.sh
	for p in chromium postgresql-$pgv-cron; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
			echo "report-tests: $p is not installed (tools/setup.sh should have installed it)" >&2
			exit 1
		}
	done
	# jobs run in background workers: no connection, so no password needed
	exec pg_virtualenv -t -v "$pgv" -c "-p $(free_port)" -o shared_preload_libraries=pg_cron \
		-o cron.database_name=survey_reg_cron -o cron.use_background_workers=on \
		-o max_worker_processes=16 bash tools/report-tests.sh --in-cluster
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PGDATABASE=survey_reg_cron
psql -q -X -d postgres -c "CREATE DATABASE survey_reg_cron"
PGOPTIONS="-c client_min_messages=warning" psql -q -X -v ON_ERROR_STOP=1 \
	-c "CREATE EXTENSION survey_reg" -f data/sample_survey.sql

echo "== pg_cron: the README's example, then its job command every minute"
awk '/<!-- report-cron-example:begin -->/ {f = 1; next}
	/<!-- report-cron-example:end -->/ {f = 0}
	f && /^```/ {c = !c; next}
	f && c' README.md > "$work/cron_example.sql"
[ -s "$work/cron_example.sql" ] || { echo "no pg_cron example in README.md" >&2; exit 1; }
psql -q -X -v ON_ERROR_STOP=1 -f "$work/cron_example.sql" >/dev/null
test_job=$(psql -X -At -v ON_ERROR_STOP=1 -c "
	SELECT cron.schedule('survey-report-test', '* * * * *', command)
	FROM cron.job WHERE jobname = 'survey-report-weekly'")
echo "scheduled job $test_job at $(date -u +%H:%M:%S) UTC; pg_cron starts it at the next minute"

echo "== Chromium: the demo's report (Norwegian, decimal comma)"
mkdir -p "$work/demo/out"
(cd "$work" && psql -q -X -v ON_ERROR_STOP=1 -P pager=off \
	-f "$OLDPWD/demo/50_report.sql" >/dev/null)
test -s "$work/demo/out/survey_report.html"
passed=0
failed=0
count() { # exit status of a check
	if [ "$1" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
rc=0
python3 tools/report_render_check.py "$work/demo/out/survey_report.html" --bars 5 \
	--tables table-descriptives:12,table-reliability:3,table-survey-means:9,table-regression:17,table-logistic:19,table-correlations:11 \
	|| rc=1
count $rc
# negative control: the same report with the layout fixes undone (issue 14)
# must fail the layout checks that the old layout failed here
echo "== Chromium: negative control, the demo's report with the old layout"
rc=0
python3 tools/report_render_check.py "$work/demo/out/survey_report.html" --bars 5 \
	--tables table-descriptives:12,table-reliability:3,table-survey-means:9,table-regression:17,table-logistic:19,table-correlations:11 \
	--degrade --expect-layout-failures "caption lines,caption width,N row" || rc=1
count $rc

echo "== pg_cron: waiting for the job's row"
rows=0
for _ in $(seq 1 75); do
	rows=$(psql -X -At -c "SELECT count(*) FROM survey_reports")
	[ "$rows" -gt 0 ] && break
	sleep 2
done
psql -X -P pager=off -c "
	SELECT jobid, status, return_message, end_time - start_time AS took
	FROM cron.job_run_details WHERE jobid = $test_job ORDER BY runid"
check() { # description, SQL returning true
	if [ "$(psql -X -At -c "$2")" = "t" ]; then echo "ok      $1"; count 0; else echo "FAILED  $1"; count 1; fi
}
check "pg_cron inserted a report row" "SELECT count(*) >= 1 FROM survey_reports"
check "the run is recorded as succeeded" "
	SELECT bool_and(status = 'succeeded') AND count(*) >= 1
	FROM cron.job_run_details WHERE jobid = $test_job AND status <> 'running'"
check "the row holds a whole HTML report with the SVG figure" "
	SELECT html LIKE '<!DOCTYPE html>%</html>' || E'\n' AND html LIKE '%<svg%'
		AND html LIKE '%SYNTHETIC%' AND length(html) > 10000
	FROM survey_reports ORDER BY report_id LIMIT 1"
check "the BI view has a row per model and term (3 models, 18 terms)" "
	SELECT count(*) = 18 AND count(DISTINCT model) = 3 AND bool_and(n = 1178)
	FROM survey_report_coefficients
	WHERE report_id = (SELECT min(report_id) FROM survey_reports)"
psql -X -P pager=off -c "
	SELECT model_name, term, round(beta::numeric, 3) AS beta, stars, round(adj_r2::numeric, 3) AS adj_r2
	FROM survey_report_coefficients
	WHERE report_id = (SELECT min(report_id) FROM survey_reports) AND model = 3"
psql -q -X -c "SELECT cron.unschedule(jobid) FROM cron.job" >/dev/null

if [ "$rows" -gt 0 ]; then
	echo "== Chromium: the report pg_cron wrote"
	psql -X -At -c "SELECT html FROM survey_reports ORDER BY report_id LIMIT 1" > "$work/cron_report.html"
	rc=0
	python3 tools/report_render_check.py "$work/cron_report.html" --bars 5 \
		--tables table-descriptives:11,table-reliability:3,table-regression:17,table-correlations:11 \
		|| rc=1
	count $rc
	echo "== Chromium: negative control, pg_cron's English report with the old layout"
	rc=0
	python3 tools/report_render_check.py "$work/cron_report.html" --bars 5 \
		--tables table-descriptives:11,table-reliability:3,table-regression:17,table-correlations:11 \
		--degrade --expect-layout-failures "label,width,caption width,N =,N row" || rc=1
	count $rc
else
	count 1 # no row: the rendering of pg_cron's report could not be checked
	count 1 # nor its negative control
fi

echo "report tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
