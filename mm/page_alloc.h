/* SPDX-License-Identifier: MIT */
/*
 * mm/page_alloc.h - setting up, adopting and inspecting the buddy allocator's state.
 *
 * The Linux API (alloc_pages() and friends, include/linux/gfp.h) works on one attached state.
 * The functions here take the state explicitly, so a VMM can build the state of a guest in
 * guest RAM through its own mapping, and read it later, without attaching it:
 *
 *   page_state_init()        empty state over max_pfn frames, every page reserved
 *   page_state_free_range()  hand a PFN range to the buddy allocator (memblock does this)
 *   page_state_setup()       both of the above from a memory map and a list of reserved ranges
 *   page_alloc_attach()      make a state the one alloc_pages() uses
 *   page_state_buddyinfo()   /proc/buddyinfo text; page_state_zoneinfo() the counters
 *   page_state_check()       every invariant of include/abi/page_state.h, walked in full
 *   page_state_block_of()    the buddy block that holds a PFN (the VMM's DMA strict mode)
 */
#ifndef GMM_MM_PAGE_ALLOC_H
#define GMM_MM_PAGE_ALLOC_H

#include <linux/mm_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A physical address range [start, end) in bytes. */
struct mem_range {
	uint64_t start;
	uint64_t end;
};

/**
 * page_state_init - lay out an empty page state
 * @ps: the state to initialise
 * @map: the page-frame array, @max_pfn entries
 * @max_pfn: one past the highest PFN; at most PFN_NONE
 * @mem_map_phys: guest-physical address of @map for readers, or ~0ull if it is not in RAM
 *
 * Every page starts reserved; nothing can be allocated until ranges are freed into the state.
 * Return: 0, or -EINVAL for a zero or too large @max_pfn.
 */
int page_state_init(struct page_state *ps, struct page *map, uint64_t max_pfn,
		    uint64_t mem_map_phys);

/**
 * page_state_free_range - give the PFNs [@start_pfn, @end_pfn) to the buddy allocator
 * @ps: the state
 * @map: its page-frame array
 * @start_pfn: first PFN
 * @end_pfn: one past the last PFN
 *
 * The range is carved into the largest aligned blocks and merged with free neighbours; the
 * watermarks are recomputed. Every page must still be reserved (handed over at most once).
 * Return: 0, or -EINVAL for a range outside the array or a page already handed over (then
 * nothing was changed).
 */
int page_state_free_range(struct page_state *ps, struct page *map, uint64_t start_pfn,
			  uint64_t end_pfn);

/**
 * page_state_setup - page_state_init() plus the usable RAM minus the reserved ranges
 * @ps: the state
 * @map: the page-frame array, @max_pfn entries
 * @max_pfn: one past the highest PFN
 * @mem_map_phys: as for page_state_init()
 * @usable: usable RAM ranges (bytes; rounded inwards to whole pages)
 * @nr_usable: how many
 * @reserved: ranges never to hand out (rounded outwards), such as the kernel image
 * @nr_reserved: how many
 *
 * Return: 0 or -EINVAL (overlapping usable ranges, a range beyond @max_pfn).
 */
int page_state_setup(struct page_state *ps, struct page *map, uint64_t max_pfn,
		     uint64_t mem_map_phys, const struct mem_range *usable, unsigned int nr_usable,
		     const struct mem_range *reserved, unsigned int nr_reserved);

/**
 * page_alloc_attach - make @ps the state that alloc_pages() and friends use
 * @ps: an initialised state (magic, version and struct page size are checked)
 * @map: this address space's pointer to its page-frame array
 * @direct_map_base: the virtual address of physical address 0 (page_offset_base)
 *
 * Return: 0, or -EINVAL if @ps is not a page state of this version.
 */
int page_alloc_attach(struct page_state *ps, struct page *map, uintptr_t direct_map_base);

/** page_alloc_detach - forget the attached state; alloc_pages() fails until the next attach */
void page_alloc_detach(void);

/** page_alloc_state - the attached state, or NULL */
struct page_state *page_alloc_state(void);

/**
 * drain_local_pages - give this CPU's per-CPU page lists back to the buddy free lists
 */
void drain_local_pages(void);

/**
 * drain_all_pages - give every CPU's per-CPU page lists back
 *
 * Only safe while the other CPUs do not allocate (tests, a stopped guest).
 */
void drain_all_pages(void);

