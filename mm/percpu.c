// SPDX-License-Identifier: MIT
/*
 * mm/percpu.c - per-CPU units and the dynamic per-CPU allocator (include/linux/percpu.h).
 *
 * State: __per_cpu_offset[] (unit - template, 0 for every CPU until percpu_setup()), the
 * number of units, and the map of the dynamic reserve: PERCPU_DYNAMIC_SIZE bytes at the same
 * offset in every unit, in granules of PCPU_GRANULE bytes; len[g] is the length in granules
 * of the allocation starting at granule g, 0 where none starts, and used[] marks every granule
 * of every allocation.
 *
 * Invariants: percpu_setup() runs once (again only after percpu_teardown(), which hosted tests
 * use); after it, every unit
 * holds a copy of the template followed by the reserve; an allocation's bytes are zeroed on
 * every CPU before it is handed out; len[] and used[] agree (an allocation's granules are
 * exactly the used ones from its start for len granules). The map is changed with this CPU's
 * interrupts off; the guest's secondary CPUs never allocate (guests/arch/x86/smp.c).
 * preempt_count[] is per CPU id: only that CPU changes its own entry.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/percpu.h>

#include <abi/page_state.h>

#include "mm/mm_internal.h"

#define PCPU_GRANULE 16u
#define PCPU_GRANULES (PERCPU_DYNAMIC_SIZE / PCPU_GRANULE)
#define PCPU_PAGE_SIZE 4096u

_Static_assert(NR_CPUS == PAGE_STATE_MAX_CPUS, "one CPU id space for the whole mm core");

unsigned long __per_cpu_offset[NR_CPUS];

static unsigned int nr_units;
static unsigned int unit_order;
static uintptr_t dynamic_base; /* template address of the reserve */
static size_t dynamic_offset;  /* ... and its offset in every unit (units are page-aligned) */
static uint16_t len[PCPU_GRANULES];
static uint64_t used[PCPU_GRANULES / 64];
static unsigned int preempt_counts[NR_CPUS];

unsigned int smp_processor_id(void)
{
	return platform_cpu_id();
}

unsigned int num_possible_cpus(void)
{
	return nr_units ? nr_units : 1;
}

