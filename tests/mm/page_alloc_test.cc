// SPDX-License-Identifier: MIT
// tests/mm/page_alloc_test.cc - the buddy page allocator, rule by rule, on the hosted platform.
//
// Each test gets fresh simulated physical memory with a memory map that has holes and
// reserved ranges, so "never hands out a hole or a reserved page" is checked everywhere.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/shim/mm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;
constexpr uint64_t GiB = 1ull << 30;

struct MapSpec {
	std::vector<mem_range> usable;
	std::vector<mem_range> reserved;
};

// DMA: [4 KiB, 636 KiB) and [2 MiB, 16 MiB); DMA32: [16 MiB, 48 MiB) minus a reserved
// "kernel image" [1 MiB, 2 MiB) that sits in the DMA zone's usable range [1 MiB, 16 MiB).
MapSpec LowMap()
{
	return MapSpec{ { { 0x1000, 0x9f000 }, { 1 * MiB, 48 * MiB } }, { { 1 * MiB, 2 * MiB } } };
}

// Adds NORMAL: [4 GiB, 4 GiB + 16 MiB).
MapSpec ThreeZoneMap()
{
	MapSpec m = LowMap();
	m.usable.push_back({ 4 * GiB, 4 * GiB + 16 * MiB });
	return m;
}

class PageAllocTest : public ::testing::Test {
    protected:
	void Boot(const MapSpec &m)
	{
		Teardown();
		spec_ = m;
		ASSERT_EQ(mm_host_memory_create(&mem_, spec_.usable.data(), spec_.usable.size(),
						spec_.reserved.data(), spec_.reserved.size()),
			  0);
		booted_ = true;
		mm_host_log_quiet(true);
		mm_host_log_capture(true);
	}
	void SetUp() override { Boot(LowMap()); }
	void TearDown() override { Teardown(); }
	void Teardown()
	{
		if (booted_) {
			char err[256];
			EXPECT_TRUE(shim_state_ok(err, sizeof(err))) << err;
			mm_host_memory_destroy(&mem_);
			mm_host_set_atomic(false);
			mm_host_log_capture(false);
			mm_host_log_quiet(false);
			booted_ = false;
		}
	}
	std::string Log() { return mm_host_log_text(); }
	bool Usable(uint64_t pfn)
	{
		uint64_t a = pfn << PAGE_SHIFT;
		bool in = false;
		for (auto &r : spec_.usable)
			in |= a >= r.start && a + PAGE_SIZE <= r.end;
		for (auto &r : spec_.reserved)
			if (a + PAGE_SIZE > r.start && a < r.end)
				return false;
		return in;
	}
	zone &Zone(zone_type z) { return page_alloc_state()->zones[z]; }
	// Allocate order-0 pages with @gfp until it fails; returns them.
	std::vector<page *> Exhaust(gfp_t gfp)
	{
		std::vector<page *> got;
		while (page *p = shim_alloc_pages(gfp | __GFP_NOWARN, 0))
			got.push_back(p);
		return got;
	}
	void FreeAll(std::vector<page *> &v)
	{
		for (page *p : v)
			shim_free_pages_page(p, 0);
		v.clear();
	}

	mm_host_memory mem_{};
	MapSpec spec_;
	bool booted_ = false;
};

TEST_F(PageAllocTest, SetupBuildsMaximalBlocksAroundHolesAndReservedRanges)
{
	// DMA zone: [1, 0x9f) pages and [0x200, 0x1000) pages; the latter is 3584 pages:
	// order-10 blocks at 0x400, 0x800, 0xc00 and one order-9 block at 0x200.
	EXPECT_EQ(shim_free_blocks(ZONE_DMA, 10), 3u);
	EXPECT_EQ(shim_free_blocks(ZONE_DMA, 9), 1u);
	// DMA32: [16 MiB, 48 MiB) = 8 blocks of 4 MiB.
	EXPECT_EQ(shim_free_blocks(ZONE_DMA32, 10), 8u);
	EXPECT_EQ(Zone(ZONE_DMA32).managed_pages, 8u * 1024);
	EXPECT_EQ(Zone(ZONE_DMA).managed_pages, (0x9fu - 1) + (0x1000u - 0x200));
	EXPECT_EQ(Zone(ZONE_NORMAL).managed_pages, 0u);
	EXPECT_EQ(mem_map[0].flags, PG_reserved);       // pfn 0 is not usable
	EXPECT_EQ(mem_map[0x100].flags, PG_reserved);   // reserved kernel image
	EXPECT_EQ(mem_map[0xa0].flags, PG_reserved);    // legacy hole
}

