#!/usr/bin/env bash
# tools/test.sh - the test command: install what is missing, run every test, count the results.
#
# 1. Installs the Debian packages in tools/debian-packages.txt that are not installed
#    (tools/install-packages.sh).
# 2. Runs `bazel test //...` (host unit tests, guest suites under KVM, benchmark quick modes)
#    and `bazel test --config=asan //tests/mm/... //tests/vmm/... //tests/e2e:boot_test` (the
#    hosted mm tests, libgmm and its device models, and the gmm binary, under ASan + UBSan).
# 3. Counts every GoogleTest case of both runs from Bazel's own results (tools/test_summary.py)
#    and ends with the line "N passed, N failed". Exit status 0 only if nothing failed.
set -u
cd "$(dirname "$0")/.."

tools/install-packages.sh || { echo "0 passed, 1 failed"; exit 1; }

out=$(mktemp -d /tmp/gmm-test.XXXXXX)
bazel test --keep_going --build_event_json_file="$out/default.json" //...
bazel test --keep_going --config=asan --build_event_json_file="$out/asan.json" \
	//tests/mm/... //tests/vmm/... //tests/e2e:boot_test
python3 tools/test_summary.py "$out/default.json" "$out/asan.json"
