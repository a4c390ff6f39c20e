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
 * Transmitted bytes go to the console (vmm/devices/console.c): buffered, rate-limited, in
 * order with the console port's messages.
 */
#include <gmm/devices.h>

#include <abi/bootinfo.h>

#include <string.h>

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

void gmm_serial_init(struct gmm_serial *s, struct gmm_console *out)
{
	if (!s)
		return;
	memset(s, 0, sizeof(*s));
	s->out = out;
}

static uint8_t serial_read(struct gmm_serial *s, uint64_t reg)
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

static void serial_write(struct gmm_serial *s, uint64_t reg, uint8_t v)
{
	bool dlab = s->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_THR:
		if (dlab)
			s->dll = v;
		else
			gmm_console_write(s->out, &v, 1);
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

int gmm_serial_io(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct gmm_serial *s = dev;
	uint32_t i;

	if (!s || !data || len - 1 > 7) /* see gmm_bus_io_fn: nothing filled */
		return GMM_BUS_CONTINUE;
	/* a wider access touches consecutive registers, as on the ISA bus */
	for (i = 0; i < len; i++) {
		if (is_write)
			serial_write(s, offset + i, data[i]);
		else
			data[i] = serial_read(s, offset + i);
	}
	return GMM_BUS_CONTINUE;
}

struct gmm_bus_device gmm_serial_bus_device(struct gmm_serial *s)
{
	if (!s)
		return (struct gmm_bus_device){ .name = "serial" }; /* no window */
	return (struct gmm_bus_device){
		.name = "serial",
		.bootinfo_type = BOOTINFO_DEV_SERIAL,
		.space = GMM_BUS_PIO,
		.base = GMM_SERIAL_COM1_BASE,
		.size = GMM_SERIAL_NR_PORTS,
		.io = gmm_serial_io,
		.dev = s,
	};
}
