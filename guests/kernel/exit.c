// SPDX-License-Identifier: MIT
/*
 * guests/kernel/exit.c - ending the run: the verdict goes to the exit port (0xf4).
 *
 * gmm's exit status is the verdict; QEMU's isa-debug-exit makes it (verdict << 1) | 1. If no
 * device listens, the CPU halts with interrupts off and the host's timeout ends the run.
 */
#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"

void guest_exit(uint32_t verdict)
{
	outl(verdict, GUEST_EXIT_PORT);
	printk("guest_exit: nothing took the exit port %#x; halting\n", GUEST_EXIT_PORT);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void panic(const char *fmt, ...)
{
	va_list ap;

	printk("Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\nBail out! kernel panic\n");
	guest_exit(GUEST_VERDICT_PANIC);
}
