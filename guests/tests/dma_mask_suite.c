// SPDX-License-Identifier: MIT
/*
 * guests/tests/dma_mask_suite.c - KTAP suite "dma_mask": GFP_DMA memory and a 24-bit device
 * (SEED-CLAIMS row 11). Run it under `gmm run --dma-mask 24`: then a buffer above 16 MiB is
 * refused by the device (DMA_ERR_MASK) while GFP_DMA memory works. (A separate suite, because
 * with a 24-bit device every other DMA test would need GFP_DMA buffers.)
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/slab.h>

#include "guests/drivers/dma_drv.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/suites.h"

void dma_gfp_dma_works_with_a_24bit_device(struct ktap_test *t)
{
	struct dma_drv *d = dma_get_ext(t);
	uint32_t bits, e, crc;
	void *low, *high;

	if (!d)
		return;
	bits = dma_read32(d, DMA_REG_MASK_BITS);
	low = kmalloc(8192, GFP_DMA);
	high = kmalloc(8192, GFP_KERNEL); /* DMA32 first: above 16 MiB in a 32 MiB guest */
	KTAP_ASSERT(t, low && high);
	KTAP_EXPECT(t, virt_to_phys(low) + 8192 <= (16u << 20));
	KTAP_EXPECT(t, dma_set_mask(d, 24) == 0);
	dma_one_descriptor_crc_matches(t, d, low, 8192, "GFP_DMA");
	if (bits != 24) {
		ktap_skip(t, "the device's mask is not 24 bits (gmm run --dma-mask 24 shows it)");
	} else if (virt_to_phys(high) >= (16u << 20)) {
		ktap_expect_host_report(
			t, "gmm: dma: scatter-gather command refused (beyond the mask)");
		e = dma_dev_read_crc(d, virt_to_phys(high), 8192, &crc);
		KTAP_EXPECT_MSG(t, e == DMA_ERR_MASK, "buffer at %#llx: error %u",
				(unsigned long long)virt_to_phys(high), e);
	}
	ktap_diag(t, "GFP_DMA at %#llx, GFP_KERNEL at %#llx, device mask %u bits",
		  (unsigned long long)virt_to_phys(low), (unsigned long long)virt_to_phys(high),
		  bits);
	dma_set_mask(d, DMA_DEFAULT_MASK_BITS);
	kfree(low);
	kfree(high);
}

static const struct ktap_case dma_mask_cases[] = {
	KTAP_CASE(dma_gfp_dma_works_with_a_24bit_device),
};

KTAP_SUITE_DEFINE(dma_mask, dma_mask_cases);
