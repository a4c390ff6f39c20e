// SPDX-License-Identifier: MIT
/*
 * vmm/guest_page_state.c - the VMM's side of the buddy page state in guest RAM.
 *
 * Placement (top of the highest RAM region R that keeps at least half of itself free,
 * page-aligned):
 *
 *   | ... R ... | struct page_state (rounded to pages) | struct page[max_pfn] (rounded) |
 *                ^state_phys                            ^map_phys                 end of R
 *
 * max_pfn covers every PFN up to the end of RAM, holes included (they stay reserved), so
 * pfn_to_page() is an array index for the guest and for us.
 *
 * Readers follow the read-once rule (include/gmm/guest_page_state.h): the placement is
 * computed again from guest RAM's layout, never taken from the guest, and the header is
 * copied once and validated against it before anything uses it.
 */
#include <gmm/guest_page_state.h>

#include <abi/page_state.h>

#include "mm/page_alloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define ROUND_UP_PAGE(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define MAX_USABLE	 GMM_MEM_MAX_REGIONS
#define MAX_RESERVED	 16

int gmm_page_state_place(const struct gmm_mem *gm, struct gmm_page_state_layout *out)
{
	uint64_t max_pfn, state_bytes = ROUND_UP_PAGE(sizeof(struct page_state)), map_bytes;
	const struct gmm_mem_region *home = NULL;
	unsigned int i;

	if (!gm || !out)
		return -EINVAL;
	max_pfn = gm->end >> PAGE_SHIFT;
	map_bytes = ROUND_UP_PAGE(max_pfn * sizeof(struct page));
	/* the highest region that keeps at least half of itself for the guest */
	for (i = gm->nr_regions; i-- > 0 && !home;)
		if (state_bytes + map_bytes <= gm->regions[i].size / 2)
			home = &gm->regions[i];
	if (!home)
		return -ENOMEM;
	out->end_phys = home->gpa + home->size;
	out->map_phys = out->end_phys - map_bytes;
	out->state_phys = out->map_phys - state_bytes;
	out->max_pfn = max_pfn;
	return 0;
}

int gmm_page_state_prefault(struct gmm_mem *gm)
{
	struct gmm_page_state_layout gps;
	int ret = gmm_page_state_place(gm, &gps); /* -EINVAL for a NULL @gm */

	return ret ? ret :
		     gmm_mem_prefault_start(gm, gps.state_phys, gps.end_phys - gps.state_phys);
}

int gmm_page_state_setup(const struct gmm_mem *gm, const struct gmm_mem_range *reserved,
			 unsigned int nr_reserved, struct gmm_page_state_layout *out)
{
	struct mem_range usable[MAX_USABLE], resv[MAX_RESERVED + 1];
	uint64_t max_pfn, state_bytes = ROUND_UP_PAGE(sizeof(struct page_state)), map_bytes;
	struct page_state *ps;
	struct page *map;
	unsigned int i;
	int ret;

	if (!gm || !out || nr_reserved > MAX_RESERVED || (nr_reserved && !reserved))
		return -EINVAL;
	for (i = 0; i < nr_reserved; i++)
		if (reserved[i].start > reserved[i].end)
			return -EINVAL;
	max_pfn = gm->end >> PAGE_SHIFT;
	map_bytes = ROUND_UP_PAGE(max_pfn * sizeof(struct page));
	ret = gmm_page_state_place(gm, out);
	if (ret)
		return ret;
	ps = gmm_mem_ptr(gm, out->state_phys, state_bytes);
	map = gmm_mem_ptr(gm, out->map_phys, map_bytes);
	if (!ps || !map)
		return -ENOMEM;

	for (i = 0; i < gm->nr_regions; i++)
		usable[i] = (struct mem_range){ gm->regions[i].gpa,
						gm->regions[i].gpa + gm->regions[i].size };
	for (i = 0; i < nr_reserved; i++)
		resv[i] = (struct mem_range){ reserved[i].start, reserved[i].end };
	resv[nr_reserved] = (struct mem_range){ out->state_phys, out->end_phys };
	return page_state_setup(ps, map, max_pfn, out->map_phys, usable, gm->nr_regions, resv,
				nr_reserved + 1);
}

