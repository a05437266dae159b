#!/usr/bin/env bash
# survey_reg benchmarks: build the data, run every case, print medians and
# ratios measured in this one run.  See bench/README.md.
#
#   bash bench/run.sh                 # full run (about 30-40 minutes)
#   BENCH_QUICK=1 bash bench/run.sh   # 1M rows only, alternatives at 1M
#
# Installs what it needs (Debian packages), builds and installs the
# extension, and runs in a throwaway cluster (pg_virtualenv -t).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EXTRA_PACKAGES="postgresql-15-plr postgresql-plpython3-15 python3-numpy r-base-core \
	postgresql-contrib time r-cran-data.table" source tools/setup.sh
mkdir -p bench/out
pg_virtualenv -t -v 15 -c "-p $(free_port)" \
	-o shared_buffers=6GB -o jit=off -o max_parallel_workers_per_gather=0 \
	-o max_worker_processes=8 -o max_parallel_workers=4 -o work_mem=64MB \
	-o maintenance_work_mem=1GB -o max_wal_size=8GB -o checkpoint_timeout=1h \
	bash bench/in-cluster.sh 2>&1 | tee bench/out/run.log
