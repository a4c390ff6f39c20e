/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/guest_page_state.h - the buddy allocator's state of a guest, seen from the VMM.
 *
 * The VMM backs guest physical memory with the buddy allocator: it lays the page state
 * (include/abi/page_state.h) and the page-frame array out in guest RAM, initialises it over
 * the RAM regions with what it placed reserved, and the guest adopts it from the boot info.
 * Because the state links pages by PFN, never by pointer, the VMM reads the same bytes through
 * its linear view while the guest runs.
 *
 * Read once (docs/threat-model.md): a running guest may change any of those bytes while the
 * VMM reads them, and a hostile one will. So every reader starts from
 * gmm_page_state_copy(): the header is copied into host memory once and validated there
 * against what gmm itself placed (magic, version, max_pfn, where the page-frame array is, the
 * zone names, every list head and count in range); only the copy is used afterwards, and the
 * page-frame array is read one struct page at a time with READ_ONCE, below the copy's
 * max_pfn only (mm/page_state_report.c). A guest can make what the VMM reads wrong, and then
 * the VMM refuses (fail closed), but never make it read outside guest RAM.
 */
#ifndef GMM_GMM_GUEST_PAGE_STATE_H
#define GMM_GMM_GUEST_PAGE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmm/guest_mem.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A guest-physical range [start, end) in bytes. */
struct gmm_mem_range {
	uint64_t start;
	uint64_t end;
};

struct gmm_page_state_layout {
	uint64_t state_phys; /* struct page_state */
	uint64_t map_phys;   /* struct page[max_pfn] */
	uint64_t max_pfn;
	uint64_t end_phys; /* one past the last byte of both */
};

/**
 * gmm_page_state_place - where gmm_page_state_setup() will put the state (no writes)
 * @gm: guest RAM
 * @out: state_phys, map_phys, max_pfn, end_phys
 * Return: 0, -EINVAL for a NULL @gm or @out, or -ENOMEM if it fits nowhere.
 */
int gmm_page_state_place(const struct gmm_mem *gm, struct gmm_page_state_layout *out);

/**
 * gmm_page_state_prefault - start faulting in where the state will go, on a thread
 * @gm: guest RAM
 *
 * Only an optimisation (gmm_mem_prefault_start()): the state is the one large thing a boot
 * writes, so its page faults can overlap other work. gmm_mem_prefault_wait() joins it.
 * Return: 0, -EINVAL for a NULL @gm, -EBUSY if a prefault is already under way, or another
 * negative errno.
 */
int gmm_page_state_prefault(struct gmm_mem *gm);

/**
 * gmm_page_state_setup - initialise the buddy page state over guest RAM
 * @gm: guest RAM
 * @reserved: guest-physical ranges to keep out of the allocator (what the VMM placed)
 * @nr_reserved: how many
 * @out: where the state went
 *
 * The state and its page-frame array go at the top of the highest RAM region they fill at
 * most half of, and reserve themselves.
 * Return: 0, -ENOMEM if they do not fit, -EINVAL for a NULL @gm or @out, more than 16 ranges,
 * a NULL @reserved with @nr_reserved > 0, a range whose start is past its end, or from
 * page_state_setup().
 */
int gmm_page_state_setup(const struct gmm_mem *gm, const struct gmm_mem_range *reserved,
			 unsigned int nr_reserved, struct gmm_page_state_layout *out);

/* sizeof(struct page_state) of include/abi/page_state.h (checked where it is used) */
#define GMM_PAGE_STATE_HDR_SIZE 2560

/*
 * The VMM's copy of a guest's page-state header, validated; the page-frame array stays in
 * guest RAM (the guest changes it with every allocation) and is read entry by entry. Opaque:
 * ask the gmm_page_state_*() queries below (the layout is include/abi/page_state.h's, which
 * this header does not expose).
 */
struct gmm_page_state_copy {
	uint64_t hdr[GMM_PAGE_STATE_HDR_SIZE / 8]; /* struct page_state's bytes, read once */
	const void *map;  /* the page-frame array in guest RAM: each entry is read once */
	uint64_t max_pfn; /* entries of the array (the copy's, validated) */
};

