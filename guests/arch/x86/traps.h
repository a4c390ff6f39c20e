/* SPDX-License-Identifier: MIT */
/*
 * guests/arch/x86/traps.h - the IDT, interrupt context, and interrupt handlers.
 *
 * Exceptions (vectors 0-31) print vector, error code, RIP, CR2 and a frame-pointer backtrace
 * and end the run with GUEST_VERDICT_PANIC, unless a test armed x86_expect_fault() for that
 * vector: then the faulting instruction is skipped by resuming at the given address and the
 * fault is counted. Vectors 32-255 call the handler registered with x86_set_irq_handler(),
 * with in_interrupt() true; unregistered ones are counted as spurious.
 */
#ifndef GMM_GUESTS_ARCH_X86_TRAPS_H
#define GMM_GUESTS_ARCH_X86_TRAPS_H

#include <stdbool.h>
#include <stdint.h>

struct pt_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

typedef void (*irq_handler_t)(struct pt_regs *regs, void *data);

void x86_idt_init(void);
/* Load the IDT x86_idt_init() filled on this CPU (the secondaries share it). */
void x86_idt_load(void);
void x86_set_irq_handler(unsigned int vector, irq_handler_t fn, void *data);

/* The next exception @vector resumes at @resume_rip instead of ending the run. */
void x86_expect_fault(unsigned int vector, uint64_t resume_rip);
/* How many expected faults happened since the last call; the last CR2 in @cr2. */
unsigned int x86_take_faults(uint64_t *cr2);

/* Interrupt context, as Linux names it */
bool in_interrupt(void);
bool irqs_disabled(void);

#endif /* GMM_GUESTS_ARCH_X86_TRAPS_H */
