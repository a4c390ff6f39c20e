// SPDX-License-Identifier: MIT
/*
 * vmm/devices/serial.c - a 16550 UART subset on COM1 (0x3f8), transmit only.
 *
 * Registers (offset from 0x3f8; DLAB = LCR bit 7):
 *   0  THR (write) / RBR (read, always 0)     DLL when DLAB
 *   1  IER                                     DLM when DLAB
 *   2  IIR (read: 0x01, no interrupt pending) / FCR (write, ignored)
 *   3  LCR   4 MCR   5 LSR (read: THRE|TEMT, always ready)   6 MSR (read: DCD|DSR|CTS)   7 SCR
 * No interrupts are raised: the transmitter is always empty, so polling drivers never wait.
 *
 * Output is buffered and written at a newline or when the buffer fills. A token bucket
 * (SERIAL_BURST bytes, refilled at SERIAL_RATE per second) bounds what a flooding guest can push
 * to the host; bytes beyond it are dropped and counted, and one notice marks where.
 */
#define _GNU_SOURCE
#include <gmm/devices.h>

#include <abi/bootinfo.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UART_THR 0
#define UART_IER 1
#define UART_IIR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define UART_LCR_DLAB	0x80
#define UART_IIR_NO_INT 0x01
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40
#define UART_MSR_CTS	0x10
#define UART_MSR_DSR	0x20
#define UART_MSR_DCD	0x80

static uint64_t serial_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void serial_init(struct serial *s, int out_fd, uint64_t (*now_ns)(void))
{
	memset(s, 0, sizeof(*s));
	s->out_fd = out_fd;
	s->now_ns = now_ns ? now_ns : serial_clock;
	s->tokens = SERIAL_BURST;
	s->last_ns = s->now_ns();
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return; /* the console is gone: drop, the guest must not notice */
		p += w;
		n -= (size_t)w;
	}
}

void serial_flush(struct serial *s)
{
	if (s->buf_len)
		write_all(s->out_fd, s->buf, s->buf_len);
	s->buf_len = 0;
}

static bool serial_take_token(struct serial *s)
{
	uint64_t now = s->now_ns();
	uint64_t refill = (now - s->last_ns) * SERIAL_RATE / 1000000000ull;

	if (refill) {
		s->tokens = s->tokens + refill > SERIAL_BURST ? SERIAL_BURST : s->tokens + refill;
		s->last_ns = now;
	}
	if (s->tokens == 0)
		return false;
	s->tokens--;
	return true;
}

static void serial_transmit(struct serial *s, uint8_t c)
{
	static const char notice[] = "\n[gmm: serial output rate-limited, dropping]\n";

	if (!serial_take_token(s)) {
		if (!s->limited) {
			s->limited = true;
			serial_flush(s);
			write_all(s->out_fd, notice, sizeof(notice) - 1);
		}
		s->dropped++;
		return;
	}
	s->limited = false;
	s->buf[s->buf_len++] = (char)c;
	s->written++;
	if (c == '\n' || s->buf_len == SERIAL_BUF_SIZE)
		serial_flush(s);
}

static uint8_t serial_read(struct serial *s, uint64_t reg)
{
	bool dlab = s->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_THR:
		return dlab ? s->dll : 0;
	case UART_IER:
		return dlab ? s->dlm : s->ier;
	case UART_IIR:
		return UART_IIR_NO_INT;
	case UART_LCR:
		return s->lcr;
	case UART_MCR:
		return s->mcr;
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT;
	case UART_MSR:
		return UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD;
	default:
		return s->scr;
	}
}

static void serial_write(struct serial *s, uint64_t reg, uint8_t v)
{
	bool dlab = s->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_THR:
		if (dlab)
			s->dll = v;
		else
			serial_transmit(s, v);
		break;
	case UART_IER:
		if (dlab)
			s->dlm = v;
		else
			s->ier = v & 0x0f;
		break;
	case UART_IIR:
		break; /* FCR: no FIFO to control */
	case UART_LCR:
		s->lcr = v;
		break;
	case UART_MCR:
		s->mcr = v & 0x1f;
		break;
	case UART_SCR:
		s->scr = v;
		break;
	default:
		break; /* LSR, MSR are read-only */
	}
}

int serial_io(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct serial *s = dev;
	uint32_t i;

	/* a wider access touches consecutive registers, as on the ISA bus */
	for (i = 0; i < len; i++) {
		if (is_write)
			serial_write(s, offset + i, data[i]);
		else
			data[i] = serial_read(s, offset + i);
	}
	return BUS_CONTINUE;
}

struct bus_device serial_bus_device(struct serial *s)
{
	return (struct bus_device){
		.name = "serial",
		.bootinfo_type = BOOTINFO_DEV_SERIAL,
		.space = BUS_PIO,
		.base = SERIAL_COM1_BASE,
		.size = SERIAL_NR_PORTS,
		.io = serial_io,
		.dev = s,
	};
}