/**
 * gmm_page_state_copy - copy a (running) guest's page-state header once and validate it
 * @gm: guest RAM
 * @state_phys: where gmm placed the state (struct bootinfo.page_state_phys)
 * @out: the copy
 * @why: on failure, why the state is not valid (numbers only, never guest bytes)
 * @whylen: its size
 *
 * Valid means: at the place gmm_page_state_place() chooses for @gm, the right magic,
 * version and struct page size, the max_pfn and page-frame array gmm placed, the zone names of
 * PAGE_STATE_ZONE_NAMES, zone spans, list heads and counts within max_pfn.
 * Return: 0, or -EINVAL (then @out holds nothing to use; also for a NULL @gm or @out, or a
 * NULL @why with @whylen > 0).
 */
int gmm_page_state_copy(const struct gmm_mem *gm, uint64_t state_phys,
			struct gmm_page_state_copy *out, char *why, size_t whylen);

/* What holds a page frame, as gmm_page_state_block_of() says. */
enum gmm_page_block_kind {
	GMM_PAGE_BLOCK_UNKNOWN,	  /* past max_pfn, or the array is inconsistent there */
	GMM_PAGE_BLOCK_RESERVED,  /* a reserved page (head = the PFN asked for, order 0) */
	GMM_PAGE_BLOCK_FREE,	  /* a free buddy block, on a buddy or a per-CPU list */
	GMM_PAGE_BLOCK_ALLOCATED, /* an allocated block */
};

struct gmm_page_block {
	enum gmm_page_block_kind kind;
	uint64_t head; /* first PFN of the block */
	unsigned int order;
};

/**
 * gmm_page_state_block_of - the buddy block that holds @pfn, read from the guest's array
 * @c: a copy from gmm_page_state_copy()
 * @pfn: the page frame
 * Each entry is read once, below the copy's max_pfn only: an array the guest changes
 * meanwhile can make the answer wrong, never the read unsafe. mm does the walk
 * (page_state_block_of()).
 * Return: the block; GMM_PAGE_BLOCK_UNKNOWN for a NULL @c.
 */
struct gmm_page_block gmm_page_state_block_of(const struct gmm_page_state_copy *c, uint64_t pfn);

/**
 * gmm_page_state_reserved_end - the first PFN of [@first, @last] that is not reserved
 * @c: a copy from gmm_page_state_copy()
 * @first: first PFN
 * @last: last PFN
 * Return: that PFN, @last + 1 if all are reserved, or max_pfn if the range runs past it
 * (0 for a NULL @c).
 */
uint64_t gmm_page_state_reserved_end(const struct gmm_page_state_copy *c, uint64_t first,
				     uint64_t last);

/** gmm_page_state_max_pfn - page frames the copy's array covers (0 for NULL) */
uint64_t gmm_page_state_max_pfn(const struct gmm_page_state_copy *c);

/** gmm_page_state_free_pages - free pages of every zone, buddy and per-CPU lists (0 for NULL) */
uint64_t gmm_page_state_free_pages(const struct gmm_page_state_copy *c);

/**
 * gmm_page_state_for_each_free - call @fn for each free buddy block of order >= @min_order
 * @c: a copy from gmm_page_state_copy()
 * @min_order: 0 .. 10 (blocks on per-CPU lists are not visited: they change too often)
 * @fn: called with [@start_pfn, @start_pfn + @nr_pages); a non-zero return stops the walk
 * @ctx: passed to @fn
 *
 * Walks the zones' free lists in the guest's array, reading each entry once. A list that is
 * inconsistent (an entry that is not a free block of that order, a link past max_pfn, more
 * entries than the list's count) stops the walk: what was reported before stays reported.
 * Return: 0 after a full walk, what @fn returned if it stopped it, -EINVAL for bad arguments,
 * or -EUCLEAN if a list was inconsistent.
 */
int gmm_page_state_for_each_free(const struct gmm_page_state_copy *c, unsigned int min_order,
				 int (*fn)(void *ctx, uint64_t start_pfn, uint64_t nr_pages),
				 void *ctx);

/**
 * gmm_page_state_buddyinfo - /proc/buddyinfo of a (running) guest, from one copy
 * @gm: guest RAM
 * @state_phys: the page state
 * @buf: output, always NUL-terminated
 * @size: its size
 * Return: the length written, or 0 (with a message in @buf) if the state is not valid.
 */
size_t gmm_page_state_buddyinfo(const struct gmm_mem *gm, uint64_t state_phys, char *buf,
				size_t size);

/**
 * gmm_page_state_check - page_state_check() on a guest's state, from one copy
 * @gm: guest RAM
 * @state_phys: the page state
 * @err: the first broken invariant
 * @errlen: its size
 */
bool gmm_page_state_check(const struct gmm_mem *gm, uint64_t state_phys, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_GUEST_PAGE_STATE_H */
