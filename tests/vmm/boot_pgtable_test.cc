// SPDX-License-Identifier: MIT
// tests/vmm/boot_pgtable_test.cc - the boot page tables, walked back with mm/pgtable.c:
// every RAM address in the direct map, the kernel map and the identity map translates to
// itself, large pages where aligned, the permissions asked for, and nothing else mapped.
#include <gtest/gtest.h>

#include "tests/shim/gmm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;
constexpr uint64_t GiB = 1ull << 30;

class BootPageTables : public ::testing::TestWithParam<uint64_t> {
protected:
	void SetUp() override
	{
		ASSERT_EQ(gmm_mem_create(&gm_, GetParam(), GMM_MEM_BACKING_SHMEM), 0);
		ASSERT_EQ(gmm_boot_build_page_tables(&gm_, &br_), 0);
		ASSERT_EQ(gmm_shim_pgt_attach_guest(&pgt_, &gm_, br_.pgtable_root), 0);
	}
	void TearDown() override { gmm_mem_destroy(&gm_); }

	void ExpectMapped(uint64_t va, uint64_t pa, bool writable, bool nx)
	{
		struct pgt_walk w;

		ASSERT_EQ(pgt_walk(&pgt_, va, &w), 0) << std::hex << "va 0x" << va;
		EXPECT_EQ(w.pa, pa) << std::hex << "va 0x" << va;
		EXPECT_EQ((w.prot & PGT_WRITE) != 0, writable) << std::hex << "va 0x" << va;
		EXPECT_EQ((w.prot & PGT_NX) != 0, nx) << std::hex << "va 0x" << va;
		EXPECT_EQ(w.prot & PGT_USER, 0u) << "supervisor only";
	}

	struct gmm_mem gm_;
	struct gmm_boot_result br_ = {};
	struct pgt pgt_;
};

TEST_P(BootPageTables, DirectMapCoversEveryRamPageAndNothingElse)
{
	for (unsigned int i = 0; i < gm_.nr_regions; i++) {
		const struct gmm_mem_region &r = gm_.regions[i];
		// first, last and a spread of pages in between
		for (uint64_t off = 0; off < r.size; off += r.size / 64 > PAGE_SIZE
								   ? (r.size / 64) & PAGE_MASK
								   : PAGE_SIZE)
			ExpectMapped(PAGE_OFFSET + r.gpa + off + 8, r.gpa + off + 8, true, true);
		ExpectMapped(PAGE_OFFSET + r.gpa + r.size - 1, r.gpa + r.size - 1, true, true);
	}
	uint64_t pa;
	EXPECT_EQ(pgt_translate(&pgt_, PAGE_OFFSET + GUEST_LEGACY_HOLE_START, &pa), -ENOENT);
	EXPECT_EQ(pgt_translate(&pgt_, PAGE_OFFSET + gm_.end, &pa), -ENOENT);
	if (gm_.end > GUEST_PCI_HOLE_START) {
		EXPECT_EQ(pgt_translate(&pgt_, PAGE_OFFSET + GUEST_PCI_HOLE_START, &pa), -ENOENT);
	}
}

TEST_P(BootPageTables, UsesLargePagesWhereAligned)
{
	struct pgt_walk w;

	ASSERT_EQ(pgt_walk(&pgt_, PAGE_OFFSET + 0x1000, &w), 0);
	EXPECT_EQ(w.level, 1) << "low memory below the legacy hole is 4 KiB pages";
	if (gm_.end >= 4 * MiB) {
		ASSERT_EQ(pgt_walk(&pgt_, PAGE_OFFSET + 2 * MiB, &w), 0);
		EXPECT_EQ(w.level, 2) << "2 MiB pages up to the first 1 GiB boundary";
	}
	if (gm_.end >= 2 * GiB) {
		ASSERT_EQ(pgt_walk(&pgt_, PAGE_OFFSET + GiB, &w), 0);
		EXPECT_EQ(w.level, 3) << "1 GiB pages in the direct map";
	}
	if (gm_.end >= GUEST_HIGH_RAM_START + GiB) {
		ASSERT_EQ(pgt_walk(&pgt_, PAGE_OFFSET + GUEST_HIGH_RAM_START, &w), 0);
		EXPECT_EQ(w.level, 3);
	}
	// a handful of table pages, well inside gmm's area
	EXPECT_LT(br_.pgtable_end - br_.pgtable_start, 32 * PAGE_SIZE);
	EXPECT_EQ((uint64_t)pgt_count_tables(&pgt_) * PAGE_SIZE,
		  br_.pgtable_end - br_.pgtable_start);
}

TEST_P(BootPageTables, KernelMapAndIdentityMap)
{
	uint64_t pa;

	// kernel map: executable, writable, RAM below KERNEL_IMAGE_SIZE
	ExpectMapped(__START_KERNEL_map + GUEST_KERNEL_LOAD_PHYS, GUEST_KERNEL_LOAD_PHYS, true,
		     false);
	ExpectMapped(__START_KERNEL_map + 0x2000, 0x2000, true, false);
	EXPECT_EQ(pgt_translate(&pgt_, __START_KERNEL_map + GUEST_LEGACY_HOLE_START, &pa),
		  -ENOENT);
	// identity: the first GiB, holes included (MMIO exits), but not the null page
	ExpectMapped(0x1000, 0x1000, true, false);
	ExpectMapped(GUEST_KERNEL_LOAD_PHYS, GUEST_KERNEL_LOAD_PHYS, true, false);
	ExpectMapped(0xb8000, 0xb8000, true, false);
	ExpectMapped(GiB - 1, GiB - 1, true, false);
	EXPECT_EQ(pgt_translate(&pgt_, 0, &pa), -ENOENT) << "null page";
	EXPECT_EQ(pgt_translate(&pgt_, 0xfff, &pa), -ENOENT) << "null page";
	EXPECT_EQ(pgt_translate(&pgt_, GiB, &pa), -ENOENT);
}

INSTANTIATE_TEST_SUITE_P(RamSizes, BootPageTables,
			 ::testing::Values(2 * MiB, 128 * MiB, 1 * GiB + 64 * MiB,
					   3 * GiB + 2 * GiB),
			 [](const ::testing::TestParamInfo<uint64_t> &p) {
				 return std::to_string(p.param >> 20) + "MiB";
			 });

} // namespace
