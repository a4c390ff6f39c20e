/* SPDX-License-Identifier: MIT */
/*
 * mm/host/include/asm/mm_platform.h - the inline half of mm/platform.h for a Linux process.
 *
 * The hosted platform is one CPU and has no interrupts: irq save/restore do nothing, the CPU id
 * is 0, and "atomic" is what a test simulated with mm_host_set_atomic(), or preemption disabled
 (get_cpu_var() and friends, <linux/percpu.h>). Everything here
 * compiles away in the allocators' fast paths.
 */
#ifndef GMM_MM_HOST_ASM_MM_PLATFORM_H
#define GMM_MM_HOST_ASM_MM_PLATFORM_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Set by mm_host_set_atomic() (mm/host/platform_host.c); read by platform_in_atomic(). */
extern bool mm_host_atomic;
/* mm/percpu.c: preempt_disable() depth of this CPU (<linux/percpu.h>) */
unsigned int preempt_count(void);

static inline unsigned long platform_irq_save(void)
{
	return 0;
}

static inline void platform_irq_restore(unsigned long flags)
{
	(void)flags;
}

static inline unsigned int platform_cpu_id(void)
{
	return 0;
}

static inline bool platform_in_atomic(void)
{
	return mm_host_atomic || preempt_count() != 0;
}

#ifdef __cplusplus
}
#endif

#endif /* GMM_MM_HOST_ASM_MM_PLATFORM_H */
