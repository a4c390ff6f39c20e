// SPDX-License-Identifier: MIT
/*
 * guests/tests/dma_contiguity_suite.c - KTAP suite "dma_contiguity": which memory a device can
 * DMA as one buffer (SEED-CLAIMS rows 1, 11, 22), through gmm's DMA device extension.
 *
 * The device reports the CRC32 of the bytes it actually read; the CPU computes the CRC of the
 * buffer as it sees it. Equal CRCs mean the device read the buffer; a vmalloc buffer handed
 * over as one descriptor from its first page's physical address makes the device read other
 * memory (normal mode) or is refused (strict mode, gmm run --dma-strict).
 *
 * Sizes: the guest is instruction-emulated on this project's hosts (about 1 us per guest
 * instruction; a CPU CRC reads about 50 KiB/s), so buffers up to 4 MiB are DMAed in full but
 * the CPU reads back at most DMA_CPU_CRC_MAX bytes per buffer: see one_descriptor_crc_matches().
 */
#include <abi/guest_layout.h>
#include <abi/pci_regs.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "guests/arch/x86/processor.h"
#include "guests/arch/x86/traps.h"
#include "guests/drivers/dma_drv.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/suites.h"

#define DMA_CPU_CRC_MAX (16u << 10)

static struct dma_desc *table; /* one page of descriptors, GFP_DMA so every mask reaches it */

struct dma_drv *dma_get_ext(struct ktap_test *t)
{
	struct dma_drv *d = dma_drv_get();

	if (!d) {
		ktap_skip(t, "no DMA device (PCI 1234:11e8) on bus 0");
		return NULL;
	}
	if (!d->ext) {
		ktap_skip(t, "stock edu: no gmm extension (scatter-gather, CRC)");
		return NULL;
	}
	if (!table)
		table = (struct dma_desc *)__get_free_pages(GFP_DMA, 0);
	return table ? d : NULL;
}

/* The device reads [phys, phys + len) as one descriptor; its CRC in *crc. */
uint32_t dma_dev_read_crc(struct dma_drv *d, uint64_t phys, uint64_t len, uint32_t *crc)
{
	uint32_t e;

	table[0] = (struct dma_desc){ phys, len };
	e = dma_sg(d, DMA_SG_OP_READ << DMA_SG_OP_SHIFT, virt_to_phys(table), 1, 0, 0);
	*crc = dma_read32(d, DMA_REG_CRC);
	return e;
}

/* The device fills [phys, phys + len) with the pattern of @seed, as one descriptor. */
static uint32_t dev_fill(struct dma_drv *d, uint64_t phys, uint64_t len, uint32_t seed)
{
	dma_write32(d, DMA_REG_PATTERN, seed);
	table[0] = (struct dma_desc){ phys, len };
	return dma_sg(d, DMA_SG_OP_FILL << DMA_SG_OP_SHIFT, 0, 0, virt_to_phys(table), 1);
}

/*
 * The CRC register after @n zero bytes is a linear map of the register before (each zero byte
 * is r = (r >> 8) ^ T[r & 0xff], and T is linear): zero_run[i] is the image of bit i for a run
 * of PAGE_SIZE - 8 zeros, so a page "8-byte marker, then zeros" costs 8 table steps and 32
 * XORs instead of 4096 table steps.
 */
static uint32_t zero_run[32];

static uint32_t raw_step(struct dma_drv *d, uint32_t r, uint8_t b)
{
	return (r >> 8) ^ d->crc.t[0][(r ^ b) & 0xff];
}

static uint32_t apply_zero_run(uint32_t r)
{
	uint32_t out = 0;
	unsigned int i;

	for (i = 0; i < 32; i++)
		if (r & (1u << i))
			out ^= zero_run[i];
	return out;
}

