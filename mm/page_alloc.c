// SPDX-License-Identifier: MIT
/*
 * mm/page_alloc.c - the buddy page allocator.
 *
 * Structure: three zones (DMA, DMA32, NORMAL), each with free lists of blocks of 2^order pages
 * for orders 0..MAX_PAGE_ORDER (free_area[order]), and per-CPU lists that cache blocks of
 * orders 0..PAGE_ALLOC_COSTLY_ORDER so that the common alloc/free pair touches no lock and does
 * no splitting or merging. All lists link pages by PFN (mm/page_list.h); all state is in
 * struct page_state and the page-frame array (include/abi/page_state.h lists the invariants).
 *
 * Buddy math (as in Linux's mm/internal.h): the buddy of the block at @pfn of order o is
 * pfn ^ (1 << o); two free buddies of order o merge into the block at pfn & ~(1 << o) of order
 * o + 1. Example: freeing PFN 12 (order 2) while PFN 8 (order 2) is free: buddy = 12 ^ 4 = 8,
 * merge to 8 of order 3; its buddy 8 ^ 8 = 0 if free of order 3 merges to 0 of order 4, and so
 * on up to order 10. Allocating splits the other way: take the smallest free block of at least
 * the order, hand out its lower half and put each upper half back one order lower.
 *
 * Locking: zone->lock (a spin word in the state) protects free_area[], free_pages, the
 * watermarks and zone->stats. A CPU's per_cpu_pages are touched only by that CPU with
 * interrupts off (platform_irq_save()); it takes zone->lock inside to refill or drain. The
 * zone lock is never held while taking another zone's lock.
 *
 * Watermarks (per zone): an allocation succeeds from a zone only if more than wmark_min free
 * pages remain after it (Linux's __zone_watermark_ok()); __GFP_HIGH lowers the bar to min/2,
 * and a __GFP_HIGH request that cannot sleep to 3/8 min. Linux first tries the low watermark
 * and wakes kswapd; there is no reclaim here, so min is the one bar. Per-CPU pages are not
 * free pages for the watermark, as in Linux; the slow path gives them back and retries.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "mm/mm_internal.h"
#include "mm/page_alloc.h"
#include "mm/page_list.h"

struct page *mem_map;
uintptr_t page_offset_base;
unsigned long max_pfn;
static struct page_state *pgstate;

static const char *const zone_names[MAX_NR_ZONES] = PAGE_STATE_ZONE_NAMES;

/* alloc_flags: how far below the watermark a request may go */
#define ALLOC_HIGH 0x1u		/* __GFP_HIGH: down to min/2 */
#define ALLOC_NON_BLOCK 0x2u	/* cannot sleep: a further quarter with ALLOC_HIGH */
#define ALLOC_NO_WATERMARKS 0x4u /* __GFP_MEMALLOC, or the last try of __GFP_NOFAIL */

