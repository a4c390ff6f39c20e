// SPDX-License-Identifier: MIT
/*
 * vmm/devices/exit_port.c - the guest's verdict: outl(code, 0xf4) ends the run.
 *
 * Compatible in spirit with QEMU's isa-debug-exit at the same port: any write ends the run.
 * The verdict is the value written, zero-extended from the access size (outb and outl both
 * work). Reads return all-ones like an empty port.
 */
#include <gmm/devices.h>

#include <abi/bootinfo.h>

#include <string.h>

int gmm_exit_port_io(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct gmm_exit_port *ep = dev;
	uint32_t v = 0;

	(void)offset;
	if (!ep || !data || len - 1 > 7) /* see gmm_bus_io_fn: nothing filled */
		return GMM_BUS_CONTINUE;
	if (!is_write) {
		memset(data, 0xff, len);
		return GMM_BUS_CONTINUE;
	}
	memcpy(&v, data, len < sizeof(v) ? len : sizeof(v));
	ep->exited = true;
	ep->verdict = v;
	return GMM_BUS_STOP;
}

struct gmm_bus_device gmm_exit_port_bus_device(struct gmm_exit_port *ep)
{
	if (!ep)
		return (struct gmm_bus_device){ .name = "exit-port" }; /* no window */
	return (struct gmm_bus_device){
		.name = "exit-port",
		.bootinfo_type = BOOTINFO_DEV_EXIT_PORT,
		.space = GMM_BUS_PIO,
		.base = GMM_EXIT_PORT_BASE,
		.size = GMM_EXIT_PORT_SIZE,
		.io = gmm_exit_port_io,
		.dev = ep,
	};
}
