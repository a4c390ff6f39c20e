/* SPDX-License-Identifier: MIT */
/*
 * include/linux/slab.h - object caches (kmem_cache) and the kmalloc family, with Linux's names,
 * flag values and semantics (Linux 6.x).
 *
 * What differs from the classic texts (../shared/SEED-CLAIMS.md):
 *  - kmem_cache_create() has no destructor argument and there is no SLAB_NO_REAP (row 28); the
 *    constructor runs once per object when a slab is populated, not on every allocation.
 *  - the smallest kmalloc object is 8 bytes (row 4); slab caches serve up to 8 KiB
 *    (KMALLOC_MAX_CACHE_SIZE), larger requests go to the page allocator up to KMALLOC_MAX_SIZE
 *    = 4 MiB; above that kmalloc fails with a warning unless __GFP_NOWARN (row 5).
 *  - power-of-two kmalloc sizes are naturally aligned (row 8).
 *
 * Debugging: SLAB_RED_ZONE, SLAB_POISON and SLAB_STORE_USER per cache, or for every cache
 * created later with slab_debug_set() (Linux's slub_debug= boot option). A debugged cache
 * reports double frees, frees of pointers that are not object starts, writes past the object
 * (also past the size asked of kmalloc), and writes to freed objects, as "BUG <cache>: ...".
 *
 * Hosted use: mm_host_init() (mm/host/platform_host.h) sets everything up; in the guest the
 * kernel calls kmem_cache_init() once the page allocator is attached.
 */
#ifndef GMM_LINUX_SLAB_H
#define GMM_LINUX_SLAB_H

#include <linux/gfp.h>
#include <linux/mm_types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned int slab_flags_t;

/* Flag values as in Linux's include/linux/slab.h */
#define SLAB_CONSISTENCY_CHECKS ((slab_flags_t)0x00000100u) /* accepted; implied by debugging */
#define SLAB_RED_ZONE ((slab_flags_t)0x00000400u)	   /* guard bytes after each object */
#define SLAB_POISON ((slab_flags_t)0x00000800u)	   /* 0x6b freed, 0x5a uninitialised */
#define SLAB_HWCACHE_ALIGN ((slab_flags_t)0x00002000u)   /* align objects on cache lines */
#define SLAB_CACHE_DMA ((slab_flags_t)0x00004000u)	   /* slabs from ZONE_DMA */
#define SLAB_STORE_USER ((slab_flags_t)0x00010000u)	   /* remember last alloc/free site */
#define SLAB_PANIC ((slab_flags_t)0x00040000u)	   /* panic if kmem_cache_create fails */
#define SLAB_DEBUG_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS)

/* Poison bytes, as in Linux's include/linux/poison.h */
#define POISON_INUSE 0x5a /* allocated, not yet initialised by its user */
#define POISON_FREE 0x6b  /* freed */
#define POISON_END 0xa5	  /* last byte of a poisoned object */
#define SLUB_RED_INACTIVE 0xbb /* red zone of a free object */
#define SLUB_RED_ACTIVE 0xcc   /* red zone of an allocated object */

#define ARCH_KMALLOC_MINALIGN 8
#define KMALLOC_MIN_SIZE 8
#define KMALLOC_SHIFT_HIGH 13 /* 8 KiB: the largest size served by a slab cache */
#define KMALLOC_MAX_CACHE_SIZE (1ul << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_SIZE (PAGE_SIZE << MAX_PAGE_ORDER) /* 4 MiB */

/* kmalloc(0) returns this: not NULL, not dereferenceable; kfree() accepts it. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((uintptr_t)(x) <= (uintptr_t)ZERO_SIZE_PTR)

struct kmem_cache;

/**
 * kmem_cache_init - (re)initialise the slab allocator over the attached page allocator
 *
 * Forgets every cache (their memory belonged to the previous page state) and sets up the
 * kmalloc caches with the flags of slab_debug_set(). Called by mm_host_memory_create() and
 * mm_host_memory_destroy() on the host, by the guest kernel after the page allocator is up.
 */
void kmem_cache_init(void);

/**
 * slab_debug_set - the global debugging switch (Linux's slub_debug=)
 * @flags: SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER, or 0
 *
 * The flags are added to every cache created afterwards, including the kmalloc caches at the
 * next kmem_cache_init().
 */
void slab_debug_set(slab_flags_t flags);

