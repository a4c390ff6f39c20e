#!/usr/bin/env bash
# tools/test.sh - the test command: install what is missing, run every test, count the results.
#
# 1. Installs the Debian packages in tools/debian-packages.txt that are not installed
#    (tools/install-packages.sh).
# 2. Runs `bazel test --config=asan //tests/mm/... //tests/vmm/... //tests/e2e:boot_test` (the
#    hosted mm tests, libgmm and its device models, and the gmm binary, under ASan + UBSan) and
#    then `bazel test //...` (host unit tests, guest suites under KVM, benchmark quick modes).
#    The default configuration runs last on purpose: Bazel points the bazel-bin symlink at the
#    configuration of the last command, so afterwards the README's bazel-bin/vmm/gmm and
#    bazel-bin/guests/selftest.elf exist (both are in //...), at no extra build.
# 3. Counts every GoogleTest case of both runs from Bazel's own results (tools/test_summary.py):
#    prints each failing case with its test.log, each skipped case with its reason, and ends
#    with the line "N passed, N failed". Exit status 0 only if nothing failed.
#
# Bazel's own output goes to files in a fresh directory under /tmp whose path is printed; this
# script prints one line per step.
set -u
cd "$(dirname "$0")/.."

echo "test.sh: checking the Debian packages of tools/debian-packages.txt"
tools/install-packages.sh || { echo "0 passed, 1 failed"; exit 1; }

out=$(mktemp -d /tmp/gmm-test.XXXXXX)
echo "test.sh: bazel logs and build events in $out"

# phase NAME DESCRIPTION BAZEL-ARGS...: one bazel test run, its output in $out/NAME.log
phase() {
	local name=$1 what=$2 start=$SECONDS rc
	shift 2
	echo "test.sh: $what: bazel test $* (log: $out/$name.log)"
	bazel test --keep_going --build_event_json_file="$out/$name.json" "$@" >"$out/$name.log" 2>&1
	rc=$?
	echo "test.sh: $what: bazel exit status $rc after $((SECONDS - start)) s"
}

phase asan "[1/2] ASan + UBSan" --config=asan //tests/mm/... //tests/vmm/... //tests/e2e:boot_test
phase default "[2/2] every test" //...
python3 tools/test_summary.py "$out/asan.json" "$out/default.json"
