// SPDX-License-Identifier: MIT
/*
 * bench/page_alloc_bench.c - alloc_pages()+__free_pages() pairs on the hosted build.
 *
 * The pair Linux's page_bench01 measures ("Per elem: 158-207 cycles" for order 0 on the
 * kernels its author published), here for orders 0 and 3 with GFP_KERNEL: the per-CPU list
 * serves both without splitting or merging. Also a buddy-path row (order 4, above the
 * per-CPU orders: zone lock, split and merge every time) so the cost of the slow path is
 * visible. Target (issue 2): an order-0 pair in 100 cycles or fewer.
 *
 * Usage: page_alloc_bench [--quick]
 */
#include <stdio.h>

#include <linux/gfp.h>
#include <linux/mm.h>

#include "bench/bench_util.h"
#include "mm/host/platform_host.h"

static struct bench_sample run_pairs(unsigned int order, long n)
{
	struct bench_sample s;
	uint64_t t0, c0, c1, t1;
	long i;

	c0 = __rdtsc();
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);

		if (!p) {
			fprintf(stderr, "page_alloc_bench: allocation failed at order %u\n", order);
			exit(1);
		}
		__free_pages(p, order);
	}
	t1 = bench_now_ns();
	c1 = __rdtsc();
	s.cycles = (double)(c1 - c0) / (double)n;
	s.ns = (double)(t1 - t0) / (double)n;
	return s;
}

int main(int argc, char **argv)
{
	int quick = bench_quick(argc, argv);
	int runs = quick ? 3 : 11;
	long n = quick ? 20000 : 2000000;
	unsigned int orders[] = { 0, 3, 4 };
	const char *rows[] = { "page_alloc order-0 pair", "page_alloc order-3 pair",
			       "page_alloc order-4 pair (buddy)" };
	unsigned int k;
	int r;

	if (mm_host_init(256ull << 20)) {
		fprintf(stderr, "page_alloc_bench: cannot set up 256 MiB of hosted memory\n");
		return 1;
	}
	printf("# alloc_pages(GFP_KERNEL, order) + __free_pages(), %ld pairs x %d runs%s\n", n,
	       runs, quick ? " (quick: not meaningful)" : "");
	for (k = 0; k < sizeof(orders) / sizeof(orders[0]); k++) {
		struct bench_sample s[BENCH_MAX_RUNS];
		struct bench_result res;

		run_pairs(orders[k], n / 10); /* warm the lists and caches */
		for (r = 0; r < runs; r++)
			s[r] = run_pairs(orders[k], n);
		res = bench_summarise(s, runs);
		bench_print(rows[k], &res);
	}
	printf("# peer: Linux page_bench01 order-0 pair, published 158-207 cycles (not run here)\n");
	return 0;
}
