// SPDX-License-Identifier: MIT
/*
 * guests/tests/seed_claims_suite.c - KTAP suite "seed_claims": one test per row of
 * ../shared/SEED-CLAIMS.md that this guest can show today, named row_NN_<claim>.
 *
 * Most rows run the cases of the topic suites that prove them (guests/tests/suites.h); the
 * rows no topic suite covers are checked here. The DMA rows (1's device part, 11, 22, 33's
 * BAR) use the DMA device; without gmm's extension (stock edu, or no device) those parts are
 * skipped, and row 11's "refused above 16 MiB" needs `gmm run --dma-mask 24`. Row 32 shows
 * every vCPU's own copy when the guest has several (gmm run --cpus N; with one it shows the
 * API on that one, and the suite "percpu" says SKIP for what needs two). Row 23 needs a timing
 * comparison (see the bench suite) and is not listed.
 */
#include <abi/guest_layout.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/suites.h"
#include "mm/vmalloc_admin.h"

extern uint64_t memblock_handed_over; /* guests/kernel/main.c */
extern char _text[];

static void row_01_kmalloc_is_physically_contiguous(struct ktap_test *t)
{
	void *p = kmalloc(256, GFP_KERNEL);

	kmalloc_memory_is_physically_contiguous(t);
	KTAP_ASSERT(t, p != NULL);
	KTAP_EXPECT(t, virt_to_phys(p) == (uintptr_t)p - PAGE_OFFSET);
	KTAP_EXPECT(t, phys_to_virt(virt_to_phys(p)) == p);
	KTAP_EXPECT(t, __va(__pa(p)) == p);
	kfree(p);
	dma_kmalloc_buffers_are_one_descriptor(t); /* the device reads it as one buffer */
}

static void row_02_kmalloc_does_not_zero_kzalloc_does(struct ktap_test *t)
{
	kmalloc_does_not_zero_kzalloc_does(t);
}

static void row_03_kcalloc_overflow_is_null(struct ktap_test *t)
{
	kcalloc_overflow_returns_null(t);
}

static void row_04_smallest_kmalloc_is_8_bytes(struct ktap_test *t)
{
	smallest_object_is_8_bytes(t);
}

static void row_05_kmalloc_goes_to_4mib(struct ktap_test *t)
{
	large_sizes_go_to_the_page_allocator_up_to_4mib(t);
}

static void row_06_kmalloc_caches_sit_on_the_page_allocator(struct ktap_test *t)
{
	slabinfo_lists_the_kmalloc_caches(t);
	slabs_are_buddy_pages_marked_slab(t);
}

static void row_07_kmalloc_picks_a_size_class_cache(struct ktap_test *t)
{
	unsigned char *p = kmalloc(100, GFP_KERNEL | __GFP_ZERO);
	struct page *pg;
	unsigned int i;

	KTAP_ASSERT(t, p != NULL);
	KTAP_EXPECT(t, ksize(p) == 128);
	pg = virt_to_page((void *)((uintptr_t)p & PAGE_MASK));
	if (!(pg->flags & PG_slab))
		pg = (struct page *)pg->freelist;
	KTAP_ASSERT(t, pg && (pg->flags & PG_slab));
	KTAP_EXPECT_MSG(t, !strcmp(kmem_cache_name(pg->slab_cache), "kmalloc-128"),
			"kmalloc(100) came from %s", kmem_cache_name(pg->slab_cache));
	for (i = 0; i < 100; i++)
		if (!KTAP_EXPECT(t, p[i] == 0))
			break;
	kfree(p);
}

static void row_08_power_of_two_sizes_are_aligned(struct ktap_test *t)
{
	power_of_two_sizes_are_naturally_aligned(t);
}

static void row_09_gfp_kernel_sleeps_gfp_atomic_does_not(struct ktap_test *t)
{
	interrupt_handler_may_use_gfp_atomic_not_gfp_kernel(t);
}

static void row_10_gfp_atomic_uses_the_last_pages(struct ktap_test *t)
{
	atomic_goes_below_min_where_kernel_stops(t);
}

static void row_11_gfp_dma_is_below_16mib_for_a_24bit_device(struct ktap_test *t)
{
	dma_gfp_dma_works_with_a_24bit_device(t);
}

