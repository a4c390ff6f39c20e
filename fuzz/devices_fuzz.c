// SPDX-License-Identifier: MIT
/*
 * fuzz/devices_fuzz.c - libFuzzer target: the input bytes are what a hostile guest does to
 * gmm's device models.
 *
 * The machine is gmm's (vmm/main.c), built by the machine API without a VM
 * (include/gmm/machine.h): 32 MiB of memfd-backed guest RAM (no KVM) with the buddy
 * page state at its top, as gmm builds it for a guest with the page-state note; on one bus the
 * serial port (0x3f8) and the console port (0x4f0) writing to one console (into /dev/null),
 * the exit port (0xf4), the PCI configuration ports (0xcf8) and the PCI MMIO window with the
 * DMA device (edu + scatter-gather) at 00:01.0, BAR0 at GMM_PCI_MMIO_BASE; MSI and INTx go to
 * callbacks that only count. Every access goes through gmm_io_sequence_apply() -> gmm_bus_access(),
 * as the vCPU exit dispatcher routes it.
 *
 * Input (fuzz/devices_fuzz.h): a configuration byte (DMA mask width, strict mode, a hostile
 * page-state header), a chunk of bytes written into guest RAM at fixed places where
 * descriptors, console-port messages and scatter-gather tables are likely (low RAM, the page
 * below the legacy hole, 1 MiB, and the end of RAM, which is the end of the page-frame array:
 * the guest's to corrupt, strict mode's to read), then register accesses, each with a
 * selector choosing the port base or MMIO range it is decoded against with
 * gmm_io_sequence_decode(), so one input mixes every device and the edges of their windows. The
 * accesses are applied in order; a write to the exit port ends the run there, as in gmm.
 *
 * State between inputs: the devices, the PCI host and the console are re-initialised for every
 * input (gmm_machine_reset_devices(), with the input's DMA mask and strict mode), and guest RAM
 * is reset to its initial content (zero, plus the page state) by punching all of it out of the
 * memfd and copying the page state back, so each input runs on the same machine and a crash
 * input reproduces on its own. The bus table is built once (with the machine) and its
 * unhandled-address log is kept: it only decides whether an unclaimed access prints a line on
 * stderr (once per address), and resetting it would print hundreds of lines per input.
 *
 * Invariants (a violation aborts, which libFuzzer reports as a crash): nothing crashes or
 * trips ASan/UBSan; gmm_io_sequence_apply() applies every access unless the exit port stopped the
 * run; a read returns exactly @len bytes (no stale high bytes in the value); the DMA device
 * never counts more bytes than its commands could move nor more refusals than commands; every
 * interrupt the PCI host counts reached the MSI or INTx callback.
 *
 * Mutator mode (GMM_FUZZ_MUTATOR=1, fuzz/fuzz_mutator.h): the input ends with a script of
 * stores, and while the accesses are applied a second thread, standing in for another vCPU,
 * loops over it, rewriting guest RAM where the VMM reads shared structures. An op's region
 * (bits 3..7 of its first byte, modulo 5) is one of:
 *   0  the page-state header (max_pfn, mem_map_phys, zone names, spans, list heads, counts):
 *      offset modulo its size;
 *   1  the page-frame array near an address the input names (below): offset bits 10..23 pick
 *      the address, bits 5..9 a PFN from 16 below to 15 above its own, bits 0..4 the byte of
 *      that struct page;
 *   2  the page-frame array anywhere: offset modulo its size;
 *   3  the RAM chunk (scatter-gather tables, console-port descriptors and messages): bits
 *      12..13 pick the copy, bits 0..11 the byte, modulo the chunk's length;
 *   4  at an address the input names: bits 12..23 pick it, bits 0..11 are added.
 * The addresses an input names are the first 8 bytes of each 16-byte record of the chunk (the
 * address of a struct dma_desc or struct console_port_desc there) and the value of each
 * register write, those below the end of RAM: where descriptors, tables and messages are.
 * Stores are resolved before the thread starts and land inside guest RAM only; the thread is
 * woken after the chunk is written and parked again before the checks, so it never runs
 * during the reset. Every invariant above still holds in this mode: none depends on what guest RAM
 * holds. What the concurrent guest legitimately changes is only what no check looks at: the
 * bytes DMA moves, the CRC, which commands strict mode refuses and with what error, what the
 * console prints. A race is not deterministic: a crash input replays the same stores, but
 * whether a read meets one depends on the scheduler; run it several times.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <abi/console_port.h>
#include <abi/dma_regs.h>
#include <abi/page_state.h>
#include <abi/pci_regs.h>
#include <gmm/devices.h>
#include <gmm/dma.h>
#include <gmm/guest_mem.h>
#include <gmm/guest_page_state.h>
#include <gmm/io_sequence.h>
#include <gmm/machine.h>

#include "vmm/layout.h"

#include "fuzz/devices_fuzz.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_mutator.h"

#define MiB	   (1ull << 20)
#define MAX_ACCESS 4096u
#define MAX_NAMES  64u /* addresses an input names, for the mutator's regions 1 and 4 */