TEST_F(PageAllocTest, NeverHandsOutHolesOrReservedPages)
{
	std::set<unsigned long> seen;
	std::vector<page *> all = Exhaust(GFP_ATOMIC);
	for (page *p : all) {
		unsigned long pfn = page_to_pfn(p);
		EXPECT_TRUE(Usable(pfn)) << "pfn " << pfn;
		EXPECT_TRUE(seen.insert(pfn).second) << "pfn " << pfn << " handed out twice";
	}
	EXPECT_GT(all.size(), 8000u);
	FreeAll(all);
}

TEST_F(PageAllocTest, BlocksAreAlignedToTheirSizeAndPhysicallyContiguous)
{
	for (unsigned order = 0; order <= MAX_PAGE_ORDER; order++) {
		page *p = shim_alloc_pages(GFP_KERNEL, order);
		ASSERT_NE(p, nullptr) << "order " << order;
		unsigned long pfn = page_to_pfn(p);
		EXPECT_EQ(pfn & ((1ul << order) - 1), 0u) << "order " << order;
		for (unsigned long i = 0; i < (1ul << order); i++)
			EXPECT_TRUE(Usable(pfn + i));
		// __pa-style contiguity: the block's virtual range maps to consecutive frames
		EXPECT_EQ((char *)page_address(p + (1ul << order) - 1) - (char *)page_address(p),
			  (long)(((1ul << order) - 1) * PAGE_SIZE));
		shim_free_pages_page(p, order);
	}
}

TEST_F(PageAllocTest, SplitAndMergeRestoreTheBuddyinfo)
{
	std::string before = shim_buddyinfo();
	std::vector<std::pair<page *, unsigned>> blocks;
	for (unsigned order : { 0u, 3u, 1u, 10u, 2u, 5u, 0u, 7u })
		blocks.push_back({ shim_alloc_pages(GFP_KERNEL, order), order });
	for (auto &b : blocks)
		ASSERT_NE(b.first, nullptr);
	EXPECT_NE(std::string(shim_buddyinfo()), before);
	for (auto &b : blocks)
		shim_free_pages_page(b.first, b.second);
	drain_all_pages();
	EXPECT_EQ(std::string(shim_buddyinfo()), before);
}

TEST_F(PageAllocTest, BuddyinfoHasLinuxFormat)
{
	std::string info = shim_buddyinfo();
	// Linux: "Node 0, zone %8s " then "%6lu " per order
	EXPECT_EQ(info.rfind("Node 0, zone      DMA      2      2 ", 0), 0u) << info;
	EXPECT_NE(info.find("Node 0, zone    DMA32      0      0"), std::string::npos) << info;
	EXPECT_EQ(info.find("Normal"), std::string::npos) << "empty zones are not listed";
	size_t nl = info.find('\n');
	ASSERT_NE(nl, std::string::npos);
	EXPECT_EQ(nl, strlen("Node 0, zone      DMA ") + 11 * 7);
}

TEST_F(PageAllocTest, OrderTenIsTheLargestBlock)
{
	page *p = shim_alloc_pages(GFP_KERNEL, 10);
	ASSERT_NE(p, nullptr);
	shim_free_pages_page(p, 10);
	EXPECT_EQ(shim_alloc_pages(GFP_KERNEL, 11), nullptr);
	EXPECT_NE(Log().find("order 11 refused"), std::string::npos) << Log();
	mm_host_log_capture(true);
	EXPECT_EQ(shim_alloc_pages(GFP_KERNEL | __GFP_NOWARN, 11), nullptr);
	EXPECT_EQ(Log(), "");
}

TEST_F(PageAllocTest, GfpDmaComesFromTheFirst16MiBOnly)
{
	std::vector<page *> dma = Exhaust(GFP_DMA);
	ASSERT_FALSE(dma.empty());
	for (page *p : dma)
		EXPECT_LT(page_to_pfn(p), ZONE_DMA_END_PFN);
	// DMA is exhausted down to its watermark; DMA32 is untouched and GFP_DMA still fails
	EXPECT_EQ(Zone(ZONE_DMA32).free_pages, 8u * 1024);
	EXPECT_EQ(shim_alloc_pages(GFP_DMA | __GFP_NOWARN, 0), nullptr);
	FreeAll(dma);
}

