#!/usr/bin/env bash
# Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER set): pg_regress, then
# pg_prove, each whatever the other did, each closing with its count line
# "pg_regress: N passed, M failed" / "pgtap: N passed, M failed" (read by
# tools/verdict.sh).  SURVEY_REG_SUITES="regress tap" (default both).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PG_CONFIG=/usr/lib/postgresql/${SURVEY_REG_PG:-15}/bin/pg_config
suites=${SURVEY_REG_SUITES:-regress tap}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

if [[ " $suites " == *" regress "* ]]; then
	rc=0
	{ make -s installcheck PG_CONFIG="$PG_CONFIG" 2>&1 | tee "$log"; } || rc=$?
	if [ $rc -ne 0 ]; then
		for d in results_dir output_iso; do
			[ ! -f "$d/regression.diffs" ] || head -n 200 "$d/regression.diffs"
		done
	fi
	# pg_regress (sql/) and then the isolation specs (specs/) each close
	# with "All 6 tests passed." / "1 of 6 tests failed." ("# " before it
	# on 16+): their sum
	total=$(sed -nE 's/^[# ]*All ([0-9]+) tests passed.*/\1/p; s/^[# ]*[0-9]+ of ([0-9]+) tests failed.*/\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
	failed=$(sed -nE 's/^[# ]*([0-9]+) of [0-9]+ tests failed.*/\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
	# a failure pg_regress did not count (no server, no install, ...)
	[ $rc -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
	echo "pg_regress: $(( ${total:-0} > failed ? ${total:-0} - failed : 0 )) passed, $failed failed"
	[ $rc -eq 0 ] || status=1
fi

if [[ " $suites " == *" tap "* ]]; then
	rc=0
	{ psql -q -X -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS survey_reg_tap" \
		-c "CREATE DATABASE survey_reg_tap" &&
	  psql -q -X -v ON_ERROR_STOP=1 -d survey_reg_tap \
		-c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION survey_reg" &&
	  PGDATABASE=survey_reg_tap pg_prove --ext .sql test/ 2>&1 | tee "$log"; } || rc=$?
	# pg_prove's summary: "Files=16, Tests=363, ..." and, per file with a
	# problem, "(Wstat: W Tests: T Failed: F)"; a file that failed without
	# a failed test (bad plan, died) counts 1
	tests=$(sed -nE 's/^Files=[0-9]+, Tests=([0-9]+),.*/\1/p' "$log" | tail -n 1)
	failed=$(sed -nE 's/.*\(Wstat: [0-9]+ Tests: [0-9]+ Failed: ([0-9]+)\).*/\1/p' "$log" \
		| awk '{ f += ($1 > 0 ? $1 : 1) } END { print f + 0 }')
	[ $rc -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
	echo "pgtap: $(( ${tests:-0} > failed ? ${tests:-0} - failed : 0 )) passed, $failed failed"
	[ $rc -eq 0 ] || status=1
fi
exit $status
