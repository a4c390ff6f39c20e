/* SPDX-License-Identifier: MIT */
/*
 * mm/page_list.h - circular doubly linked lists of pages, linked by PFN index.
 *
 * A list is one uint32_t head (PFN_NONE when empty). Each member's struct page holds `next`
 * and `prev` PFNs; the head's `prev` is the tail, so both ends are O(1). Because links are
 * indices into the page-frame array, a list means the same thing to every reader of the array
 * (the guest through its direct map, the VMM through its mapping of guest RAM).
 *
 * Example, a list of PFNs 7 -> 3 -> 9:  head = 7; map[7] = {next 3, prev 9},
 * map[3] = {next 9, prev 7}, map[9] = {next 7, prev 3}.
 */
#ifndef GMM_MM_PAGE_LIST_H
#define GMM_MM_PAGE_LIST_H

#include <linux/mm_types.h>

static inline void page_list_add(struct page *map, uint32_t *head, uint32_t pfn)
{
	struct page *p = &map[pfn];

	if (*head == PFN_NONE) {
		p->next = pfn;
		p->prev = pfn;
	} else {
		struct page *h = &map[*head];
		uint32_t tail = h->prev;

		p->next = *head;
		p->prev = tail;
		map[tail].next = pfn;
		h->prev = pfn;
	}
	*head = pfn;
}

static inline void page_list_add_tail(struct page *map, uint32_t *head, uint32_t pfn)
{
	page_list_add(map, head, pfn);
	*head = map[pfn].next; /* the old head again; pfn is now its prev, i.e. the tail */
}

static inline void page_list_del(struct page *map, uint32_t *head, uint32_t pfn)
{
	struct page *p = &map[pfn];

	if (p->next == pfn) {
		*head = PFN_NONE;
	} else {
		map[p->prev].next = p->next;
		map[p->next].prev = p->prev;
		if (*head == pfn)
			*head = p->next;
	}
	p->next = PFN_NONE;
	p->prev = PFN_NONE;
}

static inline uint32_t page_list_tail(const struct page *map, uint32_t head)
{
	return head == PFN_NONE ? PFN_NONE : map[head].prev;
}

#endif /* GMM_MM_PAGE_LIST_H */
