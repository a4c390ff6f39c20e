/* SPDX-License-Identifier: MIT */
/*
 * include/abi/crc32.h - CRC-32 (IEEE 802.3, reflected 0xEDB88320, as zlib's crc32()).
 *
 * The DMA device reports the CRC of the bytes it read (DMA_REG_CRC) and the guest compares it
 * with its own over the same buffer, so both sides use this one definition. Slicing-by-8: eight
 * 256-entry tables, built once by crc32_table_init() (8 KiB; the guest runs it once at probe),
 * process 8 bytes per step. crc32_update(t, 0, "123456789", 9) == 0xCBF43926.
 */
#ifndef GMM_ABI_CRC32_H
#define GMM_ABI_CRC32_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct crc32_table {
	uint32_t t[8][256];
};

static inline void crc32_table_init(struct crc32_table *tab)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
		tab->t[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			tab->t[j][i] = (tab->t[j - 1][i] >> 8) ^ tab->t[0][tab->t[j - 1][i] & 0xff];
}

/* Continue @crc (0 to start) over @len bytes at @buf. */
static inline uint32_t crc32_update(const struct crc32_table *tab, uint32_t crc, const void *buf,
				    size_t len)
{
	const uint8_t *p = (const uint8_t *)buf;

	crc = ~crc;
	while (len && ((uintptr_t)p & 7)) {
		crc = (crc >> 8) ^ tab->t[0][(crc ^ *p++) & 0xff];
		len--;
	}
	while (len >= 8) {
		uint64_t v = *(const uint64_t *)(const void *)p ^ crc;

		crc = tab->t[7][v & 0xff] ^ tab->t[6][(v >> 8) & 0xff] ^ tab->t[5][(v >> 16) & 0xff] ^
		      tab->t[4][(v >> 24) & 0xff] ^ tab->t[3][(v >> 32) & 0xff] ^
		      tab->t[2][(v >> 40) & 0xff] ^ tab->t[1][(v >> 48) & 0xff] ^ tab->t[0][v >> 56];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ tab->t[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

#ifdef __cplusplus
}
#endif

#endif /* GMM_ABI_CRC32_H */