static enum zone_type zone_of_pfn(uint64_t pfn)
{
	if (pfn < ZONE_DMA_END_PFN)
		return ZONE_DMA;
	if (pfn < ZONE_DMA32_END_PFN)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

static unsigned int gfp_to_alloc_flags(gfp_t gfp)
{
	unsigned int flags = 0;

	if (gfp & __GFP_HIGH)
		flags |= ALLOC_HIGH;
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		flags |= ALLOC_NON_BLOCK;
	if ((gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC))
		flags |= ALLOC_NO_WATERMARKS;
	return flags;
}

/* ---- the buddy free lists (zone->lock held) ---- */

/* Remove the smallest free block of at least @order, split it down to @order, return its PFN. */
static uint32_t rmqueue_smallest(struct zone *z, struct page *map, unsigned int order)
{
	unsigned int o;

	for (o = order; o <= MAX_PAGE_ORDER; o++) {
		struct free_area *area = &z->free_area[o];
		uint32_t pfn = area->head;

		if (pfn == PFN_NONE)
			continue;
		MM_BUG_ON(map[pfn].flags != PG_buddy || map[pfn].order != o);
		page_list_del(map, &area->head, pfn);
		area->nr_free--;
		while (o > order) {
			uint32_t half;

			o--;
			half = pfn + (1u << o);
			map[half].flags = PG_buddy;
			map[half].order = (uint8_t)o;
			page_list_add(map, &z->free_area[o].head, half);
			z->free_area[o].nr_free++;
		}
		z->free_pages -= 1ull << order;
		map[pfn].flags = 0;
		map[pfn].order = (uint8_t)order;
		return pfn;
	}
	return PFN_NONE;
}

/* Put the block at @pfn of @order back, merging with free buddies as far as they go. */
static void free_one_block(struct zone *z, struct page *map, uint32_t pfn, unsigned int order)
{
	z->free_pages += 1ull << order;
	map[pfn].flags = 0;
	while (order < MAX_PAGE_ORDER) {
		uint32_t buddy = pfn ^ (1u << order);
		struct page *bp;

		if (buddy < z->start_pfn || buddy >= z->end_pfn)
			break;
		bp = &map[buddy];
		if (bp->flags != PG_buddy || bp->order != order)
			break;
		page_list_del(map, &z->free_area[order].head, buddy);
		z->free_area[order].nr_free--;
		bp->flags = 0;
		pfn &= ~(1u << order);
		order++;
	}
	map[pfn].flags = PG_buddy;
	map[pfn].order = (uint8_t)order;
	page_list_add(map, &z->free_area[order].head, pfn);
	z->free_area[order].nr_free++;
}

static bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned int alloc_flags,
			      bool *used_reserve)
{
	int64_t free = (int64_t)z->free_pages - (int64_t)(1u << order) + 1;
	int64_t min = (int64_t)z->wmark_min;
	unsigned int o;

	if (alloc_flags & ALLOC_NO_WATERMARKS)
		goto has_block;
	if (free <= min) {
		if (!(alloc_flags & ALLOC_HIGH))
			return false;
		min -= min / 2;
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4;
		if (free <= min)
			return false;
		*used_reserve = true;
	}
has_block:
	if (order == 0)
		return free > 0;
	for (o = order; o <= MAX_PAGE_ORDER; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

/* ---- per-CPU lists (interrupts off, this CPU's lists only) ---- */

static unsigned int pcp_batch_blocks(const struct zone *z, unsigned int order)
{
	unsigned int n = z->pcp_batch >> order;

	return n ? n : 1;
}

static bool pcp_refill(struct zone *z, struct page *map, struct per_cpu_pages *pcp,
		       unsigned int order)
{
	struct pcp_list *l = &pcp->lists[order];
	unsigned int i, n = pcp_batch_blocks(z, order);

	mm_spin_lock(&z->lock);
	for (i = 0; i < n; i++) {
		uint32_t pfn = rmqueue_smallest(z, map, order);

		if (pfn == PFN_NONE)
			break;
		map[pfn].flags = PG_pcp;
		page_list_add_tail(map, &l->head, pfn);
		l->count++;
		pcp->pages += 1u << order;
	}
	if (i)
		z->stats.pcp_refill++;
	mm_spin_unlock(&z->lock);
	return i != 0;
}

/* Give back up to @n blocks from the cold end (the tail) of one per-CPU list. */
static void pcp_drain(struct zone *z, struct page *map, struct per_cpu_pages *pcp,
		      unsigned int order, unsigned int n)
{
	struct pcp_list *l = &pcp->lists[order];

	if (!l->count)
		return;
	mm_spin_lock(&z->lock);
	while (n-- && l->head != PFN_NONE) {
		uint32_t pfn = page_list_tail(map, l->head);

		page_list_del(map, &l->head, pfn);
		l->count--;
		pcp->pages -= 1u << order;
		free_one_block(z, map, pfn, order);
	}
	z->stats.pcp_drain++;
	mm_spin_unlock(&z->lock);
}

static void drain_cpu_pages(unsigned int cpu)
{
	unsigned int zi, order;

	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		struct zone *z = &pgstate->zones[zi];

		for (order = 0; order < NR_PCP_ORDERS; order++)
			pcp_drain(z, mem_map, &z->pcp[cpu], order, UINT32_MAX);
	}
}

void drain_local_pages(void)
{
	unsigned long flags;

	if (!pgstate)
		return;
	flags = platform_irq_save();
	drain_cpu_pages(platform_cpu_id());
	platform_irq_restore(flags);
}

void drain_all_pages(void)
{
	unsigned int cpu;

	if (!pgstate)
		return;
	for (cpu = 0; cpu < PAGE_STATE_MAX_CPUS; cpu++)
		drain_cpu_pages(cpu);
}

/* ---- allocation ---- */

static struct page *rmqueue(struct zone *z, unsigned int order)
{
	struct page *map = mem_map;
	struct per_cpu_pages *pcp;
	unsigned long flags;
	uint32_t pfn;

	flags = platform_irq_save();
	pcp = &z->pcp[platform_cpu_id()];
	if (likely(order <= PAGE_ALLOC_COSTLY_ORDER)) {
		struct pcp_list *l = &pcp->lists[order];

		if (unlikely(l->head == PFN_NONE) && !pcp_refill(z, map, pcp, order)) {
			platform_irq_restore(flags);
			return NULL;
		}
		pfn = l->head;
		page_list_del(map, &l->head, pfn);
		l->count--;
		pcp->pages -= 1u << order;
	} else {
		mm_spin_lock(&z->lock);
		pfn = rmqueue_smallest(z, map, order);
		mm_spin_unlock(&z->lock);
		if (pfn == PFN_NONE) {
			platform_irq_restore(flags);
			return NULL;
		}
	}
	map[pfn].flags = PG_head;
	pcp->alloc_ok++;
	platform_irq_restore(flags);
	return &map[pfn];
}

static struct page *get_page_from_freelist(gfp_t gfp, unsigned int order,
					   unsigned int alloc_flags)
{
	int zi;

	for (zi = (int)gfp_zone(gfp); zi >= 0; zi--) {
		struct zone *z = &pgstate->zones[zi];
		bool used_reserve = false;
		struct page *page;

		if (!z->managed_pages)
			continue;
		if (!zone_watermark_ok(z, order, alloc_flags, &used_reserve))
			continue;
		page = rmqueue(z, order);
		if (!page)
			continue;
		if (unlikely(used_reserve)) {
			mm_spin_lock(&z->lock);
			z->stats.alloc_reserve++;
			mm_spin_unlock(&z->lock);
		}
		return page;
	}
	return NULL;
}

static void warn_alloc(gfp_t gfp, unsigned int order, const char *why)
{
	char info[512];

	page_state_buddyinfo(pgstate, info, sizeof(info));
	platform_log(MM_LOG_WARN,
		     "page allocation failure: order:%u, mode:%#x (%s)\n%s", order, gfp, why,
		     info);
}

static void count_failure(gfp_t gfp)
{
	struct zone *z = &pgstate->zones[gfp_zone(gfp)];

	mm_spin_lock(&z->lock);
	z->stats.alloc_fail++;
	mm_spin_unlock(&z->lock);
}

static struct page *alloc_pages_slowpath(gfp_t gfp, unsigned int order, unsigned int alloc_flags)
{
	struct page *page;

	if (!(gfp & __GFP_NORETRY)) {
		drain_local_pages();
		page = get_page_from_freelist(gfp, order, alloc_flags);
		if (page)
			return page;
	}
	if (gfp & __GFP_NOFAIL) {
		page = get_page_from_freelist(gfp, order, alloc_flags | ALLOC_NO_WATERMARKS);
		if (page)
			return page;
		{
			char info[512];

			page_state_buddyinfo(pgstate, info, sizeof(info));
			platform_panic("Out of memory: __GFP_NOFAIL allocation of order %u "
				       "(mode:%#x) cannot be served and nothing can be reclaimed\n%s",
				       order, gfp, info);
		}
	}
	count_failure(gfp);
	if (!(gfp & __GFP_NOWARN))
		warn_alloc(gfp, order, "no free block at the watermark");
	return NULL;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags;
	struct page *page;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			platform_log(MM_LOG_WARN,
				     "WARNING: page allocation of order %u refused: the largest "
				     "order is %u (%lu KiB)\n",
				     order, MAX_PAGE_ORDER,
				     (PAGE_SIZE << MAX_PAGE_ORDER) >> 10);
		return NULL;
	}
	if (unlikely(!pgstate)) {
		platform_log(MM_LOG_ERR, "BUG: alloc_pages() before the page allocator exists\n");
		return NULL;
	}
	if (unlikely(gfpflags_allow_blocking(gfp)) && unlikely(platform_in_atomic()))
		platform_log(MM_LOG_ERR,
			     "BUG: sleeping allocation in atomic context (mode:%#x, order %u): "
			     "use GFP_ATOMIC\n",
			     gfp, order);
	alloc_flags = gfp_to_alloc_flags(gfp);
	page = get_page_from_freelist(gfp, order, alloc_flags);
	if (unlikely(!page)) {
		page = alloc_pages_slowpath(gfp, order, alloc_flags);
		if (!page)
			return NULL;
	}
	if (gfp & __GFP_ZERO)
		mm_memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	if (nid != 0 && nid != NUMA_NO_NODE)
		platform_log(MM_LOG_WARN, "WARNING: alloc_pages_node: no node %d, using node 0\n",
			     nid);
	return alloc_pages(gfp, order);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/* ---- freeing ---- */

static void bad_page(struct page *page, unsigned int order, const char *reason)
{
	unsigned long pfn = page_to_pfn(page);

	platform_log(MM_LOG_ERR,
		     "BUG: Bad page state: pfn:%#lx flags:%#x order:%u freed as order %u: %s; "
		     "the block is left alone\n",
		     pfn, page->flags, page->order, order, reason);
	if (page->zone < MAX_NR_ZONES) {
		struct zone *z = &pgstate->zones[page->zone];

		mm_spin_lock(&z->lock);
		z->stats.bad_free++;
		mm_spin_unlock(&z->lock);
	}
}

/* Is @page the head of a live block of @order? Reports and returns false otherwise. */
static bool free_pages_check(struct page *page, unsigned int order)
{
	uint32_t flags = page->flags;

	if (likely(flags == PG_head && page->order == order))
		return true;
	if (flags & PG_reserved)
		bad_page(page, order, "reserved page, not managed by the page allocator");
	else if (flags & (PG_buddy | PG_pcp))
		bad_page(page, order, "double free: the block is already free");
	else if (flags & PG_slab)
		bad_page(page, order, "the block belongs to the slab allocator");
	else if (!(flags & PG_head))
		bad_page(page, order, "not the first page of an allocated block");
	else
		bad_page(page, order, "freed with a different order than it was allocated with");
	return false;
}

void __free_pages(struct page *page, unsigned int order)
{
	struct per_cpu_pages *pcp;
	unsigned long flags;
	struct zone *z;
	uint32_t pfn;

	if (unlikely(!pgstate || page < mem_map || page >= mem_map + max_pfn ||
		     order > MAX_PAGE_ORDER)) {
		platform_log(MM_LOG_ERR,
			     "BUG: Bad page state: freeing %p (order %u), which is not a page of "
			     "the page allocator\n",
			     (void *)page, order);
		return;
	}
	if (unlikely(!free_pages_check(page, order)))
		return;
	pfn = (uint32_t)page_to_pfn(page);
	z = &pgstate->zones[page->zone];
	flags = platform_irq_save();
	pcp = &z->pcp[platform_cpu_id()];
	pcp->freed++;
	if (likely(order <= PAGE_ALLOC_COSTLY_ORDER)) {
		struct pcp_list *l = &pcp->lists[order];

		page->flags = PG_pcp;
		page_list_add(mem_map, &l->head, pfn);
		l->count++;
		pcp->pages += 1u << order;
		if (unlikely(pcp->pages > z->pcp_high))
			pcp_drain(z, mem_map, pcp, order, pcp_batch_blocks(z, order));
	} else {
		mm_spin_lock(&z->lock);
		free_one_block(z, mem_map, pfn, order);
		mm_spin_unlock(&z->lock);
	}
	platform_irq_restore(flags);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr == 0)
		return;
	if (unlikely(addr < page_offset_base || (addr & (PAGE_SIZE - 1)) ||
		     ((addr - page_offset_base) >> PAGE_SHIFT) >= max_pfn)) {
		platform_log(MM_LOG_ERR,
			     "BUG: Bad page state: free_pages(%#lx, %u): not a page-aligned "
			     "direct-map address of the page allocator\n",
			     addr, order);
		return;
	}
	__free_pages(virt_to_page((void *)addr), order);
}

