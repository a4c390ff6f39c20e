// SPDX-License-Identifier: MIT
/*
 * mm/slab.c - object caches carved from slabs of buddy pages.
 *
 * Structure. A slab is one buddy block of 2^order pages, allocated with alloc_pages(). Its head
 * struct page carries PG_slab | PG_head, slab_cache = the owning cache, slab_inuse = objects
 * handed out of it and freelist = its first free object; each tail page has flags 0 (as the page
 * allocator requires), slab_cache = the cache and freelist = the head page, so that kfree() of
 * any address finds the cache from virt_to_page() alone. The slab's free objects are chained
 * through a free pointer at s->offset inside each stride, stored hardened:
 * stored = next ^ s->random ^ bswap64(address of the slot), so a use-after-free write or an
 * overflow into a free object yields a pointer outside the slab, which the refill detects.
 *
 * Each cache has three PFN-linked lists of slab heads (mm/page_list.h): partial
 * (0 < inuse < objects), full (inuse == objects) and empty (inuse == 0, at most
 * SLAB_KEEP_EMPTY of them; more go back to the page allocator). In front of them sits one
 * struct array_cache per CPU: a stack of free objects taken out of slabs in batches (refill)
 * and given back in batches (flush). The fast path of an allocation or a free is a push or pop
 * on that stack with interrupts off: no lock, no touching the object, no call (mm/slab.h; the
 * rest, including the might-sleep report, is slab_alloc_slow()/slab_free_slow() here).
 *
 * Worked example, 64-byte objects, order 0: 4096 / 64 = 64 objects per slab; the stack's limit
 * is 256 and batchcount 32 (half a slab, so one refill never populates more than one slab). The
 * first kmalloc(64) finds the CPU stack empty; the refill takes 32 objects from a new slab
 * (inuse 32, on the partial list) and pops one. 31 more allocations are pops. A free pushes; a
 * free that finds the stack at its limit first gives the 32 oldest entries back to their slabs.
 *
 * Stack sizes (limit 256 / 128 / 64 / 32 objects up to 256 B / 1 KiB / 4 KiB / 8 KiB, batch
 * min(limit, objects per slab) / 2): under random alloc/free traffic a stack's fill level is a
 * random walk, which from level b reaches empty or full after about b * (limit - b)
 * operations; then it moves a batch of objects, each a cold object and a struct page. Deep
 * stacks make that rare. The price is memory: a CPU keeps at most 64 KiB, 128 KiB, 256 KiB,
 * 256 KiB of free objects per cache in its stack.
 *
 * Debugging (SLAB_RED_ZONE / SLAB_POISON / SLAB_STORE_USER, per cache or by slab_debug_set()).
 * A debugged cache bypasses the per-CPU stacks, so every alloc and free is checked at once.
 * Stride layout: [object | red zone to rz_end | free pointer | struct slab_meta]. Free objects
 * hold POISON_FREE with POISON_END as the last byte and an inactive red zone; allocated ones an
 * active red zone, also over the bytes beyond what kmalloc was asked for (orig_size).
 * Constructed caches are not poisoned (the constructed state must survive), as in Linux.
 *
 * Invariants (under s->lock): for every slab, inuse = objects - length of its freelist; the
 * slab is on exactly the list its inuse says; s->inuse is the sum of the slabs' inuse; s->nr_slabs
 * counts the slabs on the three lists. Objects in per-CPU stacks count as in use for the slab.
 *
 * Lock order: slab_lock (the cache list) -> s->lock -> the page allocator's zone lock. The per-
 * CPU stack is touched with interrupts off (platform_irq_save()), and s->lock taken inside.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "mm/mm_internal.h"
#include "mm/page_list.h"
#include "mm/slab.h"

static struct kmem_cache *slab_caches; /* every cache, newest first */
static uint32_t slab_lock;
static slab_flags_t slab_debug_flags;
static struct kmem_cache kmem_cache_boot; /* the cache of struct kmem_cache */

/* ---- object layout helpers ---- */

static inline uintptr_t fp_encode(const struct kmem_cache *s, void *ptr, uintptr_t slot)
{
	return (uintptr_t)ptr ^ s->random ^ (uintptr_t)__builtin_bswap64((uint64_t)slot);
}