/* The CRC of @len bytes that are zero but for the 8-byte marker (page index) in each page. */
static uint32_t modelled_crc(struct dma_drv *d, uint64_t len)
{
	uint32_t r = ~0u;
	uint64_t pg, j;

	if (!zero_run[0])
		for (j = 0; j < 32; j++) {
			uint32_t v = 1u << j;
			uint64_t k;

			for (k = 0; k < PAGE_SIZE - 8; k++)
				v = raw_step(d, v, 0);
			zero_run[j] = v;
		}
	for (pg = 0; pg < len / PAGE_SIZE; pg++) {
		for (j = 0; j < 8; j++)
			r = raw_step(d, r, (uint8_t)((pg + 1) >> (8 * j)));
		r = apply_zero_run(r);
	}
	return ~r;
}

/*
 * One buffer as one descriptor. Up to DMA_CPU_CRC_MAX bytes the device fills it, the CPU
 * flips a byte in every page (so stale data cannot pass) and CRCs the whole buffer by reading
 * it. Beyond that (reading 1 MiB costs the emulated CPU ~10 s) the device zeroes it, the CPU
 * writes a marker (the page's index) at the start of every page through its virtual address,
 * and the CPU's CRC is computed from what it wrote; if the device read any other physical
 * pages than the ones behind the CPU's addresses, a marker would be missing or misplaced.
 */
void dma_one_descriptor_crc_matches(struct ktap_test *t, struct dma_drv *d, void *p,
				     uint64_t len, const char *what)
{
	uint32_t dev_crc = 0, cpu_crc, e;
	uint64_t off, t0 = rdtsc_ordered();
	bool model = len > DMA_CPU_CRC_MAX;

	if (model) {
		table[0] = (struct dma_desc){ virt_to_phys(p), len };
		e = dma_sg(d, DMA_SG_OP_ZERO << DMA_SG_OP_SHIFT, 0, 0, virt_to_phys(table), 1);
	} else {
		e = dev_fill(d, virt_to_phys(p), len, (uint32_t)len);
	}
	KTAP_EXPECT_MSG(t, e == DMA_ERR_NONE, "%s: fill of %llu bytes refused (%u)", what,
			(unsigned long long)len, e);
	for (off = 0; off < len; off += PAGE_SIZE) {
		if (model)
			*(uint64_t *)((uint8_t *)p + off) = off / PAGE_SIZE + 1;
		else
			((uint8_t *)p)[off] ^= 0x5a;
	}
	e = dma_dev_read_crc(d, virt_to_phys(p), len, &dev_crc);
	KTAP_EXPECT_MSG(t, e == DMA_ERR_NONE, "%s: read refused with error %u", what, e);
	cpu_crc = model ? modelled_crc(d, len) : dma_crc(d, p, len);
	KTAP_EXPECT_MSG(t, dev_crc == cpu_crc, "%s of %llu bytes: device CRC %#x, CPU CRC %#x",
			what, (unsigned long long)len, dev_crc, cpu_crc);
	ktap_diag(t, "%s %llu bytes at phys %#llx: CRC %#x (%s, %llu cycles)", what,
		  (unsigned long long)len, (unsigned long long)virt_to_phys(p), cpu_crc,
		  model ? "CPU CRC from its markers" : "CPU CRC read back",
		  (unsigned long long)(rdtsc_ordered() - t0));
}

void dma_kmalloc_buffers_are_one_descriptor(struct ktap_test *t)
{
	static const uint64_t sizes[] = { 64, 4096, 65536, 1u << 20, 4u << 20 };
	struct dma_drv *d = dma_get_ext(t);
	unsigned int i;

	if (!d)
		return;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p = kmalloc(sizes[i], GFP_KERNEL);

		KTAP_EXPECT_MSG(t, p != NULL, "kmalloc(%llu)", (unsigned long long)sizes[i]);
		if (!p)
			continue;
		dma_one_descriptor_crc_matches(t, d, p, sizes[i], "kmalloc");
		kfree(p);
	}
}

static void get_free_pages_blocks_are_one_descriptor(struct ktap_test *t)
{
	struct dma_drv *d = dma_get_ext(t);
	unsigned int order;

	if (!d)
		return;
	for (order = 0; order <= 6; order += 3) {
		unsigned long p = __get_free_pages(GFP_KERNEL, order);

		KTAP_EXPECT(t, p != 0);
		if (!p)
			continue;
		dma_one_descriptor_crc_matches(t, d, (void *)p, PAGE_SIZE << order, "__get_free_pages");
		free_pages(p, order);
	}
}

