// SPDX-License-Identifier: MIT
/*
 * mm/vmalloc.c - vmalloc, vmap and ioremap: scattered frames made virtually contiguous.
 *
 * Address space: the vmalloc area is managed as offsets [0, size). The kernel page tables map
 * offset o at guest-virtual VMALLOC_START + o; callers see it at vmalloc_base + o, where
 * vmalloc_base is the platform's view of the area (mm/platform.h): VMALLOC_START itself in the
 * guest, a reserved window on the host that the hosted platform fills with mmaps of the memfd.
 *
 * Structure: every range of the area is described by one struct vmap_area record:
 *  - free ranges on free_list, a circular list sorted by start, neighbours always merged;
 *  - busy areas (vmalloc, vmap, ioremap) in a hash table by start; each reserves its pages
 *    plus one guard page after them that is never mapped;
 *  - lazily freed areas on the lazy list: unmapped from the page tables and the view at once,
 *    but not yet flushed from the TLBs, so not yet reusable. When more than lazy_max_pages
 *    are lazy (or the area is full) one flush of the range they span recycles them all into
 *    free_list - Linux's purge_vmap_area_lazy(), which batches the IPIs of the TLB shootdown.
 * Records come from order-0 pages of the page allocator carved 64 to a page and kept on a
 * spare list; slab is not used (SEED-CLAIMS.md row 24: only the bookkeeping of Linux's
 * vmalloc uses slab, its pages never). The frames of a vmalloc area are not recorded: vfree
 * finds them by walking the page tables as it unmaps them (pgt_unmap_visit()). Page-table
 * pages come from the page allocator; up to VM_TABLE_CACHE emptied ones are kept for reuse.
 *
 * Invariants (vmalloc_check()): free, busy and lazy ranges tile [0, size) without overlap;
 * no two free ranges touch; a busy area has exactly nr_pages pages mapped followed by an
 * unmapped guard page; a lazy area has nothing mapped.
 *
 * Lock order: vm.lock (a spin word, taken with interrupts off) -> the page allocator's zone
 * locks. vfree() from interrupt context takes no lock: it pushes the area onto a lock-free
 * list through the first word of the memory being freed, and the next vmalloc-family call in
 * process context frees it (Linux defers to a workqueue the same way).
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "mm/mm_internal.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/vmalloc_admin.h"

_Static_assert(0x15u == PGT_KERNEL_RW, "PAGE_KERNEL must be PGT_KERNEL_RW");
_Static_assert(0x1du == PGT_KERNEL_IO, "PAGE_KERNEL_NOCACHE must be PGT_KERNEL_IO");

#define VM_TABLE_CACHE 4
#define VMAP_HASH_BITS 10
#define VMAP_HASH_SIZE (1u << VMAP_HASH_BITS)

struct vmap_area {
	uint64_t start;		 /* offset in the area */
	uint64_t size;		 /* bytes, guard page included for busy and lazy areas */
	struct vmap_area *next;	 /* free list (sorted), lazy list, spare list */
	struct vmap_area *prev;	 /* free list */
	struct vmap_area *hnext; /* hash chain of busy areas */
	uint32_t flags;		 /* VM_ALLOC, VM_MAP, VM_IOREMAP; 0 when free */
	uint32_t nr_pages;	 /* pages mapped: size / PAGE_SIZE - 1 */
	const void *caller;
};

static struct {
	bool ready;
	bool own_root; /* the PML4 came from us: its table count can be checked */
	uint32_t lock;
	struct pgt pgt;
	gfp_t table_gfp;			/* for page-table pages of the current operation */
	uint64_t cached_tables[VM_TABLE_CACHE]; /* empty table pages kept for reuse */
	unsigned int nr_cached_tables;
	uint8_t *view;
	uint64_t size;
	struct vmap_area free_list; /* sentinel */
	struct vmap_area *lazy;
	uint64_t lazy_start, lazy_end; /* offsets spanned by the lazy areas */
	struct vmap_area *hash[VMAP_HASH_SIZE];
	struct vmap_area *spare;
	void *deferred; /* vfree()s from interrupt context, linked through their memory */
	struct vmalloc_stats st;
} vm;

uintptr_t vmalloc_base;
uint64_t vmalloc_area_size;

/* ---- page-table pages from the page allocator, reached through the direct map ---- */