TEST_F(PageAllocTest, GfpDma32StaysBelow4GiBAndFallsBackToDma)
{
	Boot(ThreeZoneMap());
	std::vector<page *> got = Exhaust(GFP_DMA32);
	bool saw_dma32 = false, saw_dma = false;
	for (page *p : got) {
		unsigned long pfn = page_to_pfn(p);
		EXPECT_LT(pfn, ZONE_DMA32_END_PFN);
		saw_dma32 |= pfn >= ZONE_DMA_END_PFN;
		saw_dma |= pfn < ZONE_DMA_END_PFN;
	}
	EXPECT_TRUE(saw_dma32);
	EXPECT_TRUE(saw_dma) << "GFP_DMA32 falls back to DMA";
	EXPECT_EQ(Zone(ZONE_NORMAL).free_pages, 4u * 1024) << "GFP_DMA32 never uses NORMAL";
	FreeAll(got);
}

TEST_F(PageAllocTest, ZonelistFallsBackNormalThenDma32ThenDma)
{
	Boot(ThreeZoneMap());
	// The first allocations come from NORMAL; when it reaches its watermark, from DMA32;
	// then from DMA. (Later, when every zone is at its watermark, the slow path gives the
	// per-CPU pages back and NORMAL serves again.) Record the order of first use.
	std::vector<page *> got = Exhaust(GFP_KERNEL);
	std::vector<int> zones;
	for (page *p : got) {
		int z = page_zonenum(p);
		if (std::find(zones.begin(), zones.end(), z) == zones.end())
			zones.push_back(z);
	}
	EXPECT_EQ(zones, (std::vector<int>{ ZONE_NORMAL, ZONE_DMA32, ZONE_DMA }));
	FreeAll(got);
}

TEST_F(PageAllocTest, GfpZeroAndGetZeroedPageZero)
{
	page *p = shim_alloc_pages(GFP_KERNEL, 2);
	ASSERT_NE(p, nullptr);
	memset(page_address(p), 0xa5, 4 * PAGE_SIZE);
	shim_free_pages_page(p, 2);
	page *q = shim_alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	ASSERT_EQ(q, p) << "the per-CPU list hands back the hot block";
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		ASSERT_EQ(((unsigned char *)page_address(q))[i], 0) << i;
	shim_free_pages_page(q, 2);

	page *r = shim_alloc_pages(GFP_KERNEL, 0);
	memset(page_address(r), 0x5a, PAGE_SIZE);
	shim_free_pages_page(r, 0);
	// Without __GFP_ZERO the old contents stay (SEED-CLAIMS row 25: not zeroed)
	unsigned long a = shim_get_free_pages(GFP_KERNEL, 0);
	ASSERT_EQ(a, (unsigned long)page_address(r));
	EXPECT_EQ(*(unsigned char *)a, 0x5a);
	free_pages(a, 0);
	unsigned long z = get_zeroed_page(GFP_KERNEL);
	ASSERT_EQ(z, a);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		ASSERT_EQ(((unsigned char *)z)[i], 0);
	free_page(z);
}

TEST_F(PageAllocTest, AddressesPagesAndPfnsRoundTrip)
{
	unsigned long a = shim_get_free_pages(GFP_KERNEL, 3);
	ASSERT_NE(a, 0u);
	page *p = virt_to_page((void *)a);
	EXPECT_EQ(page_address(p), (void *)a);
	EXPECT_EQ(pfn_to_page(page_to_pfn(p)), p);
	EXPECT_EQ((uintptr_t)a - page_offset_base, page_to_pfn(p) << PAGE_SHIFT);
	EXPECT_EQ(virt_to_pfn((void *)(a + 5000)), page_to_pfn(p) + 1);
	free_pages(a, 3);
}

