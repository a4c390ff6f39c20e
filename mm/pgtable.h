/* SPDX-License-Identifier: MIT */
/*
 * mm/pgtable.h - x86-64 4-level page tables: map, unmap, walk, translate.
 *
 * One walker serves every user: the VMM building a guest's first page tables through its host
 * mapping of guest RAM, the guest's vmalloc/ioremap, and host-side translation of guest-virtual
 * addresses. The tables are therefore named by PHYSICAL address, and the caller says how to
 * reach a table page (struct pgt_ops.table_ptr: the VMM adds its host base to the guest-physical
 * address, the guest adds PAGE_OFFSET) and where new table pages come from (alloc_table: the
 * page allocator, memblock, or the VMM's allocator over guest RAM).
 *
 * Address format (Intel SDM vol. 3, 4.5):
 *
 *   63    48 47    39 38    30 29    21 20    12 11       0
 *   sign ext | PML4  |  PDPT  |   PD   |   PT   |  offset
 *            level 4  level 3  level 2  level 1
 *
 * A level-3 entry with PSE maps 1 GiB, a level-2 entry with PSE maps 2 MiB, a level-1 entry
 * 4 KiB. Bits 63:48 must copy bit 47 (canonical); a range may not cross the non-canonical hole.
 *
 * Table invariants (kept by pgt_map()/pgt_unmap(), relied on by the walker):
 *  - every non-leaf entry points to a table page obtained from ops->alloc_table;
 *  - no table below the root is empty: pgt_unmap() frees a table when its last entry goes;
 *  - bits 61:52 of a non-leaf entry (ignored by the MMU) count the present entries of the
 *    table it points to, so emptiness is known without a scan. Tables built by other code
 *    (a PVH trampoline) lack the counts: map into them freely, but pgt_unmap() only what
 *    pgt_map() mapped;
 *  - non-leaf entries are PRESENT|RW|USER (permissive); the leaf alone decides the access,
 *    since x86 ANDs RW/USER and ORs NX over the levels.
 *
 * Locking: none here. The caller serialises map/unmap on one pgt (vmalloc holds its lock);
 * translate is safe against concurrent map of other ranges.
 */
#ifndef GMM_MM_PGTABLE_H
#define GMM_MM_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Hardware bits of a page-table entry */
#define PTE_PRESENT   (1ull << 0)
#define PTE_RW	      (1ull << 1)
#define PTE_USER      (1ull << 2)
#define PTE_PWT	      (1ull << 3)
#define PTE_PCD	      (1ull << 4)
#define PTE_ACCESSED  (1ull << 5)
#define PTE_DIRTY     (1ull << 6)
#define PTE_PSE	      (1ull << 7) /* in a level-2/3 entry: this entry maps a 2 MiB/1 GiB page */
#define PTE_GLOBAL    (1ull << 8)
#define PTE_NX	      (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull /* bits 51:12 */

#define PGT_LEVELS   4
#define PGT_ENTRIES  512
#define PGT_SIZE_4K  (1ull << 12)
#define PGT_SIZE_2M  (1ull << 21)
#define PGT_SIZE_1G  (1ull << 30)
#define PGT_MAX_PHYS (1ull << 52) /* MAXPHYADDR of the architecture */

/* Protection for pgt_map(): what the mapping allows, converted to PTE bits by the walker. */
#define PGT_WRITE    0x01u  /* writable (RW) */
#define PGT_USER     0x02u  /* user accessible (US); without it supervisor only */
#define PGT_NX	     0x04u  /* not executable */
#define PGT_UNCACHED 0x08u  /* PCD|PWT: uncached, for MMIO (PAT left at its reset value) */
#define PGT_GLOBAL   0x10u  /* survives CR3 writes: kernel mappings */
#define PGT_NO_HUGE  0x100u /* map with 4 KiB pages only, even where 2 MiB/1 GiB would fit */

/* Common combinations */
#define PGT_KERNEL_RW (PGT_WRITE | PGT_NX | PGT_GLOBAL)
#define PGT_KERNEL_RX (PGT_GLOBAL)
#define PGT_KERNEL_IO (PGT_WRITE | PGT_NX | PGT_GLOBAL | PGT_UNCACHED)

/* How the walker reaches and obtains table pages; see the head comment. */
struct pgt_ops {
	/* a zeroed, 4 KiB-aligned page for a table; store its physical address; 0 or -ENOMEM */
	int (*alloc_table)(void *ctx, uint64_t *phys);
	/* give back a page from alloc_table (may be NULL: tables are then never freed) */
	void (*free_table)(void *ctx, uint64_t phys);
	/* pointer to the table page at @phys, or NULL if @phys is not memory (hostile tables) */
	void *(*table_ptr)(void *ctx, uint64_t phys);
};

struct pgt {
	uint64_t root; /* physical address of the PML4 (what CR3 holds) */
	const struct pgt_ops *ops;
	void *ctx;
	uint64_t nr_tables; /* table pages allocated through this pgt (root included if ours) */
};

