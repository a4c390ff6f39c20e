/* SPDX-License-Identifier: MIT */
/*
 * guests/arch/x86/smp.h - secondary CPUs, per-CPU units and cross-CPU function calls.
 *
 * gmm starts every vCPU at the ELF entry (guests/arch/x86/head.S); the secondaries wait in
 * secondary_main() until the boot CPU has run smp_boot(): per-CPU units for every CPU
 * (percpu_setup(), include/linux/percpu.h), %gs of each CPU on its own unit, the IDT and the
 * local APIC. Then each secondary comes online and halts with interrupts on; the boot CPU
 * sends it work with smp_call_function_single() or on_each_cpu(): the function runs in the
 * handler of an IPI (CALL_FUNCTION_SINGLE_VECTOR), in interrupt context, as in Linux.
 *
 * Rule: the mm core's locks only keep out this CPU's interrupts, so only the boot CPU may
 * allocate or free; what runs on the others touches per-CPU data and its arguments.
 */
#ifndef GMM_GUESTS_ARCH_X86_SMP_H
#define GMM_GUESTS_ARCH_X86_SMP_H

#include <stdbool.h>

#include <abi/bootinfo.h>

#define CALL_FUNCTION_SINGLE_VECTOR 0xfb /* Linux's number */

typedef void (*smp_call_func_t)(void *info);

/*
 * smp_boot - on the boot CPU, once the page allocator and the local APIC are up: make a per-CPU
 * unit for each of the boot info's CPUs and bring the secondaries online.
 * Return: the number of CPUs online (1 where the boot info says 1: QEMU's PVH path).
 */
unsigned int smp_boot(const struct bootinfo *bi);

unsigned int num_online_cpus(void);
bool cpu_online(unsigned int cpu);

/*
 * smp_call_function_single - run @func(@info) on @cpu (with interrupts off); with @wait, return
 * when it has run. Return: 0, or -ENXIO if @cpu is not online.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, int wait);
/* on_each_cpu - run @func(@info) on every online CPU, this one included; @wait as above. */
void on_each_cpu(smp_call_func_t func, void *info, int wait);

#endif /* GMM_GUESTS_ARCH_X86_SMP_H */
