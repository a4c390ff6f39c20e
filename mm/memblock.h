/* SPDX-License-Identifier: MIT */
/*
 * mm/memblock.h - the boot-time allocator that serves memory before the buddy allocator exists.
 *
 * Linux replaced bootmem with memblock in 4.20 (SEED-CLAIMS.md row 34); gmm follows memblock:
 * two lists of physical ranges, "memory" (RAM from the memory map) and "reserved" (what must
 * not be handed out: the first page, the kernel image, firmware tables, and everything memblock
 * itself allocated). Allocations are top-down, first fit, and become reserved ranges. Boot:
 *
 *   memblock_init(PAGE_OFFSET);  memblock_add() each RAM range;  memblock_reserve() the image;
 *   mem_map = memblock_alloc(...);  page_state_init(...);  first page tables via
 *   memblock_pgt_ops;  memblock_free_all(ps, mem_map)  -> every free page goes to the buddy.
 *
 * After memblock_free_all() memblock refuses to allocate (the buddy allocator owns the rest).
 * One global instance, used single-threaded during boot (no lock).
 */
#ifndef GMM_MM_MEMBLOCK_H
#define GMM_MM_MEMBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/mm_types.h>

#include "mm/pgtable.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	uint64_t base;
	uint64_t size;
};

/* Sorted by base, no two overlapping or touching (they are merged). */
struct memblock_type {
	unsigned int cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

/**
 * memblock_init - forget everything; allocations will be reached at @direct_map_base + phys
 * @direct_map_base: PAGE_OFFSET in the guest; the mapping of simulated memory on the host
 */
void memblock_init(uintptr_t direct_map_base);

/** memblock_add - RAM at [@base, @base + @size); 0, -EINVAL (overflow), -ENOSPC */
int memblock_add(uint64_t base, uint64_t size);

/** memblock_reserve - never hand out [@base, @base + @size); 0, -EINVAL, -ENOSPC */
int memblock_reserve(uint64_t base, uint64_t size);

/**
 * memblock_phys_alloc - reserve @size bytes of RAM at @align, highest address first
 * @size: bytes (rounded up to pages)
 * @align: a power of two (at least PAGE_SIZE is used)
 *
 * Return: the physical address, or 0 if nothing fits (physical page 0 is never returned).
 */
uint64_t memblock_phys_alloc(uint64_t size, uint64_t align);

/** memblock_alloc - memblock_phys_alloc(), zeroed, as a direct-map pointer; NULL on failure */
void *memblock_alloc(uint64_t size, uint64_t align);

/** memblock_phys_free - un-reserve [@base, @base + @size) (rounded outwards to pages) */
int memblock_phys_free(uint64_t base, uint64_t size);

/**
 * memblock_free_all - hand every RAM page that is not reserved to the buddy allocator
 * @ps: the page state (page_state_init() done, all pages still reserved)
 * @map: its page-frame array
 *
 * Pages beyond the page-frame array are ignored. Memblock allocates nothing afterwards.
 * Return: the number of pages handed over, or a negative errno from page_state_free_range().
 */
long memblock_free_all(struct page_state *ps, struct page *map);

/** memblock_phys_mem_size - bytes of RAM added */
uint64_t memblock_phys_mem_size(void);

/** memblock_reserved_size - bytes reserved (allocations included) */
uint64_t memblock_reserved_size(void);

/** memblock_end_of_ram - one past the highest RAM byte (max_pfn << PAGE_SHIFT) */
uint64_t memblock_end_of_ram(void);

/** memblock_memory, memblock_reserved - the lists, read-only, for dumps and tests */
const struct memblock_type *memblock_memory(void);
const struct memblock_type *memblock_reserved(void);

/* Page-table pages from memblock, reached through the direct map (ctx unused). */
extern const struct pgt_ops memblock_pgt_ops;

#ifdef __cplusplus
}
#endif

#endif /* GMM_MM_MEMBLOCK_H */
