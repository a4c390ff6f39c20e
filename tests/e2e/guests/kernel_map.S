/* SPDX-License-Identifier: MIT */
/*
 * tests/e2e/guests/kernel_map.S - a guest linked like a kernel (guest_kmap.ld): it runs in the
 * kernel map, reads its boot info through the direct map (PAGE_OFFSET + %rdi) and writes
 * through the direct map what it then reads back through the kernel map. Exits 0 if all of
 * that holds, 1 if not.
 */
#include "guest.h"

#define PAGE_OFFSET 0xffff888000000000
#define START_KERNEL_MAP 0xffffffff80000000

	.text
	.code64
	.globl _start
_start:
	lea _start(%rip), %rax		/* where we really run */
	movabs $START_KERNEL_MAP, %rcx
	cmp %rcx, %rax
	jb bad
	movabs $PAGE_OFFSET, %rbx
	add %rdi, %rbx			/* struct bootinfo through the direct map */
	movabs $BI_MAGIC, %rax
	cmp %rax, (%rbx)
	jne bad
	/* the same physical page through two mappings */
	lea scratch(%rip), %rdx		/* kernel-map address of scratch */
	mov %rdx, %rax
	sub %rcx, %rax			/* its physical address */
	movabs $PAGE_OFFSET, %rsi
	add %rsi, %rax			/* its direct-map address */
	movq $0x1234abcd, (%rax)
	cmpq $0x1234abcd, (%rdx)
	jne bad
	VERDICT "kernel map, direct map and boot info agree\n", "kernel map or direct map is wrong\n"

	.data
	.balign 8
scratch: .quad 0
