// SPDX-License-Identifier: MIT
// tests/mm/kmalloc_test.cc - the kmalloc family: size classes, alignment, large blocks and the
// 4 MiB limit, GFP_DMA caches, zeroing, overflow, krealloc/ksize/kmemdup/kstrdup, bad kfree.
#include <cstring>
#include <string>
#include <vector>

#include "tests/mm/slab_fixture.h"

namespace {

TEST_F(SlabTest, SizeClassesFrom8To8KiBIncluding96And192)
{
	struct {
		size_t ask, want;
	} cases[] = { { 1, 8 },	     { 8, 8 },	   { 9, 16 },	  { 17, 32 },	  { 33, 64 },
		      { 65, 96 },    { 96, 96 },   { 97, 128 },	  { 129, 192 },	  { 192, 192 },
		      { 193, 256 },  { 257, 512 }, { 513, 1024 }, { 1025, 2048 }, { 2049, 4096 },
		      { 4097, 8192 }, { 8192, 8192 } };
	for (auto &c : cases) {
		void *p = kmalloc(c.ask, GFP_KERNEL);
		ASSERT_NE(p, nullptr);
		EXPECT_EQ(ksize(p), c.want) << c.ask;
		EXPECT_EQ(kmalloc_size_roundup(c.ask), c.want) << c.ask;
		EXPECT_EQ(slab_shim_page_flags(p) & ~(PG_slab | PG_head), 0u);
		EXPECT_NE(slab_cache_of(p), nullptr);
		kfree(p);
	}
}

TEST_F(SlabTest, PowerOfTwoSizesAreNaturallyAligned)
{
	for (size_t size = 8; size <= (4u << 20); size *= 2) {
		std::vector<void *> v;
		for (int i = 0; i < 5; i++) {
			void *p = kmalloc(size, GFP_KERNEL);
			ASSERT_NE(p, nullptr) << size;
			EXPECT_EQ(slab_shim_phys(p) % size, 0u) << size;
			v.push_back(p);
		}
		for (void *p : v)
			kfree(p);
	}
}

TEST_F(SlabTest, ZeroSizeGivesZeroSizePtr)
{
	void *p = kmalloc(0, GFP_KERNEL);
	EXPECT_EQ(p, ZERO_SIZE_PTR);
	EXPECT_EQ(ksize(p), 0u);
	kfree(p);
	kfree(nullptr);
	EXPECT_EQ(Log(), "");
}

TEST_F(SlabTest, LargeRequestsGoToThePageAllocatorUpTo4MiB)
{
	for (size_t size : { (size_t)8193, (size_t)128 << 10, (size_t)1 << 20, (size_t)4 << 20 }) {
		uint64_t before = slab_shim_free_pages();
		void *p = kmalloc(size, GFP_KERNEL);
		ASSERT_NE(p, nullptr) << size;
		EXPECT_EQ(slab_cache_of(p), nullptr); // not a slab
		EXPECT_EQ(slab_shim_page_flags(p), PG_head);
		EXPECT_GE(ksize(p), size);
		EXPECT_EQ(ksize(p), kmalloc_size_roundup(size));
		memset(p, 0xab, size);
		EXPECT_LE(slab_shim_free_pages(), before - ksize(p) / 4096);
		kfree(p);
	}
	EXPECT_EQ(Log(), "");
	EXPECT_EQ(kmalloc((4u << 20) + 1, GFP_KERNEL), nullptr);
	EXPECT_NE(Log().find("WARNING: kmalloc(4194305) refused: larger than KMALLOC_MAX_SIZE"),
		  std::string::npos)
		<< Log();
	ClearLog();
	EXPECT_EQ(kmalloc((4u << 20) + 1, GFP_KERNEL | __GFP_NOWARN), nullptr);
	EXPECT_EQ(Log(), "");
}

TEST_F(SlabTest, GfpDmaUsesTheDmaCaches)
{
	std::vector<void *> v;
	for (size_t size : { 8, 96, 192, 1000, 8192, 20000 }) {
		for (int i = 0; i < 20; i++) {
			void *p = kmalloc(size, GFP_KERNEL | GFP_DMA);
			ASSERT_NE(p, nullptr);
			EXPECT_LT(slab_shim_phys(p) + size, 16u << 20) << size;
			v.push_back(p);
		}
		if (size <= 8192) {
			EXPECT_EQ(std::string(kmem_cache_name(slab_cache_of(v.back()))).rfind("dma-", 0),
				  0u);
		}
	}
	void *n = kmalloc(64, GFP_KERNEL);
	EXPECT_GE(slab_shim_phys(n), 16u << 20); // ordinary requests prefer higher zones
	EXPECT_STREQ(kmem_cache_name(slab_cache_of(n)), "kmalloc-64");
	kfree(n);
	for (void *p : v)
		kfree(p);
}

TEST_F(SlabTest, KzallocZeroesReusedMemoryKmallocDoesNot)
{
	unsigned char *p = (unsigned char *)kmalloc(200, GFP_KERNEL);
	memset(p, 0x77, 200);
	kfree(p);
	unsigned char *q = (unsigned char *)kmalloc(200, GFP_KERNEL);
	ASSERT_EQ(q, p);
	EXPECT_EQ(q[100], 0x77); // not zeroed
	kfree(q);
	unsigned char *z = (unsigned char *)kzalloc(200, GFP_KERNEL);
	ASSERT_EQ(z, p);
	for (int i = 0; i < 256; i++)
		ASSERT_EQ(z[i], 0) << i; // the whole object (ksize) is zeroed
	kfree(z);
	unsigned char *big = (unsigned char *)kzalloc(50000, GFP_KERNEL);
	for (int i = 0; i < 50000; i += 997)
		ASSERT_EQ(big[i], 0);
	kfree(big);
}

TEST_F(SlabTest, KcallocAndKmallocArrayCatchOverflow)
{
	EXPECT_EQ(kcalloc(SIZE_MAX / 2, 3, GFP_KERNEL), nullptr);
	EXPECT_EQ(kmalloc_array(SIZE_MAX / 8 + 1, 8, GFP_KERNEL), nullptr);
	EXPECT_EQ(kcalloc((size_t)1 << 33, (size_t)1 << 31, GFP_KERNEL), nullptr);
	int *a = (int *)kcalloc(100, sizeof(int), GFP_KERNEL);
	ASSERT_NE(a, nullptr);
	for (int i = 0; i < 100; i++)
		EXPECT_EQ(a[i], 0);
	EXPECT_EQ(ksize(a), 512u);
	kfree(a);
	long *b = (long *)kmalloc_array(10, sizeof(long), GFP_KERNEL);
	ASSERT_NE(b, nullptr);
	EXPECT_EQ(ksize(b), 96u);
	kfree(b);
}

TEST_F(SlabTest, KreallocKeepsContents)
{
	EXPECT_EQ(krealloc(nullptr, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	char *p = (char *)krealloc(nullptr, 10, GFP_KERNEL);
	ASSERT_NE(p, nullptr);
	memcpy(p, "0123456789", 10);
	char *same = (char *)krealloc(p, 16, GFP_KERNEL); // fits in the 16-byte object
	EXPECT_EQ(same, p);
	char *grown = (char *)krealloc(p, 5000, GFP_KERNEL);
	ASSERT_NE(grown, nullptr);
	EXPECT_EQ(memcmp(grown, "0123456789", 10), 0);
	EXPECT_EQ(ksize(grown), 8192u);
	char *large = (char *)krealloc(grown, 100000, GFP_KERNEL);
	EXPECT_EQ(memcmp(large, "0123456789", 10), 0);
	EXPECT_EQ(ksize(large), 128u << 10);
	char *small = (char *)krealloc(large, 20, GFP_KERNEL); // gives the big block back
	EXPECT_EQ(memcmp(small, "0123456789", 10), 0);
	EXPECT_EQ(ksize(small), 32u);
	EXPECT_EQ(krealloc(small, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	// failure keeps the old block
	char *keep = (char *)kmalloc(64, GFP_KERNEL);
	EXPECT_EQ(krealloc(keep, (8u << 20), GFP_KERNEL | __GFP_NOWARN), nullptr);
	EXPECT_EQ(ksize(keep), 64u);
	kfree(keep);
}

TEST_F(SlabTest, KmemdupAndKstrdup)
{
	const char msg[] = "hello, slab";
	char *d = (char *)kmemdup(msg, sizeof(msg), GFP_KERNEL);
	ASSERT_NE(d, nullptr);
	EXPECT_STREQ(d, msg);
	EXPECT_NE(d, msg);
	char *s = kstrdup("kernel", GFP_KERNEL);
	EXPECT_STREQ(s, "kernel");
	EXPECT_EQ(ksize(s), 8u);
	EXPECT_EQ(kstrdup(nullptr, GFP_KERNEL), nullptr);
	kfree(d);
	kfree(s);
}

TEST_F(SlabTest, KfreeOfForeignPointersIsReportedAndIgnored)
{
	int on_stack = 0;
	kfree(&on_stack);
	EXPECT_NE(Log().find("not memory of the allocator (outside the direct map)"),
		  std::string::npos)
		<< Log();
	ClearLog();
	// a page of the page allocator that is not a kmalloc block start
	unsigned long page = shim_get_free_pages(GFP_KERNEL, 2);
	kfree((void *)(page + 4096));
	EXPECT_NE(Log().find("not a slab object nor the start of a kmalloc'ed block"),
		  std::string::npos)
		<< Log();
	free_pages(page, 2);
	ClearLog();
	// a large block freed twice
	void *big = kmalloc(20000, GFP_KERNEL);
	kfree(big);
	kfree(big);
	EXPECT_NE(Log().find("already freed?"), std::string::npos) << Log();
}

TEST_F(SlabTest, GfpKernelInAtomicContextIsReportedAtomicIsNot)
{
	mm_host_set_atomic(true);
	void *a = kmalloc(64, GFP_ATOMIC);
	EXPECT_EQ(Log(), "");
	void *k = kmalloc(64, GFP_KERNEL);
	mm_host_set_atomic(false);
	EXPECT_NE(Log().find("BUG: sleeping allocation in atomic context (cache kmalloc-64"),
		  std::string::npos)
		<< Log();
	kfree(a);
	kfree(k);
}

TEST_F(SlabTest, KmallocIsPhysicallyContiguous)
{
	// a 16 KiB block: consecutive pages of the direct map are consecutive frames
	char *p = (char *)kmalloc(16384, GFP_KERNEL);
	EXPECT_EQ(slab_shim_phys(p + 12288) - slab_shim_phys(p), 12288u);
	kfree(p);
}

} // namespace