#define VMALLOC_PAGES 4

void dma_vmalloc_needs_scatter_gather(struct ktap_test *t)
{
	struct dma_drv *d = dma_get_ext(t);
	uint64_t len = VMALLOC_PAGES * PAGE_SIZE, first;
	uint32_t cpu_crc, dev_crc = 0, e;
	struct page *spacer[2 * VMALLOC_PAGES];
	bool strict, scattered;
	uint8_t *v;
	unsigned int i;

	if (!d)
		return;
	strict = d->caps & DMA_CAP_STRICT;
	/*
	 * After other tests freed runs of pages, vmalloc can get physically adjacent pages by
	 * chance. Make the page allocator's lists hold every other page of a run, as a busy
	 * system's would, so the buffer is scattered; check that it is.
	 */
	for (i = 0; i < 2 * VMALLOC_PAGES; i++)
		spacer[i] = alloc_pages(GFP_KERNEL, 0);
	for (i = 0; i < 2 * VMALLOC_PAGES; i += 2)
		if (spacer[i])
			__free_pages(spacer[i], 0);
	v = vmalloc(len);
	for (i = 1; i < 2 * VMALLOC_PAGES; i += 2)
		if (spacer[i])
			__free_pages(spacer[i], 0);
	KTAP_ASSERT(t, v != NULL);
	for (i = 1, scattered = false; i < VMALLOC_PAGES; i++)
		scattered |= vmalloc_to_pfn(v + i * PAGE_SIZE) != vmalloc_to_pfn(v) + i;
	KTAP_EXPECT_MSG(t, scattered, "the vmalloc buffer happens to be physically contiguous");
	for (i = 0; i < len / 8; i++)
		((uint64_t *)v)[i] = 0x9e3779b97f4a7c15ull * (i + 1);
	cpu_crc = dma_crc(d, v, len);
	first = (uint64_t)vmalloc_to_pfn(v) << PAGE_SHIFT;

	/* as one descriptor from the first page's physical address */
	if (strict)
		ktap_expect_host_report(t, "gmm: dma: strict: ... runs from ... into ... block");
	e = dma_dev_read_crc(d, first, len, &dev_crc);
	if (strict) {
		KTAP_EXPECT_MSG(t, e == DMA_ERR_CROSSES,
				"strict mode: one descriptor over a vmalloc buffer gave error %u", e);
	} else {
		KTAP_EXPECT(t, e == DMA_ERR_NONE);
		KTAP_EXPECT_MSG(t, dev_crc != cpu_crc,
				"the device read the vmalloc buffer through one descriptor");
	}
	ktap_diag(t, "one descriptor at %#llx: %s, device CRC %#x, CPU CRC %#x",
		  (unsigned long long)first, e ? "refused" : "read", dev_crc, cpu_crc);

	/* as a scatter-gather list, page by page through vmalloc_to_page() */
	for (i = 0; i < VMALLOC_PAGES; i++)
		table[i] = (struct dma_desc){ ((uint64_t)vmalloc_to_pfn(v + i * PAGE_SIZE) << PAGE_SHIFT),
					      PAGE_SIZE };
	e = dma_sg(d, DMA_SG_OP_READ << DMA_SG_OP_SHIFT, virt_to_phys(table), VMALLOC_PAGES, 0, 0);
	dev_crc = dma_read32(d, DMA_REG_CRC);
	KTAP_EXPECT_MSG(t, e == DMA_ERR_NONE, "scatter-gather read refused: %u", e);
	KTAP_EXPECT_MSG(t, dev_crc == cpu_crc, "scatter-gather CRC %#x, CPU %#x", dev_crc, cpu_crc);
	vfree(v);
}

