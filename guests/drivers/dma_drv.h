/* SPDX-License-Identifier: MIT */
/*
 * guests/drivers/dma_drv.h - the guest driver of the DMA device (QEMU's edu, gmm's extension).
 *
 * dma_drv_get() probes once: scans PCI bus 0 through configuration mechanism #1 for 1234:11e8,
 * maps BAR0 with ioremap(), enables memory decoding and bus mastering, enables MSI (one vector,
 * to this CPU's local APIC) if the device has the capability, and reads DMA_REG_EXT_ID to see
 * whether gmm's extension is there (stock edu reads all-ones). Completion is waited for with
 * the interrupt when MSI is on, by polling the command register otherwise (and as a fallback
 * when the interrupt does not come).
 */
#ifndef GMM_GUESTS_DRIVERS_DMA_DRV_H
#define GMM_GUESTS_DRIVERS_DMA_DRV_H

#include <stdbool.h>
#include <stdint.h>

#include <abi/crc32.h>
#include <abi/dma_regs.h>
#include <linux/io.h>

#define DMA_DRV_VECTOR 0x51

struct dma_drv {
	uint8_t devfn;
	uint64_t bar_phys;
	volatile uint8_t __iomem *regs;
	bool ext;	/* gmm's extension block answers */
	uint32_t caps;	/* DMA_CAP_* */
	bool msi;	/* MSI enabled */
	uint64_t dma_mask;
	volatile unsigned int irqs;	 /* interrupts handled */
	volatile uint32_t last_irq_status;
	unsigned int polled;		 /* completions found by polling after no interrupt */
	/* a test's hook, run inside the interrupt handler */
	void (*irq_hook)(void *data);
	void *irq_hook_data;
	struct crc32_table crc;
};

/** dma_drv_get - the probed device, or NULL if there is none (probe runs once) */
struct dma_drv *dma_drv_get(void);

/**
 * dma_set_mask - what dma_set_mask() does in Linux: accept @bits if the device can address
 * that much (the extension reports its width; stock edu is assumed to have the default 28)
 * Return: 0 or -EIO.
 */
int dma_set_mask(struct dma_drv *d, unsigned int bits);

uint32_t dma_read32(struct dma_drv *d, unsigned int off);
uint64_t dma_read64(struct dma_drv *d, unsigned int off);
void dma_write32(struct dma_drv *d, unsigned int off, uint32_t v);
void dma_write64(struct dma_drv *d, unsigned int off, uint64_t v);

/**
 * dma_edu_transfer - one edu DMA between RAM at @phys and the device buffer at @dev_addr
 * @d: the device
 * @phys: guest-physical address
 * @dev_addr: DMA_EDU_BUF_ADDR + offset
 * @len: bytes
 * @to_ram: direction (device buffer -> RAM)
 * @irq: ask for the completion interrupt (waits for it when MSI is on)
 * Return: 0, or -ETIMEDOUT.
 */
int dma_edu_transfer(struct dma_drv *d, uint64_t phys, uint64_t dev_addr, uint32_t len,
		     bool to_ram, bool irq);

/**
 * dma_sg - one scatter-gather command of the extension
 * @d: the device
 * @cmd: DMA_SG_OP(...) << DMA_SG_OP_SHIFT | DMA_SG_CRC | DMA_SG_IRQ (START is added)
 * @src: source table (physical), @nsrc descriptors
 * @dst: destination table, @ndst descriptors
 * Return: the enum dma_error the device reported (DMA_REG_ERROR).
 */
uint32_t dma_sg(struct dma_drv *d, uint32_t cmd, uint64_t src, uint32_t nsrc, uint64_t dst,
		uint32_t ndst);

/** dma_crc - the CPU's CRC32 of @len bytes at @p (the same definition as the device's) */
uint32_t dma_crc(struct dma_drv *d, const void *p, uint64_t len);

#endif /* GMM_GUESTS_DRIVERS_DMA_DRV_H */
