// SPDX-License-Identifier: MIT
/*
 * mm/pgtable.c - x86-64 4-level page tables (the format and invariants are in mm/pgtable.h).
 *
 * One walker, pgt_walk(), reads; map and unmap descend recursively from the root, one table
 * per level, and handle the part of their range that falls into each entry. Worked example:
 * mapping va 0xffffc90000200000 with size 2 MiB + 4 KiB and a 2 MiB aligned pa:
 *   level 4 index (va >> 39) & 511 = 402, level 3 index (va >> 30) & 511 = 0,
 *   level 2 index (va >> 21) & 511 = 1: the first 2 MiB covers the whole entry and both
 *   addresses are aligned, so it becomes one PSE leaf; the last 4 KiB goes into a new level-1
 *   table under index 2, entry 0.
 *
 * Errors never leave a half-made mapping: arguments are checked before anything changes, and
 * a failed map (an entry already present, no table page) unmaps what it had mapped, which
 * also frees the tables it had created, because no table below the root is left empty.
 *
 * Lock order: none; the caller serialises changes to one pgt.
 */
#include <linux/errno.h>

#include "mm/mm_internal.h"
#include "mm/pgtable.h"

/* Large-page address masks: bit 12 of a PSE entry is the PAT bit, not an address bit. */
#define PTE_ADDR_MASK_2M 0x000fffffffe00000ull
#define PTE_ADDR_MASK_1G 0x000fffffc0000000ull

static inline unsigned int level_shift(int level)
{
	return 12u + 9u * (unsigned int)(level - 1);
}

static inline uint64_t level_size(int level)
{
	return 1ull << level_shift(level);
}

static inline unsigned int level_index(uint64_t va, int level)
{
	return (unsigned int)(va >> level_shift(level)) & (PGT_ENTRIES - 1);
}

static inline uint64_t *table_of(const struct pgt *pgt, uint64_t phys)
{
	return (uint64_t *)pgt->ops->table_ptr(pgt->ctx, phys);
}

static uint64_t leaf_addr(uint64_t entry, int level)
{
	if (level == 3)
		return entry & PTE_ADDR_MASK_1G;
	if (level == 2)
		return entry & PTE_ADDR_MASK_2M;
	return entry & PTE_ADDR_MASK;
}

static bool is_leaf(uint64_t entry, int level)
{
	return level == 1 || (entry & PTE_PSE);
}

static uint64_t prot_to_pte(unsigned int prot)
{
	/* Accessed (and dirty for writable) preset, as Linux's kernel protections do. */
	uint64_t pte = PTE_PRESENT | PTE_ACCESSED;

	if (prot & PGT_WRITE)
		pte |= PTE_RW | PTE_DIRTY;
	if (prot & PGT_USER)
		pte |= PTE_USER;
	if (prot & PGT_NX)
		pte |= PTE_NX;
	if (prot & PGT_UNCACHED)
		pte |= PTE_PCD | PTE_PWT;
	if (prot & PGT_GLOBAL)
		pte |= PTE_GLOBAL;
	return pte;
}

static unsigned int pte_to_prot(uint64_t pte)
{
	unsigned int prot = 0;

	if (pte & PTE_RW)
		prot |= PGT_WRITE;
	if (pte & PTE_USER)
		prot |= PGT_USER;
	if (pte & PTE_NX)
		prot |= PGT_NX;
	if (pte & PTE_PCD)
		prot |= PGT_UNCACHED;
	if (pte & PTE_GLOBAL)
		prot |= PGT_GLOBAL;
	return prot;
}

/* [va, va + size) is a valid non-empty, page-aligned range inside one canonical half. */
static bool range_ok(uint64_t va, uint64_t size)
{
	uint64_t last;

	if (size == 0 || (va | size) & (PGT_SIZE_4K - 1))
		return false;
	if (__builtin_add_overflow(va, size - 1, &last))
		return false;
	if (!pgt_canonical(va) || !pgt_canonical(last))
		return false;
	return (va >> 47) == (last >> 47);
}

static int alloc_table(struct pgt *pgt, uint64_t *phys)
{
	int ret = pgt->ops->alloc_table(pgt->ctx, phys);

	if (ret)
		return ret;
	MM_BUG_ON(*phys & (PGT_SIZE_4K - 1));
	pgt->nr_tables++;
	return 0;
}

static void free_table(struct pgt *pgt, uint64_t phys)
{
	if (pgt->ops->free_table) {
		pgt->ops->free_table(pgt->ctx, phys);
		pgt->nr_tables--;
	}
}

/*
 * Present entries of a child table, kept in bits 61:52 of the entry that points to it (bits
 * the MMU ignores in non-leaf entries), so unmap knows in O(1) when a table becomes empty
 * instead of scanning 512 entries per level.
 */
#define PTE_COUNT_SHIFT 52
#define PTE_COUNT_MASK	(0x3ffull << PTE_COUNT_SHIFT)

