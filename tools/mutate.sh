#!/usr/bin/env bash
# Mutation check: would the test command notice if the numbers drifted?
#
#   bash tools/mutate.sh             every mutant (~15 minutes on 2 cores)
#   bash tools/mutate.sh NAME ...    the named mutants only
#
# Not part of tools/test.sh (CI); run it before a release.  Each mutant is
# one small change to the numeric core (or, for the last three, to a test
# input or the runner's inputs), applied in a scratch copy of the tracked
# files under /tmp (never the working tree); in that copy the test command
# runs the suites that should catch it (SURVEY_REG_SUITES).  A mutant is
# killed when the test command exits non-zero AND its last line reports a
# failure ("survey_reg: N passed, M failed", M > 0); it survived otherwise.
# The unmutated copy runs first and must pass.  Closing line: "mutate: N
# killed, M survived" (exit 1 if any survived, any mutation no longer
# applies, or the unmutated copy fails).
#
# The copies are built first, outside the lock; then the script takes
# /tmp/survey_reg-pg15.lock once for all the test runs (each installs into
# the shared PostgreSQL 15; queueing for the lock per mutant took longer
# than the runs on a busy machine) and leaves the unmutated build
# installed.
#
# A mutation is a literal text that must occur exactly once in its file,
# and its replacement, so a change to the code that moves the text makes
# the mutant fail loudly instead of testing nothing.  After such a change,
# edit the mutant below.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
lock=/tmp/survey_reg-pg15.lock

# name | file | suites | text | replacement
mutants=$(cat <<'EOF'
ols_se_5e-11|src/core/ols_core.c|core tap|? safe_sqrt(dd_to_double(dd_mul(s2, dd_scale2(inv, scale[a] * scale[a]))))|? (1.0 + 5e-11) * safe_sqrt(dd_to_double(dd_mul(s2, dd_scale2(inv, scale[a] * scale[a]))))
intercept_se_1e-11|src/core/ols_core.c|core tap|term->se = df.hi > 0.0 ? safe_sqrt(dd_to_double(dd_mul(s2, v))) : NAN;|term->se = df.hi > 0.0 ? (1.0 + 1e-11) * safe_sqrt(dd_to_double(dd_mul(s2, v))) : NAN;
robust_se_5e-9|src/core/robust_core.c|tap|out->se[t] = v.hi >= 0.0 ? sqrt(dd_to_double(v)) : NAN;|out->se[t] = v.hi >= 0.0 ? (1.0 + 5e-9) * sqrt(dd_to_double(v)) : NAN;
sign_swap_intercept_variance|src/core/robust_core.c|tap|v = dd_add(dd_sub(v, dd_mul_d(cross, 2.0)), quad);|v = dd_add(dd_add(v, dd_mul_d(cross, 2.0)), quad);
design_df_off_by_one|src/core/robust_core.c|tap|df = res->degf - p + 1.0;|df = res->degf - p;
dropped_weight_shape|src/core/moments_core.c|core tap|double		wd2 = w * d2;|double		wd2 = d2;
quantile_1e-9|src/regression.c|regress tap|qt(0.5 + CI_LEVEL / 2, df, 1, 0)|qt(0.5 + CI_LEVEL / 2 + 1e-9, df, 1, 0)
broken_expected|expected/moments.out|regress|1.58113883008419|1.58113883008418
dropped_pg_dump|test/persistence.sql|tap|%s/pg_dump -Fc|%s/pg_dump_dropped -Fc
failing_report_test|tools/report-tests.sh|report|"pg_cron inserted a report row" "SELECT count(*) >= 1 FROM survey_reports"|"pg_cron inserted a report row" "SELECT count(*) >= 100 FROM survey_reports"
EOF
)

