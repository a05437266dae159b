#!/usr/bin/env bash
# Two paired measurements in one run (bench/README.md, "Citus"):
#
#  1. release vs this tree, local tables: the table-name model_summary at
#     1M and 5M rows on two single-node servers started side by side, one
#     with the survey_reg of BASE (default e8a2c9c, the 0.1.1 code before
#     the Citus work), one with this tree's; the same data (setseed), the
#     queries interleaved round by round.
#  2. Citus: a coordinator and two workers (this tree's survey_reg, 32
#     shards, hash by id), each analysis of the distributed table against
#     the same analysis of a local copy on the coordinator, interleaved.
#
#   bash bench/citus.sh            (as root; ROUNDS=9 by default)
#
# Each server is a copy of the system PostgreSQL 15 (relocated under a
# temporary directory, so the shared installation is not touched), run as
# the postgres OS user on ports from BENCH_PORT (default 55420); all are
# stopped and removed at the end.  Needs Citus in the system PostgreSQL
# (tools/citus-test.sh installs it).  Prints medians and, per pair, the
# median over rounds of the within-round ratio; the raw times go to
# bench/out/citus.tsv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BASE=${BASE:-e8a2c9c}
ROUNDS=${ROUNDS:-9}
SIZES=${SIZES:-"1 5"}
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
port0=${BENCH_PORT:-55420}
[ -f "$($PG_CONFIG --pkglibdir)/citus.so" ] || { echo "bench/citus.sh: Citus is not installed" >&2; exit 1; }

