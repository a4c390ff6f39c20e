/* SPDX-License-Identifier: MIT */
/*
 * tests/shim/vmalloc_shim.h - vmalloc, vmap, ioremap, the direct map and memblock for C++ tests.
 *
 * Pulls in the C headers with C linkage and gives the Linux names with double underscores
 * names C++ may use.
 */
#ifndef GMM_TESTS_SHIM_VMALLOC_SHIM_H
#define GMM_TESTS_SHIM_VMALLOC_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

#include <linux/io.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "mm/memblock.h"
#include "mm/vmalloc_admin.h"
#include "tests/shim/mm_shim.h"
#include "tests/shim/pgtable_shim.h"

void *shim_vmalloc_gfp(unsigned long size, gfp_t gfp);			      /* __vmalloc */
void *shim_vmalloc_align(unsigned long size, unsigned long align, gfp_t gfp); /* __vmalloc_node */
uint64_t shim_pa(const void *addr);					      /* __pa */
void *shim_va(uint64_t phys);						      /* __va */
pgprot_t shim_page_kernel(void);					      /* PAGE_KERNEL */
pgprot_t shim_page_kernel_ro(void);					      /* PAGE_KERNEL_RO */
void shim_free_page(struct page *page);					      /* __free_page */

/** shim_vmalloc_ok - vmalloc_check() into @err */
bool shim_vmalloc_ok(char *err, size_t errlen);

/** shim_free_ram_pages - free pages of all zones, buddy and per-CPU lists */
uint64_t shim_free_ram_pages(void);

#ifdef __cplusplus
}
#endif

#endif /* GMM_TESTS_SHIM_VMALLOC_SHIM_H */
