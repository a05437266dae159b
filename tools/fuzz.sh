#!/usr/bin/env bash
# libFuzzer campaigns over the moments state's text and binary input and the
# pure-C numeric core (fuzz/README.md).  One harness at a time, niced.
#
#   bash tools/fuzz.sh              20 s per harness (the test command's run)
#   bash tools/fuzz.sh 600          10 minutes per harness (the campaign)
#   bash tools/fuzz.sh 600 core     one harness
#
# Needs clang and libFuzzer (Debian: clang libclang-rt-dev, the default
# version's runtime on every release), the server headers
# (postgresql-server-dev-NN) and r-mathlib.  Builds into fuzz/out/
# (not committed); the working corpus grows in fuzz/out/corpus/<harness>,
# seeded from the committed fuzz/corpus/<harness>.  A crash, sanitizer
# report, leak, hang (> 10 s per input) or failed invariant fails the run and
# leaves the input in fuzz/out/crashes/.  Closing line: "fuzz: N passed, M
# failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EXTRA_PACKAGES="${EXTRA_PACKAGES:-} clang libclang-rt-dev" source tools/setup.sh

seconds=${1:-20}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(text binary core)

# under tools/test.sh (SURVEY_REG_COPT set) a compiler warning fails the build
make -s -C fuzz all ${SURVEY_REG_COPT:+FUZZ_WERROR=-Werror} >/dev/null
mkdir -p fuzz/out/crashes fuzz/out/logs

passed=0
failed=0
for h in "${harnesses[@]}"; do
	mkdir -p "fuzz/out/corpus/$h"
	log="fuzz/out/logs/$h.log"
	start=$(date +%s)
	rc=0
	# -timeout: an input running longer than 10 s is a hang; the outer
	# timeout is a backstop for the whole run
	timeout --signal=KILL $((seconds + 120)) \
		nice -n 10 "fuzz/out/fuzz_$h" \
		-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="fuzz/out/crashes/$h-" \
		"fuzz/out/corpus/$h" "fuzz/corpus/$h" >"$log" 2>&1 || rc=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	corpus=$(ls "fuzz/out/corpus/$h" | wc -l)
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "fuzz_$h: ok, ${execs:-?} executions in $((end - start)) s, corpus $corpus"
	else
		failed=$((failed + 1))
		echo "fuzz_$h: FAILED (exit $rc) after $((end - start)) s; log $log"
		grep -E 'ERROR|invariant|runtime error|SUMMARY|Test unit written' "$log" | head -n 20 || true
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
