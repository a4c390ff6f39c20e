// SPDX-License-Identifier: MIT
/*
 * guests/kernel/mm_platform.c - mm/platform.h for the guest kernel.
 *
 * Logs go to printk; a panic ends the run with GUEST_VERDICT_PANIC; irq_save/restore are
 * pushf/cli and a conditional sti; one CPU for now (cpu id 0). "Atomic" means what Linux's
 * might_sleep() checks: in an interrupt handler, or interrupts disabled by the caller.
 */
#include "mm/platform.h"

#include "guests/arch/x86/processor.h"
#include "guests/arch/x86/traps.h"
#include "guests/kernel/kernel.h"

void platform_panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	panic("%s", msg);
}

void platform_log(enum mm_log_level level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

int platform_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

unsigned long platform_irq_save(void)
{
	unsigned long flags = native_save_fl();

	local_irq_disable();
	return flags;
}

void platform_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

unsigned int platform_cpu_id(void)
{
	return 0;
}

bool platform_in_atomic(void)
{
	return in_interrupt() || irqs_disabled();
}
