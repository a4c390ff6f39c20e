/* SPDX-License-Identifier: MIT */
/* tests/e2e/guests/triple_fault.S - an exception with no IDT: #UD -> #DF -> triple fault. */
#include "guest.h"

	.text
	.code64
	.globl _start
_start:
	PUTS64 msg, msg_len
	ud2

	.section .rodata
msg:	.ascii "about to triple-fault\n"
	msg_len = . - msg
