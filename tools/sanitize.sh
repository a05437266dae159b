#!/usr/bin/env bash
# The whole test suite with survey_reg built with AddressSanitizer and
# UndefinedBehaviorSanitizer (gcc), loaded into a PostgreSQL 15 server that
# runs with the ASan runtime preloaded (doc/HARDENING.md).
#
#   bash tools/sanitize.sh            core C tests, pg_regress and pgTAP
#
# Nothing outside a temporary directory is touched: the tree is copied, the
# extension is built there and installed (DESTDIR) into a private, relocated
# copy of the PostgreSQL installation (binaries copied, everything else
# linked to the system's), so the system's survey_reg and other engineers'
# builds and clusters stay as they are.  Any sanitizer report fails the run
# (reports are logged to files and a UBSan error also aborts the backend).
# Closing line: "sanitize: N passed, M failed" (suites).
#
# Also a library: tools/valgrind.sh sources it for the private install and
# the throwaway server (functions san_*).
set -euo pipefail

SAN_PGVER=15
SAN_SYS_BIN=/usr/lib/postgresql/$SAN_PGVER/bin
SAN_SYS_LIB=/usr/lib/postgresql/$SAN_PGVER/lib
SAN_SYS_SHARE=/usr/share/postgresql/$SAN_PGVER

# san_copy_tree SRC DEST: the working tree without build products or git
san_copy_tree() {
	mkdir -p "$2"
	tar -C "$1" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
		--exclude=results_dir --exclude=fuzz/out --exclude=bench/out -cf - . \
		| tar -C "$2" -xf -
}

# san_private_install ROOT: a relocated PostgreSQL installation under ROOT
# whose lib and share/extension directories are real (survey_reg goes there)
san_private_install() {
	local root=$1 f
	local bin=$root$SAN_SYS_BIN lib=$root$SAN_SYS_LIB share=$root$SAN_SYS_SHARE
	mkdir -p "$bin" "$lib" "$share/extension"
	# binaries are copied: PostgreSQL finds its lib and share directories
	# relative to the executable's real path
	cp -a "$SAN_SYS_BIN"/. "$bin"/
	for f in "$SAN_SYS_LIB"/*; do
		case $(basename "$f") in survey_reg*) continue ;; esac
		ln -s "$f" "$lib/"
	done
	for f in "$SAN_SYS_SHARE"/*; do
		[ "$(basename "$f")" = extension ] && continue
		ln -s "$f" "$share/"
	done
	for f in "$SAN_SYS_SHARE"/extension/*; do
		case $(basename "$f") in survey_reg*) continue ;; esac
		ln -s "$f" "$share/extension/"
	done
	[ "$("$bin/pg_config" --pkglibdir)" = "$lib" ] || {
		echo "private install: relocation failed" >&2
		return 1
	}
}

# san_patch_server ROOT: make the private postgres binary start with the
# ASan runtime preloaded.  Debian's postgres links libsystemd (which loads
# libgcrypt) and libldap (gnutls, p11-kit); their library constructors run
# before ASan's and call into glibc's locale/gettext code, which then
# deadlocks (_nl_state_lock / __libc_setlocale_lock) as soon as the
# ASan-preloaded program calls textdomain() or setlocale().  The private
# copy gets stubs for the two (sd_notify and LDAP authentication are not
# used by the tests); the system's binaries are not touched.  Needs patchelf.
san_patch_server() {
	local root=$1 bin=$1$SAN_SYS_BIN stub=$1/stubs s
	mkdir -p "$stub"
	{
		echo "/* LDAP authentication is unavailable in this test server */"
		for s in $(nm -D --undefined-only "$bin/postgres" | sed -n 's/.* U \(ldap_[a-z0-9_]*\)@OPENLDAP.*/\1/p'); do
			echo "int $s(void) { return -1; }"
		done
	} >"$stub/ldap.c"
	echo 'OPENLDAP_2.5 { global: *; };' >"$stub/ldap.map"
	echo 'int sd_notify(int unset_environment, const char *state) { return 0; }' >"$stub/sd.c"
	echo 'LIBSYSTEMD_209 { global: *; };' >"$stub/sd.map"
	gcc -shared -fPIC -o "$stub/libsurvey_reg_ldapstub.so" "$stub/ldap.c" -Wl,--version-script="$stub/ldap.map"
	gcc -shared -fPIC -o "$stub/libsurvey_reg_sdstub.so" "$stub/sd.c" -Wl,--version-script="$stub/sd.map"
	patchelf --replace-needed libldap-2.5.so.0 "$stub/libsurvey_reg_ldapstub.so" "$bin/postgres"
	patchelf --replace-needed libsystemd.so.0 "$stub/libsurvey_reg_sdstub.so" "$bin/postgres"
}

