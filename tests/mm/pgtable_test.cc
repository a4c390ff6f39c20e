// SPDX-License-Identifier: MIT
// tests/mm/pgtable_test.cc - the 4-level page tables of mm/pgtable.c, checked by walking them
// back: every mapped address translates, large pages where aligned, permissions as asked,
// unmapping frees empty tables, bad requests refused without a change, hostile tables survived.
#include <cstdio>
#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "tests/shim/pgtable_shim.h"

namespace
{

constexpr uint64_t kPoolPhys = 0x10000000; // table pages live at 256 MiB..
constexpr uint64_t K4 = PGT_SIZE_4K, M2 = PGT_SIZE_2M, G1 = PGT_SIZE_1G;

class PgtableTest : public ::testing::Test {
    protected:
	void SetUp() override
	{
		ASSERT_EQ(shim_pt_pool_init(&pool_, 256, kPoolPhys), 0);
		ASSERT_EQ(pgt_init(&pgt_, &shim_pt_pool_ops, &pool_), 0);
	}
	void TearDown() override
	{
		pgt_destroy(&pgt_);
		EXPECT_EQ(pool_.nr_used, 0u) << "pgt_destroy leaked table pages";
		EXPECT_EQ(pool_.bad_frees, 0u);
		shim_pt_pool_destroy(&pool_);
	}
	// The tables are consistent: what we allocated is what is reachable, none is empty.
	void ExpectTablesConsistent()
	{
		EXPECT_EQ(pgt_count_tables(&pgt_), (long)pgt_.nr_tables);
		EXPECT_EQ(pool_.nr_used, pgt_.nr_tables);
	}
	uint64_t Pa(uint64_t va)
	{
		uint64_t pa = ~0ull;
		EXPECT_EQ(pgt_translate(&pgt_, va, &pa), 0) << std::hex << va;
		return pa;
	}
	struct shim_pt_pool pool_;
	struct pgt pgt_;
};

TEST(GuestLayout, MatchesArchitecture)
{
	EXPECT_EQ(PAGE_OFFSET, 0xffff888000000000ull);
	EXPECT_EQ(VMALLOC_START, 0xffffc90000000000ull);
	EXPECT_EQ(VMALLOC_END, 0xffffe8ffffffffffull);
	EXPECT_EQ(shim_start_kernel_map(), 0xffffffff80000000ull);
	EXPECT_EQ(VMALLOC_SIZE_MAX, 32ull << 40);
	EXPECT_EQ(GUEST_KERNEL_LOAD_PHYS, 1ull << 20);
	EXPECT_EQ(IO_APIC_DEFAULT_PHYS_BASE, 0xFEC00000ull);
	EXPECT_EQ(APIC_DEFAULT_PHYS_BASE, 0xFEE00000ull);
	EXPECT_LT(GUEST_LEGACY_HOLE_START, GUEST_LEGACY_HOLE_END);
	// both APICs sit in the PCI hole, which ends where high RAM starts
	EXPECT_GE(IO_APIC_DEFAULT_PHYS_BASE, GUEST_PCI_HOLE_START);
	EXPECT_LT(APIC_DEFAULT_PHYS_BASE, GUEST_PCI_HOLE_END);
	EXPECT_EQ(GUEST_HIGH_RAM_START, GUEST_PCI_HOLE_END);
	for (uint64_t a : { (uint64_t)PAGE_OFFSET, (uint64_t)VMALLOC_START, (uint64_t)VMALLOC_END,
			    shim_start_kernel_map() })
		EXPECT_TRUE(pgt_canonical(a)) << std::hex << a;
	EXPECT_LT(PAGE_OFFSET + DIRECT_MAP_SIZE_MAX - 1, VMALLOC_START);
}

TEST_F(PgtableTest, FourKPagesTranslateBack)
{
	const uint64_t va = VMALLOC_START + 0x5000;
	ASSERT_EQ(pgt_map(&pgt_, va, 0x123000, 8 * K4, PGT_KERNEL_RW), 0);
	for (uint64_t off = 0; off < 8 * K4; off += 0x7f8)
		EXPECT_EQ(Pa(va + off), 0x123000 + off);
	struct pgt_walk w;
	EXPECT_EQ(pgt_walk(&pgt_, va - 1, &w), -ENOENT);
	EXPECT_EQ(pgt_walk(&pgt_, va + 8 * K4, &w), -ENOENT);
	EXPECT_EQ(pgt_walk(&pgt_, va, &w), 0);
	EXPECT_EQ(w.level, 1);
	EXPECT_EQ(w.page_size, K4);
	EXPECT_EQ(pgt_.nr_tables, 4u); // root, PDPT, PD, PT
	ExpectTablesConsistent();
}

TEST_F(PgtableTest, LargePagesWhereAligned)
{
	// 1 GiB + 2 MiB + 4 KiB, va and pa both 1 GiB aligned: one 1G leaf, one 2M leaf, one 4K leaf.
	const uint64_t va = PAGE_OFFSET + 4 * G1, pa = 4 * G1;
	ASSERT_EQ(pgt_map(&pgt_, va, pa, G1 + M2 + K4, PGT_KERNEL_RW), 0);
	struct pgt_walk w;
	ASSERT_EQ(pgt_walk(&pgt_, va + 12345, &w), 0);
	EXPECT_EQ(w.page_size, G1);
	EXPECT_EQ(w.level, 3);
	EXPECT_EQ(w.pa, pa + 12345);
	EXPECT_NE(w.entry & PTE_PSE, 0u);
	ASSERT_EQ(pgt_walk(&pgt_, va + G1 + 77, &w), 0);
	EXPECT_EQ(w.page_size, M2);
	EXPECT_EQ(w.pa, pa + G1 + 77);
	ASSERT_EQ(pgt_walk(&pgt_, va + G1 + M2 + 5, &w), 0);
	EXPECT_EQ(w.page_size, K4);
	EXPECT_EQ(w.pa, pa + G1 + M2 + 5);
	ExpectTablesConsistent();
	EXPECT_EQ(pgt_.nr_tables, 4u);
}

TEST_F(PgtableTest, MisalignedPhysicalUsesSmallPages)
{
	// va 2 MiB aligned, pa only 4 KiB aligned: no 2 MiB leaf may be used.
	const uint64_t va = PAGE_OFFSET + 8 * M2;
	ASSERT_EQ(pgt_map(&pgt_, va, 0x201000, 2 * M2, PGT_KERNEL_RW), 0);
	struct pgt_walk w;
	for (uint64_t off = 0; off < 2 * M2; off += K4) {
		ASSERT_EQ(pgt_walk(&pgt_, va + off, &w), 0);
		ASSERT_EQ(w.page_size, K4);
		ASSERT_EQ(w.pa, 0x201000 + off);
	}
	ExpectTablesConsistent();
}

TEST_F(PgtableTest, NoHugeFlagForcesSmallPages)
{
	const uint64_t va = PAGE_OFFSET;
	ASSERT_EQ(pgt_map(&pgt_, va, 0, M2, PGT_KERNEL_RW | PGT_NO_HUGE), 0);
	struct pgt_walk w;
	ASSERT_EQ(pgt_walk(&pgt_, va + M2 - 1, &w), 0);
	EXPECT_EQ(w.page_size, K4);
	EXPECT_EQ(w.pa, M2 - 1);
}

TEST_F(PgtableTest, PermissionsAsAsked)
{
	const unsigned int bits[] = { PGT_WRITE, PGT_USER, PGT_NX, PGT_UNCACHED, PGT_GLOBAL };
	for (unsigned int prot = 0; prot < 32; prot++) {
		unsigned int p = 0;
		for (unsigned int b = 0; b < 5; b++)
			if (prot & (1u << b))
				p |= bits[b];
		const uint64_t va = VMALLOC_START + (uint64_t)prot * M2; // large page each
		ASSERT_EQ(pgt_map(&pgt_, va, M2 * prot, M2, p), 0);
		struct pgt_walk w;
		ASSERT_EQ(pgt_walk(&pgt_, va, &w), 0);
		EXPECT_EQ(w.prot, p) << "prot " << p;
		EXPECT_EQ((w.entry & PTE_RW) != 0, (p & PGT_WRITE) != 0);
		EXPECT_EQ((w.entry & PTE_USER) != 0, (p & PGT_USER) != 0);
		EXPECT_EQ((w.entry & PTE_NX) != 0, (p & PGT_NX) != 0);
		EXPECT_EQ((w.entry & (PTE_PCD | PTE_PWT)) != 0, (p & PGT_UNCACHED) != 0);
		EXPECT_EQ((w.entry & PTE_GLOBAL) != 0, (p & PGT_GLOBAL) != 0);
		// 4 KiB leaf with the same protection
		ASSERT_EQ(pgt_map(&pgt_, va + G1 * 64, 0x5000, K4, p), 0);
		ASSERT_EQ(pgt_walk(&pgt_, va + G1 * 64, &w), 0);
		EXPECT_EQ(w.prot, p);
	}
	ExpectTablesConsistent();
}

TEST_F(PgtableTest, UnmapFreesEmptyTables)
{
	const uint64_t va = VMALLOC_START + 3 * G1 + 5 * M2;
	ASSERT_EQ(pgt_map(&pgt_, va, 0x40000, 3 * K4, PGT_KERNEL_RW), 0);
	ASSERT_EQ(pgt_map(&pgt_, va + G1, 0x80000, K4, PGT_KERNEL_RW), 0);
	EXPECT_EQ(pgt_.nr_tables, 6u); // root, PDPT, 2 x (PD, PT)
	// Unmapping one of three pages frees nothing; the rest of that PT frees PT and PD.
	ASSERT_EQ(pgt_unmap(&pgt_, va + K4, K4), 0);
	EXPECT_EQ(pgt_.nr_tables, 6u);
	struct pgt_walk w;
	EXPECT_EQ(pgt_walk(&pgt_, va + K4, &w), -ENOENT);
	EXPECT_EQ(Pa(va + 2 * K4), 0x42000u);
	ASSERT_EQ(pgt_unmap(&pgt_, va, 3 * K4), 0); // holes inside are skipped
	EXPECT_EQ(pgt_.nr_tables, 4u);
	ExpectTablesConsistent();
	ASSERT_EQ(pgt_unmap(&pgt_, va + G1, K4), 0);
	EXPECT_EQ(pgt_.nr_tables, 1u); // only the root left
	ExpectTablesConsistent();
	EXPECT_EQ(pool_.nr_used, 1u);
}

TEST_F(PgtableTest, UnmapOfLargePages)
{
	const uint64_t va = PAGE_OFFSET;
	ASSERT_EQ(pgt_map(&pgt_, va, 0, G1 + 2 * M2, PGT_KERNEL_RW), 0);
	// cutting a large page at either end is refused and changes nothing
	EXPECT_EQ(pgt_unmap(&pgt_, va + K4, M2), -EINVAL);
	EXPECT_EQ(pgt_unmap(&pgt_, va + G1, M2 + K4), -EINVAL);
	EXPECT_EQ(Pa(va + K4), K4);
	ASSERT_EQ(pgt_unmap(&pgt_, va + G1, M2), 0);
	struct pgt_walk w;
	EXPECT_EQ(pgt_walk(&pgt_, va + G1, &w), -ENOENT);
	EXPECT_EQ(Pa(va + G1 + M2), G1 + M2);
	ASSERT_EQ(pgt_unmap(&pgt_, va, G1 + 2 * M2), 0);
	EXPECT_EQ(pgt_.nr_tables, 1u);
	ExpectTablesConsistent();
}

TEST_F(PgtableTest, BadRequestsRefused)
{
	const uint64_t va = VMALLOC_START;
	struct {
		uint64_t va, pa, size;
	} bad[] = {
		{ va + 1, 0, K4 },		      // unaligned va
		{ va, 0x800, K4 },		      // unaligned pa
		{ va, 0, K4 + 1 },		      // unaligned size
		{ va, 0, 0 },			      // empty
		{ 0x0000800000000000ull, 0, K4 },     // non-canonical
		{ 0x00007ffffffff000ull, 0, 2 * K4 }, // runs into the hole
		{ 0xfffffffffffff000ull, 0, 2 * K4 }, // wraps past 2^64
		{ va, PGT_MAX_PHYS, K4 },	      // physical address too large
		{ va, PGT_MAX_PHYS - K4, 2 * K4 },    // physical range too large
	};
	for (auto &b : bad) {
		EXPECT_EQ(pgt_map(&pgt_, b.va, b.pa, b.size, PGT_KERNEL_RW), -EINVAL)
			<< std::hex << b.va << " " << b.pa << " " << b.size;
		if (b.pa == 0) {
			EXPECT_EQ(pgt_unmap(&pgt_, b.va, b.size), -EINVAL) << std::hex << b.va;
		}
	}
	EXPECT_EQ(pgt_.nr_tables, 1u);
	struct pgt_walk w;
	EXPECT_EQ(pgt_walk(&pgt_, 0x0000800000000000ull, &w), -EINVAL);
	// the top page of the address space and the bottom page are fine
	EXPECT_EQ(pgt_map(&pgt_, 0xfffffffffffff000ull, 0x9000, K4, PGT_KERNEL_RW), 0);
	EXPECT_EQ(Pa(0xffffffffffffffffull), 0x9fffu);
	EXPECT_EQ(pgt_map(&pgt_, 0, 0x9000, K4, PGT_KERNEL_RW), 0);
	EXPECT_EQ(pgt_unmap(&pgt_, 0xfffffffffffff000ull, K4), 0);
	EXPECT_EQ(pgt_unmap(&pgt_, 0, K4), 0);
	EXPECT_EQ(pgt_.nr_tables, 1u);
}

TEST_F(PgtableTest, OverlapRefusedAndUndone)
{
	const uint64_t va = VMALLOC_START + 64 * M2;
	ASSERT_EQ(pgt_map(&pgt_, va + 10 * K4, 0xa000, K4, PGT_KERNEL_RW), 0);
	const uint64_t tables = pgt_.nr_tables;
	// overlaps at its 11th page: the 10 pages before are undone, the old page kept
	EXPECT_EQ(pgt_map(&pgt_, va, 0x100000, 16 * K4, PGT_KERNEL_RW), -EEXIST);
	struct pgt_walk w;
	for (int i = 0; i < 16; i++)
		if (i != 10) {
			EXPECT_EQ(pgt_walk(&pgt_, va + i * K4, &w), -ENOENT) << i;
		}
	EXPECT_EQ(Pa(va + 10 * K4), 0xa000u);
	EXPECT_EQ(pgt_.nr_tables, tables);
	// a large page over a mapped 4 KiB page, and 4 KiB pages inside a large page
	EXPECT_EQ(pgt_map(&pgt_, va, 0, M2, PGT_KERNEL_RW), -EEXIST);
	ASSERT_EQ(pgt_map(&pgt_, va + G1, 0, M2, PGT_KERNEL_RW), 0);
	EXPECT_EQ(pgt_map(&pgt_, va + G1 + K4, 0, K4, PGT_KERNEL_RW), -EEXIST);
	// crossing from fresh space into the large page: new tables are given back
	const uint64_t before = pgt_.nr_tables;
	EXPECT_EQ(pgt_map(&pgt_, va + G1 - K4, 0, 2 * K4, PGT_KERNEL_RW), -EEXIST);
	EXPECT_EQ(pgt_.nr_tables, before);
	ExpectTablesConsistent();
}

TEST_F(PgtableTest, OutOfTablePagesUndone)
{
	const uint64_t va = VMALLOC_START + 7 * G1;
	pool_.allocs_left = 2; // PDPT and PD, then the PT fails
	EXPECT_EQ(pgt_map(&pgt_, va, 0, K4, PGT_KERNEL_RW), -ENOMEM);
	EXPECT_EQ(pgt_.nr_tables, 1u);
	ExpectTablesConsistent();
	// a range that fails half way: the first part was mapped, all of it is undone
	pool_.allocs_left = 3; // PDPT, PD, PT, then the second PT fails
	EXPECT_EQ(pgt_map(&pgt_, va + M2 - 2 * K4, 0, 4 * K4, PGT_KERNEL_RW), -ENOMEM);
	EXPECT_EQ(pgt_.nr_tables, 1u);
	ExpectTablesConsistent();
	pool_.allocs_left = ~0u;
	EXPECT_EQ(pgt_map(&pgt_, va + M2 - 2 * K4, 0, 4 * K4, PGT_KERNEL_RW), 0);
}

TEST_F(PgtableTest, HostileTablesEndTheWalk)
{
	const uint64_t va = VMALLOC_START;
	ASSERT_EQ(pgt_map(&pgt_, va, 0, K4, PGT_KERNEL_RW), 0);
	struct pgt_walk w;
	ASSERT_EQ(pgt_walk(&pgt_, va, &w), 0);
	// Point the PT's parent entry (in the PD) outside the pool: the walk must stop cleanly.
	ASSERT_EQ(pgt_walk(&pgt_, va + M2, &w), -ENOENT); // stops at the PD entry for va + 2M
	uint64_t *pd_entry = shim_pt_entry(&pool_, w.entry_pa - 8); // the entry for va
	ASSERT_NE(pd_entry, nullptr);
	const uint64_t saved = *pd_entry;
	*pd_entry = 0x7ff00000000ull | PTE_PRESENT | PTE_RW;
	EXPECT_EQ(pgt_walk(&pgt_, va, &w), -EFAULT);
	uint64_t pa;
	EXPECT_EQ(pgt_translate(&pgt_, va, &pa), -EFAULT);
	EXPECT_EQ(pgt_count_tables(&pgt_), -EFAULT);
	*pd_entry = saved;
	// attach refuses an unreachable or unaligned root
	struct pgt other;
	EXPECT_EQ(pgt_attach(&other, 0x7ff00000000ull, &shim_pt_pool_ops, &pool_), -EINVAL);
	EXPECT_EQ(pgt_attach(&other, pgt_.root + 8, &shim_pt_pool_ops, &pool_), -EINVAL);
	ASSERT_EQ(pgt_attach(&other, pgt_.root, &shim_pt_pool_ops, &pool_), 0);
	EXPECT_EQ(pgt_translate(&other, va + 5, &pa), 0);
	EXPECT_EQ(pa, 5u);
}

struct Leaf {
	uint64_t va, pa, size;
};

static void collect_leaf(void *arg, uint64_t va, uint64_t pa, uint64_t size)
{
	static_cast<std::vector<Leaf> *>(arg)->push_back({ va, pa, size });
}

TEST_F(PgtableTest, UnmapVisitReportsEveryLeaf)
{
	// one 2 MiB leaf and three 4 KiB leaves; the visitor sees each once, with its size
	const uint64_t va = PAGE_OFFSET + 16 * M2;
	ASSERT_EQ(pgt_map(&pgt_, va, 32 * M2, M2 + 3 * K4, PGT_KERNEL_RW), 0);
	std::vector<Leaf> leaves;
	ASSERT_EQ(pgt_unmap_visit(&pgt_, va, M2 + 3 * K4, collect_leaf, &leaves), 0);
	ASSERT_EQ(leaves.size(), 4u);
	EXPECT_EQ(leaves[0].va, va);
	EXPECT_EQ(leaves[0].pa, 32 * M2);
	EXPECT_EQ(leaves[0].size, M2);
	for (int i = 1; i < 4; i++) {
		EXPECT_EQ(leaves[i].va, va + M2 + (i - 1) * K4);
		EXPECT_EQ(leaves[i].pa, 33 * M2 + (i - 1) * K4);
		EXPECT_EQ(leaves[i].size, K4);
	}
	EXPECT_EQ(pgt_.nr_tables, 1u);
}

// Regression: a table's count of present entries (kept in its parent entry) must follow
// every map and unmap, or unmap frees a table that still maps pages.
TEST_F(PgtableTest, EntryCountsFollowMapAndUnmap)
{
	const uint64_t va = VMALLOC_START;
	for (int i = 0; i < 512; i += 2)
		ASSERT_EQ(pgt_map(&pgt_, va + i * K4, i * K4, K4, PGT_KERNEL_RW), 0);
	ExpectTablesConsistent();
	for (int i = 0; i < 510; i += 2)
		ASSERT_EQ(pgt_unmap(&pgt_, va + i * K4, 2 * K4), 0); // each covers one hole too
	EXPECT_EQ(pgt_.nr_tables, 4u);				     // the last page keeps its PT
	EXPECT_EQ(Pa(va + 510 * K4), 510 * K4);
	ExpectTablesConsistent();
	ASSERT_EQ(pgt_unmap(&pgt_, va + 510 * K4, K4), 0);
	EXPECT_EQ(pgt_.nr_tables, 1u);
}

// Random maps and unmaps of 4 KiB runs (and aligned 2 MiB runs) against a reference model.
TEST_F(PgtableTest, RandomizedAgainstModel)
{
	const unsigned int seed = 0x9a11e5;
	std::printf("seed %u\n", seed);
	std::mt19937_64 rng(seed);
	std::map<uint64_t, uint64_t> model; // va page -> pa page (4 KiB granules)
	const uint64_t base = VMALLOC_START + 5 * G1;
	const uint64_t span = 8 * M2; // eight PTs under one PD
	for (int step = 0; step < 3000; step++) {
		bool large = (rng() % 8) == 0;
		uint64_t gran = large ? M2 : K4;
		uint64_t npages = large ? 1 : 1 + rng() % 40;
		uint64_t va = base + (rng() % (span / gran)) * gran;
		if (va + npages * gran > base + span)
			npages = (base + span - va) / gran;
		uint64_t size = npages * gran;
		uint64_t pa = (rng() % 4096) * gran;
		if (rng() % 2) {
			bool overlap = false;
			for (uint64_t o = 0; o < size; o += K4)
				overlap |= model.count(va + o) != 0;
			int ret = pgt_map(&pgt_, va, pa, size, PGT_KERNEL_RW);
			if (overlap) {
				ASSERT_EQ(ret, -EEXIST) << "step " << step;
			} else {
				ASSERT_EQ(ret, 0) << "step " << step;
				for (uint64_t o = 0; o < size; o += K4)
					model[va + o] = pa + o;
			}
		} else {
			// unmap is refused if it would cut a large page: model that via walk
			struct pgt_walk w;
			bool cut = (pgt_walk(&pgt_, va, &w) == 0 && (va & (w.page_size - 1))) ||
				   (pgt_walk(&pgt_, va + size, &w) == 0 &&
				    ((va + size) & (w.page_size - 1)));
			int ret = pgt_unmap(&pgt_, va, size);
			if (cut) {
				ASSERT_EQ(ret, -EINVAL);
			} else {
				ASSERT_EQ(ret, 0);
				for (uint64_t o = 0; o < size; o += K4)
					model.erase(va + o);
			}
		}
		if (step % 100 == 0 || step == 2999) {
			for (uint64_t o = 0; o < span; o += K4) {
				uint64_t pa_got;
				int ret = pgt_translate(&pgt_, base + o, &pa_got);
				auto it = model.find(base + o);
				if (it == model.end()) {
					ASSERT_EQ(ret, -ENOENT) << "step " << step << " off " << o;
				} else {
					ASSERT_EQ(ret, 0) << "step " << step << " off " << o;
					ASSERT_EQ(pa_got, it->second);
				}
			}
			ExpectTablesConsistent();
		}
	}
	ASSERT_EQ(pgt_unmap(&pgt_, base, span), 0);
	EXPECT_EQ(pgt_.nr_tables, 1u);
}

} // namespace
