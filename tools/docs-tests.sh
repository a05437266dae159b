#!/usr/bin/env bash
# Runs inside pg_virtualenv: the README's examples (tools/readme-test.py)
# and the long forms through ODBC (tools/odbc-test.sh), on the sample survey
# after the README's setup (data/sample_survey.sql, demo/readme_setup.sql).
# SURVEY_REG_SUITES="readme odbc" (default both); each closes with its
# count line, read by tools/verdict.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
suites=${SURVEY_REG_SUITES:-readme odbc}
export PGDATABASE=survey_reg_docs
psql -q -X -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS survey_reg_docs" \
	-c "CREATE DATABASE survey_reg_docs"
PGOPTIONS="-c client_min_messages=warning" psql -q -X -v ON_ERROR_STOP=1 \
	-f data/sample_survey.sql -f demo/readme_setup.sql > /dev/null
status=0
if [[ " $suites " == *" readme "* ]]; then
	python3 tools/readme-test.py || status=1
fi
if [[ " $suites " == *" odbc "* ]]; then
	bash tools/odbc-test.sh || status=1
fi
exit $status
