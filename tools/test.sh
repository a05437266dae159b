#!/usr/bin/env bash
# Every test: build, install, then the pure-C core tests and, in a throwaway
# cluster, the pg_regress suite (sql/, expected/) and the pgTAP suites
# (test/).  The output ends with pg_prove's summary.
#
#   bash tools/test.sh            PostgreSQL 15, on this (Debian 12) system
#   bash tools/test.sh --pg 17    in a Debian trixie chroot (tools/chroot.sh)
#   bash tools/test.sh --pg 18    in a Debian forky chroot
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

pg=15
if [ "${1:-}" = --pg ]; then pg=${2:?--pg needs a major}; shift 2; fi
case $pg in
	15) suite=bookworm ;;
	17) suite=trixie ;;
	18) suite=forky ;;
	*) echo "test.sh: PostgreSQL $pg: no Debian release packages it (15, 17, 18)" >&2; exit 2 ;;
esac
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
if [ "$codename" != "$suite" ]; then
	exec bash tools/chroot.sh "$suite" -- bash tools/test.sh --pg "$pg"
fi
export SURVEY_REG_PG=$pg
# a compiler warning fails the build (tools/setup.sh)
export SURVEY_REG_COPT="-Wall -Wextra -Werror"
# the report tests render HTML in Chromium and schedule a pg_cron job
EXTRA_PACKAGES="chromium postgresql-$pg-cron fonts-dejavu-core" source tools/setup.sh

# pure-C numeric core, outside any backend
make -s -C test/core check

# no library survey_reg loads binds a call to the server's symbols; the
# deliberately clashing build (libRmath linked) must be caught
bash tools/clash-tests.sh

# a short libFuzzer run of each harness (state text and binary input, the
# numeric core) under ASan + UBSan; the 10-minute campaigns: doc/HARDENING.md
bash tools/fuzz.sh 20

# -t keeps the cluster's files in a temporary directory, so an interrupted
# run leaves nothing behind that could break the next one.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
pg_virtualenv -t -v "$pg" -c "-p $(free_port)" -o max_parallel_workers_per_gather=2 \
	bash tools/in-cluster-tests.sh 2>&1 | tee "$log" || status=$?

# the HTML report in headless Chromium and the pg_cron job: their own
# cluster, because pg_cron must be preloaded
bash tools/report-tests.sh 2>&1 | tee -a "$log" || status=$?

# pg_virtualenv speaks last; repeat the test runners' verdicts at the end
echo
grep -E '^[# ]*(All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed)' "$log" | sed 's/^[# ]*/pg_regress: /' || true
grep -E '^report tests: ' "$log" || true
grep -E '^(Files=[0-9]+, Tests=[0-9]+|Result: )' "$log" | tail -n 2
exit $status
