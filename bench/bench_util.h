/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_util.h - timing and reporting shared by the benchmarks.
 *
 * Cycles come from the TSC (rdtsc), nanoseconds from CLOCK_MONOTONIC over the same interval;
 * every figure is the median of BENCH_RUNS runs, printed with min and max in the format
 * Linux's in-kernel benchmarks use ("Per elem: N cycles(tsc) X ns"), followed by one
 * machine-readable "BENCH" line for bench/run.py to collect:
 *     BENCH <row> <median> <unit> min=<min> max=<max> [ns=<median ns>] [peer=<name>:<value>]...
 * <row> is one word: bench_print() turns every run of other characters than [A-Za-z0-9.+-]
 * in the printed name into one '_' ("page_alloc order-0 pair" -> "page_alloc_order-0_pair").
 */
#ifndef GMM_BENCH_BENCH_UTIL_H
#define GMM_BENCH_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#define BENCH_MAX_RUNS 15

struct bench_sample {
	double cycles; /* per element */
	double ns;     /* per element */
};

struct bench_result {
	struct bench_sample median, min, max;
};

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median, min and max over @n samples (cycles and ns ranked separately). */
static inline struct bench_result bench_summarise(const struct bench_sample *s, int n)
{
	double c[BENCH_MAX_RUNS], t[BENCH_MAX_RUNS];
	struct bench_result r;
	int i;

	for (i = 0; i < n; i++) {
		c[i] = s[i].cycles;
		t[i] = s[i].ns;
	}
	qsort(c, n, sizeof(double), bench_cmp_double);
	qsort(t, n, sizeof(double), bench_cmp_double);
	r.median.cycles = c[n / 2];
	r.median.ns = t[n / 2];
	r.min.cycles = c[0];
	r.min.ns = t[0];
	r.max.cycles = c[n - 1];
	r.max.ns = t[n - 1];
	return r;
}

/* @row as one word for the BENCH line: runs of characters other than [A-Za-z0-9.+-] -> '_'. */
static inline void bench_row_word(const char *row, char *out, size_t size)
{
	size_t n = 0;
	int gap = 0;

	for (; *row && n + 2 < size; row++) {
		char c = *row;
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-';

		if (!keep) {
			gap = 1;
			continue;
		}
		if (gap && n)
			out[n++] = '_';
		gap = 0;
		out[n++] = c;
	}
	out[n] = '\0';
}

/*
 * bench_print_vs - print @row's figures, and in its BENCH line @peer's median cycles
 * (@peer NULL: no peer), measured in the same run.
 */
static inline void bench_print_vs(const char *row, const struct bench_result *r, const char *peer,
				  double peer_cycles)
{
	char word[96];

	bench_row_word(row, word, sizeof(word));
	printf("%-34s Per elem: %.0f cycles(tsc) %.1f ns  (min %.0f, max %.0f cycles)\n", row,
	       r->median.cycles, r->median.ns, r->min.cycles, r->max.cycles);
	printf("BENCH %s %.1f cycles min=%.1f max=%.1f ns=%.1f", word, r->median.cycles,
	       r->min.cycles, r->max.cycles, r->median.ns);
	if (peer)
		printf(" peer=%s:%.1f", peer, peer_cycles);
	printf("\n");
}

static inline void bench_print(const char *row, const struct bench_result *r)
{
	bench_print_vs(row, r, NULL, 0);
}

static inline int bench_quick(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			return 1;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: %s [--quick]\n  --quick  few iterations: checks the code "
			       "still runs, figures are not meaningful\n",
			       argv[0]);
			exit(0);
		}
	}
	return 0;
}

#endif /* GMM_BENCH_BENCH_UTIL_H */