static void row_12_gfp_compositions(struct ktap_test *t)
{
	KTAP_EXPECT(t, GFP_USER == (GFP_KERNEL | __GFP_HARDWALL));
	KTAP_EXPECT(t, GFP_HIGHUSER == (GFP_USER | __GFP_HIGHMEM));
	KTAP_EXPECT(t, GFP_NOIO == __GFP_RECLAIM);
	KTAP_EXPECT(t, GFP_NOFS == (__GFP_RECLAIM | __GFP_IO));
	KTAP_EXPECT(t, (GFP_NOIO & (__GFP_IO | __GFP_FS)) == 0);
	KTAP_EXPECT(t, gfpflags_allow_blocking(GFP_NOIO) && gfpflags_allow_blocking(GFP_NOFS));
}

static void row_13_highmem_is_accepted_and_means_nothing(struct ktap_test *t)
{
	struct page *p = alloc_pages(GFP_HIGHUSER, 0);

	KTAP_ASSERT(t, p != NULL);
	KTAP_EXPECT(t, page_address(p) != NULL); /* no kmap: everything is in the direct map */
	__free_pages(p, 0);
}

static void row_14_gfp_cold_is_gone(struct ktap_test *t)
{
#ifdef __GFP_COLD
	KTAP_EXPECT_MSG(t, false, "__GFP_COLD is defined; Linux removed it in 4.15");
#endif
	(void)t;
}

static void row_15_nowarn_silences_failures(struct ktap_test *t)
{
	large_sizes_go_to_the_page_allocator_up_to_4mib(t);
}

static void row_16_gfp_repeat_is_now_retry_mayfail(struct ktap_test *t)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_RETRY_MAYFAIL, 1);

#ifdef __GFP_REPEAT
	KTAP_EXPECT_MSG(t, false, "__GFP_REPEAT is defined; Linux renamed it in 4.13");
#endif
	KTAP_EXPECT(t, __GFP_RETRY_MAYFAIL == 0x4000u);
	KTAP_EXPECT(t, p != NULL);
	if (p)
		__free_pages(p, 1);
}

static void row_17_nofail_never_fails_noretry_gives_up(struct ktap_test *t)
{
	unsigned long n;
	void *dma = take_all_pages(GFP_DMA, &n);
	struct page *nofail, *noretry;

	noretry = alloc_pages(GFP_DMA | __GFP_NORETRY | __GFP_NOWARN, 0);
	nofail = alloc_pages(GFP_DMA | __GFP_NOFAIL, 0);
	KTAP_EXPECT(t, noretry == NULL);
	KTAP_EXPECT(t, nofail != NULL);
	if (nofail)
		__free_pages(nofail, 0);
	give_back_pages(dma);
}

static void row_18_zonelist_falls_back_to_lower_zones(struct ktap_test *t)
{
	unsigned long n, i = 0;
	void *all = take_all_pages(GFP_KERNEL, &n), *p;
	long oldest[MAX_NR_ZONES] = { -1, -1, -1 };

	/*
	 * The chain is newest first, so the largest index at which a zone appears is its first
	 * use. (When every zone is at its watermark the slow path gives the per-CPU pages back
	 * and higher zones serve again, so only the order of first use is the zonelist's.)
	 */
	for (p = all; p; p = *(void **)p, i++)
		oldest[page_zonenum(virt_to_page(p))] = (long)i;
	ktap_diag(t, "GFP_KERNEL took %lu pages; first use: DMA32 at #%ld, DMA at #%ld (of %lu)", n,
		  oldest[ZONE_DMA32] < 0 ? -1 : (long)n - 1 - oldest[ZONE_DMA32],
		  oldest[ZONE_DMA] < 0 ? -1 : (long)n - 1 - oldest[ZONE_DMA], n);
	KTAP_EXPECT(t, oldest[ZONE_DMA32] >= 0 && oldest[ZONE_DMA] >= 0);
	KTAP_EXPECT_MSG(t, oldest[ZONE_DMA32] > oldest[ZONE_DMA], "DMA was used before DMA32");
	KTAP_EXPECT(t, oldest[ZONE_NORMAL] < 0 || oldest[ZONE_NORMAL] > oldest[ZONE_DMA32]);
	give_back_pages(all);
}

