// SPDX-License-Identifier: MIT
// tests/mm/mempool_test.cc - mempool: the reserve guarantee under exhaustion, refilling on free,
// resize, the slab and kmalloc pools, destroy.
#include <cstring>
#include <string>
#include <vector>

#include "tests/mm/slab_fixture.h"

namespace {

class MempoolTest : public SlabTest {
      protected:
	unsigned int MemoryMiB() const override { return 8; }

	// Take everything the page allocator and @kc can give; keep it in pages_/objs_.
	void Exhaust(struct kmem_cache *kc)
	{
		for (;;) {
			size_t before = pages_.size() + objs_.size();
			void *o;
			while ((o = kmem_cache_alloc(kc, GFP_KERNEL | __GFP_NOWARN)))
				objs_.push_back(o);
			struct page *pg;
			while ((pg = shim_alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
				pages_.push_back(pg);
			if (pages_.size() + objs_.size() == before)
				break;
		}
	}

	void Release(struct kmem_cache *kc)
	{
		for (void *o : objs_)
			kmem_cache_free(kc, o);
		for (struct page *pg : pages_)
			shim_free_pages_page(pg, 0);
		objs_.clear();
		pages_.clear();
	}

	std::vector<void *> objs_;
	std::vector<struct page *> pages_;
};

TEST_F(MempoolTest, ReserveServesMinNrWhenTheAllocatorIsExhausted)
{
	struct kmem_cache *kc = kmem_cache_create("pool_obj", 512, 0, 0, nullptr);
	mempool_t *pool = mempool_create_slab_pool(4, kc);
	ASSERT_NE(pool, nullptr);
	EXPECT_EQ(pool->curr_nr, 4);
	Exhaust(kc);
	ASSERT_EQ(kmem_cache_alloc(kc, GFP_KERNEL | __GFP_NOWARN), nullptr);

	std::vector<void *> got;
	for (int i = 0; i < 4; i++) {
		void *e = mempool_alloc(pool, GFP_KERNEL);
		ASSERT_NE(e, nullptr) << i;
		memset(e, i, 512);
		got.push_back(e);
	}
	EXPECT_EQ(pool->curr_nr, 0);
	EXPECT_EQ(mempool_alloc(pool, GFP_KERNEL), nullptr); // reserve and allocator empty
	// a freed element refills the reserve, and the next allocation gets it
	mempool_free(got.back(), pool);
	EXPECT_EQ(pool->curr_nr, 1);
	void *again = mempool_alloc(pool, GFP_KERNEL);
	EXPECT_EQ(again, got.back());
	got.back() = again;
	for (void *e : got)
		mempool_free(e, pool);
	EXPECT_EQ(pool->curr_nr, 4);
	Release(kc);
	// with the allocator back, allocations come from it and frees beyond min_nr go back to it
	void *x = mempool_alloc(pool, GFP_KERNEL);
	EXPECT_EQ(pool->curr_nr, 4);
	mempool_free(x, pool);
	EXPECT_EQ(pool->curr_nr, 4);
	struct kmem_cache_stats st;
	slab_shim_stats(kc, &st);
	EXPECT_EQ(st.live, 4u);
	mempool_destroy(pool);
	slab_shim_stats(kc, &st);
	EXPECT_EQ(st.live, 0u);
	kmem_cache_destroy(kc);
	EXPECT_EQ(Log(), "");
}

TEST_F(MempoolTest, KmallocPoolAndResize)
{
	mempool_t *pool = mempool_create_kmalloc_pool(2, 300);
	ASSERT_NE(pool, nullptr);
	void *e = mempool_alloc(pool, GFP_KERNEL);
	EXPECT_EQ(ksize(e), 512u);
	mempool_free(e, pool);
	EXPECT_EQ(mempool_resize(pool, 6), 0);
	EXPECT_EQ(pool->min_nr, 6);
	EXPECT_EQ(pool->curr_nr, 6);
	EXPECT_EQ(mempool_resize(pool, 1), 0);
	EXPECT_EQ(pool->min_nr, 1);
	EXPECT_EQ(pool->curr_nr, 1);
	EXPECT_EQ(mempool_resize(pool, 0), -EINVAL);
	mempool_destroy(pool);
	mempool_destroy(nullptr);
	EXPECT_EQ(mempool_create(0, mempool_kmalloc, mempool_kfree, (void *)8), nullptr);
	EXPECT_EQ(Log(), "");
}

int custom_allocs, custom_frees;
void *custom_alloc(gfp_t gfp, void *data)
{
	custom_allocs++;
	return kmalloc((size_t)(uintptr_t)data, gfp);
}
void custom_free(void *e, void *data)
{
	(void)data;
	custom_frees++;
	kfree(e);
}

TEST_F(MempoolTest, CustomAllocatorAndDestroy)
{
	custom_allocs = custom_frees = 0;
	mempool_t *pool = mempool_create(3, custom_alloc, custom_free, (void *)64);
	ASSERT_NE(pool, nullptr);
	EXPECT_EQ(custom_allocs, 3);
	void *e = mempool_alloc(pool, GFP_KERNEL);
	EXPECT_EQ(custom_allocs, 4); // the allocator first, the reserve only when it fails
	mempool_free(e, pool);
	EXPECT_EQ(custom_frees, 1); // reserve full: back to the allocator
	mempool_destroy(pool);
	EXPECT_EQ(custom_frees, 4);
}

} // namespace
