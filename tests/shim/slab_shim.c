// SPDX-License-Identifier: MIT
/* tests/shim/slab_shim.c - the C side of the slab test shim (see slab_shim.h). */
#include "tests/shim/slab_shim.h"

int slab_shim_memory_create(struct mm_host_memory *mem, unsigned int mib)
{
	struct mem_range r = { 0, (uint64_t)mib << 20 };

	return mm_host_memory_create(mem, &r, 1, NULL, 0);
}

uint64_t slab_shim_phys(const void *p)
{
	return (uint64_t)((uintptr_t)p - page_offset_base);
}

void slab_shim_stats(struct kmem_cache *s, struct kmem_cache_stats *st)
{
	kmem_cache_get_stats(s, st);
}

uint64_t slab_shim_free_pages(void)
{
	uint64_t n = 0;
	unsigned int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		n += page_state_free_pages(page_alloc_state(), (enum zone_type)z);
	return n;
}

uint32_t slab_shim_page_flags(const void *p)
{
	return virt_to_page(p)->flags;
}

struct kmem_cache *slab_shim_kmalloc_cache(size_t size, gfp_t gfp)
{
	return kmalloc_slab(size, gfp);
}

void slab_shim_shrink_all(void)
{
	static const size_t sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096,
					8192 };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		kmem_cache_shrink(kmalloc_slab(sizes[i], 0));
		kmem_cache_shrink(kmalloc_slab(sizes[i], GFP_DMA));
	}
}

void shim_drain_all_pages(void)
{
	drain_all_pages();
}
