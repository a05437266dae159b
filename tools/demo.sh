#!/usr/bin/env bash
# The demo: build, install, load the (synthetic) sample survey into a
# throwaway cluster and run demo/*.sql in order.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/setup.sh
pg_virtualenv -t -v 15 -c "-p $(free_port)" bash -c '
	set -e
	PGOPTIONS="-c client_min_messages=warning" psql -q -X -v ON_ERROR_STOP=1 -c "CREATE EXTENSION survey_reg" -f data/sample_survey.sql
	for f in demo/*.sql; do
		psql -q -X -v ON_ERROR_STOP=1 -P pager=off -f "$f"
	done'
