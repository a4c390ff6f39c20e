/* SPDX-License-Identifier: MIT */
/*
 * include/abi/console_port.h - gmm's console port: a whole message per VM exit.
 *
 * A 16550 takes one byte per `out` instruction, and every `out` is a VM exit (`rep outsb`
 * too: KVM completes string port output one element per exit). The console port takes a
 * message: the guest puts a struct console_port_desc naming the bytes somewhere in RAM below
 * 4 GiB and writes the descriptor's guest-physical address to the port with one 32-bit `out`.
 * When that instruction completes, gmm has copied the bytes to the same console as the
 * serial port (same buffer, same rate limit, same order).
 *
 * The device is gmm's own (no PC standard port): a guest finds it in the boot info as
 * BOOTINFO_DEV_CONSOLE_PORT (include/abi/bootinfo.h) and falls back to the 16550 without it
 * (under QEMU, for one). Registers, at offset 0 of the window, 4-byte accesses only:
 *   write  guest-physical address of a descriptor; the message is written (or refused)
 *   read   the status of the last write: CONSOLE_PORT_OK or a CONSOLE_PORT_ERR_* code
 * An access of another width is ignored (reads all-ones) and sets CONSOLE_PORT_ERR_WIDTH.
 * A refused message writes nothing. Bytes beyond the console's rate limit are dropped, as
 * on the serial port; the status stays OK (the guest is not told to retry).
 */
#ifndef GMM_ABI_CONSOLE_PORT_H
#define GMM_ABI_CONSOLE_PORT_H

#include <stdint.h>

#define CONSOLE_PORT_BASE    0x4f0u
#define CONSOLE_PORT_SIZE    4u
#define CONSOLE_PORT_MAX_LEN 0x10000u /* bytes per message */

struct console_port_desc {
	uint64_t addr;	   /* guest-physical address of the bytes; [addr, addr + len) in one RAM region */
	uint32_t len;	   /* 0 .. CONSOLE_PORT_MAX_LEN */
	uint32_t reserved; /* 0 */
};

enum console_port_status {
	CONSOLE_PORT_OK = 0,
	CONSOLE_PORT_ERR_DESC = 1,  /* the descriptor is not in guest RAM */
	CONSOLE_PORT_ERR_RANGE = 2, /* the bytes are not in one RAM region */
	CONSOLE_PORT_ERR_LEN = 3,   /* len > CONSOLE_PORT_MAX_LEN, or reserved != 0 */
	CONSOLE_PORT_ERR_WIDTH = 4, /* an access other than 4 bytes */
};

#endif /* GMM_ABI_CONSOLE_PORT_H */
