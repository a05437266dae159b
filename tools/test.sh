#!/usr/bin/env bash
# Every test: build, install, then the pure-C core tests, the fuzz runs and,
# in a throwaway cluster, the pg_regress suite (sql/, expected/) and the
# pgTAP suites (test/), then the report tests in a cluster of their own and
# the Citus lane (tools/citus-test.sh).
#
# Verdict (tools/verdict.sh): each suite adds a line "suite passed failed"
# to the results file $SURVEY_REG_RESULTS; the output ends with a table of
# them and ONE line that sums them, "survey_reg: N passed, M failed", and
# the exit status is non-zero whenever M > 0 (a suite that fails without
# counting counts 1 failed; a runner stopped by an error counts 1 more).
# A lane (another PostgreSQL version, Citus, isolation specs) adds its
# counts with `verdict_run NAME command...` (the command prints
# "[label: ]N passed, M failed" lines) or `verdict_record NAME P F`.
# SURVEY_REG_SUITES="core regress tap" runs a subset (tools/mutate.sh); the
# suites left out are named above the verdict line.
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
# a compiler warning fails the build (tools/setup.sh); -Wshadow=compatible-local
# is in the server's own flags from PostgreSQL 16 on: ask for it on 15 too, so
# the first lane already fails what the 18 lane would
export SURVEY_REG_COPT="-Wall -Wextra -Wshadow=compatible-local -Werror"

source tools/verdict.sh
verdict_init
trap 'rc=$?; trap - EXIT; verdict_final $rc || exit 1; exit $rc' EXIT

# the report tests render HTML in Chromium and schedule a pg_cron job
# ... and the long forms go through psqlODBC under unixODBC (tools/odbc-test.sh)
EXTRA_PACKAGES="chromium postgresql-$pg-cron fonts-dejavu-core odbc-postgresql unixodbc unixodbc-dev" source tools/setup.sh

# the README's accuracy tables are the thresholds the tests read
# (test/data/accuracy_claims.csv)
suite_wanted claims && verdict_run "accuracy claims" python3 tools/accuracy_claims.py --check

# pure-C numeric core, outside any backend
suite_wanted core && verdict_run "core" make -s -C test/core check

# no library survey_reg loads binds a call to the server's symbols; the
# deliberately clashing build (libRmath linked) must be caught
suite_wanted clash && verdict_run "symbol clashes" bash tools/clash-tests.sh

# a short libFuzzer run of each harness (state text and binary input, the
# numeric core) under ASan + UBSan; the 10-minute campaigns: doc/HARDENING.md;
# and the deterministic malformed-text harness (100,000 cases, ~10 s)
suite_wanted fuzz && verdict_run "fuzz" bash tools/fuzz.sh 20
suite_wanted fuzz_text && verdict_run "fuzz_moments_text" make -s -C test/core -f fuzz.mk run

# -t keeps the cluster's files in a temporary directory, so an interrupted
# run leaves nothing behind that could break the next one.
in_cluster=
suite_wanted regress && in_cluster+=" regress"
suite_wanted tap && in_cluster+=" tap"
[ -n "$in_cluster" ] && SURVEY_REG_SUITES="$in_cluster" verdict_run "in-cluster tests" \
	pg_virtualenv -t -v "$pg" -c "-p $(free_port)" -o max_parallel_workers_per_gather=2 \
	bash tools/in-cluster-tests.sh

# the README's SQL examples, run and diffed against their printed output
# (tools/readme-test.py), and the long forms through ODBC
# (tools/odbc-test.sh): a cluster with the sample survey and the README's setup
docs=
suite_wanted readme && docs+=" readme"
suite_wanted odbc && docs+=" odbc"
[ -n "$docs" ] && SURVEY_REG_SUITES="$docs" verdict_run "docs tests" \
	pg_virtualenv -t -v "$pg" -c "-p $(free_port)" bash tools/docs-tests.sh

# the HTML report in headless Chromium and the pg_cron job: their own
# cluster, because pg_cron must be preloaded
suite_wanted report && verdict_run "report tests" bash tools/report-tests.sh

# the Citus lane: a coordinator and two workers (one line saying why when
# Citus cannot be had)
suite_wanted citus && verdict_run "citus lane" env PG_CONFIG=/usr/lib/postgresql/$pg/bin/pg_config bash tools/citus-test.sh

exit 0
