/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/pci.h - a PCI bus 0: configuration mechanism #1, a host bridge, device BARs.
 *
 * struct gmm_pci_host answers two bus windows: the configuration ports 0xcf8..0xcff
 * (gmm_pci_cfg_io) and the MMIO window of the PCI hole where BARs live (gmm_pci_mmio_io). A BAR moves
 * when the guest rewrites it, so the host routes MMIO itself: an access goes to the function
 * whose BAR0 holds it, if that function's memory space is enabled; otherwise it reads as
 * all-ones. Every function has a 256-byte configuration space and a per-byte mask of the bits
 * the guest may write (the rest is read-only), so sizing a BAR (write ~0, read back) and the
 * command register work the way the specification says.
 *
 * Interrupts: gmm_pci_func_irq() sends the function's MSI message through the host's msi callback
 * if the guest enabled MSI, else drives INTx through the intx callback (if any, and unless
 * PCI_COMMAND_INTX_DISABLE). An interrupt that cannot be delivered (enum gmm_pci_irq_cause) is
 * counted, and each cause is reported once on the host's log; one the guest masked itself
 * (MSI off, INTx disabled) is only counted. Bus mastering (PCI_COMMAND_MASTER) is what a device checks
 * before any DMA: gmm_pci_func_bus_master().
 */
#ifndef GMM_GMM_PCI_H
#define GMM_GMM_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include <gmm/bus.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GMM_PCI_CFG_SPACE_SIZE 256 /* bytes of one function's configuration space */
#define GMM_PCI_MAX_FUNCS      8
#define GMM_PCI_MMIO_BASE      0xc0000000ull /* the PCI hole ... */
#define GMM_PCI_MMIO_END       0xfec00000ull /* ... up to the IOAPIC */
#define GMM_PCI_MSI_CAP_OFFSET 0x40

/*
 * @ctx is pci_host.irq_ctx; return 0 when delivered, or a negative errno (for an MSI that
 * reached no vCPU, -ENXIO)
 */
typedef int (*gmm_pci_msi_fn)(void *ctx, uint64_t addr, uint32_t data);
typedef int (*gmm_pci_intx_fn)(void *ctx, unsigned int line, bool level);

struct gmm_pci_host;

/* Why an interrupt a function raised reached no vCPU (gmm_pci_func_irq()). */
enum gmm_pci_irq_cause {
	GMM_PCI_IRQ_MSI_FAILED,	     /* the msi callback failed (KVM_SIGNAL_MSI's error) */
	GMM_PCI_IRQ_MSI_UNDELIVERED, /* the MSI message reached no vCPU (its address or data) */
	GMM_PCI_IRQ_NO_INTX,	     /* MSI off and no INTx line to drive (--irqchip split) */
	GMM_PCI_IRQ_INTX_FAILED,     /* the intx callback failed */
	GMM_PCI_IRQ_NR_CAUSES,
};

struct gmm_pci_func {
	uint8_t devfn; /* bus 0 */
	uint8_t config[GMM_PCI_CFG_SPACE_SIZE];
	uint8_t wmask[GMM_PCI_CFG_SPACE_SIZE]; /* bits the guest may write */
	uint32_t bar0_size;		   /* power of two >= 16, 0 = no BAR */
	uint8_t msi_cap;		   /* config offset of the MSI capability, 0 = none */
	gmm_bus_io_fn bar_io;		   /* BAR0 accesses, offset from the BAR */
	void *bar_dev;
	struct gmm_pci_host *host;
};

struct gmm_pci_host {
	uint32_t config_address; /* the last value written to 0xcf8 */
	unsigned int nr;
	struct gmm_pci_func *funcs[GMM_PCI_MAX_FUNCS];
	struct gmm_pci_func bridge; /* 00:00.0 */
	gmm_pci_msi_fn msi;
	gmm_pci_intx_fn intx;
	void *irq_ctx;
	uint64_t cfg_accesses;	/* exits on 0xcf8..0xcff */
	uint64_t mmio_accesses; /* exits in the MMIO window */
	uint64_t msi_sent, intx_changes;
	uint64_t irq_masked; /* raised with MSI off and INTx disabled by the guest: not sent */
	uint64_t irq_undeliverable[GMM_PCI_IRQ_NR_CAUSES]; /* by enum gmm_pci_irq_cause */
	unsigned int irq_reported;			   /* causes already reported on @log */
	void *log; /* FILE * where each undeliverable cause is reported once, or NULL */
};

