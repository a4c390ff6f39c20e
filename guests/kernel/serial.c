// SPDX-License-Identifier: MIT
/*
 * guests/kernel/serial.c - polled output on a 16550 UART (0x3f8 under gmm and QEMU).
 *
 * Transmit only: wait for the transmit-holding register to be empty (LSR bit 5), write the
 * byte. "\n" goes out as "\r\n" so a terminal shows lines.
 */
#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"

#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20

static uint16_t serial_base;

void serial_init(uint16_t base)
{
	serial_base = base;
	outb(0x00, base + UART_IER); /* no interrupts */
	outb(0x03, base + UART_LCR); /* 8N1 */
	outb(0x07, base + UART_FCR); /* FIFO on, cleared */
	outb(0x03, base + UART_MCR); /* DTR, RTS */
}

static void serial_putc(char c)
{
	unsigned int spins = 0;

	/* a missing UART reads 0xff: THRE set, so this never hangs */
	while (!(inb(serial_base + UART_LSR) & UART_LSR_THRE) && ++spins < 100000)
		cpu_relax();
	outb((uint8_t)c, serial_base + UART_THR);
}

void serial_write(const char *s, size_t n)
{
	if (!serial_base)
		return;
	while (n--) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s++);
	}
}