/*
 * Table pages that unmap took out of the tree are kept (up to VM_TABLE_CACHE of them) for the
 * next map, like the page allocator's per-CPU lists: an area alone in its PT, PD and PDPT
 * empties all three at vfree and the next vmalloc needs them again. A table leaves the tree
 * only when its last entry is cleared, so a cached page is all zeroes and needs no clearing.
 * vmalloc_purge() gives them back to the page allocator.
 */
static int vm_alloc_table(void *ctx, uint64_t *phys)
{
	struct page *page;

	(void)ctx;
	if (vm.nr_cached_tables) {
		*phys = vm.cached_tables[--vm.nr_cached_tables];
	} else {
		page = alloc_page(vm.table_gfp | __GFP_ZERO);
		if (!page)
			return -ENOMEM;
		*phys = (uint64_t)page_to_pfn(page) << PAGE_SHIFT;
	}
	vm.st.table_pages++;
	return 0;
}

static void vm_free_table(void *ctx, uint64_t phys)
{
	(void)ctx;
	vm.st.table_pages--;
	if (vm.nr_cached_tables < VM_TABLE_CACHE) {
		vm.cached_tables[vm.nr_cached_tables++] = phys;
		return;
	}
	__free_page(pfn_to_page(phys >> PAGE_SHIFT));
}

static void drain_table_cache_locked(void)
{
	while (vm.nr_cached_tables)
		__free_page(pfn_to_page(vm.cached_tables[--vm.nr_cached_tables] >> PAGE_SHIFT));
}

static void *vm_table_ptr(void *ctx, uint64_t phys)
{
	(void)ctx;
	if (phys >> PAGE_SHIFT >= max_pfn)
		return NULL;
	return (void *)(page_offset_base + phys);
}

static const struct pgt_ops vm_pgt_ops = {
	.alloc_table = vm_alloc_table,
	.free_table = vm_free_table,
	.table_ptr = vm_table_ptr,
};

/* ---- records ---- */

/* Carve a fresh page of the page allocator into records on the spare list. */
static bool refill_records(gfp_t gfp)
{
	struct page *page = alloc_page((gfp & ~GFP_ZONEMASK) | __GFP_ZERO);
	struct vmap_area *a;
	unsigned int i, n = PAGE_SIZE / sizeof(*a);

	if (!page)
		return false;
	a = page_address(page);
	for (i = 0; i + 1 < n; i++)
		a[i].next = &a[i + 1];
	a[n - 1].next = vm.spare;
	vm.spare = a;
	vm.st.meta_pages++;
	return true;
}

static struct vmap_area *get_record(gfp_t gfp)
{
	struct vmap_area *a;

	if (!vm.spare && !refill_records(gfp))
		return NULL;
	a = vm.spare;
	vm.spare = a->next;
	mm_memset(a, 0, sizeof(*a));
	return a;
}

static void put_record(struct vmap_area *a)
{
	a->next = vm.spare;
	vm.spare = a;
}

/* Make sure @n records can be taken without allocating (so a split cannot fail half way). */
static bool reserve_records(unsigned int n, gfp_t gfp)
{
	struct vmap_area *a;
	unsigned int have = 0;

	for (a = vm.spare; a && have < n; a = a->next)
		have++;
	return have >= n || refill_records(gfp);
}

/* ---- the busy hash ---- */

static unsigned int hash_of(uint64_t start)
{
	return (unsigned int)(((start >> PAGE_SHIFT) * 0x9E3779B97F4A7C15ull) >>
			      (64 - VMAP_HASH_BITS));
}

static void busy_insert(struct vmap_area *a)
{
	struct vmap_area **head = &vm.hash[hash_of(a->start)];

	a->hnext = *head;
	*head = a;
	vm.st.nr_busy++;
	vm.st.busy_pages += a->nr_pages;
}

/* Find and unhash the busy area starting at @start with one of @flags, or NULL. */
static struct vmap_area *busy_take(uint64_t start, uint32_t flags)
{
	struct vmap_area **pp = &vm.hash[hash_of(start)];

	for (; *pp; pp = &(*pp)->hnext) {
		struct vmap_area *a = *pp;

		if (a->start != start)
			continue;
		if (!(a->flags & flags))
			return NULL;
		*pp = a->hnext;
		vm.st.nr_busy--;
		vm.st.busy_pages -= a->nr_pages;
		return a;
	}
	return NULL;
}

/* ---- free space ---- */

