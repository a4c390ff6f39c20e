/* SPDX-License-Identifier: MIT */
/*
 * include/abi/page_state.h - the buddy allocator's state, as both the guest and the VMM see it.
 *
 * The page allocator keeps all of its state in two places that live in guest RAM: one
 * `struct page_state` (zones, free lists, per-CPU lists, counters) and the page-frame array
 * (`struct page mem_map[max_pfn]`, one entry per PFN, holes included). Nothing in either is a
 * pointer that the allocator follows: lists link pages by PFN index (PFN_NONE ends a list).
 * The same bytes therefore mean the same thing through the guest's direct map and through the
 * VMM's host mapping of guest RAM; a reader only needs its own pointer to each of the two.
 *
 * Invariants (checked by page_state_check()):
 *  - every PFN is in exactly one of: reserved (PG_reserved), head of a free buddy block
 *    (PG_buddy, on free_area[order]), head of a free block on a per-CPU list (PG_pcp), head of
 *    an allocated block (PG_head), or inside one of those blocks (flags == 0).
 *  - a block of order o starts at a PFN aligned to 2^o and lies in one zone.
 *  - zone->free_pages is the sum over orders of nr_free << order; pcp[cpu].pages likewise for
 *    the per-CPU lists; managed = free + per-CPU + allocated.
 *  - `lock` is a spin word (0 free, 1 held), the guest's zone lock. The VMM does not take it:
 *    it reads a running guest's state without it, under the read-once rule (one validated
 *    copy of this header, each struct page read once; docs/threat-model.md).
 *
 * The layout is versioned (PAGE_STATE_VERSION) and fixed-width, so a 64-bit VMM can read the
 * state of a 64-bit guest. The slab fields of struct page are guest addresses: the VMM never
 * follows them.
 */
#ifndef GMM_ABI_PAGE_STATE_H
#define GMM_ABI_PAGE_STATE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PAGE_STATE_MAGIC 0x54535047414d4d47ull /* "GMMAGPST" little-endian */
#define PAGE_STATE_VERSION 1u

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ul << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* Orders 0..MAX_PAGE_ORDER: the largest block is 2^10 pages = 4 MiB (Linux's x86-64 default). */
#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
/* Orders up to PAGE_ALLOC_COSTLY_ORDER are cached on per-CPU lists, as in Linux. */
#define PAGE_ALLOC_COSTLY_ORDER 3
#define NR_PCP_ORDERS (PAGE_ALLOC_COSTLY_ORDER + 1)
#define PAGE_STATE_MAX_CPUS 8

#define PFN_NONE 0xffffffffu

/* Zone boundaries in PFNs: DMA [0, 16 MiB), DMA32 [16 MiB, 4 GiB), NORMAL above. */
#define ZONE_DMA_END_PFN (0x1000000ull >> PAGE_SHIFT)
#define ZONE_DMA32_END_PFN (0x100000000ull >> PAGE_SHIFT)

enum zone_type {
	ZONE_DMA = 0,
	ZONE_DMA32 = 1,
	ZONE_NORMAL = 2,
	MAX_NR_ZONES = 3,
};

/* struct zone.name of each zone_type, NUL-padded: readers reject a state with other names. */
#define PAGE_STATE_ZONE_NAMES { "DMA", "DMA32", "Normal" }

/* struct page.flags */
#define PG_reserved 0x01u /* never handed out: hole, firmware, kernel image, page tables */
#define PG_buddy 0x02u	  /* head of a free block on zone->free_area[order] */
#define PG_pcp 0x04u	  /* head of a free block on a per-CPU list */
#define PG_head 0x08u	  /* head of an allocated block of 2^order pages */
#define PG_slab 0x10u	  /* allocated block owned by the slab allocator */

struct page {
	uint32_t flags;
	uint8_t order; /* valid with PG_buddy, PG_pcp, PG_head */
	uint8_t zone;  /* enum zone_type, set for every managed page */
	uint16_t slab_inuse;
	uint32_t next; /* list link by PFN index, PFN_NONE at the end */
	uint32_t prev;
	union {
		void *slab_cache; /* PG_slab: the owning struct kmem_cache (guest address) */
		uint64_t slab_cache_addr;
	};
	union {
		void *freelist; /* PG_slab: first free object (guest address) */
		uint64_t freelist_addr;
	};
};

struct free_area {
	uint32_t head; /* first free block of this order, PFN_NONE if none */
	uint32_t pad;
	uint64_t nr_free;
};

struct pcp_list {
	uint32_t head;
	uint32_t count;
};

/*
 * Per-CPU page lists and counters of one zone: touched only by their CPU with interrupts off,
 * one cache line each so CPUs do not share lines.
 */
struct per_cpu_pages {
	struct pcp_list lists[NR_PCP_ORDERS]; /* count in blocks of that order */
	uint64_t pages;			      /* pages on all lists */
	uint64_t alloc_ok;		      /* blocks handed out by this CPU */
	uint64_t freed;			      /* blocks given back through this CPU */
} __attribute__((aligned(64)));

/* Zone-wide counters, under the zone lock; per-CPU ones are in struct per_cpu_pages. */
struct zone_stats {
	uint64_t alloc_fail;   /* failed requests whose preferred zone this is */
	uint64_t alloc_reserve; /* served only because __GFP_HIGH may go below the min watermark */
	uint64_t pcp_refill;   /* batches moved buddy -> per-CPU */
	uint64_t pcp_drain;    /* batches moved per-CPU -> buddy */
	uint64_t bad_free;     /* refused frees (double free, wrong order, not ours) */
};

struct zone {
	char name[8];
	uint64_t start_pfn; /* spanned range [start_pfn, end_pfn) */
	uint64_t end_pfn;
	uint64_t managed_pages; /* pages ever given to the buddy allocator */
	uint64_t free_pages;	/* pages on free_area lists (per-CPU lists not counted) */
	uint64_t wmark_min;
	uint64_t wmark_low;
	uint64_t wmark_high;
	uint32_t pcp_high;  /* a per-CPU list above this many pages gives back pcp_batch */
	uint32_t pcp_batch;
	uint32_t lock;
	uint32_t pad;
	struct free_area free_area[NR_PAGE_ORDERS];
	struct per_cpu_pages pcp[PAGE_STATE_MAX_CPUS];
	struct zone_stats stats;
};

struct page_state {
	uint64_t magic;
	uint32_t version;
	uint32_t page_struct_size; /* sizeof(struct page), checked by readers */
	uint64_t max_pfn;	   /* mem_map has max_pfn entries */
	uint64_t mem_map_phys;	   /* guest-physical address of mem_map, or ~0 if not in RAM */
	struct zone zones[MAX_NR_ZONES];
};

#ifdef __cplusplus
}
#endif

#endif /* GMM_ABI_PAGE_STATE_H */
