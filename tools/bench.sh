#!/usr/bin/env bash
# tools/bench.sh [--quick] - run every benchmark and print one table of gmm's figures next to
# its peers' (measured in the same run, or published), the targets and whether they are met;
# the table is also written to bench/RESULTS.md.
#
# Installs missing Debian packages (the peers: jemalloc, mimalloc, tcmalloc, QEMU), builds the
# benchmarks, gmm and the guests with Bazel, then runs bench/run.py (arguments go to it: --quick
# for the short variants, --out FILE elsewhere than bench/RESULTS.md). Progress goes to stderr.
# The full run takes about ten minutes here; the exit status is 0 unless a benchmark failed.
set -u
cd "$(dirname "$0")/.."
tools/install-packages.sh || exit 1
bazel build //bench:all //vmm:gmm //guests:selftest \
	//tests/e2e/guests:hello //tests/e2e/guests:hello_page_state \
	>/tmp/gmm-bench-build.log 2>&1 || {
	echo "bench.sh: bazel build failed; the end of /tmp/gmm-bench-build.log:"
	tail -20 /tmp/gmm-bench-build.log
	exit 1
}
exec python3 bench/run.py --bin bazel-bin "$@"
