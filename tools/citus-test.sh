#!/usr/bin/env bash
# The Citus lane: a coordinator and two workers on loopback, survey_reg on
# every node, and the pgTAP files of test/citus/ run against the coordinator
# (each compares every analysis of distributed tables with the same analysis
# of a local copy, with citus.coordinator_aggregation_strategy = 'disabled').
#
#   bash tools/citus-test.sh            (tools/test.sh runs it)
#
# Needs survey_reg installed (tools/setup.sh) and Citus: installed in the
# server's lib directory, or built and installed from ../shared/vendor/citus
# when that is there.  Without either it prints one line, "citus lane:
# skipped (...)", and succeeds.  It runs the servers as an unprivileged OS
# user (postgres when started as root), in a temporary directory that is
# removed, servers stopped, however the lane ends.  Its last line is
# "citus lane: N passed, N failed" (or "skipped").  CITUS_TEST_KEEP=1
# leaves the servers running, to look at by hand (stop them yourself).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
bindir=$("$PG_CONFIG" --bindir)
vendor=../shared/vendor/citus
started=$(date +%s)

if [ ! -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ]; then
	if [ ! -f "$vendor/install-citus.sh" ]; then
		echo "citus lane: skipped (Citus is not installed and $vendor is absent)"
		exit 0
	fi
	echo "citus lane: building Citus from $vendor"
	bash "$vendor/install-citus.sh" "$PG_CONFIG"
fi

# the servers' OS user: never root
as_user=()
owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
	owner=postgres
	as_user=(runuser -u postgres --)
fi

# three free TCP ports (from CITUS_TEST_PORT, default 55400)
ports=()
for ((p = ${CITUS_TEST_PORT:-55400}; p < ${CITUS_TEST_PORT:-55400} + 100 && ${#ports[@]} < 3; p++)); do
	(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || ports+=("$p")
done
[ ${#ports[@]} = 3 ] || { echo "citus lane: no three free ports" >&2; exit 1; }

dir=$(mktemp -d /tmp/survey_reg-citus.XXXXXX)
chown "$owner" "$dir"
nodes=(coordinator worker1 worker2)
teardown() {
	local i
	if [ -n "${CITUS_TEST_KEEP:-}" ]; then
		echo "citus lane: servers left running in $dir (CITUS_TEST_KEEP)"
		return
	fi
	for i in 0 1 2; do
		[ -f "$dir/${nodes[$i]}/postmaster.pid" ] \
			&& "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/${nodes[$i]}" -m immediate stop >/dev/null 2>&1
	done
	rm -rf "$dir"
}
trap teardown EXIT

for i in 0 1 2; do
	d="$dir/${nodes[$i]}"
	"${as_user[@]}" "$bindir/initdb" -D "$d" -A trust -U postgres --no-sync >/dev/null
	cat >>"$d/postgresql.conf" <<-EOF
		port = ${ports[$i]}
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$dir'
		shared_preload_libraries = 'citus'
		fsync = off
		max_connections = 60
		max_worker_processes = 16
		shared_buffers = 64MB
	EOF
	"${as_user[@]}" "$bindir/pg_ctl" -D "$d" -l "$dir/${nodes[$i]}.log" -w start >/dev/null
done

# psql and pg_prove run as the caller, through the servers' socket directory
export PGHOST=$dir PGUSER=postgres
sql() { psql -X -q -v ON_ERROR_STOP=1 -p "$1" -d survey_reg_citus "${@:2}"; }
for i in 0 1 2; do
	psql -X -q -v ON_ERROR_STOP=1 -p "${ports[$i]}" -d postgres -c "CREATE DATABASE survey_reg_citus"
	sql "${ports[$i]}" -c "CREATE EXTENSION citus"
done
sql "${ports[0]}" -c "SELECT citus_set_coordinator_host('127.0.0.1', ${ports[0]})" \
	-c "SELECT citus_add_node('127.0.0.1', ${ports[1]})" \
	-c "SELECT citus_add_node('127.0.0.1', ${ports[2]})" >/dev/null
# Citus propagates CREATE EXTENSION to the workers
sql "${ports[0]}" -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION survey_reg"

status=0
tap="$dir/tap.out"
PGPORT="${ports[0]}" PGDATABASE=survey_reg_citus pg_prove --verbose --ext .sql test/citus/ >"$tap" 2>&1 || status=$?
cat "$tap"
if [ $status != 0 ]; then
	for i in 0 1 2; do
		echo "--- ${nodes[$i]}.log (tail)"
		tail -n 20 "$dir/${nodes[$i]}.log"
	done
fi
# failed: every planned test that did not pass (a file that stops early
# has run fewer than it planned)
passed=$(grep -c '^ok ' "$tap" || true)
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | awk '{s += $1} END {print s + 0}')
failed=$((planned > passed ? planned - passed : 0))
[ "$failed" = 0 ] && [ "$planned" -gt 0 ] || status=1
echo "citus lane: $passed passed, $failed failed ($(($(date +%s) - started)) s)"
exit $status