/* What pgt_walk() found for one virtual address. */
struct pgt_walk {
	int level;	    /* level of the leaf (1: 4 KiB, 2: 2 MiB, 3: 1 GiB), or of the hole */
	uint64_t entry;	    /* the leaf entry, or 0 if not mapped */
	uint64_t entry_pa;  /* physical address of that entry (of the empty one if not mapped) */
	uint64_t page_size; /* bytes the leaf maps */
	uint64_t pa;	    /* physical address the virtual address translates to */
	unsigned int prot;  /* PGT_* decoded from the leaf (PGT_NO_HUGE never set) */
};

/**
 * pgt_init - start an empty address space
 * @pgt: filled in
 * @ops: table page allocation and access (must outlive @pgt)
 * @ctx: passed to every op
 *
 * Return: 0, or -ENOMEM if no root table could be allocated.
 */
int pgt_init(struct pgt *pgt, const struct pgt_ops *ops, void *ctx);

/**
 * pgt_attach - use existing tables (the guest adopting what the VMM built, CR3)
 * @pgt: filled in
 * @root: physical address of the PML4
 * @ops: as for pgt_init()
 * @ctx: passed to every op
 *
 * Return: 0, or -EINVAL if @root is not page aligned or not reachable through @ops.
 */
int pgt_attach(struct pgt *pgt, uint64_t root, const struct pgt_ops *ops, void *ctx);

/**
 * pgt_destroy - free every table page, the root included (not the mapped frames)
 * @pgt: the address space; unusable afterwards
 */
void pgt_destroy(struct pgt *pgt);

/**
 * pgt_map - map [@va, @va + @size) to [@pa, @pa + @size)
 * @pgt: the address space
 * @va: virtual start, 4 KiB aligned, canonical
 * @pa: physical start, 4 KiB aligned, below 2^52
 * @size: bytes, a non-zero multiple of 4 KiB; the range may not leave its canonical half
 * @prot: PGT_* flags
 *
 * Uses 1 GiB and 2 MiB pages wherever @va and @pa are aligned to them and the range covers
 * them whole (unless PGT_NO_HUGE), 4 KiB pages elsewhere.
 * Return: 0; -EINVAL for a bad range (nothing changed); -EEXIST if part of the range is
 * already mapped, -ENOMEM if a table page could not be allocated (in both cases what this
 * call mapped has been undone).
 */
int pgt_map(struct pgt *pgt, uint64_t va, uint64_t pa, uint64_t size, unsigned int prot);

/**
 * pgt_unmap - remove the mappings of [@va, @va + @size); free tables left empty
 * @pgt: the address space
 * @va: virtual start, 4 KiB aligned, canonical
 * @size: bytes, a non-zero multiple of 4 KiB
 *
 * Holes in the range are skipped. Large pages must lie wholly inside the range (there is no
 * splitting). The caller flushes the TLB.
 * Return: 0, or -EINVAL for a bad range or a large page cut by its ends (nothing changed).
 */
int pgt_unmap(struct pgt *pgt, uint64_t va, uint64_t size);

/* Called for each leaf that pgt_unmap_visit() removes: its virtual and physical start, size */
typedef void (*pgt_leaf_fn)(void *arg, uint64_t va, uint64_t pa, uint64_t size);

/**
 * pgt_unmap_visit - pgt_unmap(), telling @fn about every leaf it removes
 * @pgt: the address space
 * @va: as for pgt_unmap()
 * @size: as for pgt_unmap()
 * @fn: called after each leaf entry is cleared (may be NULL); it must not touch @pgt
 * @arg: passed to @fn
 *
 * vmalloc frees its frames this way in the same pass that unmaps them.
 * Return: as pgt_unmap().
 */
int pgt_unmap_visit(struct pgt *pgt, uint64_t va, uint64_t size, pgt_leaf_fn fn, void *arg);

/**
 * pgt_walk - look up one virtual address
 * @pgt: the address space
 * @va: any virtual address
 * @w: filled in (also when not mapped: level and entry_pa say where the walk stopped)
 *
 * Reads the tables only; safe on tables built by someone else (a hostile guest): a table
 * address that @ops cannot reach ends the walk with -EFAULT.
 * Return: 0 if mapped, -ENOENT if not, -EINVAL if @va is not canonical, -EFAULT as above.
 */
int pgt_walk(const struct pgt *pgt, uint64_t va, struct pgt_walk *w);

/**
 * pgt_translate - virtual to physical
 * @pgt: the address space
 * @va: any virtual address
 * @pa: receives the physical address
 *
 * Return: 0, or the error of pgt_walk().
 */
int pgt_translate(const struct pgt *pgt, uint64_t va, uint64_t *pa);

/** pgt_canonical - is @va a canonical 48-bit address? */
static inline bool pgt_canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/**
 * pgt_count_tables - count the table pages reachable from the root, root included
 * @pgt: the address space
 *
 * For tests: after map/unmap sequences it must equal pgt->nr_tables (no leak, no empty table).
 * Return: the count, -EFAULT if a table is unreachable, -EIO if a table below the root is
 * empty or its entry's count of present entries is wrong.
 */
long pgt_count_tables(const struct pgt *pgt);

#ifdef __cplusplus
}
#endif

#endif /* GMM_MM_PGTABLE_H */
