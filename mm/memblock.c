// SPDX-License-Identifier: MIT
/*
 * mm/memblock.c - the boot-time allocator (interface and life cycle in mm/memblock.h).
 *
 * Structure: two sorted arrays of ranges, memory and reserved, each kept merged (no two
 * ranges overlap or touch). Adding merges every range the new one overlaps or touches;
 * removing cuts, and may split one range in two.
 *
 * Allocation is top-down first fit, as Linux's memblock: for each RAM range from the highest,
 * try the highest aligned address whose [addr, addr + size) fits; if it hits a reserved range,
 * try again just below that range. Example: RAM [1 MiB, 64 MiB), reserved [60 MiB, 64 MiB),
 * 8 KiB at 4 KiB: 64 MiB - 8 KiB hits the reservation, so the next try is 60 MiB - 8 KiB, which
 * is free: the result. Top-down keeps low memory (the DMA zone) for those who need it.
 *
 * No lock: used by one CPU during boot, before anything else allocates.
 */
#include <linux/errno.h>

#include "mm/memblock.h"
#include "mm/mm_internal.h"
#include "mm/page_alloc.h"

static struct {
	struct memblock_type memory;
	struct memblock_type reserved;
	uintptr_t direct_map_base;
	bool done; /* memblock_free_all() ran */
} mb;

void memblock_init(uintptr_t direct_map_base)
{
	mm_memset(&mb, 0, sizeof(mb));
	mb.direct_map_base = direct_map_base;
}

static void type_remove_at(struct memblock_type *t, unsigned int i)
{
	for (; i + 1 < t->cnt; i++)
		t->regions[i] = t->regions[i + 1];
	t->cnt--;
}

static int type_insert_at(struct memblock_type *t, unsigned int i, uint64_t base, uint64_t size)
{
	unsigned int j;

	if (t->cnt == MEMBLOCK_MAX_REGIONS)
		return -ENOSPC;
	for (j = t->cnt; j > i; j--)
		t->regions[j] = t->regions[j - 1];
	t->regions[i].base = base;
	t->regions[i].size = size;
	t->cnt++;
	return 0;
}

/* Add [base, base + size), merging with every range it overlaps or touches. */
static int type_add(struct memblock_type *t, uint64_t base, uint64_t size)
{
	uint64_t end;
	unsigned int i = 0;

	if (__builtin_add_overflow(base, size, &end))
		return -EINVAL;
	if (size == 0)
		return 0;
	while (i < t->cnt) {
		struct memblock_region *r = &t->regions[i];
		uint64_t rend = r->base + r->size;

		if (rend < base) {
			i++;
			continue;
		}
		if (r->base > end)
			break;
		/* overlaps or touches: absorb it */
		if (r->base < base)
			base = r->base;
		if (rend > end)
			end = rend;
		type_remove_at(t, i);
	}
	return type_insert_at(t, i, base, end - base);
}

/* Remove [base, end) from every range, splitting where needed; the caller checked overflow. */
static int type_remove(struct memblock_type *t, uint64_t base, uint64_t end)
{
	unsigned int i = 0;

	while (i < t->cnt) {
		struct memblock_region *r = &t->regions[i];
		uint64_t rbase = r->base, rend = r->base + r->size;

		if (rend <= base) {
			i++;
			continue;
		}
		if (rbase >= end)
			break;
		if (rbase < base && rend > end) { /* split */
			r->size = base - rbase;
			return type_insert_at(t, i + 1, end, rend - end);
		}
		if (rbase < base) {
			r->size = base - rbase;
			i++;
		} else if (rend > end) {
			r->base = end;
			r->size = rend - end;
			i++;
		} else {
			type_remove_at(t, i);
		}
	}
	return 0;
}

int memblock_add(uint64_t base, uint64_t size)
{
	return type_add(&mb.memory, base, size);
}

int memblock_reserve(uint64_t base, uint64_t size)
{
	return type_add(&mb.reserved, base, size);
}

int memblock_phys_free(uint64_t base, uint64_t size)
{
	uint64_t end;

	if (__builtin_add_overflow(base, size, &end) || end > UINT64_MAX - PAGE_SIZE)
		return -EINVAL;
	base &= PAGE_MASK;
	end = (end + PAGE_SIZE - 1) & PAGE_MASK;
	return type_remove(&mb.reserved, base, end);
}

/* The reserved range overlapping [base, end) with the highest base, or NULL. */
static const struct memblock_region *reserved_overlap(uint64_t base, uint64_t end)
{
	unsigned int i;

	for (i = mb.reserved.cnt; i-- > 0;) {
		const struct memblock_region *r = &mb.reserved.regions[i];

		if (r->base < end && base < r->base + r->size)
			return r;
	}
	return NULL;
}

