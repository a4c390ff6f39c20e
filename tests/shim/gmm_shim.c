// SPDX-License-Identifier: MIT
/* tests/shim/gmm_shim.c - see gmm_shim.h. */
#include "tests/shim/gmm_shim.h"

bool gmm_shim_kvm_usable(char *why, size_t whylen)
{
	struct gmm_vm vm;

	if (gmm_vm_open_kvm(&vm, why, whylen))
		return false;
	gmm_vm_destroy(&vm);
	return true;
}

int gmm_shim_pgt_attach_guest(struct pgt *pgt, const struct gmm_mem *gm, uint64_t root)
{
	return gmm_mem_pgt_attach(pgt, gm, root);
}
