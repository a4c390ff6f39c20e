/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/devices.h - the device models of gmm (vmm/devices/, one per file).
 *
 * serial     a 16550 subset on 0x3f8: transmit to a host fd, rate-limited; no receive
 * exit port  outl(verdict, 0xf4) ends the run with that verdict
 *
 * Each model's io callback has the bus_io_fn shape and is registered with *_bus_device().
 */
#ifndef GMM_GMM_DEVICES_H
#define GMM_GMM_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include <gmm/bus.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SERIAL_COM1_BASE 0x3f8u
#define SERIAL_NR_PORTS	 8u
#define EXIT_PORT_BASE	 0xf4u
#define EXIT_PORT_SIZE	 4u

/* Output budget: a burst of SERIAL_BURST bytes, refilled at SERIAL_RATE bytes per second. */
#define SERIAL_BURST	(1u << 20)
#define SERIAL_RATE	(256u << 10)
#define SERIAL_BUF_SIZE 4096u

struct serial {
	int out_fd;		  /* where transmitted bytes go (stdout) */
	uint64_t (*now_ns)(void); /* clock for the rate limit; injectable for tests */
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint64_t tokens;  /* bytes that may still be written now */
	uint64_t last_ns; /* last refill */
	uint64_t written; /* bytes passed to out_fd */
	uint64_t dropped; /* bytes dropped by the rate limit */
	bool limited;	  /* dropping now (the notice has been printed) */
	uint32_t buf_len;
	char buf[SERIAL_BUF_SIZE];
};

/**
 * serial_init - a 16550 subset whose transmitter writes to @out_fd
 * @s: the state
 * @out_fd: host fd for output
 * @now_ns: monotonic clock in ns, or NULL for CLOCK_MONOTONIC
 */
void serial_init(struct serial *s, int out_fd, uint64_t (*now_ns)(void));

/** serial_io - bus_io_fn of the serial port (offsets 0..7 from 0x3f8) */
int serial_io(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

/** serial_flush - write out buffered output (at a newline, a full buffer, and at exit) */
void serial_flush(struct serial *s);

/** serial_bus_device - the bus entry of @s at COM1 */
struct bus_device serial_bus_device(struct serial *s);

struct exit_port {
	bool exited;
	uint32_t verdict; /* the value the guest wrote */
};

/** exit_port_io - bus_io_fn of the exit port: any write ends the run with its value */
int exit_port_io(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

/** exit_port_bus_device - the bus entry of @ep at 0xf4 */
struct bus_device exit_port_bus_device(struct exit_port *ep);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_DEVICES_H */
