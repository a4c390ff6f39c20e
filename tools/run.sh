#!/usr/bin/env bash
# tools/run.sh [GMM OPTIONS...] - the main job: boot the bundled test guest under KVM with gmm
# and run all its KTAP suites.
#
# Installs missing Debian packages, builds gmm and the guest with Bazel, then runs
#   bazel-bin/vmm/gmm run --cpus 2 --mem 64M --timeout 600 --buddyinfo [OPTIONS] bazel-bin/guests/selftest.elf
# (two vCPUs, so that the per-CPU suite shows a copy per vCPU; --cpus N after it overrides)
# Options given to this script are passed to `gmm run` (for example --cmdline ktap.suites=kmalloc).
# The console (KTAP) goes to stdout, this script's progress lines and gmm's own messages to
# stderr, Bazel's output to /tmp/gmm-build.log; the exit status is gmm's: 0 exactly when every
# suite passed (see `bazel-bin/vmm/gmm --help` for the other codes).
set -u
cd "$(dirname "$0")/.."
echo "run.sh: checking the Debian packages of tools/debian-packages.txt" >&2
tools/install-packages.sh || exit 1
# progress on stderr: stdout is the guest's console (KTAP)
echo "run.sh: building //vmm:gmm and //guests:selftest (log: /tmp/gmm-build.log)" >&2
bazel build //vmm:gmm //guests:selftest >/tmp/gmm-build.log 2>&1 || {
	echo "run.sh: bazel build failed; the end of /tmp/gmm-build.log:"
	tail -20 /tmp/gmm-build.log
	exit 1
}
echo "run.sh: running the test guest under gmm (about a minute)" >&2
exec bazel-bin/vmm/gmm run --cpus 2 --mem 64M --timeout 600 --buddyinfo "$@" bazel-bin/guests/selftest.elf