uint64_t memblock_phys_alloc(uint64_t size, uint64_t align)
{
	unsigned int i;

	if (mb.done) {
		platform_log(MM_LOG_ERR,
			     "BUG: memblock_alloc(%llu) after memblock_free_all(): use the page "
			     "allocator\n",
			     (unsigned long long)size);
		return 0;
	}
	if (size == 0 || size > UINT64_MAX - PAGE_SIZE)
		return 0;
	size = (size + PAGE_SIZE - 1) & PAGE_MASK;
	if (align < PAGE_SIZE || (align & (align - 1)))
		align = PAGE_SIZE;
	for (i = mb.memory.cnt; i-- > 0;) {
		const struct memblock_region *m = &mb.memory.regions[i];
		uint64_t lo = m->base, top = m->base + m->size;

		while (top - lo >= size) {
			uint64_t cand = (top - size) & ~(align - 1);
			const struct memblock_region *r;

			if (cand < lo || cand == 0)
				break;
			r = reserved_overlap(cand, cand + size);
			if (!r) {
				if (memblock_reserve(cand, size))
					return 0;
				return cand;
			}
			top = r->base; /* try below the obstacle */
			if (top < lo)
				break;
		}
	}
	return 0;
}

void *memblock_alloc(uint64_t size, uint64_t align)
{
	uint64_t phys = memblock_phys_alloc(size, align);
	void *p;

	if (!phys)
		return NULL;
	p = (void *)(mb.direct_map_base + phys);
	mm_memset(p, 0, (size + PAGE_SIZE - 1) & PAGE_MASK);
	return p;
}

long memblock_free_all(struct page_state *ps, struct page *map)
{
	uint64_t limit = ps->max_pfn;
	long freed = 0;
	unsigned int i, j;
	int ret;

	for (i = 0; i < mb.memory.cnt; i++) {
		const struct memblock_region *m = &mb.memory.regions[i];
		uint64_t pos = m->base, end = m->base + m->size;

		/* free the gaps between the reserved ranges inside this RAM range */
		for (j = 0; j <= mb.reserved.cnt && pos < end; j++) {
			uint64_t gap_end = end, next = end;
			uint64_t spfn, epfn;

			if (j < mb.reserved.cnt) {
				const struct memblock_region *r = &mb.reserved.regions[j];

				if (r->base + r->size <= pos)
					continue;
				if (r->base < end)
					gap_end = r->base;
				next = r->base + r->size;
			}
			spfn = (pos + PAGE_SIZE - 1) >> PAGE_SHIFT;
			epfn = gap_end >> PAGE_SHIFT;
			if (epfn > limit)
				epfn = limit;
			if (spfn < epfn) {
				ret = page_state_free_range(ps, map, spfn, epfn);
				if (ret)
					return ret;
				freed += (long)(epfn - spfn);
			}
			pos = next;
		}
	}
	mb.done = true;
	return freed;
}

static uint64_t type_size(const struct memblock_type *t)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < t->cnt; i++)
		n += t->regions[i].size;
	return n;
}

uint64_t memblock_phys_mem_size(void)
{
	return type_size(&mb.memory);
}

uint64_t memblock_reserved_size(void)
{
	return type_size(&mb.reserved);
}

uint64_t memblock_end_of_ram(void)
{
	const struct memblock_region *r;

	if (!mb.memory.cnt)
		return 0;
	r = &mb.memory.regions[mb.memory.cnt - 1];
	return r->base + r->size;
}

const struct memblock_type *memblock_memory(void)
{
	return &mb.memory;
}

const struct memblock_type *memblock_reserved(void)
{
	return &mb.reserved;
}

/* ---- page-table pages for the first page tables ---- */

static int mb_alloc_table(void *ctx, uint64_t *phys)
{
	uint64_t pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);

	(void)ctx;
	if (!pa)
		return -ENOMEM;
	mm_memset((void *)(mb.direct_map_base + pa), 0, PAGE_SIZE);
	*phys = pa;
	return 0;
}

static void mb_free_table(void *ctx, uint64_t phys)
{
	(void)ctx;
	memblock_phys_free(phys, PAGE_SIZE);
}

/* Only RAM that memblock knows is a table; anything else is refused (NULL). */
static void *mb_table_ptr(void *ctx, uint64_t phys)
{
	unsigned int i;

	(void)ctx;
	for (i = 0; i < mb.memory.cnt; i++) {
		const struct memblock_region *m = &mb.memory.regions[i];

		if (phys >= m->base && phys - m->base < m->size)
			return (void *)(mb.direct_map_base + phys);
	}
	return NULL;
}

const struct pgt_ops memblock_pgt_ops = {
	.alloc_table = mb_alloc_table,
	.free_table = mb_free_table,
	.table_ptr = mb_table_ptr,
};