enum mutator_region {
	REGION_HEADER,
	REGION_NEAR_NAMED,
	REGION_ARRAY,
	REGION_CHUNK,
	REGION_NAMED,
	NR_REGIONS,
};

_Static_assert(DEVICES_FUZZ_CHUNK_HOLE + DEVICES_FUZZ_CHUNK_MAX == GUEST_LEGACY_HOLE_START &&
		       DEVICES_FUZZ_CHUNK_KERNEL == GUEST_KERNEL_LOAD_PHYS,
	       "fuzz/devices_fuzz.h places the chunk by gmm's layout");

static const unsigned int mask_bits[] = { DMA_DEFAULT_MASK_BITS, 12, 32, 64 };
static const uint64_t chunk_gpa[] = { DEVICES_FUZZ_CHUNK_LOW, DEVICES_FUZZ_CHUNK_HOLE,
				      DEVICES_FUZZ_CHUNK_KERNEL, DEVICES_FUZZ_CHUNK_END };
static const uint64_t pio_bases[8] = {
	[DEVICES_FUZZ_PIO_SERIAL] = GMM_SERIAL_COM1_BASE,
	[DEVICES_FUZZ_PIO_CONSOLE_PORT] = CONSOLE_PORT_BASE,
	[DEVICES_FUZZ_PIO_EXIT] = GMM_EXIT_PORT_BASE,
	[DEVICES_FUZZ_PIO_PCI_CFG] = PCI_CONFIG_ADDRESS,
	[DEVICES_FUZZ_PIO_SERIAL_EDGE] = GMM_SERIAL_COM1_BASE - 4,
	[DEVICES_FUZZ_PIO_CONSOLE_PORT_EDGE] = CONSOLE_PORT_BASE - 4,
	[DEVICES_FUZZ_PIO_EXIT_EDGE] = GMM_EXIT_PORT_BASE - 4,
	[DEVICES_FUZZ_PIO_PCI_CFG_EDGE] = PCI_CONFIG_ADDRESS - 4,
};
static const struct {
	uint64_t base, size;
} mmio_ranges[4] = {
	[DEVICES_FUZZ_MMIO_BAR] = { GMM_PCI_MMIO_BASE, 2 * MiB },
	[DEVICES_FUZZ_MMIO_WINDOW] = { GMM_PCI_MMIO_BASE, 16 * MiB },
	[DEVICES_FUZZ_MMIO_MOVED] = { 0xd0000000ull, 2 * MiB },
	[DEVICES_FUZZ_MMIO_WINDOW_END] = { GMM_PCI_MMIO_END - MiB, 2 * MiB },
};

/* the machine: built once; its devices re-initialised per input */
static struct gmm_machine m;
static struct gmm_page_state_layout gps;
static uint8_t *page_state_copy; /* [gps.state_phys, gps.end_phys) as built */
static int devnull_fd;
static FILE *devnull;
/* the devices gmm registers, in gmm's order (vmm/main.c); the DMA entry changes per input */
static struct gmm_machine_device devices[] = {
	{ .kind = GMM_DEVICE_SERIAL },
	{ .kind = GMM_DEVICE_CONSOLE_PORT },
	{ .kind = GMM_DEVICE_EXIT_PORT },
	{ .kind = GMM_DEVICE_DMA },
};
static uint64_t msi_count, intx_count;
static struct gmm_io_access seq[MAX_ACCESS];
/* mutator mode */
static bool mutator_mode;
static struct fuzz_mutator mutator;
static uint64_t names[MAX_NAMES];
static unsigned int nr_names;
static size_t chunk_len;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_msi(void *ctx, uint64_t addr, uint32_t data)
{
	(void)ctx;
	(void)addr;
	(void)data;
	msi_count++;
	return 0;
}

