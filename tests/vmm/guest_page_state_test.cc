// SPDX-License-Identifier: MIT
// tests/vmm/guest_page_state_test.cc - the VMM initialises the buddy page state over guest
// RAM: every invariant holds, what it placed is reserved, the rest is free, and the state can
// be read back (buddyinfo) through nothing but its guest-physical address.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "tests/shim/gmm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;
constexpr uint64_t GiB = 1ull << 30;

class GuestPageState : public ::testing::TestWithParam<uint64_t> {
protected:
	void SetUp() override { ASSERT_EQ(gmm_mem_create(&gm_, GetParam(), GMM_MEM_BACKING_SHMEM), 0); }
	void TearDown() override { gmm_mem_destroy(&gm_); }
	struct gmm_mem gm_;
};

TEST_P(GuestPageState, SetupReservesWhatWasPlacedAndFreesTheRest)
{
	const struct gmm_mem_range reserved[] = {
		{ 0, 0x9f000 },			  // gmm's low-memory area
		{ 0x100000, 0x100000 + 0x5000 }, // a kernel image
	};
	struct gmm_page_state_layout gps;
	char err[256];

	ASSERT_EQ(gmm_page_state_setup(&gm_, reserved, 2, &gps), 0);
	ASSERT_TRUE(gmm_page_state_check(&gm_, gps.state_phys, err, sizeof(err))) << err;
	EXPECT_EQ(gps.max_pfn, gm_.end >> PAGE_SHIFT);
	if (gm_.nr_regions == 2) {
		EXPECT_EQ(gps.end_phys, gm_.end) << "placed at the top of RAM";
	}

	struct gmm_page_state_copy copy;
	ASSERT_EQ(gmm_page_state_copy(&gm_, gps.state_phys, &copy, err, sizeof(err)), 0) << err;
	EXPECT_EQ(gmm_page_state_max_pfn(&copy), gps.max_pfn);
	const struct page *map =
		(const struct page *)gmm_mem_ptr(&gm_, gps.map_phys, gps.max_pfn * sizeof(struct page));
	ASSERT_NE(map, nullptr);

	auto reserved_pfn = [&](uint64_t pfn) {
		bool r = gmm_page_state_block_of(&copy, pfn).kind == GMM_PAGE_BLOCK_RESERVED;
		EXPECT_EQ(r, (map[pfn].flags & PG_reserved) != 0) << "the query agrees with the array";
		return r;
	};
	EXPECT_TRUE(reserved_pfn(0));
	EXPECT_TRUE(reserved_pfn(0x9e));
	EXPECT_TRUE(reserved_pfn(0x100));
	EXPECT_TRUE(reserved_pfn(0x104));
	EXPECT_FALSE(reserved_pfn(0x105)) << "first page after the image is free";
	EXPECT_TRUE(reserved_pfn(GUEST_LEGACY_HOLE_START >> PAGE_SHIFT)) << "hole";
	EXPECT_TRUE(reserved_pfn(gps.state_phys >> PAGE_SHIFT)) << "the state itself";
	EXPECT_TRUE(reserved_pfn((gps.end_phys >> PAGE_SHIFT) - 1)) << "the page-frame array";

	uint64_t ram_pages = gm_.ram_bytes >> PAGE_SHIFT;
	uint64_t free_pages = gmm_page_state_free_pages(&copy);
	uint64_t placed = 0x9f + 5 + ((gps.end_phys - gps.state_phys) >> PAGE_SHIFT);
	EXPECT_EQ(free_pages, ram_pages - placed);

	// the free blocks, walked in the guest's lists, are the free pages and are free blocks
	struct Walk {
		const struct gmm_page_state_copy *copy;
		uint64_t pages = 0, blocks = 0, bad = 0;
	} walk{ &copy };
	ASSERT_EQ(gmm_page_state_for_each_free(
			  &copy, 0,
			  [](void *ctx, uint64_t pfn, uint64_t n) {
				  auto *w = static_cast<Walk *>(ctx);
				  struct gmm_page_block b = gmm_page_state_block_of(w->copy, pfn);
				  w->bad += b.kind != GMM_PAGE_BLOCK_FREE || b.head != pfn ||
					    (1ull << b.order) != n;
				  w->pages += n;
				  w->blocks++;
				  return 0;
			  },
			  &walk),
		  0);
	EXPECT_EQ(walk.pages, free_pages) << "no per-CPU pages yet: every free page is on a list";
	EXPECT_EQ(walk.bad, 0u);
	uint64_t big = 0;
	ASSERT_EQ(gmm_page_state_for_each_free(
			  &copy, 9,
			  [](void *ctx, uint64_t, uint64_t n) {
				  *static_cast<uint64_t *>(ctx) += n >= 512;
				  return 0;
			  },
			  &big),
		  0);
	EXPECT_GT(big, 0u) << "2 MiB blocks and larger";
	EXPECT_EQ(gmm_page_state_for_each_free(
			  &copy, 0, [](void *, uint64_t, uint64_t) { return 7; }, nullptr),
		  7)
		<< "the callback stops the walk";
	EXPECT_EQ(gmm_page_state_for_each_free(&copy, 11, nullptr, nullptr), -EINVAL);

	char buf[2048];
	ASSERT_GT(gmm_page_state_buddyinfo(&gm_, gps.state_phys, buf, sizeof(buf)), 0u);
	EXPECT_NE(std::string(buf).find("Node 0, zone      DMA"), std::string::npos) << buf;
	if (gm_.end > GUEST_HIGH_RAM_START) {
		EXPECT_NE(std::string(buf).find("Normal"), std::string::npos) << buf;
	}
}

