#!/usr/bin/env bash
# guests/build_guest.sh OUT.elf LINKER_SCRIPT.lds.S SOURCE... - build a freestanding guest kernel.
#
# Compiles every .c and .S argument (other arguments, headers, are only there so Bazel puts
# them in the sandbox) for the kernel code model at the top of the address space, runs the
# C preprocessor over the linker script (it includes include/abi/guest_layout.h) and links a
# static ELF64 with no libc. The same mm/ sources as the host build, other flags; the mm core's
# inline platform header <asm/mm_platform.h> comes from guests/kernel/include.
set -euo pipefail
out=$1
lds=$2
shift 2
cc=${GUEST_CC:-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cflags=(-std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -mno-red-zone -mcmodel=kernel
	-mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables
	-fno-omit-frame-pointer -fcf-protection=none -nostdinc -isystem "$($cc -print-file-name=include)"
	-I. -Iinclude -Iguests/kernel/include -Wall -Wextra -Wno-unused-parameter -Werror)
objs=()
for src in "$@"; do
	[ "$src" = "$lds" ] && continue
	case "$src" in
	*.c | *.S)
		obj="$tmp/$(printf '%s' "$src" | tr '/' '_').o"
		"$cc" "${cflags[@]}" -c "$src" -o "$obj"
		objs+=("$obj")
		;;
	esac
done
"$cc" -E -P -x c -std=c11 -D__ASSEMBLER__ -I. -Iinclude "$lds" -o "$tmp/kernel.lds"
"$cc" -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,-T,"$tmp/kernel.lds" -o "$out" "${objs[@]}"
