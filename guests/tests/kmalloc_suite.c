// SPDX-License-Identifier: MIT
/*
 * guests/tests/kmalloc_suite.c - KTAP suite "kmalloc": the kmalloc family on the guest's own
 * memory, checked against the guest's real page tables (walked with mm/pgtable.c from CR3).
 */
#include <abi/guest_layout.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/suites.h"
#include "guests/tests/guest_pgtable.h"

void smallest_object_is_8_bytes(struct ktap_test *t)
{
	void *p = kmalloc(1, GFP_KERNEL);

	KTAP_ASSERT(t, p != NULL);
	KTAP_EXPECT_MSG(t, ksize(p) == KMALLOC_MIN_SIZE, "ksize(kmalloc(1)) = %zu", ksize(p));
	kfree(p);
}

static void sizes_round_up_to_their_class(struct ktap_test *t)
{
	static const struct {
		size_t ask, get;
	} cases[] = { { 8, 8 },	    { 9, 16 },	   { 33, 64 },	   { 65, 96 },	   { 97, 128 },
		      { 129, 192 }, { 193, 256 },  { 257, 512 },   { 1000, 1024 }, { 2049, 4096 },
		      { 4097, 8192 }, { 8192, 8192 } };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		void *p = kmalloc(cases[i].ask, GFP_KERNEL);

		KTAP_ASSERT(t, p != NULL);
		KTAP_EXPECT_MSG(t, ksize(p) == cases[i].get, "kmalloc(%zu): ksize %zu, want %zu",
				cases[i].ask, ksize(p), cases[i].get);
		kfree(p);
	}
}

void power_of_two_sizes_are_naturally_aligned(struct ktap_test *t)
{
	size_t size;

	for (size = 8; size <= KMALLOC_MAX_SIZE; size <<= 1) {
		void *p = kmalloc(size, GFP_KERNEL);

		KTAP_ASSERT(t, p != NULL);
		KTAP_EXPECT_MSG(t, ((uintptr_t)p & (size - 1)) == 0, "kmalloc(%zu) = %p", size, p);
		kfree(p);
	}
}

void large_sizes_go_to_the_page_allocator_up_to_4mib(struct ktap_test *t)
{
	static const size_t sizes[] = { 128 << 10, 1 << 20, KMALLOC_MAX_SIZE };
	unsigned int i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = kmalloc(sizes[i], GFP_KERNEL);
		KTAP_EXPECT_MSG(t, p != NULL, "kmalloc(%zu) failed", sizes[i]);
		if (p)
			KTAP_EXPECT(t, !(virt_to_page(p)->flags & PG_slab));
		kfree(p);
	}
	ktap_expect_report(t, "WARNING: kmalloc(");
	printk_capture_start();
	p = kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL);
	printk_capture_stop();
	KTAP_EXPECT(t, p == NULL);
	KTAP_EXPECT(t, printk_capture_text()[0] != '\0');
	printk_capture_start();
	p = kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN);
	printk_capture_stop();
	KTAP_EXPECT(t, p == NULL);
	KTAP_EXPECT(t, printk_capture_text()[0] == '\0');
}

void kmalloc_does_not_zero_kzalloc_does(struct ktap_test *t)
{
	unsigned char *p = kmalloc(64, GFP_KERNEL), *q, *z;
	unsigned int i;

	KTAP_ASSERT(t, p != NULL);
	memset(p, 0xaa, 64);
	kfree(p);
	q = kmalloc(64, GFP_KERNEL); /* the per-CPU cache hands the same object back */
	KTAP_EXPECT(t, q == p);
	KTAP_EXPECT_MSG(t, q[8] == 0xaa, "reused kmalloc memory was changed: %#x", q[8]);
	kfree(q);
	z = kzalloc(64, GFP_KERNEL);
	KTAP_ASSERT(t, z != NULL);
	for (i = 0; i < 64; i++)
		if (!KTAP_EXPECT(t, z[i] == 0))
			break;
	kfree(z);
}

