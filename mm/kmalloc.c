// SPDX-License-Identifier: MIT
/*
 * mm/kmalloc.c - kmalloc and friends on top of the slab caches and the page allocator.
 *
 * Structure: two rows of 13 size-class caches (kmalloc_caches[KMALLOC_NORMAL/KMALLOC_DMA]) of
 * 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 and 8192 bytes, static so that they
 * exist before any cache can be allocated. The DMA row takes its slabs from ZONE_DMA. Each
 * power-of-two class is created with align = size, so its objects are naturally aligned (the
 * slab is a buddy block, aligned to its own size). A request above 8 KiB is a whole buddy block
 * of the smallest order that holds it; its head page has PG_head without PG_slab, which is how
 * kfree() and ksize() tell the two kinds apart (slab pages have page->slab_cache set).
 *
 * Size to class (Linux's kmalloc_index() as one table): size_class[(size - 1) / 8], so sizes
 * up to 192 go to the classes of 8..192, larger ones to the power of two above:
 * 193..256 -> 256, 257..512 -> 512, and so on. Example: kmalloc(100) -> size_class[12] =
 * class 5 (128 bytes); kmalloc(1000) -> size_class[124] = class 9 (1024).
 *
 * The caches are set up by kmem_cache_init() -> kmalloc_init(); nothing here takes a lock of
 * its own (the slab caches and the page allocator have theirs).
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "mm/mm_internal.h"
#include "mm/slab.h"

enum kmalloc_cache_type {
	KMALLOC_NORMAL = 0,
	KMALLOC_DMA = 1,
	NR_KMALLOC_TYPES = 2,
};

#define NR_KMALLOC_CLASSES 13

static const unsigned int kmalloc_sizes[NR_KMALLOC_CLASSES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

/*
 * Class index by (size - 1) / 8 for every size 1..KMALLOC_MAX_CACHE_SIZE: one load, no branch
 * (with sizes that vary at random, any "size <= x" test is a coin toss for the predictor).
 */
static const uint8_t size_class[KMALLOC_MAX_CACHE_SIZE / 8] = {
	[0] = 0,		/* 1..8 */
	[1] = 1,		/* 9..16 */
	[2 ... 3] = 2,		/* 17..32 */
	[4 ... 7] = 3,		/* 33..64 */
	[8 ... 11] = 4,		/* 65..96 */
	[12 ... 15] = 5,	/* 97..128 */
	[16 ... 23] = 6,	/* 129..192 */
	[24 ... 31] = 7,	/* 193..256 */
	[32 ... 63] = 8,	/* ..512 */
	[64 ... 127] = 9,	/* ..1024 */
	[128 ... 255] = 10,	/* ..2048 */
	[256 ... 511] = 11,	/* ..4096 */
	[512 ... 1023] = 12,	/* ..8192 */
};

static struct kmem_cache kmalloc_caches[NR_KMALLOC_TYPES][NR_KMALLOC_CLASSES];

/* @size is 1..KMALLOC_MAX_CACHE_SIZE */
static inline unsigned int kmalloc_index(size_t size)
{
	return size_class[(size - 1) / 8];
}

static inline struct kmem_cache *kmalloc_cache(size_t size, gfp_t gfp)
{
	return &kmalloc_caches[(gfp & __GFP_DMA) ? KMALLOC_DMA : KMALLOC_NORMAL]
			      [kmalloc_index(size)];
}

struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp)
{
	return kmalloc_cache(size, gfp);
}

void kmalloc_init(slab_flags_t debug)
{
	unsigned int t, i;

	for (t = 0; t < NR_KMALLOC_TYPES; t++) {
		for (i = 0; i < NR_KMALLOC_CLASSES; i++) {
			unsigned int size = kmalloc_sizes[i];
			struct kmem_cache *s = &kmalloc_caches[t][i];
			unsigned int align = (size & (size - 1)) ? ARCH_KMALLOC_MINALIGN : size;
			char name[SLAB_NAME_LEN];

			mm_snprintf(name, sizeof(name), "%skmalloc-%u", t ? "dma-" : "", size);
			MM_BUG_ON(slab_cache_setup(s, name, size, align,
						   debug | (t ? SLAB_CACHE_DMA : 0), NULL));
			s->is_static = true;
			slab_cache_register(s);
		}
	}
}

static unsigned int size_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

