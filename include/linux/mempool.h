/* SPDX-License-Identifier: MIT */
/*
 * include/linux/mempool.h - memory pools: a reserve of min_nr elements so that allocations
 * keep succeeding while the underlying allocator is exhausted (Linux's API and semantics).
 *
 * mempool_alloc() first asks the underlying allocator without waiting; if that fails it takes
 * an element from the reserve. Freed elements refill the reserve before going back to the
 * allocator. Linux's mempool_alloc() with a sleeping GFP never fails: it waits for an element
 * to be freed. gmm's core cannot sleep, so when the reserve is empty too, mempool_alloc()
 * retries the allocator once with the caller's flags and then returns NULL.
 */
#ifndef GMM_LINUX_MEMPOOL_H
#define GMM_LINUX_MEMPOOL_H

#include <linux/gfp.h>
#include <linux/slab.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void *(mempool_alloc_t)(gfp_t gfp_mask, void *pool_data);
typedef void(mempool_free_t)(void *element, void *pool_data);

typedef struct mempool {
	uint32_t lock;
	int min_nr;	  /* the reserve's target size */
	int curr_nr;	  /* elements in the reserve now */
	void **elements;  /* the reserve, a stack of curr_nr */
	void *pool_data;
	mempool_alloc_t *alloc;
	mempool_free_t *free;
} mempool_t;

/**
 * mempool_create - create a pool and fill its reserve
 * @min_nr: elements to keep in reserve (at least 1)
 * @alloc_fn: allocates one element
 * @free_fn: frees one element
 * @pool_data: passed to both
 *
 * Return: the pool, or NULL if the reserve could not be filled.
 */
mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			  void *pool_data);

/** mempool_destroy - free the reserve and the pool (all elements must be back); NULL is fine */
void mempool_destroy(mempool_t *pool);

/**
 * mempool_alloc - allocate an element, from the reserve if the allocator fails
 * @pool: the pool
 * @gfp_mask: GFP flags
 *
 * Return: an element, or NULL when both the allocator and the reserve are exhausted.
 */
void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask);

/** mempool_free - give an element back: to the reserve if it is below min_nr; NULL is fine */
void mempool_free(void *element, mempool_t *pool);

/**
 * mempool_resize - change min_nr
 * @pool: the pool
 * @new_min_nr: the new reserve size (at least 1)
 *
 * Shrinking frees surplus reserve elements; growing allocates elements (GFP_KERNEL).
 * Return: 0, -EINVAL or -ENOMEM (then the pool is unchanged).
 */
int mempool_resize(mempool_t *pool, int new_min_nr);

/* Element allocators for the common pools; pool_data is the kmem_cache or the size. */
void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data);
void mempool_free_slab(void *element, void *pool_data);
void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data);
void mempool_kfree(void *element, void *pool_data);

/** mempool_create_slab_pool - a pool of objects of @kc */
mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *kc);

/** mempool_create_kmalloc_pool - a pool of kmalloc(@size) blocks */
mempool_t *mempool_create_kmalloc_pool(int min_nr, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* GMM_LINUX_MEMPOOL_H */
