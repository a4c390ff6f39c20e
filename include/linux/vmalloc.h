/* SPDX-License-Identifier: MIT */
/*
 * include/linux/vmalloc.h - virtually contiguous memory, with Linux's names and semantics.
 *
 * vmalloc memory is virtually contiguous and physically scattered: each page is an order-0
 * page from anywhere in RAM, mapped into [VMALLOC_START, VMALLOC_END) (SEED-CLAIMS.md row 19).
 * Sizes round up to whole pages; the limit is the vmalloc area and free RAM, not the largest
 * buddy block (row 20). The pages come from the page allocator, and the area bookkeeping does
 * not use slab either (row 24). One unmapped guard page follows every area.
 *
 * Context (row 21): vmalloc() may sleep in Linux, so calling it from atomic context is
 * reported ("BUG: sleeping function called from invalid context") and then served without
 * blocking; vfree() from interrupt context is deferred to the next vmalloc call made in
 * process context, not refused. vunmap() from interrupt context is refused.
 *
 * Freed areas are unmapped at once; their TLB flush is batched (see mm/vmalloc.c).
 *
 * vmalloc_base is the address at which the area appears in this address space: VMALLOC_START
 * in the guest, a reserved window on the host (mm/host/platform_host.c); vmalloc_area_size
 * its length. Both are 0 until first use.
 */
#ifndef GMM_LINUX_VMALLOC_H
#define GMM_LINUX_VMALLOC_H

#include <abi/guest_layout.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Page protections for vmap(): the PGT_* bits of mm/pgtable.h. */
typedef struct {
	unsigned int pgprot;
} pgprot_t;

static inline pgprot_t __pgprot(unsigned int v)
{
	pgprot_t p = { v };

	return p;
}

#define PAGE_KERNEL	    __pgprot(0x15u) /* PGT_WRITE | PGT_NX | PGT_GLOBAL */
#define PAGE_KERNEL_RO	    __pgprot(0x14u) /* PGT_NX | PGT_GLOBAL */
#define PAGE_KERNEL_NOCACHE __pgprot(0x1du) /* PAGE_KERNEL | PGT_UNCACHED */

/* vmap() flags */
#define VM_IOREMAP 0x1ul
#define VM_ALLOC   0x2ul
#define VM_MAP	   0x4ul

extern uintptr_t vmalloc_base;
extern uint64_t vmalloc_area_size;

/** is_vmalloc_addr - does @x lie in the vmalloc area (vmalloc, vmap or ioremap memory)? */
static inline bool is_vmalloc_addr(const void *x)
{
	return (uintptr_t)x - vmalloc_base < vmalloc_area_size;
}

/**
 * vmalloc - allocate virtually contiguous memory
 * @size: bytes, rounded up to pages
 *
 * Return: the address, or NULL (size 0, larger than the area or than free RAM: with a
 * warning) - not zeroed.
 */
void *vmalloc(unsigned long size);

/** vzalloc - vmalloc() and zero */
void *vzalloc(unsigned long size);

/**
 * __vmalloc - vmalloc() with GFP flags for the pages (__GFP_ZERO, __GFP_NOWARN, zone flags)
 * @size: bytes
 * @gfp_mask: flags
 */
void *__vmalloc(unsigned long size, gfp_t gfp_mask);

/**
 * __vmalloc_node - vmalloc() with an alignment for the area
 * @size: bytes
 * @align: power of two, at least PAGE_SIZE is used
 * @gfp_mask: flags
 * @node: 0 or NUMA_NO_NODE
 * @caller: recorded for the warning messages (may be NULL)
 */
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask, int node,
		     const void *caller);

/**
 * vfree - free vmalloc() memory; NULL is ignored
 * @addr: the address vmalloc() returned
 *
 * From interrupt context the free is deferred. An address that is not a vmalloc area warns.
 */
void vfree(const void *addr);

/**
 * vmap - map an array of pages virtually contiguously
 * @pages: the pages (not taken over: vunmap() leaves them to the caller)
 * @count: how many
 * @flags: VM_MAP
 * @prot: PAGE_KERNEL and friends
 *
 * Return: the address, or NULL.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot);

/** vunmap - undo vmap(); NULL is ignored */
void vunmap(const void *addr);

/** vmalloc_to_page - the page mapped at a vmalloc-area address, or NULL if none */
struct page *vmalloc_to_page(const void *addr);

/** vmalloc_to_pfn - page_to_pfn(vmalloc_to_page(@addr)); 0 if not mapped */
unsigned long vmalloc_to_pfn(const void *addr);

#ifdef __cplusplus
}
#endif

#endif /* GMM_LINUX_VMALLOC_H */
