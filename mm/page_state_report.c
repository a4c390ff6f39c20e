// SPDX-License-Identifier: MIT
/*
 * mm/page_state_report.c - reading a page state: buddyinfo, zone counters, the full check.
 *
 * Everything here takes the state explicitly and only reads it, so the VMM can run it on the
 * state of a guest through its own mapping of guest RAM. None of it takes the zone lock: in the
 * guest the caller makes sure nobody allocates; the VMM runs it on a running guest without the
 * lock, which is safe because of what follows (a stopped guest gives exact answers).
 *
 * Read once: the VMM may run these while the guest runs, so the page-frame array can change
 * under the reader. Each struct page is copied once with READ_ONCE() and only the copy is
 * looked at, and every index comes from the caller's max_pfn, never from a field read twice:
 * a changing array can make an answer wrong (the VMM then refuses, docs/threat-model.md) but
 * never make a read leave [0, max_pfn). The header (struct page_state) is the caller's: the
 * VMM passes its own validated copy (vmm/guest_page_state.c).
 */
#include <linux/errno.h>
#include <linux/mm_types.h>

#include "mm/mm_internal.h"
#include "mm/page_alloc.h"

uint64_t page_state_free_pages(const struct page_state *ps, enum zone_type zone)
{
	const struct zone *z = &ps->zones[zone];
	uint64_t n = z->free_pages;
	unsigned int cpu;

	for (cpu = 0; cpu < PAGE_STATE_MAX_CPUS; cpu++)
		n += z->pcp[cpu].pages;
	return n;
}

size_t page_state_buddyinfo(const struct page_state *ps, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int zi, o;

	if (size)
		buf[0] = '\0';
	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		const struct zone *z = &ps->zones[zi];

		if (!z->managed_pages)
			continue;
		len += mm_snprintf(buf + len, size - len, "Node 0, zone %8.8s ", z->name);
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			len += mm_snprintf(buf + len, size - len, "%6llu ",
					   (unsigned long long)z->free_area[o].nr_free);
		len += mm_snprintf(buf + len, size - len, "\n");
	}
	return len;
}

size_t page_state_zoneinfo(const struct page_state *ps, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int zi, cpu;

	if (size)
		buf[0] = '\0';
	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		const struct zone *z = &ps->zones[zi];
		uint64_t alloc_ok = 0, freed = 0, pcp = 0;

		if (!z->managed_pages)
			continue;
		for (cpu = 0; cpu < PAGE_STATE_MAX_CPUS; cpu++) {
			alloc_ok += z->pcp[cpu].alloc_ok;
			freed += z->pcp[cpu].freed;
			pcp += z->pcp[cpu].pages;
		}
		len += mm_snprintf(
			buf + len, size - len,
			"Node 0, zone %8.8s\n  spanned %llu\n  managed %llu\n  free %llu\n"
			"  pcp %llu\n  min %llu\n  low %llu\n  high %llu\n  alloc_ok %llu\n"
			"  freed %llu\n  alloc_fail %llu\n  alloc_reserve %llu\n  pcp_refill %llu\n"
			"  pcp_drain %llu\n  bad_free %llu\n",
			z->name, (unsigned long long)(z->end_pfn - z->start_pfn),
			(unsigned long long)z->managed_pages, (unsigned long long)z->free_pages,
			(unsigned long long)pcp, (unsigned long long)z->wmark_min,
			(unsigned long long)z->wmark_low, (unsigned long long)z->wmark_high,
			(unsigned long long)alloc_ok, (unsigned long long)freed,
			(unsigned long long)z->stats.alloc_fail,
			(unsigned long long)z->stats.alloc_reserve,
			(unsigned long long)z->stats.pcp_refill,
			(unsigned long long)z->stats.pcp_drain, (unsigned long long)z->stats.bad_free);
	}
	return len;
}

#define CHECK MM_CHECK /* records the broken invariant in err/errlen and returns false */

/* Walk one list: every member must carry @flag and @order, lie in @z, links must agree. */
static bool check_list(const struct zone *z, const struct page *map, uint64_t max_pfn,
		       uint32_t head, uint32_t flag, unsigned int order, uint64_t expect,
		       const char *what, char *err, size_t errlen)
{
	uint64_t n = 0;
	uint32_t pfn = head;

	if (head == PFN_NONE) {
		CHECK(expect == 0, "%s: list empty but count %llu", what,
		      (unsigned long long)expect);
		return true;
	}
	do {
		struct page p;

		CHECK(pfn < max_pfn, "%s: link to pfn %#x beyond max_pfn", what, pfn);
		p = READ_ONCE(map[pfn]);
		CHECK(p.flags == flag && p.order == order,
		      "%s: pfn %#x has flags %#x order %u, expected %#x order %u", what, pfn,
		      p.flags, p.order, flag, order);
		CHECK((pfn & ((1u << order) - 1)) == 0, "%s: pfn %#x not aligned to order %u",
		      what, pfn, order);
		CHECK(pfn >= z->start_pfn && pfn + (1u << order) <= z->end_pfn,
		      "%s: block at pfn %#x outside zone %s", what, pfn, z->name);
		CHECK(p.next < max_pfn && READ_ONCE(map[p.next].prev) == pfn,
		      "%s: broken links at pfn %#x", what, pfn);
		CHECK(++n <= expect, "%s: more blocks than the count %llu", what,
		      (unsigned long long)expect);
		pfn = p.next;
	} while (pfn != head);
	CHECK(n == expect, "%s: %llu blocks, count says %llu", what, (unsigned long long)n,
	      (unsigned long long)expect);
	return true;
}

