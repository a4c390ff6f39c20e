/* SPDX-License-Identifier: MIT */
/*
 * tests/e2e/guests/halt.S - halts with interrupts off. With the in-kernel irqchip `hlt` does not
 * exit to user space: the vCPU sleeps in KVM, and only gmm's --timeout can end the run.
 */
#include "guest.h"

	.text
	.code64
	.globl _start
_start:
	PUTS64 msg, msg_len
1:	cli
	hlt
	jmp 1b

	.section .rodata
msg:	.ascii "halting forever\n"
	msg_len = . - msg
