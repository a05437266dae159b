#!/usr/bin/env bash
# The symbol-clash test (tools/symbol-clash.sh) on the built survey_reg.so
# against this major's server, and its negative control: the same tree
# built with RMATH_LINK=direct (libRmath linked, in the global scope behind
# the executable, as before issue 12) must be reported.  Run by
# tools/test.sh after the build.  Closing line: "clash tests: ...".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pgv=${SURVEY_REG_PG:-15}
server=/usr/lib/postgresql/$pgv/bin/postgres
pg_config=/usr/lib/postgresql/$pgv/bin/pg_config

status=0
bash tools/symbol-clash.sh "$server" survey_reg.so --deep libRmath.so.1 || status=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
	--exclude=results_dir --exclude=fuzz/out -cf - src Makefile survey_reg.control updates \
	| tar -C "$work" -xf -
make -s -C "$work" PG_CONFIG="$pg_config" RMATH_LINK=direct >"$work/build.log" 2>&1 \
	|| { cat "$work/build.log"; echo "clash tests: FAILED (the clashing build did not build)"; exit 1; }
rc=0
bash tools/symbol-clash.sh "$server" "$work/survey_reg.so" >"$work/control.log" 2>&1 || rc=$?
# 1 is "clashes found"; anything else is the check itself failing
if [ $rc -eq 1 ] && grep -q '^CLASH .*libRmath' "$work/control.log"; then
	echo "negative control (libRmath linked): reported as it must be:"
	sed 's/^/  /' "$work/control.log"
else
	echo "negative control: the build with libRmath linked was NOT reported (exit $rc)"
	cat "$work/control.log"
	status=1
fi
if [ $status -eq 0 ]; then echo "clash tests: passed"; else echo "clash tests: FAILED"; fi
exit $status
