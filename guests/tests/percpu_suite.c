// SPDX-License-Identifier: MIT
/*
 * guests/tests/percpu_suite.c - KTAP suite "percpu": per-CPU variables on real vCPUs
 * (SEED-CLAIMS row 32): DEFINE_PER_CPU, per_cpu, this_cpu_*, get_cpu_var/put_cpu_var,
 * alloc_percpu/per_cpu_ptr/free_percpu.
 *
 * Each vCPU writes its own copy in the handler of an IPI the boot CPU sends it (on_each_cpu,
 * guests/arch/x86/smp.h), and the boot CPU then reads every copy with per_cpu(). With one CPU
 * online (QEMU's PVH path, or gmm without --cpus) the cases still run on that one CPU; the
 * cases that need a second CPU say SKIP with the reason. The functions that run on the other
 * CPUs only touch per-CPU data (smp.h's rule).
 */
#include <linux/errno.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "guests/arch/x86/apic.h"
#include "guests/arch/x86/smp.h"
#include "guests/arch/x86/traps.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/suites.h"

#define ONE_CPU_REASON "one CPU online: boot with gmm run --cpus 2 or more"

struct cpu_record {
	unsigned int cpu;
	uint32_t apic_id;
	bool in_irq;
	unsigned long stamp;
};

static DEFINE_PER_CPU(unsigned long, pcpu_word);
static DEFINE_PER_CPU(unsigned long, pcpu_counter);
static DEFINE_PER_CPU(struct cpu_record, pcpu_record);

static void stamp_word(void *info)
{
	this_cpu_write(pcpu_word, (unsigned long)info * (smp_processor_id() + 1));
}

void each_cpu_has_its_own_copy(struct ktap_test *t)
{
	unsigned int cpu, other;

	on_each_cpu(stamp_word, (void *)1000ul, 1);
	for_each_possible_cpu(cpu) {
		if (!cpu_online(cpu))
			continue;
		KTAP_EXPECT_MSG(t, per_cpu(pcpu_word, cpu) == 1000ul * (cpu + 1),
				"CPU %u's copy is %lu", cpu, per_cpu(pcpu_word, cpu));
		for (other = 0; other < cpu; other++)
			KTAP_EXPECT(t, per_cpu_ptr(&pcpu_word, cpu) != per_cpu_ptr(&pcpu_word, other));
	}
	KTAP_EXPECT_MSG(t, this_cpu_read(pcpu_word) == 1000ul * (smp_processor_id() + 1),
			"this_cpu_read() on CPU %u", smp_processor_id());
	ktap_diag(t, "%u CPU(s) wrote their own copy", num_online_cpus());
}

static void count_up(void *info)
{
	unsigned long i, n = (unsigned long)info * (smp_processor_id() + 1);

	this_cpu_write(pcpu_counter, 0);
	for (i = 0; i < n; i++)
		this_cpu_inc(pcpu_counter);
	this_cpu_add(pcpu_counter, 5);
	this_cpu_dec(pcpu_counter);
}

static void this_cpu_operations_count_per_cpu(struct ktap_test *t)
{
	unsigned int cpu;

	on_each_cpu(count_up, (void *)10ul, 1);
	for_each_possible_cpu(cpu)
		if (cpu_online(cpu))
			KTAP_EXPECT_MSG(t, per_cpu(pcpu_counter, cpu) == 10ul * (cpu + 1) + 4,
					"CPU %u counted %lu", cpu, per_cpu(pcpu_counter, cpu));
}

static void record_self(void *info)
{
	struct cpu_record *r = this_cpu_ptr(&pcpu_record);

	r->cpu = smp_processor_id();
	r->apic_id = apic_id();
	r->in_irq = in_interrupt();
	r->stamp = (unsigned long)info;
}

