/* SPDX-License-Identifier: MIT */
/*
 * include/abi/dma_regs.h - the DMA device's registers: QEMU's edu, plus gmm's extension.
 *
 * The device is PCI 1234:11e8 with BAR0 = 1 MiB of MMIO. Offsets below 0x80 take 4-byte
 * accesses only, offsets from 0x80 take 4 or 8 bytes (edu's rule); anything else reads as
 * all-ones and is ignored when written.
 *
 * edu (docs/specs/edu.rst of QEMU), same offsets and meanings:
 *   0x00 RO  identification 0xRRrr00ed (major, minor)
 *   0x04 RW  liveness: reads back the inverse of the value written
 *   0x08 RW  factorial: write n, read n! once STATUS_COMPUTING is clear
 *   0x20 RW  status: 0x01 computing (RO), 0x80 raise interrupt 0x1 when the factorial is done
 *   0x24 RO  interrupt status
 *   0x60 WO  interrupt raise (ORed into the status)
 *   0x64 WO  interrupt acknowledge (cleared from the status)
 *   0x80/0x88/0x90 RW  DMA source, destination, count
 *   0x98 RW  DMA command: 0x1 start, 0x2 direction (0 RAM -> buffer, 1 buffer -> RAM),
 *            0x4 raise interrupt 0x100 when done
 *   The device buffer is DMA_EDU_BUF_SIZE bytes at device address DMA_EDU_BUF_ADDR.
 *   The DMA mask (28 bits unless set otherwise) limits the RAM addresses the device can reach.
 *
 * Where edu truncates (an address beyond the mask) or runs off its buffer, gmm's device
 * refuses instead: the transfer moves nothing and DMA_REG_ERROR says why. Transfers run to
 * completion inside the MMIO write that starts them, so the start bit reads back clear.
 *
 * The extension block (gmm only; stock edu reads it as all-ones, so a driver probes
 * DMA_REG_EXT_ID): scatter-gather transfers described by tables of struct dma_desc in guest
 * RAM, a CRC32 (IEEE 802.3, as zlib's crc32()) of the bytes the device read, an error register.
 */
#ifndef GMM_ABI_DMA_REGS_H
#define GMM_ABI_DMA_REGS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DMA_PCI_VENDOR	 0x1234u
#define DMA_PCI_DEVICE	 0x11e8u
#define DMA_PCI_REVISION 0x10u
#define DMA_BAR0_SIZE	 0x100000u /* 1 MiB */

#define DMA_EDU_ID	 0x010000edu /* version 1.0 */
#define DMA_EDU_BUF_ADDR 0x40000u
#define DMA_EDU_BUF_SIZE 4096u
#define DMA_DEFAULT_MASK_BITS 28u

/* edu registers */
#define DMA_REG_ID	  0x00
#define DMA_REG_LIVENESS  0x04
#define DMA_REG_FACTORIAL 0x08
#define DMA_REG_STATUS	  0x20
#define DMA_REG_IRQ_STATUS 0x24
#define DMA_REG_IRQ_RAISE 0x60
#define DMA_REG_IRQ_ACK	  0x64
#define DMA_REG_SRC	  0x80
#define DMA_REG_DST	  0x88
#define DMA_REG_COUNT	  0x90
#define DMA_REG_CMD	  0x98

#define DMA_STATUS_COMPUTING 0x01u
#define DMA_STATUS_IRQFACT   0x80u

#define DMA_IRQ_FACT 0x001u
#define DMA_IRQ_DMA  0x100u
#define DMA_IRQ_SG   0x200u /* extension: a scatter-gather command finished (or failed) */

#define DMA_CMD_START	0x1u
#define DMA_CMD_TO_RAM	0x2u /* direction: device buffer -> RAM */
#define DMA_CMD_IRQ	0x4u

