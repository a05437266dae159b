#!/usr/bin/env bash
# Issue 18: robust, cluster and design SEs against the classical fit, one
# paired run (about 5 minutes).  Builds and installs this tree, starts a
# throwaway cluster (pg_virtualenv -t, as bench/run.sh) and runs
# bench/robust-in-cluster.sh: at 1M and 5M rows x 10 predictors, the floor,
# coefficients() classical (and with the design's weights as frequency
# weights: the weighted fit's own cost), se hc1, hc3, cluster (2,000
# clusters) and design
# (2,000 PSUs in 20 strata, probability weights), interleaved round by
# round; ratios to classical are the median over rounds of the ratio within
# a round (bench/ratios.py --base).  Then the backend's peak memory with
# 100,000 clusters.  Output: bench/out/robust.tsv, bench/out/robust.log.
#
#   bash bench/robust.sh              # REPS=7 rounds
#   SIZES="1" bash bench/robust.sh    # 1M rows only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/setup.sh
mkdir -p bench/out
pg_virtualenv -t -v 15 -c "-p $(free_port)" \
	-o shared_buffers=4GB -o jit=off -o max_parallel_workers_per_gather=0 \
	-o work_mem=64MB -o maintenance_work_mem=1GB -o max_wal_size=8GB \
	-o checkpoint_timeout=1h \
	bash bench/robust-in-cluster.sh 2>&1 | tee bench/out/robust.log
