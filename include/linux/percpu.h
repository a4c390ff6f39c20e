/* SPDX-License-Identifier: MIT */
/*
 * include/linux/percpu.h - per-CPU variables, with Linux's names and semantics (Linux 6.x).
 *
 * A per-CPU variable exists once per CPU. Static ones are defined with DEFINE_PER_CPU(); the
 * linker gathers them in the section ".data..percpu", which is only a template: percpu_setup()
 * (mm/percpu.c, called once by the kernel) gives every CPU a unit of memory from the page
 * allocator, copies the template into it and records unit - template in __per_cpu_offset[cpu].
 * A per-CPU pointer (&var, or what alloc_percpu() returns) is an address in the template;
 * per_cpu_ptr(p, cpu) adds that CPU's offset. Before percpu_setup() every offset is 0, so the
 * boot CPU works on the template itself, as Linux's boot CPU does.
 *
 * Dynamic per-CPU memory (alloc_percpu) comes from a reserve of PERCPU_DYNAMIC_SIZE bytes in
 * every unit and is zeroed on every CPU, as in Linux. Where Linux adds chunks when the first
 * one is full, gmm has only the one: a request that does not fit fails with a warning.
 *
 * What the classic texts say (../shared/SEED-CLAIMS.md, row 32) holds: get_cpu_var() and
 * get_cpu_ptr() disable preemption until put_cpu_var()/put_cpu_ptr(), so sleeping in between
 * (a GFP_KERNEL allocation) is reported as in atomic context; this_cpu_*() operations are
 * safe against this CPU's interrupt handlers.
 *
 * Hosted builds (tests, libgmm) have one CPU id, 0; percpu_setup() there still makes as many
 * units as asked, so per_cpu_ptr() over every CPU can be tested.
 */
#ifndef GMM_LINUX_PERCPU_H
#define GMM_LINUX_PERCPU_H

#include <stddef.h>
#include <stdint.h>

#include <linux/gfp.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NR_CPUS 8 /* == PAGE_STATE_MAX_CPUS and gmm's VM_MAX_CPUS */
#define PERCPU_DYNAMIC_SIZE (16u << 10) /* alloc_percpu() space in every CPU's unit */

#define __percpu /* Linux's sparse annotation: a pointer into the template */

#define DEFINE_PER_CPU(type, name) __attribute__((section(".data..percpu"))) __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name

extern unsigned long __per_cpu_offset[NR_CPUS];

#define per_cpu_offset(cpu) (__per_cpu_offset[(cpu)])
#define per_cpu_ptr(ptr, cpu) ((__typeof__(ptr))((uintptr_t)(ptr) + per_cpu_offset(cpu)))
#define per_cpu(var, cpu) (*per_cpu_ptr(&(var), (cpu)))
#define raw_cpu_ptr(ptr) per_cpu_ptr(ptr, smp_processor_id())
#define this_cpu_ptr(ptr) raw_cpu_ptr(ptr)

/* This CPU's id; stable while interrupts are off (there is no migration here). */
unsigned int smp_processor_id(void);
/* The CPUs percpu_setup() gave units to (1 before it ran). */
unsigned int num_possible_cpus(void);
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < num_possible_cpus(); (cpu)++)

/* Preemption: a per-CPU count; while it is non-zero, sleeping is reported (in_atomic). */
void preempt_disable(void);
void preempt_enable(void);
unsigned int preempt_count(void);

#define get_cpu_var(var) (*({ preempt_disable(); this_cpu_ptr(&(var)); }))
#define put_cpu_var(var) do { (void)&(var); preempt_enable(); } while (0)
#define get_cpu_ptr(ptr) ({ preempt_disable(); this_cpu_ptr(ptr); })
#define put_cpu_ptr(ptr) do { (void)(ptr); preempt_enable(); } while (0)

/* this_cpu_*(): one operation on this CPU's copy, safe against its interrupt handlers. */
unsigned long percpu_irq_save(void);
void percpu_irq_restore(unsigned long flags);
#define this_cpu_read(var) ({ \
	unsigned long __f = percpu_irq_save(); \
	__typeof__(var) __v = *this_cpu_ptr(&(var)); \
	percpu_irq_restore(__f); \
	__v; })
#define this_cpu_write(var, val) do { \
	unsigned long __f = percpu_irq_save(); \
	*this_cpu_ptr(&(var)) = (val); \
	percpu_irq_restore(__f); } while (0)
#define this_cpu_add(var, val) do { \
	unsigned long __f = percpu_irq_save(); \
	*this_cpu_ptr(&(var)) += (val); \
	percpu_irq_restore(__f); } while (0)
#define this_cpu_inc(var) this_cpu_add(var, 1)
#define this_cpu_dec(var) this_cpu_add(var, -1)

/*
 * Dynamic per-CPU memory: @size bytes aligned to @align (a power of two up to PAGE_SIZE) on
 * every CPU, zeroed. NULL (with a warning unless __GFP_NOWARN) if @size is 0, larger than the
 * reserve, or no longer fits. Never sleeps, so any @gfp is accepted.
 */
void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp);
void __percpu *__alloc_percpu(size_t size, size_t align);
#define alloc_percpu_gfp(type, gfp) \
	((__typeof__(type) __percpu *)__alloc_percpu_gfp(sizeof(type), __alignof__(type), gfp))
#define alloc_percpu(type) \
	((__typeof__(type) __percpu *)__alloc_percpu(sizeof(type), __alignof__(type)))
/* NULL is ignored; anything but a start returned by __alloc_percpu*() is reported. */
void free_percpu(void __percpu *ptr);

/*
 * percpu_setup - give @nr_cpus CPUs their units (the kernel calls it once, after the page
 * allocator is up)
 * @template_start, @template_end: the static per-CPU template (the ".data..percpu" section)
 * Return: 0; -EINVAL if @nr_cpus is 0 or above NR_CPUS or it ran before; -ENOMEM.
 */
int percpu_setup(unsigned int nr_cpus, void *template_start, void *template_end);
/* gmm's, for hosted tests: give the units back and forget every allocation (not in Linux). */
void percpu_teardown(void);

#ifdef __cplusplus
}
#endif

#endif /* GMM_LINUX_PERCPU_H */