/* Is every list head of @ps a PFN below max_pfn, or PFN_NONE, and is every count bounded? */
static bool lists_in_range(const struct page_state *ps, char *why, size_t whylen)
{
	static const char *const names[MAX_NR_ZONES] = PAGE_STATE_ZONE_NAMES;
	uint64_t max = ps->max_pfn;
	unsigned int zi, o, cpu;

	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		const struct zone *z = &ps->zones[zi];
		char name[sizeof(z->name)] = { 0 };

		memcpy(name, names[zi], strlen(names[zi])); /* NUL-padded, as the guest writes it */
		if (memcmp(z->name, name, sizeof(name))) {
			snprintf(why, whylen, "zone %u: not named %s", zi, names[zi]);
			return false;
		}
		if (z->start_pfn > z->end_pfn || z->end_pfn > max || z->managed_pages > max ||
		    z->free_pages > max) {
			snprintf(why, whylen, "zone %s: span or counts beyond max_pfn", names[zi]);
			return false;
		}
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			if ((z->free_area[o].head >= max && z->free_area[o].head != PFN_NONE) ||
			    z->free_area[o].nr_free > max) {
				snprintf(why, whylen, "zone %s: free list of order %u out of range",
					 names[zi], o);
				return false;
			}
		for (cpu = 0; cpu < PAGE_STATE_MAX_CPUS; cpu++)
			for (o = 0; o < NR_PCP_ORDERS; o++) {
				const struct pcp_list *l = &z->pcp[cpu].lists[o];

				if ((l->head >= max && l->head != PFN_NONE) || l->count > max) {
					snprintf(why, whylen,
						 "zone %s: cpu %u list of order %u out of range",
						 names[zi], cpu, o);
					return false;
				}
			}
	}
	return true;
}

int gmm_page_state_copy(const struct gmm_mem *gm, uint64_t state_phys,
			struct gmm_page_state_copy *out, char *why, size_t whylen)
{
	struct page_state hdr, *ps = &hdr;
	struct gmm_page_state_layout placed;

	if (!gm || !out || (!why && whylen))
		return -EINVAL;
	out->map = NULL;
	out->max_pfn = 0;
	if (gmm_page_state_place(gm, &placed) || state_phys != placed.state_phys) {
		snprintf(why, whylen, "gmm placed no page state at %#" PRIx64, state_phys);
		return -EINVAL;
	}
	if (gmm_mem_read(gm, state_phys, ps, sizeof(*ps))) { /* the one read of the header */
		snprintf(why, whylen, "page state at %#" PRIx64 " is not in RAM", state_phys);
		return -EINVAL;
	}
	if (ps->magic != PAGE_STATE_MAGIC || ps->version != PAGE_STATE_VERSION ||
	    ps->page_struct_size != sizeof(struct page)) {
		snprintf(why, whylen, "bad magic, version or struct page size");
		return -EINVAL;
	}
	if (ps->max_pfn != placed.max_pfn || ps->mem_map_phys != placed.map_phys) {
		snprintf(why, whylen,
			 "max_pfn %#" PRIx64 " or page-frame array %#" PRIx64
			 " differ from what gmm placed (%#" PRIx64 ", %#" PRIx64 ")",
			 ps->max_pfn, ps->mem_map_phys, placed.max_pfn, placed.map_phys);
		return -EINVAL;
	}
	if (!lists_in_range(ps, why, whylen))
		return -EINVAL;
	/* placed by gmm inside one region, so this cannot fail; checked all the same */
	out->map = gmm_mem_ptr(gm, placed.map_phys, placed.max_pfn * sizeof(struct page));
	if (!out->map) {
		snprintf(why, whylen, "page-frame array outside guest RAM");
		return -EINVAL;
	}
	out->max_pfn = placed.max_pfn;
	memcpy(out->hdr, ps, sizeof(*ps));
	return 0;
}

