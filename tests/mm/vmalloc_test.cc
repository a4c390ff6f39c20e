// SPDX-License-Identifier: MIT
// tests/mm/vmalloc_test.cc - vmalloc, vmap and ioremap on the hosted platform: memory that is
// virtually contiguous and physically scattered, guard pages, the direct-map and vmalloc views
// of the same frames, context rules, lazy TLB purging, and a randomized run against a model.
#include <sys/mman.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/shim/vmalloc_shim.h"

namespace
{

constexpr uint64_t kMiB = 1ull << 20;
constexpr unsigned long kPage = PAGE_SIZE;

class VmallocTest : public ::testing::Test {
    protected:
	void SetUp() override
	{
		// 64 MiB of RAM; the legacy hole is reserved (it stands for device memory).
		struct mem_range usable = { 0, 64 * kMiB };
		struct mem_range reserved = { GUEST_LEGACY_HOLE_START, GUEST_LEGACY_HOLE_END };
		ASSERT_EQ(mm_host_memory_create(&mem_, &usable, 1, &reserved, 1), 0);
		mm_host_log_capture(true);
	}
	void TearDown() override
	{
		char err[256];
		EXPECT_TRUE(shim_vmalloc_ok(err, sizeof(err))) << err;
		EXPECT_TRUE(shim_state_ok(err, sizeof(err))) << err;
		mm_host_set_atomic(false);
		mm_host_log_capture(false);
		mm_host_memory_destroy(&mem_);
	}
	void ExpectConsistent()
	{
		char err[256];
		EXPECT_TRUE(shim_vmalloc_ok(err, sizeof(err))) << err;
	}
	static std::string Log()
	{
		return mm_host_log_text();
	}
	static struct vmalloc_stats Stats()
	{
		struct vmalloc_stats st;
		vmalloc_get_stats(&st);
		return st;
	}
	struct mm_host_memory mem_;
};

TEST_F(VmallocTest, VirtuallyContiguousPhysicallyScattered)
{
	// Fragment the allocator: take 256 pages, give back every other one.
	std::vector<struct page *> held, given;
	for (int i = 0; i < 256; i++)
		held.push_back(shim_alloc_pages(GFP_KERNEL, 0));
	for (size_t i = 0; i < held.size(); i += 2) {
		shim_free_pages_page(held[i], 0);
		given.push_back(held[i]);
	}
	const unsigned int n = 32;
	char *p = static_cast<char *>(vmalloc(n * kPage));
	ASSERT_NE(p, nullptr);
	EXPECT_TRUE(is_vmalloc_addr(p));
	EXPECT_TRUE(is_vmalloc_addr(p + n * kPage - 1));
	const uint64_t gva = vmalloc_guest_va(p);
	EXPECT_GE(gva, VMALLOC_START);
	EXPECT_LE(gva + n * kPage - 1, VMALLOC_END);

	std::set<unsigned long> pfns;
	unsigned long prev = 0;
	unsigned int consecutive = 0;
	for (unsigned int i = 0; i < n; i++) {
		unsigned long pfn = vmalloc_to_pfn(p + i * kPage);
		ASSERT_NE(pfn, 0ul);
		EXPECT_EQ(page_to_pfn(vmalloc_to_page(p + i * kPage + 123)), pfn);
		pfns.insert(pfn);
		if (i && pfn == prev + 1)
			consecutive++;
		prev = pfn;
		// the page tables say the same as vmalloc_to_pfn, offset included
		uint64_t pa;
		ASSERT_EQ(pgt_translate(vmalloc_kernel_pgt(), gva + i * kPage + 77, &pa), 0);
		EXPECT_EQ(pa, ((uint64_t)pfn << PAGE_SHIFT) + 77);
		std::printf("%s%lx", i ? " " : "pfns: ", pfn);
	}
	std::printf("\n");
	EXPECT_EQ(pfns.size(), n) << "a frame is mapped twice";
	EXPECT_EQ(consecutive, 0u) << "on a fragmented allocator the frames must be scattered";

	// A write through the vmalloc view is visible through the direct map, and back.
	for (unsigned int i = 0; i < n; i++)
		std::memset(p + i * kPage, 'a' + (i % 26), kPage);
	for (unsigned int i = 0; i < n; i++) {
		const char *direct =
			static_cast<const char *>(page_address(vmalloc_to_page(p + i * kPage)));
		ASSERT_NE(direct, p + i * kPage);
		EXPECT_EQ(direct[0], 'a' + (int)(i % 26));
		EXPECT_EQ(direct[kPage - 1], 'a' + (int)(i % 26));
		EXPECT_EQ(shim_pa(direct), (uint64_t)vmalloc_to_pfn(p + i * kPage) << PAGE_SHIFT);
		EXPECT_EQ(shim_va(shim_pa(direct)), direct);
		const_cast<char *>(direct)[5] = 'Z';
		EXPECT_EQ(p[i * kPage + 5], 'Z');
	}
	vfree(p);
	for (size_t i = 1; i < held.size(); i += 2)
		shim_free_pages_page(held[i], 0);
}

TEST_F(VmallocTest, GuardPageIsUnmapped)
{
	char *a = static_cast<char *>(vmalloc(3 * kPage));
	char *b = static_cast<char *>(vmalloc(kPage));
	ASSERT_NE(a, nullptr);
	ASSERT_NE(b, nullptr);
	struct pgt_walk w;
	EXPECT_EQ(pgt_walk(vmalloc_kernel_pgt(), vmalloc_guest_va(a) + 3 * kPage, &w), -ENOENT);
	EXPECT_EQ(vmalloc_to_page(a + 3 * kPage), nullptr);
	// the next area starts after the guard page, never on it
	EXPECT_TRUE(b >= a + 4 * kPage || b + 2 * kPage <= a);
	a[3 * kPage - 1] = 1; // the last byte is fine
	EXPECT_DEATH({ *(volatile char *)(a + 3 * kPage) = 1; }, "");
	vfree(a);
	vfree(b);
}

TEST_F(VmallocTest, SizesRoundUpAndLimits)
{
	char *p = static_cast<char *>(vmalloc(1));
	ASSERT_NE(p, nullptr);
	EXPECT_EQ(Stats().busy_pages, 1u);
	p[kPage - 1] = 1; // rounded up to a whole page
	vfree(p);

	EXPECT_EQ(vmalloc(0), nullptr);
	EXPECT_NE(Log().find("vmalloc error: size 0"), std::string::npos) << Log();
	mm_host_log_capture(true);
	EXPECT_EQ(vmalloc(Stats().area_size), nullptr);
	EXPECT_NE(Log().find("larger than the vmalloc area"), std::string::npos) << Log();
	mm_host_log_capture(true);
	EXPECT_EQ(vmalloc((shim_free_ram_pages() + 1) * kPage), nullptr);
	EXPECT_NE(Log().find("larger than free memory"), std::string::npos) << Log();
	mm_host_log_capture(true);
	EXPECT_EQ(shim_vmalloc_gfp(0, GFP_KERNEL | __GFP_NOWARN), nullptr);
	EXPECT_EQ(Log(), "");

	// Row 20: larger than the largest buddy block (4 MiB) is fine.
	const unsigned long big = 12 * kMiB + 5;
	char *q = static_cast<char *>(vmalloc(big));
	ASSERT_NE(q, nullptr);
	std::memset(q, 0x5a, big);
	EXPECT_EQ(Stats().busy_pages, (big + kPage - 1) / kPage);
	vfree(q);
}

TEST_F(VmallocTest, VzallocZeroesReusedPages)
{
	// dirty pages, give them back, then vzalloc must hand out zeroes
	std::vector<unsigned long> dirty;
	for (int i = 0; i < 16; i++) {
		unsigned long a = shim_get_free_pages(GFP_KERNEL, 0);
		std::memset(reinterpret_cast<void *>(a), 0xff, kPage);
		dirty.push_back(a);
	}
	for (unsigned long a : dirty)
		free_pages(a, 0);
	unsigned char *z = static_cast<unsigned char *>(vzalloc(16 * kPage));
	ASSERT_NE(z, nullptr);
	for (unsigned long i = 0; i < 16 * kPage; i++)
		ASSERT_EQ(z[i], 0) << i;
	vfree(z);
	// __vmalloc honours __GFP_ZERO too
	z = static_cast<unsigned char *>(shim_vmalloc_gfp(kPage, GFP_KERNEL | __GFP_ZERO));
	ASSERT_NE(z, nullptr);
	EXPECT_EQ(z[100], 0);
	vfree(z);
}

TEST_F(VmallocTest, PagesComeFromThePageAllocatorAndGoBack)
{
	// warm up: record pages and the root table stay allocated for good
	vfree(vmalloc(kPage));
	vmalloc_purge();
	drain_all_pages();
	const uint64_t before = shim_free_ram_pages();
	const uint64_t tables_before = Stats().table_pages;
	void *p = vmalloc(40 * kPage);
	ASSERT_NE(p, nullptr);
	// Row 24: the 40 pages (and maybe page tables) come out of the buddy allocator
	EXPECT_GE(before - shim_free_ram_pages(), 40u);
	vfree(p);
	// unmapping freed the page tables that became empty
	EXPECT_EQ(Stats().table_pages, tables_before);
	vmalloc_purge();
	drain_all_pages();
	EXPECT_EQ(shim_free_ram_pages(), before);
}

// Row 24 of SEED-CLAIMS.md: "vmalloc is based on the slab mechanism" is wrong. A vmalloc
// leaves every slab cache as it was, and its pages leave the buddy allocator.
TEST_F(VmallocTest, VmallocDoesNotUseSlab)
{
	void *k = kmalloc(100, GFP_KERNEL); // make sure the slab allocator is in use
	ASSERT_NE(k, nullptr);
	vfree(vmalloc(kPage)); // warm up: the area records and the root table exist
	static char before[16384], after[16384];
	slabinfo_show(before, sizeof(before));
	const uint64_t free_before = shim_free_ram_pages();
	void *p = vmalloc(64 * kPage);
	ASSERT_NE(p, nullptr);
	slabinfo_show(after, sizeof(after));
	EXPECT_STREQ(before, after) << "vmalloc touched a slab cache";
	EXPECT_GE(free_before - shim_free_ram_pages(), 64u);
	vfree(p);
	kfree(k);
}

TEST_F(VmallocTest, AlignmentIsHonoured)
{
	for (unsigned long align : { 1ul << 13, 1ul << 16, 1ul << 21 }) {
		void *p = shim_vmalloc_align(3 * kPage, align, GFP_KERNEL);
		ASSERT_NE(p, nullptr);
		EXPECT_EQ(vmalloc_guest_va(p) % align, 0u) << align;
		vfree(p);
	}
}

TEST_F(VmallocTest, LazyPurgeBatchesTlbFlushes)
{
	vmalloc_set_lazy_max_pages(1000);
	char *a = static_cast<char *>(vmalloc(2 * kPage));
	ASSERT_NE(a, nullptr);
	const uint64_t flushes = mm_host_tlb_flushes();
	vfree(a);
	EXPECT_EQ(Stats().lazy_pages, 3u); // 2 pages + guard
	// Unmapped at once...
	struct pgt_walk w;
	EXPECT_EQ(pgt_walk(vmalloc_kernel_pgt(), vmalloc_guest_va(a), &w), -ENOENT);
	// ...but not reused before the TLB flush
	char *b = static_cast<char *>(vmalloc(2 * kPage));
	EXPECT_NE(b, a);
	EXPECT_EQ(mm_host_tlb_flushes(), flushes);
	vfree(b);
	vmalloc_purge();
	EXPECT_EQ(mm_host_tlb_flushes(), flushes + 1); // one flush for both areas
	EXPECT_EQ(Stats().lazy_pages, 0u);
	char *c = static_cast<char *>(vmalloc(2 * kPage));
	EXPECT_EQ(c, a); // first fit finds the recycled space
	vfree(c);

	// Threshold: 10 lazy pages; areas of 2 pages + guard: the 4th vfree purges.
	vmalloc_purge();
	vmalloc_set_lazy_max_pages(10);
	const uint64_t purges = Stats().purges;
	std::vector<void *> v;
	for (int i = 0; i < 8; i++)
		v.push_back(vmalloc(2 * kPage));
	for (int i = 0; i < 3; i++)
		vfree(v[i]);
	EXPECT_EQ(Stats().purges, purges);
	vfree(v[3]);
	EXPECT_EQ(Stats().purges, purges + 1);
	EXPECT_EQ(Stats().lazy_pages, 0u);
	for (int i = 4; i < 8; i++)
		vfree(v[i]);
	vmalloc_set_lazy_max_pages(VMALLOC_LAZY_MAX_PAGES_DEFAULT);
}

TEST_F(VmallocTest, AtomicContextRules)
{
	// vmalloc in atomic context is reported, and still served without blocking
	mm_host_set_atomic(true);
	char *p = static_cast<char *>(vmalloc(2 * kPage));
	ASSERT_NE(p, nullptr);
	EXPECT_NE(Log().find("sleeping function called from invalid context"), std::string::npos)
		<< Log();
	EXPECT_EQ(Stats().atomic_reports, 1u);
	p[0] = 1;
	// vfree in interrupt context is deferred, not refused
	const uint64_t busy = Stats().nr_busy;
	vfree(p);
	EXPECT_EQ(Stats().deferred_pending, 1u);
	EXPECT_EQ(Stats().nr_busy, busy);
	// vunmap in interrupt context is refused
	mm_host_log_capture(true);
	vunmap(p);
	EXPECT_NE(Log().find("from atomic context refused"), std::string::npos);
	mm_host_set_atomic(false);
	// the next call in process context does the deferred free
	void *q = vmalloc(kPage);
	EXPECT_EQ(Stats().deferred_pending, 0u);
	EXPECT_EQ(Stats().deferred_frees, 1u);
	EXPECT_EQ(Stats().nr_busy, busy); // p gone, q there
	vfree(q);
	EXPECT_EQ(Stats().nr_busy, busy - 1);
}

TEST_F(VmallocTest, VmapOfAPageArray)
{
	struct page *pages[5];
	for (int i = 0; i < 5; i++) {
		pages[i] = shim_alloc_pages(GFP_KERNEL, 0);
		ASSERT_NE(pages[i], nullptr);
		std::memset(page_address(pages[i]), '0' + i, kPage);
	}
	// in reverse order: the mapping follows the array, not physical order
	struct page *rev[5] = { pages[4], pages[3], pages[2], pages[1], pages[0] };
	char *v = static_cast<char *>(vmap(rev, 5, VM_MAP, shim_page_kernel()));
	ASSERT_NE(v, nullptr);
	for (int i = 0; i < 5; i++) {
		EXPECT_EQ(vmalloc_to_page(v + i * kPage), rev[i]);
		EXPECT_EQ(v[i * kPage + 10], '0' + (4 - i));
	}
	v[0] = 'X';
	EXPECT_EQ(static_cast<char *>(page_address(pages[4]))[0], 'X');
	// read-only protection reaches the page tables
	char *ro = static_cast<char *>(vmap(pages, 1, VM_MAP, shim_page_kernel_ro()));
	ASSERT_NE(ro, nullptr);
	struct pgt_walk w;
	ASSERT_EQ(pgt_walk(vmalloc_kernel_pgt(), vmalloc_guest_va(ro), &w), 0);
	EXPECT_EQ(w.prot & PGT_WRITE, 0u);
	EXPECT_NE(w.prot & PGT_NX, 0u);
	vunmap(ro);
	// vfree of a vmap area is refused (it does not own the pages)
	mm_host_log_capture(true);
	vfree(v);
	EXPECT_NE(Log().find("nonexistent vm area"), std::string::npos);
	vunmap(v);
	EXPECT_EQ(vmalloc_to_page(v), nullptr);
	// the pages are still the caller's
	EXPECT_EQ(static_cast<char *>(page_address(pages[0]))[1], '0');
	for (auto *pg : pages)
		shim_free_pages_page(pg, 0);
}

TEST_F(VmallocTest, IoremapIsUncachedInTheVmallocArea)
{
	// the legacy hole is reserved, so it may be remapped like device memory
	volatile uint32_t *io =
		static_cast<volatile uint32_t *>(ioremap(GUEST_LEGACY_HOLE_START + 0x10, 0x100));
	ASSERT_NE(io, nullptr);
	EXPECT_TRUE(is_vmalloc_addr((const void *)io));
	EXPECT_EQ((uintptr_t)io % kPage, 0x10u);
	struct pgt_walk w;
	ASSERT_EQ(pgt_walk(vmalloc_kernel_pgt(), vmalloc_guest_va((const void *)io), &w), 0);
	EXPECT_NE(w.prot & PGT_UNCACHED, 0u);
	EXPECT_NE(w.entry & PTE_PCD, 0u);
	EXPECT_NE(w.entry & PTE_PWT, 0u);
	EXPECT_EQ(w.pa, GUEST_LEGACY_HOLE_START + 0x10);
	io[0] = 0xdeadbeef;
	EXPECT_EQ(*static_cast<uint32_t *>(shim_va(GUEST_LEGACY_HOLE_START + 0x10)), 0xdeadbeefu);
	iounmap(io);

	// the local APIC page lies beyond RAM: mapped (zero pages on the host)
	volatile uint32_t *apic =
		static_cast<volatile uint32_t *>(ioremap(APIC_DEFAULT_PHYS_BASE, kPage));
	ASSERT_NE(apic, nullptr);
	ASSERT_EQ(pgt_walk(vmalloc_kernel_pgt(), vmalloc_guest_va((const void *)apic), &w), 0);
	EXPECT_EQ(w.pa, APIC_DEFAULT_PHYS_BASE);
	EXPECT_EQ(vmalloc_to_page((const void *)apic), nullptr); // not RAM: no struct page
	iounmap(apic);

	// RAM the allocator manages is refused, as are empty and wrapping ranges
	EXPECT_EQ(ioremap(32 * kMiB, kPage), nullptr);
	EXPECT_NE(Log().find("ioremap on RAM"), std::string::npos);
	EXPECT_EQ(ioremap(APIC_DEFAULT_PHYS_BASE, 0), nullptr);
	EXPECT_EQ(ioremap(~0ull - 10, 100), nullptr);
	mm_host_log_capture(true);
	iounmap(reinterpret_cast<void *>(0x1000));
	EXPECT_NE(Log().find("iounmap: bad address"), std::string::npos);
}

TEST_F(VmallocTest, BadFreesWarn)
{
	vfree(nullptr);
	vunmap(nullptr);
	iounmap(nullptr);
	EXPECT_EQ(Log(), "");
	char *p = static_cast<char *>(vmalloc(2 * kPage));
	vfree(p + kPage); // not the start of an area
	EXPECT_NE(Log().find("nonexistent vm area"), std::string::npos);
	mm_host_log_capture(true);
	int on_stack;
	vfree(&on_stack);
	EXPECT_NE(Log().find("nonexistent vm area"), std::string::npos);
	mm_host_log_capture(true);
	vunmap(p); // a vmalloc area is not a vmap area
	EXPECT_NE(Log().find("vunmap() nonexistent"), std::string::npos);
	vfree(p);
	mm_host_log_capture(true);
	vfree(p); // double free
	EXPECT_NE(Log().find("nonexistent vm area"), std::string::npos);
}

// Random vmalloc/vzalloc/vfree/vmap/vunmap (and deferred frees) against a model of what each
// live area must contain; all checks of vmalloc_check() every few steps.
TEST_F(VmallocTest, RandomizedAgainstModel)
{
	const unsigned int seed = 20240521;
	std::printf("seed %u\n", seed);
	std::mt19937 rng(seed);
	struct Area {
		unsigned long size;
		unsigned char fill;
		bool is_vmap;
		std::vector<struct page *> pages;
	};
	std::map<char *, Area> live;
	vmalloc_set_lazy_max_pages(64);
	vfree(vmalloc(kPage));
	vmalloc_purge();
	drain_all_pages();
	const uint64_t free_before = shim_free_ram_pages();
	const uint64_t meta_before = Stats().meta_pages;
	unsigned char next_fill = 1;

	auto check_area = [](char *p, const Area &a) {
		for (unsigned long off = 0; off < a.size; off += 509)
			ASSERT_EQ((unsigned char)p[off], a.fill) << (void *)p << "+" << off;
		ASSERT_EQ((unsigned char)p[a.size - 1], a.fill);
	};
	for (int step = 0; step < 1500; step++) {
		unsigned int op = rng() % 10;
		if (op < 4 || live.empty()) {
			unsigned long size = (rng() % 3 == 0) ? 1 + rng() % (3 * kPage) :
								(1 + rng() % 24) * kPage;
			char *p;
			if (op == 0)
				p = static_cast<char *>(vzalloc(size));
			else if (op == 1)
				p = static_cast<char *>(
					shim_vmalloc_align(size, kPage << (rng() % 6), GFP_KERNEL));
			else
				p = static_cast<char *>(vmalloc(size));
			ASSERT_NE(p, nullptr) << "step " << step;
			if (op == 0) {
				for (unsigned long off = 0; off < size; off += 97)
					ASSERT_EQ(p[off], 0);
			}
			ASSERT_EQ(live.count(p), 0u);
			Area a{ size, next_fill++, false, {} };
			if (!next_fill)
				next_fill = 1;
			std::memset(p, a.fill, size);
			live[p] = a;
		} else if (op < 6) {
			unsigned int n = 1 + rng() % 8;
			Area a{ n * kPage, next_fill++, true, {} };
			if (!next_fill)
				next_fill = 1;
			for (unsigned int i = 0; i < n; i++)
				a.pages.push_back(shim_alloc_pages(GFP_KERNEL, 0));
			char *p = static_cast<char *>(
				vmap(a.pages.data(), n, VM_MAP, shim_page_kernel()));
			ASSERT_NE(p, nullptr);
			std::memset(p, a.fill, a.size);
			for (unsigned int i = 0; i < n; i++)
				ASSERT_EQ(vmalloc_to_page(p + i * kPage), a.pages[i]);
			live[p] = a;
		} else {
			auto it = live.begin();
			std::advance(it, rng() % live.size());
			check_area(it->first, it->second);
			if (it->second.is_vmap) {
				vunmap(it->first);
				for (auto *pg : it->second.pages) {
					ASSERT_EQ(*(unsigned char *)page_address(pg),
						  it->second.fill);
					shim_free_pages_page(pg, 0);
				}
			} else if (op == 9) {
				mm_host_set_atomic(true); // from an "interrupt handler"
				vfree(it->first);
				mm_host_set_atomic(false);
			} else {
				vfree(it->first);
			}
			live.erase(it);
		}
		// no two live areas (plus guard page) overlap
		char *prev_end = nullptr;
		for (auto &kv : live) {
			ASSERT_TRUE(prev_end == nullptr || kv.first >= prev_end) << "step " << step;
			prev_end = kv.first + PAGE_ALIGN(kv.second.size) + kPage;
		}
		if (step % 50 == 0) {
			char err[256];
			ASSERT_TRUE(shim_vmalloc_ok(err, sizeof(err)))
				<< "step " << step << ": " << err;
			for (auto &kv : live)
				check_area(kv.first, kv.second);
		}
	}
	for (auto &kv : live) {
		check_area(kv.first, kv.second);
		if (kv.second.is_vmap) {
			vunmap(kv.first);
			for (auto *pg : kv.second.pages)
				shim_free_pages_page(pg, 0);
		} else {
			vfree(kv.first);
		}
	}
	vmalloc_purge();
	drain_all_pages();
	EXPECT_EQ(Stats().nr_busy, 0u);
	// only the pages that hold area records stay allocated (kept for reuse)
	EXPECT_EQ(shim_free_ram_pages() + (Stats().meta_pages - meta_before), free_before)
		<< "pages leaked";
	std::printf("purges %llu, tlb flushes %llu, deferred %llu, record pages %llu\n",
		    (unsigned long long)Stats().purges, (unsigned long long)Stats().tlb_flushes,
		    (unsigned long long)Stats().deferred_frees,
		    (unsigned long long)Stats().meta_pages);
	vmalloc_set_lazy_max_pages(VMALLOC_LAZY_MAX_PAGES_DEFAULT);
}

} // namespace
