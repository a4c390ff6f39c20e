// SPDX-License-Identifier: MIT
/* guests/tests/guest_pgtable.c - see guest_pgtable.h. Read-only: no table is ever allocated. */
#include "guests/tests/guest_pgtable.h"

#include <abi/guest_layout.h>
#include <linux/errno.h>

#include "guests/arch/x86/processor.h"
#include "mm/pgtable.h"

static int no_alloc(void *ctx, uint64_t *phys)
{
	(void)ctx;
	(void)phys;
	return -ENOMEM;
}

static void *direct_map(void *ctx, uint64_t phys)
{
	(void)ctx;
	return (void *)(uintptr_t)(PAGE_OFFSET + phys);
}

static const struct pgt_ops live_ops = {
	.alloc_table = no_alloc,
	.free_table = NULL,
	.table_ptr = direct_map,
};

int guest_walk(uint64_t va, struct pgt_walk *w)
{
	struct pgt pgt;
	int ret = pgt_attach(&pgt, read_cr3() & ~0xfffull, &live_ops, NULL);

	return ret ? ret : pgt_walk(&pgt, va, w);
}

int guest_translate(uint64_t va, uint64_t *pa)
{
	struct pgt pgt;
	int ret = pgt_attach(&pgt, read_cr3() & ~0xfffull, &live_ops, NULL);

	return ret ? ret : pgt_translate(&pgt, va, pa);
}
