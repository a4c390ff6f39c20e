// SPDX-License-Identifier: MIT
// tests/vmm/view_test.cc - the remapped view (scattered frames made contiguous) and the
// translation of guest-virtual addresses by walking the guest's page tables.
#include <gtest/gtest.h>

#include <cstring>

#include "tests/shim/gmm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;

class View : public ::testing::Test {
protected:
	void SetUp() override { ASSERT_EQ(gmm_mem_create(&gm_, 32 * MiB, GMM_MEM_BACKING_SHMEM), 0); }
	void TearDown() override { gmm_mem_destroy(&gm_); }
	struct gmm_mem gm_;
};

TEST_F(View, WritesThroughTheViewAreVisibleInTheLinearView)
{
	// out of order, with a run of consecutive frames in the middle and one in region 0
	const uint64_t pfns[] = { 0x900, 0x300, 0x301, 0x302, 0x5, 0x1fff };
	const size_t n = sizeof(pfns) / sizeof(pfns[0]);
	struct gmm_mem_view v;

	ASSERT_EQ(gmm_mem_view_map(&gm_, pfns, n, &v), 0);
	for (size_t i = 0; i < n; i++)
		memset(v.addr + i * PAGE_SIZE, (int)(0x10 + i), PAGE_SIZE);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *lin = (const uint8_t *)gmm_mem_ptr(&gm_, pfns[i] << PAGE_SHIFT, PAGE_SIZE);

		ASSERT_NE(lin, nullptr);
		EXPECT_EQ(lin[0], 0x10 + i) << "frame " << i;
		EXPECT_EQ(lin[PAGE_SIZE - 1], 0x10 + i) << "frame " << i;
	}
	// and the other way round
	uint8_t *lin = (uint8_t *)gmm_mem_ptr(&gm_, 0x301ull << PAGE_SHIFT, 1);
	*lin = 0xee;
	EXPECT_EQ(v.addr[2 * PAGE_SIZE], 0xee);
	gmm_mem_view_unmap(&v);
	EXPECT_EQ(v.addr, nullptr);
}

TEST_F(View, RefusesFramesThatAreNotRam)
{
	struct gmm_mem_view v;
	const uint64_t end_pfn = gm_.end >> PAGE_SHIFT;
	const uint64_t bad[][2] = {
		{ 0x10, GUEST_LEGACY_HOLE_START >> PAGE_SHIFT },     // legacy hole
		{ 0x10, end_pfn },				     // one past RAM
		{ 0x10, GUEST_PCI_HOLE_START >> PAGE_SHIFT },	     // PCI hole
		{ 0x10, UINT64_MAX >> (PAGE_SHIFT - 1) },	     // pfn << 12 overflows
		{ 0x10, UINT64_MAX },
	};
	for (const auto &b : bad) {
		EXPECT_EQ(gmm_mem_view_map(&gm_, b, 2, &v), -EFAULT) << "pfn " << b[1];
		EXPECT_EQ(v.addr, nullptr);
	}
	EXPECT_EQ(gmm_mem_view_map(&gm_, bad[0], 0, &v), -EINVAL);
	const uint64_t last[] = { end_pfn - 1 };
	ASSERT_EQ(gmm_mem_view_map(&gm_, last, 1, &v), 0);
	gmm_mem_view_unmap(&v);
}

TEST_F(View, ConsecutiveFramesAcrossAHoleAreNotMergedIntoOneRun)
{
	// pfn 0x9f is the last of region 0 and 0xa0 is the legacy hole: refused as a whole
	const uint64_t pfns[] = { 0x9f, 0xa0 };
	struct gmm_mem_view v;

	EXPECT_EQ(gmm_mem_view_map(&gm_, pfns, 2, &v), -EFAULT);
}

using ViewDeathTest = View;

TEST_F(ViewDeathTest, HasGuardPagesOnBothSides)
{
	const uint64_t pfns[] = { 0x400, 0x401 };
	struct gmm_mem_view v;

	ASSERT_EQ(gmm_mem_view_map(&gm_, pfns, 2, &v), 0);
	volatile uint8_t *p = v.addr;
	EXPECT_DEATH(p[-1] = 1, "");
	EXPECT_DEATH(p[2 * PAGE_SIZE] = 1, "");
	gmm_mem_view_unmap(&v);
}

TEST_F(View, TranslateWalksGuestPageTablesAndSurvivesHostileOnes)
{
	struct gmm_boot_result br = {};
	uint64_t pa = 0;

	ASSERT_EQ(gmm_boot_build_page_tables(&gm_, &br), 0);
	ASSERT_EQ(gmm_mem_translate(&gm_, br.pgtable_root, PAGE_OFFSET + 0x123456, &pa), 0);
	EXPECT_EQ(pa, 0x123456u);
	// CR3 flag bits (PCD/PWT, PCID) are ignored
	ASSERT_EQ(gmm_mem_translate(&gm_, br.pgtable_root | 0x18, PAGE_OFFSET + 0x5000, &pa), 0);
	EXPECT_EQ(pa, 0x5000u);
	EXPECT_EQ(gmm_mem_translate(&gm_, br.pgtable_root, VMALLOC_START, &pa), -ENOENT);
	EXPECT_EQ(gmm_mem_translate(&gm_, br.pgtable_root, 0x0000800000000000ull, &pa), -EINVAL);
	// a root outside RAM, and a PML4 entry pointing into the PCI hole
	EXPECT_EQ(gmm_mem_translate(&gm_, GUEST_PCI_HOLE_START, PAGE_OFFSET, &pa), -EFAULT);
	uint64_t *pml4 = (uint64_t *)gmm_mem_ptr(&gm_, br.pgtable_root, PAGE_SIZE);
	ASSERT_NE(pml4, nullptr);
	pml4[300] = GUEST_PCI_HOLE_START | PTE_PRESENT | PTE_RW;
	EXPECT_EQ(gmm_mem_translate(&gm_, br.pgtable_root, 300ull << 39 | 0xffff000000000000ull, &pa),
		  -EFAULT);
}

} // namespace
