/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/io_sequence.h - apply a sequence of guest register accesses to the device table.
 *
 * The single entry point for driving devices without a guest: unit tests write sequences by
 * hand, randomized tests and fuzzers decode them from bytes (gmm_io_sequence_decode()) and apply
 * them with gmm_io_sequence_apply(), which routes each access through gmm_bus_access() exactly as the
 * vCPU exit dispatcher does.
 */
#ifndef GMM_GMM_IO_SEQUENCE_H
#define GMM_GMM_IO_SEQUENCE_H

#include <stddef.h>
#include <stdint.h>

#include <gmm/bus.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gmm_io_access {
	uint8_t space;	  /* enum gmm_bus_space */
	uint8_t is_write; /* 0 or 1 */
	uint8_t len;	  /* 1, 2, 4, 8 (port I/O: at most 4) */
	uint64_t addr;	  /* port or guest-physical address */
	uint64_t value;	  /* written, or filled in with what a read returned */
};

#define GMM_IO_SEQUENCE_RECORD 12 /* bytes per access in gmm_io_sequence_decode() */

/**
 * gmm_io_sequence_decode - accesses from fuzzer bytes, GMM_IO_SEQUENCE_RECORD bytes each
 * @data: the bytes
 * @size: how many (a partial last record is ignored)
 * @pio_base: port of offset 0 for port accesses (offset = byte 1 mod 8)
 * @mmio_base: address of offset 0 for MMIO accesses (offset = bytes 1..3 mod @mmio_size)
 * @mmio_size: size of the MMIO range accesses land in
 * @out: receives the accesses
 * @max: room in @out
 *
 * Record: byte 0 bit 0 space (0 port, 1 MMIO), bit 1 write, bits 2..3 log2 of the length;
 * bytes 1..3 the offset; bytes 4..11 the value, little-endian.
 * Return: the number of accesses decoded.
 */
size_t gmm_io_sequence_decode(const uint8_t *data, size_t size, uint64_t pio_base,
			      uint64_t mmio_base, uint64_t mmio_size, struct gmm_io_access *out,
			      size_t max);

/**
 * gmm_io_sequence_apply - perform @n accesses on @bus in order
 * @bus: the device table
 * @seq: the accesses; each read's value is stored back
 * @n: how many
 * Return: how many were applied (fewer if a device stopped the run).
 */
size_t gmm_io_sequence_apply(struct gmm_bus *bus, struct gmm_io_access *seq, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_IO_SEQUENCE_H */
