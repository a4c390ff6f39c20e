// SPDX-License-Identifier: MIT
/*
 * guests/kernel/console.c - where printk's text goes: gmm's console port when the boot info
 * lists one (include/abi/console_port.h: a VM exit per message), else the 16550 at 0x3f8
 * (serial.c: a VM exit or two per byte; QEMU's machines, and gmm --no-console-port).
 *
 * Both paths put out the same bytes: "\n" becomes "\r\n" so a terminal shows lines. The port
 * path copies the text into a buffer in the kernel image (physical = virtual -
 * __START_KERNEL_map, below 4 GiB as the port requires) with the descriptor beside it; callers
 * serialise (printk writes with interrupts off, and only the boot CPU prints).
 */
#include <abi/bootinfo.h>
#include <abi/console_port.h>
#include <abi/guest_layout.h>

#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"

#define CONSOLE_CHUNK 2048

static uint16_t console_port;
static char console_buf[CONSOLE_CHUNK];
static struct console_port_desc console_desc;

static uint32_t kernel_phys(const void *p)
{
	return (uint32_t)((uintptr_t)p - __START_KERNEL_map);
}

void console_init(const struct bootinfo *bi)
{
	uint32_t i;

	serial_init(0x3f8);
	console_port = 0;
	for (i = 0; bi && i < bi->nr_devices && i < BOOTINFO_MAX_DEVICES; i++) {
		const struct bootinfo_device *d = &bi->devices[i];

		if (d->type == BOOTINFO_DEV_CONSOLE_PORT && (d->flags & BOOTINFO_DEV_PIO) &&
		    d->base <= 0xffff - 3)
			console_port = (uint16_t)d->base;
	}
}

static void console_port_send(size_t len)
{
	console_desc = (struct console_port_desc){ .addr = kernel_phys(console_buf),
						   .len = (uint32_t)len };
	/* the buffer and the descriptor are in RAM before the exit */
	__asm__ volatile("" : : : "memory");
	outl(kernel_phys(&console_desc), console_port);
}

void console_write(const char *s, size_t n)
{
	size_t len = 0;

	if (!console_port) {
		serial_write(s, n);
		return;
	}
	while (n--) {
		if (len + 2 > sizeof(console_buf)) {
			console_port_send(len);
			len = 0;
		}
		if (*s == '\n')
			console_buf[len++] = '\r';
		console_buf[len++] = *s++;
	}
	if (len)
		console_port_send(len);
}
