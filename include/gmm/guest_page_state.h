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

#include "mm/page_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

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
 * Return: 0, or -ENOMEM if it fits nowhere.
 */
int gmm_page_state_place(const struct gmm_mem *gm, struct gmm_page_state_layout *out);

/**
 * gmm_page_state_prefault - start faulting in where the state will go, on a thread
 * @gm: guest RAM
 *
 * Only an optimisation (gmm_mem_prefault_start()): the state is the one large thing a boot
 * writes, so its page faults can overlap other work. gmm_mem_prefault_wait() joins it.
 * Return: 0, -EBUSY if a prefault is already under way, or another negative errno.
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
 * most half of, and reserve themselves. Return: 0, -ENOMEM if they do not fit, -EINVAL from page_state_setup().
 */
int gmm_page_state_setup(const struct gmm_mem *gm, const struct mem_range *reserved,
			   unsigned int nr_reserved, struct gmm_page_state_layout *out);

/*
 * The VMM's copy of a guest's page-state header, validated; the page-frame array stays in
 * guest RAM (the guest changes it with every allocation) and is read entry by entry.
 */
struct gmm_page_state_copy {
	struct page_state hdr;	/* read once from guest RAM, then validated */
	const struct page *map; /* hdr.max_pfn entries in guest RAM: read each with READ_ONCE */
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
 * Return: 0, or -EINVAL (then @out holds nothing to use).
 */
int gmm_page_state_copy(const struct gmm_mem *gm, uint64_t state_phys,
			  struct gmm_page_state_copy *out, char *why, size_t whylen);

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
