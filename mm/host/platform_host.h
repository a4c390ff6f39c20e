/* SPDX-License-Identifier: MIT */
/*
 * mm/host/platform_host.h - the hosted platform: the mm core in an ordinary Linux process.
 *
 * "Physical memory" is a memfd mapped into the process; the page-frame array and page state
 * live in ordinary heap memory beside it. Log lines go to stderr and, for tests, into a capture
 * buffer. Interrupt context is simulated: tests set it with mm_host_set_atomic().
 *
 * One hosted memory is attached at a time (the Linux API has one global page allocator).
 */
#ifndef GMM_MM_HOST_PLATFORM_HOST_H
#define GMM_MM_HOST_PLATFORM_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/page_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mm_host_memory {
	int memfd;		 /* backs simulated physical memory [0, phys_size) */
	uint8_t *phys;		 /* its mapping: page_offset_base */
	uint64_t phys_size;	 /* bytes, a multiple of PAGE_SIZE */
	struct page_state *state;
	struct page *map;
};

/**
 * mm_host_memory_create - simulated physical memory with a page allocator over it
 * @mem: filled in
 * @usable: usable RAM ranges (bytes); the memory spans up to the highest end
 * @nr_usable: how many
 * @reserved: ranges never handed out
 * @nr_reserved: how many
 *
 * The memfd is sparse: pages the tests never touch cost nothing. The allocator is attached
 * and the slab allocator initialised (kmem_cache_init()), so alloc_pages(), kmalloc(),
 * kmem_cache_create() and mempool work on return. Caches of a previous memory are forgotten.
 * Return: 0 or a negative errno (the reason is also logged).
 */
int mm_host_memory_create(struct mm_host_memory *mem, const struct mem_range *usable,
			  unsigned int nr_usable, const struct mem_range *reserved,
			  unsigned int nr_reserved);

/** mm_host_memory_destroy - unmap and free everything; detaches the allocator */
void mm_host_memory_destroy(struct mm_host_memory *mem);

/**
 * mm_host_init - one call to use the gmm allocators in this process
 * @arena_bytes: size of the simulated physical memory (rounded up to pages, at least 1 MiB)
 *
 * For programs that link the hosted library (benchmarks, people trying the allocators on
 * their own workloads): after it, alloc_pages(), kmalloc(), kmem_cache_*() and mempool_*()
 * work in this process (single-threaded: the hosted platform is one CPU).
 * Return: 0 or a negative errno.
 */
int mm_host_init(uint64_t arena_bytes);

/** mm_host_tlb_flushes - how often the core flushed the TLB (platform_flush_tlb_kernel_range) */
uint64_t mm_host_tlb_flushes(void);

/**
 * mm_host_vmalloc_view - keep (the default) or skip the host mappings of vmalloc areas
 * @on: false: vmalloc/vmap/ioremap still build their page tables, but the memory they return
 *      cannot be dereferenced in this process. For benchmarks of the core alone, without the
 *      mmap() system calls the hosted view costs (a guest does not make them).
 */
void mm_host_vmalloc_view(bool on);

/** mm_host_set_atomic - simulate interrupt/atomic context for platform_in_atomic() */
void mm_host_set_atomic(bool atomic);

/** mm_host_log_capture - start (or restart, clearing) capturing log lines for tests */
void mm_host_log_capture(bool on);

/** mm_host_log_text - everything logged since capture started, NUL-terminated */
const char *mm_host_log_text(void);

/** mm_host_log_quiet - do not copy log lines to stderr (benchmarks, noisy tests) */
void mm_host_log_quiet(bool quiet);

#ifdef __cplusplus
}
#endif

#endif /* GMM_MM_HOST_PLATFORM_HOST_H */
