// SPDX-License-Identifier: MIT
/*
 * bench/dma_bench.c - scatter-gather copies by the DMA device against host memcpy.
 *
 * Host-side: the device model (vmm/devices/dma.c) over a real memfd-backed guest RAM (a machine
 * without a VM, include/gmm/machine.h), driven
 * through the same register sequence the guest driver writes (gmm_io_sequence_apply() on the bus,
 * so each access is what would be one VM exit). Rows, each the median of several runs:
 *   dma_sg_copy_1m / _64m   DMA_SG_OP_COPY of 1 MiB / 64 MiB in 4 KiB descriptors, destination
 *                           pages in reverse order; peer = memcpy of the same bytes between
 *                           the same guest-RAM ranges, contiguous, in the same run
 *   dma_exits_per_sg_cmd    register accesses (VM exits) per scatter-gather command
 *   dma_exits_per_edu_cmd   ... per edu command (src, dst, count, command, one status read)
 * Quick mode (the _quick test) copies 1 MiB a few times and checks the bytes and the counts.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#include <abi/dma_regs.h>
#include <abi/pci_regs.h>
#include <gmm/dma.h>
#include <gmm/io_sequence.h>
#include <gmm/machine.h>

#include "bench/bench_util.h"

#define MiB	  (1ull << 20)
#define SRC_GPA	  (16 * MiB)
#define DST_GPA	  (96 * MiB)
#define TABLE_GPA (2 * MiB) /* source table; the destination table follows */

static struct gmm_machine m;

static void io(bool write, uint8_t len, uint64_t off, uint64_t v)
{
	struct gmm_io_access a = { GMM_BUS_MMIO, write, len, GMM_PCI_MMIO_BASE + off, v };

	gmm_io_sequence_apply(&m.bus, &a, 1);
}

static int setup(void)
{
	static const struct gmm_machine_device dma_dev = { .kind = GMM_DEVICE_DMA,
							   .dma_mask_bits = 64 };
	const struct gmm_machine_config c = {
		.ram_bytes = 192 * MiB,
		.console_fd = -1,
		.log = stderr,
		.devices = &dma_dev,
		.nr_devices = 1,
	};
	char err[256];
	uint32_t cmd;
	uint8_t b[4];

	if (gmm_machine_create(&m, &c, err, sizeof(err))) {
		fprintf(stderr, "dma_bench: %s\n", err);
		return -1;
	}
	gmm_pci_config_access(&m.pci, GMM_DMA_DEV_DEVFN, PCI_COMMAND, b, 4, false);
	cmd = b[0] | PCI_COMMAND_MASTER;
	b[0] = (uint8_t)cmd;
	gmm_pci_config_access(&m.pci, GMM_DMA_DEV_DEVFN, PCI_COMMAND, b, 4, true);
	return 0;
}

/* Tables for @bytes in 4 KiB pieces: source in order, destination pages reversed. */
static void build_tables(uint64_t bytes)
{
	uint64_t n = bytes / 4096, i;
	struct dma_desc *src = gmm_mem_ptr(&m.vm.mem, TABLE_GPA, n * 2 * sizeof(*src)),
			*dst = src + n;

	for (i = 0; i < n; i++) {
		src[i] = (struct dma_desc){ SRC_GPA + i * 4096, 4096 };
		dst[i] = (struct dma_desc){ DST_GPA + (n - 1 - i) * 4096, 4096 };
	}
}

static uint32_t sg_copy(uint64_t bytes)
{
	uint64_t n = bytes / 4096;

	io(true, 8, DMA_REG_SG_SRC_TABLE, TABLE_GPA);
	io(true, 4, DMA_REG_SG_SRC_COUNT, n);
	io(true, 8, DMA_REG_SG_DST_TABLE, TABLE_GPA + n * sizeof(struct dma_desc));
	io(true, 4, DMA_REG_SG_DST_COUNT, n);
	io(true, 4, DMA_REG_SG_CMD, DMA_SG_OP_COPY << DMA_SG_OP_SHIFT | DMA_SG_START);
	struct gmm_io_access a = { GMM_BUS_MMIO, false, 4, GMM_PCI_MMIO_BASE + DMA_REG_ERROR, 0 };
	gmm_io_sequence_apply(&m.bus, &a, 1);
	return (uint32_t)a.value;
}

static int check_copy(uint64_t bytes)
{
	uint64_t n = bytes / 4096, i;
	const uint8_t *s = gmm_mem_ptr(&m.vm.mem, SRC_GPA, bytes),
		      *d = gmm_mem_ptr(&m.vm.mem, DST_GPA, bytes);

	for (i = 0; i < n; i++)
		if (memcmp(s + i * 4096, d + (n - 1 - i) * 4096, 4096))
			return -1;
	return 0;
}

