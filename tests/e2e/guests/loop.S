/* SPDX-License-Identifier: MIT */
/*
 * tests/e2e/guests/loop.S - never exits: gmm's --timeout must end it. It carries the GMM
 * page-state note, so gmm builds the buddy page state that --watch-buddyinfo reads meanwhile.
 */
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

	GMM_PAGE_STATE_NOTE
