#!/usr/bin/env bash
# vmm/build_musl.sh OUT SOURCE... - link the gmm program statically against musl.
#
# Why musl: exec -> guest exit is gmm's headline figure, and glibc's start-up runs CPUID
# about a hundred times (cpu features, cache sizes) before main(). Where the host is itself
# a guest, as on this project's machines, every CPUID traps to the outer hypervisor (~5 us),
# so glibc cost 0.3 ms of a 2.5 ms boot; musl's start-up runs none. (Firecracker ships
# musl-static binaries too.) docs/vmm.md, "Boot time", has the measurements.
#
# Bazel's C toolchain is gcc with glibc, so //vmm:gmm calls this script from a genrule (as
# //fuzz and //guests do with their compilers), with the same filegroups the cc_library rules
# build. Every .c argument is compiled; headers are arguments only so Bazel puts them in the
# sandbox. The include paths and warning flags are those of the cc_library rules and
# .bazelrc. musl-gcc sees musl's headers only; <linux/kvm.h> and the asm headers it needs
# come from Debian's linux-libc-dev, through a directory of three symlinks.
set -euo pipefail
out=$1
shift
cc=${MUSL_CC:-musl-gcc}
if ! command -v "$cc" >/dev/null; then
	echo "build_musl.sh: $cc not found: install the Debian package musl-tools" \
		"(tools/install-packages.sh installs everything in tools/debian-packages.txt)" >&2
	exit 1
fi
multiarch=$(gcc -print-multiarch)
kernel_headers=$(mktemp -d)
trap 'rm -rf "$kernel_headers"' EXIT
for dir in /usr/include/linux /usr/include/asm-generic "/usr/include/$multiarch/asm"; do
	if [ ! -d "$dir" ]; then
		echo "build_musl.sh: $dir missing: install the Debian package linux-libc-dev" >&2
		exit 1
	fi
	ln -s "$dir" "$kernel_headers/$(basename "$dir")"
done
srcs=()
for src in "$@"; do
	case "$src" in
	*.c) srcs+=("$src") ;;
	esac
done
"$cc" -std=gnu11 -O2 -g -fno-omit-frame-pointer -fstack-protector-strong \
	-Wall -Wextra -Werror \
	-I. -Iinclude -Imm/host/include -idirafter "$kernel_headers" \
	-static -o "$out" "${srcs[@]}" -lpthread
