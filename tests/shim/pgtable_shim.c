// SPDX-License-Identifier: MIT
/* tests/shim/pgtable_shim.c - the table-page pool of pgtable_shim.h. */
#include "tests/shim/pgtable_shim.h"

#include <stdlib.h>
#include <string.h>

int shim_pt_pool_init(struct shim_pt_pool *pool, unsigned int nr_pages, uint64_t base_phys)
{
	memset(pool, 0, sizeof(*pool));
	pool->mem = aligned_alloc(PGT_SIZE_4K, (size_t)nr_pages * PGT_SIZE_4K);
	pool->used = calloc(nr_pages, 1);
	if (!pool->mem || !pool->used) {
		free(pool->mem);
		free(pool->used);
		return -ENOMEM;
	}
	memset(pool->mem, 0, (size_t)nr_pages * PGT_SIZE_4K);
	pool->base_phys = base_phys;
	pool->nr_pages = nr_pages;
	pool->allocs_left = ~0u;
	return 0;
}

void shim_pt_pool_destroy(struct shim_pt_pool *pool)
{
	free(pool->mem);
	free(pool->used);
	memset(pool, 0, sizeof(*pool));
}

static int pool_alloc(void *ctx, uint64_t *phys)
{
	struct shim_pt_pool *pool = ctx;
	unsigned int i;

	if (pool->allocs_left == 0)
		return -ENOMEM;
	/* from the top, so table pages are not trivially consecutive with the mapped frames */
	for (i = pool->nr_pages; i-- > 0;) {
		if (!pool->used[i]) {
			pool->used[i] = 1;
			pool->nr_used++;
			if (pool->allocs_left != ~0u)
				pool->allocs_left--;
			memset(pool->mem + (size_t)i * PGT_SIZE_4K, 0, PGT_SIZE_4K);
			*phys = pool->base_phys + (uint64_t)i * PGT_SIZE_4K;
			return 0;
		}
	}
	return -ENOMEM;
}

static void pool_free(void *ctx, uint64_t phys)
{
	struct shim_pt_pool *pool = ctx;
	uint64_t i = (phys - pool->base_phys) / PGT_SIZE_4K;

	if (phys < pool->base_phys || i >= pool->nr_pages || !pool->used[i]) {
		pool->bad_frees++;
		return;
	}
	/* poison, so a walker that still follows a freed table reads garbage */
	memset(pool->mem + i * PGT_SIZE_4K, 0xa5, PGT_SIZE_4K);
	pool->used[i] = 0;
	pool->nr_used--;
}

static void *pool_ptr(void *ctx, uint64_t phys)
{
	struct shim_pt_pool *pool = ctx;

	if (phys < pool->base_phys ||
	    phys - pool->base_phys >= (uint64_t)pool->nr_pages * PGT_SIZE_4K)
		return NULL;
	return pool->mem + (phys - pool->base_phys);
}

const struct pgt_ops shim_pt_pool_ops = {
	.alloc_table = pool_alloc,
	.free_table = pool_free,
	.table_ptr = pool_ptr,
};

uint64_t *shim_pt_entry(struct shim_pt_pool *pool, uint64_t phys)
{
	return pool_ptr(pool, phys & ~7ull);
}

uint64_t shim_start_kernel_map(void)
{
	return __START_KERNEL_map;
}
