// SPDX-License-Identifier: MIT
// tests/mm/page_alloc_random_test.cc - one million random allocator operations against a
// reference model.
//
// The model knows the memory map and which PFNs each live allocation covers. After every
// operation it checks: a new block is aligned, lies wholly in usable RAM of a zone its GFP
// flags allow, and overlaps no live block; per zone, managed = free (buddy + per-CPU) +
// allocated. Every 100,000 operations the allocator's whole state is walked
// (page_state_check). At the end everything is freed and every zone must be back to the
// maximal blocks a fresh state over the same map has.
#include <gtest/gtest.h>

#include <cinttypes>
#include <random>
#include <vector>

#include "tests/shim/mm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;
constexpr uint64_t GiB = 1ull << 30;
constexpr uint64_t kOps = 1000000;
constexpr uint32_t kSeed = 20261122;

struct Block {
	page *p;
	unsigned order;
};

TEST(PageAllocRandom, MillionOpsAgainstAReferenceModel)
{
	const mem_range usable[] = { { 0x1000, 0x9f000 },
				     { 1 * MiB, 40 * MiB },
				     { 4 * GiB, 4 * GiB + 24 * MiB } };
	const mem_range reserved[] = { { 1 * MiB, 1 * MiB + 600 * 1024 },
				       { 20 * MiB + 3 * 4096, 20 * MiB + 5 * 4096 } };
	mm_host_memory mem;
	ASSERT_EQ(mm_host_memory_create(&mem, usable, 3, reserved, 2), 0);
	mm_host_log_quiet(true);
	page_state *ps = page_alloc_state();

	// the model: which PFNs may be handed out, which are handed out
	std::vector<uint8_t> ok(max_pfn, 0), used(max_pfn, 0);
	for (const mem_range &r : usable)
		for (uint64_t a = r.start; a < r.end; a += PAGE_SIZE)
			ok[a >> PAGE_SHIFT] = 1;
	for (const mem_range &r : reserved)
		for (uint64_t a = r.start & PAGE_MASK; a < r.end; a += PAGE_SIZE)
			ok[a >> PAGE_SHIFT] = 0;
	uint64_t allocated[MAX_NR_ZONES] = {};
	std::vector<Block> live;
	std::mt19937_64 rng(kSeed);
	const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC, GFP_DMA, GFP_DMA32, GFP_NOWAIT,
			       GFP_KERNEL | __GFP_HIGH, GFP_USER, GFP_NOIO };
	uint64_t allocs = 0, fails = 0;
	char err[512];

	printf("seed %u\n", kSeed);
	for (uint64_t op = 0; op < kOps; op++) {
		bool do_alloc = live.empty() || (rng() % 100) < (live.size() < 2000 ? 60u : 40u);
		if (do_alloc) {
			unsigned r = rng() % 100;
			unsigned order = r < 60 ? 0 : r < 75 ? 1 : r < 85 ? 2 : r < 92 ? 3
					 : r < 99 ? 4 + rng() % 4 : 8 + rng() % 3;
			gfp_t gfp = gfps[rng() % (sizeof(gfps) / sizeof(gfps[0]))] | __GFP_NOWARN;
			page *p = shim_alloc_pages(gfp, order);
			if (!p) {
				fails++;
				continue;
			}
			allocs++;
			uint64_t pfn = page_to_pfn(p);
			ASSERT_EQ(pfn & ((1ull << order) - 1), 0u) << "op " << op;
			ASSERT_LE(pfn + (1ull << order), max_pfn);
			ASSERT_LE((int)page_zonenum(p), (int)gfp_zone(gfp)) << "op " << op;
			for (uint64_t i = 0; i < (1ull << order); i++) {
				ASSERT_TRUE(ok[pfn + i]) << "op " << op << " pfn " << pfn + i
							 << " is a hole or reserved";
				ASSERT_FALSE(used[pfn + i]) << "op " << op << " pfn " << pfn + i
							    << " handed out twice";
				used[pfn + i] = 1;
			}
			allocated[page_zonenum(p)] += 1ull << order;
			live.push_back({ p, order });
		} else {
			size_t i = rng() % live.size();
			Block b = live[i];
			live[i] = live.back();
			live.pop_back();
			uint64_t pfn = page_to_pfn(b.p);
			for (uint64_t k = 0; k < (1ull << b.order); k++)
				used[pfn + k] = 0;
			allocated[page_zonenum(b.p)] -= 1ull << b.order;
			shim_free_pages_page(b.p, b.order);
		}
		for (int z = 0; z < MAX_NR_ZONES; z++)
			ASSERT_EQ(ps->zones[z].managed_pages,
				  page_state_free_pages(ps, (zone_type)z) + allocated[z])
				<< "op " << op << " zone " << z;
		if (op % 100000 == 0) {
			ASSERT_TRUE(shim_state_ok(err, sizeof(err))) << "op " << op << ": " << err;
		}
	}
	printf("%" PRIu64 " allocations, %" PRIu64 " failures, %zu live at the end\n", allocs,
	       fails, live.size());
	EXPECT_GT(allocs, kOps / 3);
	EXPECT_GT(fails, 0u) << "the run should reach the watermarks";

	for (Block &b : live)
		shim_free_pages_page(b.p, b.order);
	drain_all_pages();
	ASSERT_TRUE(shim_state_ok(err, sizeof(err))) << err;

	// a fresh state over the same map has the maximal blocks
	page_state fresh;
	std::vector<page> fresh_map(max_pfn);
	ASSERT_EQ(page_state_setup(&fresh, fresh_map.data(), max_pfn, ~0ull, usable, 3, reserved,
				   2),
		  0);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		EXPECT_EQ(ps->zones[z].free_pages, ps->zones[z].managed_pages) << "zone " << z;
		for (int o = 0; o <= MAX_PAGE_ORDER; o++)
			EXPECT_EQ(ps->zones[z].free_area[o].nr_free,
				  fresh.zones[z].free_area[o].nr_free)
				<< "zone " << z << " order " << o;
	}
	mm_host_memory_destroy(&mem);
	mm_host_log_quiet(false);
}

} // namespace
