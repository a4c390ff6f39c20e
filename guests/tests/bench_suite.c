// SPDX-License-Identifier: MIT
/*
 * guests/tests/bench_suite.c - KTAP suite "bench": allocator costs measured inside the guest.
 *
 * Each case times a loop of allocate+free pairs with the TSC and prints one diagnostic in the
 * format of Linux's in-kernel benchmarks, which bench/ collects from the console:
 *     # <case>: Per elem: N cycles(tsc) X ns (median of R runs of L loops, min A, max B)
 * ns come from the TSC frequency gmm passes in the boot info (KVM_GET_TSC_KHZ); under QEMU
 * (PVH) it is unknown and ns print as 0. A case fails only if an allocation fails: the
 * figures are measurements, not assertions (targets live in bench/).
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"

#define RUNS 5
#define LOOPS 100

uint64_t guest_tsc_khz; /* set by kernel_main from the boot info; 0 if unknown */

enum bench_op { OP_KMALLOC, OP_CACHE, OP_PAGES, OP_VMALLOC };

static struct kmem_cache *bench_cache;

static bool one_pair(enum bench_op op, unsigned long arg)
{
	void *p;
	struct page *pg;

	switch (op) {
	case OP_KMALLOC:
		p = kmalloc(arg, GFP_KERNEL);
		kfree(p);
		return p != NULL;
	case OP_CACHE:
		p = kmem_cache_alloc(bench_cache, GFP_KERNEL);
		kmem_cache_free(bench_cache, p);
		return p != NULL;
	case OP_PAGES:
		pg = alloc_pages(GFP_KERNEL, (unsigned int)arg);
		if (pg)
			__free_pages(pg, (unsigned int)arg);
		return pg != NULL;
	case OP_VMALLOC:
		p = vmalloc(arg);
		if (p)
			((volatile char *)p)[0] = 1;
		vfree(p);
		return p != NULL;
	}
	return false;
}

static void sort_u64(uint64_t *v, int n)
{
	int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
}

static void measure(struct ktap_test *t, const char *what, enum bench_op op, unsigned long arg)
{
	uint64_t per[RUNS], ns;
	int r, i;

	for (i = 0; i < LOOPS / 10; i++) /* warm up the per-CPU caches */
		KTAP_ASSERT(t, one_pair(op, arg));
	for (r = 0; r < RUNS; r++) {
		uint64_t t0 = rdtsc_ordered();

		for (i = 0; i < LOOPS; i++)
			if (!one_pair(op, arg)) {
				KTAP_EXPECT_MSG(t, false, "%s: allocation failed", what);
				return;
			}
		per[r] = (rdtsc_ordered() - t0) / LOOPS;
	}
	sort_u64(per, RUNS);
	ns = guest_tsc_khz ? per[RUNS / 2] * 1000000 / guest_tsc_khz : 0;
	ktap_diag(t, "%s Per elem: %llu cycles(tsc) %llu ns (median of %d runs of %d, min %llu, "
		     "max %llu)",
		  what, (unsigned long long)per[RUNS / 2], (unsigned long long)ns, RUNS, LOOPS,
		  (unsigned long long)per[0], (unsigned long long)per[RUNS - 1]);
}

static void kmalloc_pairs_per_size_class(struct ktap_test *t)
{
	static const unsigned long sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512,
					       1024, 2048, 4096, 8192 };
	char what[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(what, sizeof(what), "kmalloc-%lu", sizes[i]);
		measure(t, what, OP_KMALLOC, sizes[i]);
	}
}

static void kmem_cache_pair(struct ktap_test *t)
{
	bench_cache = kmem_cache_create("bench_obj", 200, 0, SLAB_HWCACHE_ALIGN, NULL);
	KTAP_ASSERT(t, bench_cache != NULL);
	measure(t, "kmem_cache-200", OP_CACHE, 0);
	kmem_cache_destroy(bench_cache);
}

static void alloc_pages_order_0_and_3(struct ktap_test *t)
{
	measure(t, "alloc_pages-order0", OP_PAGES, 0);
	measure(t, "alloc_pages-order3", OP_PAGES, 3);
}

static void vmalloc_16k_cycle(struct ktap_test *t)
{
	measure(t, "vmalloc-16K", OP_VMALLOC, 16 << 10);
}

static const struct ktap_case bench_cases[] = {
	KTAP_CASE(kmalloc_pairs_per_size_class),
	KTAP_CASE(kmem_cache_pair),
	KTAP_CASE(alloc_pages_order_0_and_3),
	KTAP_CASE(vmalloc_16k_cycle),
};

KTAP_SUITE_DEFINE(bench, bench_cases);
