/* SPDX-License-Identifier: MIT */
/*
 * include/linux/gfp.h - GFP flags and the page allocator API, with Linux's names and meanings.
 *
 * Flag values and compositions follow Linux 6.x, so code written for the kernel compiles and
 * behaves the same. What differs from the classic texts (../shared/SEED-CLAIMS.md):
 *  - __GFP_HIGHMEM is accepted and means nothing: x86-64 has no HIGHMEM zone (row 13).
 *  - __GFP_COLD is not provided: Linux removed it in 4.15 (row 14).
 *  - __GFP_REPEAT is not provided: Linux renamed it __GFP_RETRY_MAYFAIL in 4.13 (row 16).
 *
 * Zones and fallback (the zonelist): no zone flag tries NORMAL, then DMA32, then DMA;
 * GFP_DMA32 tries DMA32 then DMA; GFP_DMA uses DMA only.
 *
 * Watermarks: an allocation succeeds from a zone only if the zone keeps more than its min
 * watermark of free pages afterwards. __GFP_HIGH (part of GFP_ATOMIC) may go to half of min,
 * and a __GFP_HIGH request that cannot sleep to 3/8 of min: that is the emergency reserve.
 *
 * There is no reclaim here: nothing can be paged out. So __GFP_NORETRY gives up at once;
 * __GFP_RETRY_MAYFAIL and ordinary requests first give back the per-CPU caches of pages
 * (the equivalent of Linux's drain_all_pages during direct reclaim) and try once more;
 * __GFP_NOFAIL then ignores the watermarks, and if no block of the order exists at all it
 * panics with the buddyinfo - where Linux would loop and invoke the OOM killer forever.
 *
 * A failed allocation logs "page allocation failure" with order, flags and buddyinfo unless
 * __GFP_NOWARN is set. Orders above MAX_PAGE_ORDER (10) always fail, with a warning.
 */
#ifndef GMM_LINUX_GFP_H
#define GMM_LINUX_GFP_H

#include <linux/mm_types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned int gfp_t;

#define ___GFP_DMA 0x01u
#define ___GFP_HIGHMEM 0x02u
#define ___GFP_DMA32 0x04u
#define ___GFP_MOVABLE 0x08u
#define ___GFP_RECLAIMABLE 0x10u
#define ___GFP_HIGH 0x20u
#define ___GFP_IO 0x40u
#define ___GFP_FS 0x80u
#define ___GFP_ZERO 0x100u
#define ___GFP_DIRECT_RECLAIM 0x400u
#define ___GFP_KSWAPD_RECLAIM 0x800u
#define ___GFP_WRITE 0x1000u
#define ___GFP_NOWARN 0x2000u
#define ___GFP_RETRY_MAYFAIL 0x4000u
#define ___GFP_NOFAIL 0x8000u
#define ___GFP_NORETRY 0x10000u
#define ___GFP_MEMALLOC 0x20000u
#define ___GFP_COMP 0x40000u
#define ___GFP_NOMEMALLOC 0x80000u
#define ___GFP_HARDWALL 0x100000u
#define ___GFP_THISNODE 0x200000u
#define ___GFP_ACCOUNT 0x400000u

/* Zone modifiers */
#define __GFP_DMA ((gfp_t)___GFP_DMA)
#define __GFP_HIGHMEM ((gfp_t)___GFP_HIGHMEM)
#define __GFP_DMA32 ((gfp_t)___GFP_DMA32)
#define __GFP_MOVABLE ((gfp_t)___GFP_MOVABLE)
#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)

/* Page mobility and placement hints (accepted; there is one node and no migration) */
#define __GFP_RECLAIMABLE ((gfp_t)___GFP_RECLAIMABLE)
#define __GFP_WRITE ((gfp_t)___GFP_WRITE)
#define __GFP_HARDWALL ((gfp_t)___GFP_HARDWALL)
#define __GFP_THISNODE ((gfp_t)___GFP_THISNODE)
#define __GFP_ACCOUNT ((gfp_t)___GFP_ACCOUNT)

