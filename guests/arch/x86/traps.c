// SPDX-License-Identifier: MIT
/*
 * guests/arch/x86/traps.c - IDT setup and the C side of every interrupt and exception.
 *
 * State: the IDT (256 gates to the stubs of entry.S), a handler table for vectors 32-255, an
 * interrupt nesting count per CPU (in_interrupt()), and one armed "expected fault" for tests
 * (the boot CPU's: the other CPUs only run what smp.c sends them).
 */
#include "guests/arch/x86/traps.h"

#include <linux/percpu.h>

#include <abi/guest_layout.h>

#include "guests/arch/x86/apic.h"
#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"

struct idt_gate {
	uint16_t off0;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off1;
	uint32_t off2;
	uint32_t zero;
} __attribute__((packed));

extern const uint64_t isr_table[256];
extern char _text[], _etext[];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct {
	irq_handler_t fn;
	void *data;
} irq_handlers[256];
static DEFINE_PER_CPU(unsigned int, irq_depth); /* interrupt nesting of this CPU */
static unsigned long spurious;
static int expected_vector = -1;
static uint64_t expected_resume;
static unsigned int expected_hits;
static uint64_t expected_cr2;

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP", "alignment check", "machine check", "SIMD FP",
	"virtualization", "control protection",
};

void x86_idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" : : "m"(desc));
}

void x86_idt_init(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++) {
		uint64_t a = isr_table[v];

		idt[v].off0 = (uint16_t)a;
		idt[v].sel = 0x08;
		idt[v].ist = 0;
		idt[v].type = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
		idt[v].off1 = (uint16_t)(a >> 16);
		idt[v].off2 = (uint32_t)(a >> 32);
		idt[v].zero = 0;
	}
	x86_idt_load();
}

void x86_set_irq_handler(unsigned int vector, irq_handler_t fn, void *data)
{
	if (vector < 32 || vector > 255)
		panic("x86_set_irq_handler: vector %u is not an interrupt vector", vector);
	irq_handlers[vector].fn = fn;
	irq_handlers[vector].data = data;
}

void x86_expect_fault(unsigned int vector, uint64_t resume_rip)
{
	expected_vector = (int)vector;
	expected_resume = resume_rip;
}

unsigned int x86_take_faults(uint64_t *cr2)
{
	unsigned int n = expected_hits;

	if (cr2)
		*cr2 = expected_cr2;
	expected_hits = 0;
	expected_vector = -1;
	return n;
}

bool in_interrupt(void)
{
	return *raw_cpu_ptr(&irq_depth) != 0;
}

bool irqs_disabled(void)
{
	return !(native_save_fl() & X86_EFLAGS_IF);
}

static bool kernel_text(uint64_t a)
{
	return a >= (uint64_t)_text && a < (uint64_t)_etext;
}

static void backtrace(uint64_t rbp)
{
	unsigned int depth;

	printk("Call Trace:\n");
	for (depth = 0; depth < 16 && rbp >= __START_KERNEL_map && !(rbp & 7); depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;

		if (!kernel_text(frame[1]))
			break;
		printk(" [<%016llx>]\n", (unsigned long long)frame[1]);
		rbp = frame[0];
	}
}

static void die(struct pt_regs *regs)
{
	unsigned int v = (unsigned int)regs->vector;

	printk("\nEXCEPTION: vector %u (%s), error code %#llx\n"
	       "RIP: %#018llx CR2: %#018llx RSP: %#018llx RFLAGS: %#llx\n"
	       "RAX: %#llx RBX: %#llx RCX: %#llx RDX: %#llx RSI: %#llx RDI: %#llx\n",
	       v, v < 32 && exception_names[v] ? exception_names[v] : "reserved",
	       (unsigned long long)regs->error_code, (unsigned long long)regs->rip,
	       (unsigned long long)read_cr2(), (unsigned long long)regs->rsp,
	       (unsigned long long)regs->rflags, (unsigned long long)regs->rax,
	       (unsigned long long)regs->rbx, (unsigned long long)regs->rcx,
	       (unsigned long long)regs->rdx, (unsigned long long)regs->rsi,
	       (unsigned long long)regs->rdi);
	if (kernel_text(regs->rip))
		printk(" [<%016llx>] (faulting instruction)\n", (unsigned long long)regs->rip);
	backtrace(regs->rbp);
	printk("Bail out! unexpected exception %u\n", v);
	guest_exit(GUEST_VERDICT_PANIC);
}

void x86_handle_trap(struct pt_regs *regs);
void x86_handle_trap(struct pt_regs *regs)
{
	unsigned int v = (unsigned int)regs->vector;
	unsigned int *depth;

	if (v < 32) {
		if ((int)v == expected_vector) {
			expected_hits++;
			expected_cr2 = read_cr2();
			expected_vector = -1;
			regs->rip = expected_resume;
			return;
		}
		die(regs);
	}
	if (v == APIC_SPURIOUS_VECTOR) { /* no EOI for the spurious vector */
		spurious++;
		return;
	}
	depth = raw_cpu_ptr(&irq_depth);
	(*depth)++;
	if (irq_handlers[v].fn)
		irq_handlers[v].fn(regs, irq_handlers[v].data);
	else
		spurious++;
	(*depth)--;
	apic_eoi();
}