static void every_vcpu_runs_with_its_own_number(struct ktap_test *t)
{
	unsigned int cpu, other, n = num_online_cpus();

	if (n < 2) {
		ktap_skip(t, ONE_CPU_REASON);
		return;
	}
	on_each_cpu(record_self, (void *)7ul, 1);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct cpu_record *r = per_cpu_ptr(&pcpu_record, cpu);

		if (!cpu_online(cpu))
			continue;
		KTAP_EXPECT_MSG(t, r->stamp == 7 && r->cpu == cpu, "CPU %u recorded cpu %u", cpu,
				r->cpu);
		/* the boot CPU runs its share directly; the others in the IPI's handler */
		KTAP_EXPECT_MSG(t, r->in_irq == (cpu != smp_processor_id()),
				"CPU %u: in_interrupt() %d", cpu, r->in_irq);
		for (other = 0; other < cpu; other++)
			if (cpu_online(other))
				KTAP_EXPECT_MSG(t, per_cpu(pcpu_record, other).apic_id != r->apic_id,
						"CPUs %u and %u share APIC ID %u", other, cpu,
						r->apic_id);
	}
	ktap_diag(t, "%u vCPUs, each with its own APIC ID and CPU number", n);
}

static void call_single_reaches_only_that_cpu(struct ktap_test *t)
{
	unsigned int cpu, target = num_online_cpus() - 1;

	if (num_online_cpus() < 2) {
		ktap_skip(t, ONE_CPU_REASON);
		return;
	}
	on_each_cpu(stamp_word, (void *)1ul, 1);
	KTAP_EXPECT(t, smp_call_function_single(target, stamp_word, (void *)50ul, 1) == 0);
	for_each_possible_cpu(cpu)
		if (cpu_online(cpu))
			KTAP_EXPECT_MSG(t, per_cpu(pcpu_word, cpu) ==
						   (cpu == target ? 50ul : 1ul) * (cpu + 1),
					"CPU %u: %lu", cpu, per_cpu(pcpu_word, cpu));
	KTAP_EXPECT(t, smp_call_function_single(NR_CPUS, stamp_word, NULL, 1) == -ENXIO);
}

struct block {
	uint64_t w[8];
};

static struct block __percpu *shared_block;

static void fill_block(void *info)
{
	struct block *b = this_cpu_ptr(shared_block);
	unsigned int i;

	for (i = 0; i < 8; i++)
		b->w[i] = (uint64_t)(uintptr_t)info + smp_processor_id();
}

static bool block_is_zero(const struct block *b)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (b->w[i])
			return false;
	return true;
}

void alloc_percpu_is_zeroed_and_per_cpu(struct ktap_test *t)
{
	struct block __percpu *again;
	unsigned int cpu;

	shared_block = alloc_percpu(struct block);
	KTAP_ASSERT(t, shared_block != NULL);
	for_each_possible_cpu(cpu)
		KTAP_EXPECT_MSG(t, block_is_zero(per_cpu_ptr(shared_block, cpu)),
				"CPU %u's copy is not zeroed", cpu);
	on_each_cpu(fill_block, (void *)0x100, 1);
	for_each_possible_cpu(cpu)
		if (cpu_online(cpu))
			KTAP_EXPECT_MSG(t, per_cpu_ptr(shared_block, cpu)->w[7] == 0x100u + cpu,
					"CPU %u's copy holds %#llx", cpu,
					(unsigned long long)per_cpu_ptr(shared_block, cpu)->w[7]);
	free_percpu(shared_block);
	/* the same space again, with the old contents wiped on every CPU */
	again = alloc_percpu(struct block);
	KTAP_ASSERT(t, again != NULL);
	KTAP_EXPECT(t, again == shared_block);
	for_each_possible_cpu(cpu)
		KTAP_EXPECT_MSG(t, block_is_zero(per_cpu_ptr(again, cpu)),
				"CPU %u's reused copy is not zeroed", cpu);
	free_percpu(again);
	shared_block = NULL;
}

