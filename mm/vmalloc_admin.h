/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc_admin.h - setting up and inspecting vmalloc (the Linux API is linux/vmalloc.h).
 *
 * vmalloc works on the kernel's page tables. The guest adopts the tables the VMM built
 * (vmalloc_init(cr3)); the host and a guest booted without them start fresh tables from the
 * page allocator (vmalloc_init(VMALLOC_NEW_PGD), also done on first use).
 */
#ifndef GMM_MM_VMALLOC_ADMIN_H
#define GMM_MM_VMALLOC_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/pgtable.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VMALLOC_NEW_PGD (~0ull)

/* The lazy-purge threshold: Linux's lazy_max_pages() for one CPU, 32 MiB of address space. */
#define VMALLOC_LAZY_MAX_PAGES_DEFAULT ((32ul << 20) >> 12)

struct vmalloc_stats {
	uint64_t area_size;	   /* bytes of virtual space managed */
	uint64_t nr_busy;	   /* live areas: vmalloc, vmap, ioremap */
	uint64_t busy_pages;	   /* pages mapped in them (guard pages not counted) */
	uint64_t nr_free_ranges;   /* fragments of free virtual space */
	uint64_t lazy_pages;	   /* unmapped, not yet flushed, not yet reusable */
	uint64_t lazy_max_pages;   /* purge threshold */
	uint64_t purges;	   /* lazy purges done */
	uint64_t tlb_flushes;	   /* platform_flush_tlb_kernel_range() calls */
	uint64_t deferred_frees;   /* vfree() calls deferred from interrupt context */
	uint64_t deferred_pending; /* ... not yet done */
	uint64_t atomic_reports;   /* vmalloc() calls from atomic context */
	uint64_t meta_pages;	   /* pages holding vmap_area records */
	uint64_t table_pages;	   /* page-table pages allocated by vmalloc */
};

/**
 * vmalloc_init - start vmalloc on the kernel's page tables
 * @pgd_phys: physical address of the PML4 (CR3), or VMALLOC_NEW_PGD for fresh tables
 *
 * Return: 0, -EBUSY if already initialised, -ENOMEM, or -EINVAL for a bad @pgd_phys.
 */
int vmalloc_init(uint64_t pgd_phys);

/**
 * vmalloc_reset - forget every area and the tables (the memory under them is going away)
 *
 * For the host, when a simulated memory is destroyed; nothing is freed to the page allocator.
 */
void vmalloc_reset(void);

/** vmalloc_kernel_pgt - the page tables vmalloc maps into (NULL before init) */
const struct pgt *vmalloc_kernel_pgt(void);

/**
 * vmalloc_guest_va - the guest-virtual address (in [VMALLOC_START, VMALLOC_END]) that the page
 * tables use for @addr, an address in this address space's view of the area; 0 if outside.
 */
uint64_t vmalloc_guest_va(const void *addr);

/**
 * vmalloc_purge - run deferred frees, flush and recycle every lazily freed area, and give the
 * cached empty page-table pages back to the page allocator
 */
void vmalloc_purge(void);

/** vmalloc_set_lazy_max_pages - change the purge threshold (tests); returns the old one */
uint64_t vmalloc_set_lazy_max_pages(uint64_t pages);

/** vmalloc_get_stats - the counters above */
void vmalloc_get_stats(struct vmalloc_stats *st);

/**
 * vmalloc_check - walk the area bookkeeping and the page tables and verify their invariants
 * @err: receives a description of the first broken one
 * @errlen: its size
 *
 * Return: true when consistent.
 */
bool vmalloc_check(char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* GMM_MM_VMALLOC_ADMIN_H */