static int count_intx(void *ctx, unsigned int line, bool level)
{
	(void)ctx;
	(void)line;
	(void)level;
	intx_count++;
	return 0;
}

/* the console's clock: frozen, so the rate limit depends on the input only */
static uint64_t frozen_clock(void)
{
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* what gmm reserves for a guest: its low area and a 1 MiB image at 1 MiB */
	const struct gmm_mem_range reserved[] = {
		{ 0, VMM_LOW_RESERVED_END },
		{ GUEST_KERNEL_LOAD_PHYS, GUEST_KERNEL_LOAD_PHYS + MiB },
	};
	struct gmm_machine_config c = {
		.ram_bytes = DEVICES_FUZZ_RAM_BYTES,
		.console_clock_ns = frozen_clock,
		.devices = devices,
		.nr_devices = sizeof(devices) / sizeof(devices[0]),
		.msi = count_msi,
		.intx = count_intx,
	};
	char err[256];

	(void)argc;
	(void)argv;
	mutator_mode = fuzz_mutator_enabled();
	devnull_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	devnull = fopen("/dev/null", "w");
	FUZZ_CHECK(devnull_fd >= 0 && devnull);
	c.console_fd = devnull_fd;
	c.log = devnull;
	if (gmm_machine_create(&m, &c, err, sizeof(err))) {
		fprintf(stderr, "devices_fuzz: %s\n", err);
		abort();
	}
	FUZZ_CHECK(gmm_page_state_setup(&m.vm.mem, reserved, 2, &gps) == 0);
	page_state_copy = malloc(gps.end_phys - gps.state_phys);
	FUZZ_CHECK(page_state_copy != NULL);
	FUZZ_CHECK(gmm_mem_read(&m.vm.mem, gps.state_phys, page_state_copy,
				gps.end_phys - gps.state_phys) == 0);
	/* kept by every gmm_machine_reset_devices() */
	gmm_dma_dev_set_page_state(&m.dma, gps.state_phys);
	return 0;
}

/* Guest RAM back to zero plus the page state as built; the devices as after gmm's set-up. */
static void reset(uint8_t config)
{
	struct gmm_machine_device *dma = &devices[3];

	msi_count = intx_count = 0;
	FUZZ_CHECK(fallocate(m.vm.mem.memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			     (off_t)m.vm.mem.end) == 0);
	FUZZ_CHECK(gmm_mem_write(&m.vm.mem, gps.state_phys, page_state_copy,
				 gps.end_phys - gps.state_phys) == 0);
	dma->dma_mask_bits = mask_bits[config & DEVICES_FUZZ_CFG_MASK];
	dma->dma_strict = config & DEVICES_FUZZ_CFG_STRICT;
	FUZZ_CHECK(gmm_machine_reset_devices(&m, devices, sizeof(devices) / sizeof(devices[0])) ==
		   0);
}

/* The accesses of @data: each record's selector picks the bases it is decoded against. */
static size_t decode(const uint8_t *data, size_t size)
{
	size_t n = 0;

	for (; size >= DEVICES_FUZZ_RECORD && n < MAX_ACCESS;
	     data += DEVICES_FUZZ_RECORD, size -= DEVICES_FUZZ_RECORD) {
		uint8_t sel = data[0];

		n += gmm_io_sequence_decode(data + 1, GMM_IO_SEQUENCE_RECORD, pio_bases[sel & 7],
					    mmio_ranges[(sel >> 3) & 3].base,
					    mmio_ranges[(sel >> 3) & 3].size, &seq[n], 1);
	}
	return n;
}

static void name(uint64_t gpa)
{
	if (gpa < DEVICES_FUZZ_RAM_BYTES && nr_names < MAX_NAMES)
		names[nr_names++] = gpa;
}