static void list_link(struct vmap_area *a, struct vmap_area *prev, struct vmap_area *next)
{
	a->prev = prev;
	a->next = next;
	prev->next = a;
	next->prev = a;
	vm.st.nr_free_ranges++;
}

static void list_unlink(struct vmap_area *a)
{
	a->prev->next = a->next;
	a->next->prev = a->prev;
	vm.st.nr_free_ranges--;
}

/* Give [a->start, a->start + a->size) back to free_list, merging with its neighbours. */
static void free_insert(struct vmap_area *a)
{
	struct vmap_area *head = &vm.free_list, *next = head->next, *prev;

	while (next != head && next->start < a->start)
		next = next->next;
	prev = next->prev;
	MM_BUG_ON(prev != head && prev->start + prev->size > a->start);
	MM_BUG_ON(next != head && a->start + a->size > next->start);
	a->flags = 0;
	if (prev != head && prev->start + prev->size == a->start) {
		prev->size += a->size;
		put_record(a);
		a = prev;
	} else {
		list_link(a, prev, next);
	}
	if (next != head && a->start + a->size == next->start) {
		a->size += next->size;
		list_unlink(next);
		put_record(next);
	}
}

/*
 * First fit of @size bytes at @align in free_list. Example: free [0x3000, 0x20000), size
 * 0x5000, align 0x4000: start 0x4000; [0x3000, 0x4000) stays free in the old record and
 * [0x9000, 0x20000) goes into a second one.
 */
static struct vmap_area *find_space(uint64_t size, uint64_t align, gfp_t gfp)
{
	struct vmap_area *head = &vm.free_list, *f, *a, *r;

	if (!reserve_records(2, gfp))
		return NULL;
	for (f = head->next; f != head; f = f->next) {
		uint64_t fend = f->start + f->size;
		uint64_t start = (f->start + align - 1) & ~(align - 1);

		if (start < f->start || start >= fend || fend - start < size)
			continue;
		a = get_record(gfp);
		a->start = start;
		a->size = size;
		if (start == f->start) {
			f->start += size;
			f->size -= size;
			if (!f->size) {
				list_unlink(f);
				put_record(f);
			}
		} else if (start + size == fend) {
			f->size = start - f->start;
		} else {
			r = get_record(gfp);
			r->start = start + size;
			r->size = fend - r->start;
			f->size = start - f->start;
			list_link(r, f, f->next);
		}
		return a;
	}
	return NULL;
}

/* Flush the TLB over every lazy area and make them reusable. */
static void purge_lazy_locked(void)
{
	struct vmap_area *a, *next;

	if (!vm.lazy)
		return;
	platform_flush_tlb_kernel_range(VMALLOC_START + vm.lazy_start, VMALLOC_START + vm.lazy_end);
	vm.st.tlb_flushes++;
	vm.st.purges++;
	for (a = vm.lazy; a; a = next) {
		next = a->next;
		free_insert(a);
	}
	vm.lazy = NULL;
	vm.st.lazy_pages = 0;
}

static void lazy_add(struct vmap_area *a)
{
	if (!vm.lazy || a->start < vm.lazy_start)
		vm.lazy_start = a->start;
	if (!vm.lazy || a->start + a->size > vm.lazy_end)
		vm.lazy_end = a->start + a->size;
	a->flags = 0;
	a->next = vm.lazy;
	vm.lazy = a;
	vm.st.lazy_pages += a->size >> PAGE_SHIFT;
	if (vm.st.lazy_pages > vm.st.lazy_max_pages)
		purge_lazy_locked();
}

static struct vmap_area *alloc_area(uint64_t nr_pages, uint64_t align, uint32_t flags,
				    const void *caller, gfp_t gfp)
{
	uint64_t size = (nr_pages + 1) << PAGE_SHIFT; /* + guard page */
	struct vmap_area *a;

	a = find_space(size, align, gfp);
	if (!a && vm.lazy) {
		purge_lazy_locked();
		a = find_space(size, align, gfp);
	}
	if (!a)
		return NULL;
	a->flags = flags;
	a->nr_pages = (uint32_t)nr_pages;
	a->caller = caller;
	return a;
}

/* ---- mapping ---- */

static uint64_t gva_of(const struct vmap_area *a)
{
	return VMALLOC_START + a->start;
}