static void alloc_percpu_honours_alignment(struct ktap_test *t)
{
	static const size_t aligns[] = { 8, 16, 64, 256, 4096 };
	void __percpu *pad = __alloc_percpu(24, 8); /* so the first fit is not aligned anyway */
	unsigned int i, cpu;

	KTAP_ASSERT(t, pad != NULL);
	for (i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		void __percpu *p = __alloc_percpu(40, aligns[i]);

		KTAP_EXPECT_MSG(t, p != NULL, "align %zu", aligns[i]);
		if (!p)
			continue;
		for_each_possible_cpu(cpu)
			KTAP_EXPECT_MSG(t, (uintptr_t)per_cpu_ptr(p, cpu) % aligns[i] == 0,
					"align %zu on CPU %u: %p", aligns[i], cpu,
					per_cpu_ptr(p, cpu));
		free_percpu(p);
	}
	free_percpu(pad);
}

static void alloc_percpu_fails_when_the_reserve_is_full(struct ktap_test *t)
{
	void __percpu *got[PERCPU_DYNAMIC_SIZE / 1024 + 1];
	unsigned int n = 0, i;
	void __percpu *p;

	while (n < sizeof(got) / sizeof(got[0]) &&
	       (got[n] = __alloc_percpu_gfp(1024, 16, GFP_KERNEL | __GFP_NOWARN)))
		n++;
	KTAP_EXPECT_MSG(t, n >= 1 && n <= PERCPU_DYNAMIC_SIZE / 1024, "%u KiB allocated", n);
	ktap_expect_report(t, "percpu: allocation failed");
	printk_capture_start();
	p = __alloc_percpu(1024, 16);
	printk_capture_stop();
	KTAP_EXPECT(t, p == NULL);
	KTAP_EXPECT(t, strstr(printk_capture_text(), "percpu: allocation failed") != NULL);
	ktap_expect_report(t, "percpu: illegal size");
	printk_capture_start();
	KTAP_EXPECT(t, __alloc_percpu(0, 8) == NULL);
	KTAP_EXPECT(t, __alloc_percpu(8, 3) == NULL);
	printk_capture_stop();
	KTAP_EXPECT(t, strstr(printk_capture_text(), "percpu: illegal size") != NULL);
	for (i = 0; i < n; i++)
		free_percpu(got[i]);
	p = __alloc_percpu(1024, 16);
	KTAP_EXPECT_MSG(t, p != NULL, "the reserve is usable again after free_percpu()");
	free_percpu(p);
}

void get_cpu_var_disables_preemption(struct ktap_test *t)
{
	unsigned long *w;
	void *obj;

	KTAP_EXPECT(t, preempt_count() == 0);
	w = &get_cpu_var(pcpu_word);
	KTAP_EXPECT(t, w == this_cpu_ptr(&pcpu_word));
	KTAP_EXPECT(t, preempt_count() == 1);
	ktap_expect_report(t, "BUG: sleeping allocation in atomic context");
	printk_capture_start();
	obj = kmalloc(64, GFP_KERNEL);
	printk_capture_stop();
	KTAP_EXPECT_MSG(t, strstr(printk_capture_text(), "sleeping allocation") != NULL,
			"GFP_KERNEL between get_cpu_var() and put_cpu_var() was not reported");
	kfree(obj);
	put_cpu_var(pcpu_word);
	KTAP_EXPECT(t, preempt_count() == 0);
	printk_capture_start();
	obj = kmalloc(64, GFP_KERNEL);
	printk_capture_stop();
	KTAP_EXPECT(t, strstr(printk_capture_text(), "sleeping allocation") == NULL);
	kfree(obj);
}

static const struct ktap_case percpu_cases[] = {
	KTAP_CASE(each_cpu_has_its_own_copy),
	KTAP_CASE(this_cpu_operations_count_per_cpu),
	KTAP_CASE(every_vcpu_runs_with_its_own_number),
	KTAP_CASE(call_single_reaches_only_that_cpu),
	KTAP_CASE(alloc_percpu_is_zeroed_and_per_cpu),
	KTAP_CASE(alloc_percpu_honours_alignment),
	KTAP_CASE(alloc_percpu_fails_when_the_reserve_is_full),
	KTAP_CASE(get_cpu_var_disables_preemption),
};

KTAP_SUITE_DEFINE(percpu, percpu_cases);