# san_build TREE ROOT "COPT": build and install the extension of TREE into ROOT
san_build() {
	local tree=$1 root=$2 copt=$3
	make -s -C "$tree" PG_CONFIG="$SAN_SYS_BIN/pg_config" with_llvm=no clean >/dev/null
	make -s -C "$tree" PG_CONFIG="$SAN_SYS_BIN/pg_config" with_llvm=no COPT="$copt" >/dev/null
	make -s -C "$tree" PG_CONFIG="$SAN_SYS_BIN/pg_config" with_llvm=no COPT="$copt" \
		DESTDIR="$root" install >/dev/null
}

# san_start ROOT DATADIR PORT LOGFILE [postgres command prefix...]: initdb
# and start a server from ROOT as user postgres, sockets in DATADIR/..;
# extra environment for the server comes from SAN_SERVER_ENV (an array of
# VAR=value), extra postgresql.conf lines from SAN_EXTRA_CONF (an array)
san_start() {
	local root=$1 data=$2 port=$3 log=$4
	shift 4
	local bin=$root$SAN_SYS_BIN sock
	sock=$(dirname "$data")
	chown postgres:postgres "$sock"
	su postgres -c "'$bin/initdb' -D '$data' -A trust -U postgres --no-sync" >/dev/null
	cat >>"$data/postgresql.conf" <<-EOF
		port = $port
		listen_addresses = ''
		unix_socket_directories = '$sock'
		max_parallel_workers_per_gather = 2
		fsync = off
		logging_collector = off
		log_min_messages = warning
		shared_buffers = 128MB
	EOF
	# callers' settings last (later lines win)
	printf '%s\n' "${SAN_EXTRA_CONF[@]:-}" >>"$data/postgresql.conf"
	# the server is started directly (not pg_ctl) so that a prefix such as
	# valgrind can wrap it; it stays in the background
	su postgres -s /bin/bash -c "cd '$sock' && exec env ${SAN_SERVER_ENV[*]:-} $* '$bin/postgres' -D '$data'" \
		>"$log" 2>&1 &
	SAN_SERVER_PID=$!
	local i
	for i in $(seq 1 "${SAN_START_WAIT:-60}"); do
		if "$bin/pg_isready" -q -h "$sock" -p "$port"; then
			return 0
		fi
		sleep 1
	done
	echo "server did not start; log:" >&2
	tail -n 50 "$log" >&2
	return 1
}

san_stop() {
	local root=$1 data=$2
	su postgres -c "'$root$SAN_SYS_BIN/pg_ctl' -D '$data' -m fast -w -t 120 stop" >/dev/null 2>&1 \
		|| kill "${SAN_SERVER_PID:-0}" 2>/dev/null || true
	wait "${SAN_SERVER_PID:-0}" 2>/dev/null || true
}

