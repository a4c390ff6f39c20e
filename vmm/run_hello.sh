#!/bin/sh
# vmm/run_hello.sh - `bazel run //vmm:hello -- [gmm run options]`: boot the bundled minimal
# guest (tests/e2e/guests/hello.elf) with gmm. Bazel runs this in the runfiles tree.
exec vmm/gmm run "$@" tests/e2e/guests/hello.elf
