/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/machine.h - one call assembles a whole machine: guest RAM, the VM and its vCPUs,
 * the bus and the devices, from one configuration; one call tears it down in reverse.
 *
 * A VMM (the gmm program, an embedder's) describes what it wants in a struct
 * gmm_machine_config: RAM size and backing, vCPUs (0: no VM at all, only guest memory and
 * devices, for a device process, a test or a fuzzer), the irqchip, and the devices as a table
 * of struct gmm_machine_device. gmm_machine_create() builds each part in order, checks every
 * step, and on failure undoes what it built; gmm_machine_load() loads a kernel image and sets
 * the vCPUs up to enter it (gmm_boot_prepare()), telling the DMA device where the guest's page
 * state is; gmm_machine_run() runs it to its end; gmm_machine_destroy() releases everything.
 *
 * The parts stay usable alone (gmm/guest_mem.h, gmm/dma.h, ...): the machine only wires them.
 * Its fields are public for reading (m->mem, m->dma.stats, ...); change them only through the
 * functions of their own headers.
 *
 * Life cycle: gmm_machine_create() -> gmm_machine_load() -> gmm_machine_run() (once) ->
 * gmm_machine_destroy(). gmm_machine_destroy() is safe after any failed step, and on a zeroed
 * struct. Without a VM there is no load and no run: the caller drives the devices through
 * m->bus (gmm_bus_access(), gmm_io_sequence_apply()), and gmm_machine_reset_devices() puts
 * them back to their state after gmm_machine_create() (a fuzzer, between inputs).
 *
 * Threads: gmm_machine_run() runs vCPU 0 on the calling thread and the others on threads of
 * its own; while it runs, other threads may read guest RAM (gmm_mem_read(),
 * gmm_page_state_buddyinfo()) but not call the devices.
 */
#ifndef GMM_GMM_MACHINE_H
#define GMM_GMM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gmm/boot.h>
#include <gmm/bus.h>
#include <gmm/devices.h>
#include <gmm/dma.h>
#include <gmm/guest_mem.h>
#include <gmm/pci.h>
#include <gmm/run.h>
#include <gmm/vm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a device table entry puts on the bus. */
enum gmm_machine_device_kind {
	GMM_DEVICE_SERIAL,	 /* the 16550 on 0x3f8, writing to the console */
	GMM_DEVICE_CONSOLE_PORT, /* gmm's console port (a message per exit), to the console */
	GMM_DEVICE_EXIT_PORT,	 /* 0xf4: a write ends the run with its value */
	GMM_DEVICE_DMA,		 /* the PCI host (0xcf8, the MMIO window) and the DMA device */
};

struct gmm_machine_device {
	enum gmm_machine_device_kind kind;
	/* GMM_DEVICE_DMA only */
	unsigned int dma_mask_bits; /* 12..64; 0 means GMM_DMA_DEFAULT_MASK_BITS (28, as edu) */
	bool dma_strict;	    /* check descriptors against the guest's page state */
};

/* At most one device of each kind. */
#define GMM_MACHINE_MAX_DEVICES 4

struct gmm_machine_config {
	uint64_t ram_bytes;	      /* GMM_MEM_MIN_RAM .. GMM_MEM_MAX_RAM */
	enum gmm_mem_backing backing; /* shmem or transparent huge pages */
	unsigned int nr_cpus; /* 0: no VM (guest memory and devices only) .. GMM_VM_MAX_CPUS */
	enum gmm_vm_irqchip irqchip;
	unsigned int vm_flags;		    /* GMM_VM_CREATE_* hints */
	int console_fd;			    /* where the guest's console output goes (e.g. 1) */
	uint64_t (*console_clock_ns)(void); /* the console's rate-limit clock; NULL: monotonic */
	FILE *log; /* gmm's own messages (refusals, undeliverable interrupts), or NULL */
	const struct gmm_machine_device *devices;
	unsigned int nr_devices;
	/*
	 * Without a VM (nr_cpus == 0) only: where the DMA device's interrupts go (NULL: nowhere,
	 * counted as undeliverable). With a VM they go to KVM (gmm_vm_signal_msi(), and with the
	 * full irqchip gmm_vm_set_irq_line()) and these must be NULL.
	 */
	gmm_pci_msi_fn msi;
	gmm_pci_intx_fn intx;
	void *irq_ctx;
};

struct gmm_machine {
	struct gmm_vm vm; /* vm.mem is guest RAM, with or without a VM */
	struct gmm_bus bus;
	struct gmm_console console;
	struct gmm_serial serial;
	struct gmm_console_port console_port;
	struct gmm_exit_port exit_port;
	struct gmm_pci_host pci;
	struct gmm_dma_dev dma;
	bool has_mem, has_vm, has_console, has_serial, has_console_port, has_exit_port, has_dma;
	bool loaded; /* gmm_machine_load() succeeded */
	FILE *log;   /* the configuration's: messages, and a crashed vCPU's registers */
	struct gmm_machine_config config; /* a copy; config.devices points at devices[] */
	struct gmm_machine_device devices[GMM_MACHINE_MAX_DEVICES];
	struct gmm_boot_result boot; /* after gmm_machine_load() */
	struct gmm_runner runner;
};

/**
 * gmm_machine_create - build the machine @c describes
 * @m: the machine (any content; it is reset)
 * @c: the configuration
 * @err: receives one sentence saying which step failed and why
 * @errlen: its size
 *
 * Order: /dev/kvm (if @c->nr_cpus), guest RAM (and the VM, its memslots, irqchip and vCPUs),
 * the console, then each device of the table in order (GMM_DEVICE_DMA: the PCI host, the
 * device, its BAR, then the configuration ports and the MMIO window on the bus).
 * Return: 0; -EINVAL for a bad configuration (NULL, sizes, counts, an unknown device kind, a
 * device twice, a serial or console port without a console fd, interrupt callbacks with a
 * VM); -ENODEV when /dev/kvm cannot be used (missing, no permission, another API version:
 * @err says which, as gmm_vm_open_kvm()); another negative errno when a later step failed.
 * On failure nothing is left to release, but gmm_machine_destroy() may be called all the same.
 */
int gmm_machine_create(struct gmm_machine *m, const struct gmm_machine_config *c, char *err,
		       size_t errlen);

/**
 * gmm_machine_load - load a kernel image and set every vCPU up to enter it
 * @m: a machine with a VM
 * @image: the ELF file's bytes (read once: see vmm/loader.c)
 * @size: their number
 * @cmdline: the kernel command line (at most 1023 bytes), or NULL
 * @err: the reason on failure
 * @errlen: its size
 * Fills m->boot; tells the DMA device where the page state is. Once per machine.
 * Return: 0, -ENOEXEC for an image that is not a kernel gmm can boot (@err names the field),
 * -EINVAL for bad arguments (no VM, loaded already), -E2BIG for a too long command line, or
 * another negative errno.
 */
int gmm_machine_load(struct gmm_machine *m, const void *image, size_t size, const char *cmdline,
		     char *err, size_t errlen);

/**
 * gmm_machine_run - run the loaded machine until the guest exits, crashes or @timeout_ms
 * @m: the machine
 * @timeout_ms: 0 for no limit
 * @res: the outcome (verdict, crash reason, ...)
 * A crashed vCPU's registers are dumped to the configuration's log (if any). The console is
 * flushed when the run ends.
 * Return: 0, -EINVAL without a loaded VM, or a negative errno if the vCPUs could not be run.
 */
int gmm_machine_run(struct gmm_machine *m, uint64_t timeout_ms, struct gmm_run_result *res);

/**
 * gmm_machine_reset_devices - every device back to its state right after gmm_machine_create()
 * @m: a created machine, not running
 * @devices: the configuration's table with new parameters (the same kinds in the same order:
 *           the bus is kept), or NULL to keep the parameters
 * @nr_devices: the number of entries of @devices
 *
 * For a caller that drives the devices itself and wants each round on the same machine (a
 * fuzzer). The bus (and its log of unhandled addresses), guest RAM and where the DMA device
 * finds the page state are kept; the console, the devices' registers, counters and the PCI
 * host's configuration space start over.
 * Return: 0, or -EINVAL (a different table, a bad DMA mask) with nothing changed.
 */
int gmm_machine_reset_devices(struct gmm_machine *m, const struct gmm_machine_device *devices,
			      unsigned int nr_devices);

/** gmm_machine_destroy - release everything, in reverse order; safe on partial state */
void gmm_machine_destroy(struct gmm_machine *m);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_MACHINE_H */
