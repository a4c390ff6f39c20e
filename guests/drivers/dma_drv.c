// SPDX-License-Identifier: MIT
/*
 * guests/drivers/dma_drv.c - probe and drive the DMA device (see dma_drv.h).
 *
 * Learned from the shape of kvm-unit-tests' lib/pci-edu.c: find by ID, map the BAR, set bus
 * mastering, start a transfer, poll or take the interrupt. State: one static struct dma_drv,
 * probed on first use; the interrupt handler only reads and acknowledges the interrupt status
 * and runs the test hook.
 */
#include "guests/drivers/dma_drv.h"

#include <abi/guest_layout.h>
#include <abi/pci_regs.h>
#include <linux/errno.h>

#include "guests/arch/x86/apic.h"
#include "guests/arch/x86/processor.h"
#include "guests/arch/x86/traps.h"
#include "guests/kernel/kernel.h"

#define DMA_DRV_SPINS 2000000ul /* polls before giving up (QEMU's edu finishes after 100 ms) */

static struct dma_drv drv;
static int probed; /* 0 not yet, 1 found, -1 absent */

static uint32_t cfg_read32(uint8_t devfn, unsigned int reg)
{
	outl(PCI_CONFIG_ADDR(devfn, reg), PCI_CONFIG_ADDRESS);
	return inl(PCI_CONFIG_DATA);
}

static void cfg_write32(uint8_t devfn, unsigned int reg, uint32_t v)
{
	outl(PCI_CONFIG_ADDR(devfn, reg), PCI_CONFIG_ADDRESS);
	outl(v, PCI_CONFIG_DATA);
}

uint32_t dma_read32(struct dma_drv *d, unsigned int off)
{
	return *(volatile uint32_t *)(d->regs + off);
}

uint64_t dma_read64(struct dma_drv *d, unsigned int off)
{
	return *(volatile uint64_t *)(d->regs + off);
}

void dma_write32(struct dma_drv *d, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(d->regs + off) = v;
}

void dma_write64(struct dma_drv *d, unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)(d->regs + off) = v;
}

static void dma_irq(struct pt_regs *regs, void *data)
{
	struct dma_drv *d = data;
	uint32_t st = dma_read32(d, DMA_REG_IRQ_STATUS);

	(void)regs;
	d->last_irq_status = st;
	dma_write32(d, DMA_REG_IRQ_ACK, st);
	d->irqs++;
	if (d->irq_hook)
		d->irq_hook(d->irq_hook_data);
}

static void enable_msi(struct dma_drv *d)
{
	uint32_t status = cfg_read32(d->devfn, PCI_COMMAND) >> 16;
	unsigned int cap;
	uint32_t hdr;

	if (!(status & PCI_STATUS_CAP_LIST))
		return;
	for (cap = cfg_read32(d->devfn, PCI_CAPABILITY_LIST) & 0xfc; cap;
	     cap = (hdr >> 8) & 0xfc) {
		hdr = cfg_read32(d->devfn, cap);
		if ((hdr & 0xff) != PCI_CAP_ID_MSI)
			continue;
		x86_set_irq_handler(DMA_DRV_VECTOR, dma_irq, d);
		cfg_write32(d->devfn, cap + PCI_MSI_ADDRESS_LO,
			    MSI_ADDR_BASE_X86 | apic_id() << MSI_ADDR_DEST_SHIFT);
		if ((hdr >> 16) & PCI_MSI_FLAGS_64BIT) {
			cfg_write32(d->devfn, cap + PCI_MSI_ADDRESS_HI, 0);
			cfg_write32(d->devfn, cap + PCI_MSI_DATA_64, DMA_DRV_VECTOR);
		} else {
			cfg_write32(d->devfn, cap + 8, DMA_DRV_VECTOR);
		}
		cfg_write32(d->devfn, cap, hdr | (uint32_t)PCI_MSI_FLAGS_ENABLE << 16);
		d->msi = true;
		return;
	}
}

