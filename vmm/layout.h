/* SPDX-License-Identifier: MIT */
/*
 * vmm/layout.h - where gmm puts its own boot data in guest-physical memory.
 *
 * The fixed layout (holes, kernel load address, virtual regions) is include/abi/guest_layout.h;
 * this file only places what gmm writes into low RAM, below the legacy hole. The guest learns
 * all of it from struct bootinfo and never hard-codes it:
 *
 *   0x0000  - 0x1000   null page: not mapped, reserved
 *   0x1000  - 0x2000   GDT
 *   0x2000  - 0x6000   struct bootinfo (16 KiB)
 *   0x10000 - 0x30000  boot stacks, BOOTINFO_STACK_SIZE per vCPU (GMM_VM_MAX_CPUS of them)
 *   0x30000 - 0x9f000  page-table pages (bump-allocated)
 *   GUEST_KERNEL_LOAD_PHYS  the kernel image (its PT_LOAD physical addresses)
 *   top of RAM         page state and page-frame array (vmm/guest_page_state.c)
 *
 * The whole area below VMM_LOW_RESERVED_END is reserved in the page state.
 */
#ifndef GMM_VMM_LAYOUT_H
#define GMM_VMM_LAYOUT_H

#include <abi/guest_layout.h>

#define VMM_GDT_PHYS	     0x1000ull
#define VMM_BOOTINFO_PHYS    0x2000ull
#define VMM_BOOTINFO_MAX     0x4000ull
#define VMM_STACKS_PHYS	     0x10000ull
#define VMM_STACKS_END	     0x30000ull
#define VMM_PGTABLE_PHYS     0x30000ull
#define VMM_PGTABLE_END	     0x9f000ull
#define VMM_LOW_RESERVED_END VMM_PGTABLE_END /* nothing may be loaded below this */
/* low memory that is identity-mapped at boot: the first GiB of RAM, null page excepted */
#define VMM_IDENTITY_END (1ull << 30)

#endif /* GMM_VMM_LAYOUT_H */
