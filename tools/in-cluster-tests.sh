#!/usr/bin/env bash
# Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER set): pg_regress, then
# pg_prove, whose summary closes the output.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config

status=0
make -s installcheck PG_CONFIG="$PG_CONFIG" || {
	status=$?
	for d in results_dir output_iso; do
		[ ! -f "$d/regression.diffs" ] || head -n 200 "$d/regression.diffs"
	done
}

psql -q -X -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS survey_reg_tap" -c "CREATE DATABASE survey_reg_tap"
psql -q -X -v ON_ERROR_STOP=1 -d survey_reg_tap \
	-c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION survey_reg"
PGDATABASE=survey_reg_tap pg_prove --ext .sql test/ || status=$?
exit $status
