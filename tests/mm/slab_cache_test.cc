// SPDX-License-Identifier: MIT
// tests/mm/slab_cache_test.cc - kmem_cache: create/alloc/free/destroy, alignment rules, DMA
// caches, constructors per slab, slab pages from the buddy allocator, lists, slabinfo.
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "tests/mm/slab_fixture.h"

namespace {

int ctor_runs;
void count_ctor(void *obj)
{
	ctor_runs++;
	memset(obj, 0x42, 40);
}

TEST_F(SlabTest, AllocFreeRoundTripAndSize)
{
	struct kmem_cache *s = kmem_cache_create("test_obj", 40, 0, 0, nullptr);

	ASSERT_NE(s, nullptr);
	EXPECT_EQ(kmem_cache_size(s), 40u);
	EXPECT_STREQ(kmem_cache_name(s), "test_obj");
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	void *b = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT_NE(a, nullptr);
	ASSERT_NE(b, nullptr);
	EXPECT_NE(a, b);
	EXPECT_EQ((uintptr_t)a % 8, 0u);
	memset(a, 1, 40);
	memset(b, 2, 40);
	struct kmem_cache_stats st;
	slab_shim_stats(s, &st);
	EXPECT_EQ(st.live, 2u);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(s, nullptr);
	slab_shim_stats(s, &st);
	EXPECT_EQ(st.live, 0u);
	kmem_cache_destroy(s);
	EXPECT_EQ(Log(), "");
}

TEST_F(SlabTest, ZallocZeroes)
{
	struct kmem_cache *s = kmem_cache_create("z", 100, 0, 0, nullptr);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);

	memset(a, 0xff, 100);
	kmem_cache_free(s, a);
	unsigned char *z = (unsigned char *)kmem_cache_zalloc(s, GFP_KERNEL);
	ASSERT_EQ((void *)z, a); // LIFO per-CPU cache: the same object comes back
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(z[i], 0) << i;
	kmem_cache_free(s, z);
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, HwcacheAlignFollowsLinuxRule)
{
	// cache line 64, halved while the object fits in half: 20 -> 32, 10 -> 16, 33 -> 64
	struct {
		unsigned int size, align_arg, want;
	} cases[] = { { 20, 0, 32 }, { 10, 0, 16 }, { 33, 0, 64 }, { 64, 0, 64 },
		      { 100, 0, 64 }, { 4, 0, 8 }, { 20, 128, 128 } };
	for (auto &c : cases) {
		struct kmem_cache *s =
			kmem_cache_create("hw", c.size, c.align_arg, SLAB_HWCACHE_ALIGN, nullptr);
		ASSERT_NE(s, nullptr);
		struct kmem_cache_stats st;
		slab_shim_stats(s, &st);
		EXPECT_EQ(st.align, c.want) << "size " << c.size;
		for (int i = 0; i < 50; i++) {
			void *p = kmem_cache_alloc(s, GFP_KERNEL);
			EXPECT_EQ((uintptr_t)p % c.want, 0u) << "size " << c.size;
		}
		kmem_cache_shrink(s); // objects stay allocated; destroy refuses below
		ClearLog();
		kmem_cache_destroy(s);
		EXPECT_NE(Log().find("Slab cache still has objects (50)"), std::string::npos);
	}
}

TEST_F(SlabTest, ExplicitAlignmentWithoutHwcache)
{
	struct kmem_cache *s = kmem_cache_create("al", 24, 256, 0, nullptr);
	for (int i = 0; i < 40; i++) {
		void *p = kmem_cache_alloc(s, GFP_KERNEL);
		EXPECT_EQ((uintptr_t)p % 256, 0u);
		kmem_cache_free(s, p);
	}
	kmem_cache_destroy(s);
	EXPECT_EQ(kmem_cache_create("bad", 24, 3, 0, nullptr), nullptr);
	EXPECT_EQ(kmem_cache_create("bad", 0, 0, 0, nullptr), nullptr);
}

TEST_F(SlabTest, DmaCacheObjectsBelow16MiB)
{
	struct kmem_cache *s = kmem_cache_create("dma", 512, 0, SLAB_CACHE_DMA, nullptr);
	struct kmem_cache *n = kmem_cache_create("nodma", 512, 0, 0, nullptr);
	std::vector<void *> v;

	for (int i = 0; i < 200; i++) {
		void *p = kmem_cache_alloc(s, GFP_KERNEL);
		ASSERT_NE(p, nullptr);
		EXPECT_LT(slab_shim_phys(p), 16u << 20);
		v.push_back(p);
	}
	// without the flag, the slabs come from above the DMA zone (fallback DMA32 first)
	void *q = kmem_cache_alloc(n, GFP_KERNEL);
	EXPECT_GE(slab_shim_phys(q), 16u << 20);
	kmem_cache_free(n, q);
	for (void *p : v)
		kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	kmem_cache_destroy(n);
}

