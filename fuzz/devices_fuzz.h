/* SPDX-License-Identifier: MIT */
/*
 * fuzz/devices_fuzz.h - the input format of fuzz/devices_fuzz.c, for it and for the seeds
 * fuzz/fuzz_test.cc writes.
 *
 *   byte 0       configuration: DEVICES_FUZZ_CFG_*
 *   bytes 1..2   L, little-endian: length of the RAM chunk (taken modulo CHUNK_MAX + 1)
 *   [16 bytes]   with DEVICES_FUZZ_CFG_HOSTILE_PS: max_pfn and mem_map_phys, written over the
 *                page-state header (which the guest owns and may scribble on)
 *   L bytes      the RAM chunk, written at each DEVICES_FUZZ_CHUNK_* address
 *   the rest     records of DEVICES_FUZZ_RECORD bytes: a selector, then one access as
 *                gmm_io_sequence_decode() reads it (include/gmm/io_sequence.h). Selector bits 0..2
 *                choose the port base of a port access (DEVICES_FUZZ_PIO_*), bits 3..4 the
 *                range of an MMIO access (DEVICES_FUZZ_MMIO_*).
 *
 * In mutator mode the input ends with a mutator script (fuzz/fuzz_mutator.h), taken off before
 * the rest is read as above.
 */
#ifndef GMM_FUZZ_DEVICES_FUZZ_H
#define GMM_FUZZ_DEVICES_FUZZ_H

#include <gmm/io_sequence.h>

#define DEVICES_FUZZ_RAM_BYTES (32ull << 20)
#define DEVICES_FUZZ_CHUNK_MAX 4096u
#define DEVICES_FUZZ_RECORD    (1 + GMM_IO_SEQUENCE_RECORD)

/* byte 0: bits 0..1 index the DMA mask widths 28, 12, 32, 64 */
#define DEVICES_FUZZ_CFG_MASK	    0x3u
#define DEVICES_FUZZ_CFG_STRICT	    0x4u /* the DMA device's strict mode */
#define DEVICES_FUZZ_CFG_HOSTILE_PS 0x8u /* 16 bytes of page-state header follow */

/* where the chunk goes: low RAM, the page below the legacy hole, 1 MiB, the end of RAM (the
 * end of the page-frame array) */
#define DEVICES_FUZZ_CHUNK_LOW	  0x10000ull
#define DEVICES_FUZZ_CHUNK_HOLE	  0x9f000ull
#define DEVICES_FUZZ_CHUNK_KERNEL 0x100000ull
#define DEVICES_FUZZ_CHUNK_END	  (DEVICES_FUZZ_RAM_BYTES - DEVICES_FUZZ_CHUNK_MAX)

/* selector bits 0..2: port base (offset 0..7 from it); the -4 ones straddle a window's start */
enum devices_fuzz_pio {
	DEVICES_FUZZ_PIO_SERIAL,       /* 0x3f8 */
	DEVICES_FUZZ_PIO_CONSOLE_PORT, /* 0x4f0 */
	DEVICES_FUZZ_PIO_EXIT,	       /* 0xf4 */
	DEVICES_FUZZ_PIO_PCI_CFG,      /* 0xcf8 */
	DEVICES_FUZZ_PIO_SERIAL_EDGE,
	DEVICES_FUZZ_PIO_CONSOLE_PORT_EDGE,
	DEVICES_FUZZ_PIO_EXIT_EDGE,
	DEVICES_FUZZ_PIO_PCI_CFG_EDGE,
};

/* selector bits 3..4: MMIO range (offset = bytes 1..3 modulo its size) */
enum devices_fuzz_mmio {
	DEVICES_FUZZ_MMIO_BAR,	      /* GMM_PCI_MMIO_BASE, 2 MiB: BAR0 as assigned, and past it */
	DEVICES_FUZZ_MMIO_WINDOW,     /* GMM_PCI_MMIO_BASE, 16 MiB */
	DEVICES_FUZZ_MMIO_MOVED,      /* 0xd0000000, 2 MiB: where a guest may move BAR0 */
	DEVICES_FUZZ_MMIO_WINDOW_END, /* GMM_PCI_MMIO_END - 1 MiB, 2 MiB: the window's end */
};

#define DEVICES_FUZZ_SELECTOR(pio, mmio) ((unsigned int)(pio) | (unsigned int)(mmio) << 3)

#endif /* GMM_FUZZ_DEVICES_FUZZ_H */