TEST_P(GuestPageState, ReadersRefuseAStateThatIsNotThere)
{
	char buf[256];
	struct gmm_page_state_copy copy;

	for (uint64_t phys : std::vector<uint64_t>{ 0x200000, gm_.end - 8, UINT64_MAX - 4 }) {
		EXPECT_EQ(gmm_page_state_copy(&gm_, phys, &copy, buf, sizeof(buf)), -EINVAL);
		EXPECT_NE(std::string(buf).find("gmm placed no page state"), std::string::npos)
			<< buf;
	}
	struct gmm_page_state_layout gps;
	ASSERT_EQ(gmm_page_state_place(&gm_, &gps), 0);
	EXPECT_EQ(gmm_page_state_copy(&gm_, gps.state_phys, &copy, buf, sizeof(buf)), -EINVAL)
		<< "placed there, but not built: zeroed RAM, no magic";
	EXPECT_NE(std::string(buf).find("bad magic"), std::string::npos) << buf;
	EXPECT_EQ(gmm_page_state_buddyinfo(&gm_, GUEST_PCI_HOLE_START, buf, sizeof(buf)), 0u);
	EXPECT_NE(std::string(buf).find("no valid page state"), std::string::npos);
	EXPECT_FALSE(gmm_page_state_check(&gm_, 0x200000, buf, sizeof(buf)));
}

TEST(GuestPageStateHostile, AGuestScribblingOnMaxPfnCannotSendTheCheckOutsideRam)
{
	struct gmm_mem gm;
	struct gmm_page_state_layout gps;
	const struct gmm_mem_range reserved[] = { { 0, 0x9f000 } };
	char err[256];

	ASSERT_EQ(gmm_mem_create(&gm, 16 * MiB, GMM_MEM_BACKING_SHMEM), 0);
	ASSERT_EQ(gmm_page_state_setup(&gm, reserved, 1, &gps), 0);
	struct page_state *ps = (struct page_state *)gmm_mem_ptr(&gm, gps.state_phys, sizeof(*ps));
	ASSERT_NE(ps, nullptr);
	ps->max_pfn = 1ull << 40;
	EXPECT_FALSE(gmm_page_state_check(&gm, gps.state_phys, err, sizeof(err)));
	ps->max_pfn = UINT64_MAX;
	EXPECT_FALSE(gmm_page_state_check(&gm, gps.state_phys, err, sizeof(err)));
	gmm_mem_destroy(&gm);
}

// The header is checked against what gmm placed, field by field: a guest that rewrites any of
// them makes its state "not valid" for every reader, with a reason made of numbers only.
TEST_P(GuestPageState, ACopyOfAScribbledHeaderIsNotValid)
{
	const struct gmm_mem_range reserved[] = { { 0, 0x9f000 } };
	struct gmm_page_state_layout gps;
	struct gmm_page_state_copy copy;
	char why[256];

	ASSERT_EQ(gmm_page_state_setup(&gm_, reserved, 1, &gps), 0);
	auto *ps = static_cast<struct page_state *>(
		gmm_mem_ptr(&gm_, gps.state_phys, sizeof(struct page_state)));
	ASSERT_NE(ps, nullptr);
	const struct page_state good = *ps;
	ASSERT_EQ(gmm_page_state_copy(&gm_, gps.state_phys, &copy, why, sizeof(why)), 0) << why;
	EXPECT_EQ(gmm_page_state_max_pfn(&copy), gps.max_pfn);

	const std::vector<std::pair<std::function<void(struct page_state *)>, std::string>> cases = {
		{ [](struct page_state *p) { p->magic++; }, "bad magic" },
		{ [](struct page_state *p) { p->page_struct_size = 16; }, "struct page size" },
		{ [](struct page_state *p) { p->max_pfn++; }, "differ from what gmm placed" },
		{ [](struct page_state *p) { p->mem_map_phys -= 32; }, "differ from what gmm placed" },
		{ [](struct page_state *p) { memcpy(p->zones[0].name, "\x1b[31m\xff", 7); },
		  "zone 0: not named DMA" },
		{ [](struct page_state *p) { p->zones[1].end_pfn = p->max_pfn + 1; },
		  "zone DMA32: span or counts beyond max_pfn" },
		{ [](struct page_state *p) { p->zones[0].free_area[3].head = (uint32_t)p->max_pfn; },
		  "zone DMA: free list of order 3 out of range" },
		{ [](struct page_state *p) { p->zones[0].pcp[7].lists[1].count = ~0u; },
		  "zone DMA: cpu 7 list of order 1 out of range" },
	};
	for (const auto &c : cases) {
		c.first(ps);
		EXPECT_EQ(gmm_page_state_copy(&gm_, gps.state_phys, &copy, why, sizeof(why)),
			  -EINVAL)
			<< c.second;
		EXPECT_NE(std::string(why).find(c.second), std::string::npos) << why;
		EXPECT_EQ(gmm_page_state_max_pfn(&copy), 0u);
		*ps = good;
	}
	ASSERT_EQ(gmm_page_state_copy(&gm_, gps.state_phys, &copy, why, sizeof(why)), 0) << why;
}

INSTANTIATE_TEST_SUITE_P(RamSizes, GuestPageState,
			 ::testing::Values(16 * MiB, 128 * MiB, 3 * GiB + 64 * MiB),
			 [](const ::testing::TestParamInfo<uint64_t> &p) {
				 return std::to_string(p.param >> 20) + "MiB";
			 });

} // namespace
