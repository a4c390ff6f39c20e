// SPDX-License-Identifier: MIT
// tests/mm/percpu_test.cc - mm/percpu.c hosted: units for several CPUs from the page allocator,
// the template copied into each, alloc_percpu zeroed on every CPU and aligned in every unit,
// the reserve running full, bad frees and bad sizes reported, get_cpu_var() making sleeping
// allocations atomic. The guest suite "percpu" runs the same API on real vCPUs.
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <set>
#include <vector>

#include "tests/mm/slab_fixture.h"

extern "C" {
#include <linux/percpu.h>
}

namespace {

constexpr unsigned kCpus = 4;

// A stand-in for the ".data..percpu" template: a page-aligned buffer with a known pattern.
alignas(4096) unsigned char g_template[200];
unsigned char *T() { return g_template; } // the per-CPU pointer (the macros take pointers)

class PercpuTest : public SlabTest {
      protected:
	void SetUp() override
	{
		SlabTest::SetUp();
		for (size_t i = 0; i < sizeof(g_template); i++)
			g_template[i] = (unsigned char)(i * 7 + 1);
		ASSERT_EQ(percpu_setup(kCpus, g_template, g_template + sizeof(g_template)), 0);
	}

	void TearDown() override
	{
		percpu_teardown();
		SlabTest::TearDown();
	}
};

TEST_F(PercpuTest, EveryCpuGetsItsOwnCopyOfTheTemplate)
{
	EXPECT_EQ(num_possible_cpus(), kCpus);
	std::set<uintptr_t> seen;
	for (unsigned cpu = 0; cpu < kCpus; cpu++) {
		unsigned char *copy = per_cpu_ptr(T(), cpu);
		EXPECT_NE(copy, g_template) << cpu;
		EXPECT_EQ((uintptr_t)copy % 4096, 0u) << "units are whole pages";
		EXPECT_EQ(memcmp(copy, g_template, sizeof(g_template)), 0) << cpu;
		seen.insert((uintptr_t)copy);
		memset(copy, (int)cpu, sizeof(g_template));
	}
	EXPECT_EQ(seen.size(), kCpus);
	for (unsigned cpu = 0; cpu < kCpus; cpu++)
		EXPECT_EQ(per_cpu_ptr(T(), cpu)[100], cpu) << "a write to one copy stays there";
	EXPECT_EQ(g_template[1], 8) << "the template itself is untouched";
	EXPECT_EQ(this_cpu_ptr(T()), per_cpu_ptr(T(), 0)) << "hosted: CPU 0";
}

TEST_F(PercpuTest, SetupRunsOnceAndRefusesBadCpuCounts)
{
	EXPECT_EQ(percpu_setup(2, g_template, g_template + 8), -EINVAL) << "a second time";
	percpu_teardown();
	EXPECT_EQ(percpu_setup(0, g_template, g_template + 8), -EINVAL);
	EXPECT_EQ(percpu_setup(NR_CPUS + 1, g_template, g_template + 8), -EINVAL);
	EXPECT_EQ(num_possible_cpus(), 1u);
	EXPECT_EQ(per_cpu_ptr(T(), 0), g_template) << "before setup: the template";
	EXPECT_EQ(__alloc_percpu(8, 8), nullptr);
	EXPECT_NE(Log().find("before percpu_setup()"), std::string::npos) << Log();
	EXPECT_EQ(percpu_setup(NR_CPUS, g_template, g_template + 8), 0);
}

TEST_F(PercpuTest, AllocPercpuIsZeroedOnEveryCpuAndReusedZeroed)
{
	struct block {
		uint64_t w[6];
	};
	block *p = alloc_percpu(block);
	ASSERT_NE(p, nullptr);
	for (unsigned cpu = 0; cpu < kCpus; cpu++) {
		block *b = per_cpu_ptr(p, cpu);
		for (uint64_t w : b->w)
			EXPECT_EQ(w, 0u) << cpu;
		memset(b, 0xa5, sizeof(*b));
	}
	EXPECT_NE(per_cpu_ptr(p, 0), per_cpu_ptr(p, 1));
	free_percpu(p);
	block *q = alloc_percpu(block);
	ASSERT_EQ(q, p) << "first fit takes the freed space";
	for (unsigned cpu = 0; cpu < kCpus; cpu++)
		for (uint64_t w : per_cpu_ptr(q, cpu)->w)
			EXPECT_EQ(w, 0u) << "zeroed again on CPU " << cpu;
	free_percpu(q);
	EXPECT_TRUE(Log().empty()) << Log();
}

TEST_F(PercpuTest, AlignmentHoldsInEveryUnit)
{
	void *pad = __alloc_percpu(24, 8);
	ASSERT_NE(pad, nullptr);
	std::vector<void *> live;
	for (size_t align : { 8, 16, 32, 64, 128, 1024, 4096 }) {
		void *p = __alloc_percpu(40, align);
		ASSERT_NE(p, nullptr) << align;
		for (unsigned cpu = 0; cpu < kCpus; cpu++)
			EXPECT_EQ((uintptr_t)per_cpu_ptr(p, cpu) % align, 0u)
				<< "align " << align << " cpu " << cpu;
		live.push_back(p);
	}
	for (void *p : live)
		free_percpu(p);
	free_percpu(pad);
}

TEST_F(PercpuTest, TheReserveRunsFullThenWorksAgainAfterFrees)
{
	std::vector<void *> got;
	void *p;
	while ((p = __alloc_percpu_gfp(1000, 8, GFP_KERNEL | __GFP_NOWARN)))
		got.push_back(p);
	// 1000 bytes take 63 granules of 16: 16 such blocks fit in 16 KiB
	EXPECT_EQ(got.size(), PERCPU_DYNAMIC_SIZE / 1008);
	EXPECT_TRUE(Log().empty()) << "__GFP_NOWARN: " << Log();
	EXPECT_EQ(__alloc_percpu(1000, 8), nullptr);
	EXPECT_NE(Log().find("percpu: allocation failed, size=1000"), std::string::npos) << Log();
	EXPECT_NE(__alloc_percpu(16, 8), nullptr) << "the tail still has room for a small one";
	free_percpu(got[3]);
	p = __alloc_percpu(1000, 8);
	EXPECT_EQ(p, got[3]);
	got[3] = p;
	for (void *g : got)
		free_percpu(g);
}

TEST_F(PercpuTest, BadSizesAndBadFreesAreReported)
{
	EXPECT_EQ(__alloc_percpu(0, 8), nullptr);
	EXPECT_EQ(__alloc_percpu(PERCPU_DYNAMIC_SIZE + 1, 8), nullptr);
	EXPECT_EQ(__alloc_percpu(8, 24), nullptr) << "not a power of two";
	EXPECT_EQ(__alloc_percpu(8, 8192), nullptr) << "above a page";
	EXPECT_NE(Log().find("percpu: illegal size (0)"), std::string::npos) << Log();
	ClearLog();
	char *p = (char *)__alloc_percpu(64, 16);
	ASSERT_NE(p, nullptr);
	free_percpu(p + 16);
	EXPECT_NE(Log().find("not an allocation start"), std::string::npos) << Log();
	ClearLog();
	EXPECT_NE(__alloc_percpu(64, 16), p) << "the bad free freed nothing";
	free_percpu(p);
	free_percpu(nullptr);
	EXPECT_TRUE(Log().empty()) << Log();
}

TEST_F(PercpuTest, GetCpuVarMakesSleepingAllocationsAtomic)
{
	unsigned long *v = (unsigned long *)__alloc_percpu(sizeof(unsigned long), 8);
	ASSERT_NE(v, nullptr);
	EXPECT_EQ(preempt_count(), 0u);
	unsigned long *mine = get_cpu_ptr(v);
	EXPECT_EQ(mine, per_cpu_ptr(v, 0));
	EXPECT_EQ(preempt_count(), 1u);
	void *obj = kmalloc(64, GFP_KERNEL);
	EXPECT_NE(Log().find("sleeping allocation in atomic context"), std::string::npos) << Log();
	kfree(obj);
	put_cpu_ptr(v);
	EXPECT_EQ(preempt_count(), 0u);
	ClearLog();
	obj = kmalloc(64, GFP_KERNEL);
	EXPECT_TRUE(Log().empty()) << Log();
	kfree(obj);
	this_cpu_write(*v, 5ul);
	this_cpu_inc(*v);
	this_cpu_add(*v, 10ul);
	this_cpu_dec(*v);
	EXPECT_EQ(this_cpu_read(*v), 15ul);
	EXPECT_EQ(*per_cpu_ptr(v, 1), 0ul);
	preempt_enable();
	EXPECT_NE(Log().find("preempt_enable: unbalanced"), std::string::npos) << Log();
	free_percpu(v);
}

} // namespace
