/* SPDX-License-Identifier: MIT */
/*
 * tests/e2e/guests/smp.S - every vCPU checks in (lock incl); vCPU 0 waits until all
 * bootinfo.nr_cpus have, says so and exits 0. Proves that gmm starts every vCPU at the entry
 * with %rsi = its index and a boot stack of its own.
 */
#include "guest.h"

	.text
	.code64
	.globl _start
_start:
	push %rsi			/* each vCPU's own stack */
	pop %rax
	cmp %rax, %rsi
	jne bad
	lock incl checked_in(%rip)
	lock btsq %rsi, seen(%rip)	/* each index exactly once */
	jc bad
	test %rsi, %rsi
	jnz park
	mov BI_NR_CPUS(%rdi), %ebx
1:	pause
	cmp checked_in(%rip), %ebx
	jne 1b
	VERDICT "all vCPUs checked in\n", "a vCPU started twice or with a shared stack\n"
park:
	cli
	hlt
	jmp park

	.data
	.balign 8
checked_in: .long 0
	.balign 8
seen:	.quad 0
