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

int gmm_shim_dma_machine(struct gmm_machine *m, uint64_t ram_bytes, unsigned int mask_bits,
			 bool strict, gmm_pci_msi_fn msi, gmm_pci_intx_fn intx, void *irq_ctx,
			 char *err, size_t errlen)
{
	const struct gmm_machine_device dma = { .kind = GMM_DEVICE_DMA,
						.dma_mask_bits = mask_bits,
						.dma_strict = strict };
	const struct gmm_machine_config c = {
		.ram_bytes = ram_bytes,
		.console_fd = -1,
		.devices = &dma,
		.nr_devices = 1,
		.msi = msi,
		.intx = intx,
		.irq_ctx = irq_ctx,
	};

	return gmm_machine_create(m, &c, err, errlen);
}
