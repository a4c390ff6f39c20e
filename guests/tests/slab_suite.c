// SPDX-License-Identifier: MIT
/*
 * guests/tests/slab_suite.c - KTAP suite "slab": kmem_cache on the guest's memory.
 */
#include <abi/guest_layout.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/suites.h"

static unsigned int ctor_calls;

static void count_ctor(void *obj)
{
	*(uint32_t *)obj = 0xc0ffee;
	ctor_calls++;
}

void constructor_runs_when_a_slab_is_filled(struct ktap_test *t)
{
	struct kmem_cache *s = kmem_cache_create("guest_ctor", 128, 0, 0, count_ctor);
	uint32_t *a, *b;
	unsigned int after_first;

	KTAP_ASSERT(t, s != NULL);
	ctor_calls = 0;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	after_first = ctor_calls;
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KTAP_ASSERT(t, a && b);
	KTAP_EXPECT_MSG(t, after_first > 1, "one allocation constructed %u objects (a slab)",
			after_first);
	KTAP_EXPECT_MSG(t, ctor_calls == after_first, "the second allocation ran the ctor again");
	KTAP_EXPECT(t, *a == 0xc0ffee && *b == 0xc0ffee);
	ktap_diag(t, "the first allocation constructed %u objects", after_first);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
}

void hwcache_align_halves_the_line_for_small_objects(struct ktap_test *t)
{
	struct kmem_cache *s20 = kmem_cache_create("guest_hw20", 20, 0, SLAB_HWCACHE_ALIGN, NULL);
	struct kmem_cache *s40 = kmem_cache_create("guest_hw40", 40, 0, SLAB_HWCACHE_ALIGN, NULL);
	void *p[4], *q[4];
	unsigned int i;

	KTAP_ASSERT(t, s20 && s40);
	for (i = 0; i < 4; i++) {
		p[i] = kmem_cache_alloc(s20, GFP_KERNEL);
		q[i] = kmem_cache_alloc(s40, GFP_KERNEL);
		KTAP_ASSERT(t, p[i] && q[i]);
		KTAP_EXPECT_MSG(t, ((uintptr_t)p[i] & 31) == 0, "20-byte object at %p", p[i]);
		KTAP_EXPECT_MSG(t, ((uintptr_t)q[i] & 63) == 0, "40-byte object at %p", q[i]);
	}
	for (i = 0; i < 4; i++) {
		kmem_cache_free(s20, p[i]);
		kmem_cache_free(s40, q[i]);
	}
	kmem_cache_destroy(s20);
	kmem_cache_destroy(s40);
}

void slab_cache_dma_takes_slabs_below_16mib(struct ktap_test *t)
{
	struct kmem_cache *s = kmem_cache_create("guest_dma", 256, 0, SLAB_CACHE_DMA, NULL);
	void *p[8];
	unsigned int i;

	KTAP_ASSERT(t, s != NULL);
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTAP_ASSERT(t, p[i] != NULL);
		KTAP_EXPECT(t, (uintptr_t)p[i] - PAGE_OFFSET < (16ul << 20));
	}
	for (i = 0; i < ARRAY_SIZE(p); i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
}

void slabs_are_buddy_pages_marked_slab(struct ktap_test *t)
{
	struct kmem_cache *s = kmem_cache_create("guest_pages", 512, 0, 0, NULL);
	void *p;
	struct page *pg;

	KTAP_ASSERT(t, s != NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTAP_ASSERT(t, p != NULL);
	pg = virt_to_page((void *)((uintptr_t)p & ~(PAGE_SIZE - 1)));
	/* the first page of the slab carries PG_slab; a tail page points at it */
	if (!(pg->flags & PG_slab))
		pg = (struct page *)pg->freelist;
	KTAP_EXPECT(t, pg && (pg->flags & PG_slab) && (pg->flags & PG_head));
	KTAP_EXPECT(t, pg && pg->slab_cache == s);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

void destroy_with_live_objects_complains_and_keeps_the_cache(struct ktap_test *t)
{
	struct kmem_cache *s = kmem_cache_create("guest_live", 64, 0, 0, NULL);
	void *p;

	KTAP_ASSERT(t, s != NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTAP_ASSERT(t, p != NULL);
	ktap_expect_report(t, "kmem_cache_destroy guest_live: Slab cache still has objects");
	printk_capture_start();
	kmem_cache_destroy(s);
	printk_capture_stop();
	KTAP_EXPECT(t, strstr(printk_capture_text(), "guest_live") != NULL);
	KTAP_EXPECT(t, strstr(printk_capture_text(), "still has objects") != NULL);
	/* the cache is still usable */
	kmem_cache_free(s, p);
	p = kmem_cache_zalloc(s, GFP_KERNEL);
	KTAP_ASSERT(t, p != NULL);
	KTAP_EXPECT(t, *(uint64_t *)p == 0);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

static const struct ktap_case slab_cases[] = {
	KTAP_CASE(constructor_runs_when_a_slab_is_filled),
	KTAP_CASE(hwcache_align_halves_the_line_for_small_objects),
	KTAP_CASE(slab_cache_dma_takes_slabs_below_16mib),
	KTAP_CASE(slabs_are_buddy_pages_marked_slab),
	KTAP_CASE(destroy_with_live_objects_complains_and_keeps_the_cache),
};

KTAP_SUITE_DEFINE(slab, slab_cases);