TEST_F(PageAllocTest, AtomicMayUseTheReserveBelowMinKernelMayNot)
{
	zone &z = Zone(ZONE_DMA32);
	std::vector<page *> dma = Exhaust(GFP_DMA); // keep the DMA zone out of the way
	std::vector<page *> kernel = Exhaust(GFP_KERNEL);
	drain_all_pages();
	// GFP_KERNEL stops at the min watermark
	EXPECT_LE(z.free_pages, z.wmark_min + 1);
	EXPECT_GT(z.free_pages + 1, z.wmark_min / 2) << "reserve left for atomic";
	uint64_t reserve_before = z.stats.alloc_reserve;
	// GFP_NOWAIT cannot sleep but has no __GFP_HIGH: no reserve either
	EXPECT_EQ(shim_alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0), nullptr);
	std::vector<page *> atomic = Exhaust(GFP_ATOMIC);
	EXPECT_FALSE(atomic.empty()) << "GFP_ATOMIC succeeds where GFP_KERNEL failed";
	EXPECT_GT(z.stats.alloc_reserve, reserve_before);
	// ... down to 3/8 of min, then it fails too
	drain_all_pages();
	EXPECT_LE(z.free_pages, z.wmark_min - z.wmark_min / 2 - (z.wmark_min - z.wmark_min / 2) / 4 + 1);
	EXPECT_EQ(shim_alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0), nullptr);
	EXPECT_EQ(shim_alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0), nullptr);
	// __GFP_HIGH with a sleeping allocation stops at min/2, i.e. before atomic's 3/8
	FreeAll(atomic);
	drain_all_pages();
	std::vector<page *> high = Exhaust(GFP_KERNEL | __GFP_HIGH);
	drain_all_pages();
	EXPECT_LE(z.free_pages, z.wmark_min - z.wmark_min / 2 + 1);
	EXPECT_GT(z.free_pages + 1, z.wmark_min - z.wmark_min / 2 - (z.wmark_min - z.wmark_min / 2) / 4);
	FreeAll(high);
	FreeAll(kernel);
	FreeAll(dma);
}

TEST_F(PageAllocTest, FailureWarnsWithOrderModeAndBuddyinfoUnlessNowarn)
{
	std::vector<page *> all = Exhaust(GFP_ATOMIC);
	mm_host_log_capture(true);
	EXPECT_EQ(shim_alloc_pages(GFP_KERNEL, 2), nullptr);
	std::string log = Log();
	EXPECT_NE(log.find("page allocation failure: order:2, mode:0xcc0"), std::string::npos)
		<< log;
	EXPECT_NE(log.find("Node 0, zone    DMA32"), std::string::npos) << log;
	EXPECT_GE(Zone(ZONE_NORMAL).stats.alloc_fail + Zone(ZONE_DMA32).stats.alloc_fail, 0u);
	mm_host_log_capture(true);
	EXPECT_EQ(shim_alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2), nullptr);
	EXPECT_EQ(Log(), "");
	FreeAll(all);
}

TEST_F(PageAllocTest, NofailIgnoresTheWatermarks)
{
	std::vector<page *> all = Exhaust(GFP_ATOMIC);
	page *p = shim_alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 0);
	EXPECT_NE(p, nullptr);
	all.push_back(p);
	FreeAll(all);
}

TEST_F(PageAllocTest, NofailPanicsWhenMemoryIsTrulyGone)
{
	GTEST_FLAG_SET(death_test_style, "threadsafe");
	EXPECT_DEATH(
		{
			std::vector<page *> all = Exhaust(GFP_ATOMIC);
			while (shim_alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 0))
				;
		},
		"Out of memory: __GFP_NOFAIL allocation of order 0");
}

TEST_F(PageAllocTest, NoretryGivesUpWhereRetryMayfailDrainsPerCpuPages)
{
	zone &z = Zone(ZONE_DMA32);
	std::vector<page *> dma = Exhaust(GFP_DMA);
	std::vector<page *> all = Exhaust(GFP_KERNEL);
	drain_all_pages();
	// Put pages on this CPU's list: free, but not free for the watermark
	unsigned n = z.pcp_high - 1;
	ASSERT_GT(all.size(), n);
	for (unsigned i = 0; i < n; i++) {
		shim_free_pages_page(all.back(), 0);
		all.pop_back();
	}
	ASSERT_EQ(z.pcp[0].pages, n);
	ASSERT_LE(z.free_pages, z.wmark_min + 1);
	ASSERT_GT(z.free_pages + n, z.wmark_min + 1);
	EXPECT_EQ(shim_alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0), nullptr);
	page *p = shim_alloc_pages(GFP_KERNEL | __GFP_RETRY_MAYFAIL, 0);
	EXPECT_NE(p, nullptr) << "drained the per-CPU list and retried";
	EXPECT_LT(z.pcp[0].pages, n) << "drained (and refilled by one batch)";
	all.push_back(p);
	FreeAll(all);
	FreeAll(dma);
}