static inline void set_freepointer(const struct kmem_cache *s, void *obj, void *next)
{
	uintptr_t slot = (uintptr_t)obj + s->offset;

	*(uintptr_t *)slot = fp_encode(s, next, slot);
}

static inline void *get_freepointer(const struct kmem_cache *s, void *obj)
{
	uintptr_t slot = (uintptr_t)obj + s->offset;

	return (void *)fp_encode(s, (void *)*(uintptr_t *)slot, slot);
}

static inline struct slab_meta *obj_meta(const struct kmem_cache *s, void *obj)
{
	return (struct slab_meta *)((uintptr_t)obj + s->meta_offset);
}

static inline struct page *slab_head(struct page *page)
{
	return (page->flags & PG_slab) ? page : (struct page *)page->freelist;
}

static inline uint8_t *slab_base(const struct page *head)
{
	return page_address(head);
}

/* ---- reports ---- */

static void print_track(const char *what, const struct slab_track *t)
{
	if (t->addr)
		platform_log(MM_LOG_ERR, "%s by caller %#lx on cpu %u\n", what,
			     (unsigned long)t->addr, t->cpu);
	else
		platform_log(MM_LOG_ERR, "%s: never\n", what);
}

/* "BUG <cache>: <what>" with the object and, with SLAB_STORE_USER, its last sites. */
static void slab_report(const struct kmem_cache *s, void *obj, uintptr_t caller, const char *fmt,
			...) __attribute__((format(printf, 4, 5)));
static void slab_report(const struct kmem_cache *s, void *obj, uintptr_t caller, const char *fmt,
			...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	platform_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	platform_log(MM_LOG_ERR,
		     "=============================================================\n"
		     "BUG %s: %s\n"
		     "-------------------------------------------------------------\n",
		     s->name, what);
	if (obj) {
		struct page *head = slab_head(virt_to_page(obj));

		platform_log(MM_LOG_ERR, "Object %p @offset=%lu in slab pfn %#lx, size %u\n", obj,
			     (unsigned long)((uint8_t *)obj - slab_base(head)),
			     (unsigned long)page_to_pfn(head), s->object_size);
		if (s->debug && (s->flags & SLAB_STORE_USER)) {
			print_track("Last allocated", &obj_meta(s, obj)->alloc);
			print_track("Last freed", &obj_meta(s, obj)->free);
		}
	}
	if (caller)
		platform_log(MM_LOG_ERR, "Detected in call from %#lx\n", (unsigned long)caller);
}

/* First byte of [p, p + n) that is not @c, or NULL. */
static uint8_t *check_bytes(uint8_t *p, uint8_t c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != c)
			return p + i;
	return NULL;
}

/* Check [from, to) of @obj holds @c; report @what and restore if not. */
static bool check_area(struct kmem_cache *s, void *obj, unsigned int from, unsigned int to,
		       uint8_t c, uintptr_t caller, const char *what)
{
	uint8_t *start = (uint8_t *)obj + from, *bad;

	if (from >= to)
		return true;
	bad = check_bytes(start, c, to - from);
	if (!bad)
		return true;
	slab_report(s, obj, caller, "%s: byte at object offset %lu is %#x, expected %#x", what,
		    (unsigned long)(bad - (uint8_t *)obj), *bad, c);
	mm_memset(start, c, to - from);
	return false;
}

static void poison_object(struct kmem_cache *s, void *obj)
{
	mm_memset(obj, POISON_FREE, s->object_size - 1);
	((uint8_t *)obj)[s->object_size - 1] = POISON_END;
}

static bool poisoned(const struct kmem_cache *s)
{
	return (s->flags & SLAB_POISON) && !s->ctor;
}

/* A fresh or freed object of a debugged cache: poison, inactive red zone. */
static void init_debug_object(struct kmem_cache *s, void *obj)
{
	if (poisoned(s))
		poison_object(s, obj);
	if (s->flags & SLAB_RED_ZONE)
		mm_memset((uint8_t *)obj + s->object_size, SLUB_RED_INACTIVE,
			  s->rz_end - s->object_size);
}

/* ---- slabs ---- */

