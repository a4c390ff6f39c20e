// SPDX-License-Identifier: MIT
/*
 * vmm/machine.c - a whole machine from one configuration (include/gmm/machine.h).
 *
 * The machine only wires parts that work alone: guest RAM (guest_mem.c), the VM (kvm.c), the
 * bus (devices/bus.c) and the device models (devices/). gmm_machine_create() builds them in
 * this order, each step checked, and on a failure unwinds through one goto ladder in reverse:
 *
 *   1. check the whole configuration (nothing is built for a bad one: -EINVAL)
 *   2. with vCPUs: /dev/kvm, then the VM with guest RAM, memslots, irqchip and vCPUs
 *      (gmm_vm_create(), whose CPUID thread and page-state prefault overlap the rest);
 *      without: guest RAM alone (gmm_mem_create())
 *   3. the console, if a serial or console port writes to it
 *   4. the devices of the table in its order, each put on the bus (every gmm_bus_add()
 *      checked); GMM_DEVICE_DMA is the PCI host, the DMA device on it, its BAR placed, then
 *      the configuration ports and the MMIO window on the bus
 *
 * Invariants: m->has_* says exactly which parts exist (gmm_machine_destroy() and the ladder
 * release only those), so a zeroed struct and any failed step are safe to destroy; devices are
 * on the bus in the order of the table (the boot info lists them in that order); the device
 * table is copied into the machine (m->devices), so gmm_machine_reset_devices() can rebuild the
 * devices without the caller's table. Only the DMA device holds a resource of its own (its
 * buffer); the console, the ports and the PCI host are plain state.
 *
 * gmm_machine_destroy() releases in reverse: the DMA device, then the VM (which owns guest
 * RAM) or guest RAM alone. The gmm program does not call it: process exit does the same
 * kernel work faster (vmm/main.c).
 */
#define _GNU_SOURCE
#include <gmm/machine.h>

#include <errno.h>
#include <stdarg.h>
#include <string.h>

