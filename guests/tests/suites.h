/* SPDX-License-Identifier: MIT */
/*
 * guests/tests/suites.h - the cases other suites share.
 *
 * The seed_claims suite proves each row of SEED-CLAIMS.md by running the cases of the
 * topic suites that show it (and a few checks of its own), so the proof is written once.
 */
#ifndef GMM_GUESTS_TESTS_SUITES_H
#define GMM_GUESTS_TESTS_SUITES_H

#include <stdint.h>

struct ktap_test;

/* kmalloc_suite.c */
void kmalloc_memory_is_physically_contiguous(struct ktap_test *t);
void kmalloc_does_not_zero_kzalloc_does(struct ktap_test *t);
void kcalloc_overflow_returns_null(struct ktap_test *t);
void smallest_object_is_8_bytes(struct ktap_test *t);
void large_sizes_go_to_the_page_allocator_up_to_4mib(struct ktap_test *t);
void slabinfo_lists_the_kmalloc_caches(struct ktap_test *t);
void power_of_two_sizes_are_naturally_aligned(struct ktap_test *t);

/* slab_suite.c */
void slabs_are_buddy_pages_marked_slab(struct ktap_test *t);
void constructor_runs_when_a_slab_is_filled(struct ktap_test *t);
void hwcache_align_halves_the_line_for_small_objects(struct ktap_test *t);
void slab_cache_dma_takes_slabs_below_16mib(struct ktap_test *t);
void destroy_with_live_objects_complains_and_keeps_the_cache(struct ktap_test *t);

/* percpu_suite.c */
void each_cpu_has_its_own_copy(struct ktap_test *t);
void alloc_percpu_is_zeroed_and_per_cpu(struct ktap_test *t);
void get_cpu_var_disables_preemption(struct ktap_test *t);

/* gfp_context_suite.c */
void interrupt_handler_may_use_gfp_atomic_not_gfp_kernel(struct ktap_test *t);

/* page_alloc_suite.c */
/* Take order-0 pages with @gfp until it fails, chained through the pages' first words. */
void *take_all_pages(unsigned int gfp, unsigned long *count);
void give_back_pages(void *head);
void atomic_goes_below_min_where_kernel_stops(struct ktap_test *t);
void gfp_zero_zeroes_and_plain_does_not(struct ktap_test *t);
void every_order_is_aligned_and_usable(struct ktap_test *t);
void order_11_is_refused_with_a_warning(struct ktap_test *t);

/* vmalloc_suite.c */
void vmalloc_is_virtually_contiguous_and_physically_scattered(struct ktap_test *t);
void the_guard_page_after_an_area_is_unmapped(struct ktap_test *t);
void vmalloc_larger_than_the_largest_buddy_block(struct ktap_test *t);
void vfree_in_an_interrupt_is_deferred(struct ktap_test *t);
void vmalloc_pages_come_from_the_page_allocator_not_slab(struct ktap_test *t);
void ioremap_maps_device_memory_uncached_in_the_vmalloc_area(struct ktap_test *t);

/* mempool_suite.c */
void reserve_serves_min_nr_when_the_allocator_is_exhausted(struct ktap_test *t);

/* dma_edu_suite.c, dma_contiguity_suite.c, dma_mask_suite.c */
struct dma_drv;
void dma_bar_is_mapped_by_ioremap(struct ktap_test *t);
void dma_kmalloc_buffers_are_one_descriptor(struct ktap_test *t);
void dma_vmalloc_needs_scatter_gather(struct ktap_test *t);
void dma_gfp_dma_works_with_a_24bit_device(struct ktap_test *t);
/* the probed device if it has gmm's extension, else the case is skipped and NULL */
struct dma_drv *dma_get_ext(struct ktap_test *t);
/* the device reads [phys, phys + len) as one descriptor: its error, the CRC in *crc */
uint32_t dma_dev_read_crc(struct dma_drv *d, uint64_t phys, uint64_t len, uint32_t *crc);
/* one buffer as one descriptor: the device's CRC equals the CPU's */
void dma_one_descriptor_crc_matches(struct ktap_test *t, struct dma_drv *d, void *p, uint64_t len,
				    const char *what);

#endif /* GMM_GUESTS_TESTS_SUITES_H */
