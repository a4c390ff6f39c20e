// SPDX-License-Identifier: MIT
/*
 * guests/arch/x86/smp.c - see smp.h.
 *
 * State: the CPU header (first in the per-CPU template, so at %gs:0 on every CPU: the CPU's
 * number, which platform_cpu_id() reads, and the mm platform's irq-section count), the release word the secondaries wait on, the mask
 * of online CPUs, each CPU's APIC ID, and one call mailbox per CPU.
 *
 * Invariants: a CPU's %gs points at its own unit before it enables interrupts or runs any
 * per-CPU code (the boot CPU's points at the template until smp_boot() moves it to unit 0;
 * percpu_setup() copied the template first). A mailbox is written by the boot CPU only while
 * its `pending` is 0 and read by its CPU only while it is 1; the release/acquire pair on
 * `pending` orders the function and argument with it.
 */
#include "guests/arch/x86/smp.h"

#include <linux/errno.h>
#include <linux/percpu.h>

#include "guests/arch/x86/apic.h"
#include "guests/arch/x86/processor.h"
#include "guests/arch/x86/traps.h"
#include "guests/kernel/kernel.h"

#include <asm/mm_platform.h>

/* first in the template, so at %gs:0 (struct guest_cpu_header: <asm/mm_platform.h>) */
static struct guest_cpu_header cpu_header
	__attribute__((section(".data..percpu..first"), used));

extern char __per_cpu_start[], __per_cpu_end[];

static unsigned int release;	 /* set once the units, the IDT and the APIC are ready */
static unsigned int online_mask; /* bit n: CPU n is online */
static uint32_t apicid[NR_CPUS];
static uint64_t tsc_khz;
static struct {
	smp_call_func_t func;
	void *info;
	unsigned int pending;
} mailbox[NR_CPUS];

static void set_gs_base(unsigned int cpu)
{
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)__per_cpu_start + __per_cpu_offset[cpu]);
}

/* Spin until *@word == @want; false after @ms milliseconds (by the TSC, if its rate is known). */
static bool spin_until(const unsigned int *word, unsigned int want, unsigned int ms)
{
	uint64_t start = rdtsc_ordered(), limit = tsc_khz ? tsc_khz * ms : 0;
	unsigned long spins = 0;

	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) != want) {
		cpu_relax();
		if (limit ? rdtsc_ordered() - start > limit : ++spins > 1000000ul * ms)
			return false;
	}
	return true;
}

static void call_function_interrupt(struct pt_regs *regs, void *data)
{
	unsigned int cpu = smp_processor_id();
	smp_call_func_t func;
	void *info;

	(void)regs;
	(void)data;
	if (!__atomic_load_n(&mailbox[cpu].pending, __ATOMIC_ACQUIRE))
		return; /* a stray IPI on this vector: nothing was sent */
	func = mailbox[cpu].func;
	info = mailbox[cpu].info;
	func(info);
	__atomic_store_n(&mailbox[cpu].pending, 0, __ATOMIC_RELEASE);
}

void secondary_main(unsigned int cpu);
void secondary_main(unsigned int cpu)
{
	if (cpu >= NR_CPUS)
		for (;;)
			halt(); /* gmm has at most NR_CPUS vCPUs; interrupts are off */
	while (!__atomic_load_n(&release, __ATOMIC_ACQUIRE))
		cpu_relax();
	if (cpu >= num_possible_cpus())
		for (;;)
			halt(); /* started, but not in the boot info's CPU count: no unit of its own */
	x86_idt_load();
	set_gs_base(cpu);
	apic_enable_this_cpu();
	apicid[cpu] = apic_id();
	__atomic_or_fetch(&online_mask, 1u << cpu, __ATOMIC_RELEASE);
	local_irq_enable();
	for (;;)
		halt(); /* woken by the IPIs of smp_call_function_single() */
}

unsigned int smp_boot(const struct bootinfo *bi)
{
	unsigned int n = bi->nr_cpus, cpu, all;

	if (n == 0 || n > NR_CPUS)
		panic("smp: the boot info says %u CPUs; this kernel takes 1 to %u", n, NR_CPUS);
	if (percpu_setup(n, __per_cpu_start, __per_cpu_end))
		panic("percpu: cannot make units for %u CPUs", n);
	for (cpu = 0; cpu < n; cpu++)
		per_cpu(cpu_header, cpu).cpu_number = cpu;
	set_gs_base(0);
	tsc_khz = bi->tsc_khz;
	apicid[0] = apic_id();
	online_mask = 1;
	x86_set_irq_handler(CALL_FUNCTION_SINGLE_VECTOR, call_function_interrupt, NULL);
	__atomic_store_n(&release, 1, __ATOMIC_RELEASE);
	all = (1u << n) - 1;
	if (!spin_until(&online_mask, all, 2000))
		printk("smp: only CPUs %#x of %u came online within 2 s\n", online_mask, n);
	printk("percpu: %u unit(s): the %lu-byte template and %u KiB for alloc_percpu each\n", n,
	       (unsigned long)(__per_cpu_end - __per_cpu_start), PERCPU_DYNAMIC_SIZE >> 10);
	printk("smp: %u CPU(s) online\n", num_online_cpus());
	return num_online_cpus();
}

unsigned int num_online_cpus(void)
{
	unsigned int mask = __atomic_load_n(&online_mask, __ATOMIC_ACQUIRE), n = 0;

	for (; mask; mask &= mask - 1) /* no libgcc here for __builtin_popcount */
		n++;
	return n;
}

bool cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS && (__atomic_load_n(&online_mask, __ATOMIC_ACQUIRE) & (1u << cpu));
}

static void wait_done(unsigned int cpu)
{
	if (!spin_until(&mailbox[cpu].pending, 0, 2000))
		panic("smp: CPU %u did not run the function sent to it within 2 s", cpu);
}

static void send(unsigned int cpu, smp_call_func_t func, void *info)
{
	wait_done(cpu); /* an earlier call without wait may still run */
	mailbox[cpu].func = func;
	mailbox[cpu].info = info;
	__atomic_store_n(&mailbox[cpu].pending, 1, __ATOMIC_RELEASE);
	apic_send_ipi(apicid[cpu], CALL_FUNCTION_SINGLE_VECTOR);
}

static void run_here(smp_call_func_t func, void *info)
{
	unsigned long flags = native_save_fl();

	local_irq_disable();
	func(info);
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, int wait)
{
	if (!cpu_online(cpu))
		return -ENXIO;
	if (cpu == smp_processor_id()) {
		run_here(func, info);
		return 0;
	}
	send(cpu, func, info);
	if (wait)
		wait_done(cpu);
	return 0;
}

void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	unsigned int self = smp_processor_id(), cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu != self && cpu_online(cpu))
			send(cpu, func, info);
	run_here(func, info);
	if (wait)
		for (cpu = 0; cpu < NR_CPUS; cpu++)
			if (cpu != self && cpu_online(cpu))
				wait_done(cpu);
}
