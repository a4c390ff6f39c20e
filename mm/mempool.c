// SPDX-License-Identifier: MIT
/*
 * mm/mempool.c - memory pools (include/linux/mempool.h).
 *
 * Structure: a kmalloc'ed mempool_t and a kmalloc'ed array of min_nr element pointers, used as
 * a stack of curr_nr reserve elements. Invariant: 0 <= curr_nr <= min_nr, elements[0..curr_nr)
 * are elements owned by the pool and by nobody else. pool->lock (a spin word, taken with
 * interrupts off) protects curr_nr and elements; the element allocator is never called under it.
 */
#include <linux/errno.h>
#include <linux/mempool.h>
#include <linux/slab.h>

#include "mm/mm_internal.h"

static void add_element(mempool_t *pool, void *element)
{
	MM_BUG_ON(pool->curr_nr >= pool->min_nr);
	pool->elements[pool->curr_nr++] = element;
}

static void *remove_element(mempool_t *pool)
{
	MM_BUG_ON(pool->curr_nr <= 0);
	return pool->elements[--pool->curr_nr];
}

static void free_reserve(mempool_t *pool)
{
	while (pool->curr_nr)
		pool->free(remove_element(pool), pool->pool_data);
}

mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			  void *pool_data)
{
	mempool_t *pool;

	if (min_nr <= 0 || !alloc_fn || !free_fn)
		return NULL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	pool->elements = kmalloc_array((size_t)min_nr, sizeof(void *), GFP_KERNEL);
	if (!pool->elements)
		goto err_free_pool;
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	while (pool->curr_nr < min_nr) {
		void *element = alloc_fn(GFP_KERNEL, pool_data);

		if (!element)
			goto err_free_reserve;
		add_element(pool, element);
	}
	return pool;

err_free_reserve:
	free_reserve(pool);
	kfree(pool->elements);
err_free_pool:
	kfree(pool);
	return NULL;
}

void mempool_destroy(mempool_t *pool)
{
	if (!pool)
		return;
	if (pool->curr_nr != pool->min_nr)
		platform_log(MM_LOG_WARN,
			     "WARNING: mempool_destroy: %d of %d reserve elements are still out\n",
			     pool->min_nr - pool->curr_nr, pool->min_nr);
	free_reserve(pool);
	kfree(pool->elements);
	kfree(pool);
}

void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask)
{
	gfp_t gfp_temp = (gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO)) | __GFP_NOMEMALLOC |
			 __GFP_NORETRY | __GFP_NOWARN;
	unsigned long flags;
	void *element;

	element = pool->alloc(gfp_temp, pool->pool_data);
	if (likely(element))
		return element;
	flags = platform_irq_save();
	mm_spin_lock(&pool->lock);
	element = pool->curr_nr ? remove_element(pool) : NULL;
	mm_spin_unlock(&pool->lock);
	platform_irq_restore(flags);
	if (element)
		return element;
	/* Linux would now sleep until an element is freed; the core cannot wait. */
	return pool->alloc(gfp_mask | __GFP_NOWARN, pool->pool_data);
}

void mempool_free(void *element, mempool_t *pool)
{
	unsigned long flags;

	if (!element)
		return;
	flags = platform_irq_save();
	mm_spin_lock(&pool->lock);
	if (pool->curr_nr < pool->min_nr) {
		add_element(pool, element);
		element = NULL;
	}
	mm_spin_unlock(&pool->lock);
	platform_irq_restore(flags);
	if (element)
		pool->free(element, pool->pool_data);
}

int mempool_resize(mempool_t *pool, int new_min_nr)
{
	unsigned long flags;
	void **new_elements;

	if (new_min_nr <= 0)
		return -EINVAL;
	flags = platform_irq_save();
	mm_spin_lock(&pool->lock);
	if (new_min_nr <= pool->min_nr) {
		while (pool->curr_nr > new_min_nr) {
			void *element = remove_element(pool);

			mm_spin_unlock(&pool->lock);
			platform_irq_restore(flags);
			pool->free(element, pool->pool_data);
			flags = platform_irq_save();
			mm_spin_lock(&pool->lock);
		}
		pool->min_nr = new_min_nr;
		mm_spin_unlock(&pool->lock);
		platform_irq_restore(flags);
		return 0;
	}
	mm_spin_unlock(&pool->lock);
	platform_irq_restore(flags);

	new_elements = kmalloc_array((size_t)new_min_nr, sizeof(void *), GFP_KERNEL);
	if (!new_elements)
		return -ENOMEM;
	flags = platform_irq_save();
	mm_spin_lock(&pool->lock);
	mm_memcpy(new_elements, pool->elements, (size_t)pool->curr_nr * sizeof(void *));
	kfree(pool->elements);
	pool->elements = new_elements;
	pool->min_nr = new_min_nr;
	while (pool->curr_nr < pool->min_nr) {
		void *element;

		mm_spin_unlock(&pool->lock);
		platform_irq_restore(flags);
		element = pool->alloc(GFP_KERNEL, pool->pool_data);
		if (!element)
			return 0; /* the reserve refills as elements are freed, as in Linux */
		flags = platform_irq_save();
		mm_spin_lock(&pool->lock);
		if (pool->curr_nr < pool->min_nr) {
			add_element(pool, element);
		} else {
			mm_spin_unlock(&pool->lock);
			platform_irq_restore(flags);
			pool->free(element, pool->pool_data);
			return 0;
		}
	}
	mm_spin_unlock(&pool->lock);
	platform_irq_restore(flags);
	return 0;
}

void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data)
{
	return kmem_cache_alloc(pool_data, gfp_mask);
}

void mempool_free_slab(void *element, void *pool_data)
{
	kmem_cache_free(pool_data, element);
}

void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kmalloc((size_t)(uintptr_t)pool_data, gfp_mask);
}

void mempool_kfree(void *element, void *pool_data)
{
	(void)pool_data;
	kfree(element);
}

mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *kc)
{
	return mempool_create(min_nr, mempool_alloc_slab, mempool_free_slab, kc);
}

mempool_t *mempool_create_kmalloc_pool(int min_nr, size_t size)
{
	return mempool_create(min_nr, mempool_kmalloc, mempool_kfree, (void *)(uintptr_t)size);
}