/* ---- setting up and adopting the state ---- */

/*
 * Watermarks as Linux computes them (mm/page_alloc.c, init_per_zone_wmark_min()): min_free_kbytes
 * = sqrt(16 * managed KiB), at least 128 KiB, shared between zones by managed pages; low and high
 * add max(min/4, managed/1000) once and twice. A zone keeps at least a few pages of reserve so
 * that __GFP_HIGH has something to use even in a tiny zone.
 */
static uint64_t isqrt(uint64_t x)
{
	uint64_t r = 0, bit = 1ull << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

static void setup_watermarks(struct page_state *ps)
{
	uint64_t total = 0, min_pages, kb;
	unsigned int zi;

	for (zi = 0; zi < MAX_NR_ZONES; zi++)
		total += ps->zones[zi].managed_pages;
	kb = isqrt(total * (PAGE_SIZE >> 10) * 16);
	if (kb < 128)
		kb = 128;
	min_pages = kb / (PAGE_SIZE >> 10);
	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		struct zone *z = &ps->zones[zi];
		uint64_t min, step, batch;

		if (!z->managed_pages) {
			z->wmark_min = z->wmark_low = z->wmark_high = 0;
			continue;
		}
		min = total ? min_pages * z->managed_pages / total : 0;
		if (min < 8)
			min = z->managed_pages / 8 < 8 ? z->managed_pages / 8 : 8;
		step = min / 4 > z->managed_pages / 1000 ? min / 4 : z->managed_pages / 1000;
		z->wmark_min = min;
		z->wmark_low = min + step;
		z->wmark_high = min + 2 * step;
		/* Linux: batch ~ managed/1024 pages, at most 63; high = 6 batches */
		batch = z->managed_pages / 1024;
		if (batch < 1)
			batch = 1;
		if (batch > 63)
			batch = 63;
		z->pcp_batch = (uint32_t)batch;
		z->pcp_high = (uint32_t)(6 * batch);
	}
}