static void row_19_vmalloc_is_scattered(struct ktap_test *t)
{
	vmalloc_is_virtually_contiguous_and_physically_scattered(t);
}

static void row_20_vmalloc_rounds_up_and_goes_beyond_4mib(struct ktap_test *t)
{
	the_guard_page_after_an_area_is_unmapped(t);
	vmalloc_larger_than_the_largest_buddy_block(t);
}

static void row_21_vmalloc_may_sleep_vfree_is_deferred(struct ktap_test *t)
{
	struct vmalloc_stats st0, st1;
	void *p;

	vmalloc_get_stats(&st0);
	ktap_expect_report(t, "BUG: sleeping function called from invalid context: vmalloc");
	printk_capture_start();
	local_irq_disable();
	p = vmalloc(PAGE_SIZE);
	local_irq_enable();
	printk_capture_stop();
	vmalloc_get_stats(&st1);
	KTAP_EXPECT(t, st1.atomic_reports == st0.atomic_reports + 1);
	KTAP_EXPECT(t, printk_capture_text()[0] != '\0');
	vfree(p);
	vfree_in_an_interrupt_is_deferred(t);
}

static void row_22_vmalloc_is_not_one_dma_buffer(struct ktap_test *t)
{
	dma_vmalloc_needs_scatter_gather(t);
}

static void row_24_vmalloc_is_not_built_on_slab(struct ktap_test *t)
{
	vmalloc_pages_come_from_the_page_allocator_not_slab(t);
}

static void row_25_get_free_pages_and_get_zeroed_page(struct ktap_test *t)
{
	gfp_zero_zeroes_and_plain_does_not(t);
}

static void row_26_alloc_pages_returns_a_struct_page(struct ktap_test *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	struct page *q = alloc_pages_node(0, GFP_KERNEL, 0);

	KTAP_ASSERT(t, p && q);
	KTAP_EXPECT(t, p >= mem_map && p < mem_map + max_pfn);
	KTAP_EXPECT(t, virt_to_page(page_address(p)) == p);
	__free_pages(p, 2);
	__free_pages(q, 0);
}

static void row_27_the_largest_block_is_4mib(struct ktap_test *t)
{
	every_order_is_aligned_and_usable(t);
	order_11_is_refused_with_a_warning(t);
}

static void row_28_kmem_cache_create_modern_semantics(struct ktap_test *t)
{
	constructor_runs_when_a_slab_is_filled(t);
	hwcache_align_halves_the_line_for_small_objects(t);
	slab_cache_dma_takes_slabs_below_16mib(t);
}

static void row_29_kmem_cache_destroy_refuses_live_objects(struct ktap_test *t)
{
	destroy_with_live_objects_complains_and_keeps_the_cache(t);
}

static void row_30_slabinfo_shows_the_caches(struct ktap_test *t)
{
	slabinfo_lists_the_kmalloc_caches(t);
}

static void row_31_mempool_keeps_a_reserve(struct ktap_test *t)
{
	reserve_serves_min_nr_when_the_allocator_is_exhausted(t);
}

static void row_32_per_cpu_variables(struct ktap_test *t)
{
	each_cpu_has_its_own_copy(t);
	alloc_percpu_is_zeroed_and_per_cpu(t);
	get_cpu_var_disables_preemption(t);
}

static void row_33_ioremap_maps_device_memory(struct ktap_test *t)
{
	ioremap_maps_device_memory_uncached_in_the_vmalloc_area(t);
	dma_bar_is_mapped_by_ioremap(t); /* the DMA device's BAR0 */
}

static void row_34_memblock_replaced_bootmem(struct ktap_test *t)
{
	if (!memblock_handed_over) {
		ktap_skip(t, "gmm prepared the page state; the guest runs memblock on the PVH path");
		return;
	}
	ktap_diag(t, "memblock handed %llu pages to the buddy allocator at boot",
		  (unsigned long long)memblock_handed_over);
}