TEST_F(PageAllocTest, DoubleFreeIsReportedAndHarmless)
{
	page *p = shim_alloc_pages(GFP_KERNEL, 1);
	shim_free_pages_page(p, 1);
	shim_free_pages_page(p, 1);
	EXPECT_NE(Log().find("BUG: Bad page state"), std::string::npos) << Log();
	EXPECT_NE(Log().find("double free"), std::string::npos) << Log();
	EXPECT_EQ(Zone(page_zonenum(p)).stats.bad_free, 1u);
	// still one block, not two: the next two order-1 allocations differ
	page *a = shim_alloc_pages(GFP_KERNEL, 1), *b = shim_alloc_pages(GFP_KERNEL, 1);
	EXPECT_NE(a, b);
	shim_free_pages_page(a, 1);
	shim_free_pages_page(b, 1);
	// double free of a large block (no per-CPU list)
	page *big = shim_alloc_pages(GFP_KERNEL, 6);
	shim_free_pages_page(big, 6);
	mm_host_log_capture(true);
	shim_free_pages_page(big, 6);
	EXPECT_NE(Log().find("double free"), std::string::npos) << Log();
}

TEST_F(PageAllocTest, WrongOrderIsReportedAndTheBlockLeftAlone)
{
	page *p = shim_alloc_pages(GFP_KERNEL, 2);
	shim_free_pages_page(p, 1);
	EXPECT_NE(Log().find("freed with a different order"), std::string::npos) << Log();
	shim_free_pages_page(p, 2); // the right order still works
	mm_host_log_capture(true);
	page *q = shim_alloc_pages(GFP_KERNEL, 2);
	shim_free_pages_page(q + 1, 0);
	EXPECT_NE(Log().find("not the first page of an allocated block"), std::string::npos)
		<< Log();
	shim_free_pages_page(q, 2);
}

TEST_F(PageAllocTest, FreeingPagesTheAllocatorDoesNotOwnIsReported)
{
	shim_free_pages_page(pfn_to_page(0x100), 0); // the reserved kernel image
	EXPECT_NE(Log().find("reserved page, not managed"), std::string::npos) << Log();
	mm_host_log_capture(true);
	static char not_ours[2 * 4096] __attribute__((aligned(4096)));
	free_pages((unsigned long)not_ours, 0);
	EXPECT_NE(Log().find("not a page-aligned direct-map address"), std::string::npos) << Log();
	mm_host_log_capture(true);
	free_pages(page_offset_base + 100, 0);
	EXPECT_NE(Log().find("not a page-aligned"), std::string::npos) << Log();
	mm_host_log_capture(true);
	page bogus{};
	shim_free_pages_page(&bogus, 0);
	EXPECT_NE(Log().find("not a page of the page allocator"), std::string::npos) << Log();
	mm_host_log_capture(true);
	free_pages(0, 0); // like free(NULL)
	EXPECT_EQ(Log(), "");
}

TEST_F(PageAllocTest, SleepingAllocationInAtomicContextIsReported)
{
	mm_host_set_atomic(true);
	page *p = shim_alloc_pages(GFP_KERNEL, 0);
	EXPECT_NE(Log().find("BUG: sleeping allocation in atomic context"), std::string::npos);
	mm_host_log_capture(true);
	page *q = shim_alloc_pages(GFP_ATOMIC, 0);
	page *r = shim_alloc_pages(GFP_NOWAIT, 0);
	EXPECT_EQ(Log(), "") << "GFP_ATOMIC and GFP_NOWAIT are fine in atomic context";
	mm_host_set_atomic(false);
	for (page *x : { p, q, r }) {
		ASSERT_NE(x, nullptr);
		shim_free_pages_page(x, 0);
	}
}

TEST_F(PageAllocTest, AllocPagesNodeAcceptsNodeZeroAndNoNode)
{
	page *a = alloc_pages_node(0, GFP_KERNEL, 0);
	page *b = alloc_pages_node(NUMA_NO_NODE, GFP_KERNEL, 1);
	EXPECT_EQ(Log(), "");
	page *c = alloc_pages_node(3, GFP_KERNEL, 0);
	EXPECT_NE(Log().find("no node 3"), std::string::npos);
	ASSERT_TRUE(a && b && c);
	shim_free_pages_page(a, 0);
	shim_free_pages_page(b, 1);
	shim_free_pages_page(c, 0);
}

