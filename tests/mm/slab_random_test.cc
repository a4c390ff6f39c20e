// SPDX-License-Identifier: MIT
// tests/mm/slab_random_test.cc - 1,000,000 random operations (kmalloc of every size class and
// large blocks, GFP_DMA, kfree, krealloc, three kmem_caches, a mempool) against a reference
// model: no two live blocks overlap, contents survive (fill patterns), alignment holds, and all
// accounting returns to its starting point at the end.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "tests/mm/slab_fixture.h"

namespace {

constexpr uint64_t kSeed = 0x5eed51ab;
constexpr int kOps = 1000000;
constexpr size_t kMaxLive = 4000;

enum Kind { KMALLOC, CACHE0, CACHE1, CACHE2, POOL };

struct Block {
	Kind kind;
	size_t size;	// bytes the user may use (what was asked for)
	uint8_t pattern;
	bool dma;
};

class SlabRandomTest : public SlabTest {
      protected:
	unsigned int MemoryMiB() const override { return 96; }

	size_t RandomSize()
	{
		unsigned r = rng_() % 100;
		if (r < 70)
			return 1 + rng_() % 256;
		if (r < 90)
			return 257 + rng_() % (2048 - 256);
		if (r < 98)
			return 2049 + rng_() % (8192 - 2048);
		return 8193 + rng_() % (65536 - 8192);
	}

	void Fill(void *p, const Block &b) { memset(p, b.pattern, b.size); }

	void Check(void *p, const Block &b, size_t n)
	{
		const uint8_t *c = (const uint8_t *)p;
		for (size_t i = 0; i < n; i++)
			ASSERT_EQ(c[i], b.pattern) << "block " << p << " byte " << i << " of " << b.size;
	}

	void Insert(void *p, const Block &b)
	{
		uintptr_t a = (uintptr_t)p;
		ASSERT_NE(p, nullptr);
		auto next = live_.lower_bound(a);
		if (next != live_.end()) {
			ASSERT_LE(a + b.size, next->first) << "overlap with the next block";
		}
		if (next != live_.begin()) {
			auto prev = std::prev(next);
			ASSERT_LE(prev->first + prev->second.size, a) << "overlap with the previous block";
		}
		if (b.kind == KMALLOC) {
			size_t ks = ksize(p);
			ASSERT_GE(ks, b.size);
			if ((ks & (ks - 1)) == 0) {
				ASSERT_EQ(slab_shim_phys(p) % ks, 0u) << "natural alignment of " << ks;
			} else {
				ASSERT_EQ(a % 8, 0u);
			}
		} else if (b.kind != POOL) {
			ASSERT_EQ(a % align_[b.kind - CACHE0], 0u);
		}
		if (b.dma) {
			ASSERT_LT(slab_shim_phys(p) + b.size, 16u << 20);
		}
		live_[a] = b;
		keys_.push_back(a);
	}

	// remove a random live block from the model; returns its address
	uintptr_t TakeRandom(Block *out)
	{
		size_t i = rng_() % keys_.size();
		uintptr_t a = keys_[i];
		keys_[i] = keys_.back();
		keys_.pop_back();
		*out = live_[a];
		live_.erase(a);
		return a;
	}

	void Release(uintptr_t a, const Block &b)
	{
		switch (b.kind) {
		case KMALLOC:
			kfree((void *)a);
			break;
		case POOL:
			mempool_free((void *)a, pool_);
			break;
		default:
			kmem_cache_free(caches_[b.kind - CACHE0], (void *)a);
		}
	}

	void ShrinkEverything()
	{
		slab_shim_shrink_all();
		for (auto *c : caches_)
			kmem_cache_shrink(c);
		shim_drain_all_pages();
	}

	std::mt19937_64 rng_{ kSeed };
	std::map<uintptr_t, Block> live_;
	std::vector<uintptr_t> keys_;
	struct kmem_cache *caches_[3];
	unsigned int sizes_[3] = { 24, 200, 1000 };
	unsigned int align_[3] = { 8, 64, 8 };
	mempool_t *pool_;
};

TEST_F(SlabRandomTest, MillionMixedOperationsAgainstAModel)
{
	printf("seed %#" PRIx64 ", %d operations\n", kSeed, kOps);
	caches_[0] = kmem_cache_create("rand_small", sizes_[0], 0, 0, nullptr);
	caches_[1] = kmem_cache_create("rand_hw", sizes_[1], 0, SLAB_HWCACHE_ALIGN, nullptr);
	caches_[2] = kmem_cache_create("rand_dma", sizes_[2], 0, SLAB_CACHE_DMA, nullptr);
	pool_ = mempool_create_kmalloc_pool(8, 512);
	ASSERT_NE(pool_, nullptr);
	ShrinkEverything();
	uint64_t free_before = slab_shim_free_pages();
	uint64_t pattern = 0;

	for (int op = 0; op < kOps; op++) {
		unsigned r = rng_() % 100;
		bool must_free = live_.size() >= kMaxLive;
		if (!live_.empty() && (must_free || r < 40)) {
			Block b;
			uintptr_t a = TakeRandom(&b);
			Check((void *)a, b, b.size);
			Release(a, b);
		} else if (!live_.empty() && r < 50) {
			// krealloc of a random kmalloc block (others are just checked)
			Block b;
			uintptr_t a = TakeRandom(&b);
			if (b.kind != KMALLOC || b.dma) {
				Insert((void *)a, b);
				continue;
			}
			size_t n = RandomSize();
			void *p = krealloc((void *)a, n, GFP_KERNEL);
			ASSERT_NE(p, nullptr);
			Check(p, b, std::min(n, b.size));
			b.size = n;
			b.pattern = (uint8_t)++pattern;
			Fill(p, b);
			Insert(p, b);
		} else {
			Block b{};
			void *p;
			b.pattern = (uint8_t)++pattern;
			if (r < 80) {
				b.kind = KMALLOC;
				b.size = RandomSize();
				b.dma = rng_() % 20 == 0;
				gfp_t gfp = GFP_KERNEL | (b.dma ? GFP_DMA : 0);
				p = (rng_() & 1) ? kzalloc(b.size, gfp) : kmalloc(b.size, gfp);
			} else if (r < 95) {
				unsigned c = rng_() % 3;
				b.kind = (Kind)(CACHE0 + c);
				b.size = sizes_[c];
				b.dma = c == 2;
				p = kmem_cache_alloc(caches_[c], GFP_KERNEL);
			} else {
				b.kind = POOL;
				b.size = 512;
				p = mempool_alloc(pool_, GFP_KERNEL);
			}
			Fill(p, b);
			Insert(p, b);
		}
		if (HasFatalFailure())
			return;
	}
	while (!keys_.empty()) {
		Block b;
		uintptr_t a = TakeRandom(&b);
		Check((void *)a, b, b.size);
		Release(a, b);
	}
	for (auto *c : caches_) {
		struct kmem_cache_stats st;
		slab_shim_stats(c, &st);
		EXPECT_EQ(st.live, 0u) << kmem_cache_name(c);
	}
	ShrinkEverything();
	EXPECT_EQ(slab_shim_free_pages(), free_before);
	EXPECT_EQ(Log(), "");
	mempool_destroy(pool_);
	for (auto *c : caches_)
		kmem_cache_destroy(c);
	EXPECT_EQ(Log(), "");
}

} // namespace
