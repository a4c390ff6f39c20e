// SPDX-License-Identifier: MIT
// tests/vmm/guest_page_state_test.cc - the VMM initialises the buddy page state over guest
// RAM: every invariant holds, what it placed is reserved, the rest is free, and the state can
// be read back (buddyinfo) through nothing but its guest-physical address.
#include <gtest/gtest.h>

#include <string>

#include "tests/shim/gmm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;
constexpr uint64_t GiB = 1ull << 30;

class GuestPageState : public ::testing::TestWithParam<uint64_t> {
protected:
	void SetUp() override { ASSERT_EQ(gmem_create(&gm_, GetParam(), GMEM_BACKING_SHMEM), 0); }
	void TearDown() override { gmem_destroy(&gm_); }
	struct gmem gm_;
};

TEST_P(GuestPageState, SetupReservesWhatWasPlacedAndFreesTheRest)
{
	const struct mem_range reserved[] = {
		{ 0, 0x9f000 },			  // gmm's low-memory area
		{ 0x100000, 0x100000 + 0x5000 }, // a kernel image
	};
	struct guest_page_state gps;
	char err[256];

	ASSERT_EQ(guest_page_state_setup(&gm_, reserved, 2, &gps), 0);
	ASSERT_TRUE(guest_page_state_check(&gm_, gps.state_phys, err, sizeof(err))) << err;
	EXPECT_EQ(gps.max_pfn, gm_.end >> PAGE_SHIFT);
	if (gm_.nr_regions == 2) {
		EXPECT_EQ(gps.end_phys, gm_.end) << "placed at the top of RAM";
	}

	const struct page_state *ps = guest_page_state_get(&gm_, gps.state_phys);
	ASSERT_NE(ps, nullptr);
	EXPECT_EQ(ps->mem_map_phys, gps.map_phys);
	const struct page *map =
		(const struct page *)gmem_ptr(&gm_, gps.map_phys, gps.max_pfn * sizeof(struct page));
	ASSERT_NE(map, nullptr);

	auto reserved_pfn = [&](uint64_t pfn) { return (map[pfn].flags & PG_reserved) != 0; };
	EXPECT_TRUE(reserved_pfn(0));
	EXPECT_TRUE(reserved_pfn(0x9e));
	EXPECT_TRUE(reserved_pfn(0x100));
	EXPECT_TRUE(reserved_pfn(0x104));
	EXPECT_FALSE(reserved_pfn(0x105)) << "first page after the image is free";
	EXPECT_TRUE(reserved_pfn(GUEST_LEGACY_HOLE_START >> PAGE_SHIFT)) << "hole";
	EXPECT_TRUE(reserved_pfn(gps.state_phys >> PAGE_SHIFT)) << "the state itself";
	EXPECT_TRUE(reserved_pfn((gps.end_phys >> PAGE_SHIFT) - 1)) << "the page-frame array";

	uint64_t free_pages = 0, ram_pages = gm_.ram_bytes >> PAGE_SHIFT;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		free_pages += page_state_free_pages(ps, (enum zone_type)z);
	uint64_t placed = 0x9f + 5 + ((gps.end_phys - gps.state_phys) >> PAGE_SHIFT);
	EXPECT_EQ(free_pages, ram_pages - placed);

	char buf[2048];
	ASSERT_GT(guest_page_state_buddyinfo(&gm_, gps.state_phys, buf, sizeof(buf)), 0u);
	EXPECT_NE(std::string(buf).find("Node 0, zone      DMA"), std::string::npos) << buf;
	if (gm_.end > GUEST_HIGH_RAM_START) {
		EXPECT_NE(std::string(buf).find("Normal"), std::string::npos) << buf;
	}
}

TEST_P(GuestPageState, ReadersRefuseAStateThatIsNotThere)
{
	char buf[256];

	EXPECT_EQ(guest_page_state_get(&gm_, 0x200000), nullptr) << "zeroed RAM: no magic";
	EXPECT_EQ(guest_page_state_get(&gm_, gm_.end - 8), nullptr) << "runs past RAM";
	EXPECT_EQ(guest_page_state_get(&gm_, UINT64_MAX - 4), nullptr) << "wraps";
	EXPECT_EQ(guest_page_state_buddyinfo(&gm_, GUEST_PCI_HOLE_START, buf, sizeof(buf)), 0u);
	EXPECT_NE(std::string(buf).find("no valid page state"), std::string::npos);
	EXPECT_FALSE(guest_page_state_check(&gm_, 0x200000, buf, sizeof(buf)));
}

TEST(GuestPageStateHostile, AGuestScribblingOnMaxPfnCannotSendTheCheckOutsideRam)
{
	struct gmem gm;
	struct guest_page_state gps;
	const struct mem_range reserved[] = { { 0, 0x9f000 } };
	char err[256];

	ASSERT_EQ(gmem_create(&gm, 16 * MiB, GMEM_BACKING_SHMEM), 0);
	ASSERT_EQ(guest_page_state_setup(&gm, reserved, 1, &gps), 0);
	struct page_state *ps = (struct page_state *)gmem_ptr(&gm, gps.state_phys, sizeof(*ps));
	ASSERT_NE(ps, nullptr);
	ps->max_pfn = 1ull << 40;
	EXPECT_FALSE(guest_page_state_check(&gm, gps.state_phys, err, sizeof(err)));
	ps->max_pfn = UINT64_MAX;
	EXPECT_FALSE(guest_page_state_check(&gm, gps.state_phys, err, sizeof(err)));
	gmem_destroy(&gm);
}

INSTANTIATE_TEST_SUITE_P(RamSizes, GuestPageState,
			 ::testing::Values(16 * MiB, 128 * MiB, 3 * GiB + 64 * MiB),
			 [](const ::testing::TestParamInfo<uint64_t> &p) {
				 return std::to_string(p.param >> 20) + "MiB";
			 });

} // namespace