static bool obj_in_slab(const struct kmem_cache *s, const struct page *head, const void *p)
{
	uintptr_t base = (uintptr_t)slab_base(head), a = (uintptr_t)p;

	return a >= base && a < base + (uintptr_t)s->objects * s->size;
}

static struct page *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	gfp_t pgfp = (gfp & ~(__GFP_ZERO | GFP_ZONEMASK)) | s->allocflags | __GFP_NOWARN;
	unsigned int i, npages = 1u << s->order;
	struct page *head;
	uint8_t *base;

	head = alloc_pages(pgfp, s->order);
	if (!head) {
		if (!(gfp & __GFP_NOWARN))
			platform_log(MM_LOG_WARN,
				     "SLUB: Unable to allocate memory: cache %s, order %u, "
				     "mode:%#x\n",
				     s->name, s->order, gfp);
		return NULL;
	}
	head->flags |= PG_slab;
	head->slab_cache = s;
	head->slab_inuse = 0;
	for (i = 1; i < npages; i++) {
		head[i].slab_cache = s;
		head[i].freelist = head;
	}
	base = slab_base(head);
	for (i = 0; i < s->objects; i++) {
		void *obj = base + (size_t)i * s->size;

		if (s->ctor) {
			s->ctor(obj);
			s->ctor_calls++;
		}
		if (s->debug)
			init_debug_object(s, obj);
		set_freepointer(s, obj, i + 1 < s->objects ? base + (size_t)(i + 1) * s->size : NULL);
	}
	head->freelist = base;
	s->nr_slabs++;
	return head;
}

static void discard_slab(struct kmem_cache *s, struct page *head)
{
	unsigned int i, npages = 1u << s->order;

	for (i = 0; i < npages; i++) {
		head[i].slab_cache = NULL;
		head[i].freelist = NULL;
	}
	head->flags &= ~PG_slab;
	head->slab_inuse = 0;
	s->nr_slabs--;
	__free_pages(head, s->order);
}

/* Which list a slab with @inuse objects out belongs on. */
static uint32_t *slab_list(struct kmem_cache *s, unsigned int inuse)
{
	if (inuse == 0)
		return &s->empty;
	if (inuse == s->objects)
		return &s->full;
	return &s->partial;
}

static void slab_list_move(struct kmem_cache *s, struct page *head, unsigned int old_inuse)
{
	uint32_t *from = slab_list(s, old_inuse), *to = slab_list(s, head->slab_inuse);
	uint32_t pfn = (uint32_t)page_to_pfn(head);

	if (from == to)
		return;
	page_list_del(mem_map, from, pfn);
	if (from == &s->empty)
		s->nr_empty--;
	if (to == &s->empty) {
		if (s->nr_empty >= SLAB_KEEP_EMPTY) {
			discard_slab(s, head);
			return;
		}
		s->nr_empty++;
	}
	page_list_add(mem_map, to, pfn);
}

/* The corrupted freelist of @head: report, and retire the slab's remaining free objects. */
static void freelist_corrupted(struct kmem_cache *s, struct page *head, void *obj, void *next)
{
	unsigned int old = head->slab_inuse;

	slab_report(s, obj, 0,
		    "Freelist Pointer check fails: next pointer %p of free object %p is not an "
		    "object of the slab; the slab's free objects are isolated",
		    next, obj);
	head->freelist = NULL;
	s->inuse += s->objects - old;
	head->slab_inuse = (uint16_t)s->objects;
	slab_list_move(s, head, old);
}

/* Take one object out of a slab (s->lock held). */
static void *slab_take_locked(struct kmem_cache *s, gfp_t gfp)
{
	struct page *head;
	unsigned int old;
	void *obj, *next;
	uint32_t pfn;

	for (;;) {
		pfn = s->partial != PFN_NONE ? s->partial : s->empty;
		if (pfn != PFN_NONE) {
			head = pfn_to_page(pfn);
		} else {
			head = new_slab(s, gfp);
			if (!head)
				return NULL;
			pfn = (uint32_t)page_to_pfn(head);
			page_list_add(mem_map, &s->empty, pfn);
			s->nr_empty++;
		}
		obj = head->freelist;
		next = get_freepointer(s, obj);
		if (unlikely(next && (!obj_in_slab(s, head, next) ||
				      (s->debug && ((uint8_t *)next - slab_base(head)) % s->size)))) {
			freelist_corrupted(s, head, obj, next);
			continue;
		}
		head->freelist = next;
		old = head->slab_inuse++;
		s->inuse++;
		slab_list_move(s, head, old);
		return obj;
	}
}