work=$(mktemp -d /var/tmp/survey_reg-bench.XXXXXX)
chown postgres "$work"
mkdir -p bench/out
OUT=bench/out/citus.tsv
: > "$OUT"
servers=()
cleanup() {
	local d
	for d in "${servers[@]}"; do
		runuser -u postgres -- "${d%%|*}/bin/pg_ctl" -D "${d#*|}" -m immediate stop >/dev/null 2>&1 || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

# a relocated copy of the system PostgreSQL with the survey_reg built in $2
pg_copy() {
	local dest=$1 src=$2
	mkdir -p "$dest/usr/lib/postgresql" "$dest/usr/share/postgresql"
	cp -a /usr/lib/postgresql/15 "$dest/usr/lib/postgresql/"
	cp -a /usr/share/postgresql/15 "$dest/usr/share/postgresql/"
	make -s -C "$src" PG_CONFIG=$PG_CONFIG install DESTDIR="$dest" >/dev/null
}
echo "== building survey_reg at $BASE and at this tree"
mkdir -p "$work/src-base"
git archive "$BASE" | tar -x -C "$work/src-base"
make -s -C "$work/src-base" PG_CONFIG=$PG_CONFIG >/dev/null 2>&1
make -s PG_CONFIG=$PG_CONFIG >/dev/null
pg_copy "$work/pg-base" "$work/src-base"
pg_copy "$work/pg-tree" .
bin_base=$work/pg-base/usr/lib/postgresql/15/bin
bin_tree=$work/pg-tree/usr/lib/postgresql/15/bin

# start name bindir port [extra settings]
start() {
	local name=$1 bin=$2 port=$3 d=$work/$1
	shift 3
	runuser -u postgres -- "$bin/initdb" -D "$d" -A trust -U postgres --no-sync >/dev/null
	printf '%s\n' "port = $port" "listen_addresses = '127.0.0.1'" \
		"unix_socket_directories = '$work'" "jit = off" "fsync = off" \
		"max_parallel_workers_per_gather = 0" "work_mem = 64MB" "$@" >>"$d/postgresql.conf"
	runuser -u postgres -- "$bin/pg_ctl" -D "$d" -l "$work/$name.log" -w start >/dev/null
	servers+=("$(dirname "$bin")|$d")
	psql -X -q -h "$work" -p "$port" -U postgres -d postgres -c "CREATE DATABASE bench"
}
q() { local port=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U postgres -d bench "$@"; }

p_base=$port0 p_tree=$((port0 + 1)) p_coord=$((port0 + 2)) p_w1=$((port0 + 3)) p_w2=$((port0 + 4))
start base "$bin_base" $p_base "shared_buffers = 2GB"
start tree "$bin_tree" $p_tree "shared_buffers = 2GB"
for n in coord w1 w2; do
	eval p=\$p_$n
	start $n "$bin_tree" "$p" "shared_preload_libraries = 'citus'" "shared_buffers = 1GB" \
		"max_connections = 100"
	q "$p" -c "CREATE EXTENSION citus"
done
q $p_coord -c "SELECT citus_set_coordinator_host('127.0.0.1', $p_coord)" \
	-c "SELECT citus_add_node('127.0.0.1', $p_w1)" -c "SELECT citus_add_node('127.0.0.1', $p_w2)" >/dev/null
for p in $p_base $p_tree $p_coord; do q "$p" -c "CREATE EXTENSION survey_reg"; done

# the same rows everywhere: 10 predictors and y, as bench/in-cluster.sh, and
# 108 offices (clusters)
table_sql() { # name rows
	local sel="" ysum="" i
	for ((i = 1; i <= 10; i++)); do sel+="random() * 4 AS c$i, "; ysum+=" + 0.$((i % 9 + 1)) * c$i"; done
	echo "SELECT setseed(0.42); CREATE UNLOGGED TABLE $1 AS SELECT s.*, 1.0 $ysum + random() * 2 AS y
		FROM (SELECT g AS id, g % 108 AS office, ${sel%, } FROM generate_series(1, $2) g) s"
}

# time one query: milliseconds
t1() { q "$1" -c '\timing on' -c "$2" | grep -oP 'Time: \K[0-9.]+' | tail -n 1; }

# pairs label size (nameA portA queryA nameB portB queryB)...: ROUNDS rounds,
# A then B then A... alternating which goes first
pairs() {
	local label=$1 size=$2 r ta tb
	shift 2
	q "$2" -c "$3" >/dev/null; q "$5" -c "$6" >/dev/null	# warm up
	for ((r = 0; r < ROUNDS; r++)); do
		if ((r % 2 == 0)); then ta=$(t1 "$2" "$3"); tb=$(t1 "$5" "$6")
		else tb=$(t1 "$5" "$6"); ta=$(t1 "$2" "$3"); fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "${size}M" "$1" "$ta" "$4" "$tb" >> "$OUT"
	done
}

blocks="ARRAY['c1, c2, c3', 'c4, c5, c6', 'c7, c8, c9, c10']"
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M) UTC"
for size in $SIZES; do
	rows=$((size * 1000000))
	echo "== ${size}M rows: building the tables"
	for p in $p_base $p_tree $p_coord; do q "$p" -c "$(table_sql t $rows)" -c "VACUUM ANALYZE t" >/dev/null; done
	q $p_coord -c "SET citus.shard_count = 32" -c "CREATE TABLE td (LIKE t)" \
		-c "SELECT create_distributed_table('td', 'id')" -c "INSERT INTO td SELECT * FROM t" \
		-c "VACUUM ANALYZE td" >/dev/null
	ms="SELECT count(*) FROM survey_reg.model_summary('%s', 'y', $blocks)"
	echo "== ${size}M rows: release vs tree"
	pairs "model_summary(table)" "$size" base $p_base "$(printf "$ms" t)" tree $p_tree "$(printf "$ms" t)"
	echo "== ${size}M rows: Citus vs local"
	dis="SET citus.coordinator_aggregation_strategy = 'disabled'; "
	for spec in "model_summary(table)|$ms" \
		"describe(table)|SELECT count(*) FROM survey_reg.describe('%s', ARRAY['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10', 'y'])" \
		"coefficients(table, se cluster)|SELECT count(*) FROM survey_reg.coefficients('%s', 'y', $blocks, se => 'cluster', cluster => 'office')" \
		"moments(ARRAY[...])|SELECT survey_reg.moments(ARRAY[c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, y]) IS NOT NULL FROM %s"; do
		label=${spec%%|*} sql=${spec#*|}
		pairs "$label" "$size" local $p_coord "$dis$(printf "$sql" t)" citus $p_coord "$dis$(printf "$sql" td)"
	done
	for p in $p_base $p_tree $p_coord; do q "$p" -c "DROP TABLE t" >/dev/null; done
	q $p_coord -c "DROP TABLE td" >/dev/null
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M) UTC"

# medians, and the median over rounds of B / A within the round
python3 - "$OUT" <<'PY'
import sys, statistics as st
from collections import OrderedDict
g = OrderedDict()
for line in open(sys.argv[1]):
    label, size, a, ta, b, tb = line.rstrip('\n').split('\t')
    g.setdefault((label, size, a, b), []).append((float(ta), float(tb)))
print(f"{'case':34} {'rows':>4}  {'A':>6} {'median ms':>10}  {'B':>6} {'median ms':>10}  {'B/A':>6}")
for (label, size, a, b), v in g.items():
    print(f"{label:34} {size:>4}  {a:>6} {st.median(x for x, _ in v):10.1f}  {b:>6} "
          f"{st.median(y for _, y in v):10.1f}  {st.median(y / x for x, y in v):6.3f}")
PY
