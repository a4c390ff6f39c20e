/* SPDX-License-Identifier: MIT */
/* tests/e2e/guests/exit_code.S - verdict 42: gmm's exit status must be 42. */
#include "guest.h"

	.text
	.code64
	.globl _start
_start:
	EXIT 42