/**
 * kmem_cache_create - create a cache of objects of one size
 * @name: shown in slabinfo and reports (copied; at most 31 characters kept)
 * @size: object size in bytes, 1..KMALLOC_MAX_SIZE / 2
 * @align: required alignment (0 or a power of two); at least 8 is used
 * @flags: SLAB_HWCACHE_ALIGN (cache-line alignment, halved while the object fits in half a
 *         line), SLAB_CACHE_DMA, the debugging flags, SLAB_PANIC
 * @ctor: called for each object when its slab is populated, or NULL
 *
 * Return: the cache, or NULL (bad arguments, no memory).
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));

/**
 * kmem_cache_destroy - destroy a cache
 * @s: the cache, or NULL
 *
 * With objects still allocated it complains ("kmem_cache_destroy <name>: Slab cache still has
 * objects (<n>)") and keeps the cache. Nobody may use the cache concurrently.
 */
void kmem_cache_destroy(struct kmem_cache *s);

/**
 * kmem_cache_alloc - allocate an object
 * @s: the cache
 * @gfp: GFP flags (__GFP_ZERO zeroes the object; zone flags come from the cache)
 *
 * Return: the object, or NULL.
 */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);

/** kmem_cache_zalloc - kmem_cache_alloc() of a zeroed object */
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp);

/**
 * kmem_cache_free - give an object back to its cache
 * @s: the cache it was allocated from
 * @obj: the object (NULL is ignored)
 */
void kmem_cache_free(struct kmem_cache *s, void *obj);

/** kmem_cache_size - the object size the cache was created with */
unsigned int kmem_cache_size(struct kmem_cache *s);

/** kmem_cache_name - the cache's name */
const char *kmem_cache_name(const struct kmem_cache *s);

/**
 * kmem_cache_shrink - give back every cached free object and every empty slab
 * @s: the cache
 *
 * Empties all CPUs' object caches (only safe while no other CPU uses the cache).
 * Return: 0.
 */
int kmem_cache_shrink(struct kmem_cache *s);

/**
 * slabinfo_show - every cache in the format of Linux's /proc/slabinfo, version 2.1
 * @buf: output, always NUL-terminated
 * @size: its size
 *
 * Return: the length written.
 */
size_t slabinfo_show(char *buf, size_t size);

/**
 * kmalloc - allocate physically contiguous memory
 * @size: bytes; 0 gives ZERO_SIZE_PTR
 * @gfp: GFP flags; GFP_DMA uses the DMA caches, __GFP_ZERO zeroes
 *
 * Sizes up to 8 KiB come from the size-class caches 8, 16, 32, 64, 96, 128, 192, 256, 512,
 * 1024, 2048, 4096, 8192; power-of-two sizes are aligned to their size. Larger sizes are whole
 * buddy blocks, up to KMALLOC_MAX_SIZE.
 * Return: the memory, ZERO_SIZE_PTR, or NULL.
 */
void *kmalloc(size_t size, gfp_t gfp);

/** kzalloc - kmalloc() of zeroed memory */
void *kzalloc(size_t size, gfp_t gfp);

/** kmalloc_array - kmalloc(@n * @size); NULL if the product overflows */
void *kmalloc_array(size_t n, size_t size, gfp_t gfp);

/** kcalloc - zeroed kmalloc_array() */
void *kcalloc(size_t n, size_t size, gfp_t gfp);

/**
 * krealloc - resize a kmalloc'ed block, keeping its contents
 * @p: the block, NULL or ZERO_SIZE_PTR (then it is kmalloc())
 * @new_size: 0 frees @p and returns ZERO_SIZE_PTR
 * @gfp: GFP flags for a new block
 *
 * Return: @p if it is large enough already, else a new block; NULL on failure (@p is kept).
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);

/** ksize - how many bytes the block at @p really has (0 for NULL and ZERO_SIZE_PTR) */
size_t ksize(const void *p);

/**
 * kfree - free memory from kmalloc() and friends
 * @p: the block; NULL and ZERO_SIZE_PTR are ignored
 *
 * A pointer that the allocator did not hand out is reported and left alone.
 */
void kfree(const void *p);

/** kmemdup - kmalloc a copy of @len bytes at @src */
void *kmemdup(const void *src, size_t len, gfp_t gfp);

/** kstrdup - kmalloc a copy of the string @s (NULL gives NULL) */
char *kstrdup(const char *s, gfp_t gfp);

/** kmalloc_size_roundup - the size kmalloc(@size) really hands out */
size_t kmalloc_size_roundup(size_t size);

#ifdef __cplusplus
}
#endif

#endif /* GMM_LINUX_SLAB_H */
