/* SPDX-License-Identifier: MIT */
/*
 * tests/shim/gmm_shim.h - how GoogleTest (C++) reaches libgmm (C).
 *
 * Tests include this header and nothing from include/gmm/ or vmm/ directly. libgmm's headers
 * already have C linkage; the shim adds what tests need beyond the library: whether KVM can be
 * used here (with the reason when not), a kvm_run-sized buffer, and access to the walker.
 */
#ifndef GMM_TESTS_SHIM_GMM_SHIM_H
#define GMM_TESTS_SHIM_GMM_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

#include <abi/bootinfo.h>
#include <abi/console_port.h>
#include <abi/crc32.h>
#include <abi/dma_regs.h>
#include <abi/guest_layout.h>
#include <abi/page_state.h>
#include <abi/pci_regs.h>
#include <gmm/boot.h>
#include <gmm/bus.h>
#include <gmm/devices.h>
#include <gmm/dma.h>
#include <gmm/exit.h>
#include <gmm/exit_status.h>
#include <gmm/guest_mem.h>
#include <gmm/guest_page_state.h>
#include <gmm/io_sequence.h>
#include <gmm/loader.h>
#include <gmm/machine.h>
#include <gmm/pci.h>
#include <gmm/run.h>
#include <gmm/seccomp.h>
#include <gmm/view.h>
#include <gmm/vm.h>

#include "mm/pgtable.h"

/**
 * gmm_shim_kvm_usable - can this process create VMs?
 * @why: receives the reason when not (for GTEST_SKIP)
 * @whylen: its size
 */
bool gmm_shim_kvm_usable(char *why, size_t whylen);

/**
 * gmm_shim_dma_machine - a machine without a VM holding only the DMA device (PCI 00:01.0)
 * @m: the machine (gmm_machine_destroy() releases it)
 * @ram_bytes: guest RAM
 * @mask_bits: the DMA mask width (0: the default)
 * @strict: strict mode
 * @msi: where its MSI messages go, or NULL
 * @intx: where INTx goes, or NULL
 * @irq_ctx: passed to both
 * @err: the reason on failure
 * @errlen: its size
 * Return: gmm_machine_create()'s.
 */
int gmm_shim_dma_machine(struct gmm_machine *m, uint64_t ram_bytes, unsigned int mask_bits,
			 bool strict, gmm_pci_msi_fn msi, gmm_pci_intx_fn intx, void *irq_ctx,
			 char *err, size_t errlen);

/** gmm_shim_pgt_attach_guest - a struct pgt reading the tables at @root in @gm (no allocation) */
int gmm_shim_pgt_attach_guest(struct pgt *pgt, const struct gmm_mem *gm, uint64_t root);

#ifdef __cplusplus
}
#endif

#endif /* GMM_TESTS_SHIM_GMM_SHIM_H */