static inline unsigned int child_count(uint64_t entry)
{
	return (unsigned int)((entry & PTE_COUNT_MASK) >> PTE_COUNT_SHIFT);
}

/* @parent is NULL for the root, which has no parent entry. */
static inline void count_add(uint64_t *parent, int delta)
{
	unsigned int n;

	if (!parent)
		return;
	n = child_count(*parent) + (unsigned int)delta;
	MM_BUG_ON(n > PGT_ENTRIES);
	*parent = (*parent & ~PTE_COUNT_MASK) | ((uint64_t)n << PTE_COUNT_SHIFT);
}

int pgt_init(struct pgt *pgt, const struct pgt_ops *ops, void *ctx)
{
	pgt->ops = ops;
	pgt->ctx = ctx;
	pgt->nr_tables = 0;
	return alloc_table(pgt, &pgt->root);
}

int pgt_attach(struct pgt *pgt, uint64_t root, const struct pgt_ops *ops, void *ctx)
{
	pgt->ops = ops;
	pgt->ctx = ctx;
	pgt->root = root;
	pgt->nr_tables = 0;
	if ((root & (PGT_SIZE_4K - 1)) || root >= PGT_MAX_PHYS || !table_of(pgt, root))
		return -EINVAL;
	return 0;
}

int pgt_walk(const struct pgt *pgt, uint64_t va, struct pgt_walk *w)
{
	uint64_t table_pa = pgt->root;
	int level;

	mm_memset(w, 0, sizeof(*w));
	if (!pgt_canonical(va))
		return -EINVAL;
	for (level = PGT_LEVELS; level >= 1; level--) {
		const uint64_t *table = table_of(pgt, table_pa);
		unsigned int idx = level_index(va, level);
		uint64_t e;

		w->level = level;
		if (!table)
			return -EFAULT;
		w->entry_pa = table_pa + idx * sizeof(uint64_t);
		e = READ_ONCE(table[idx]); /* the VMM walks a running guest's tables: one read */
		if (!(e & PTE_PRESENT))
			return -ENOENT;
		if (is_leaf(e, level)) {
			/* PSE in a level-4 entry is reserved: treat as not mapped */
			if (level == 4)
				return -ENOENT;
			w->entry = e;
			w->page_size = level_size(level);
			w->pa = leaf_addr(e, level) | (va & (w->page_size - 1));
			w->prot = pte_to_prot(e);
			return 0;
		}
		table_pa = e & PTE_ADDR_MASK;
	}
	return -ENOENT; /* not reached: level 1 entries are leaves */
}

int pgt_translate(const struct pgt *pgt, uint64_t va, uint64_t *pa)
{
	struct pgt_walk w;
	int ret = pgt_walk(pgt, va, &w);

	if (ret == 0)
		*pa = w.pa;
	return ret;
}

/* ---- unmap ---- */

/*
 * Clear the entries of the table at @table_pa (a level-@level table) that [va, end) covers
 * (only if @clear: otherwise just prune) and free child tables left empty. The caller has
 * checked that no large page is cut.
 */
struct unmap_ctx {
	bool clear;	/* clear leaves; otherwise only prune empty tables */
	pgt_leaf_fn fn; /* told about each cleared leaf */
	void *arg;
};

static void unmap_level(struct pgt *pgt, uint64_t table_pa, int level, uint64_t va, uint64_t end,
			const struct unmap_ctx *u, uint64_t *parent)
{
	uint64_t *table = table_of(pgt, table_pa);

	MM_BUG_ON(!table);
	while (va < end) {
		uint64_t next = (va & ~(level_size(level) - 1)) + level_size(level);
		uint64_t *e = &table[level_index(va, level)];

		if (next > end || next == 0)
			next = end;
		if (*e & PTE_PRESENT) {
			if (is_leaf(*e, level)) {
				if (u->clear) {
					uint64_t old = *e;

					*e = 0;
					count_add(parent, -1);
					if (u->fn)
						u->fn(u->arg, va, leaf_addr(old, level),
						      level_size(level));
				}
			} else {
				uint64_t child = *e & PTE_ADDR_MASK;

				unmap_level(pgt, child, level - 1, va, next, u, e);
				if (child_count(*e) == 0) {
					*e = 0;
					count_add(parent, -1);
					free_table(pgt, child);
				}
			}
		}
		va = next;
	}
}

/* A large page containing @va that does not start exactly at @va? */
static bool cuts_large_page(const struct pgt *pgt, uint64_t va)
{
	struct pgt_walk w;

	if (pgt_walk(pgt, va, &w) != 0)
		return false;
	return (va & (w.page_size - 1)) != 0;
}

int pgt_unmap(struct pgt *pgt, uint64_t va, uint64_t size)
{
	return pgt_unmap_visit(pgt, va, size, NULL, NULL);
}