static void *kmalloc_large(size_t size, gfp_t gfp)
{
	struct page *page;

	if (unlikely(size > KMALLOC_MAX_SIZE)) {
		if (!(gfp & __GFP_NOWARN))
			platform_log(MM_LOG_WARN,
				     "WARNING: kmalloc(%lu) refused: larger than KMALLOC_MAX_SIZE "
				     "(%lu KiB); use vmalloc\n",
				     (unsigned long)size, KMALLOC_MAX_SIZE >> 10);
		return NULL;
	}
	page = alloc_pages(gfp | __GFP_COMP, size_order(size));
	return page ? page_address(page) : NULL;
}

static inline void *kmalloc_caller(size_t size, gfp_t gfp, uintptr_t caller)
{
	if (likely(size - 1 < KMALLOC_MAX_CACHE_SIZE))
		return slab_alloc(kmalloc_cache(size, gfp), gfp, caller, size);
	if (size == 0)
		return ZERO_SIZE_PTR;
	return kmalloc_large(size, gfp);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return kmalloc_caller(size, gfp, SLAB_RET_IP);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc_caller(size, gfp | __GFP_ZERO, SLAB_RET_IP);
}

void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc_caller(bytes, gfp, SLAB_RET_IP);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc_caller(bytes, gfp | __GFP_ZERO, SLAB_RET_IP);
}

size_t kmalloc_size_roundup(size_t size)
{
	if (size == 0)
		return 0;
	if (size <= KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_sizes[kmalloc_index(size)];
	if (size > KMALLOC_MAX_SIZE)
		return size;
	return PAGE_SIZE << size_order(size);
}

/* A large block's head page if @p is the start of one, else NULL. */
static struct page *large_block(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	struct page *page;

	if (a < page_offset_base || ((a - page_offset_base) >> PAGE_SHIFT) >= max_pfn ||
	    (a & (PAGE_SIZE - 1)))
		return NULL;
	page = virt_to_page(p);
	return page->flags == PG_head ? page : NULL;
}

static void bad_kfree(const void *p, uintptr_t caller)
{
	uintptr_t a = (uintptr_t)p;

	if (a < page_offset_base || ((a - page_offset_base) >> PAGE_SHIFT) >= max_pfn)
		platform_log(MM_LOG_ERR,
			     "BUG: kfree(%p) from %#lx: not memory of the allocator (outside the "
			     "direct map); ignored\n",
			     p, (unsigned long)caller);
	else
		platform_log(MM_LOG_ERR,
			     "BUG: kfree(%p) from %#lx: not a slab object nor the start of a "
			     "kmalloc'ed block (page flags %#x; already freed?); ignored\n",
			     p, (unsigned long)caller, virt_to_page(p)->flags);
}

static void kfree_caller(const void *p, uintptr_t caller)
{
	struct kmem_cache *s;
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	s = slab_cache_of(p);
	if (likely(s)) {
		slab_free(s, (void *)p, caller);
		return;
	}
	page = large_block(p);
	if (page)
		__free_pages(page, page->order);
	else
		bad_kfree(p, caller);
}

void kfree(const void *p)
{
	kfree_caller(p, SLAB_RET_IP);
}

size_t ksize(const void *p)
{
	struct kmem_cache *s;
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	s = slab_cache_of(p);
	if (s)
		return s->object_size;
	page = large_block(p);
	return page ? PAGE_SIZE << page->order : 0;
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	struct kmem_cache *s;
	size_t ks;
	void *n;

	if (ZERO_OR_NULL_PTR(p))
		return kmalloc_caller(new_size, gfp, SLAB_RET_IP);
	if (new_size == 0) {
		kfree_caller(p, SLAB_RET_IP);
		return ZERO_SIZE_PTR;
	}
	ks = ksize(p);
	if (ks == 0) {
		bad_kfree(p, SLAB_RET_IP);
		return NULL;
	}
	s = slab_cache_of(p);
	if (new_size <= ks && (s || new_size > ks / 2)) {
		/* fits: keep the block (a large block is only kept while at least half used) */
		if (s)
			slab_debug_resize(s, (void *)p, new_size);
		return (void *)p;
	}
	n = kmalloc_caller(new_size, gfp, SLAB_RET_IP);
	if (!n)
		return NULL;
	mm_memcpy(n, p, ks < new_size ? ks : new_size);
	kfree_caller(p, SLAB_RET_IP);
	return n;
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc_caller(len, gfp, SLAB_RET_IP);

	if (p && !ZERO_OR_NULL_PTR(p))
		mm_memcpy(p, src, len);
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len = 0;
	char *p;

	if (!s)
		return NULL;
	while (s[len])
		len++;
	p = kmalloc_caller(len + 1, gfp, SLAB_RET_IP);
	if (p)
		mm_memcpy(p, s, len + 1);
	return p;
}
