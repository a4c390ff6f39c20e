/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/bus.h - the device table: which model answers which port or MMIO address.
 *
 * Devices are listed in one explicit table (struct gmm_bus). A device sees only
 * (offset, data, len, is_write) inside its own window: the bus subtracts the base and refuses
 * an access that does not fit the window entirely. Anything no device claims goes to the
 * unhandled-access log (vmm/devices/unhandled.c): logged once per address, reads all-ones.
 */
#ifndef GMM_GMM_BUS_H
#define GMM_GMM_BUS_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum gmm_bus_space {
	GMM_BUS_PIO = 0,
	GMM_BUS_MMIO = 1,
};

/* What a device's io callback returns. */
enum gmm_bus_status {
	GMM_BUS_CONTINUE = 0, /* the guest goes on */
	GMM_BUS_STOP = 1,     /* the run ends (the exit port); the device holds the reason */
};

/**
 * gmm_bus_io_fn - one device access
 * @dev: the device's state
 * @offset: from the device's base; offset + len <= the window size
 * @data: bytes to write, or where to put the bytes read
 * @len: 1, 2, 4 or 8 (port I/O: 1, 2, 4)
 * @is_write: direction
 *
 * There is no error status: the guest's bus has no way to be told. Every callback of
 * include/gmm/ given a NULL @dev or @data, or a @len outside 1 .. 8, fills nothing, changes
 * nothing and returns GMM_BUS_CONTINUE.
 * Return: enum gmm_bus_status.
 */
typedef int (*gmm_bus_io_fn)(void *dev, uint64_t offset, uint8_t *data, uint32_t len,
			     bool is_write);

struct gmm_bus_device {
	const char *name;
	uint32_t bootinfo_type; /* enum bootinfo_device_type, 0 = not listed in the boot info */
	enum gmm_bus_space space;
	uint64_t base;
	uint64_t size;
	gmm_bus_io_fn io;
	void *dev;
};

#define GMM_BUS_MAX_DEVICES	16
#define GMM_UNHANDLED_LOG_SLOTS 256

/* Addresses already reported as unhandled: an open-addressing set, full = stop logging. */
struct gmm_unhandled_log {
	uint64_t keys[GMM_UNHANDLED_LOG_SLOTS]; /* (addr << 1 | space) + 1; 0 = empty */
	unsigned int nr;
	bool full_reported;
	uint64_t accesses; /* all unhandled accesses, logged or not */
};

struct gmm_bus {
	unsigned int nr;
	struct gmm_bus_device devices[GMM_BUS_MAX_DEVICES];
	struct gmm_unhandled_log unhandled;
};

/**
 * gmm_bus_add - claim [@base, @base + @size) in @space for a device
 * @bus: the table
 * @dev: the device (copied)
 * Return: 0, -EINVAL for an empty or wrapping window, -EBUSY if it overlaps another device,
 * -ENOSPC if the table is full.
 */
int gmm_bus_add(struct gmm_bus *bus, const struct gmm_bus_device *dev);

/**
 * gmm_bus_access - route one guest access to its device, or to the unhandled log
 * @bus: the table
 * @space: port or MMIO
 * @addr: port number or guest-physical address
 * @data: see gmm_bus_io_fn; filled with 0xff for an unhandled read
 * @len: access size, 1 .. 8
 * @is_write: direction
 * Return: enum gmm_bus_status, or -EINVAL for a NULL @bus or @data or a @len outside 1 .. 8.
 */
int gmm_bus_access(struct gmm_bus *bus, enum gmm_bus_space space, uint64_t addr, uint8_t *data,
		   uint32_t len, bool is_write);

/**
 * gmm_unhandled_access - an access nobody claimed: log it the first time for its address
 * @log: the set of reported addresses
 * @space: port or MMIO
 * @addr: address
 * @data: a read gets all-ones
 * @len: size
 * @is_write: direction
 * Return: true if this call logged a line (first time for the address); false, touching
 * nothing, for a NULL @log or @data or a @len outside 1 .. 8.
 */
bool gmm_unhandled_access(struct gmm_unhandled_log *log, enum gmm_bus_space space, uint64_t addr,
			  uint8_t *data, uint32_t len, bool is_write);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_BUS_H */
