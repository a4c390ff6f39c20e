#!/usr/bin/env bash
# tools/test.sh - the test command: install what is missing, run every test, count the results.
#
# 1. Installs the Debian packages in tools/debian-packages.txt that are not installed.
# 2. Runs `bazel test //...` (host unit tests, guest suites under KVM, benchmark quick modes)
#    and `bazel test --config=asan //tests/mm/...` (the hosted mm tests under ASan + UBSan).
# 3. Counts every GoogleTest case of both runs from Bazel's own results (tools/test_summary.py)
#    and ends with the line "N passed, N failed". Exit status 0 only if nothing failed.
set -u
cd "$(dirname "$0")/.."

missing=()
while read -r pkg _; do
	case "$pkg" in "" | "#"*) continue ;; esac
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$pkg")
done <tools/debian-packages.txt
if [ ${#missing[@]} -gt 0 ]; then
	echo "test.sh: installing Debian packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y "${missing[@]}" >/tmp/gmm-apt.log 2>&1 ||
		{ apt-get update >>/tmp/gmm-apt.log 2>&1 && apt-get install -y "${missing[@]}" >>/tmp/gmm-apt.log 2>&1; } ||
		{ echo "test.sh: apt-get install failed, see /tmp/gmm-apt.log"; tail -5 /tmp/gmm-apt.log; echo "0 passed, 1 failed"; exit 1; }
fi

out=$(mktemp -d /tmp/gmm-test.XXXXXX)
bazel test --keep_going --build_event_json_file="$out/default.json" //...
bazel test --keep_going --config=asan --build_event_json_file="$out/asan.json" //tests/mm/...
python3 tools/test_summary.py "$out/default.json" "$out/asan.json"