static void say(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const char *const kind_names[] = {
	[GMM_DEVICE_SERIAL] = "serial port",
	[GMM_DEVICE_CONSOLE_PORT] = "console port",
	[GMM_DEVICE_EXIT_PORT] = "exit port",
	[GMM_DEVICE_DMA] = "DMA device",
};

static unsigned int dma_mask_bits(const struct gmm_machine_device *d)
{
	return d->dma_mask_bits ? d->dma_mask_bits : GMM_DMA_DEFAULT_MASK_BITS;
}

/* Step 1 for the table alone (also gmm_machine_reset_devices()'s check). */
static int check_devices(const struct gmm_machine_device *devices, unsigned int nr, int console_fd,
			 char *err, size_t errlen)
{
	unsigned int seen = 0, i;

	if (nr && !devices) {
		say(err, errlen, "%u devices but no device table", nr);
		return -EINVAL;
	}
	if (nr > GMM_MACHINE_MAX_DEVICES) {
		say(err, errlen, "%u devices: at most %d, one of each kind", nr,
		    GMM_MACHINE_MAX_DEVICES);
		return -EINVAL;
	}
	for (i = 0; i < nr; i++) {
		const struct gmm_machine_device *d = &devices[i];
		unsigned int kind = d->kind;

		if (kind > GMM_DEVICE_DMA) {
			say(err, errlen, "device %u: unknown kind %u", i, kind);
			return -EINVAL;
		}
		if (seen & (1u << kind)) {
			say(err, errlen, "device %u: a second %s", i, kind_names[kind]);
			return -EINVAL;
		}
		seen |= 1u << kind;
		if ((kind == GMM_DEVICE_SERIAL || kind == GMM_DEVICE_CONSOLE_PORT) &&
		    console_fd < 0) {
			say(err, errlen, "device %u: a %s needs a console fd", i, kind_names[kind]);
			return -EINVAL;
		}
		if (kind == GMM_DEVICE_DMA && (dma_mask_bits(d) < 12 || dma_mask_bits(d) > 64)) {
			say(err, errlen, "device %u: DMA mask of %u bits: want 12 to 64", i,
			    d->dma_mask_bits);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_config(const struct gmm_machine_config *c, char *err, size_t errlen)
{
	if (c->ram_bytes < GMM_MEM_MIN_RAM || c->ram_bytes > GMM_MEM_MAX_RAM) {
		say(err, errlen, "%llu bytes of RAM: want %llu to %llu",
		    (unsigned long long)c->ram_bytes, GMM_MEM_MIN_RAM, GMM_MEM_MAX_RAM);
		return -EINVAL;
	}
	if (c->backing != GMM_MEM_BACKING_SHMEM && c->backing != GMM_MEM_BACKING_THP) {
		say(err, errlen, "unknown RAM backing %d", (int)c->backing);
		return -EINVAL;
	}
	if (c->nr_cpus > GMM_VM_MAX_CPUS) {
		say(err, errlen, "%u vCPUs: gmm supports 0 (no VM) to %d", c->nr_cpus,
		    GMM_VM_MAX_CPUS);
		return -EINVAL;
	}
	if (c->irqchip != GMM_VM_IRQCHIP_SPLIT && c->irqchip != GMM_VM_IRQCHIP_FULL) {
		say(err, errlen, "unknown irqchip %d", (int)c->irqchip);
		return -EINVAL;
	}
	if (c->vm_flags & ~GMM_VM_CREATE_PREFAULT_PAGE_STATE) {
		say(err, errlen, "unknown VM flags %#x", c->vm_flags);
		return -EINVAL;
	}
	if (c->nr_cpus && (c->msi || c->intx || c->irq_ctx)) {
		say(err, errlen, "interrupt callbacks are for a machine without a VM");
		return -EINVAL;
	}
	return check_devices(c->devices, c->nr_devices, c->console_fd, err, errlen);
}

static int bus_add(struct gmm_machine *m, struct gmm_bus_device d, char *err, size_t errlen)
{
	int ret = gmm_bus_add(&m->bus, &d);

	if (ret)
		say(err, errlen, "cannot put the %s on the bus: %s", d.name, strerror(-ret));
	return ret;
}

/* The PCI host with the DMA device on it, BAR placed; not on the bus yet. */
static int dma_init(struct gmm_machine *m, const struct gmm_machine_device *d)
{
	int ret;

	if (m->has_vm)
		gmm_pci_host_init(&m->pci, gmm_vm_signal_msi,
				  m->config.irqchip == GMM_VM_IRQCHIP_FULL ? gmm_vm_set_irq_line :
									     NULL,
				  &m->vm);
	else
		gmm_pci_host_init(&m->pci, m->config.msi, m->config.intx, m->config.irq_ctx);
	m->pci.log = m->log;
	ret = gmm_dma_dev_init(&m->dma, &m->vm.mem, dma_mask_bits(d), d->dma_strict, m->log);
	if (ret)
		return ret;
	m->has_dma = true;
	ret = gmm_dma_dev_add(&m->dma, &m->pci);
	if (ret)
		return ret;
	return gmm_pci_host_assign_bars(&m->pci);
}

/* Step 4 for one device: its state, then its bus windows. */
static int add_device(struct gmm_machine *m, const struct gmm_machine_device *d, char *err,
		      size_t errlen)
{
	int ret;

	switch (d->kind) {
	case GMM_DEVICE_SERIAL:
		gmm_serial_init(&m->serial, &m->console);
		m->has_serial = true;
		return bus_add(m, gmm_serial_bus_device(&m->serial), err, errlen);
	case GMM_DEVICE_CONSOLE_PORT:
		gmm_console_port_init(&m->console_port, &m->console, &m->vm.mem, m->log);
		m->has_console_port = true;
		return bus_add(m, gmm_console_port_bus_device(&m->console_port), err, errlen);
	case GMM_DEVICE_EXIT_PORT:
		m->has_exit_port = true;
		return bus_add(m, gmm_exit_port_bus_device(&m->exit_port), err, errlen);
	case GMM_DEVICE_DMA:
		ret = dma_init(m, d);
		if (ret) {
			say(err, errlen, "cannot set up the PCI bus and the DMA device: %s",
			    strerror(-ret));
			return ret;
		}
		ret = bus_add(m, gmm_pci_cfg_bus_device(&m->pci), err, errlen);
		return ret ? ret : bus_add(m, gmm_pci_mmio_bus_device(&m->pci), err, errlen);
	}
	return -EINVAL; /* check_devices() let no other kind through */
}

/* The state gmm_machine_destroy() leaves: nothing built, every fd -1. */
static void machine_reset(struct gmm_machine *m)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	m->vm.kvm_fd = -1;
	m->vm.vm_fd = -1;
	m->vm.mem.memfd = -1;
	for (i = 0; i < GMM_VM_MAX_CPUS; i++)
		m->vm.vcpus[i].fd = -1;
}

int gmm_machine_create(struct gmm_machine *m, const struct gmm_machine_config *c, char *err,
		       size_t errlen)
{
	unsigned int i;
	int ret;

	if (!m || !c) {
		say(err, errlen, "no machine or no configuration");
		return -EINVAL;
	}
	machine_reset(m);
	ret = check_config(c, err, errlen);
	if (ret)
		return ret;
	m->config = *c;
	if (c->nr_devices)
		memcpy(m->devices, c->devices, c->nr_devices * sizeof(*c->devices));
	m->config.devices = m->devices;
	m->log = c->log;

	if (c->nr_cpus) {
		if (gmm_vm_open_kvm(&m->vm, err, errlen))
			return -ENODEV;
		m->has_vm = true;
		ret = gmm_vm_create(&m->vm, c->nr_cpus, c->ram_bytes, c->backing, c->irqchip,
				    c->vm_flags, err, errlen);
		if (ret)
			goto err_destroy_vm;
	} else {
		ret = gmm_mem_create(&m->vm.mem, c->ram_bytes, c->backing);
		if (ret) {
			say(err, errlen, "cannot create %llu bytes of guest RAM: %s",
			    (unsigned long long)c->ram_bytes, strerror(-ret));
			return ret;
		}
		m->has_mem = true;
	}

	for (i = 0; i < c->nr_devices; i++) {
		if (c->devices[i].kind == GMM_DEVICE_SERIAL ||
		    c->devices[i].kind == GMM_DEVICE_CONSOLE_PORT) {
			gmm_console_init(&m->console, c->console_fd, c->console_clock_ns);
			m->has_console = true;
			break;
		}
	}

	for (i = 0; i < c->nr_devices; i++) {
		ret = add_device(m, &m->devices[i], err, errlen);
		if (ret)
			goto err_destroy_devices;
	}
	return 0;

err_destroy_devices:
	if (m->has_dma)
		gmm_dma_dev_destroy(&m->dma);
err_destroy_vm:
	if (m->has_vm)
		gmm_vm_destroy(&m->vm);
	else
		gmm_mem_destroy(&m->vm.mem);
	machine_reset(m);
	return ret;
}

int gmm_machine_load(struct gmm_machine *m, const void *image, size_t size, const char *cmdline,
		     char *err, size_t errlen)
{
	int ret;

	if (!m || !m->has_vm || m->loaded || !image || !size) {
		say(err, errlen, "%s",
		    !m || !m->has_vm ? "a machine without a VM loads nothing" :
		    m->loaded	     ? "the machine has a kernel already" :
				       "no kernel image");
		return -EINVAL;
	}
	ret = gmm_boot_prepare(&m->vm, image, size, cmdline ? cmdline : "", &m->bus, &m->boot, err,
			       errlen);
	if (ret)
		return ret;
	if (m->has_dma)
		gmm_dma_dev_set_page_state(&m->dma, m->boot.page_state_phys);
	m->loaded = true;
	return 0;
}

int gmm_machine_run(struct gmm_machine *m, uint64_t timeout_ms, struct gmm_run_result *res)
{
	int ret;

	if (!m || !m->loaded || !res)
		return -EINVAL;
	ret = gmm_runner_run(&m->runner, &m->vm, &m->bus, m->has_exit_port ? &m->exit_port : NULL,
			     m->log, timeout_ms, res);
	if (m->has_console)
		gmm_console_flush(&m->console);
	return ret;
}

int gmm_machine_reset_devices(struct gmm_machine *m, const struct gmm_machine_device *devices,
			      unsigned int nr_devices)
{
	uint64_t page_state_phys;
	unsigned int i;
	int ret;

	if (!m || (!m->has_vm && !m->has_mem))
		return -EINVAL;
	if (devices) {
		if (nr_devices != m->config.nr_devices ||
		    check_devices(devices, nr_devices, m->config.console_fd, NULL, 0))
			return -EINVAL;
		for (i = 0; i < nr_devices; i++)
			if (devices[i].kind != m->devices[i].kind)
				return -EINVAL;
		memcpy(m->devices, devices, nr_devices * sizeof(*devices));
	}
	if (m->has_console)
		gmm_console_init(&m->console, m->config.console_fd, m->config.console_clock_ns);
	for (i = 0; i < m->config.nr_devices; i++) {
		switch (m->devices[i].kind) {
		case GMM_DEVICE_SERIAL:
			gmm_serial_init(&m->serial, &m->console);
			break;
		case GMM_DEVICE_CONSOLE_PORT:
			gmm_console_port_init(&m->console_port, &m->console, &m->vm.mem, m->log);
			break;
		case GMM_DEVICE_EXIT_PORT:
			memset(&m->exit_port, 0, sizeof(m->exit_port));
			break;
		case GMM_DEVICE_DMA:
			page_state_phys = m->dma.page_state_phys;
			gmm_dma_dev_destroy(&m->dma);
			m->has_dma = false;
			ret = dma_init(m, &m->devices[i]);
			if (ret) /* checked at creation: cannot fail */
				return ret;
			gmm_dma_dev_set_page_state(&m->dma, page_state_phys);
			break;
		}
	}
	return 0;
}

void gmm_machine_destroy(struct gmm_machine *m)
{
	if (!m)
		return;
	if (m->has_dma)
		gmm_dma_dev_destroy(&m->dma);
	if (m->has_vm)
		gmm_vm_destroy(&m->vm);
	else if (m->has_mem)
		gmm_mem_destroy(&m->vm.mem);
	machine_reset(m);
}
