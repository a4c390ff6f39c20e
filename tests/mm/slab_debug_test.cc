// SPDX-License-Identifier: MIT
// tests/mm/slab_debug_test.cc - each debugging detection: the bug is injected, the report
// (cache, object, what was found, last alloc/free sites) asserted; poison values; the hardened
// freelist pointer; the global switch for the kmalloc caches.
#include <cstring>
#include <string>
#include <vector>

#include "tests/mm/slab_fixture.h"

namespace {

const slab_flags_t kAllDebug = SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;

bool Has(const std::string &log, const char *what)
{
	return log.find(what) != std::string::npos;
}

TEST_F(SlabTest, DoubleFreeIsReportedWithSites)
{
	struct kmem_cache *s = kmem_cache_create("dbg", 64, 0, kAllDebug, nullptr);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	EXPECT_EQ(Log(), "");
	kmem_cache_free(s, p);
	std::string log = Log();
	EXPECT_TRUE(Has(log, "BUG dbg: Object already free (double free)")) << log;
	EXPECT_TRUE(Has(log, "Object 0x")) << log;
	EXPECT_TRUE(Has(log, "Last allocated by caller 0x")) << log;
	EXPECT_TRUE(Has(log, "Last freed by caller 0x")) << log;
	struct kmem_cache_stats st;
	slab_shim_stats(s, &st);
	EXPECT_EQ(st.live, 0u); // the second free changed nothing
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, FreeOfAPointerInsideAnObjectIsReported)
{
	struct kmem_cache *s = kmem_cache_create("dbg", 64, 0, SLAB_RED_ZONE, nullptr);
	char *p = (char *)kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p + 8);
	EXPECT_TRUE(Has(Log(), "BUG dbg: Invalid free:")) << Log();
	EXPECT_TRUE(Has(Log(), "is not the start of an object")) << Log();
	ClearLog();
	kmem_cache_free(s, p);
	EXPECT_EQ(Log(), "");
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, WritePastTheObjectIsReportedOnFree)
{
	struct kmem_cache *s = kmem_cache_create("rz", 64, 0, SLAB_RED_ZONE | SLAB_STORE_USER,
						 nullptr);
	char *p = (char *)kmem_cache_alloc(s, GFP_KERNEL);
	memset(p, 1, 64); // the whole object is fine
	kmem_cache_free(s, p);
	EXPECT_EQ(Log(), "");
	p = (char *)kmem_cache_alloc(s, GFP_KERNEL);
	p[64] = 'x'; // one byte too far
	kmem_cache_free(s, p);
	std::string log = Log();
	EXPECT_TRUE(Has(log, "BUG rz: Redzone overwritten (written past the end of the object): "
			     "byte at object offset 64 is 0x78, expected 0xcc"))
		<< log;
	EXPECT_TRUE(Has(log, "Last allocated by caller 0x")) << log;
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, WriteAfterFreeIsReportedOnTheNextAllocation)
{
	struct kmem_cache *s = kmem_cache_create("uaf", 128, 0, kAllDebug, nullptr);
	unsigned char *p = (unsigned char *)kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	p[10] = 0; // use after free
	unsigned char *q = (unsigned char *)kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_EQ(q, p);
	std::string log = Log();
	EXPECT_TRUE(Has(log, "BUG uaf: Poison overwritten (written after free): byte at object "
			     "offset 10 is 0, expected 0x6b"))
		<< log;
	EXPECT_TRUE(Has(log, "Last freed by caller 0x")) << log;
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, WritePastAFreeObjectIsReported)
{
	struct kmem_cache *s = kmem_cache_create("rzfree", 32, 0, SLAB_RED_ZONE, nullptr);
	char *p = (char *)kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	p[32] = 1;
	p = (char *)kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_TRUE(Has(Log(), "BUG rzfree: Redzone overwritten (written past a free object)"))
		<< Log();
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, PoisonValues)
{
	struct kmem_cache *s = kmem_cache_create("poison", 48, 0, SLAB_POISON, nullptr);
	unsigned char *p = (unsigned char *)kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 48; i++)
		ASSERT_EQ(p[i], POISON_INUSE) << i; // 0x5a: allocated, not initialised
	kmem_cache_free(s, p);
	for (int i = 0; i < 47; i++)
		ASSERT_EQ(p[i], POISON_FREE) << i; // 0x6b after free
	EXPECT_EQ(p[47], POISON_END);		   // 0xa5 marks the end
	unsigned char *z = (unsigned char *)kmem_cache_zalloc(s, GFP_KERNEL);
	for (int i = 0; i < 48; i++)
		ASSERT_EQ(z[i], 0) << i;
	kmem_cache_free(s, z);
	EXPECT_EQ(Log(), "");
	kmem_cache_destroy(s);
}

