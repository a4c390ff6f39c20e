/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_check.h - FUZZ_CHECK(): an invariant of a fuzz target.
 *
 * A broken invariant prints where and aborts; libFuzzer reports the abort as a crash and
 * writes the input as crash-<sha1>, exactly as for a sanitizer report.
 */
#ifndef GMM_FUZZ_FUZZ_CHECK_H
#define GMM_FUZZ_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__,       \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif /* GMM_FUZZ_FUZZ_CHECK_H */