/** gmm_pci_irq_cause_text - what a cause of enum gmm_pci_irq_cause means, for messages */
const char *gmm_pci_irq_cause_text(enum gmm_pci_irq_cause cause);

/**
 * gmm_pci_host_init - an empty bus 0 with the host bridge at 00:00.0
 * @h: the host
 * @msi: sends an MSI message (KVM_SIGNAL_MSI), or NULL
 * @intx: sets an INTx line, or NULL (no INTx)
 * @irq_ctx: passed to both
 */
void gmm_pci_host_init(struct gmm_pci_host *h, gmm_pci_msi_fn msi, gmm_pci_intx_fn intx,
		       void *irq_ctx);

/**
 * gmm_pci_func_init - a type-0 function with one 32-bit memory BAR and an optional MSI capability
 * @f: the function
 * @devfn: PCI_DEVFN(slot, func), slot >= 1
 * @vendor: vendor ID
 * @device: device ID
 * @revision: revision ID
 * @class_code: class, subclass, prog-if (0xccsspp)
 * @bar0_size: BAR0 size, a power of two from 16 bytes to 1 GiB, or 0
 * @bar_io: the BAR's io callback
 * @bar_dev: its state
 * @msi: whether to add a 64-bit MSI capability (one vector) at GMM_PCI_MSI_CAP_OFFSET
 * Return: 0, or -EINVAL for a bad size or slot.
 */
int gmm_pci_func_init(struct gmm_pci_func *f, uint8_t devfn, uint16_t vendor, uint16_t device,
		      uint8_t revision, uint32_t class_code, uint32_t bar0_size,
		      gmm_bus_io_fn bar_io, void *bar_dev, bool msi);

/**
 * gmm_pci_host_add - put @f on the bus
 * Return: 0, -EBUSY if its devfn is taken, -ENOSPC if the bus is full.
 */
int gmm_pci_host_add(struct gmm_pci_host *h, struct gmm_pci_func *f);

/**
 * gmm_pci_host_assign_bars - what firmware does: place every BAR0 in the MMIO window, naturally
 * aligned, and enable memory decoding (not bus mastering: that is the driver's job)
 * @h: the host
 * Return: 0, or -ENOSPC if the window is too small.
 */
int gmm_pci_host_assign_bars(struct gmm_pci_host *h);

/** gmm_pci_cfg_io - gmm_bus_io_fn of the configuration ports (base 0xcf8, 8 ports) */
int gmm_pci_cfg_io(void *host, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

/** gmm_pci_mmio_io - gmm_bus_io_fn of the MMIO window [GMM_PCI_MMIO_BASE, GMM_PCI_MMIO_END) */
int gmm_pci_mmio_io(void *host, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

/**
 * gmm_pci_config_access - one configuration access to bus 0 (what 0xcfc does after 0xcf8)
 * @h: the host
 * @devfn: function
 * @reg: byte offset, @reg + @len <= 256
 * @data: bytes (little-endian)
 * @len: 1, 2 or 4
 * @is_write: direction; a read of an absent function gives all-ones
 * A NULL @h or @data does nothing.
 */
void gmm_pci_config_access(struct gmm_pci_host *h, uint8_t devfn, unsigned int reg, uint8_t *data,
			   uint32_t len, bool is_write);

/** gmm_pci_func_bus_master - whether @f may do DMA now (PCI_COMMAND_MASTER) */
bool gmm_pci_func_bus_master(const struct gmm_pci_func *f);

/** gmm_pci_func_bar0 - the guest-physical address BAR0 decodes, 0 if memory space is off */
uint64_t gmm_pci_func_bar0(const struct gmm_pci_func *f);

/**
 * gmm_pci_func_irq - signal @f's interrupt
 * @f: the function
 * @level: true to raise, false to lower (MSI is edge: lowering sends nothing)
 * Return: true if a message was sent or a line changed; false for a NULL @f or one on no host.
 */
bool gmm_pci_func_irq(struct gmm_pci_func *f, bool level);

/** gmm_pci_cfg_bus_device - the bus entry of the config ports (NULL @h: gmm_bus_add() refuses) */
struct gmm_bus_device gmm_pci_cfg_bus_device(struct gmm_pci_host *h);

/** gmm_pci_mmio_bus_device - the bus entry of the MMIO window (NULL @h: gmm_bus_add() refuses) */
struct gmm_bus_device gmm_pci_mmio_bus_device(struct gmm_pci_host *h);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_PCI_H */
