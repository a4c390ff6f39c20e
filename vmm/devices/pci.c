// SPDX-License-Identifier: MIT
/*
 * vmm/devices/pci.c - PCI bus 0: configuration mechanism #1, the host bridge, BAR routing, MSI.
 *
 * Data structure: struct gmm_pci_host holds up to GMM_PCI_MAX_FUNCS functions (struct gmm_pci_func), each
 * a 256-byte configuration space plus a write mask of the same size. A configuration write
 * changes only the bits of its mask: new = (old & ~wmask) | (val & wmask). That one rule gives
 * read-only IDs, BAR sizing (the low bits of a BAR are not writable, so writing ~0 reads back
 * ~(size - 1) with the type bits) and the writable command, interrupt-line and MSI fields.
 *
 * Invariants: devfn values are unique on the bus; a BAR's address bits below its size are 0.
 * Locking: the caller serialises all calls (gmm's runner holds its device lock around the bus).
 */
#include <gmm/pci.h>

#include <abi/bootinfo.h>
#include <abi/pci_regs.h>

_Static_assert(GMM_PCI_CFG_SPACE_SIZE == PCI_CFG_SPACE_SIZE, "configuration space");

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* the host bridge: a generic one (QEMU's "PCIe host bridge" IDs) */
#define PCI_BRIDGE_VENDOR 0x1b36u
#define PCI_BRIDGE_DEVICE 0x0008u

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static void func_header(struct gmm_pci_func *f, uint16_t vendor, uint16_t device, uint8_t revision,
			uint32_t class_code)
{
	memset(f->config, 0, sizeof(f->config));
	memset(f->wmask, 0, sizeof(f->wmask));
	put16(f->config + PCI_VENDOR_ID, vendor);
	put16(f->config + PCI_DEVICE_ID, device);
	f->config[PCI_REVISION_ID] = revision;
	f->config[PCI_CLASS_PROG] = (uint8_t)class_code;
	put16(f->config + PCI_CLASS_PROG + 1, (uint16_t)(class_code >> 8));
	put16(f->wmask + PCI_COMMAND,
	      PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
	f->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

void gmm_pci_host_init(struct gmm_pci_host *h, gmm_pci_msi_fn msi, gmm_pci_intx_fn intx,
		       void *irq_ctx)
{
	memset(h, 0, sizeof(*h));
	h->msi = msi;
	h->intx = intx;
	h->irq_ctx = irq_ctx;
	func_header(&h->bridge, PCI_BRIDGE_VENDOR, PCI_BRIDGE_DEVICE, 0, PCI_CLASS_BRIDGE_HOST);
	h->bridge.devfn = 0;
	h->bridge.host = h;
	h->funcs[h->nr++] = &h->bridge;
}

int gmm_pci_func_init(struct gmm_pci_func *f, uint8_t devfn, uint16_t vendor, uint16_t device,
		      uint8_t revision, uint32_t class_code, uint32_t bar0_size,
		      gmm_bus_io_fn bar_io, void *bar_dev, bool msi)
{
	uint8_t *cap;

	if (!f || PCI_SLOT(devfn) == 0 ||
	    (bar0_size && (bar0_size < 16 || bar0_size > (1u << 30) ||
			   (bar0_size & (bar0_size - 1)) || !bar_io)))
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	func_header(f, vendor, device, revision, class_code);
	f->devfn = devfn;
	f->bar0_size = bar0_size;
	f->bar_io = bar_io;
	f->bar_dev = bar_dev;
	f->config[PCI_INTERRUPT_PIN] = 1; /* INTA# */
	if (bar0_size) /* 32-bit memory BAR, not prefetchable: type bits 0 */
		put32(f->wmask + PCI_BASE_ADDRESS_0, ~(bar0_size - 1) & PCI_BASE_ADDRESS_MEM_MASK);
	if (msi) {
		f->msi_cap = GMM_PCI_MSI_CAP_OFFSET;
		cap = f->config + f->msi_cap;
		cap[0] = PCI_CAP_ID_MSI;
		cap[1] = 0; /* last capability */
		put16(cap + PCI_MSI_FLAGS, PCI_MSI_FLAGS_64BIT); /* one vector */
		put16(f->wmask + f->msi_cap + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE);
		put32(f->wmask + f->msi_cap + PCI_MSI_ADDRESS_LO, 0xfffffffcu);
		put32(f->wmask + f->msi_cap + PCI_MSI_ADDRESS_HI, 0xffffffffu);
		put16(f->wmask + f->msi_cap + PCI_MSI_DATA_64, 0xffff);
		f->config[PCI_CAPABILITY_LIST] = f->msi_cap;
		put16(f->config + PCI_STATUS, PCI_STATUS_CAP_LIST);
	}
	return 0;
}

int gmm_pci_host_add(struct gmm_pci_host *h, struct gmm_pci_func *f)
{
	unsigned int i;

	if (!h || !f)
		return -EINVAL;
	for (i = 0; i < h->nr; i++)
		if (h->funcs[i]->devfn == f->devfn)
			return -EBUSY;
	if (h->nr == GMM_PCI_MAX_FUNCS)
		return -ENOSPC;
	f->host = h;
	h->funcs[h->nr++] = f;
	return 0;
}

int gmm_pci_host_assign_bars(struct gmm_pci_host *h)
{
	uint64_t next = GMM_PCI_MMIO_BASE;
	unsigned int i;

	if (!h)
		return -EINVAL;
	for (i = 0; i < h->nr; i++) {
		struct gmm_pci_func *f = h->funcs[i];
		uint64_t base;

		if (!f->bar0_size)
			continue;
		base = (next + f->bar0_size - 1) & ~(uint64_t)(f->bar0_size - 1);
		if (base + f->bar0_size > GMM_PCI_MMIO_END)
			return -ENOSPC;
		put32(f->config + PCI_BASE_ADDRESS_0, (uint32_t)base);
		f->config[PCI_COMMAND] |= PCI_COMMAND_MEMORY;
		next = base + f->bar0_size;
	}
	return 0;
}

static struct gmm_pci_func *find_func(struct gmm_pci_host *h, uint8_t devfn)
{
	unsigned int i;

	for (i = 0; i < h->nr; i++)
		if (h->funcs[i]->devfn == devfn)
			return h->funcs[i];
	return NULL;
}

void gmm_pci_config_access(struct gmm_pci_host *h, uint8_t devfn, unsigned int reg, uint8_t *data,
			   uint32_t len, bool is_write)
{
	struct gmm_pci_func *f;
	uint32_t i;

	if (!h || !data)
		return;
	f = find_func(h, devfn);
	if (reg >= PCI_CFG_SPACE_SIZE || len > PCI_CFG_SPACE_SIZE - reg)
		f = NULL; /* cannot happen through 0xcfc; refuse anyway */
	if (!f) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	for (i = 0; i < len; i++) {
		uint8_t m = f->wmask[reg + i];

		if (is_write)
			f->config[reg + i] = (uint8_t)((f->config[reg + i] & ~m) | (data[i] & m));
		else
			data[i] = f->config[reg + i];
	}
}

int gmm_pci_cfg_io(void *host, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct gmm_pci_host *h = host;
	uint32_t a;

	if (!h || !data || len - 1 > 7) /* see gmm_bus_io_fn: nothing filled */
		return GMM_BUS_CONTINUE;
	a = h->config_address;
	h->cfg_accesses++;
	if (offset == 0 && len == 4) {
		if (is_write)
			h->config_address = get32(data) & 0x80fffffcu;
		else
			put32(data, h->config_address);
		return GMM_BUS_CONTINUE;
	}
	/* data port 0xcfc + k: register (address & 0xfc) + k, within that dword */
	if (offset < 4 || offset - 4 + len > 4 || !(a & PCI_CONFIG_ENABLE) || ((a >> 16) & 0xff)) {
		if (!is_write)
			memset(data, 0xff, len);
		return GMM_BUS_CONTINUE;
	}
	gmm_pci_config_access(h, (uint8_t)(a >> 8), (a & 0xfc) + (unsigned int)(offset - 4), data,
			      len, is_write);
	return GMM_BUS_CONTINUE;
}

bool gmm_pci_func_bus_master(const struct gmm_pci_func *f)
{
	return (f->config[PCI_COMMAND] & PCI_COMMAND_MASTER) != 0;
}

uint64_t gmm_pci_func_bar0(const struct gmm_pci_func *f)
{
	if (!f->bar0_size || !(f->config[PCI_COMMAND] & PCI_COMMAND_MEMORY))
		return 0;
	return get32(f->config + PCI_BASE_ADDRESS_0) & PCI_BASE_ADDRESS_MEM_MASK;
}

int gmm_pci_mmio_io(void *host, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct gmm_pci_host *h = host;
	uint64_t addr = GMM_PCI_MMIO_BASE + offset;
	unsigned int i;

	if (!h || !data || len - 1 > 7) /* see gmm_bus_io_fn: nothing filled */
		return GMM_BUS_CONTINUE;
	h->mmio_accesses++;
	for (i = 0; i < h->nr; i++) {
		struct gmm_pci_func *f = h->funcs[i];
		uint64_t bar = gmm_pci_func_bar0(f);

		if (bar && addr >= bar && addr - bar < f->bar0_size &&
		    len <= f->bar0_size - (addr - bar))
			return f->bar_io(f->bar_dev, addr - bar, data, len, is_write);
	}
	if (!is_write)
		memset(data, 0xff, len);
	return GMM_BUS_CONTINUE;
}

const char *gmm_pci_irq_cause_text(enum gmm_pci_irq_cause cause)
{
	static const char *const text[GMM_PCI_IRQ_NR_CAUSES] = {
		[GMM_PCI_IRQ_MSI_FAILED] = "sending the MSI failed",
		[GMM_PCI_IRQ_MSI_UNDELIVERED] = "the MSI message reached no vCPU",
		[GMM_PCI_IRQ_NO_INTX] = "MSI is off and there is no INTx line (--irqchip split)",
		[GMM_PCI_IRQ_INTX_FAILED] = "setting the INTx line failed",
	};

	return cause < GMM_PCI_IRQ_NR_CAUSES ? text[cause] : "?";
}

/* Count an interrupt that reached no vCPU; say so once per cause. Return: false. */
static bool undeliverable(struct gmm_pci_func *f, enum gmm_pci_irq_cause cause, int err,
			  uint64_t addr, uint32_t data)
{
	struct gmm_pci_host *h = f->host;

	h->irq_undeliverable[cause]++;
	if (h->log && !(h->irq_reported & (1u << cause)))
		fprintf(h->log,
			"gmm: pci %02x.%u: interrupt not delivered: %s (%s; MSI address %#" PRIx64
			" data %#" PRIx32 "); further ones of this cause are only counted "
			"(--stats)\n",
			f->devfn >> 3, f->devfn & 7u, gmm_pci_irq_cause_text(cause),
			err ? strerror(-err) : "no error", addr, data);
	h->irq_reported |= 1u << cause;
	return false;
}

bool gmm_pci_func_irq(struct gmm_pci_func *f, bool level)
{
	struct gmm_pci_host *h;
	const uint8_t *cap;
	int err;

	if (!f || !f->host)
		return false;
	h = f->host;
	cap = f->config + f->msi_cap;
	if (f->msi_cap && (get16(cap + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE)) {
		uint64_t addr = get32(cap + PCI_MSI_ADDRESS_LO) |
				(uint64_t)get32(cap + PCI_MSI_ADDRESS_HI) << 32;
		uint32_t data = get16(cap + PCI_MSI_DATA_64);

		if (!level) /* an MSI is an edge: nothing to lower */
			return false;
		if (!h->msi)
			return undeliverable(f, GMM_PCI_IRQ_MSI_FAILED, -ENODEV, addr, data);
		err = h->msi(h->irq_ctx, addr, data);
		if (err)
			return undeliverable(f,
					     err == -ENXIO ? GMM_PCI_IRQ_MSI_UNDELIVERED :
							     GMM_PCI_IRQ_MSI_FAILED,
					     err == -ENXIO ? 0 : err, addr, data);
		h->msi_sent++;
		return true;
	}
	if (get16(f->config + PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE) {
		h->irq_masked += level;
		return false;
	}
	if (!h->intx)
		return level ? undeliverable(f, GMM_PCI_IRQ_NO_INTX, 0, 0, 0) : false;
	err = h->intx(h->irq_ctx, f->config[PCI_INTERRUPT_LINE], level);
	if (err)
		return undeliverable(f, GMM_PCI_IRQ_INTX_FAILED, err, 0, 0);
	h->intx_changes++;
	return true;
}

struct gmm_bus_device gmm_pci_cfg_bus_device(struct gmm_pci_host *h)
{
	if (!h)
		return (struct gmm_bus_device){ .name = "pci-config" }; /* no window */
	return (struct gmm_bus_device){
		.name = "pci-config",
		.bootinfo_type = BOOTINFO_DEV_PCI_CFG,
		.space = GMM_BUS_PIO,
		.base = PCI_CONFIG_ADDRESS,
		.size = 8,
		.io = gmm_pci_cfg_io,
		.dev = h,
	};
}

struct gmm_bus_device gmm_pci_mmio_bus_device(struct gmm_pci_host *h)
{
	if (!h)
		return (struct gmm_bus_device){ .name = "pci-mmio" }; /* no window */
	return (struct gmm_bus_device){
		.name = "pci-mmio",
		.space = GMM_BUS_MMIO,
		.base = GMM_PCI_MMIO_BASE,
		.size = GMM_PCI_MMIO_END - GMM_PCI_MMIO_BASE,
		.io = gmm_pci_mmio_io,
		.dev = h,
	};
}
