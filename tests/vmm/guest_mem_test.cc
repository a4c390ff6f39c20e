// SPDX-License-Identifier: MIT
// tests/vmm/guest_mem_test.cc - guest RAM layout, bounds checks at every edge, guard pages.
// No KVM needed: guest RAM is a memfd mapped into this process.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "tests/shim/gmm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;
constexpr uint64_t GiB = 1ull << 30;

struct LayoutCase {
	uint64_t ram;
	int nr;
	uint64_t last_gpa, last_size;
};

TEST(GuestMemLayout, FollowsTheHoles)
{
	// RAM from 0, legacy hole at 640 KiB .. 1 MiB, PCI hole 3 GiB .. 4 GiB, rest above 4 GiB.
	const LayoutCase cases[] = {
		{ 2 * MiB, 2, GUEST_LEGACY_HOLE_END, 2 * MiB - GUEST_LEGACY_HOLE_START },
		{ 128 * MiB, 2, GUEST_LEGACY_HOLE_END, 128 * MiB - GUEST_LEGACY_HOLE_START },
		{ 3 * GiB - 384 * 1024, 2, GUEST_LEGACY_HOLE_END, GUEST_PCI_HOLE_START - MiB },
		{ 3 * GiB, 3, GUEST_HIGH_RAM_START, 384 * 1024 },
		{ 8 * GiB, 3, GUEST_HIGH_RAM_START, 8 * GiB - GUEST_LEGACY_HOLE_START -
							    (GUEST_PCI_HOLE_START - MiB) },
	};
	for (const auto &c : cases) {
		struct gmm_mem_region r[GMM_MEM_MAX_REGIONS];
		int n = gmm_mem_layout(c.ram, r);
		uint64_t total = 0;

		ASSERT_EQ(n, c.nr) << "ram " << c.ram;
		EXPECT_EQ(r[0].gpa, 0u);
		EXPECT_EQ(r[0].size, GUEST_LEGACY_HOLE_START);
		EXPECT_EQ(r[n - 1].gpa, c.last_gpa);
		EXPECT_EQ(r[n - 1].size, c.last_size);
		for (int i = 0; i < n; i++)
			total += r[i].size;
		EXPECT_EQ(total, c.ram);
	}
}

TEST(GuestMemLayout, RefusesSizesOutOfRange)
{
	struct gmm_mem_region r[GMM_MEM_MAX_REGIONS];

	EXPECT_EQ(gmm_mem_layout(0, r), -EINVAL);
	EXPECT_EQ(gmm_mem_layout(GMM_MEM_MIN_RAM - PAGE_SIZE, r), -EINVAL);
	EXPECT_EQ(gmm_mem_layout(GMM_MEM_MAX_RAM + PAGE_SIZE, r), -EINVAL);
	EXPECT_EQ(gmm_mem_layout(UINT64_MAX, r), -EINVAL);
}

class GuestMem : public ::testing::Test {
protected:
	void SetUp() override { ASSERT_EQ(gmm_mem_create(&gm_, 64 * MiB, GMM_MEM_BACKING_SHMEM), 0); }
	void TearDown() override { gmm_mem_destroy(&gm_); }
	struct gmm_mem gm_;
};

struct RangeCase {
	const char *what;
	uint64_t gpa, len;
	bool ok;
};

TEST_F(GuestMem, BoundsChecksAtEveryEdge)
{
	const uint64_t end = gm_.end; // one past the last byte of RAM
	const RangeCase cases[] = {
		{ "first byte", 0, 1, true },
		{ "whole low region", 0, GUEST_LEGACY_HOLE_START, true },
		{ "last byte below the legacy hole", GUEST_LEGACY_HOLE_START - 1, 1, true },
		{ "one past, into the legacy hole", GUEST_LEGACY_HOLE_START, 1, false },
		{ "crossing into the legacy hole", GUEST_LEGACY_HOLE_START - 1, 2, false },
		{ "crossing the hole into the next region", GUEST_LEGACY_HOLE_START - 8,
		  GUEST_LEGACY_HOLE_END - GUEST_LEGACY_HOLE_START + 16, false },
		{ "last byte of the hole", GUEST_LEGACY_HOLE_END - 1, 1, false },
		{ "first byte after the hole", GUEST_LEGACY_HOLE_END, 1, true },
		{ "last byte of RAM", end - 1, 1, true },
		{ "last 4 KiB of RAM", end - PAGE_SIZE, PAGE_SIZE, true },
		{ "one past the end", end, 1, false },
		{ "crossing the end", end - 1, 2, false },
		{ "PCI hole", GUEST_PCI_HOLE_START, 4, false },
		{ "local APIC", APIC_DEFAULT_PHYS_BASE, 4, false },
		{ "above 4 GiB (no RAM there at 64 MiB)", GUEST_HIGH_RAM_START, 1, false },
		{ "empty range", 0x200000, 0, false },
		{ "wraps around", UINT64_MAX, 2, false },
		{ "wraps around from RAM", 0x200000, UINT64_MAX, false },
		{ "huge length", 0, UINT64_MAX, false },
		{ "last address, length 1", UINT64_MAX, 1, false },
	};
	for (const auto &c : cases) {
		SCOPED_TRACE(c.what);
		EXPECT_EQ(gmm_mem_is_ram(&gm_, c.gpa, c.len), c.ok);
		void *p = gmm_mem_ptr(&gm_, c.gpa, c.len);
		EXPECT_EQ(p != nullptr, c.ok);
		if (p) {
			EXPECT_EQ(p, gm_.base + c.gpa) << "linear view: host = base + gpa";
		}
	}
}

