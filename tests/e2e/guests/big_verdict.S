/* SPDX-License-Identifier: MIT */
/* tests/e2e/guests/big_verdict.S - verdict 511, outside 0..63: gmm must exit 63 and say so. */
#include "guest.h"

	.text
	.code64
	.globl _start
_start:
	EXIT 511
