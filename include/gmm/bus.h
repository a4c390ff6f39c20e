/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/bus.h - the device table: which model answers which port or MMIO address.
 *
 * Devices are listed in one explicit table (struct bus). A device sees only
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

enum bus_space {
	BUS_PIO = 0,
	BUS_MMIO = 1,
};

/* What a device's io callback returns. */
enum bus_status {
	BUS_CONTINUE = 0, /* the guest goes on */
	BUS_STOP = 1,	  /* the run ends (the exit port); the device holds the reason */
};

/**
 * bus_io_fn - one device access
 * @dev: the device's state
 * @offset: from the device's base; offset + len <= the window size
 * @data: bytes to write, or where to put the bytes read
 * @len: 1, 2, 4 or 8 (port I/O: 1, 2, 4)
 * @is_write: direction
 * Return: enum bus_status.
 */
typedef int (*bus_io_fn)(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

struct bus_device {
	const char *name;
	uint32_t bootinfo_type; /* enum bootinfo_device_type, 0 = not listed in the boot info */
	enum bus_space space;
	uint64_t base;
	uint64_t size;
	bus_io_fn io;
	void *dev;
};

#define BUS_MAX_DEVICES	    16
#define UNHANDLED_LOG_SLOTS 256

/* Addresses already reported as unhandled: an open-addressing set, full = stop logging. */
struct unhandled_log {
	uint64_t keys[UNHANDLED_LOG_SLOTS]; /* (addr << 1 | space) + 1; 0 = empty */
	unsigned int nr;
	bool full_reported;
	uint64_t accesses; /* all unhandled accesses, logged or not */
};

struct bus {
	unsigned int nr;
	struct bus_device devices[BUS_MAX_DEVICES];
	struct unhandled_log unhandled;
};

/**
 * bus_add - claim [@base, @base + @size) in @space for a device
 * @bus: the table
 * @dev: the device (copied)
 * Return: 0, -EINVAL for an empty or wrapping window, -EBUSY if it overlaps another device,
 * -ENOSPC if the table is full.
 */
int bus_add(struct bus *bus, const struct bus_device *dev);

/**
 * bus_access - route one guest access to its device, or to the unhandled log
 * @bus: the table
 * @space: port or MMIO
 * @addr: port number or guest-physical address
 * @data: see bus_io_fn; filled with 0xff for an unhandled read
 * @len: access size
 * @is_write: direction
 * Return: enum bus_status.
 */
int bus_access(struct bus *bus, enum bus_space space, uint64_t addr, uint8_t *data, uint32_t len,
	       bool is_write);

/**
 * unhandled_access - an access nobody claimed: log it the first time for its address
 * @log: the set of reported addresses
 * @space: port or MMIO
 * @addr: address
 * @data: a read gets all-ones
 * @len: size
 * @is_write: direction
 * Return: true if this call logged a line (first time for the address).
 */
bool unhandled_access(struct unhandled_log *log, enum bus_space space, uint64_t addr, uint8_t *data,
		      uint32_t len, bool is_write);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_BUS_H */
