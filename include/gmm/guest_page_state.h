/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/guest_page_state.h - the buddy allocator's state of a guest, seen from the VMM.
 *
 * The VMM backs guest physical memory with the buddy allocator: it lays the page state
 * (include/abi/page_state.h) and the page-frame array out in guest RAM, initialises it over
 * the RAM regions with what it placed reserved, and the guest adopts it from the boot info.
 * Because the state links pages by PFN, never by pointer, the VMM reads the same bytes through
 * its linear view while the guest runs. Such reads are snapshots: the guest may be changing the
 * state; they are memory-safe because every address comes from gmem_ptr().
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

struct guest_page_state {
	uint64_t state_phys; /* struct page_state */
	uint64_t map_phys;   /* struct page[max_pfn] */
	uint64_t max_pfn;
	uint64_t end_phys; /* one past the last byte of both */
};

/**
 * guest_page_state_place - where guest_page_state_setup() will put the state (no writes)
 * @gm: guest RAM
 * @out: state_phys, map_phys, max_pfn, end_phys
 * Return: 0, or -ENOMEM if it fits nowhere.
 */
int guest_page_state_place(const struct gmem *gm, struct guest_page_state *out);

/**
 * guest_page_state_prefault - start faulting in where the state will go, on a thread
 * @gm: guest RAM
 *
 * Only an optimisation (gmem_prefault_start()): the state is the one large thing a boot
 * writes, so its page faults can overlap other work. gmem_prefault_wait() joins it.
 * Return: 0, -EBUSY if a prefault is already under way, or another negative errno.
 */
int guest_page_state_prefault(struct gmem *gm);

/**
 * guest_page_state_setup - initialise the buddy page state over guest RAM
 * @gm: guest RAM
 * @reserved: guest-physical ranges to keep out of the allocator (what the VMM placed)
 * @nr_reserved: how many
 * @out: where the state went
 *
 * The state and its page-frame array go at the top of the highest RAM region they fill at
 * most half of, and reserve themselves. Return: 0, -ENOMEM if they do not fit, -EINVAL from page_state_setup().
 */
int guest_page_state_setup(const struct gmem *gm, const struct mem_range *reserved,
			   unsigned int nr_reserved, struct guest_page_state *out);

/**
 * guest_page_state_get - the host pointer of a guest's page state, validated
 * @gm: guest RAM
 * @state_phys: where the boot info says it is
 * Return: the state, or NULL if it is not in RAM or its magic, version or page size is wrong.
 */
const struct page_state *guest_page_state_get(const struct gmem *gm, uint64_t state_phys);

/**
 * guest_page_state_buddyinfo - /proc/buddyinfo of a (running) guest
 * @gm: guest RAM
 * @state_phys: the page state
 * @buf: output, always NUL-terminated
 * @size: its size
 * Return: the length written, or 0 (with a message in @buf) if the state is not valid.
 */
size_t guest_page_state_buddyinfo(const struct gmem *gm, uint64_t state_phys, char *buf,
				  size_t size);

/**
 * guest_page_state_check - page_state_check() on a stopped guest's state
 * @gm: guest RAM
 * @state_phys: the page state
 * @err: the first broken invariant
 * @errlen: its size
 */
bool guest_page_state_check(const struct gmem *gm, uint64_t state_phys, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_GUEST_PAGE_STATE_H */