/* Put one object back into its slab (s->lock held). */
static void slab_put_locked(struct kmem_cache *s, struct page *head, void *obj)
{
	unsigned int old = head->slab_inuse;

	set_freepointer(s, obj, head->freelist);
	head->freelist = obj;
	head->slab_inuse--;
	s->inuse--;
	slab_list_move(s, head, old);
}

/* ---- the per-CPU stacks ---- */

static void *cache_alloc_refill(struct kmem_cache *s, struct array_cache *ac, gfp_t gfp)
{
	unsigned int n;

	mm_spin_lock(&s->lock);
	for (n = ac->batchcount; n; n--) {
		void *obj = slab_take_locked(s, gfp);

		if (!obj)
			break;
		ac->entry[ac->avail++] = obj;
	}
	mm_spin_unlock(&s->lock);
	return ac->avail ? ac->entry[--ac->avail] : NULL;
}

/* Give the @n oldest entries of @ac back to their slabs. */
static void cache_flusharray(struct kmem_cache *s, struct array_cache *ac, unsigned int n)
{
	unsigned int i;

	if (n > ac->avail)
		n = ac->avail;
	mm_spin_lock(&s->lock);
	for (i = 0; i < n; i++)
		slab_put_locked(s, slab_head(virt_to_page(ac->entry[i])), ac->entry[i]);
	mm_spin_unlock(&s->lock);
	for (i = n; i < ac->avail; i++)
		ac->entry[i - n] = ac->entry[i];
	ac->avail -= n;
}

/* ---- debugged alloc and free ---- */

static void set_track(struct slab_track *t, uintptr_t caller)
{
	t->addr = caller;
	t->cpu = platform_cpu_id();
}

static void *debug_alloc(struct kmem_cache *s, gfp_t gfp, uintptr_t caller, size_t orig_size)
{
	unsigned long flags;
	void *obj;

	flags = platform_irq_save();
	mm_spin_lock(&s->lock);
	obj = slab_take_locked(s, gfp);
	if (obj) {
		if (poisoned(s)) {
			check_area(s, obj, 0, s->object_size - 1, POISON_FREE, caller,
				   "Poison overwritten (written after free)");
			check_area(s, obj, s->object_size - 1, s->object_size, POISON_END, caller,
				   "Poison overwritten (written after free)");
		}
		if (s->flags & SLAB_RED_ZONE)
			check_area(s, obj, s->object_size, s->rz_end, SLUB_RED_INACTIVE, caller,
				   "Redzone overwritten (written past a free object)");
		obj_meta(s, obj)->orig_size = orig_size;
		if (s->flags & SLAB_STORE_USER)
			set_track(&obj_meta(s, obj)->alloc, caller);
		if (poisoned(s))
			mm_memset(obj, POISON_INUSE, s->object_size);
		if (s->flags & SLAB_RED_ZONE)
			mm_memset((uint8_t *)obj + orig_size, SLUB_RED_ACTIVE,
				  s->rz_end - orig_size);
	}
	mm_spin_unlock(&s->lock);
	platform_irq_restore(flags);
	return obj;
}

static bool on_freelist(struct kmem_cache *s, struct page *head, void *obj)
{
	unsigned int n = 0;
	void *p = head->freelist;

	while (p && n++ <= s->objects) {
		if (p == obj)
			return true;
		if (!obj_in_slab(s, head, p))
			return false;
		p = get_freepointer(s, p);
	}
	return false;
}