static void device_writes_a_pattern_the_cpu_verifies(struct ktap_test *t)
{
	struct dma_drv *d = dma_get_ext(t);
	uint64_t len = 3 * PAGE_SIZE, i, bad = 0;
	uint8_t *p;

	if (!d)
		return;
	p = kzalloc(len, GFP_KERNEL);
	KTAP_ASSERT(t, p != NULL);
	KTAP_EXPECT(t, dev_fill(d, virt_to_phys(p), len, 0xabcd) == DMA_ERR_NONE);
	for (i = 0; i < len; i++)
		bad += p[i] != dma_fill_byte(0xabcd, i);
	KTAP_EXPECT_MSG(t, bad == 0, "%llu bytes differ from the pattern", (unsigned long long)bad);
	/* and the edu path writes the whole 4 KiB buffer (QEMU 7.2 refuses the last byte) */
	KTAP_EXPECT(t, !dma_edu_transfer(d, virt_to_phys(p), DMA_EDU_BUF_ADDR, 4096, false, false));
	memset(p + 4096, 0, 4096);
	KTAP_EXPECT(t, !dma_edu_transfer(d, virt_to_phys(p) + 4096, DMA_EDU_BUF_ADDR, 4096, true,
					 false));
	KTAP_EXPECT(t, memcmp(p, p + 4096, 4096) == 0);
	kfree(p);
}

static void memory_to_memory_scatter_gather_copy(struct ktap_test *t)
{
	struct dma_drv *d = dma_get_ext(t);
	uint64_t len = VMALLOC_PAGES * PAGE_SIZE, i;
	uint8_t *src, *dst;
	uint32_t e;

	if (!d)
		return;
	src = kmalloc(len, GFP_KERNEL);
	dst = vzalloc(len);
	KTAP_ASSERT(t, src && dst);
	for (i = 0; i < len / 8; i++)
		((uint64_t *)src)[i] = i * 0x0123456789abcdefull;
	table[0] = (struct dma_desc){ virt_to_phys(src), len };
	for (i = 0; i < VMALLOC_PAGES; i++)
		table[1 + i] = (struct dma_desc){ ((uint64_t)vmalloc_to_pfn(dst + i * PAGE_SIZE) << PAGE_SHIFT),
						  PAGE_SIZE };
	e = dma_sg(d, (DMA_SG_OP_COPY << DMA_SG_OP_SHIFT) | DMA_SG_CRC, virt_to_phys(table), 1,
		   virt_to_phys(table + 1), VMALLOC_PAGES);
	KTAP_EXPECT_MSG(t, e == DMA_ERR_NONE, "copy refused: %u", e);
	KTAP_EXPECT(t, memcmp(src, dst, len) == 0);
	KTAP_EXPECT(t, dma_read64(d, DMA_REG_DONE) == len);
	kfree(src);
	vfree(dst);
}

static volatile struct {
	bool ran, in_irq, atomic_reported, kernel_reported;
	void *atomic_obj, *kernel_obj;
} seen;

static void completion_hook(void *data)
{
	(void)data;
	seen.ran = true;
	seen.in_irq = in_interrupt();
	printk_capture_start();
	seen.atomic_obj = kmalloc(64, GFP_ATOMIC);
	seen.atomic_reported = strstr(printk_capture_text(), "sleeping allocation") != NULL;
	printk_capture_start();
	seen.kernel_obj = kmalloc(64, GFP_KERNEL);
	seen.kernel_reported = strstr(printk_capture_text(), "sleeping allocation") != NULL;
	printk_capture_stop();
}