static int probe(struct dma_drv *d)
{
	unsigned int slot;
	uint32_t id, bar, cmd;

	for (slot = 0; slot < 32; slot++) {
		id = cfg_read32(PCI_DEVFN(slot, 0), PCI_VENDOR_ID);
		if (id == (DMA_PCI_VENDOR | DMA_PCI_DEVICE << 16))
			break;
	}
	if (slot == 32)
		return -ENODEV;
	d->devfn = PCI_DEVFN(slot, 0);
	bar = cfg_read32(d->devfn, PCI_BASE_ADDRESS_0) & PCI_BASE_ADDRESS_MEM_MASK;
	if (!bar) { /* no firmware placed it: put it at the start of the PCI hole */
		bar = (uint32_t)GUEST_PCI_HOLE_START;
		cfg_write32(d->devfn, PCI_BASE_ADDRESS_0, bar);
	}
	d->bar_phys = bar;
	cmd = cfg_read32(d->devfn, PCI_COMMAND);
	cfg_write32(d->devfn, PCI_COMMAND,
		    (cmd & 0xffff) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	d->regs = ioremap(bar, DMA_BAR0_SIZE);
	if (!d->regs)
		return -ENOMEM;
	if ((dma_read32(d, DMA_REG_ID) & 0xffff) != 0x00ed)
		return -ENODEV;
	d->ext = dma_read32(d, DMA_REG_EXT_ID) == DMA_EXT_MAGIC;
	d->caps = d->ext ? dma_read32(d, DMA_REG_EXT_CAPS) : 0;
	d->dma_mask = (1ull << DMA_DEFAULT_MASK_BITS) - 1;
	crc32_table_init(&d->crc);
	enable_msi(d);
	printk("dma: 1234:11e8 at 00:%02x.0, BAR0 %#llx, %s, MSI %s, extension %s (caps %#x)\n",
	       slot, (unsigned long long)bar, "bus master", d->msi ? "on" : "off",
	       d->ext ? "present" : "absent", d->caps);
	return 0;
}

struct dma_drv *dma_drv_get(void)
{
	if (!probed)
		probed = probe(&drv) ? -1 : 1;
	return probed > 0 ? &drv : NULL;
}

int dma_set_mask(struct dma_drv *d, unsigned int bits)
{
	unsigned int dev_bits = d->ext ? dma_read32(d, DMA_REG_MASK_BITS) : DMA_DEFAULT_MASK_BITS;

	if (bits > dev_bits || bits < 12)
		return -EIO;
	d->dma_mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
	return 0;
}

/* Wait until @off's @bit clears; with @irq and MSI, first for the interrupt count to move. */
static int wait_done(struct dma_drv *d, unsigned int off, uint32_t bit, bool irq,
		     unsigned int irqs_before)
{
	unsigned long spins;

	if (irq && d->msi) {
		for (spins = 0; spins < DMA_DRV_SPINS && d->irqs == irqs_before; spins++)
			cpu_relax();
		if (d->irqs != irqs_before)
			return 0;
		d->polled++;
	}
	for (spins = 0; spins < DMA_DRV_SPINS; spins++)
		if (!(dma_read32(d, off) & bit))
			return 0;
	return -ETIMEDOUT;
}

int dma_edu_transfer(struct dma_drv *d, uint64_t phys, uint64_t dev_addr, uint32_t len,
		     bool to_ram, bool irq)
{
	unsigned int before = d->irqs;

	dma_write64(d, DMA_REG_SRC, to_ram ? dev_addr : phys);
	dma_write64(d, DMA_REG_DST, to_ram ? phys : dev_addr);
	dma_write64(d, DMA_REG_COUNT, len);
	dma_write64(d, DMA_REG_CMD,
		    DMA_CMD_START | (to_ram ? DMA_CMD_TO_RAM : 0) | (irq ? DMA_CMD_IRQ : 0));
	return wait_done(d, DMA_REG_CMD, DMA_CMD_START, irq, before);
}

uint32_t dma_sg(struct dma_drv *d, uint32_t cmd, uint64_t src, uint32_t nsrc, uint64_t dst,
		uint32_t ndst)
{
	unsigned int before = d->irqs;

	dma_write64(d, DMA_REG_SG_SRC_TABLE, src);
	dma_write32(d, DMA_REG_SG_SRC_COUNT, nsrc);
	dma_write64(d, DMA_REG_SG_DST_TABLE, dst);
	dma_write32(d, DMA_REG_SG_DST_COUNT, ndst);
	dma_write32(d, DMA_REG_SG_CMD, cmd | DMA_SG_START);
	if (wait_done(d, DMA_REG_SG_CMD, DMA_SG_START, cmd & DMA_SG_IRQ, before))
		return ~0u;
	return dma_read32(d, DMA_REG_ERROR);
}

uint32_t dma_crc(struct dma_drv *d, const void *p, uint64_t len)
{
	return crc32_update(&d->crc, 0, p, len);
}
