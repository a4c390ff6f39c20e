// SPDX-License-Identifier: MIT
/*
 * guests/tests/mempool_suite.c - KTAP suite "mempool": the reserve guarantee.
 *
 * The pool's allocator is a kmalloc wrapper that can be switched to "exhausted", so the suite
 * shows the guarantee without draining the whole guest (the host tests drain the real
 * allocator, tests/mm/mempool_test.cc).
 */
#include <linux/gfp.h>
#include <linux/mempool.h>
#include <linux/slab.h>

#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/suites.h"

static bool exhausted;

static void *maybe_alloc(gfp_t gfp, void *pool_data)
{
	return exhausted ? NULL : kmalloc((size_t)(uintptr_t)pool_data, gfp);
}

static void plain_free(void *element, void *pool_data)
{
	(void)pool_data;
	kfree(element);
}

void reserve_serves_min_nr_when_the_allocator_is_exhausted(struct ktap_test *t)
{
	mempool_t *pool = mempool_create(4, maybe_alloc, plain_free, (void *)(uintptr_t)200);
	void *got[5];
	unsigned int i;

	KTAP_ASSERT(t, pool != NULL);
	exhausted = true;
	for (i = 0; i < 4; i++) {
		got[i] = mempool_alloc(pool, GFP_ATOMIC);
		KTAP_EXPECT_MSG(t, got[i] != NULL, "reserve element %u", i);
	}
	got[4] = mempool_alloc(pool, GFP_ATOMIC);
	KTAP_EXPECT(t, got[4] == NULL);
	/* a freed element refills the reserve first */
	mempool_free(got[3], pool);
	got[3] = mempool_alloc(pool, GFP_ATOMIC);
	KTAP_EXPECT(t, got[3] != NULL);
	exhausted = false;
	for (i = 0; i < 4; i++)
		mempool_free(got[i], pool);
	mempool_destroy(pool);
}

static void slab_and_kmalloc_pools(struct ktap_test *t)
{
	struct kmem_cache *s = kmem_cache_create("guest_pool", 48, 0, 0, NULL);
	mempool_t *sp = mempool_create_slab_pool(2, s);
	mempool_t *kp = mempool_create_kmalloc_pool(2, 300);
	void *a, *b;

	KTAP_ASSERT(t, s && sp && kp);
	a = mempool_alloc(sp, GFP_KERNEL);
	b = mempool_alloc(kp, GFP_KERNEL);
	KTAP_EXPECT(t, a && b);
	KTAP_EXPECT(t, b && ksize(b) >= 300);
	KTAP_EXPECT(t, mempool_resize(kp, 6) == 0);
	mempool_free(a, sp);
	mempool_free(b, kp);
	mempool_destroy(sp);
	mempool_destroy(kp);
	kmem_cache_destroy(s);
}

static const struct ktap_case mempool_cases[] = {
	KTAP_CASE(reserve_serves_min_nr_when_the_allocator_is_exhausted),
	KTAP_CASE(slab_and_kmalloc_pools),
};

KTAP_SUITE_DEFINE(mempool, mempool_cases);
