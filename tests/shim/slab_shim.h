/* SPDX-License-Identifier: MIT */
/*
 * tests/shim/slab_shim.h - how GoogleTest reaches the slab allocator, kmalloc and mempool.
 *
 * The Linux API (include/linux/slab.h, mempool.h) has no double-underscore names, so tests call
 * it directly; this adds a fresh hosted memory per test, the cache counters of mm/slab.h, and
 * the physical address of an object.
 */
#ifndef GMM_TESTS_SHIM_SLAB_SHIM_H
#define GMM_TESTS_SHIM_SLAB_SHIM_H

#include "tests/shim/mm_shim.h"

#ifdef __cplusplus
extern "C" {
#endif

#include <linux/mempool.h>
#include <linux/slab.h>

#include "mm/slab.h"

/**
 * slab_shim_memory_create - hosted memory of @mib MiB from physical 0 (DMA zone first 16 MiB)
 * @mem: filled in
 * @mib: size
 * Return: 0 or -errno. kmalloc works afterwards.
 */
int slab_shim_memory_create(struct mm_host_memory *mem, unsigned int mib);

/** slab_shim_phys - physical address of a direct-map pointer */
uint64_t slab_shim_phys(const void *p);

/** slab_shim_stats - kmem_cache_get_stats() */
void slab_shim_stats(struct kmem_cache *s, struct kmem_cache_stats *st);

/** slab_shim_free_pages - free pages of all zones (buddy and per-CPU lists) */
uint64_t slab_shim_free_pages(void);

/** slab_shim_page_flags - flags of the struct page of @p */
uint32_t slab_shim_page_flags(const void *p);

/** slab_shim_kmalloc_cache - the kmalloc cache kmalloc(@size, @gfp) uses */
struct kmem_cache *slab_shim_kmalloc_cache(size_t size, gfp_t gfp);

/** shim_drain_all_pages - drain_all_pages(): per-CPU page lists back to the buddy lists */
void shim_drain_all_pages(void);

/** slab_shim_shrink_all - kmem_cache_shrink() on every kmalloc cache */
void slab_shim_shrink_all(void);

#ifdef __cplusplus
}
#endif

#endif /* GMM_TESTS_SHIM_SLAB_SHIM_H */
