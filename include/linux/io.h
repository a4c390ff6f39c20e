/* SPDX-License-Identifier: MIT */
/*
 * include/linux/io.h - direct-map translation and MMIO mappings, with Linux's names.
 *
 * The direct map: virt = phys + page_offset_base (PAGE_OFFSET in the guest; on the host the
 * address of the simulated physical memory). __pa()/virt_to_phys() are only valid for
 * direct-map addresses - not for vmalloc or ioremap addresses, whose frames are scattered
 * (use vmalloc_to_page() there), exactly as in Linux (SEED-CLAIMS.md rows 1 and 22).
 *
 * ioremap() maps device memory uncached into the vmalloc area (row 33). It refuses RAM that
 * the page allocator manages ("ioremap on RAM"); ranges that are reserved or beyond RAM (the
 * PCI hole, the APICs) are mapped. On the host, frames beyond the simulated memory have no
 * device behind them: they are mapped to anonymous zero pages.
 */
#ifndef GMM_LINUX_IO_H
#define GMM_LINUX_IO_H

#include <linux/mm.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t phys_addr_t;

#define __iomem

#define __pa(x) ((phys_addr_t)((uintptr_t)(x)-page_offset_base))
#define __va(x) ((void *)((uintptr_t)(x) + page_offset_base))

/** virt_to_phys - physical address of a direct-map address */
static inline phys_addr_t virt_to_phys(const volatile void *address)
{
	return (phys_addr_t)((uintptr_t)address - page_offset_base);
}

/** phys_to_virt - direct-map address of a physical address */
static inline void *phys_to_virt(phys_addr_t address)
{
	return (void *)((uintptr_t)address + page_offset_base);
}

/**
 * ioremap - map device memory uncached into the vmalloc area
 * @offset: physical address, need not be page aligned
 * @size: bytes
 *
 * Return: the virtual address of @offset, or NULL (size 0, overflow, RAM, no space).
 */
void __iomem *ioremap(phys_addr_t offset, size_t size);

/** iounmap - undo ioremap(); NULL is ignored, anything else not from ioremap() warns */
void iounmap(volatile void __iomem *addr);

#ifdef __cplusplus
}
#endif

#endif /* GMM_LINUX_IO_H */
