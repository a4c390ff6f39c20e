/* SPDX-License-Identifier: MIT */
/*
 * mm/platform.h - the memory-management core's only window to the outside world.
 *
 * The core (the .c files of mm/) is freestanding: it includes <stddef.h>, <stdint.h>, <stdbool.h>,
 * <stdarg.h> and its own headers, nothing else. Everything it needs from its environment is
 * declared here and implemented once per environment: mm/host/ for hosted builds (tests,
 * benchmarks, libgmm), guests/ for the test guest.
 *
 * Contract for implementations:
 *  - platform_panic() does not return (abort() on the host, so death tests can see it).
 *  - platform_log() takes a printf format; it must be callable with interrupts off.
 *  - platform_irq_save()/platform_irq_restore() make a section atomic with respect to this
 *    CPU's interrupt handlers; they nest.
 *  - platform_cpu_id() is below PAGE_STATE_MAX_CPUS and stable while interrupts are off.
 *  - platform_in_atomic() is true in interrupt context and with interrupts disabled by the
 *    caller (not by the core's own irq_save sections).
 */
#ifndef GMM_MM_PLATFORM_H
#define GMM_MM_PLATFORM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum mm_log_level {
	MM_LOG_ERR = 3,
	MM_LOG_WARN = 4,
	MM_LOG_INFO = 6,
};

__attribute__((noreturn, format(printf, 1, 2))) void platform_panic(const char *fmt, ...);
__attribute__((format(printf, 2, 3))) void platform_log(enum mm_log_level level,
							const char *fmt, ...);
int platform_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
unsigned long platform_irq_save(void);
void platform_irq_restore(unsigned long flags);
unsigned int platform_cpu_id(void);
bool platform_in_atomic(void);

#ifdef __cplusplus
}
#endif

#endif /* GMM_MM_PLATFORM_H */
