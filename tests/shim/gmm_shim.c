// SPDX-License-Identifier: MIT
/* tests/shim/gmm_shim.c - see gmm_shim.h. */
#include "tests/shim/gmm_shim.h"

#include <errno.h>

bool gmm_shim_kvm_usable(char *why, size_t whylen)
{
	struct vm vm;

	if (vm_open_kvm(&vm, why, whylen))
		return false;
	vm_destroy(&vm);
	return true;
}

static int shim_no_alloc(void *ctx, uint64_t *phys)
{
	(void)ctx;
	(void)phys;
	return -ENOMEM;
}

static void *shim_table_ptr(void *ctx, uint64_t phys)
{
	return gmem_ptr(ctx, phys, PAGE_SIZE);
}

static const struct pgt_ops shim_guest_ops = {
	.alloc_table = shim_no_alloc,
	.free_table = NULL,
	.table_ptr = shim_table_ptr,
};

int gmm_shim_pgt_attach_guest(struct pgt *pgt, const struct gmem *gm, uint64_t root)
{
	return pgt_attach(pgt, root, &shim_guest_ops, (void *)gm);
}
