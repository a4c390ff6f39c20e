/* SPDX-License-Identifier: MIT */
/*
 * guests/kernel/include/asm/mm_platform.h - the inline half of mm/platform.h for the guest.
 *
 * irq save/restore are pushf/cli and a conditional sti; the CPU id comes from the per-CPU unit
 * %gs points at. Only the boot CPU allocates: the others run just what on_each_cpu() sends them
 * (guests/arch/x86/smp.h). "Atomic" means what Linux's might_sleep() checks: in an interrupt
 * handler, preemption disabled (get_cpu_var()), or interrupts disabled by the caller - not by
 * the core's own irq_save sections: the CPU's core_irqs_off counts the sections that found
 * interrupts on and turned them off, and while it is non-zero "interrupts off" is the core's
 * doing. The out-of-line half is guests/kernel/mm_platform.c.
 *
 * Both per-CPU words live in struct guest_cpu_header, the first bytes of every per-CPU unit
 * (guests/arch/x86/smp.c places it first), so they are one %gs-relative instruction each.
 */
#ifndef GMM_GUESTS_KERNEL_ASM_MM_PLATFORM_H
#define GMM_GUESTS_KERNEL_ASM_MM_PLATFORM_H

#include <stdbool.h>

#include "guests/arch/x86/processor.h"
#include "guests/arch/x86/traps.h"

#include <stddef.h>

struct guest_cpu_header {
	unsigned int cpu_number;    /* smp_processor_id() */
	unsigned int core_irqs_off; /* the core's irq_save sections that turned interrupts off */
};

#define GUEST_CPU_HEADER_WORD(field) offsetof(struct guest_cpu_header, field)

static inline unsigned long platform_irq_save(void)
{
	unsigned long flags = native_save_fl();

	local_irq_disable();
	if (flags & X86_EFLAGS_IF)
		__asm__ volatile("incl %%gs:%c0" : : "i"(GUEST_CPU_HEADER_WORD(core_irqs_off))
				 : "memory");
	return flags;
}

static inline void platform_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF) {
		__asm__ volatile("decl %%gs:%c0" : : "i"(GUEST_CPU_HEADER_WORD(core_irqs_off))
				 : "memory");
		local_irq_enable();
	}
}

/* mm/percpu.c: preempt_disable() depth of this CPU (<linux/percpu.h>) */
unsigned int preempt_count(void);

/*
 * The CPU id is the first word of this CPU's per-CPU unit, which %gs points at
 * (guests/arch/x86/smp.c; the boot CPU's %gs points at the template from its first
 * instruction, so this works before the units exist).
 */
static inline unsigned int platform_cpu_id(void)
{
	unsigned int id;

	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(id) : "i"(GUEST_CPU_HEADER_WORD(cpu_number)));
	return id;
}

static inline bool platform_in_atomic(void)
{
	unsigned int core_off;

	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(core_off)
			 : "i"(GUEST_CPU_HEADER_WORD(core_irqs_off)));
	return in_interrupt() || preempt_count() != 0 ||
	       (!(native_save_fl() & X86_EFLAGS_IF) && core_off == 0);
}

#endif /* GMM_GUESTS_KERNEL_ASM_MM_PLATFORM_H */