wanted=("$@")
broken=0
scratch=$(mktemp -d /tmp/survey_reg-mutate.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
start=$(date +%s)

# the tracked files as they are in the working tree
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$scratch" --one-top-level=base

apply() { # dir file text replacement
	python3 - "$@" <<'PY'
import sys
d, f, old, new = sys.argv[1:5]
p = f"{d}/{f}"
s = open(p).read()
n = s.count(old)
if n != 1:
	sys.exit(f"mutation no longer applies: {f} holds the text {n} times, not once: {old!r}")
open(p, "w").write(s.replace(old, new))
PY
}

build() { # dir log: compile the extension and the core drivers (make
	# rebuilds only what a mutation touched in a copy of a built tree)
	(cd "$1" && make -s PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config &&
		make -s -C test/core all) >> "$2" 2>&1 || true
}

run() { # dir suites log; echoes "rc|last line"; the caller holds the lock
	local rc=0
	(cd "$1" && SURVEY_REG_SUITES="$2" bash tools/test.sh) >> "$3" 2>&1 || rc=$?
	echo "$rc|$(tail -n 1 "$3")"
}

build "$scratch/base" "$scratch/base.log"
declare -a names suites_of
while IFS='|' read -r name file suites text replacement; do
	if [ ${#wanted[@]} -gt 0 ] && [[ " ${wanted[*]} " != *" $name "* ]]; then
		continue
	fi
	cp -a "$scratch/base" "$scratch/$name"
	if apply "$scratch/$name" "$file" "$text" "$replacement"; then
		build "$scratch/$name" "$scratch/$name.log"
		names+=("$name")
		suites_of+=("$suites")
	else
		broken=$((broken + 1))
		rm -rf "$scratch/${name:?}"
	fi
done <<<"$mutants"
echo "built the unmutated copy and ${#names[@]} mutants in $(($(date +%s) - start)) s; waiting for the lock"

exec 9>>"$lock"
flock 9
echo "lock held from $(date -u +%T) UTC"
echo "== the unmutated copy (core regress tap)"
IFS='|' read -r rc last <<<"$(run "$scratch/base" "core regress tap" "$scratch/base.log")"
echo "   exit $rc, last line: $last"
if [ "$rc" -ne 0 ]; then
	tail -n 30 "$scratch/base.log"
	echo "mutate: the unmutated copy fails; nothing to learn from mutants"
	exit 1
fi

killed=0
survived=0
for i in "${!names[@]}"; do
	name=${names[$i]}
	t0=$(date +%s)
	IFS='|' read -r rc last <<<"$(run "$scratch/$name" "${suites_of[$i]}" "$scratch/$name.log")"
	if [ "$rc" -ne 0 ] && [[ "$last" =~ ^survey_reg:\ [0-9]+\ passed,\ [1-9][0-9]*\ failed(\ \(.*\))?$ ]]; then
		verdict=killed
		killed=$((killed + 1))
	else
		verdict=SURVIVED
		survived=$((survived + 1))
	fi
	printf '%-30s %-9s %4ds  exit %s, last line: %s\n' "$name" "$verdict" \
		$(($(date +%s) - t0)) "$rc" "$last"
	# the suites that failed, from the runner's table
	sed -n '/^== verdict/,$p' "$scratch/$name.log" | grep 'FAILED$' | sed 's/^/    /' || true
	# and which pgTAP files and core checks
	grep -E '\(Wstat: |^FAIL |^not ok: ' "$scratch/$name.log" | head -n 8 | sed 's/^/      /' || true
	rm -rf "${scratch:?}/$name"
done

# leave the shared server with the unmutated build
(cd "$scratch/base" && make -s PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config install >/dev/null)
flock -u 9

echo "mutate: $((($(date +%s) - start) / 60)) min $((($(date +%s) - start) % 60)) s"
[ $broken -eq 0 ] || echo "mutate: $broken mutation(s) no longer apply (edit tools/mutate.sh)"
echo "mutate: $killed killed, $survived survived"
[ $survived -eq 0 ] && [ $broken -eq 0 ]
