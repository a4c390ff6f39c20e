/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/view.h - the remapped view: scattered guest frames made contiguous in the host.
 *
 * The host's counterpart of vmap()/vmalloc in the guest: a list of guest page frames is mapped
 * back to back into a fresh host range by mapping the memfd that backs guest RAM page by page
 * (runs of consecutive frames in one mmap). A write through the view is a write to guest RAM,
 * visible in the linear view (gmm_mem_ptr()) and to the guest at once. The view has a PROT_NONE
 * guard page on both sides, like every region of the linear view.
 */
#ifndef GMM_GMM_VIEW_H
#define GMM_GMM_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include <gmm/guest_mem.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gmm_mem_view {
	uint8_t *addr; /* first byte of the first frame */
	size_t nr_pages;
	uint8_t *reserve; /* guards included */
	size_t reserve_len;
};

/**
 * gmm_mem_view_map - map guest frames contiguously into the host
 * @gm: guest RAM
 * @pfns: guest page-frame numbers, in view order; each must be a RAM page
 * @nr_pages: how many, at least 1
 * @view: filled in
 *
 * Return: 0, -EINVAL for an empty list, -EFAULT if a frame is not RAM (nothing mapped), or
 * another negative errno from mmap.
 */
int gmm_mem_view_map(const struct gmm_mem *gm, const uint64_t *pfns, size_t nr_pages,
		     struct gmm_mem_view *view);

/** gmm_mem_view_unmap - remove a view made by gmm_mem_view_map(); the guest frames stay */
void gmm_mem_view_unmap(struct gmm_mem_view *view);

/**
 * gmm_mem_translate - guest-virtual to guest-physical by walking the guest's page tables
 * @gm: guest RAM
 * @cr3: the guest's page-table root (CR3; flag bits below bit 12 are ignored)
 * @gva: guest-virtual address
 * @gpa: receives the guest-physical address
 *
 * The walk is mm/pgtable.c's, reaching table pages through gmm_mem_ptr(): tables written by a
 * hostile guest can point anywhere, and a table outside RAM ends the walk with -EFAULT.
 * Return: 0, -ENOENT if not mapped, -EINVAL if @gva is not canonical, -EFAULT as above.
 */
int gmm_mem_translate(const struct gmm_mem *gm, uint64_t cr3, uint64_t gva, uint64_t *gpa);

struct pgt;

/**
 * gmm_mem_pgt_attach - a read-only struct pgt (mm/pgtable.h) over the guest's tables at @root
 * @pgt: filled in; pgt_walk()/pgt_translate() then read the tables through gmm_mem_ptr()
 * @gm: guest RAM
 * @root: physical address of the PML4
 *
 * The walker cannot allocate through it (pgt_map() fails with -ENOMEM).
 * Return: 0, or -EINVAL if @root is not a page of RAM.
 */
int gmm_mem_pgt_attach(struct pgt *pgt, const struct gmm_mem *gm, uint64_t root);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_VIEW_H */