void kcalloc_overflow_returns_null(struct ktap_test *t)
{
	void *p = kcalloc(SIZE_MAX / 8 + 1, 8, GFP_KERNEL);
	unsigned char *q;
	unsigned int i;

	KTAP_EXPECT(t, p == NULL);
	KTAP_EXPECT(t, kmalloc_array(1ul << 33, 1ul << 32, GFP_KERNEL) == NULL);
	q = kcalloc(10, 10, GFP_KERNEL);
	KTAP_ASSERT(t, q != NULL);
	for (i = 0; i < 100; i++)
		KTAP_EXPECT(t, q[i] == 0);
	kfree(q);
}

void kmalloc_memory_is_physically_contiguous(struct ktap_test *t)
{
	size_t size = 64 << 10, off;
	unsigned char *p = kmalloc(size, GFP_KERNEL);

	KTAP_ASSERT(t, p != NULL);
	for (off = 0; off < size; off += PAGE_SIZE) {
		uint64_t pa = 0;

		KTAP_ASSERT(t, guest_translate((uintptr_t)(p + off), &pa) == 0);
		KTAP_EXPECT_MSG(t, pa == (uintptr_t)p - PAGE_OFFSET + off,
				"page %zu of the buffer maps to %#llx", off / PAGE_SIZE,
				(unsigned long long)pa);
	}
	kfree(p);
}

static void gfp_dma_objects_lie_below_16mib(struct ktap_test *t)
{
	void *p[16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = kmalloc(100 + i * 40, GFP_KERNEL | GFP_DMA);
		KTAP_ASSERT(t, p[i] != NULL);
		KTAP_EXPECT(t, (uintptr_t)p[i] - PAGE_OFFSET < (16ul << 20));
	}
	for (i = 0; i < ARRAY_SIZE(p); i++)
		kfree(p[i]);
}

static void krealloc_kmemdup_kstrdup_keep_contents(struct ktap_test *t)
{
	char *s = kstrdup("gmm", GFP_KERNEL), *d;
	unsigned char *p = kmalloc(40, GFP_KERNEL), *q;
	unsigned int i;

	KTAP_ASSERT(t, s && p);
	KTAP_EXPECT(t, !strcmp(s, "gmm"));
	for (i = 0; i < 40; i++)
		p[i] = (unsigned char)i;
	q = krealloc(p, 5000, GFP_KERNEL);
	KTAP_ASSERT(t, q != NULL);
	for (i = 0; i < 40; i++)
		KTAP_EXPECT(t, q[i] == i);
	d = kmemdup(q, 40, GFP_KERNEL);
	KTAP_ASSERT(t, d != NULL);
	KTAP_EXPECT(t, !memcmp(d, q, 40));
	kfree(d);
	kfree(q);
	kfree(s);
	KTAP_EXPECT(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
}

void slabinfo_lists_the_kmalloc_caches(struct ktap_test *t)
{
	static char info[8192];

	slabinfo_show(info, sizeof(info));
	KTAP_EXPECT(t, strstr(info, "slabinfo - version: 2.1") != NULL);
	KTAP_EXPECT(t, strstr(info, "kmalloc-64 ") != NULL);
	KTAP_EXPECT(t, strstr(info, "kmalloc-96 ") != NULL);
	KTAP_EXPECT(t, strstr(info, "dma-kmalloc-") != NULL);
}

static const struct ktap_case kmalloc_cases[] = {
	KTAP_CASE(smallest_object_is_8_bytes),
	KTAP_CASE(sizes_round_up_to_their_class),
	KTAP_CASE(power_of_two_sizes_are_naturally_aligned),
	KTAP_CASE(large_sizes_go_to_the_page_allocator_up_to_4mib),
	KTAP_CASE(kmalloc_does_not_zero_kzalloc_does),
	KTAP_CASE(kcalloc_overflow_returns_null),
	KTAP_CASE(kmalloc_memory_is_physically_contiguous),
	KTAP_CASE(gfp_dma_objects_lie_below_16mib),
	KTAP_CASE(krealloc_kmemdup_kstrdup_keep_contents),
	KTAP_CASE(slabinfo_lists_the_kmalloc_caches),
};

KTAP_SUITE_DEFINE(kmalloc, kmalloc_cases);