static void debug_free(struct kmem_cache *s, struct page *head, void *obj, uintptr_t caller)
{
	size_t off = (size_t)((uint8_t *)obj - slab_base(head));
	unsigned long flags;

	flags = platform_irq_save();
	mm_spin_lock(&s->lock);
	if (off % s->size || off / s->size >= s->objects) {
		slab_report(s, NULL, caller,
			    "Invalid free: %p is not the start of an object (offset %lu in slab "
			    "pfn %#lx); not freed",
			    obj, (unsigned long)off, (unsigned long)page_to_pfn(head));
		goto out;
	}
	if (on_freelist(s, head, obj)) {
		slab_report(s, obj, caller, "Object already free (double free); not freed again");
		goto out;
	}
	if (s->flags & SLAB_RED_ZONE) {
		size_t orig = obj_meta(s, obj)->orig_size;

		if (orig > s->object_size)
			orig = s->object_size;
		check_area(s, obj, (unsigned int)orig, s->rz_end, SLUB_RED_ACTIVE, caller,
			   "Redzone overwritten (written past the end of the object)");
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(&obj_meta(s, obj)->free, caller);
	init_debug_object(s, obj);
	slab_put_locked(s, head, obj);
out:
	mm_spin_unlock(&s->lock);
	platform_irq_restore(flags);
}

void slab_debug_resize(struct kmem_cache *s, void *obj, size_t new_size)
{
	if (!s->debug)
		return;
	obj_meta(s, obj)->orig_size = new_size;
	if (s->flags & SLAB_RED_ZONE)
		mm_memset((uint8_t *)obj + new_size, SLUB_RED_ACTIVE, s->rz_end - new_size);
}

/* ---- allocation and freeing ---- */

/* A sleeping allocation (@gfp allows direct reclaim) was made in atomic context. */
static void slab_might_sleep_report(struct kmem_cache *s, gfp_t gfp)
{
	platform_log(MM_LOG_ERR,
		     "BUG: sleeping allocation in atomic context (cache %s, mode:%#x): use GFP_ATOMIC\n",
		     s->name, gfp);
}

void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, uintptr_t caller, size_t orig_size)
{
	struct array_cache *ac;
	unsigned long flags;
	void *obj;

	if ((gfp & __GFP_DIRECT_RECLAIM) && unlikely(platform_in_atomic()))
		slab_might_sleep_report(s, gfp);
	if (unlikely(s->debug)) {
		obj = debug_alloc(s, gfp, caller, orig_size);
	} else {
		flags = platform_irq_save();
		ac = &s->cpu[platform_cpu_id()];
		obj = ac->avail ? ac->entry[--ac->avail] : cache_alloc_refill(s, ac, gfp);
		platform_irq_restore(flags);
	}
	if (unlikely(gfp & __GFP_ZERO) && obj)
		mm_memset(obj, 0, s->debug ? orig_size : s->object_size);
	return obj;
}

void slab_free_slow(struct kmem_cache *s, void *obj, uintptr_t caller)
{
	struct array_cache *ac;
	unsigned long flags;

	if (unlikely(s->debug)) {
		debug_free(s, slab_head(virt_to_page(obj)), obj, caller);
		return;
	}
	flags = platform_irq_save();
	ac = &s->cpu[platform_cpu_id()];
	if (ac->avail >= ac->limit)
		cache_flusharray(s, ac, ac->batchcount);
	ac->entry[ac->avail++] = obj;
	platform_irq_restore(flags);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, SLAB_RET_IP, s->object_size);
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp | __GFP_ZERO, SLAB_RET_IP, s->object_size);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	struct kmem_cache *owner;

	if (unlikely(!obj))
		return;
	owner = slab_cache_of(obj);
	if (unlikely(owner != s)) {
		if (owner)
			slab_report(s, NULL, SLAB_RET_IP,
				    "Wrong slab cache: %p is an object of %s; not freed", obj,
				    owner->name);
		else
			slab_report(s, NULL, SLAB_RET_IP,
				    "Invalid free: %p is not an object of the slab allocator; "
				    "not freed",
				    obj);
		return;
	}
	slab_free(s, obj, SLAB_RET_IP);
}

/* ---- creating and destroying caches ---- */

static unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = 64; /* x86-64 cache line */

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < sizeof(void *))
		align = sizeof(void *);
	return align;
}

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))

/* Smallest order with at least 8 objects (or 1 for big ones) and at most 1/8 wasted. */
static unsigned int calculate_order(unsigned int size)
{
	unsigned int order;

	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		unsigned long slab = PAGE_SIZE << order;
		unsigned long objs = slab / size;

		if (objs == 0)
			continue;
		if (order >= PAGE_ALLOC_COSTLY_ORDER || (objs >= 8 && (slab % size) * 8 <= slab))
			return order;
	}
	return MAX_PAGE_ORDER;
}

