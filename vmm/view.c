// SPDX-License-Identifier: MIT
/*
 * vmm/view.c - the remapped view of guest RAM (see include/gmm/view.h).
 *
 * Layout of one view: | G | frame pfns[0] | frame pfns[1] | ... | G |, G = PROT_NONE.
 * Every frame is checked to be guest RAM before anything is mapped, so a hostile frame list
 * (a hole, MMIO, beyond RAM, an overflowing PFN) maps nothing.
 *
 * Translation walks the guest's own page tables, which a running guest may change: pgt_walk()
 * reads each entry once (READ_ONCE) and reaches every table through gmm_mem_ptr(), so a changing
 * table can give a wrong translation, never a read outside guest RAM (docs/threat-model.md).
 */
#define _GNU_SOURCE
#include <gmm/view.h>

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <abi/page_state.h>

#include "mm/pgtable.h"

int gmm_mem_view_map(const struct gmm_mem *gm, const uint64_t *pfns, size_t nr_pages,
		     struct gmm_mem_view *view)
{
	size_t i, run;
	size_t len;

	if (!view)
		return -EINVAL;
	memset(view, 0, sizeof(*view));
	if (!gm || !pfns || nr_pages == 0 || nr_pages > (SIZE_MAX >> PAGE_SHIFT) - 2)
		return -EINVAL;
	for (i = 0; i < nr_pages; i++) {
		if (pfns[i] > (UINT64_MAX >> PAGE_SHIFT) ||
		    !gmm_mem_is_ram(gm, pfns[i] << PAGE_SHIFT, PAGE_SIZE))
			return -EFAULT;
	}

	len = (nr_pages + 2) << PAGE_SHIFT;
	view->reserve =
		mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (view->reserve == MAP_FAILED) {
		view->reserve = NULL;
		return -errno;
	}
	view->reserve_len = len;
	view->addr = view->reserve + PAGE_SIZE;
	view->nr_pages = nr_pages;

	/* one mmap per run of consecutive frames: pfns 7 8 9 3 -> runs [7..9] and [3] */
	for (i = 0; i < nr_pages; i += run) {
		void *p;

		for (run = 1; i + run < nr_pages && pfns[i + run] == pfns[i] + run &&
			      gmm_mem_region_of(gm, pfns[i] << PAGE_SHIFT, (run + 1) << PAGE_SHIFT);
		     run++)
			;
		p = mmap(view->addr + (i << PAGE_SHIFT), run << PAGE_SHIFT, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, gm->memfd, (off_t)(pfns[i] << PAGE_SHIFT));
		if (p == MAP_FAILED) {
			int err = -errno;

			gmm_mem_view_unmap(view);
			return err;
		}
	}
	/* guest memory, like gmem's own mapping: not in core dumps */
	madvise(view->reserve, len, MADV_DONTDUMP);
	return 0;
}

void gmm_mem_view_unmap(struct gmm_mem_view *view)
{
	if (!view)
		return;
	if (view->reserve)
		munmap(view->reserve, view->reserve_len);
	memset(view, 0, sizeof(*view));
}

static int no_alloc_table(void *ctx, uint64_t *phys)
{
	(void)ctx;
	(void)phys;
	return -ENOMEM; /* translation never creates tables */
}

static void *guest_table_ptr(void *ctx, uint64_t phys)
{
	return gmm_mem_ptr(ctx, phys, PAGE_SIZE);
}

static const struct pgt_ops guest_walk_ops = {
	.alloc_table = no_alloc_table,
	.free_table = NULL,
	.table_ptr = guest_table_ptr,
};

int gmm_mem_pgt_attach(struct pgt *pgt, const struct gmm_mem *gm, uint64_t root)
{
	if (!pgt || !gm)
		return -EINVAL;
	return pgt_attach(pgt, root, &guest_walk_ops, (void *)gm);
}

int gmm_mem_translate(const struct gmm_mem *gm, uint64_t cr3, uint64_t gva, uint64_t *gpa)
{
	struct pgt pgt;

	if (!gm || !gpa)
		return -EINVAL;
	if (gmm_mem_pgt_attach(&pgt, gm, cr3 & PTE_ADDR_MASK))
		return -EFAULT;
	return pgt_translate(&pgt, gva, gpa);
}