/* A run of physically consecutive frames, shown in the view in one platform call. */
struct view_run {
	uint64_t off;  /* area offset of the run */
	uint64_t phys; /* its first frame */
	uint64_t len;
	bool uncached;
	int err;
};

static void view_run_flush(struct view_run *run)
{
	if (run->len && !run->err)
		run->err =
			platform_vmap_view(vm.view + run->off, run->phys, run->len, run->uncached);
	run->len = 0;
}

static void view_run_add(struct view_run *run, uint64_t off, uint64_t phys, uint64_t len)
{
	if (run->len && run->off + run->len == off && run->phys + run->len == phys) {
		run->len += len;
		return;
	}
	view_run_flush(run);
	run->off = off;
	run->phys = phys;
	run->len = len;
}

static void free_frame(void *arg, uint64_t va, uint64_t pa, uint64_t size)
{
	(void)arg;
	(void)va;
	MM_BUG_ON(size != PAGE_SIZE);
	__free_page(pfn_to_page(pa >> PAGE_SHIFT));
}

/* Unmap the first @nr pages of @a (freeing the frames if @free) and retire the area lazily. */
static void release_area_locked(struct vmap_area *a, uint64_t nr, bool free)
{
	if (nr) {
		platform_vunmap_view(vm.view + a->start, nr << PAGE_SHIFT);
		if (pgt_unmap_visit(&vm.pgt, gva_of(a), nr << PAGE_SHIFT, free ? free_frame : NULL,
				    NULL))
			MM_BUG_ON(1);
	}
	lazy_add(a);
}

static unsigned long irq_lock(void)
{
	unsigned long flags = platform_irq_save();

	mm_spin_lock(&vm.lock);
	return flags;
}

static void irq_unlock(unsigned long flags)
{
	mm_spin_unlock(&vm.lock);
	platform_irq_restore(flags);
}

/* ---- setup ---- */

int vmalloc_init(uint64_t pgd_phys)
{
	struct vmap_area *all;
	uint64_t size;
	int ret;

	if (vm.ready)
		return -EBUSY;
	mm_memset(&vm, 0, sizeof(vm));
	vm.view = platform_vmalloc_view(&size);
	vm.size = size & PAGE_MASK;
	if (!vm.view || vm.size < 2 * PAGE_SIZE || vm.size > VMALLOC_SIZE_MAX)
		return -EINVAL;
	vm.table_gfp = GFP_KERNEL;
	if (pgd_phys == VMALLOC_NEW_PGD) {
		ret = pgt_init(&vm.pgt, &vm_pgt_ops, NULL);
		vm.own_root = true;
	} else {
		ret = pgt_attach(&vm.pgt, pgd_phys, &vm_pgt_ops, NULL);
	}
	if (ret)
		return ret;
	vm.free_list.next = vm.free_list.prev = &vm.free_list;
	all = get_record(GFP_KERNEL);
	if (!all) {
		if (vm.own_root)
			pgt_destroy(&vm.pgt);
		return -ENOMEM;
	}
	all->size = vm.size;
	list_link(all, &vm.free_list, &vm.free_list);
	vm.st.area_size = vm.size;
	vm.st.lazy_max_pages = VMALLOC_LAZY_MAX_PAGES_DEFAULT;
	vmalloc_base = (uintptr_t)vm.view;
	vmalloc_area_size = vm.size;
	vm.ready = true;
	return 0;
}

void vmalloc_reset(void)
{
	if (vm.ready)
		platform_vunmap_view(vm.view, vm.size);
	mm_memset(&vm, 0, sizeof(vm));
	vmalloc_base = 0;
	vmalloc_area_size = 0;
}

const struct pgt *vmalloc_kernel_pgt(void)
{
	return vm.ready ? &vm.pgt : NULL;
}

uint64_t vmalloc_guest_va(const void *addr)
{
	if (!is_vmalloc_addr(addr))
		return 0;
	return VMALLOC_START + ((uintptr_t)addr - vmalloc_base);
}

uint64_t vmalloc_set_lazy_max_pages(uint64_t pages)
{
	uint64_t old = vm.st.lazy_max_pages;

	vm.st.lazy_max_pages = pages;
	return old;
}

void vmalloc_get_stats(struct vmalloc_stats *st)
{
	*st = vm.st;
	st->deferred_pending = 0;
	for (void *p = __atomic_load_n(&vm.deferred, __ATOMIC_ACQUIRE); p; p = *(void **)p)
		st->deferred_pending++;
}

