/* SPDX-License-Identifier: MIT */
/*
 * mm/platform.h - the memory-management core's only window to the outside world.
 *
 * The core (the .c files of mm/) is freestanding: it includes <stddef.h>, <stdint.h>, <stdbool.h>,
 * <stdarg.h> and its own headers, nothing else. Everything it needs from its environment is
 * declared here and implemented once per environment: mm/host/ for hosted builds (tests,
 * benchmarks, libgmm), guests/ for the test guest.
 *
 * Two kinds of functions. The rare ones (panic, log, vsnprintf) are declared here and defined
 * out of line in the platform's .c file. The ones on every allocation and free (irq save and
 * restore, cpu id, in_atomic) are static inline functions in the platform's own header
 * <asm/mm_platform.h>, which this file includes, as Linux's <asm/irqflags.h>: each platform puts
 * its directory first on the include path, so the hosted build compiles them down to nothing
 * and the guest to pushf/cli/sti. The directories:
 *  - hosted build: mm/host/include (Bazel `includes` of //mm/host:mm_host);
 *  - test guest:   guests/kernel/include (-I in guests/build_guest.sh).
 * A platform header may include the platform's own headers; it must compile as C and C++.
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

#ifdef __cplusplus
}
#endif

/*
 * static inline unsigned long platform_irq_save(void);
 * static inline void platform_irq_restore(unsigned long flags);
 * static inline unsigned int platform_cpu_id(void);
 * static inline bool platform_in_atomic(void);
 */
#include <asm/mm_platform.h>

#endif /* GMM_MM_PLATFORM_H */
