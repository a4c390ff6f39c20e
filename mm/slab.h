/* SPDX-License-Identifier: MIT */
/*
 * mm/slab.h - the slab allocator's structures, shared by slab.c and kmalloc.c (and tests).
 *
 * A struct kmem_cache is a per-CPU object cache (struct array_cache: a stack of free object
 * pointers, touched only by its CPU with interrupts off) in front of three slab lists (partial,
 * full, empty) protected by the cache's lock. See mm/slab.c for the invariants.
 */
#ifndef GMM_MM_SLAB_H
#define GMM_MM_SLAB_H

#include <linux/mm.h>
#include <linux/slab.h>

#include "mm/mm_internal.h"

#define SLAB_CPU_ARRAY_MAX 256	/* capacity of a per-CPU object cache (see mm/slab.c) */
#define SLAB_NAME_LEN 32
#define SLAB_KEEP_EMPTY 1	/* empty slabs a cache keeps instead of freeing */

/* A CPU's stack of free objects: entry[0..avail) are free objects of the cache. */
struct array_cache {
	uint32_t avail;
	uint32_t limit;	     /* flush when a free finds the stack this full; 0: debugged cache */
	uint32_t batchcount; /* objects moved per refill or flush */
	uint32_t pad;
	void *entry[SLAB_CPU_ARRAY_MAX];
} __attribute__((aligned(64)));

/* Debug metadata after each object of a debugged cache (SLAB_STORE_USER fills the sites). */
struct slab_track {
	uintptr_t addr; /* caller's return address */
	uint32_t cpu;
	uint32_t pad;
};

struct slab_meta {
	struct slab_track alloc;
	struct slab_track free;
	uint64_t orig_size; /* what kmalloc was asked for; object_size for kmem_cache_alloc */
};

struct kmem_cache {
	struct array_cache cpu[PAGE_STATE_MAX_CPUS];
	slab_flags_t flags;
	bool debug;		  /* any debug flag: no per-CPU cache, every object checked */
	unsigned int object_size; /* what users may use */
	unsigned int size;	  /* stride between objects in a slab */
	unsigned int align;
	unsigned int offset;	  /* of the free pointer inside the stride */
	unsigned int rz_end;	  /* red zone is [object_size, rz_end) */
	unsigned int meta_offset; /* struct slab_meta, debugged caches only */
	unsigned int objects;	  /* per slab */
	unsigned int order;	  /* slab = 2^order pages */
	gfp_t allocflags;	  /* __GFP_DMA for SLAB_CACHE_DMA */
	void (*ctor)(void *);
	uintptr_t random;	  /* hardened freelist: stored = ptr ^ random ^ swab(slot) */
	uint32_t lock;		  /* protects the lists and counters below */
	uint32_t partial;	  /* PFN-linked lists of slab head pages */
	uint32_t full;
	uint32_t empty;
	unsigned long nr_slabs;
	unsigned long nr_empty;
	unsigned long inuse;	  /* objects out of slabs: allocated or in per-CPU caches */
	unsigned long ctor_calls;
	struct kmem_cache *next;  /* all caches, under slab_lock */
	bool is_static;		  /* kmalloc caches: not freed by destroy */
	char name[SLAB_NAME_LEN];
};

/* Counters for tests and slabinfo, computed under the cache lock. */
struct kmem_cache_stats {
	unsigned long live;	  /* objects held by users */
	unsigned long cached;	  /* free objects in per-CPU caches */
	unsigned long total;	  /* objects in all slabs */
	unsigned long slabs;
	unsigned long partial;
	unsigned long full;
	unsigned long empty;
	unsigned long pages;
	unsigned long ctor_calls;
	unsigned int objects_per_slab;
	unsigned int order;
	unsigned int size;
	unsigned int align;
};

/* Set up a cache in caller-provided memory (kmalloc's static caches use this). */
int slab_cache_setup(struct kmem_cache *s, const char *name, unsigned int size, unsigned int align,
		     slab_flags_t flags, void (*ctor)(void *));
void slab_cache_register(struct kmem_cache *s);
void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, uintptr_t caller, size_t orig_size);
void slab_free_slow(struct kmem_cache *s, void *obj, uintptr_t caller);
/* A debugged kmalloc object keeps its contents but now holds @new_size bytes. */
void slab_debug_resize(struct kmem_cache *s, void *obj, size_t new_size);
void kmem_cache_get_stats(struct kmem_cache *s, struct kmem_cache_stats *st);
/* Called by kmem_cache_init(): set up the kmalloc caches with @debug added to their flags. */
void kmalloc_init(slab_flags_t debug);
/* The kmalloc cache for @size (1..KMALLOC_MAX_CACHE_SIZE) and @gfp. */
struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp);

#define SLAB_RET_IP ((uintptr_t)__builtin_return_address(0))

/*
 * The fast paths, inline so that kmalloc()/kfree() are one function each: a pop or push on
 * this CPU's stack with interrupts off. Everything else (debugged caches, __GFP_ZERO, a
 * sleeping allocation in atomic context, an empty or full stack) is in mm/slab.c, reached by a
 * tail call, so the fast path makes no call and needs no stack frame. A debugged cache needs
 * no test here: its stacks have limit 0 and stay empty, so both paths fall through to the slow
 * path.
 */
static inline void *slab_alloc(struct kmem_cache *s, gfp_t gfp, uintptr_t caller,
			       size_t orig_size)
{
	struct array_cache *ac;
	unsigned long flags;
	void *obj;

	if (likely(!(gfp & __GFP_ZERO)) &&
	    likely(!(gfp & __GFP_DIRECT_RECLAIM) || !platform_in_atomic())) {
		flags = platform_irq_save();
		ac = &s->cpu[platform_cpu_id()];
		if (likely(ac->avail)) { /* never for a debugged cache: its stacks stay empty */
			obj = ac->entry[--ac->avail];
			platform_irq_restore(flags);
			return obj;
		}
		platform_irq_restore(flags);
	}
	return slab_alloc_slow(s, gfp, caller, orig_size);
}

static inline void slab_free(struct kmem_cache *s, void *obj, uintptr_t caller)
{
	struct array_cache *ac;
	unsigned long flags;

	flags = platform_irq_save();
	ac = &s->cpu[platform_cpu_id()];
	if (likely(ac->avail < ac->limit)) { /* a debugged cache's limit is 0 */
		ac->entry[ac->avail++] = obj;
		platform_irq_restore(flags);
		return;
	}
	platform_irq_restore(flags);
	slab_free_slow(s, obj, caller);
}

/* The cache of a direct-map address inside a slab, or NULL. */
static inline struct kmem_cache *slab_cache_of(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (unlikely(a < page_offset_base || ((a - page_offset_base) >> PAGE_SHIFT) >= max_pfn))
		return NULL;
	return (struct kmem_cache *)virt_to_page(p)->slab_cache;
}

#endif /* GMM_MM_SLAB_H */