int page_state_init(struct page_state *ps, struct page *map, uint64_t max_pfn_,
		    uint64_t mem_map_phys)
{
	unsigned int zi, cpu, o;
	uint64_t pfn;

	if (max_pfn_ == 0 || max_pfn_ > PFN_NONE)
		return -EINVAL;
	mm_memset(ps, 0, sizeof(*ps));
	ps->magic = PAGE_STATE_MAGIC;
	ps->version = PAGE_STATE_VERSION;
	ps->page_struct_size = sizeof(struct page);
	ps->max_pfn = max_pfn_;
	ps->mem_map_phys = mem_map_phys;
	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		struct zone *z = &ps->zones[zi];
		uint64_t start = zi == ZONE_DMA ? 0 : zi == ZONE_DMA32 ? ZONE_DMA_END_PFN
								     : ZONE_DMA32_END_PFN;
		uint64_t end = zi == ZONE_DMA ? ZONE_DMA_END_PFN
			       : zi == ZONE_DMA32 ? ZONE_DMA32_END_PFN : max_pfn_;

		for (o = 0; o + 1 < sizeof(z->name) && zone_names[zi][o]; o++)
			z->name[o] = zone_names[zi][o];
		z->start_pfn = start < max_pfn_ ? start : max_pfn_;
		z->end_pfn = end < max_pfn_ ? end : max_pfn_;
		if (z->end_pfn < z->start_pfn)
			z->end_pfn = z->start_pfn;
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			z->free_area[o].head = PFN_NONE;
		for (cpu = 0; cpu < PAGE_STATE_MAX_CPUS; cpu++)
			for (o = 0; o < NR_PCP_ORDERS; o++)
				z->pcp[cpu].lists[o].head = PFN_NONE;
	}
	for (pfn = 0; pfn < max_pfn_; pfn++) {
		struct page *p = &map[pfn];

		mm_memset(p, 0, sizeof(*p));
		p->flags = PG_reserved;
		p->zone = (uint8_t)zone_of_pfn(pfn);
		p->next = PFN_NONE;
		p->prev = PFN_NONE;
	}
	return 0;
}

