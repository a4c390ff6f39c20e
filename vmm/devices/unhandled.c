// SPDX-License-Identifier: MIT
/*
 * vmm/devices/unhandled.c - accesses to ports and MMIO that no device claims.
 *
 * The guest goes on: writes are dropped, reads return all-ones (what a bus with nothing on it
 * returns on a PC). Each address is logged once; the set of logged addresses has a fixed size,
 * so a guest scanning the address space costs at most GMM_UNHANDLED_LOG_SLOTS lines and one
 * "no longer logged" line, never unbounded memory or output.
 */
#include <gmm/bus.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* true if newly inserted; false if present or the set is full (*full set then) */
static bool seen_insert(struct gmm_unhandled_log *log, uint64_t key, bool *full)
{
	unsigned int i, h = (unsigned int)((key * 0x9e3779b97f4a7c15ull) >> 56);

	*full = false;
	for (i = 0; i < GMM_UNHANDLED_LOG_SLOTS; i++) {
		uint64_t *slot = &log->keys[(h + i) % GMM_UNHANDLED_LOG_SLOTS];

		if (*slot == key)
			return false;
		if (*slot == 0) {
			if (log->nr == GMM_UNHANDLED_LOG_SLOTS - 1)
				break; /* keep one slot empty so lookups terminate */
			*slot = key;
			log->nr++;
			return true;
		}
	}
	*full = true;
	return false;
}

bool gmm_unhandled_access(struct gmm_unhandled_log *log, enum gmm_bus_space space, uint64_t addr,
			  uint8_t *data, uint32_t len, bool is_write)
{
	bool full;

	if (!log || !data || len - 1 > 7)
		return false;
	if (!is_write)
		memset(data, 0xff, len);
	log->accesses++;
	if (!seen_insert(log, ((addr << 1) | (uint64_t)space) + 1, &full)) {
		if (full && !log->full_reported) {
			log->full_reported = true;
			fprintf(stderr,
				"gmm: too many unhandled addresses, no longer logging them\n");
		}
		return false;
	}
	fprintf(stderr, "gmm: unhandled %s %s at 0x%" PRIx64 " (%u bytes)%s\n",
		space == GMM_BUS_PIO ? "port" : "MMIO", is_write ? "write" : "read", addr, len,
		is_write ? ", ignored" : ", reads as all-ones");
	return true;
}