static uintptr_t slab_random(const void *s)
{
	uint64_t x = (uint64_t)(uintptr_t)s ^ __builtin_ia32_rdtsc();

	/* splitmix64 finaliser */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return (uintptr_t)x;
}

int slab_cache_setup(struct kmem_cache *s, const char *name, unsigned int size, unsigned int align,
		     slab_flags_t flags, void (*ctor)(void *))
{
	unsigned int off, i, limit, batch;

	if (!name || size == 0 || size > KMALLOC_MAX_SIZE / 2 || (align & (align - 1)) ||
	    align > KMALLOC_MAX_CACHE_SIZE)
		return -EINVAL;
	mm_memset(s, 0, sizeof(*s));
	for (i = 0; i + 1 < SLAB_NAME_LEN && name[i]; i++)
		s->name[i] = name[i];
	flags |= slab_debug_flags;
	if (flags & SLAB_CONSISTENCY_CHECKS)
		flags |= SLAB_RED_ZONE;
	s->flags = flags;
	s->debug = (flags & SLAB_DEBUG_FLAGS) != 0;
	s->object_size = size;
	s->ctor = ctor;
	s->align = calculate_alignment(flags, align, size);
	s->allocflags = (flags & SLAB_CACHE_DMA) ? __GFP_DMA : 0;
	off = ALIGN_UP(size, (unsigned int)sizeof(void *));
	if (s->debug) {
		s->rz_end = (flags & SLAB_RED_ZONE) ? off + sizeof(void *) : size;
		s->offset = ALIGN_UP(s->rz_end, (unsigned int)sizeof(void *));
		s->meta_offset = s->offset + sizeof(void *);
		off = s->meta_offset + sizeof(struct slab_meta);
	} else if (ctor) {
		s->offset = off; /* outside the object: the constructed state survives */
		off += sizeof(void *);
	} else {
		s->offset = 0;
		if (off < sizeof(void *))
			off = sizeof(void *);
	}
	s->size = ALIGN_UP(off, s->align);
	s->order = calculate_order(s->size);
	s->objects = (unsigned int)((PAGE_SIZE << s->order) / s->size);
	if (s->objects > UINT16_MAX)
		s->objects = UINT16_MAX;
	s->random = slab_random(s);
	s->partial = s->full = s->empty = PFN_NONE;
	limit = s->size <= 256 ? 256 : s->size <= 1024 ? 128 : s->size <= 4096 ? 64 : 32;
	if (s->debug)
		limit = 0; /* no per-CPU stack: the fast paths always take the slow path */
	batch = limit / 2 < s->objects / 2 ? limit / 2 : s->objects / 2;
	if (batch == 0 && limit)
		batch = 1;
	for (i = 0; i < PAGE_STATE_MAX_CPUS; i++) {
		s->cpu[i].limit = limit;
		s->cpu[i].batchcount = batch;
	}
	return 0;
}

void slab_cache_register(struct kmem_cache *s)
{
	mm_spin_lock(&slab_lock);
	s->next = slab_caches;
	slab_caches = s;
	mm_spin_unlock(&slab_lock);
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = kmem_cache_alloc(&kmem_cache_boot, GFP_KERNEL);

	if (!s)
		goto err;
	if (slab_cache_setup(s, name, size, align, flags, ctor)) {
		kmem_cache_free(&kmem_cache_boot, s);
		s = NULL;
		goto err;
	}
	slab_cache_register(s);
	return s;
err:
	if (flags & SLAB_PANIC)
		platform_panic("kmem_cache_create: cannot create cache %s (size %u)",
			       name ? name : "(null)", size);
	platform_log(MM_LOG_WARN, "kmem_cache_create(%s) failed: size %u align %u flags %#x\n",
		     name ? name : "(null)", size, align, flags);
	return NULL;
}

