// SPDX-License-Identifier: MIT
/*
 * vmm/devices/io_sequence.c - drive the device table with a list of register accesses.
 *
 * No state of its own: decode turns bytes into struct gmm_io_access records (every byte string is
 * a valid sequence, which is what a fuzzer needs), apply hands each one to gmm_bus_access().
 */
#include <gmm/io_sequence.h>

#include <string.h>

size_t gmm_io_sequence_decode(const uint8_t *data, size_t size, uint64_t pio_base,
			      uint64_t mmio_base, uint64_t mmio_size, struct gmm_io_access *out,
			      size_t max)
{
	size_t n = 0;

	if (!data || !out)
		return 0;
	for (; size >= GMM_IO_SEQUENCE_RECORD && n < max;
	     data += GMM_IO_SEQUENCE_RECORD, size -= GMM_IO_SEQUENCE_RECORD) {
		struct gmm_io_access *a = &out[n++];
		uint32_t off = data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16;

		a->space = (data[0] & 1) ? GMM_BUS_MMIO : GMM_BUS_PIO;
		a->is_write = (data[0] >> 1) & 1;
		a->len = (uint8_t)(1u << ((data[0] >> 2) & 3));
		if (a->space == GMM_BUS_PIO) {
			if (a->len > 4)
				a->len = 4;
			a->addr = pio_base + (off & 7);
		} else {
			a->addr = mmio_base + (mmio_size ? off % mmio_size : 0);
		}
		memcpy(&a->value, data + 4, sizeof(a->value));
	}
	return n;
}

size_t gmm_io_sequence_apply(struct gmm_bus *bus, struct gmm_io_access *seq, size_t n)
{
	size_t i;

	if (!bus || !seq)
		return 0;
	for (i = 0; i < n; i++) {
		uint8_t buf[8];
		int ret;

		memcpy(buf, &seq[i].value, sizeof(buf));
		ret = gmm_bus_access(bus, (enum gmm_bus_space)seq[i].space, seq[i].addr, buf,
				     seq[i].len, seq[i].is_write);
		if (!seq[i].is_write) {
			seq[i].value = 0;
			memcpy(&seq[i].value, buf, seq[i].len);
		}
		if (ret == GMM_BUS_STOP)
			return i + 1;
	}
	return n;
}