int page_state_free_range(struct page_state *ps, struct page *map, uint64_t start_pfn,
			  uint64_t end_pfn)
{
	uint64_t pfn;

	if (start_pfn > end_pfn || end_pfn > ps->max_pfn)
		return -EINVAL;
	for (pfn = start_pfn; pfn < end_pfn; pfn++)
		if (map[pfn].flags != PG_reserved)
			return -EINVAL;
	pfn = start_pfn;
	while (pfn < end_pfn) {
		struct zone *z = &ps->zones[zone_of_pfn(pfn)];
		unsigned int order = MAX_PAGE_ORDER;
		uint64_t i;

		/* the largest block aligned at pfn that fits before end_pfn */
		while (order && ((pfn & ((1ull << order) - 1)) || pfn + (1ull << order) > end_pfn))
			order--;
		for (i = 0; i < (1ull << order); i++)
			map[pfn + i].flags = 0;
		z->managed_pages += 1ull << order;
		mm_spin_lock(&z->lock);
		free_one_block(z, map, (uint32_t)pfn, order);
		mm_spin_unlock(&z->lock);
		pfn += 1ull << order;
	}
	setup_watermarks(ps);
	return 0;
}

static uint64_t pfn_up(uint64_t addr)
{
	return (addr + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

int page_state_setup(struct page_state *ps, struct page *map, uint64_t max_pfn_,
		     uint64_t mem_map_phys, const struct mem_range *usable, unsigned int nr_usable,
		     const struct mem_range *reserved, unsigned int nr_reserved)
{
	unsigned int u, r;
	int ret;

	ret = page_state_init(ps, map, max_pfn_, mem_map_phys);
	if (ret)
		return ret;
	for (u = 0; u < nr_usable; u++) {
		uint64_t pfn = pfn_up(usable[u].start);
		uint64_t end = usable[u].end >> PAGE_SHIFT;

		if (usable[u].end < usable[u].start || end > max_pfn_)
			return -EINVAL;
		/* free [pfn, end) piece by piece, skipping every reserved range */
		while (pfn < end) {
			uint64_t stop = end, skip_to = pfn;

			for (r = 0; r < nr_reserved; r++) {
				uint64_t rs = reserved[r].start >> PAGE_SHIFT;
				uint64_t re = pfn_up(reserved[r].end);

				if (re <= pfn || rs >= end)
					continue;
				if (rs <= pfn && re > skip_to)
					skip_to = re; /* pfn lies in a reserved range */
				else if (rs > pfn && rs < stop)
					stop = rs; /* the next reserved range starts here */
			}
			if (skip_to > pfn) {
				pfn = skip_to;
				continue;
			}
			ret = page_state_free_range(ps, map, pfn, stop);
			if (ret)
				return ret;
			pfn = stop;
		}
	}
	return 0;
}

int page_alloc_attach(struct page_state *ps, struct page *map, uintptr_t direct_map_base)
{
	if (!ps || !map || ps->magic != PAGE_STATE_MAGIC || ps->version != PAGE_STATE_VERSION ||
	    ps->page_struct_size != sizeof(struct page))
		return -EINVAL;
	pgstate = ps;
	mem_map = map;
	max_pfn = (unsigned long)ps->max_pfn;
	page_offset_base = direct_map_base;
	return 0;
}

void page_alloc_detach(void)
{
	pgstate = NULL;
	mem_map = NULL;
	max_pfn = 0;
	page_offset_base = 0;
}

struct page_state *page_alloc_state(void)
{
	return pgstate;
}