static void vfree_locked(const void *addr);

/* Free what interrupt handlers handed over; process context only. */
static void run_deferred(void)
{
	void *p = __atomic_exchange_n(&vm.deferred, NULL, __ATOMIC_ACQUIRE);
	unsigned long flags;

	if (!p)
		return;
	flags = irq_lock();
	while (p) {
		void *next = *(void **)p;

		vfree_locked(p);
		p = next;
	}
	irq_unlock(flags);
}

/* Common entry of the process-context calls: deferred work, lazy init. */
static bool vm_enter(void)
{
	if (!platform_in_atomic())
		run_deferred();
	if (unlikely(!vm.ready) && vmalloc_init(VMALLOC_NEW_PGD)) {
		platform_log(MM_LOG_ERR, "vmalloc: cannot set up the vmalloc area\n");
		return false;
	}
	return true;
}

void vmalloc_purge(void)
{
	unsigned long flags;

	if (!vm.ready)
		return;
	run_deferred();
	flags = irq_lock();
	purge_lazy_locked();
	drain_table_cache_locked();
	irq_unlock(flags);
}

/* ---- vmalloc ---- */

static uint64_t free_ram_pages(void)
{
	const struct page_state *ps = page_alloc_state();
	uint64_t n = 0;
	int z;

	if (!ps)
		return 0;
	for (z = 0; z < MAX_NR_ZONES; z++)
		n += page_state_free_pages(ps, (enum zone_type)z);
	return n;
}

static void *vmalloc_fail(unsigned long size, gfp_t gfp, const void *caller, const char *why)
{
	if (!(gfp & __GFP_NOWARN))
		platform_log(MM_LOG_WARN, "vmalloc error: size %lu, %s, mode:%#x, caller %p\n",
			     size, why, gfp, caller);
	return NULL;
}

void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp, int node,
		     const void *caller)
{
	struct view_run run = { 0 };
	struct vmap_area *a;
	unsigned long flags;
	uint64_t nr, i;

	(void)node;
	if (!vm_enter())
		return NULL;
	if (size == 0)
		return vmalloc_fail(size, gfp, caller, "invalid size");
	if (size > vm.size - PAGE_SIZE)
		return vmalloc_fail(size, gfp, caller, "larger than the vmalloc area");
	nr = PAGE_ALIGN((uint64_t)size) >> PAGE_SHIFT;
	if (nr > free_ram_pages())
		return vmalloc_fail(size, gfp, caller, "larger than free memory");
	if (align < PAGE_SIZE || (align & (align - 1)))
		align = PAGE_SIZE;
	if (gfpflags_allow_blocking(gfp) && platform_in_atomic()) {
		platform_log(MM_LOG_ERR,
			     "BUG: sleeping function called from invalid context: vmalloc(%lu) "
			     "in atomic context, caller %p; served without blocking\n",
			     size, caller);
		vm.st.atomic_reports++;
		gfp &= ~__GFP_DIRECT_RECLAIM;
	}

	flags = irq_lock();
	vm.table_gfp = gfp & ~(GFP_ZONEMASK | __GFP_ZERO);
	a = alloc_area(nr, align, VM_ALLOC, caller, gfp);
	if (!a) {
		irq_unlock(flags);
		return vmalloc_fail(size, gfp, caller, "vmalloc area exhausted");
	}
	for (i = 0; i < nr; i++) {
		struct page *page = alloc_page(gfp);
		uint64_t phys;

		if (!page)
			break;
		phys = (uint64_t)page_to_pfn(page) << PAGE_SHIFT;
		if (pgt_map(&vm.pgt, gva_of(a) + (i << PAGE_SHIFT), phys, PAGE_SIZE,
			    PGT_KERNEL_RW | PGT_NO_HUGE)) {
			__free_page(page);
			break;
		}
		view_run_add(&run, a->start + (i << PAGE_SHIFT), phys, PAGE_SIZE);
	}
	view_run_flush(&run);
	if (i < nr || run.err) {
		release_area_locked(a, i, true);
		irq_unlock(flags);
		return vmalloc_fail(size, gfp, caller,
				    run.err ? "cannot map the view" : "failed to allocate pages");
	}
	busy_insert(a);
	irq_unlock(flags);
	return vm.view + a->start;
}

