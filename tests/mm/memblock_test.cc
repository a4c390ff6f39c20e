// SPDX-License-Identifier: MIT
// tests/mm/memblock_test.cc - the boot-time allocator: it serves the page-frame array and the
// first page tables before the buddy allocator exists, then hands every page it did not give
// out to the buddy allocator, and nothing else.
#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "tests/shim/vmalloc_shim.h"

namespace
{

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kRam = 64 * kMiB;

class MemblockTest : public ::testing::Test {
    protected:
	void SetUp() override
	{
		phys_ = static_cast<uint8_t *>(std::aligned_alloc(PAGE_SIZE, kRam));
		ASSERT_NE(phys_, nullptr);
		memblock_init((uintptr_t)phys_);
		mm_host_log_capture(true);
	}
	void TearDown() override
	{
		if (page_alloc_state())
			page_alloc_detach();
		mm_host_log_capture(false);
		std::free(phys_);
	}
	// A PC-like map: low RAM below the legacy hole, RAM from 1 MiB with a gap at 40..48 MiB.
	void AddPcMemory()
	{
		ASSERT_EQ(memblock_add(0, GUEST_LEGACY_HOLE_START), 0);
		ASSERT_EQ(memblock_add(GUEST_LEGACY_HOLE_END, 39 * kMiB), 0);
		ASSERT_EQ(memblock_add(48 * kMiB, 16 * kMiB), 0);
		ASSERT_EQ(memblock_reserve(0, PAGE_SIZE), 0);			  // the zero page
		ASSERT_EQ(memblock_reserve(GUEST_KERNEL_LOAD_PHYS, 2 * kMiB), 0); // kernel image
	}
	bool Reserved(uint64_t pa)
	{
		const struct memblock_type *r = memblock_reserved();
		for (unsigned int i = 0; i < r->cnt; i++)
			if (pa >= r->regions[i].base &&
			    pa - r->regions[i].base < r->regions[i].size)
				return true;
		return false;
	}
	uint8_t *phys_;
};

TEST_F(MemblockTest, RegionsMergeAndSplit)
{
	ASSERT_EQ(memblock_add(0x10000, 0x10000), 0);
	ASSERT_EQ(memblock_add(0x30000, 0x10000), 0);
	ASSERT_EQ(memblock_add(0x20000, 0x10000), 0); // touches both: one range
	ASSERT_EQ(memblock_memory()->cnt, 1u);
	EXPECT_EQ(memblock_memory()->regions[0].base, 0x10000u);
	EXPECT_EQ(memblock_phys_mem_size(), 0x30000u);
	ASSERT_EQ(memblock_reserve(0x18000, 0x10000), 0);
	ASSERT_EQ(memblock_phys_free(0x1a000, 0x2000), 0); // splits the reservation
	EXPECT_EQ(memblock_reserved()->cnt, 2u);
	EXPECT_EQ(memblock_reserved_size(), 0xe000u);
	EXPECT_EQ(memblock_add(~0ull - 10, 100), -EINVAL);
	EXPECT_EQ(memblock_end_of_ram(), 0x40000u);
}

TEST_F(MemblockTest, AllocatesTopDownAroundReservations)
{
	AddPcMemory();
	ASSERT_EQ(memblock_reserve(60 * kMiB, 4 * kMiB), 0);
	uint64_t a = memblock_phys_alloc(8192, PAGE_SIZE);
	EXPECT_EQ(a, 60 * kMiB - 8192); // just below the obstacle, as in the worked example
	uint64_t b = memblock_phys_alloc(2 * kMiB, 2 * kMiB);
	EXPECT_EQ(b % (2 * kMiB), 0u);
	EXPECT_LT(b + 2 * kMiB, a + 1);
	// 14 MiB free above 48 MiB is too little for 20 MiB: it comes from the range below 40 MiB
	uint64_t c = memblock_phys_alloc(20 * kMiB, PAGE_SIZE);
	EXPECT_GE(c, GUEST_KERNEL_LOAD_PHYS + 2 * kMiB);
	EXPECT_LE(c + 20 * kMiB, 40 * kMiB);
	EXPECT_EQ(memblock_phys_alloc(64 * kMiB, PAGE_SIZE), 0u); // does not fit anywhere
	EXPECT_TRUE(Reserved(a) && Reserved(b) && Reserved(c));
	void *z = memblock_alloc(100, 64);
	ASSERT_NE(z, nullptr);
	EXPECT_EQ(static_cast<uint8_t *>(z)[99], 0);
}

// The whole boot sequence: page-frame array and first page tables from memblock, then the buddy.
TEST_F(MemblockTest, BootHandsTheRestToTheBuddyAllocator)
{
	AddPcMemory();
	const uint64_t pfns = memblock_end_of_ram() >> PAGE_SHIFT;
	struct page *map =
		static_cast<struct page *>(memblock_alloc(pfns * sizeof(struct page), 64));
	struct page_state *ps =
		static_cast<struct page_state *>(memblock_alloc(sizeof(struct page_state), 64));
	ASSERT_NE(map, nullptr);
	ASSERT_NE(ps, nullptr);
	// (__pa needs page_offset_base, which only the buddy's attach sets: compute by hand)
	ASSERT_EQ(page_state_init(ps, map, pfns, (uint64_t)((uint8_t *)map - phys_)), 0);

	// First page tables: the direct map of each RAM range, with large pages where aligned.
	struct pgt pgt;
	ASSERT_EQ(pgt_init(&pgt, &memblock_pgt_ops, nullptr), 0);
	const struct memblock_type *mem = memblock_memory();
	for (unsigned int i = 0; i < mem->cnt; i++)
		ASSERT_EQ(pgt_map(&pgt, PAGE_OFFSET + mem->regions[i].base, mem->regions[i].base,
				  mem->regions[i].size, PGT_KERNEL_RW),
			  0);
	uint64_t pa;
	ASSERT_EQ(pgt_translate(&pgt, PAGE_OFFSET + 50 * kMiB + 5, &pa), 0);
	EXPECT_EQ(pa, 50 * kMiB + 5);
	struct pgt_walk w;
	ASSERT_EQ(pgt_walk(&pgt, PAGE_OFFSET + 50 * kMiB, &w), 0);
	EXPECT_EQ(w.page_size, PGT_SIZE_2M);
	EXPECT_EQ(pgt_walk(&pgt, PAGE_OFFSET + 44 * kMiB, &w), -ENOENT); // the gap
	EXPECT_TRUE(Reserved(pgt.root));

	const uint64_t reserved = memblock_reserved_size();
	const long freed = memblock_free_all(ps, map);
	ASSERT_GT(freed, 0);
	EXPECT_EQ((uint64_t)freed, (memblock_phys_mem_size() - reserved) >> PAGE_SHIFT);
	// every page is either reserved by memblock (or a hole) or now the buddy's, never both
	for (uint64_t pfn = 0; pfn < pfns; pfn++) {
		const uint64_t a = pfn << PAGE_SHIFT;
		bool ram = false;
		for (unsigned int i = 0; i < mem->cnt; i++)
			ram |= a >= mem->regions[i].base &&
			       a - mem->regions[i].base < mem->regions[i].size;
		const bool buddy_owned = !(map[pfn].flags & PG_reserved);
		ASSERT_EQ(buddy_owned, ram && !Reserved(a)) << "pfn " << pfn;
	}
	char err[256];
	ASSERT_TRUE(page_state_check(ps, map, err, sizeof(err))) << err;
	// the buddy allocator works over what memblock handed over, and never returns memblock's
	ASSERT_EQ(page_alloc_attach(ps, map, (uintptr_t)phys_), 0);
	for (int i = 0; i < 1000; i++) {
		struct page *pg = shim_alloc_pages(GFP_KERNEL, 0);
		ASSERT_NE(pg, nullptr);
		ASSERT_FALSE(Reserved((uint64_t)page_to_pfn(pg) << PAGE_SHIFT));
	}
	// memblock is done
	EXPECT_EQ(memblock_alloc(PAGE_SIZE, PAGE_SIZE), nullptr);
	EXPECT_NE(std::string(mm_host_log_text()).find("after memblock_free_all"),
		  std::string::npos);
}

} // namespace
