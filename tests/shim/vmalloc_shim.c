// SPDX-License-Identifier: MIT
/* tests/shim/vmalloc_shim.c - the C side of vmalloc_shim.h. */
#include "tests/shim/vmalloc_shim.h"

void *shim_vmalloc_gfp(unsigned long size, gfp_t gfp)
{
	return __vmalloc(size, gfp);
}

void *shim_vmalloc_align(unsigned long size, unsigned long align, gfp_t gfp)
{
	return __vmalloc_node(size, align, gfp, NUMA_NO_NODE, NULL);
}

uint64_t shim_pa(const void *addr)
{
	return __pa(addr);
}

void *shim_va(uint64_t phys)
{
	return __va(phys);
}

pgprot_t shim_page_kernel(void)
{
	return PAGE_KERNEL;
}

pgprot_t shim_page_kernel_ro(void)
{
	return PAGE_KERNEL_RO;
}

void shim_free_page(struct page *page)
{
	__free_page(page);
}

bool shim_vmalloc_ok(char *err, size_t errlen)
{
	return vmalloc_check(err, errlen);
}

uint64_t shim_free_ram_pages(void)
{
	uint64_t n = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		n += page_state_free_pages(page_alloc_state(), (enum zone_type)z);
	return n;
}