TEST_F(SlabTest, ConstructorRunsOncePerObjectWhenSlabIsPopulated)
{
	ctor_runs = 0;
	struct kmem_cache *s = kmem_cache_create("ctor", 40, 0, 0, count_ctor);
	struct kmem_cache_stats st;

	EXPECT_EQ(ctor_runs, 0); // nothing populated yet
	unsigned char *p = (unsigned char *)kmem_cache_alloc(s, GFP_KERNEL);
	slab_shim_stats(s, &st);
	EXPECT_EQ(ctor_runs, (int)st.objects_per_slab); // the whole slab, at once
	EXPECT_EQ(p[0], 0x42);
	p[0] = 7; // the user changes the object; freeing and reallocating does not re-construct
	kmem_cache_free(s, p);
	unsigned char *q = (unsigned char *)kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_EQ(q, p);
	EXPECT_EQ(q[0], 7);
	EXPECT_EQ(ctor_runs, (int)st.objects_per_slab);
	// filling a second slab runs the constructor for its objects only
	std::vector<void *> v{ q };
	for (unsigned int i = 0; i < st.objects_per_slab; i++)
		v.push_back(kmem_cache_alloc(s, GFP_KERNEL));
	EXPECT_EQ(ctor_runs, 2 * (int)st.objects_per_slab);
	for (void *o : v)
		kmem_cache_free(s, o);
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, SlabPagesComeFromBuddyAndRecordTheCache)
{
	uint64_t before = slab_shim_free_pages();
	struct kmem_cache *s = kmem_cache_create("pages", 256, 0, 0, nullptr);
	struct kmem_cache_stats st;
	std::vector<void *> v;

	for (int i = 0; i < 1000; i++)
		v.push_back(kmem_cache_alloc(s, GFP_KERNEL));
	slab_shim_stats(s, &st);
	EXPECT_GE(st.slabs, 1000u / st.objects_per_slab);
	EXPECT_LT(slab_shim_free_pages(), before - st.pages + 1);
	for (void *p : v) {
		EXPECT_EQ(slab_cache_of(p), s);
		// head pages carry PG_slab, tail pages have no flags (the buddy invariant)
		uint32_t f = slab_shim_page_flags(p);
		EXPECT_TRUE(f == (PG_slab | PG_head) || f == 0) << f;
	}
	EXPECT_GT(st.full, 0u);
	for (void *p : v)
		kmem_cache_free(s, p);
	kmem_cache_shrink(s);
	slab_shim_stats(s, &st);
	EXPECT_EQ(st.slabs, 0u);
	EXPECT_EQ(st.live, 0u);
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, EmptySlabsGoBackButOneIsKept)
{
	struct kmem_cache *s = kmem_cache_create("empty", 1024, 0, 0, nullptr);
	struct kmem_cache_stats st;
	std::vector<void *> v;

	for (int i = 0; i < 200; i++)
		v.push_back(kmem_cache_alloc(s, GFP_KERNEL));
	slab_shim_stats(s, &st);
	unsigned long peak = st.slabs;
	EXPECT_GT(peak, 3u);
	for (void *p : v)
		kmem_cache_free(s, p);
	// flush what the per-CPU cache holds, without releasing the kept empty slab
	slab_shim_stats(s, &st);
	EXPECT_EQ(st.live, 0u);
	EXPECT_LE(st.empty, (unsigned long)SLAB_KEEP_EMPTY);
	EXPECT_LT(st.slabs, peak);
	kmem_cache_shrink(s);
	slab_shim_stats(s, &st);
	EXPECT_EQ(st.slabs, 0u);
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, DestroyWithLiveObjectsComplainsAndKeepsTheCache)
{
	struct kmem_cache *s = kmem_cache_create("leaky", 64, 0, 0, nullptr);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	void *b = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_destroy(s);
	EXPECT_NE(Log().find("kmem_cache_destroy leaky: Slab cache still has objects (2)"),
		  std::string::npos)
		<< Log();
	char buf[16384];
	slabinfo_show(buf, sizeof(buf));
	EXPECT_NE(std::string(buf).find("leaky "), std::string::npos); // still listed
	kmem_cache_free(s, a);
	void *c = kmem_cache_alloc(s, GFP_KERNEL); // still usable
	EXPECT_NE(c, nullptr);
	kmem_cache_free(s, c);
	kmem_cache_free(s, b);
	ClearLog();
	kmem_cache_destroy(s);
	EXPECT_EQ(Log(), "");
	slabinfo_show(buf, sizeof(buf));
	EXPECT_EQ(std::string(buf).find("leaky "), std::string::npos);
}

