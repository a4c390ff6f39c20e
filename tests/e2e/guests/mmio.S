/* SPDX-License-Identifier: MIT */
/*
 * tests/e2e/guests/mmio.S - touch what no device claims: MMIO in the legacy hole (0xb8000,
 * identity-mapped) and port 0x80. Writes must be ignored and reads be all-ones; the guest goes
 * on, says what it saw and exits 0, or 1 if a read was not all-ones.
 */
#include "guest.h"

	.text
	.code64
	.globl _start
_start:
	movl $0x5a5a5a5a, 0xb8000	/* unhandled MMIO write */
	mov 0xb8000, %eax		/* unhandled MMIO read */
	cmp $0xffffffff, %eax
	jne bad
	mov 0xb8000, %eax		/* same address again: not logged twice */
	cmp $0xffffffff, %eax
	jne bad
	mov $0x80, %dx
	inb %dx, %al			/* unhandled port read */
	cmp $0xff, %al
	jne bad
	VERDICT "unmapped MMIO and ports read as all-ones\n", "unexpected value from unmapped MMIO\n"