/**
 * page_state_free_pages - free pages of a zone, buddy and per-CPU lists together
 * @ps: the state
 * @zone: the zone
 */
uint64_t page_state_free_pages(const struct page_state *ps, enum zone_type zone);

/**
 * page_state_buddyinfo - the state as Linux's /proc/buddyinfo prints it
 * @ps: the state
 * @buf: output, always NUL-terminated
 * @size: its size
 *
 * One line per zone with managed pages: "Node 0, zone      DMA      1      0 ...", the
 * number of free blocks of each order 0..10 (blocks on per-CPU lists not counted, as in Linux).
 * Return: the length written.
 */
size_t page_state_buddyinfo(const struct page_state *ps, char *buf, size_t size);

/**
 * page_state_zoneinfo - per-zone counters and watermarks, one "key value" per line
 * @ps: the state
 * @buf: output, always NUL-terminated
 * @size: its size
 *
 * Return: the length written.
 */
size_t page_state_zoneinfo(const struct page_state *ps, char *buf, size_t size);

/**
 * page_state_check - verify every invariant of the state by walking it in full
 * @ps: the state
 * @map: its page-frame array
 * @err: receives a description of the first broken invariant
 * @errlen: size of @err
 *
 * O(max_pfn). Takes no lock: call it while nobody allocates.
 * Return: true when the state is consistent.
 */
bool page_state_check(const struct page_state *ps, const struct page *map, char *err,
		      size_t errlen);

enum page_block_kind {
	PAGE_BLOCK_UNKNOWN,   /* past max_pfn, or the array is inconsistent there */
	PAGE_BLOCK_RESERVED,  /* a reserved page (then head is the PFN asked for, order 0) */
	PAGE_BLOCK_FREE,      /* a free block, on a buddy or a per-CPU list */
	PAGE_BLOCK_ALLOCATED, /* an allocated block */
};

struct page_block {
	enum page_block_kind kind;
	uint64_t head; /* first PFN of the block */
	unsigned int order;
};

/**
 * page_state_block_of - the buddy block that holds @pfn
 * @map: the page-frame array, @max_pfn entries
 * @max_pfn: how many entries of @map may be read
 * @pfn: the page
 *
 * Blocks are aligned to their size and do not overlap, so the head of the block holding @pfn
 * is the first of pfn, pfn & ~1, pfn & ~3, ... that is a head. Example: pfn 0x1235 inside an
 * allocated order-2 block at 0x1234: 0x1235 has no flags (a tail), 0x1234 has PG_head with
 * order 2 and 0x1234 + 4 > 0x1235, so that is the block. A head that does not reach @pfn
 * means the array is inconsistent: PAGE_BLOCK_UNKNOWN. Each entry is read once, only entries
 * below @max_pfn are read, and nothing is locked: safe on an array that changes meanwhile.
 */
struct page_block page_state_block_of(const struct page *map, uint64_t max_pfn, uint64_t pfn);

/**
 * page_state_reserved_end - the first PFN of [@first, @last] that is not reserved
 * @map: the page-frame array, @max_pfn entries
 * @max_pfn: how many entries of @map may be read
 * @first: first PFN
 * @last: last PFN
 * Return: that PFN, @last + 1 if all are reserved, or @max_pfn if the range runs past it.
 */
uint64_t page_state_reserved_end(const struct page *map, uint64_t max_pfn, uint64_t first,
				 uint64_t last);

/**
 * page_state_for_each_free_block - call @fn for each block on a buddy free list of order
 * >= @min_order
 * @ps: the state (the VMM passes its validated copy of the header)
 * @map: the page-frame array, @max_pfn entries
 * @max_pfn: how many entries of @map may be read
 * @min_order: the smallest order visited
 * @fn: called with the block's first PFN and its pages; non-zero stops the walk
 * @ctx: passed to @fn
 *
 * Each entry is read once (READ_ONCE); a list whose entry is not a free block of its order,
 * whose link leaves [0, @max_pfn), or that holds more entries than its nr_free, stops the
 * walk. Per-CPU lists are not visited.
 * Return: 0, @fn's non-zero value, or -EUCLEAN for an inconsistent list.
 */
int page_state_for_each_free_block(const struct page_state *ps, const struct page *map,
				   uint64_t max_pfn, unsigned int min_order,
				   int (*fn)(void *ctx, uint64_t start_pfn, uint64_t nr_pages),
				   void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* GMM_MM_PAGE_ALLOC_H */
