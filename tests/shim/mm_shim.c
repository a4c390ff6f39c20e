// SPDX-License-Identifier: MIT
/* tests/shim/mm_shim.c - the C side of the test shim (see mm_shim.h). */
#include "tests/shim/mm_shim.h"

struct page *shim_alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages(gfp, order);
}

void shim_free_pages_page(struct page *page, unsigned int order)
{
	__free_pages(page, order);
}

unsigned long shim_get_free_pages(gfp_t gfp, unsigned int order)
{
	return __get_free_pages(gfp, order);
}

bool shim_state_ok(char *err, size_t errlen)
{
	return page_state_check(page_alloc_state(), mem_map, err, errlen);
}

const char *shim_buddyinfo(void)
{
	static char buf[4096];

	page_state_buddyinfo(page_alloc_state(), buf, sizeof(buf));
	return buf;
}

uint64_t shim_free_blocks(enum zone_type zone, unsigned int order)
{
	return page_alloc_state()->zones[zone].free_area[order].nr_free;
}
