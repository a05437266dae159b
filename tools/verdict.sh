# The test runner's counts and its one verdict line; sourced by tools/test.sh
# (and by any lane that reports into the same verdict).
#
# Every suite adds one line "suite passed failed" to the file named by
# $SURVEY_REG_RESULTS; the runner's last line is their sum, in the form CI
# reads:
#
#     survey_reg: N passed, M failed
#
# and the runner exits non-zero whenever M > 0.  A lane adds its counts by
#
#     verdict_run NAME command args...     # runs it; counts from its output
#     verdict_record NAME PASSED FAILED    # counts it computed itself
#
# verdict_run takes every line of the command's output that reads
# "[label: ]N passed, M failed" as one suite's counts (the label names the
# suite, else NAME), so a command prints one such line per part and no
# total.  A command that exits non-zero without a failure in its counts
# counts as 1 failed (it broke before it could say so); one that exits 0
# without any count line counts as 1 passed, unless it printed
# "[label: ]skipped (why)" (an optional lane that could not run): then it is
# listed as skipped and counts nothing.

verdict_init() {
	SURVEY_REG_RESULTS=$(mktemp)
	export SURVEY_REG_RESULTS
	verdict_done=
}

verdict_record() { # suite passed failed
	printf '%s\t%d\t%d\n' "$1" "$2" "$3" >> "$SURVEY_REG_RESULTS"
}

verdict_run() { # name command...; always returns 0 (the verdict says it)
	local name=$1 log rc=0 counts failed skipped
	shift
	log=$(mktemp)
	{ "$@" 2>&1 | tee "$log"; } || rc=$?
	counts=$(sed -nE 's/^(([A-Za-z][A-Za-z0-9_. -]*): )?([0-9]+) passed, ([0-9]+) failed(\.| \([^)]*\))?$/\2\t\3\t\4/p' "$log" \
		| awk -F'\t' -v name="$name" '{ printf "%s\t%d\t%d\n", ($1 == "" ? name : $1), $2, $3 }')
	skipped=$(grep -E '^([A-Za-z][A-Za-z0-9_. -]*: )?skipped( \(.*\))?$' "$log" || true)
	rm -f "$log"
	[ -n "$counts" ] && printf '%s\n' "$counts" >> "$SURVEY_REG_RESULTS"
	failed=$(printf '%s\n' "$counts" | awk -F'\t' '{ f += $3 } END { print f + 0 }')
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		verdict_record "$name (exit status $rc)" 0 1
	elif [ "$rc" -eq 0 ] && [ -z "$counts" ] && [ -n "$skipped" ]; then
		verdict_record "$name (skipped)" 0 0 # an optional lane: nothing ran
	elif [ "$rc" -eq 0 ] && [ -z "$counts" ]; then
		verdict_record "$name" 1 0
	fi
	return 0
}

verdict_final() { # [exit status of the runner]; prints the table and the verdict, returns 1 on failure
	local rc=${1:-0} passed failed skips
	[ -n "${verdict_done:-}" ] && return 0
	verdict_done=1
	# a runner that stopped on an error before its last suite
	[ "$rc" -ne 0 ] && verdict_record "runner (stopped with exit status $rc)" 0 1
	echo
	echo "== verdict (suite, passed, failed)"
	awk -F'\t' '{ printf "%-40s %6d %6d%s\n", $1, $2, $3, ($3 > 0 ? "   FAILED" : "") }' "$SURVEY_REG_RESULTS"
	[ -n "${verdict_not_run:-}" ] && echo "not run (SURVEY_REG_SUITES):$verdict_not_run"
	passed=$(awk -F'\t' '{ s += $2 } END { print s + 0 }' "$SURVEY_REG_RESULTS")
	failed=$(awk -F'\t' '{ s += $3 } END { print s + 0 }' "$SURVEY_REG_RESULTS")
	[ -s "$SURVEY_REG_RESULTS" ] || failed=1 # no suite ran: nothing was shown
	skips=$(awk -F'\t' '$1 ~ / \(skipped\)$/ { sub(/ \(skipped\)$/, "", $1); printf "%s%s", (n++ ? ", " : ""), $1 }' "$SURVEY_REG_RESULTS")
	rm -f "$SURVEY_REG_RESULTS"
	echo "survey_reg: $passed passed, $failed failed${skips:+ (skipped: $skips)}"
	[ "$failed" -eq 0 ]
}

# SURVEY_REG_SUITES (blank-separated, default: every suite) runs a subset,
# e.g. for tools/mutate.sh; the suites left out are named above the verdict.
suite_wanted() { # suite
	if [ -z "${SURVEY_REG_SUITES:-}" ] || [[ " $SURVEY_REG_SUITES " == *" $1 "* ]]; then
		return 0
	fi
	verdict_not_run="${verdict_not_run:-} $1"
	return 1
}
