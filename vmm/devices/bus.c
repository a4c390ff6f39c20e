// SPDX-License-Identifier: MIT
/*
 * vmm/devices/bus.c - the device table and the routing of guest accesses.
 *
 * Invariant: windows of one space never overlap (gmm_bus_add() refuses), so an address has at most
 * one owner. A linear search is right for a table of a few devices.
 */
#include <gmm/bus.h>

#include <errno.h>

int gmm_bus_add(struct gmm_bus *bus, const struct gmm_bus_device *dev)
{
	uint64_t last;
	unsigned int i;

	if (!bus || !dev)
		return -EINVAL;
	if (dev->size == 0 || !dev->io || __builtin_add_overflow(dev->base, dev->size - 1, &last))
		return -EINVAL;
	for (i = 0; i < bus->nr; i++) {
		const struct gmm_bus_device *d = &bus->devices[i];

		if (d->space == dev->space && dev->base <= d->base + (d->size - 1) &&
		    d->base <= last)
			return -EBUSY;
	}
	if (bus->nr == GMM_BUS_MAX_DEVICES)
		return -ENOSPC;
	bus->devices[bus->nr++] = *dev;
	return 0;
}

int gmm_bus_access(struct gmm_bus *bus, enum gmm_bus_space space, uint64_t addr, uint8_t *data,
		   uint32_t len, bool is_write)
{
	unsigned int i;

	if (!bus || !data || len - 1 > 7) /* the callbacks take 1 .. 8 bytes */
		return -EINVAL;
	for (i = 0; i < bus->nr; i++) {
		const struct gmm_bus_device *d = &bus->devices[i];
		uint64_t off = addr - d->base;

		if (d->space != space || addr < d->base || off > d->size - 1)
			continue;
		if (len > d->size - off)
			break; /* runs past the window: nobody's */
		return d->io(d->dev, off, data, len, is_write);
	}
	gmm_unhandled_access(&bus->unhandled, space, addr, data, len, is_write);
	return GMM_BUS_CONTINUE;
}
