#!/usr/bin/env bash
# Every test: build, install, then in a throwaway cluster the pure-C core
# tests, the pg_regress suite (sql/, expected/) and the pgTAP suites (test/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/setup.sh

# pure-C numeric core, outside any backend
if [ -f test/core/Makefile ]; then
	make -s -C test/core check NIST_DIR="$(cd .. && pwd)/shared/reference/nist"
fi

# -t keeps the cluster's files in a temporary directory, so an interrupted
# run leaves nothing behind that could break the next one.
pg_virtualenv -t -v 15 -o max_parallel_workers_per_gather=2 bash tools/in-cluster-tests.sh