static void row_35_allocators_return_virtual_addresses(struct ktap_test *t)
{
	struct kmem_cache *s = kmem_cache_create("row35", 32, 0, 0, NULL);
	void *a = kmalloc(32, GFP_KERNEL), *b = s ? kmem_cache_alloc(s, GFP_KERNEL) : NULL;
	unsigned long c = __get_free_pages(GFP_KERNEL, 0);
	uintptr_t end = PAGE_OFFSET + (max_pfn << PAGE_SHIFT);

	KTAP_ASSERT(t, a && b && c);
	KTAP_EXPECT(t, (uintptr_t)a >= PAGE_OFFSET && (uintptr_t)a < end);
	KTAP_EXPECT(t, (uintptr_t)b >= PAGE_OFFSET && (uintptr_t)b < end);
	KTAP_EXPECT(t, c >= PAGE_OFFSET && c < end);
	kfree(a);
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
	free_pages(c, 0);
}

static void row_36_the_x86_64_layout_is_not_3g_1g(struct ktap_test *t)
{
	int here;

	KTAP_EXPECT(t, PAGE_OFFSET == 0xffff888000000000ull);
	KTAP_EXPECT(t, (uintptr_t)_text >= __START_KERNEL_map);
	KTAP_EXPECT(t, (uintptr_t)&here >= __START_KERNEL_map); /* the stack is in the image */
	ktap_diag(t, "direct map at %#llx, vmalloc at %#llx, kernel at %#llx",
		  (unsigned long long)PAGE_OFFSET, (unsigned long long)VMALLOC_START,
		  (unsigned long long)__START_KERNEL_map);
}

static const struct ktap_case seed_claims_cases[] = {
	KTAP_CASE(row_01_kmalloc_is_physically_contiguous),
	KTAP_CASE(row_02_kmalloc_does_not_zero_kzalloc_does),
	KTAP_CASE(row_03_kcalloc_overflow_is_null),
	KTAP_CASE(row_04_smallest_kmalloc_is_8_bytes),
	KTAP_CASE(row_05_kmalloc_goes_to_4mib),
	KTAP_CASE(row_06_kmalloc_caches_sit_on_the_page_allocator),
	KTAP_CASE(row_07_kmalloc_picks_a_size_class_cache),
	KTAP_CASE(row_08_power_of_two_sizes_are_aligned),
	KTAP_CASE(row_09_gfp_kernel_sleeps_gfp_atomic_does_not),
	KTAP_CASE(row_10_gfp_atomic_uses_the_last_pages),
	KTAP_CASE(row_11_gfp_dma_is_below_16mib_for_a_24bit_device),
	KTAP_CASE(row_12_gfp_compositions),
	KTAP_CASE(row_13_highmem_is_accepted_and_means_nothing),
	KTAP_CASE(row_14_gfp_cold_is_gone),
	KTAP_CASE(row_15_nowarn_silences_failures),
	KTAP_CASE(row_16_gfp_repeat_is_now_retry_mayfail),
	KTAP_CASE(row_17_nofail_never_fails_noretry_gives_up),
	KTAP_CASE(row_18_zonelist_falls_back_to_lower_zones),
	KTAP_CASE(row_19_vmalloc_is_scattered),
	KTAP_CASE(row_20_vmalloc_rounds_up_and_goes_beyond_4mib),
	KTAP_CASE(row_21_vmalloc_may_sleep_vfree_is_deferred),
	KTAP_CASE(row_22_vmalloc_is_not_one_dma_buffer),
	KTAP_CASE(row_24_vmalloc_is_not_built_on_slab),
	KTAP_CASE(row_25_get_free_pages_and_get_zeroed_page),
	KTAP_CASE(row_26_alloc_pages_returns_a_struct_page),
	KTAP_CASE(row_27_the_largest_block_is_4mib),
	KTAP_CASE(row_28_kmem_cache_create_modern_semantics),
	KTAP_CASE(row_29_kmem_cache_destroy_refuses_live_objects),
	KTAP_CASE(row_30_slabinfo_shows_the_caches),
	KTAP_CASE(row_31_mempool_keeps_a_reserve),
	KTAP_CASE(row_32_per_cpu_variables),
	KTAP_CASE(row_33_ioremap_maps_device_memory),
	KTAP_CASE(row_34_memblock_replaced_bootmem),
	KTAP_CASE(row_35_allocators_return_virtual_addresses),
	KTAP_CASE(row_36_the_x86_64_layout_is_not_3g_1g),
};

KTAP_SUITE_DEFINE(seed_claims, seed_claims_cases);