/* Watermark modifiers */
#define __GFP_HIGH ((gfp_t)___GFP_HIGH)
#define __GFP_MEMALLOC ((gfp_t)___GFP_MEMALLOC)
#define __GFP_NOMEMALLOC ((gfp_t)___GFP_NOMEMALLOC)

/* Reclaim modifiers */
#define __GFP_IO ((gfp_t)___GFP_IO)
#define __GFP_FS ((gfp_t)___GFP_FS)
#define __GFP_DIRECT_RECLAIM ((gfp_t)___GFP_DIRECT_RECLAIM)
#define __GFP_KSWAPD_RECLAIM ((gfp_t)___GFP_KSWAPD_RECLAIM)
#define __GFP_RECLAIM ((gfp_t)(___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM))
#define __GFP_RETRY_MAYFAIL ((gfp_t)___GFP_RETRY_MAYFAIL)
#define __GFP_NOFAIL ((gfp_t)___GFP_NOFAIL)
#define __GFP_NORETRY ((gfp_t)___GFP_NORETRY)

/* Action modifiers */
#define __GFP_NOWARN ((gfp_t)___GFP_NOWARN)
#define __GFP_COMP ((gfp_t)___GFP_COMP)
#define __GFP_ZERO ((gfp_t)___GFP_ZERO)

/* Useful combinations, exactly as Linux composes them */
#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

#define NUMA_NO_NODE (-1)

/**
 * gfpflags_allow_blocking - may an allocation with these flags sleep?
 * @gfp: the flags
 *
 * Return: true when @gfp contains __GFP_DIRECT_RECLAIM (GFP_KERNEL, GFP_NOIO, ...).
 */
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return (gfp & __GFP_DIRECT_RECLAIM) != 0;
}

/**
 * gfp_zone - the highest zone an allocation with these flags may use
 * @gfp: the flags
 *
 * Return: ZONE_DMA for __GFP_DMA, ZONE_DMA32 for __GFP_DMA32, ZONE_NORMAL otherwise.
 */
static inline enum zone_type gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

/**
 * alloc_pages - allocate 2^@order physically contiguous pages
 * @gfp: GFP flags (zone, watermark and action modifiers)
 * @order: 0..MAX_PAGE_ORDER
 *
 * The block is aligned to its size in physical memory and not zeroed unless __GFP_ZERO.
 * Return: the struct page of the first page, or NULL.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);

/**
 * alloc_pages_node - alloc_pages() on a NUMA node
 * @nid: the node: 0 or NUMA_NO_NODE (there is one node); others warn and use node 0
 * @gfp: GFP flags
 * @order: 0..MAX_PAGE_ORDER
 *
 * Return: the struct page of the first page, or NULL.
 */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);

/**
 * __free_pages - give back a block from alloc_pages()
 * @page: its first page
 * @order: the order it was allocated with
 *
 * A double free, a wrong order, or a page the allocator does not own is reported
 * ("BUG: Bad page state") and the block is left alone rather than corrupt the free lists.
 */
void __free_pages(struct page *page, unsigned int order);

/**
 * __get_free_pages - allocate 2^@order pages and return their direct-map address
 * @gfp: GFP flags
 * @order: 0..MAX_PAGE_ORDER
 *
 * Return: the virtual address of the block, or 0. Not zeroed unless __GFP_ZERO.
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);

/**
 * get_zeroed_page - allocate one zeroed page
 * @gfp: GFP flags
 *
 * Return: its virtual address, or 0.
 */
unsigned long get_zeroed_page(gfp_t gfp);

/**
 * free_pages - give back a block from __get_free_pages()
 * @addr: its virtual address (0 is ignored)
 * @order: the order it was allocated with
 */
void free_pages(unsigned long addr, unsigned int order);

#define alloc_page(gfp) alloc_pages(gfp, 0)
#define __get_free_page(gfp) __get_free_pages((gfp), 0)
#define __free_page(page) __free_pages((page), 0)
#define free_page(addr) free_pages((addr), 0)

#ifdef __cplusplus
}
#endif

#endif /* GMM_LINUX_GFP_H */
