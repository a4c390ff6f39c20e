// SPDX-License-Identifier: MIT
/*
 * guests/kernel/mm_platform.c - mm/platform.h for the guest kernel.
 *
 * Logs go to printk; a panic ends the run with GUEST_VERDICT_PANIC. The functions on the
 * allocators' fast paths (irq save/restore, cpu id, in_atomic) are static inline in
 * guests/kernel/include/asm/mm_platform.h.
 */
#include "mm/platform.h"

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
