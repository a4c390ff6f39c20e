// SPDX-License-Identifier: MIT
/*
 * vmm/devices/console_port.c - gmm's console port: a whole message per VM exit.
 *
 * The guest writes (outl) the guest-physical address of a struct console_port_desc; the
 * message it names goes to the console (vmm/devices/console.c) before the access completes.
 * The protocol is in include/abi/console_port.h.
 *
 * Invariants: the descriptor and the message are read through gmem's bounds checks, so a
 * guest can name nothing outside its RAM; both are copied out of guest RAM once (gmm_mem_read(),
 * the read-once rule of docs/threat-model.md) and only the copies are used, so a guest that
 * rewrites them meanwhile cannot make the length checked differ from the length written; a refused message writes nothing and sets the
 * status the guest reads back; only the first refusal is reported on the log, so a guest
 * cannot flood the host's stderr through this port either.
 */
#include <gmm/devices.h>

#include <abi/bootinfo.h>
#include <abi/console_port.h>

#include <inttypes.h>
#include <string.h>

_Static_assert(GMM_CONSOLE_PORT_MAX_LEN == CONSOLE_PORT_MAX_LEN, "the message buffer");

static const char *const status_text[] = {
	[CONSOLE_PORT_ERR_DESC] = "the descriptor is not in guest RAM",
	[CONSOLE_PORT_ERR_RANGE] = "the message is not in one guest RAM region",
	[CONSOLE_PORT_ERR_LEN] = "longer than CONSOLE_PORT_MAX_LEN, or reserved bits set",
	[CONSOLE_PORT_ERR_WIDTH] = "an access other than 4 bytes",
};

void gmm_console_port_init(struct gmm_console_port *p, struct gmm_console *out,
			   const struct gmm_mem *mem, FILE *log)
{
	if (!p)
		return;
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->mem = mem;
	p->log = log;
}

static uint32_t console_port_send(struct gmm_console_port *p, uint32_t desc_gpa)
{
	struct console_port_desc desc;

	if (gmm_mem_read(p->mem, desc_gpa, &desc, sizeof(desc)))
		return CONSOLE_PORT_ERR_DESC;
	if (desc.len > CONSOLE_PORT_MAX_LEN || desc.reserved)
		return CONSOLE_PORT_ERR_LEN;
	if (!desc.len)
		return CONSOLE_PORT_OK;
	if (gmm_mem_read(p->mem, desc.addr, p->msg, desc.len))
		return CONSOLE_PORT_ERR_RANGE;
	gmm_console_write(p->out, p->msg, desc.len);
	return CONSOLE_PORT_OK;
}

static void console_port_refused(struct gmm_console_port *p, uint32_t value)
{
	if (p->refused++ || !p->log)
		return;
	fprintf(p->log,
		"gmm: console port: message refused (%s): value %#" PRIx32
		"; further refusals are not reported\n",
		status_text[p->status], value);
}

int gmm_console_port_io(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct gmm_console_port *p = dev;
	uint32_t v = 0;

	if (!p || !data || len - 1 > 7) /* see gmm_bus_io_fn: nothing filled */
		return GMM_BUS_CONTINUE;
	if (offset != 0 || len != 4) {
		if (!is_write)
			memset(data, 0xff, len);
		p->status = CONSOLE_PORT_ERR_WIDTH;
		console_port_refused(p, 0);
		return GMM_BUS_CONTINUE;
	}
	if (!is_write) {
		memcpy(data, &p->status, 4);
		return GMM_BUS_CONTINUE;
	}
	memcpy(&v, data, 4);
	p->status = console_port_send(p, v);
	if (p->status == CONSOLE_PORT_OK)
		p->messages++;
	else
		console_port_refused(p, v);
	return GMM_BUS_CONTINUE;
}

struct gmm_bus_device gmm_console_port_bus_device(struct gmm_console_port *p)
{
	if (!p)
		return (struct gmm_bus_device){ .name = "console-port" }; /* no window */
	return (struct gmm_bus_device){
		.name = "console-port",
		.bootinfo_type = BOOTINFO_DEV_CONSOLE_PORT,
		.space = GMM_BUS_PIO,
		.base = CONSOLE_PORT_BASE,
		.size = CONSOLE_PORT_SIZE,
		.io = gmm_console_port_io,
		.dev = p,
	};
}
