/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/devices.h - the device models of gmm (vmm/devices/, one per file).
 *
 * console       the host end of the guest's console: buffered, rate-limited output to an fd;
 *               not a device itself, the serial port and the console port both write to it
 * serial        a 16550 subset on 0x3f8, transmit only, a byte per access
 * console port  gmm's own port (include/abi/console_port.h): a message per access
 * exit port     outl(verdict, 0xf4) ends the run with that verdict
 *
 * Each model's io callback has the gmm_bus_io_fn shape and is registered with *_bus_device().
 * Bad arguments: the *_init() and gmm_console_*() functions do nothing for a NULL state; a
 * *_bus_device() of NULL is an entry with no window that gmm_bus_add() refuses (-EINVAL); the
 * io callbacks do what gmm_bus_io_fn says.
 */
#ifndef GMM_GMM_DEVICES_H
#define GMM_GMM_DEVICES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <gmm/bus.h>
#include <gmm/guest_mem.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GMM_SERIAL_COM1_BASE 0x3f8u
#define GMM_SERIAL_NR_PORTS  8u
#define GMM_EXIT_PORT_BASE   0xf4u
#define GMM_EXIT_PORT_SIZE   4u

/* Console output budget: a burst of GMM_CONSOLE_BURST bytes, refilled at GMM_CONSOLE_RATE per second. */
#define GMM_CONSOLE_BURST    (1u << 20)
#define GMM_CONSOLE_RATE     (256u << 10)
#define GMM_CONSOLE_BUF_SIZE 4096u

struct gmm_console {
	int out_fd;		  /* where the guest's output goes (stdout) */
	uint64_t (*now_ns)(void); /* clock for the rate limit; injectable for tests */
	uint64_t tokens;	  /* bytes that may still be written now */
	uint64_t last_ns;	  /* last refill */
	uint64_t written;	  /* bytes passed to out_fd */
	uint64_t dropped;	  /* bytes dropped by the rate limit */
	bool limited;		  /* dropping now (the notice has been printed) */
	uint32_t buf_len;
	char buf[GMM_CONSOLE_BUF_SIZE];
};

/**
 * gmm_console_init - an empty console writing to @out_fd
 * @c: the state
 * @out_fd: host fd for output
 * @now_ns: monotonic clock in ns, or NULL for CLOCK_MONOTONIC
 */
void gmm_console_init(struct gmm_console *c, int out_fd, uint64_t (*now_ns)(void));

/**
 * gmm_console_write - append the guest's bytes, within the rate limit
 * @c: the console
 * @bytes: what the guest wrote
 * @len: how many
 * Bytes beyond the budget are dropped and counted; the first dropped byte of a flood prints
 * one notice. The buffer is written out when it fills and when @bytes held a newline.
 * A NULL @c or @bytes, or a @len of 0, writes nothing.
 */
void gmm_console_write(struct gmm_console *c, const void *bytes, size_t len);

/** gmm_console_flush - write out buffered output (at a newline, a full buffer, and at exit) */
void gmm_console_flush(struct gmm_console *c);

struct gmm_serial {
	struct gmm_console *out; /* where transmitted bytes go */
	uint8_t ier, lcr, mcr, scr, dll, dlm;
};

/** gmm_serial_init - a 16550 subset whose transmitter writes to @out */
void gmm_serial_init(struct gmm_serial *s, struct gmm_console *out);

/** gmm_serial_io - gmm_bus_io_fn of the serial port (offsets 0..7 from 0x3f8) */
int gmm_serial_io(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

/** gmm_serial_bus_device - the bus entry of @s at COM1 */
struct gmm_bus_device gmm_serial_bus_device(struct gmm_serial *s);

/* include/abi/console_port.h's CONSOLE_PORT_MAX_LEN (checked in vmm/devices/console_port.c) */
#define GMM_CONSOLE_PORT_MAX_LEN 0x10000u

struct gmm_console_port {
	struct gmm_console *out;
	const struct gmm_mem *mem; /* where descriptors and messages are read, bounds-checked */
	FILE *log;		/* the first refused message is reported here, or NULL */
	uint32_t status;	/* enum console_port_status of the last write */
	uint64_t messages;	/* messages written */
	uint64_t refused;	/* messages refused */
	uint8_t msg[GMM_CONSOLE_PORT_MAX_LEN]; /* the message, copied out of guest RAM once */
};

/** gmm_console_port_init - the console port, reading guest RAM @mem, writing to @out */
void gmm_console_port_init(struct gmm_console_port *p, struct gmm_console *out,
			   const struct gmm_mem *mem, FILE *log);

/** gmm_console_port_io - gmm_bus_io_fn of the console port (include/abi/console_port.h) */
int gmm_console_port_io(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

/** gmm_console_port_bus_device - the bus entry of @p at CONSOLE_PORT_BASE (0x4f0) */
struct gmm_bus_device gmm_console_port_bus_device(struct gmm_console_port *p);

struct gmm_exit_port {
	bool exited;
	uint32_t verdict; /* the value the guest wrote */
};

/** gmm_exit_port_io - gmm_bus_io_fn of the exit port: any write ends the run with its value */
int gmm_exit_port_io(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

/** gmm_exit_port_bus_device - the bus entry of @ep at 0xf4 */
struct gmm_bus_device gmm_exit_port_bus_device(struct gmm_exit_port *ep);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_DEVICES_H */
