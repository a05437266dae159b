#!/usr/bin/env bash
# The pg_regress suite (sql/, expected/) with the PostgreSQL server running
# under Valgrind memcheck (doc/HARDENING.md).
#
#   bash tools/valgrind.sh
#
# Like tools/sanitize.sh (whose functions it uses), the tree is copied and
# built (-g, the usual optimization) into a private, relocated PostgreSQL
# installation in a temporary directory; nothing of the system's changes.
# Debian's PostgreSQL is not built with Valgrind support, so memcheck also
# reports a few known patterns inside PostgreSQL itself (uninitialised
# padding written to files and sockets); those are suppressed and, more to
# the point, every error report is attributed: a report with a survey_reg
# frame in its stack fails the run, others are counted and listed.
# Closing line: "valgrind: N passed, M failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=tools/sanitize.sh
EXTRA_PACKAGES="${EXTRA_PACKAGES:-} valgrind" source tools/setup.sh
source tools/sanitize.sh

repo=$PWD
work=${VG_WORK:-$(mktemp -d /tmp/survey_reg_valgrind.XXXXXX)}
chmod 755 "$work"	# mktemp makes it 0700: the server runs as postgres
tree=$work/tree
root=$work/root
data=$work/run/data
port=${VG_PORT:-55480}
passed=0
failed=0

echo "valgrind: working in $work"
mkdir -p "$work/run" "$work/reports"
chown postgres:postgres "$work/reports"
san_copy_tree "$repo" "$tree"
san_private_install "$root"
san_build "$tree" "$root" "-g"

cat >"$work/postgres.supp" <<'EOF'
# PostgreSQL writes structs with uninitialised padding to files, pipes and
# sockets (its own src/tools/valgrind.supp has these too)
{
   padding_write
   Memcheck:Param
   write(buf)
   obj:*
   ...
}
{
   padding_pwrite
   Memcheck:Param
   pwrite64(buf)
   obj:*
   ...
}
{
   padding_send
   Memcheck:Param
   sendto(msg)
   obj:*
   ...
}
{
   padding_send2
   Memcheck:Param
   send(msg)
   obj:*
   ...
}
{
   padding_sync_file_range
   Memcheck:Param
   sync_file_range(offset)
   obj:*
   ...
}
{
   padding_epoll
   Memcheck:Param
   epoll_ctl(event)
   obj:*
   ...
}
{
   padding_socketcall
   Memcheck:Param
   socketcall.sendto(msg)
   obj:*
   ...
}
EOF

# Valgrind 3.19 cannot decode one AVX instruction GCC emits in the batch
# kernel (VEX vmovq xmm, xmm, 0F D6): the server runs the portable kernels,
# which give the same bits (test/core/test_moments_batch.c checks that on
# this CPU; ASan/UBSan in tools/sanitize.sh cover the AVX2 build)
SAN_SERVER_ENV=(SURVEY_REG_PORTABLE_KERNELS=1)
SAN_START_WAIT=600
san_start "$root" "$data" "$port" "$work/server.log" \
	valgrind --tool=memcheck --trace-children=no --leak-check=no --error-limit=no \
	--num-callers=40 --read-var-info=no --suppressions="$work/postgres.supp" \
	--error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \
	--log-file="$work/reports/vg.%p.log"
trap 'san_stop "$root" "$data"' EXIT
export PGHOST=$work/run PGPORT=$port PGUSER=postgres PGDATABASE=postgres

status=0
start=$(date +%s)
make -s -C "$tree" PG_CONFIG="$SAN_SYS_BIN/pg_config" with_llvm=no installcheck \
	>"$work/regress.log" 2>&1 || status=$?
end=$(date +%s)
if [ $status -eq 0 ]; then
	passed=$((passed + 1))
	echo "pg_regress under memcheck: ok in $((end - start)) s: $(grep -cE '^(ok|test) ' "$work/regress.log" || true) tests"
	grep -E '^(ok|test) ' "$work/regress.log" || true
else
	failed=$((failed + 1))
	echo "pg_regress under memcheck: FAILED"
	tail -n 30 "$work/regress.log"
	[ -f "$tree/results_dir/regression.diffs" ] && head -n 80 "$tree/results_dir/regression.diffs"
fi

san_stop "$root" "$data"
trap - EXIT

# every memcheck error report, attributed by whether survey_reg is on its
# stack: a frame in survey_reg.so or in one of its source files (not merely
# the work directory's name, which every frame of the private postgres has)
ours=0
theirs=0
ourframe="survey_reg\\.so|\\(($(cd src && ls *.c core/*.c | sed 's#.*/##; s#\.c$##' | paste -sd'|'))\\.c:"
for f in "$work"/reports/vg.*.log; do
	[ -f "$f" ] || continue
	read -r o t < <(awk -v ourframe="$ourframe" '
		/VALGRINDERROR-BEGIN/ { inside = 1; mine = 0; next }
		/VALGRINDERROR-END/ { if (mine) o++; else t++; inside = 0; next }
		inside && $0 ~ ourframe { mine = 1 }
		END { print o + 0, t + 0 }' "$f")
	ours=$((ours + o))
	theirs=$((theirs + t))
done
processes=$(ls "$work"/reports/vg.*.log 2>/dev/null | wc -l)
if [ "$ours" -eq 0 ]; then
	passed=$((passed + 1))
	echo "memcheck errors with survey_reg on the stack: 0 ($processes processes traced; $theirs other reports in PostgreSQL itself)"
else
	failed=$((failed + 1))
	echo "FAILED: $ours memcheck errors with survey_reg on the stack; reports in $work/reports"
	grep -lE "$ourframe" "$work"/reports/vg.*.log | head -n 3 | xargs -r awk '/VALGRINDERROR-BEGIN/,/VALGRINDERROR-END/' | head -n 80
fi
if [ "$theirs" -gt 0 ]; then
	echo "reports outside survey_reg (first lines):"
	cat "$work"/reports/vg.*.log | awk '/VALGRINDERROR-BEGIN/ { getline; print }' | sort | uniq -c | sort -rn | head -n 10
fi
if grep -qE 'terminated by signal|was terminated' "$work/server.log"; then
	failed=$((failed + 1))
	echo "FAILED: a backend crashed"
	grep -E 'terminated by signal|was terminated' "$work/server.log" | head
fi
echo "valgrind: $passed passed, $failed failed"
[ "${VG_KEEP:-}" ] || [ "$failed" -gt 0 ] || rm -rf "$work"
[ "$failed" -eq 0 ]
