/* SPDX-License-Identifier: MIT */
/*
 * include/abi/guest_layout.h - every fixed address of the guest, physical and virtual.
 *
 * The one place that defines the layout of docs/architecture.md; the VMM (which builds the guest's
 * page tables and memory map), the guest kernel and the mm core all take the numbers from here
 * and nowhere else.
 *
 * Guest physical:
 *
 *   [0, 0xA0000)                  RAM (low memory; the first page is never handed out)
 *   [0xA0000, 0x100000)           legacy hole (VGA, option ROMs, BIOS): not RAM
 *   [0x100000, ...)               RAM; the kernel image is loaded at 1 MiB
 *   [0xC0000000, 0x100000000)     PCI MMIO hole: device BARs, the IOAPIC, the local APIC
 *   [0x100000000, ...)            RAM beyond the hole continues above 4 GiB
 *
 * Guest virtual (Linux x86-64, 4-level paging; canonical addresses, 48 bits):
 *
 *   0xffff888000000000  PAGE_OFFSET         direct map of all RAM: virt = phys + PAGE_OFFSET
 *   0xffffc90000000000  VMALLOC_START       vmalloc, vmap and ioremap area, 32 TiB
 *   0xffffe8ffffffffff  VMALLOC_END         last byte of the area (inclusive, as in Linux)
 *   0xffffffff80000000  __START_KERNEL_map  kernel image: virt = phys + __START_KERNEL_map
 *
 * The names are Linux's; __START_KERNEL_map keeps its double underscore because it is part of
 * the Linux API. The values are unsigned long long so the header means the same in a 64-bit
 * VMM, in the guest and in C++ tests.
 */
#ifndef GMM_ABI_GUEST_LAYOUT_H
#define GMM_ABI_GUEST_LAYOUT_H

/*
 * GMM_AC(X, ULL): a constant with its C suffix in C, bare in assembly and linker scripts (which
 * include this header too: guests/arch/x86/head.S, kernel.lds.S). Linux's const.h calls it
 * _AC; a name of its own here, because host code includes both this and <linux/kvm.h>.
 */
#ifdef __ASSEMBLER__
#define GMM_AC(X, Y) X
#else
#define GMM_AC_JOIN(X, Y) X##Y
#define GMM_AC(X, Y) GMM_AC_JOIN(X, Y)
#endif

/* ---- guest physical ---- */

#define GUEST_LEGACY_HOLE_START GMM_AC(0xA0000, ull)
#define GUEST_LEGACY_HOLE_END GMM_AC(0x100000, ull) /* exclusive */
#define GUEST_KERNEL_LOAD_PHYS GMM_AC(0x100000, ull) /* 1 MiB */

#define GUEST_PCI_HOLE_START GMM_AC(0xC0000000, ull) /* 3 GiB: RAM below 4 GiB ends here */
#define GUEST_PCI_HOLE_END GMM_AC(0x100000000, ull)  /* exclusive: 4 GiB */
#define GUEST_HIGH_RAM_START GMM_AC(0x100000000, ull) /* RAM beyond the PCI hole */

#define IO_APIC_DEFAULT_PHYS_BASE GMM_AC(0xFEC00000, ull)
#define APIC_DEFAULT_PHYS_BASE GMM_AC(0xFEE00000, ull)

/* ---- guest virtual ---- */

#define PAGE_OFFSET GMM_AC(0xffff888000000000, ull)
#define VMALLOC_START GMM_AC(0xffffc90000000000, ull)
#define VMALLOC_END GMM_AC(0xffffe8ffffffffff, ull) /* inclusive */
#define VMALLOC_SIZE_MAX (VMALLOC_END - VMALLOC_START + 1) /* 32 TiB */
#define __START_KERNEL_map GMM_AC(0xffffffff80000000, ull)
#define KERNEL_IMAGE_SIZE (GMM_AC(1, ull) << 30) /* the kernel map covers 1 GiB, as in Linux */

/* The direct map must not run into the vmalloc area: this much RAM at most. */
#define DIRECT_MAP_SIZE_MAX (VMALLOC_START - PAGE_OFFSET)

#endif /* GMM_ABI_GUEST_LAYOUT_H */
