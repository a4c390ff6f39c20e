/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/boot.h - put a kernel into a fresh VM so that its vCPUs can run.
 *
 * gmm_boot_prepare() does, in order: validate and load the ELF image, write the boot GDT, build the
 * page tables (mm/pgtable.c: direct map with large pages, kernel map, identity map of low
 * memory), set up the buddy page state over guest RAM with everything placed reserved, write
 * struct bootinfo (include/abi/bootinfo.h), and put every vCPU in long mode at the entry.
 */
#ifndef GMM_GMM_BOOT_H
#define GMM_GMM_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include <gmm/bus.h>
#include <gmm/guest_mem.h>
#include <gmm/loader.h>
#include <gmm/vm.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gmm_boot_result {
	struct gmm_elf_image image;
	uint64_t bootinfo_phys;
	uint64_t pgtable_root;
	uint64_t pgtable_start; /* page-table pages used: [pgtable_start, pgtable_end) */
	uint64_t pgtable_end;
	uint64_t page_state_phys; /* struct page_state in guest RAM; 0 without the GMM note */
	uint64_t mem_map_phys;	  /* the page-frame array; 0 without the note */
	uint64_t max_pfn;
};

/**
 * gmm_boot_prepare - load @image into @vm and set every vCPU up to enter it
 * @vm: a created VM
 * @image: the ELF file
 * @size: its size
 * @cmdline: the kernel command line ("" for none), at most BOOTINFO_CMDLINE_MAX - 1 bytes
 * @bus: the device table; its devices are listed in the boot info
 * @out: what was placed where
 * @err: the reason on failure
 * @errlen: its size
 * Return: 0, -ENOEXEC for a bad image, -E2BIG for a too long command line, another negative
 * errno for a failure of the VMM or of KVM.
 */
int gmm_boot_prepare(struct gmm_vm *vm, const void *image, size_t size, const char *cmdline,
		     const struct gmm_bus *bus, struct gmm_boot_result *out, char *err,
		     size_t errlen);

/**
 * gmm_boot_build_page_tables - the boot page tables in guest RAM (mm/pgtable.c)
 * @gm: guest RAM
 * @out: receives pgtable_root and pgtable_end
 *
 * Direct map of every RAM region at PAGE_OFFSET (NX, global, large pages where aligned), kernel
 * map of RAM below KERNEL_IMAGE_SIZE at __START_KERNEL_map, identity map of the first GiB but
 * the null page. Table pages come from gmm's low-memory area (vmm/layout.h).
 * Return: 0, or -ENOMEM if that area is too small.
 */
int gmm_boot_build_page_tables(const struct gmm_mem *gm, struct gmm_boot_result *out);

/**
 * gmm_boot_elf_rules - the address rules the loader applies for gmm's page tables
 * @rules: filled in
 */
void gmm_boot_elf_rules(struct gmm_elf_rules *rules);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_BOOT_H */