/* The copy's header where the struct's alignment holds (out->hdr is only 8-byte aligned). */
static void header_of(const struct gmm_page_state_copy *c, struct page_state *ps)
{
	memcpy(ps, c->hdr, sizeof(*ps));
}

struct gmm_page_block gmm_page_state_block_of(const struct gmm_page_state_copy *c, uint64_t pfn)
{
	struct page_block b;

	if (!c || !c->map)
		return (struct gmm_page_block){ GMM_PAGE_BLOCK_UNKNOWN, pfn, 0 };
	b = page_state_block_of(c->map, c->max_pfn, pfn);
	/* enum page_block_kind and enum gmm_page_block_kind name the same kinds in order */
	return (struct gmm_page_block){ (enum gmm_page_block_kind)b.kind, b.head, b.order };
}

uint64_t gmm_page_state_reserved_end(const struct gmm_page_state_copy *c, uint64_t first,
				     uint64_t last)
{
	if (!c || !c->map)
		return 0;
	return page_state_reserved_end(c->map, c->max_pfn, first, last);
}

uint64_t gmm_page_state_max_pfn(const struct gmm_page_state_copy *c)
{
	return c ? c->max_pfn : 0;
}

uint64_t gmm_page_state_free_pages(const struct gmm_page_state_copy *c)
{
	struct page_state ps;
	uint64_t n = 0;
	unsigned int zi;

	if (!c || !c->map)
		return 0;
	header_of(c, &ps);
	for (zi = 0; zi < MAX_NR_ZONES; zi++)
		n += page_state_free_pages(&ps, (enum zone_type)zi);
	return n;
}

int gmm_page_state_for_each_free(const struct gmm_page_state_copy *c, unsigned int min_order,
				 int (*fn)(void *ctx, uint64_t start_pfn, uint64_t nr_pages),
				 void *ctx)
{
	struct page_state ps;

	if (!c || !c->map || !fn || min_order > MAX_PAGE_ORDER)
		return -EINVAL;
	header_of(c, &ps);
	return page_state_for_each_free_block(&ps, c->map, c->max_pfn, min_order, fn, ctx);
}

size_t gmm_page_state_buddyinfo(const struct gmm_mem *gm, uint64_t state_phys, char *buf,
				size_t size)
{
	struct gmm_page_state_copy c;
	struct page_state ps;
	char why[160];

	if (!buf || !size)
		return 0;
	if (gmm_page_state_copy(gm, state_phys, &c, why, sizeof(why))) {
		snprintf(buf, size, "no valid page state at %#" PRIx64 ": %s\n", state_phys, why);
		return 0;
	}
	header_of(&c, &ps);
	return page_state_buddyinfo(&ps, buf, size);
}

bool gmm_page_state_check(const struct gmm_mem *gm, uint64_t state_phys, char *err, size_t errlen)
{
	struct gmm_page_state_copy c;
	struct page_state ps;
	char why[160];

	if (gmm_page_state_copy(gm, state_phys, &c, why, sizeof(why))) {
		snprintf(err, errlen, "no valid page state at %#" PRIx64 ": %s", state_phys, why);
		return false;
	}
	header_of(&c, &ps);
	return page_state_check(&ps, c.map, err, errlen);
}

_Static_assert(
	sizeof(struct page_state) == GMM_PAGE_STATE_HDR_SIZE,
	"GMM_PAGE_STATE_HDR_SIZE in include/gmm/guest_page_state.h is sizeof(struct page_state)");
_Static_assert((int)PAGE_BLOCK_ALLOCATED == (int)GMM_PAGE_BLOCK_ALLOCATED &&
		       (int)PAGE_BLOCK_FREE == (int)GMM_PAGE_BLOCK_FREE &&
		       (int)PAGE_BLOCK_RESERVED == (int)GMM_PAGE_BLOCK_RESERVED &&
		       (int)PAGE_BLOCK_UNKNOWN == (int)GMM_PAGE_BLOCK_UNKNOWN,
	       "the two block kinds agree");
