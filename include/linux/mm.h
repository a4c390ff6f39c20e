/* SPDX-License-Identifier: MIT */
/*
 * include/linux/mm.h - translations between pages, PFNs and direct-map addresses.
 *
 * mem_map is the page-frame array (one struct page per PFN from 0 to max_pfn, holes included),
 * page_offset_base the virtual address of physical 0 in the direct map: PAGE_OFFSET in the guest,
 * the mapping of simulated physical memory on the host. Both are set when the page allocator
 * is initialised or attached (mm/page_alloc.h). The translations are only valid for direct-map
 * addresses and managed PFNs, as in Linux; they do no checks.
 */
#ifndef GMM_LINUX_MM_H
#define GMM_LINUX_MM_H

#include <linux/gfp.h>
#include <linux/mm_types.h>

#ifdef __cplusplus
extern "C" {
#endif

extern struct page *mem_map;
extern uintptr_t page_offset_base;
extern unsigned long max_pfn;

#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}

static inline void *page_address(const struct page *page)
{
	return (void *)(page_offset_base + (page_to_pfn(page) << PAGE_SHIFT));
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(((uintptr_t)addr - page_offset_base) >> PAGE_SHIFT);
}

static inline unsigned long virt_to_pfn(const void *addr)
{
	return ((uintptr_t)addr - page_offset_base) >> PAGE_SHIFT;
}

static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)page->zone;
}

#ifdef __cplusplus
}
#endif

#endif /* GMM_LINUX_MM_H */