TEST_F(PageAllocTest, PerCpuListsGiveBackBatchesAboveHigh)
{
	zone &z = Zone(ZONE_DMA32);
	std::vector<page *> v;
	for (unsigned i = 0; i < 4 * z.pcp_high; i++)
		v.push_back(shim_alloc_pages(GFP_KERNEL, 0));
	uint64_t drains = z.stats.pcp_drain;
	FreeAll(v);
	EXPECT_LE(z.pcp[0].pages, z.pcp_high);
	EXPECT_GT(z.stats.pcp_drain, drains);
	char info[4096];
	page_state_zoneinfo(page_alloc_state(), info, sizeof(info));
	EXPECT_NE(std::string(info).find("pcp_drain"), std::string::npos);
}

TEST_F(PageAllocTest, AccountingAddsUp)
{
	std::vector<std::pair<page *, unsigned>> v;
	uint64_t pages = 0;
	for (unsigned i = 0; i < 200; i++) {
		unsigned order = i % 6;
		v.push_back({ shim_alloc_pages(GFP_KERNEL, order), order });
		pages += 1u << order;
	}
	uint64_t managed = 0, free = 0;
	for (int zi = 0; zi < MAX_NR_ZONES; zi++) {
		managed += Zone((zone_type)zi).managed_pages;
		free += page_state_free_pages(page_alloc_state(), (zone_type)zi);
	}
	EXPECT_EQ(managed, free + pages);
	for (auto &b : v)
		shim_free_pages_page(b.first, b.second);
}

TEST(PageStateSetup, RejectsBadMaps)
{
	page_state ps;
	std::vector<page> map(8192);
	mem_range overlap[] = { { 0, 8 * MiB }, { 4 * MiB, 12 * MiB } };
	EXPECT_EQ(page_state_setup(&ps, map.data(), 8192, ~0ull, overlap, 2, nullptr, 0), -EINVAL);
	mem_range beyond[] = { { 0, 64 * MiB } };
	EXPECT_EQ(page_state_setup(&ps, map.data(), 8192, ~0ull, beyond, 1, nullptr, 0), -EINVAL);
	EXPECT_EQ(page_state_init(&ps, map.data(), 0, ~0ull), -EINVAL);
	mem_range ok[] = { { 0, 32 * MiB } };
	EXPECT_EQ(page_state_setup(&ps, map.data(), 8192, ~0ull, ok, 1, nullptr, 0), 0);
	EXPECT_EQ(page_state_free_range(&ps, map.data(), 10, 20), -EINVAL) << "handed over twice";
	char err[256];
	EXPECT_TRUE(page_state_check(&ps, map.data(), err, sizeof(err))) << err;
	ps.magic = 0;
	EXPECT_EQ(page_alloc_attach(&ps, map.data(), 0), -EINVAL);
}

TEST(PageStateCheck, CatchesACorruptedFreeList)
{
	page_state ps;
	std::vector<page> map(8192);
	mem_range ok[] = { { 0, 32 * MiB } };
	ASSERT_EQ(page_state_setup(&ps, map.data(), 8192, ~0ull, ok, 1, nullptr, 0), 0);
	char err[256];
	ASSERT_TRUE(page_state_check(&ps, map.data(), err, sizeof(err))) << err;
	map[1024].flags = PG_head; // a free block head claims to be allocated
	EXPECT_FALSE(page_state_check(&ps, map.data(), err, sizeof(err)));
	EXPECT_NE(std::string(err).find("flags"), std::string::npos) << err;
}

TEST(PageAllocDetached, AllocFailsCleanlyBeforeSetup)
{
	page_alloc_detach();
	mm_host_log_quiet(true);
	mm_host_log_capture(true);
	EXPECT_EQ(shim_alloc_pages(GFP_KERNEL, 0), nullptr);
	EXPECT_NE(std::string(mm_host_log_text()).find("before the page allocator exists"),
		  std::string::npos);
	mm_host_log_capture(false);
	mm_host_log_quiet(false);
}

} // namespace