/* extension block */
#define DMA_REG_EXT_ID	     0xa0 /* RO 4: DMA_EXT_MAGIC */
#define DMA_REG_EXT_CAPS     0xa4 /* RO 4: DMA_CAP_* */
#define DMA_REG_SG_SRC_TABLE 0xa8 /* RW 8: guest-physical address of the source table */
#define DMA_REG_SG_SRC_COUNT 0xb0 /* RW 4: descriptors in it */
#define DMA_REG_SG_CMD	     0xb4 /* RW 4: DMA_SG_* (write with DMA_SG_START to run) */
#define DMA_REG_SG_DST_TABLE 0xb8 /* RW 8: the destination table */
#define DMA_REG_SG_DST_COUNT 0xc0 /* RW 4 */
#define DMA_REG_ERROR	     0xc4 /* RW 4: enum dma_error of the last command; write clears */
#define DMA_REG_CRC	     0xc8 /* RO 4: CRC32 of the bytes the last command read */
#define DMA_REG_PATTERN	     0xcc /* RW 4: seed of DMA_SG_OP_FILL */
#define DMA_REG_DONE	     0xd0 /* RO 8: bytes the last command moved */
#define DMA_REG_DEV_OFFSET   0xd8 /* RW 8: offset in the device's large buffer */
#define DMA_REG_MASK_BITS    0xe0 /* RO 4: width of the DMA mask */

#define DMA_EXT_MAGIC 0x31474d4du /* "MMG1" read little-endian: gmm extension, version 1 */

#define DMA_CAP_SG     0x1u /* scatter-gather commands */
#define DMA_CAP_CRC    0x2u /* DMA_REG_CRC */
#define DMA_CAP_STRICT 0x4u /* strict mode is on (gmm run --dma-strict) */

/* DMA_REG_SG_CMD */
#define DMA_SG_START	0x1u
#define DMA_SG_IRQ	0x2u	/* raise DMA_IRQ_SG when done */
#define DMA_SG_CRC	0x4u	/* compute DMA_REG_CRC (always for DMA_SG_OP_READ) */
#define DMA_SG_OP_SHIFT 4
#define DMA_SG_OP_MASK	(0xfu << DMA_SG_OP_SHIFT)
#define DMA_SG_OP(cmd)	(((cmd) & DMA_SG_OP_MASK) >> DMA_SG_OP_SHIFT)

enum dma_sg_op {
	DMA_SG_OP_COPY = 0,	   /* source table -> destination table (equal totals) */
	DMA_SG_OP_TO_DEVICE = 1,   /* source table -> large buffer at DMA_REG_DEV_OFFSET */
	DMA_SG_OP_FROM_DEVICE = 2, /* large buffer at DMA_REG_DEV_OFFSET -> destination table */
	DMA_SG_OP_FILL = 3,	   /* dma_fill_byte() pattern -> destination table */
	DMA_SG_OP_READ = 4,	   /* source table read for its CRC only */
	DMA_SG_OP_ZERO = 5,	   /* zeroes -> destination table */
};

#define DMA_SG_MAX_DESC	  65536u	     /* per table: 1 MiB of descriptors */
#define DMA_SG_MAX_BYTES  (256ull << 20)     /* per command */
#define DMA_DEV_BUF_SIZE  (64ull << 20)	     /* the large device buffer */

/* One scatter-gather descriptor, little-endian, 16 bytes; len 1 .. DMA_SG_MAX_BYTES. */
struct dma_desc {
	uint64_t addr;
	uint64_t len;
};

/* DMA_REG_ERROR: the first problem found; nothing was moved */
enum dma_error {
	DMA_ERR_NONE = 0,
	DMA_ERR_MASK = 1,	/* an address beyond the DMA mask */
	DMA_ERR_NOT_RAM = 2,	/* a range not wholly inside one RAM region */
	DMA_ERR_CROSSES = 3,	/* strict: a descriptor runs from one allocated block into another */
	DMA_ERR_BUS_MASTER = 4, /* bus mastering is off in the PCI command register */
	DMA_ERR_BAD_TABLE = 5,	/* table not in RAM, count 0 or too large, a bad length, totals */
	DMA_ERR_BUF_RANGE = 6,	/* a range not wholly inside a device buffer */
	DMA_ERR_BAD_CMD = 7,	/* an unknown scatter-gather operation */
	DMA_ERR_FREE = 8,	/* strict: a descriptor starts in free memory */
	DMA_ERR_PAGE_STATE = 9, /* strict: the guest's page state is not valid (fail closed) */
};

/* Byte @i of the DMA_SG_OP_FILL stream with seed @seed: differs between pages and seeds. */
static inline uint8_t dma_fill_byte(uint32_t seed, uint64_t i)
{
	return (uint8_t)(seed + i + (i >> 8) * 7 + (i >> 12) * 13);
}

#ifdef __cplusplus
}
#endif

#endif /* GMM_ABI_DMA_REGS_H */