void preempt_disable(void)
{
	preempt_counts[platform_cpu_id()]++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void preempt_enable(void)
{
	unsigned int cpu = platform_cpu_id();

	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (unlikely(preempt_counts[cpu] == 0)) {
		platform_log(MM_LOG_WARN, "preempt_enable: unbalanced on CPU %u\n", cpu);
		return;
	}
	preempt_counts[cpu]--;
}

unsigned int preempt_count(void)
{
	return preempt_counts[platform_cpu_id()];
}

unsigned long percpu_irq_save(void)
{
	return platform_irq_save();
}

void percpu_irq_restore(unsigned long flags)
{
	platform_irq_restore(flags);
}

static unsigned int order_for(size_t bytes)
{
	unsigned int order = 0;

	while (((size_t)PCPU_PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

int percpu_setup(unsigned int nr_cpus, void *template_start, void *template_end)
{
	size_t tsize = (size_t)((uintptr_t)template_end - (uintptr_t)template_start);
	size_t static_size = (tsize + 63) & ~(size_t)63; /* the reserve starts on a cache line */
	unsigned int order = order_for(static_size + PERCPU_DYNAMIC_SIZE);
	uintptr_t units[NR_CPUS];
	unsigned int cpu;

	if (nr_units || nr_cpus == 0 || nr_cpus > NR_CPUS)
		return -EINVAL;
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		units[cpu] = __get_free_pages(GFP_KERNEL | __GFP_ZERO, order);
		if (!units[cpu]) {
			while (cpu--)
				free_pages(units[cpu], order);
			return -ENOMEM;
		}
		mm_memcpy((void *)units[cpu], template_start, tsize);
	}
	for (cpu = 0; cpu < nr_cpus; cpu++)
		__per_cpu_offset[cpu] = units[cpu] - (uintptr_t)template_start;
	dynamic_base = (uintptr_t)template_start + static_size;
	dynamic_offset = static_size;
	unit_order = order;
	nr_units = nr_cpus;
	return 0;
}

void percpu_teardown(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_units; cpu++)
		free_pages((uintptr_t)dynamic_base - dynamic_offset + __per_cpu_offset[cpu],
			   unit_order);
	mm_memset(__per_cpu_offset, 0, sizeof(__per_cpu_offset));
	mm_memset(len, 0, sizeof(len));
	mm_memset(used, 0, sizeof(used));
	nr_units = 0;
	dynamic_base = 0;
	dynamic_offset = 0;
}

static bool granule_used(unsigned int g)
{
	return used[g / 64] & (1ull << (g % 64));
}

static void mark(unsigned int start, unsigned int n, bool on)
{
	unsigned int g;

	for (g = start; g < start + n; g++) {
		if (on)
			used[g / 64] |= 1ull << (g % 64);
		else
			used[g / 64] &= ~(1ull << (g % 64));
	}
}

/*
 * First fit: the lowest granule with @n free granules from it whose address in every unit is
 * a multiple of @step granules; or -1.
 */
static int find_free(unsigned int n, unsigned int step)
{
	unsigned int first = (unsigned int)(dynamic_offset / PCPU_GRANULE);
	unsigned int start, g;

	for (start = (step - first % step) % step; start + n <= PCPU_GRANULES; start += step) {
		for (g = start; g < start + n && !granule_used(g); g++)
			;
		if (g == start + n)
			return (int)start;
	}
	return -1;
}

void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp)
{
	unsigned int n, step, cpu;
	unsigned long flags;
	int start;

	if (!nr_units || size == 0 || size > PERCPU_DYNAMIC_SIZE || align > PCPU_PAGE_SIZE ||
	    (align & (align - 1))) {
		if (!(gfp & __GFP_NOWARN))
			platform_log(MM_LOG_WARN,
				     "percpu: illegal size (%zu) or align (%zu) for percpu allocation%s\n",
				     size, align, nr_units ? "" : " before percpu_setup()");
		return NULL;
	}
	n = (unsigned int)((size + PCPU_GRANULE - 1) / PCPU_GRANULE);
	step = align > PCPU_GRANULE ? (unsigned int)(align / PCPU_GRANULE) : 1;
	flags = platform_irq_save();
	start = find_free(n, step);
	if (start >= 0) {
		mark((unsigned int)start, n, true);
		len[start] = (uint16_t)n;
	}
	platform_irq_restore(flags);
	if (start < 0) {
		if (!(gfp & __GFP_NOWARN))
			platform_log(MM_LOG_WARN,
				     "percpu: allocation failed, size=%zu align=%zu: the %u-byte "
				     "reserve is full\n",
				     size, align, PERCPU_DYNAMIC_SIZE);
		return NULL;
	}
	for (cpu = 0; cpu < nr_units; cpu++)
		mm_memset((void *)(dynamic_base + (size_t)start * PCPU_GRANULE +
				   __per_cpu_offset[cpu]),
			  0, (size_t)n * PCPU_GRANULE);
	return (void *)(dynamic_base + (size_t)start * PCPU_GRANULE);
}

void __percpu *__alloc_percpu(size_t size, size_t align)
{
	return __alloc_percpu_gfp(size, align, GFP_KERNEL);
}

void free_percpu(void __percpu *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	unsigned long flags;
	unsigned int g;

	if (!ptr)
		return;
	g = (unsigned int)((p - dynamic_base) / PCPU_GRANULE);
	flags = platform_irq_save();
	if (!nr_units || p < dynamic_base || (p - dynamic_base) % PCPU_GRANULE ||
	    g >= PCPU_GRANULES || len[g] == 0) {
		platform_irq_restore(flags);
		platform_log(MM_LOG_WARN, "percpu: free_percpu(%p): not an allocation start\n",
			     ptr);
		return;
	}
	mark(g, len[g], false);
	len[g] = 0;
	platform_irq_restore(flags);
}