int pgt_unmap_visit(struct pgt *pgt, uint64_t va, uint64_t size, pgt_leaf_fn fn, void *arg)
{
	const struct unmap_ctx u = { .clear = true, .fn = fn, .arg = arg };
	uint64_t end;

	if (!range_ok(va, size))
		return -EINVAL;
	end = va + size; /* may wrap to 0 for the very last page: handled as "end of space" */
	if (cuts_large_page(pgt, va) || (end != 0 && cuts_large_page(pgt, end)))
		return -EINVAL;
	unmap_level(pgt, pgt->root, PGT_LEVELS, va, end ? end : ~0ull, &u, NULL);
	return 0;
}

/* ---- map ---- */

struct map_cursor {
	uint64_t va;  /* next virtual address to map */
	uint64_t pa;  /* and its physical address */
	uint64_t pte; /* leaf bits */
	bool huge;    /* large pages allowed */
};

static int map_level(struct pgt *pgt, uint64_t table_pa, int level, uint64_t end,
		     struct map_cursor *c, uint64_t *parent)
{
	uint64_t *table = table_of(pgt, table_pa);
	int ret;

	MM_BUG_ON(!table);
	while (c->va < end) {
		uint64_t size = level_size(level);
		uint64_t next = (c->va & ~(size - 1)) + size;
		uint64_t *e = &table[level_index(c->va, level)];
		bool whole;

		if (next > end || next == 0)
			next = end;
		whole = next - c->va == size && !((c->va | c->pa) & (size - 1));
		if (level == 1 || (level <= 3 && c->huge && whole)) {
			if (*e & PTE_PRESENT)
				return -EEXIST;
			*e = c->pa | c->pte | (level > 1 ? PTE_PSE : 0);
			count_add(parent, 1);
			c->va = next;
			c->pa += size;
			continue;
		}
		if (*e & PTE_PRESENT) {
			if (is_leaf(*e, level))
				return -EEXIST;
		} else {
			uint64_t child;

			ret = alloc_table(pgt, &child);
			if (ret)
				return ret;
			*e = child | PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED;
			count_add(parent, 1);
		}
		ret = map_level(pgt, *e & PTE_ADDR_MASK, level - 1, next, c, e);
		if (ret)
			return ret;
	}
	return 0;
}

int pgt_map(struct pgt *pgt, uint64_t va, uint64_t pa, uint64_t size, unsigned int prot)
{
	struct map_cursor c;
	uint64_t end;
	int ret;

	if (!range_ok(va, size) || (pa & (PGT_SIZE_4K - 1)) || pa >= PGT_MAX_PHYS ||
	    size > PGT_MAX_PHYS - pa)
		return -EINVAL;
	end = va + size;
	c.va = va;
	c.pa = pa;
	c.pte = prot_to_pte(prot);
	c.huge = !(prot & PGT_NO_HUGE);
	ret = map_level(pgt, pgt->root, PGT_LEVELS, end ? end : ~0ull, &c, NULL);
	if (ret) {
		/*
		 * Undo [va, c.va), then prune along c.va: tables created on the way down to
		 * the entry that failed are empty and must go, without touching the mapping
		 * that was in the way.
		 */
		const struct unmap_ctx undo = { .clear = true }, prune = { .clear = false };
		uint64_t stop = c.va + PGT_SIZE_4K;

		if (c.va > va)
			unmap_level(pgt, pgt->root, PGT_LEVELS, va, c.va, &undo, NULL);
		unmap_level(pgt, pgt->root, PGT_LEVELS, c.va, stop ? stop : ~0ull, &prune, NULL);
	}
	return ret;
}

/* ---- teardown and accounting ---- */

static void destroy_level(struct pgt *pgt, uint64_t table_pa, int level)
{
	uint64_t *table = table_of(pgt, table_pa);
	unsigned int i;

	if (level > 1 && table) {
		for (i = 0; i < PGT_ENTRIES; i++) {
			uint64_t e = table[i];

			if ((e & PTE_PRESENT) && !is_leaf(e, level))
				destroy_level(pgt, e & PTE_ADDR_MASK, level - 1);
		}
	}
	free_table(pgt, table_pa);
}

void pgt_destroy(struct pgt *pgt)
{
	destroy_level(pgt, pgt->root, PGT_LEVELS);
	pgt->root = 0;
}

/* @parent: the entry pointing to this table (its count is checked), 0 for the root */
static long count_level(const struct pgt *pgt, uint64_t table_pa, int level, uint64_t parent)
{
	const uint64_t *table = table_of(pgt, table_pa);
	unsigned int i, present = 0;
	long n = 1, sub;

	if (!table)
		return -EFAULT;
	for (i = 0; i < PGT_ENTRIES; i++) {
		uint64_t e = table[i];

		if (!(e & PTE_PRESENT))
			continue;
		present++;
		if (is_leaf(e, level))
			continue;
		sub = count_level(pgt, e & PTE_ADDR_MASK, level - 1, e);
		if (sub < 0)
			return sub;
		n += sub;
	}
	if (parent && (present == 0 || present != child_count(parent)))
		return -EIO;
	return n;
}

long pgt_count_tables(const struct pgt *pgt)
{
	return count_level(pgt, pgt->root, PGT_LEVELS, 0);
}