bool page_state_check(const struct page_state *ps, const struct page *map, char *err,
		      size_t errlen)
{
	uint64_t max = ps->max_pfn, pfn;
	unsigned int zi, o, cpu;

	CHECK(ps->magic == PAGE_STATE_MAGIC && ps->version == PAGE_STATE_VERSION,
	      "not a page state of version %u", PAGE_STATE_VERSION);
	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		const struct zone *z = &ps->zones[zi];
		uint64_t free = 0, pcp = 0;

		CHECK(z->lock == 0, "zone %s: lock held", z->name);
		for (o = 0; o < NR_PAGE_ORDERS; o++) {
			if (!check_list(z, map, max, z->free_area[o].head, PG_buddy, o,
					z->free_area[o].nr_free, z->name, err, errlen))
				return false;
			free += z->free_area[o].nr_free << o;
		}
		CHECK(free == z->free_pages, "zone %s: free lists hold %llu pages, free_pages %llu",
		      z->name, (unsigned long long)free, (unsigned long long)z->free_pages);
		for (cpu = 0; cpu < PAGE_STATE_MAX_CPUS; cpu++) {
			uint64_t pages = 0;

			for (o = 0; o < NR_PCP_ORDERS; o++) {
				const struct pcp_list *l = &z->pcp[cpu].lists[o];

				if (!check_list(z, map, max, l->head, PG_pcp, o, l->count, z->name,
						err, errlen))
					return false;
				pages += (uint64_t)l->count << o;
			}
			CHECK(pages == z->pcp[cpu].pages, "zone %s cpu %u: pcp pages %llu != %llu",
			      z->name, cpu, (unsigned long long)pages,
			      (unsigned long long)z->pcp[cpu].pages);
			pcp += pages;
		}
		CHECK(free + pcp <= z->managed_pages, "zone %s: more free pages than managed",
		      z->name);
	}
	/* every page is reserved, a block head, or covered by exactly one block */
	for (pfn = 0; pfn < max;) {
		struct page p = READ_ONCE(map[pfn]);
		uint64_t i, n;
		uint32_t flags;

		CHECK(p.zone < MAX_NR_ZONES, "pfn %#llx: bad zone %u", (unsigned long long)pfn,
		      p.zone);
		if (p.flags == PG_reserved) {
			pfn++;
			continue;
		}
		CHECK(p.flags & (PG_buddy | PG_pcp | PG_head),
		      "pfn %#llx: flags %#x, not reserved and in no block", (unsigned long long)pfn,
		      p.flags);
		CHECK(p.order <= MAX_PAGE_ORDER, "pfn %#llx: order %u", (unsigned long long)pfn,
		      p.order);
		n = 1ull << p.order;
		CHECK(pfn + n <= max, "pfn %#llx: block runs past max_pfn", (unsigned long long)pfn);
		for (i = 1; i < n; i++) {
			flags = READ_ONCE(map[pfn + i].flags);
			CHECK(flags == 0, "pfn %#llx: inside the block at %#llx but flags %#x",
			      (unsigned long long)(pfn + i), (unsigned long long)pfn, flags);
		}
		pfn += n;
	}
	return true;
}

struct page_block page_state_block_of(const struct page *map, uint64_t max_pfn, uint64_t pfn)
{
	unsigned int o;

	if (pfn >= max_pfn)
		return (struct page_block){ PAGE_BLOCK_UNKNOWN, pfn, 0 };
	if (READ_ONCE(map[pfn].flags) & PG_reserved)
		return (struct page_block){ PAGE_BLOCK_RESERVED, pfn, 0 };
	for (o = 0; o <= MAX_PAGE_ORDER; o++) {
		uint64_t head = pfn & ~((1ull << o) - 1);
		struct page p = READ_ONCE(map[head]);

		if (!(p.flags & (PG_head | PG_buddy | PG_pcp | PG_reserved)))
			continue;
		if (p.flags & PG_reserved || p.order > MAX_PAGE_ORDER ||
		    head + (1ull << p.order) <= pfn)
			break;
		return (struct page_block){ (p.flags & PG_head) ? PAGE_BLOCK_ALLOCATED :
								  PAGE_BLOCK_FREE,
					    head, p.order };
	}
	return (struct page_block){ PAGE_BLOCK_UNKNOWN, pfn, 0 };
}

uint64_t page_state_reserved_end(const struct page *map, uint64_t max_pfn, uint64_t first,
				 uint64_t last)
{
	uint64_t pfn;

	for (pfn = first; pfn <= last && pfn < max_pfn; pfn++)
		if (!(READ_ONCE(map[pfn].flags) & PG_reserved))
			break;
	return pfn;
}

int page_state_for_each_free_block(const struct page_state *ps, const struct page *map,
				   uint64_t max_pfn, unsigned int min_order,
				   int (*fn)(void *ctx, uint64_t start_pfn, uint64_t nr_pages),
				   void *ctx)
{
	unsigned int zi, o;
	int ret;

	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		for (o = min_order; o < NR_PAGE_ORDERS; o++) {
			const struct free_area *fa = &ps->zones[zi].free_area[o];
			uint64_t n = 0, left = fa->nr_free;
			uint32_t pfn = fa->head;

			while (pfn != PFN_NONE) {
				struct page p;

				if (pfn >= max_pfn || n++ == left)
					return -EUCLEAN;
				p = READ_ONCE(map[pfn]);
				if (p.flags != PG_buddy || p.order != o ||
				    (pfn & ((1u << o) - 1)) || pfn + (1ull << o) > max_pfn)
					return -EUCLEAN;
				ret = fn(ctx, pfn, 1ull << o);
				if (ret)
					return ret;
				pfn = p.next;
				if (pfn == fa->head)
					break;
			}
		}
	}
	return 0;
}
