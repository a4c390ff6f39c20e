#!/usr/bin/env bash
# bench/run_quick_test.sh - the benchmark runner in quick mode, as a test: every benchmark runs
# its short variant, and bench/run.py --check fails unless the table is well-formed and holds
# every row each benchmark that ran must give. Figures are not judged (no timing assertions).
# Without a usable /dev/kvm the runner leaves out the guest benchmarks and says why.
set -eu
out="${TEST_TMPDIR:-/tmp}/RESULTS.md"
python3 bench/run.py --quick --check --bin . --out "$out"
grep -q '^| row | gmm: median' "$out"