static void flush_all_cpus(struct kmem_cache *s)
{
	unsigned long flags = platform_irq_save();
	unsigned int cpu;

	for (cpu = 0; cpu < PAGE_STATE_MAX_CPUS; cpu++)
		cache_flusharray(s, &s->cpu[cpu], s->cpu[cpu].avail);
	platform_irq_restore(flags);
}

static void release_empty_slabs(struct kmem_cache *s)
{
	unsigned long flags = platform_irq_save();

	mm_spin_lock(&s->lock);
	while (s->empty != PFN_NONE) {
		uint32_t pfn = s->empty;

		page_list_del(mem_map, &s->empty, pfn);
		s->nr_empty--;
		discard_slab(s, pfn_to_page(pfn));
	}
	mm_spin_unlock(&s->lock);
	platform_irq_restore(flags);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	flush_all_cpus(s);
	release_empty_slabs(s);
	return 0;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	struct kmem_cache **pp;

	if (!s)
		return;
	kmem_cache_shrink(s);
	if (s->inuse) {
		platform_log(MM_LOG_ERR,
			     "kmem_cache_destroy %s: Slab cache still has objects (%lu); the cache "
			     "is kept\n",
			     s->name, s->inuse);
		return;
	}
	mm_spin_lock(&slab_lock);
	for (pp = &slab_caches; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	mm_spin_unlock(&slab_lock);
	if (!s->is_static)
		kmem_cache_free(&kmem_cache_boot, s);
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->object_size;
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

/* ---- inspection ---- */

void kmem_cache_get_stats(struct kmem_cache *s, struct kmem_cache_stats *st)
{
	unsigned long flags = platform_irq_save();
	unsigned int cpu;

	mm_memset(st, 0, sizeof(*st));
	mm_spin_lock(&s->lock);
	for (cpu = 0; cpu < PAGE_STATE_MAX_CPUS; cpu++)
		st->cached += s->cpu[cpu].avail;
	st->live = s->inuse - st->cached;
	st->slabs = s->nr_slabs;
	st->total = s->nr_slabs * s->objects;
	st->empty = s->nr_empty;
	st->ctor_calls = s->ctor_calls;
	if (s->partial != PFN_NONE) {
		uint32_t pfn = s->partial;

		do {
			st->partial++;
			pfn = mem_map[pfn].next;
		} while (pfn != s->partial);
	}
	st->full = st->slabs - st->partial - st->empty;
	st->pages = st->slabs << s->order;
	st->objects_per_slab = s->objects;
	st->order = s->order;
	st->size = s->size;
	st->align = s->align;
	mm_spin_unlock(&s->lock);
	platform_irq_restore(flags);
}

size_t slabinfo_show(char *buf, size_t size)
{
	struct kmem_cache *s;
	size_t len;

	if (size)
		buf[0] = '\0';
	len = mm_snprintf(buf, size,
			  "slabinfo - version: 2.1\n"
			  "# name            <active_objs> <num_objs> <objsize> <objperslab> "
			  "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
			  "slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	mm_spin_lock(&slab_lock);
	for (s = slab_caches; s; s = s->next) {
		struct kmem_cache_stats st;

		kmem_cache_get_stats(s, &st);
		len += mm_snprintf(buf + len, size - len,
				   "%-17s %6lu %6lu %6u %4u %4u : tunables %4u %4u %4u : "
				   "slabdata %6lu %6lu %6u\n",
				   s->name, st.live + st.cached, st.total, s->size, s->objects,
				   1u << s->order, s->debug ? 0 : s->cpu[0].limit,
				   s->debug ? 0 : s->cpu[0].batchcount, 0u, st.slabs - st.empty,
				   st.slabs, 0u);
	}
	mm_spin_unlock(&slab_lock);
	return len;
}

/* ---- set-up ---- */

void slab_debug_set(slab_flags_t flags)
{
	slab_debug_flags = flags & SLAB_DEBUG_FLAGS;
}

void kmem_cache_init(void)
{
	slab_caches = NULL;
	slab_lock = 0;
	slab_cache_setup(&kmem_cache_boot, "kmem_cache", sizeof(struct kmem_cache), 0,
			 SLAB_HWCACHE_ALIGN, NULL);
	kmem_cache_boot.is_static = true;
	slab_cache_register(&kmem_cache_boot);
	kmalloc_init(slab_debug_flags);
}