void *__vmalloc(unsigned long size, gfp_t gfp)
{
	return __vmalloc_node(size, PAGE_SIZE, gfp, NUMA_NO_NODE, __builtin_return_address(0));
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_node(size, PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_node(size, PAGE_SIZE, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

/* The busy area @addr starts, of a kind in @kinds, taken out of the hash; NULL if none. */
static struct vmap_area *take_area(const void *addr, uint32_t kinds)
{
	uintptr_t off = (uintptr_t)addr - vmalloc_base;

	if (!is_vmalloc_addr(addr) || (off & ~PAGE_MASK))
		return NULL;
	return busy_take(off, kinds);
}

static void vfree_locked(const void *addr)
{
	struct vmap_area *a = take_area(addr, VM_ALLOC);

	if (!a) {
		platform_log(MM_LOG_WARN, "WARNING: Trying to vfree() nonexistent vm area (%p)\n",
			     addr);
		return;
	}
	release_area_locked(a, a->nr_pages, true);
}

void vfree(const void *addr)
{
	unsigned long flags;

	if (!addr)
		return;
	if (platform_in_atomic()) {
		/* Interrupt context: defer, linking through the memory being freed. */
		void **node = (void **)addr;
		void *old;

		if (!is_vmalloc_addr(addr) || ((uintptr_t)addr & ~PAGE_MASK)) {
			platform_log(MM_LOG_WARN,
				     "WARNING: Trying to vfree() nonexistent vm area (%p)\n", addr);
			return;
		}
		old = __atomic_load_n(&vm.deferred, __ATOMIC_RELAXED);
		do {
			*node = old;
		} while (!__atomic_compare_exchange_n(&vm.deferred, &old, (void *)node, true,
						      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
		__atomic_fetch_add(&vm.st.deferred_frees, 1, __ATOMIC_RELAXED);
		return;
	}
	if (!vm_enter())
		return;
	flags = irq_lock();
	vfree_locked(addr);
	irq_unlock(flags);
}

/* ---- vmap and ioremap ---- */

void *vmap(struct page **pages, unsigned int count, unsigned long vm_flags, pgprot_t prot)
{
	struct view_run run = { 0 };
	struct vmap_area *a;
	unsigned long flags;
	unsigned int i;

	(void)vm_flags;
	if (!vm_enter())
		return NULL;
	if (count == 0 || (uint64_t)count >= vm.size >> PAGE_SHIFT)
		return vmalloc_fail((unsigned long)count << PAGE_SHIFT, 0, NULL, "vmap: bad count");
	run.uncached = prot.pgprot & PGT_UNCACHED;
	flags = irq_lock();
	vm.table_gfp = GFP_KERNEL;
	a = alloc_area(count, PAGE_SIZE, VM_MAP, __builtin_return_address(0), GFP_KERNEL);
	if (!a) {
		irq_unlock(flags);
		return vmalloc_fail((unsigned long)count << PAGE_SHIFT, 0, NULL,
				    "vmap: vmalloc area exhausted");
	}
	for (i = 0; i < count; i++) {
		uint64_t phys = (uint64_t)page_to_pfn(pages[i]) << PAGE_SHIFT;

		if (pgt_map(&vm.pgt, gva_of(a) + ((uint64_t)i << PAGE_SHIFT), phys, PAGE_SIZE,
			    (prot.pgprot & ~PGT_USER) | PGT_NO_HUGE))
			break;
		view_run_add(&run, a->start + ((uint64_t)i << PAGE_SHIFT), phys, PAGE_SIZE);
	}
	view_run_flush(&run);
	if (i < count || run.err) {
		release_area_locked(a, i, false);
		irq_unlock(flags);
		return vmalloc_fail((unsigned long)count << PAGE_SHIFT, 0, NULL,
				    "vmap: cannot map");
	}
	busy_insert(a);
	irq_unlock(flags);
	return vm.view + a->start;
}

void vunmap(const void *addr)
{
	struct vmap_area *a;
	unsigned long flags;

	if (!addr)
		return;
	if (platform_in_atomic()) {
		platform_log(MM_LOG_ERR, "BUG: vunmap(%p) from atomic context refused\n", addr);
		return;
	}
	if (!vm_enter())
		return;
	flags = irq_lock();
	a = take_area(addr, VM_MAP);
	if (a)
		release_area_locked(a, a->nr_pages, false);
	irq_unlock(flags);
	if (!a)
		platform_log(MM_LOG_WARN, "WARNING: Trying to vunmap() nonexistent vm area (%p)\n",
			     addr);
}

/* Does [start, end) contain RAM that the page allocator manages? */
static bool range_has_ram(uint64_t start, uint64_t end)
{
	uint64_t pfn;

	for (pfn = start >> PAGE_SHIFT; pfn < end >> PAGE_SHIFT && pfn < max_pfn; pfn++)
		if (!(mem_map[pfn].flags & PG_reserved))
			return true;
	return false;
}

void __iomem *ioremap(phys_addr_t offset, size_t size)
{
	struct vmap_area *a;
	uint64_t start, end, last;
	unsigned long flags;
	int ret;

	if (!vm_enter())
		return NULL;
	if (size == 0 || __builtin_add_overflow(offset, (uint64_t)size - 1, &last) ||
	    last >= PGT_MAX_PHYS) {
		platform_log(MM_LOG_WARN, "ioremap: bad range %#llx size %#zx\n",
			     (unsigned long long)offset, size);
		return NULL;
	}
	start = offset & PAGE_MASK;
	end = (last & PAGE_MASK) + PAGE_SIZE;
	if (range_has_ram(start, end)) {
		platform_log(MM_LOG_WARN, "ioremap on RAM at %#llx - %#llx refused\n",
			     (unsigned long long)start, (unsigned long long)end - 1);
		return NULL;
	}
	if ((end - start) >> PAGE_SHIFT >= vm.size >> PAGE_SHIFT)
		return NULL;
	flags = irq_lock();
	vm.table_gfp = GFP_KERNEL;
	a = alloc_area((end - start) >> PAGE_SHIFT, PAGE_SIZE, VM_IOREMAP,
		       __builtin_return_address(0), GFP_KERNEL);
	if (!a) {
		irq_unlock(flags);
		platform_log(MM_LOG_WARN, "ioremap: vmalloc area exhausted\n");
		return NULL;
	}
	ret = pgt_map(&vm.pgt, gva_of(a), start, end - start, PGT_KERNEL_IO);
	if (!ret)
		ret = platform_vmap_view(vm.view + a->start, start, end - start, true);
	if (ret) {
		/* pgt_unmap of the whole range skips what is not mapped */
		release_area_locked(a, a->nr_pages, false);
		irq_unlock(flags);
		platform_log(MM_LOG_WARN, "ioremap: cannot map %#llx: %d\n",
			     (unsigned long long)start, ret);
		return NULL;
	}
	busy_insert(a);
	irq_unlock(flags);
	return vm.view + a->start + (offset & ~PAGE_MASK);
}

void iounmap(volatile void __iomem *addr)
{
	struct vmap_area *a;
	unsigned long flags;

	if (!addr)
		return;
	if (!vm_enter())
		return;
	flags = irq_lock();
	a = take_area((const void *)((uintptr_t)addr & PAGE_MASK), VM_IOREMAP);
	if (a)
		release_area_locked(a, a->nr_pages, false);
	irq_unlock(flags);
	if (!a)
		platform_log(MM_LOG_WARN, "WARNING: iounmap: bad address %p\n", (void *)addr);
}

/* ---- lookups ---- */

struct page *vmalloc_to_page(const void *addr)
{
	uint64_t pa;

	if (!vm.ready || !is_vmalloc_addr(addr))
		return NULL;
	if (pgt_translate(&vm.pgt, vmalloc_guest_va(addr), &pa))
		return NULL;
	if (pa >> PAGE_SHIFT >= max_pfn)
		return NULL;
	return pfn_to_page(pa >> PAGE_SHIFT);
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	struct page *page = vmalloc_to_page(addr);

	return page ? page_to_pfn(page) : 0;
}

/* ---- consistency ---- */

/* Pages of [gva, gva + n pages) that are mapped. */
static uint64_t count_mapped(uint64_t gva, uint64_t n)
{
	struct pgt_walk w;
	uint64_t i, mapped = 0;

	for (i = 0; i < n; i++)
		if (pgt_walk(&vm.pgt, gva + (i << PAGE_SHIFT), &w) == 0)
			mapped++;
	return mapped;
}

bool vmalloc_check(char *err, size_t errlen)
{
	const struct vmap_area *head = &vm.free_list, *a, *prev = NULL;
	uint64_t covered = 0, nr_free = 0, nr_busy = 0, busy_pages = 0, lazy_pages = 0;
	uint64_t records = 0;
	unsigned int b;

	if (errlen)
		err[0] = '\0';
	if (!vm.ready)
		return true;
	for (a = head->next; a != head; prev = a, a = a->next) {
		MM_CHECK(a->size && !(a->size & ~PAGE_MASK) && !(a->start & ~PAGE_MASK),
			 "free range %#llx+%#llx not page aligned", (unsigned long long)a->start,
			 (unsigned long long)a->size);
		MM_CHECK(!prev || prev->start + prev->size < a->start,
			 "free ranges at %#llx and %#llx overlap or touch",
			 (unsigned long long)prev->start, (unsigned long long)a->start);
		MM_CHECK(count_mapped(VMALLOC_START + a->start,
				      a->size >> PAGE_SHIFT > 64 ? 64 : a->size >> PAGE_SHIFT) == 0,
			 "free range at %#llx has mapped pages", (unsigned long long)a->start);
		covered += a->size;
		nr_free++;
	}
	MM_CHECK(nr_free == vm.st.nr_free_ranges, "free range count %llu, counter %llu",
		 (unsigned long long)nr_free, (unsigned long long)vm.st.nr_free_ranges);
	for (b = 0; b < VMAP_HASH_SIZE; b++) {
		for (a = vm.hash[b]; a; a = a->hnext) {
			uint64_t gva = VMALLOC_START + a->start;
			struct pgt_walk w;

			MM_CHECK(hash_of(a->start) == b, "area %#llx in the wrong bucket",
				 (unsigned long long)a->start);
			MM_CHECK(a->size == ((uint64_t)a->nr_pages + 1) << PAGE_SHIFT,
				 "area %#llx: size %#llx for %u pages",
				 (unsigned long long)a->start, (unsigned long long)a->size,
				 a->nr_pages);
			if (a->flags != VM_IOREMAP)
				MM_CHECK(count_mapped(gva, a->nr_pages) == a->nr_pages,
					 "area %#llx: not all %u pages mapped",
					 (unsigned long long)a->start, a->nr_pages);
			MM_CHECK(pgt_walk(&vm.pgt, gva + ((uint64_t)a->nr_pages << PAGE_SHIFT),
					  &w) == -ENOENT,
				 "area %#llx: guard page mapped", (unsigned long long)a->start);
			covered += a->size;
			nr_busy++;
			busy_pages += a->nr_pages;
		}
	}
	MM_CHECK(nr_busy == vm.st.nr_busy && busy_pages == vm.st.busy_pages,
		 "busy areas %llu/%llu pages, counters %llu/%llu", (unsigned long long)nr_busy,
		 (unsigned long long)busy_pages, (unsigned long long)vm.st.nr_busy,
		 (unsigned long long)vm.st.busy_pages);
	for (a = vm.lazy; a; a = a->next) {
		MM_CHECK(count_mapped(VMALLOC_START + a->start, a->size >> PAGE_SHIFT) == 0,
			 "lazy area %#llx still mapped", (unsigned long long)a->start);
		MM_CHECK(a->start >= vm.lazy_start && a->start + a->size <= vm.lazy_end,
			 "lazy area %#llx outside the lazy span", (unsigned long long)a->start);
		covered += a->size;
		lazy_pages += a->size >> PAGE_SHIFT;
		records++;
	}
	for (a = vm.spare; a; a = a->next)
		records++;
	records += nr_free + nr_busy;
	MM_CHECK(records == vm.st.meta_pages * (PAGE_SIZE / sizeof(struct vmap_area)),
		 "%llu area records accounted for, %llu pages of them allocated",
		 (unsigned long long)records, (unsigned long long)vm.st.meta_pages);
	MM_CHECK(lazy_pages == vm.st.lazy_pages, "lazy pages %llu, counter %llu",
		 (unsigned long long)lazy_pages, (unsigned long long)vm.st.lazy_pages);
	/* Disjoint free ranges plus areas that each sit in a hole: the sizes must add up. */
	MM_CHECK(covered == vm.size, "ranges cover %#llx of %#llx bytes",
		 (unsigned long long)covered, (unsigned long long)vm.size);
	if (vm.own_root) {
		long tables = pgt_count_tables(&vm.pgt);

		MM_CHECK(tables == (long)vm.pgt.nr_tables,
			 "page tables: %ld reachable, %llu allocated", tables,
			 (unsigned long long)vm.pgt.nr_tables);
	}
	return true;
}
