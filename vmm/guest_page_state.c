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
 */
#include <gmm/guest_page_state.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ROUND_UP_PAGE(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define MAX_USABLE	 GMEM_MAX_REGIONS
#define MAX_RESERVED	 16

int guest_page_state_place(const struct gmem *gm, struct guest_page_state *out)
{
	uint64_t max_pfn = gm->end >> PAGE_SHIFT;
	uint64_t state_bytes = ROUND_UP_PAGE(sizeof(struct page_state));
	uint64_t map_bytes = ROUND_UP_PAGE(max_pfn * sizeof(struct page));
	const struct gmem_region *home = NULL;
	unsigned int i;

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

int guest_page_state_prefault(struct gmem *gm)
{
	struct guest_page_state gps;
	int ret = guest_page_state_place(gm, &gps);

	return ret ? ret : gmem_prefault_start(gm, gps.state_phys, gps.end_phys - gps.state_phys);
}

int guest_page_state_setup(const struct gmem *gm, const struct mem_range *reserved,
			   unsigned int nr_reserved, struct guest_page_state *out)
{
	struct mem_range usable[MAX_USABLE], resv[MAX_RESERVED + 1];
	uint64_t max_pfn = gm->end >> PAGE_SHIFT;
	uint64_t state_bytes = ROUND_UP_PAGE(sizeof(struct page_state));
	uint64_t map_bytes = ROUND_UP_PAGE(max_pfn * sizeof(struct page));
	struct page_state *ps;
	struct page *map;
	unsigned int i;
	int ret;

	if (nr_reserved > MAX_RESERVED)
		return -EINVAL;
	ret = guest_page_state_place(gm, out);
	if (ret)
		return ret;
	ps = gmem_ptr(gm, out->state_phys, state_bytes);
	map = gmem_ptr(gm, out->map_phys, map_bytes);
	if (!ps || !map)
		return -ENOMEM;

	for (i = 0; i < gm->nr_regions; i++)
		usable[i] = (struct mem_range){ gm->regions[i].gpa,
						gm->regions[i].gpa + gm->regions[i].size };
	memcpy(resv, reserved, nr_reserved * sizeof(*reserved));
	resv[nr_reserved] = (struct mem_range){ out->state_phys, out->end_phys };
	return page_state_setup(ps, map, max_pfn, out->map_phys, usable, gm->nr_regions, resv,
				nr_reserved + 1);
}

const struct page_state *guest_page_state_get(const struct gmem *gm, uint64_t state_phys)
{
	const struct page_state *ps = gmem_ptr(gm, state_phys, sizeof(*ps));

	if (!ps || ps->magic != PAGE_STATE_MAGIC || ps->version != PAGE_STATE_VERSION ||
	    ps->page_struct_size != sizeof(struct page))
		return NULL;
	return ps;
}

size_t guest_page_state_buddyinfo(const struct gmem *gm, uint64_t state_phys, char *buf,
				  size_t size)
{
	const struct page_state *ps = guest_page_state_get(gm, state_phys);

	if (!ps) {
		snprintf(buf, size, "no valid page state at 0x%llx\n",
			 (unsigned long long)state_phys);
		return 0;
	}
	return page_state_buddyinfo(ps, buf, size);
}

bool guest_page_state_check(const struct gmem *gm, uint64_t state_phys, char *err, size_t errlen)
{
	const struct page_state *ps = guest_page_state_get(gm, state_phys);
	const struct page *map;

	if (!ps) {
		snprintf(err, errlen, "no valid page state at 0x%llx",
			 (unsigned long long)state_phys);
		return false;
	}
	if (ps->max_pfn > (UINT64_MAX / sizeof(struct page)) ||
	    !(map = gmem_ptr(gm, ps->mem_map_phys, ps->max_pfn * sizeof(struct page)))) {
		snprintf(err, errlen, "page-frame array outside guest RAM");
		return false;
	}
	return page_state_check(ps, map, err, errlen);
}