/* The addresses @chunk and the first @n accesses name (see the head comment). */
static void collect_names(const uint8_t *chunk, size_t len, size_t n)
{
	uint64_t gpa;
	size_t i;

	nr_names = 0;
	for (i = 0; i + 16 <= len; i += 16) {
		memcpy(&gpa, chunk + i, sizeof(gpa));
		name(gpa);
	}
	for (i = 0; i < n; i++)
		if (seq[i].is_write)
			name(seq[i].value);
}

/* fuzz_mutator_resolve_fn: the regions of the head comment, inside guest RAM only */
static void *resolve(void *ctx, unsigned int region, uint32_t offset, unsigned int width)
{
	uint64_t gpa, pfn;

	(void)ctx;
	switch (region % NR_REGIONS) {
	case REGION_HEADER:
		gpa = gps.state_phys + offset % sizeof(struct page_state);
		break;
	case REGION_NEAR_NAMED:
		if (!nr_names)
			return NULL;
		pfn = (names[(offset >> 10) % nr_names] >> PAGE_SHIFT) + ((offset >> 5) & 31) - 16;
		if (pfn >= gps.max_pfn) /* also the ones that wrapped below 0 */
			return NULL;
		gpa = gps.map_phys + pfn * sizeof(struct page) + (offset & 31);
		break;
	case REGION_ARRAY:
		gpa = gps.map_phys + offset % (gps.max_pfn * sizeof(struct page));
		break;
	case REGION_CHUNK:
		if (!chunk_len)
			return NULL;
		gpa = chunk_gpa[(offset >> 12) & 3] + (offset & 0xfff) % chunk_len;
		break;
	default:
		if (!nr_names)
			return NULL;
		gpa = names[(offset >> 12) % nr_names] + (offset & 0xfff);
		break;
	}
	return gmm_mem_ptr(&m.vm.mem, gpa & ~(uint64_t)(width - 1), width);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *script = NULL, *chunk_data;
	unsigned int nr_ops = 0;
	uint8_t config;
	size_t chunk, n, applied, i;
	unsigned int k;

	if (mutator_mode)
		script = fuzz_mutator_split(data, &size, &nr_ops);
	if (size < 3)
		return 0;
	config = data[0];
	chunk = (size_t)(data[1] | data[2] << 8) % (DEVICES_FUZZ_CHUNK_MAX + 1);
	data += 3;
	size -= 3;
	reset(config);

	if (config & DEVICES_FUZZ_CFG_HOSTILE_PS) {
		if (size < 16)
			return 0;
		/* max_pfn and mem_map_phys: the two fields a reader must not trust */
		FUZZ_CHECK(gmm_mem_write(&m.vm.mem,
					 gps.state_phys + offsetof(struct page_state, max_pfn),
					 data, 16) == 0);
		data += 16;
		size -= 16;
	}
	if (chunk > size)
		chunk = size;
	for (k = 0; k < sizeof(chunk_gpa) / sizeof(chunk_gpa[0]); k++)
		FUZZ_CHECK(gmm_mem_write(&m.vm.mem, chunk_gpa[k], data, chunk) == 0);
	chunk_data = data;
	chunk_len = chunk;
	data += chunk;
	size -= chunk;

	n = decode(data, size);
	if (nr_ops) {
		collect_names(chunk_data, chunk_len, n);
		fuzz_mutator_decode(&mutator, script, nr_ops, resolve, NULL);
		fuzz_mutator_start(&mutator);
	}
	applied = gmm_io_sequence_apply(&m.bus, seq, n);
	fuzz_mutator_stop(&mutator);
	FUZZ_CHECK(applied == n || (applied < n && m.exit_port.exited));
	for (i = 0; i < applied; i++)
		if (!seq[i].is_write && seq[i].len < 8)
			FUZZ_CHECK((seq[i].value >> (8 * seq[i].len)) == 0);
	FUZZ_CHECK(m.dma.stats.bytes <= m.dma.stats.commands * DMA_SG_MAX_BYTES);
	FUZZ_CHECK(m.dma.stats.errors <= m.dma.stats.commands);
	FUZZ_CHECK(msi_count == m.pci.msi_sent && intx_count == m.pci.intx_changes);
	return 0;
}
