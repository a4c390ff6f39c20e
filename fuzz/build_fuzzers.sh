#!/usr/bin/env bash
# fuzz/build_fuzzers.sh OUTDIR SOURCE... - build gmm's libFuzzer targets with clang.
#
# Bazel's C toolchain is gcc, which has no libFuzzer, so //fuzz:fuzzers calls this script from a
# genrule (as //guests builds the guest kernel). Every .c argument named *_fuzz.c is a fuzz
# target and becomes OUTDIR/<name>; every other .c argument is library code (the filegroups
# behind //vmm:libgmm, //vmm/devices and //mm/host:mm_host, so the list lives in one place),
# compiled once and linked into each target. Headers are arguments only so Bazel puts them in
# the sandbox. The include paths are those of the cc_library rules: -I. for "vmm/layout.h" and
# "mm/...", include/ (//include's `includes`), mm/host/include (//mm/host's `includes`).
#
# Library code gets the coverage instrumentation (-fsanitize=fuzzer-no-link); the targets are
# linked with -fsanitize=fuzzer, which adds libFuzzer's main(). ASan and UBSan everywhere, and
# any UBSan report is fatal, so the fuzzer counts it as a crash.
set -euo pipefail
outdir=$1
shift
cc=${FUZZ_CC:-clang}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
san=(-fsanitize=address,undefined -fno-sanitize-recover=all)
cflags=(-std=gnu11 -g -O1 -fno-omit-frame-pointer "${san[@]}" -I. -Iinclude -Imm/host/include
	-Wall -Wextra -Wno-unused-parameter -Werror)
objs=()
targets=()
pids=()
for src in "$@"; do
	case "$src" in
	*_fuzz.c) targets+=("$src") ;;
	*.c)
		obj="$tmp/$(printf '%s' "$src" | tr '/' '_').o"
		"$cc" "${cflags[@]}" -fsanitize=fuzzer-no-link -c "$src" -o "$obj" &
		pids+=($!)
		objs+=("$obj")
		# two at a time: these machines have two cores
		if [ ${#pids[@]} -ge 2 ]; then
			wait "${pids[0]}"
			pids=("${pids[@]:1}")
		fi
		;;
	esac
done
for pid in "${pids[@]}"; do
	wait "$pid"
done
for src in "${targets[@]}"; do
	name=$(basename "$src" .c)
	"$cc" "${cflags[@]}" -fsanitize=fuzzer -o "$outdir/$name" "$src" "${objs[@]}" -lpthread
done
