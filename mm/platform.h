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
 *  - platform_in_atomic() is true in interrupt context, with interrupts disabled by the
 *    caller (not by the core's own irq_save sections), and with preemption disabled
 *    (preempt_count() of mm/percpu.c non-zero: get_cpu_var() and friends).
 *
 * The vmalloc view (mm/vmalloc.c). vmalloc manages offsets into the vmalloc area; the page
 * tables map them at guest-virtual VMALLOC_START + offset, and callers get pointers at
 * view + offset, where view is what platform_vmalloc_view() returns:
 *  - platform_vmalloc_view() returns the base of the area in this address space and its
 *    size; the same values every call. Guest: VMALLOC_START and VMALLOC_SIZE_MAX, the page
 *    tables are the mapping. Host: a reserved PROT_NONE window of the process.
 *  - platform_vmap_view(addr, phys, size, uncached) makes [addr, addr + size) of the view show
 *    the physical range [phys, phys + size); called after the page tables were written.
 *    Guest: nothing to do. Host: mmap of the memfd pages (MAP_FIXED into the window).
 *    Returns 0 or a negative errno.
 *  - platform_vunmap_view(addr, size) takes them away again (guest: nothing; host: PROT_NONE).
 *  - platform_flush_tlb_kernel_range(start, end) flushes guest-virtual [start, end) from the
 *    TLBs of all CPUs (guest: invlpg or a CR3 reload; host: counted only).
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

void *platform_vmalloc_view(uint64_t *size);
int platform_vmap_view(void *addr, uint64_t phys, size_t size, bool uncached);
void platform_vunmap_view(void *addr, size_t size);
void platform_flush_tlb_kernel_range(uint64_t start, uint64_t end);

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