TEST_F(GuestMem, ReadWriteCopyAreAllOrNothing)
{
	const uint64_t edge = GUEST_LEGACY_HOLE_START;
	std::vector<uint8_t> buf(16, 0xab), out(16, 0);

	ASSERT_EQ(gmm_mem_write(&gm_, edge - 16, buf.data(), 16), 0);
	ASSERT_EQ(gmm_mem_read(&gm_, edge - 16, out.data(), 16), 0);
	EXPECT_EQ(out, buf);

	// one byte too far: nothing may be written, not even the part inside RAM
	std::vector<uint8_t> other(17, 0xcd);
	EXPECT_EQ(gmm_mem_write(&gm_, edge - 16, other.data(), 17), -EFAULT);
	ASSERT_EQ(gmm_mem_read(&gm_, edge - 16, out.data(), 16), 0);
	EXPECT_EQ(out, buf);
	std::vector<uint8_t> big(17, 0);
	EXPECT_EQ(gmm_mem_read(&gm_, edge - 16, big.data(), 17), -EFAULT);
	EXPECT_EQ(big, std::vector<uint8_t>(17, 0)) << "a refused read copies nothing";

	// copy: between regions is fine, each range checked on its own
	ASSERT_EQ(gmm_mem_copy(&gm_, GUEST_LEGACY_HOLE_END, edge - 16, 16), 0);
	ASSERT_EQ(gmm_mem_read(&gm_, GUEST_LEGACY_HOLE_END, out.data(), 16), 0);
	EXPECT_EQ(out, buf);
	EXPECT_EQ(gmm_mem_copy(&gm_, edge - 8, GUEST_LEGACY_HOLE_END, 16), -EFAULT);
	EXPECT_EQ(gmm_mem_copy(&gm_, GUEST_LEGACY_HOLE_END, gm_.end - 8, 16), -EFAULT);
	// overlapping copy is a memmove
	ASSERT_EQ(gmm_mem_copy(&gm_, GUEST_LEGACY_HOLE_END + 4, GUEST_LEGACY_HOLE_END, 16), 0);
	ASSERT_EQ(gmm_mem_read(&gm_, GUEST_LEGACY_HOLE_END + 4, out.data(), 16), 0);
	EXPECT_EQ(out, buf);
	// length 0 is a no-op anywhere
	EXPECT_EQ(gmm_mem_read(&gm_, UINT64_MAX, out.data(), 0), 0);
}

TEST_F(GuestMem, ResidentBytesCountsWhatWasTouched)
{
	uint64_t before = gmm_mem_resident_bytes(&gm_);
	uint8_t one = 1;

	for (uint64_t gpa = 2 * MiB; gpa < 3 * MiB; gpa += PAGE_SIZE)
		ASSERT_EQ(gmm_mem_write(&gm_, gpa, &one, 1), 0);
	EXPECT_EQ(gmm_mem_resident_bytes(&gm_) - before, 1 * MiB);
}

using GuestMemDeathTest = GuestMem;

TEST_F(GuestMemDeathTest, GuardPagesSurroundEveryRegion)
{
	volatile uint8_t *base = gm_.base;

	EXPECT_DEATH(base[-1] = 1, "") << "guard page before gpa 0";
	EXPECT_DEATH(base[GUEST_LEGACY_HOLE_START] = 1, "") << "after region 0";
	EXPECT_DEATH(base[GUEST_LEGACY_HOLE_END - 1] = 1, "") << "before region 1";
	EXPECT_DEATH(base[gm_.end] = 1, "") << "guard page after the end";
}

TEST(GuestMemHigh, RegionAboveFourGiB)
{
	struct gmm_mem gm;

	// 3 GiB + 8 MiB: the last 8 MiB + 384 KiB live above 4 GiB (sparse: costs nothing)
	ASSERT_EQ(gmm_mem_create(&gm, 3 * GiB + 8 * MiB, GMM_MEM_BACKING_SHMEM), 0);
	ASSERT_EQ(gm.nr_regions, 3u);
	EXPECT_TRUE(gmm_mem_is_ram(&gm, GUEST_PCI_HOLE_START - 1, 1));
	EXPECT_FALSE(gmm_mem_is_ram(&gm, GUEST_PCI_HOLE_START - 1, 2));
	EXPECT_FALSE(gmm_mem_is_ram(&gm, GUEST_PCI_HOLE_END - 1, 1));
	EXPECT_TRUE(gmm_mem_is_ram(&gm, GUEST_HIGH_RAM_START, PAGE_SIZE));
	EXPECT_TRUE(gmm_mem_is_ram(&gm, gm.end - 1, 1));
	EXPECT_FALSE(gmm_mem_is_ram(&gm, gm.end, 1));
	uint32_t v = 0x12345678, r = 0;
	ASSERT_EQ(gmm_mem_write(&gm, GUEST_HIGH_RAM_START + 100, &v, 4), 0);
	ASSERT_EQ(gmm_mem_read(&gm, GUEST_HIGH_RAM_START + 100, &r, 4), 0);
	EXPECT_EQ(r, v);
	gmm_mem_destroy(&gm);
}

} // namespace
