#!/usr/bin/env bash
# Every test: build, install, then the pure-C core tests and, in a throwaway
# cluster, the pg_regress suite (sql/, expected/) and the pgTAP suites
# (test/), the report tests and the Citus lane (tools/citus-test.sh).  The
# output ends with the runners' verdicts and pg_prove's summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# the report tests render HTML in Chromium and schedule a pg_cron job
EXTRA_PACKAGES="chromium postgresql-15-cron fonts-dejavu-core" source tools/setup.sh

# pure-C numeric core, outside any backend
make -s -C test/core check NIST_DIR="$(cd .. && pwd)/shared/reference/nist"

# a short libFuzzer run of each harness (state text and binary input, the
# numeric core) under ASan + UBSan; the 10-minute campaigns: doc/HARDENING.md
bash tools/fuzz.sh 20

# -t keeps the cluster's files in a temporary directory, so an interrupted
# run leaves nothing behind that could break the next one.
log=$(mktemp)
citus_log=$(mktemp)
trap 'rm -f "$log" "$citus_log"' EXIT
status=0
pg_virtualenv -t -v 15 -c "-p $(free_port)" -o max_parallel_workers_per_gather=2 \
	bash tools/in-cluster-tests.sh 2>&1 | tee "$log" || status=$?

# the HTML report in headless Chromium and the pg_cron job: their own
# cluster, because pg_cron must be preloaded
bash tools/report-tests.sh 2>&1 | tee -a "$log" || status=$?

# the Citus lane: a coordinator and two workers (one line when Citus
# cannot be had); its own log, so that pg_prove's summary below stays the
# core suite's
bash tools/citus-test.sh 2>&1 | tee "$citus_log" || status=$?

# pg_virtualenv speaks last; repeat the test runners' verdicts at the end
echo
grep -E '^ *(All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed)' "$log" | sed 's/^ */pg_regress: /' || true
grep -E '^report tests: ' "$log" || true
grep -E '^citus lane: ' "$citus_log" | tail -n 1 || true
grep -E '^(Files=[0-9]+, Tests=[0-9]+|Result: )' "$log" | tail -n 2
exit $status