static void completion_handler_allocates_atomically(struct ktap_test *t)
{
	struct dma_drv *d = dma_get_ext(t);
	uint8_t *p;

	if (!d)
		return;
	if (!d->msi) {
		ktap_skip(t, "no MSI");
		return;
	}
	p = kzalloc(PAGE_SIZE, GFP_KERNEL);
	KTAP_ASSERT(t, p != NULL);
	memset((void *)&seen, 0, sizeof(seen)); /* nothing left from an earlier run */
	d->irq_hook = completion_hook;
	ktap_expect_report(t, "BUG: sleeping allocation in atomic context");
	table[0] = (struct dma_desc){ virt_to_phys(p), PAGE_SIZE };
	KTAP_EXPECT(t, dma_sg(d, (DMA_SG_OP_READ << DMA_SG_OP_SHIFT) | DMA_SG_IRQ,
			      virt_to_phys(table), 1, 0, 0) == DMA_ERR_NONE);
	d->irq_hook = NULL;
	KTAP_EXPECT(t, seen.ran && seen.in_irq);
	KTAP_EXPECT(t, seen.atomic_obj != NULL && !seen.atomic_reported);
	KTAP_EXPECT_MSG(t, seen.kernel_reported, "GFP_KERNEL in the completion handler was not reported");
	KTAP_EXPECT(t, d->last_irq_status == DMA_IRQ_SG);
	kfree((void *)seen.atomic_obj);
	kfree((void *)seen.kernel_obj);
	kfree(p);
}

static void refused_transfers_report_distinct_errors(struct ktap_test *t)
{
	struct dma_drv *d = dma_get_ext(t);
	uint32_t crc, cmd;
	uint8_t *p;

	if (!d)
		return;
	p = kmalloc(PAGE_SIZE, GFP_KERNEL);
	KTAP_ASSERT(t, p != NULL);
	ktap_expect_host_report(t, "gmm: dma: scatter-gather command refused (six times)");
	KTAP_EXPECT(t, dma_dev_read_crc(d, 1ull << 40, 64, &crc) == DMA_ERR_MASK);
	if (dma_read32(d, DMA_REG_MASK_BITS) >= 32)
		KTAP_EXPECT(t, dma_dev_read_crc(d, GUEST_PCI_HOLE_START, 64, &crc) == DMA_ERR_NOT_RAM);
	else
		KTAP_EXPECT(t, dma_dev_read_crc(d, (max_pfn << PAGE_SHIFT) - 32, 64, &crc) ==
				       DMA_ERR_NOT_RAM);
	KTAP_EXPECT(t, dma_sg(d, DMA_SG_OP_READ << DMA_SG_OP_SHIFT, virt_to_phys(table), 0, 0, 0) ==
			       DMA_ERR_BAD_TABLE);
	table[0] = (struct dma_desc){ virt_to_phys(p), 0 };
	KTAP_EXPECT(t, dma_sg(d, DMA_SG_OP_READ << DMA_SG_OP_SHIFT, virt_to_phys(table), 1, 0, 0) ==
			       DMA_ERR_BAD_TABLE);
	KTAP_EXPECT(t, dma_sg(d, 9 << DMA_SG_OP_SHIFT, 0, 0, 0, 0) == DMA_ERR_BAD_CMD);
	/* bus mastering off: nothing moves */
	outl(PCI_CONFIG_ADDR(d->devfn, 4), 0xcf8);
	cmd = inl(0xcfc);
	outl(cmd & ~4u, 0xcfc);
	KTAP_EXPECT(t, dma_dev_read_crc(d, virt_to_phys(p), 64, &crc) == DMA_ERR_BUS_MASTER);
	outl(PCI_CONFIG_ADDR(d->devfn, 4), 0xcf8);
	outl(cmd, 0xcfc);
	KTAP_EXPECT(t, dma_dev_read_crc(d, virt_to_phys(p), 64, &crc) == DMA_ERR_NONE);
	kfree(p);
}

static const struct ktap_case dma_contiguity_cases[] = {
	KTAP_CASE(dma_kmalloc_buffers_are_one_descriptor),
	KTAP_CASE(get_free_pages_blocks_are_one_descriptor),
	KTAP_CASE(dma_vmalloc_needs_scatter_gather),
	KTAP_CASE(device_writes_a_pattern_the_cpu_verifies),
	KTAP_CASE(memory_to_memory_scatter_gather_copy),
	KTAP_CASE(completion_handler_allocates_atomically),
	KTAP_CASE(refused_transfers_report_distinct_errors),
};

KTAP_SUITE_DEFINE(dma_contiguity, dma_contiguity_cases);