san_main() {
	cd "$(dirname "${BASH_SOURCE[0]}")/.."
	EXTRA_PACKAGES="${EXTRA_PACKAGES:-} patchelf" source tools/setup.sh
	local repo=$PWD
	local work=${SAN_WORK:-$(mktemp -d /tmp/survey_reg_sanitize.XXXXXX)}
	local tree=$work/tree root=$work/root data=$work/run/data
	local port=${SAN_PORT:-55460}
	local libasan
	libasan=$(gcc -print-file-name=libasan.so)
	# gcc: ASan + UBSan; UBSan errors abort (a crash the tests see) and
	# are logged; float division by zero is not UB here (IEEE NaN/Inf)
	local copt="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
	local passed=0 failed=0 status

	echo "sanitize: working in $work"
	# mktemp makes it 0700: the server runs as postgres, from $work/root
	chmod 755 "$work"
	mkdir -p "$work/run" "$work/reports"
	chown postgres:postgres "$work/reports"
	san_copy_tree "$repo" "$tree"
	san_private_install "$root"
	san_patch_server "$root"
	san_build "$tree" "$root" "$copt"
	case $(nm -D "$root$SAN_SYS_LIB/survey_reg.so") in
		*__asan_init*) ;;
		*) echo "the extension is not instrumented" >&2; return 1 ;;
	esac

	# 1. the pure-C core tests, instrumented the same way (no server)
	status=0
	if [ -f "$tree/test/core/Makefile" ]; then
		# LeakSanitizer on (the drivers free what they allocate)
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			make -s -C "$tree/test/core" clean check \
			CFLAGS="-O1 -g -std=gnu99 -ffp-contract=off -fno-fast-math $copt" \
			>"$work/core.log" 2>&1 || status=$?
		if [ $status -eq 0 ]; then passed=$((passed + 1)); echo "core tests: ok";
		else failed=$((failed + 1)); echo "core tests: FAILED"; tail -n 30 "$work/core.log"; fi
	fi

	# 2. the server with the ASan runtime preloaded
	SAN_SERVER_ENV=(
		"LD_PRELOAD=$libasan"
		"ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$work/reports/asan:disable_coredump=1"
		"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$work/reports/ubsan"
	)
	san_start "$root" "$data" "$port" "$work/server.log"
	trap 'san_stop "$root" "$data"' EXIT
	export PGHOST=$work/run PGPORT=$port PGUSER=postgres PGDATABASE=postgres
	# a sanitized server is slower: latency bars are scaled (test/limits.sql)
	export PGOPTIONS="-c survey_reg_test.slow_factor=${SAN_SLOW_FACTOR:-5}"

	status=0
	make -s -C "$tree" PG_CONFIG="$SAN_SYS_BIN/pg_config" with_llvm=no installcheck \
		>"$work/regress.log" 2>&1 || status=$?
	if [ $status -eq 0 ]; then passed=$((passed + 1)); echo "pg_regress: ok ($(grep -c '^ok\|^test .* ok' "$work/regress.log" || true) tests)";
	else failed=$((failed + 1)); echo "pg_regress: FAILED"; tail -n 30 "$work/regress.log";
		[ -f "$tree/results_dir/regression.diffs" ] && head -n 80 "$tree/results_dir/regression.diffs"; fi

	status=0
	psql -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE survey_reg_tap" >/dev/null
	psql -qX -v ON_ERROR_STOP=1 -d survey_reg_tap -c "CREATE EXTENSION pgtap" \
		-c "CREATE EXTENSION survey_reg" >/dev/null
	(cd "$tree" && PGDATABASE=survey_reg_tap pg_prove --ext .sql test/) >"$work/pgtap.log" 2>&1 || status=$?
	if [ $status -eq 0 ]; then passed=$((passed + 1)); echo "pgTAP: ok ($(grep -E '^Files=' "$work/pgtap.log"))";
	else failed=$((failed + 1)); echo "pgTAP: FAILED"; grep -vE '^\s*$' "$work/pgtap.log" | tail -n 40; fi

	san_stop "$root" "$data"
	trap - EXIT

	# 3. any sanitizer report, crash or abort is a failure
	local reports
	reports=$(ls "$work/reports" | wc -l)
	if [ "$reports" -gt 0 ] || grep -qE 'AddressSanitizer|runtime error|terminated by signal|was terminated' "$work/server.log"; then
		failed=$((failed + 1))
		echo "sanitizer reports: $reports file(s) in $work/reports"
		head -n 60 "$work"/reports/* 2>/dev/null || true
		grep -E 'AddressSanitizer|runtime error|terminated by signal|was terminated' "$work/server.log" | head -n 20
	else
		passed=$((passed + 1))
		echo "sanitizer reports: none (server log and $work/reports)"
	fi
	echo "sanitize: $passed passed, $failed failed"
	[ "${SAN_KEEP:-}" ] || [ "$failed" -gt 0 ] || rm -rf "$work"
	[ "$failed" -eq 0 ]
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	san_main "$@"
fi