TEST_F(SlabTest, FreeToTheWrongCacheIsReported)
{
	struct kmem_cache *a = kmem_cache_create("cache_a", 64, 0, 0, nullptr);
	struct kmem_cache *b = kmem_cache_create("cache_b", 64, 0, 0, nullptr);
	void *p = kmem_cache_alloc(a, GFP_KERNEL);

	kmem_cache_free(b, p);
	EXPECT_NE(Log().find("BUG cache_b: Wrong slab cache"), std::string::npos) << Log();
	EXPECT_NE(Log().find("object of cache_a"), std::string::npos);
	kmem_cache_free(a, p);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
}

TEST_F(SlabTest, SlabinfoVersion21Format)
{
	struct kmem_cache *s = kmem_cache_create("my_cache", 100, 0, SLAB_HWCACHE_ALIGN, nullptr);
	std::vector<void *> v;
	for (int i = 0; i < 10; i++)
		v.push_back(kmem_cache_alloc(s, GFP_KERNEL));
	char buf[16384];
	slabinfo_show(buf, sizeof(buf));
	std::string out(buf);
	EXPECT_EQ(out.rfind("slabinfo - version: 2.1\n# name            <active_objs> <num_objs> "
			    "<objsize> <objperslab> <pagesperslab> : tunables <limit> "
			    "<batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> "
			    "<sharedavail>\n",
			    0),
		  0u);
	size_t at = out.find("\nmy_cache ");
	ASSERT_NE(at, std::string::npos);
	std::string line = out.substr(at + 1, out.find('\n', at + 1) - at - 1);
	char name[64];
	unsigned long active, num, objsize, perslab, pages, limit, batch, shared, aslabs, nslabs,
		savail;
	ASSERT_EQ(sscanf(line.c_str(),
			 "%63s %lu %lu %lu %lu %lu : tunables %lu %lu %lu : slabdata %lu %lu %lu",
			 name, &active, &num, &objsize, &perslab, &pages, &limit, &batch, &shared,
			 &aslabs, &nslabs, &savail),
		  12)
		<< line;
	EXPECT_EQ(objsize, 128u); // 100 rounded to the 64-byte line
	EXPECT_EQ(num, perslab * nslabs);
	EXPECT_GE(active, 10u);
	EXPECT_EQ(pages, 1u);
	EXPECT_EQ(nslabs, 1u);
	// kmalloc caches are listed too, including 96 and 192 and the DMA ones
	for (const char *n : { "kmalloc-8 ", "kmalloc-96 ", "kmalloc-192 ", "kmalloc-8192 ",
			       "dma-kmalloc-64 " })
		EXPECT_NE(out.find(n), std::string::npos) << n;
	for (void *p : v)
		kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, CachesAreForgottenWithTheirMemory)
{
	// a new hosted memory starts with only the kmalloc caches and the boot cache
	struct kmem_cache *s = kmem_cache_create("old", 64, 0, 0, nullptr);
	(void)kmem_cache_alloc(s, GFP_KERNEL);
	mm_host_memory_destroy(&mem_);
	ASSERT_EQ(slab_shim_memory_create(&mem_, 64), 0);
	char buf[16384];
	slabinfo_show(buf, sizeof(buf));
	EXPECT_EQ(std::string(buf).find("old "), std::string::npos);
	void *p = kmalloc(64, GFP_KERNEL);
	EXPECT_NE(p, nullptr);
	kfree(p);
}

TEST_F(SlabTest, LargeObjectCaches)
{
	struct kmem_cache *s = kmem_cache_create("big", 100000, 0, 0, nullptr);
	ASSERT_NE(s, nullptr);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	void *b = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT_NE(a, nullptr);
	ASSERT_NE(b, nullptr);
	memset(a, 1, 100000);
	memset(b, 2, 100000);
	EXPECT_EQ(((unsigned char *)a)[99999], 1);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
	EXPECT_EQ(kmem_cache_create("huge", KMALLOC_MAX_SIZE, 0, 0, nullptr), nullptr);
}

} // namespace
