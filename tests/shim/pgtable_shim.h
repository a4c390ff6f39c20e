/* SPDX-License-Identifier: MIT */
/*
 * tests/shim/pgtable_shim.h - page tables and the guest layout for C++ tests.
 *
 * Besides the headers, a table-page pool: a buffer of pages standing for physical memory at
 * [base_phys, base_phys + nr_pages * 4 KiB), with a used map, so tests can count what the
 * walker allocates and frees, make allocation fail after a limit, and plant table addresses
 * outside the pool (hostile tables: table_ptr returns NULL there).
 */
#ifndef GMM_TESTS_SHIM_PGTABLE_SHIM_H
#define GMM_TESTS_SHIM_PGTABLE_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

#include <stdbool.h>
#include <stdint.h>

#include <abi/guest_layout.h>
#include <linux/errno.h>

#include "mm/pgtable.h"

struct shim_pt_pool {
	uint8_t *mem;	    /* nr_pages pages, page aligned */
	uint64_t base_phys; /* "physical" address of mem[0] */
	unsigned int nr_pages;
	uint8_t *used; /* one byte per page */
	unsigned int nr_used;
	unsigned int allocs_left; /* alloc_table fails with -ENOMEM at 0; ~0u for unlimited */
	unsigned int bad_frees;	  /* free_table of a page not in use */
};

/** shim_pt_pool_init - @nr_pages zeroed pages named from @base_phys (4 KiB aligned); 0/-ENOMEM */
int shim_pt_pool_init(struct shim_pt_pool *pool, unsigned int nr_pages, uint64_t base_phys);
void shim_pt_pool_destroy(struct shim_pt_pool *pool);

/* pgt_ops over a shim_pt_pool (ctx = the pool) */
extern const struct pgt_ops shim_pt_pool_ops;

/** shim_pt_entry - pointer to the 64-bit word at physical address @phys in the pool, or NULL */
uint64_t *shim_pt_entry(struct shim_pt_pool *pool, uint64_t phys);

/* The START_KERNEL_map constant under a name C++ may use */
uint64_t shim_start_kernel_map(void);

#ifdef __cplusplus
}
#endif

#endif /* GMM_TESTS_SHIM_PGTABLE_SHIM_H */
