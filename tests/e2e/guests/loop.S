/* SPDX-License-Identifier: MIT */
/* tests/e2e/guests/loop.S - never exits: gmm's --timeout must end it. */
#include "guest.h"

	.text
	.code64
	.globl _start
_start:
	PUTS64 msg, msg_len
1:	pause
	jmp 1b

	.section .rodata
msg:	.ascii "looping forever\n"
	msg_len = . - msg
