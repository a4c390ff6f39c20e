/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/dma.h - the emulated DMA device: QEMU's edu plus scatter-gather (vmm/devices/dma.c).
 *
 * The registers are include/abi/dma_regs.h. The device is a PCI function (struct gmm_pci_func, on
 * a struct gmm_pci_host) whose BAR0 callback is gmm_dma_dev_mmio(). It reaches guest memory only
 * through libgmm's bounds-checked accessors (gmm_mem_ptr(), gmm_mem_read()), after checking every
 * range as a whole against the DMA mask and RAM, so DMA can never reach MMIO, the device's own
 * registers or host memory. A command runs to completion inside the MMIO write that starts it.
 *
 * Strict mode reads the guest's buddy page state (include/abi/page_state.h) through the same
 * accessors and refuses a descriptor that runs from one allocated block into another block or
 * into free memory, logging both blocks.
 */
#ifndef GMM_GMM_DMA_H
#define GMM_GMM_DMA_H

#include <stdbool.h>
#include <stdint.h>

#include <gmm/guest_mem.h>
#include <gmm/guest_page_state.h>
#include <gmm/pci.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GMM_DMA_DEV_DEVFN	  0x08 /* PCI 00:01.0 */
#define GMM_DMA_DEFAULT_MASK_BITS 28u  /* QEMU edu's */
/* include/abi/dma_regs.h's sizes, for struct gmm_dma_dev (checked in vmm/devices/dma.c) */
#define GMM_DMA_EDU_BUF_SIZE  4096u
#define GMM_DMA_DEV_LOG_LINES 32 /* error lines logged before the rest are only counted */

struct gmm_dma_dev_stats {
	uint64_t mmio;	       /* BAR0 accesses (each one a VM exit) */
	uint64_t commands;     /* DMA commands started: edu and scatter-gather */
	uint64_t sg_commands;  /* of which scatter-gather */
	uint64_t errors;       /* commands refused */
	uint64_t strict_refusals; /* of which refused by strict mode (page state included) */
	uint64_t bytes;	       /* moved by successful commands */
	uint64_t irqs;	       /* interrupts raised */
};

struct gmm_dma_dev {
	struct gmm_pci_func pci;
	const struct gmm_mem *mem;
	uint64_t page_state_phys; /* for strict mode; 0 = not known yet */
	bool strict;
	bool page_state_logged;			/* an invalid page state was reported once */
	struct gmm_page_state_copy strict_copy; /* strict mode: this command's header copy */
	unsigned int mask_bits;
	uint64_t mask;
	void *log; /* FILE * for refused commands, or NULL */
	unsigned int log_left;

	/* edu */
	uint32_t liveness, fact, status, irq_status;
	uint64_t src, dst, cnt, cmd;
	uint8_t buf[GMM_DMA_EDU_BUF_SIZE];

	/* extension */
	uint64_t sg_src_table, sg_dst_table, done, dev_offset;
	uint32_t sg_src_count, sg_dst_count, sg_cmd, error, crc, pattern;
	uint8_t *dev_buf; /* DMA_DEV_BUF_SIZE, mapped at first use */
	uint32_t crc_table[8][256]; /* struct crc32_table of include/abi/crc32.h */

	struct gmm_dma_dev_stats stats;
};

/**
 * gmm_dma_dev_init - a DMA device over guest RAM @mem
 * @d: the device
 * @mem: guest RAM
 * @mask_bits: DMA mask width, 12 .. 64 (edu: 28)
 * @strict: refuse descriptors that cross buddy blocks (needs gmm_dma_dev_set_page_state())
 * @log: FILE * for refused commands (rate-limited), or NULL
 * Return: 0, or -EINVAL for a NULL @d or @mem or a bad mask width.
 */
int gmm_dma_dev_init(struct gmm_dma_dev *d, const struct gmm_mem *mem, unsigned int mask_bits,
		     bool strict, void *log);

/** gmm_dma_dev_destroy - release the large device buffer; nothing for NULL or a zeroed @d */
void gmm_dma_dev_destroy(struct gmm_dma_dev *d);

/** gmm_dma_dev_set_page_state - where the guest's page_state is (struct bootinfo); NULL: nothing */
void gmm_dma_dev_set_page_state(struct gmm_dma_dev *d, uint64_t page_state_phys);

/** gmm_dma_dev_mmio - gmm_bus_io_fn of BAR0 (offset from the BAR; bad arguments: see there) */
int gmm_dma_dev_mmio(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

/**
 * gmm_dma_dev_add - put @d on @h as GMM_DMA_DEV_DEVFN
 * Return: 0, -EINVAL for a NULL @d or @h, or a negative errno of gmm_pci_host_add().
 */
int gmm_dma_dev_add(struct gmm_dma_dev *d, struct gmm_pci_host *h);

/**
 * gmm_dma_dev_strict_check - the strict-mode rule for one range (exposed for tests and tools)
 * @d: the device (its page state)
 * @addr: first byte
 * @len: length, >= 1
 * The page state is copied once for the check (a command copies it once for all of its
 * descriptors). A state that is not valid, or inconsistent where the range lies, refuses
 * (fail closed).
 * Return: an enum dma_error of include/abi/dma_regs.h: DMA_ERR_NONE, DMA_ERR_CROSSES,
 * DMA_ERR_FREE or DMA_ERR_PAGE_STATE (logged); not logged: DMA_ERR_PAGE_STATE for a NULL @d,
 * DMA_ERR_NOT_RAM for a @len of 0 or a range that wraps past 2^64.
 */
int gmm_dma_dev_strict_check(struct gmm_dma_dev *d, uint64_t addr, uint64_t len);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_DMA_H */