static int bench_size(const char *row, uint64_t bytes, int runs)
{
	struct bench_sample dev[BENCH_MAX_RUNS], cpy[BENCH_MAX_RUNS];
	struct bench_result rd, rc;
	uint8_t *s = gmm_mem_ptr(&m.vm.mem, SRC_GPA, bytes),
		*d = gmm_mem_ptr(&m.vm.mem, DST_GPA, bytes);
	uint64_t i;
	int r;

	for (i = 0; i < bytes; i++)
		s[i] = (uint8_t)(i * 31 + (i >> 12));
	memset(d, 0, bytes);
	build_tables(bytes);
	for (r = 0; r < runs; r++) {
		uint64_t t0 = bench_now_ns(), c0 = __rdtsc();

		if (sg_copy(bytes))
			return -1;
		dev[r] = (struct bench_sample){ (double)(__rdtsc() - c0),
						(double)(bench_now_ns() - t0) };
		t0 = bench_now_ns();
		c0 = __rdtsc();
		memcpy(d, s, bytes); /* the peer: same bytes, same memory, contiguous */
		cpy[r] = (struct bench_sample){ (double)(__rdtsc() - c0),
						(double)(bench_now_ns() - t0) };
		if (sg_copy(bytes) || check_copy(bytes)) /* leave the SG result to check */
			return -1;
	}
	rd = bench_summarise(dev, runs);
	rc = bench_summarise(cpy, runs);
	printf("%-34s Per elem: %.0f cycles(tsc) %.0f ns  (one %" PRIu64 " KiB command; min %.0f, "
	       "max %.0f cycles)\n",
	       row, rd.median.cycles, rd.median.ns, bytes >> 10, rd.min.cycles, rd.max.cycles);
	printf("%-34s Per elem: %.0f cycles(tsc) %.0f ns  (min %.0f, max %.0f cycles)\n",
	       "  host memcpy, same bytes", rc.median.cycles, rc.median.ns, rc.min.cycles,
	       rc.max.cycles);
	printf("  bandwidth: DMA %.2f GB/s, memcpy %.2f GB/s, ratio %.0f%%\n", bytes / rd.median.ns,
	       bytes / rc.median.ns, 100.0 * rc.median.ns / rd.median.ns);
	printf("BENCH %s %.2f GB/s peer=memcpy:%.2f\n", row, bytes / rd.median.ns,
	       bytes / rc.median.ns);
	return 0;
}

int main(int argc, char **argv)
{
	int quick = bench_quick(argc, argv);
	uint64_t before;

	if (setup()) {
		fprintf(stderr, "dma_bench: cannot set up guest RAM and the device\n");
		return 1;
	}
	if (bench_size("dma_sg_copy_1m", MiB, quick ? 3 : 15))
		goto fail;
	if (!quick && bench_size("dma_sg_copy_64m", 64 * MiB, 7))
		goto fail;
	before = m.dma.stats.mmio;
	if (sg_copy(MiB))
		goto fail;
	printf("%-34s %" PRIu64 " exits (4 table/count writes, the command, the error read)\n",
	       "dma_exits_per_sg_cmd", m.dma.stats.mmio - before);
	printf("BENCH dma_exits_per_sg_cmd %" PRIu64 " exits\n", m.dma.stats.mmio - before);
	before = m.dma.stats.mmio;
	io(true, 8, DMA_REG_SRC, SRC_GPA);
	io(true, 8, DMA_REG_DST, DMA_EDU_BUF_ADDR);
	io(true, 8, DMA_REG_COUNT, 4096);
	io(true, 8, DMA_REG_CMD, DMA_CMD_START);
	io(false, 4, DMA_REG_CMD, 0); /* the driver's first poll finds it done */
	printf("%-34s %" PRIu64 " exits (edu: src, dst, count, command, one poll)\n",
	       "dma_exits_per_edu_cmd", m.dma.stats.mmio - before);
	printf("BENCH dma_exits_per_edu_cmd %" PRIu64 " exits\n", m.dma.stats.mmio - before);
	if (m.dma.stats.mmio - before != 5 || m.dma.error)
		goto fail;
	gmm_machine_destroy(&m);
	return 0;
fail:
	fprintf(stderr, "dma_bench: a command failed or copied wrong bytes (error %u)\n",
		m.dma.error);
	return 1;
}