TEST_F(SlabTest, HardenedFreelistPointerCatchesCorruption)
{
	// no debugging: the corrupted free pointer of a free object in the slab is caught by the
	// refill that would follow it
	struct kmem_cache *s = kmem_cache_create("hard", 64, 0, 0, nullptr);
	struct kmem_cache_stats st;
	std::vector<void *> v;
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	slab_shim_stats(s, &st);
	ASSERT_EQ(st.order, 0u);
	uintptr_t base = (uintptr_t)a & ~(uintptr_t)4095;
	unsigned int taken = st.cached + 1; // the refill took objects 0..taken-1 in order
	// the slab's free list starts at object `taken`; a stray write hits its free pointer
	memset((void *)(base + taken * 64), 0x41, 8);
	v.push_back(a);
	for (unsigned int i = 0; i < taken + 1; i++)
		v.push_back(kmem_cache_alloc(s, GFP_KERNEL));
	std::string log = Log();
	EXPECT_TRUE(Has(log, "BUG hard: Freelist Pointer check fails")) << log;
	for (void *p : v) {
		EXPECT_NE(p, nullptr);
		EXPECT_NE((uintptr_t)p, base + taken * 64); // the corrupted object is never handed out
	}
	for (void *p : v)
		kmem_cache_free(s, p);
	kmem_cache_destroy(s); // the isolated objects stay counted: the cache is kept
	EXPECT_TRUE(Has(Log(), "Slab cache still has objects")) << Log();
}

TEST_F(SlabTest, WithoutDebuggingTheFastPathDoesNotCheck)
{
	struct kmem_cache *s = kmem_cache_create("fast", 64, 0, 0, nullptr);
	char *p = (char *)kmem_cache_alloc(s, GFP_KERNEL);
	memset(p, 0x11, 64);
	kmem_cache_free(s, p);
	EXPECT_EQ(((unsigned char *)p)[5], 0x11); // not poisoned
	EXPECT_EQ(Log(), "");
	kmem_cache_destroy(s);
}

class SlabGlobalDebugTest : public SlabTest {
      protected:
	slab_flags_t DebugFlags() const override { return kAllDebug; }
};

TEST_F(SlabGlobalDebugTest, GlobalSwitchDebugsKmallocCaches)
{
	char *p = (char *)kmalloc(60, GFP_KERNEL);
	EXPECT_EQ(ksize(p), 64u);
	EXPECT_EQ((unsigned char)p[10], POISON_INUSE);
	p[60] = 'y'; // inside the 64-byte object, past the 60 bytes asked for
	kfree(p);
	EXPECT_TRUE(Has(Log(), "BUG kmalloc-64: Redzone overwritten (written past the end of the "
			       "object): byte at object offset 60"))
		<< Log();
	ClearLog();
	p = (char *)kmalloc(60, GFP_KERNEL);
	kfree(p);
	kfree(p);
	EXPECT_TRUE(Has(Log(), "BUG kmalloc-64: Object already free")) << Log();
	ClearLog();
	// krealloc within the object moves the red zone with the size
	p = (char *)kmalloc(20, GFP_KERNEL);
	p = (char *)krealloc(p, 30, GFP_KERNEL);
	EXPECT_EQ(ksize(p), 32u);
	memset(p, 3, 30);
	kfree(p);
	EXPECT_EQ(Log(), "");
	// caches created with the switch on are debugged too
	struct kmem_cache *s = kmem_cache_create("later", 16, 0, 0, nullptr);
	void *o = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, o);
	kmem_cache_free(s, o);
	EXPECT_TRUE(Has(Log(), "BUG later: Object already free")) << Log();
	kmem_cache_destroy(s);
}

TEST_F(SlabGlobalDebugTest, DebuggedPowerOfTwoSizesStayNaturallyAligned)
{
	for (size_t size = 8; size <= 8192; size *= 2) {
		void *p = kmalloc(size, GFP_KERNEL);
		void *q = kmalloc(size, GFP_KERNEL);
		EXPECT_EQ(slab_shim_phys(p) % size, 0u) << size;
		EXPECT_EQ(slab_shim_phys(q) % size, 0u) << size;
		kfree(p);
		kfree(q);
	}
	EXPECT_EQ(Log(), "");
}

} // namespace
