/* SPDX-License-Identifier: MIT */
/*
 * include/abi/bootinfo.h - what gmm hands the guest kernel at boot.
 *
 * gmm starts every vCPU in 64-bit long mode at the ELF entry with:
 *   %rdi  guest-physical address of `struct bootinfo` (identity-mapped, and in the direct map)
 *   %rsi  this vCPU's index, 0 .. nr_cpus - 1
 *   %rsp  top of a BOOTINFO_STACK_SIZE boot stack of its own (identity-mapped)
 *   CR3   the page tables gmm built (pgtable_root): direct map, kernel map, identity map of
 *         low memory; interrupts off, no IDT (an exception before the guest installs one is a
 *         triple fault, which gmm reports as a guest crash).
 *
 * The structure is fixed-width, little-endian and versioned: a guest checks magic and version
 * and must ignore fields it does not know when `size` is larger than its own sizeof. Arrays are
 * inline so the whole thing is one self-contained block below 16 KiB.
 *
 * Memory-map entries are sorted by address and do not overlap. RAM entries are exactly the
 * KVM memslots. For an image carrying the GMM page-state note (include/abi/elf_note.h) gmm
 * initialised the page state (include/abi/page_state.h) over them, with everything gmm placed
 * (page tables, boot info, stacks, kernel image, the page state itself) reserved, so the guest
 * may adopt it as is; for any other image page_state_phys, mem_map_phys and max_pfn are 0.
 */
#ifndef GMM_ABI_BOOTINFO_H
#define GMM_ABI_BOOTINFO_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BOOTINFO_MAGIC	 0x4f464e49544f4f42ull /* "BOOTINFO" little-endian */
#define BOOTINFO_VERSION 1u

#define BOOTINFO_MAX_MEM     16
#define BOOTINFO_MAX_DEVICES 16
#define BOOTINFO_CMDLINE_MAX 1024
#define BOOTINFO_STACK_SIZE  0x4000u

/* struct bootinfo_mem.type, the E820 numbering */
enum bootinfo_mem_type {
	BOOTINFO_MEM_RAM = 1,
	BOOTINFO_MEM_RESERVED = 2,
};

struct bootinfo_mem {
	uint64_t start; /* guest-physical, page-aligned */
	uint64_t size;	/* bytes, a multiple of the page size */
	uint32_t type;	/* enum bootinfo_mem_type */
	uint32_t pad;
};

/* struct bootinfo_device.type */
enum bootinfo_device_type {
	BOOTINFO_DEV_SERIAL = 1,    /* 16550 subset, port I/O at base */
	BOOTINFO_DEV_EXIT_PORT = 2, /* outl(verdict, base) ends the run */
	BOOTINFO_DEV_PCI_CFG = 3,   /* PCI configuration mechanism #1 at base (0xcf8) */
	BOOTINFO_DEV_CONSOLE_PORT = 4, /* a message per VM exit, include/abi/console_port.h */
};

/* struct bootinfo_device.flags */
#define BOOTINFO_DEV_PIO  0x1u /* base is an I/O port */
#define BOOTINFO_DEV_MMIO 0x2u /* base is a guest-physical address */

struct bootinfo_device {
	uint32_t type;	/* enum bootinfo_device_type */
	uint32_t flags; /* BOOTINFO_DEV_* */
	uint64_t base;
	uint64_t size;
	uint32_t irq; /* GSI, or ~0u for none */
	uint32_t pad;
};

struct bootinfo {
	uint64_t magic;	  /* BOOTINFO_MAGIC */
	uint32_t version; /* BOOTINFO_VERSION */
	uint32_t size;	  /* sizeof(struct bootinfo) as gmm built it */

	uint32_t nr_cpus;
	uint32_t nr_mem;
	uint32_t nr_devices;
	uint32_t cmdline_len; /* without the NUL; cmdline is always NUL-terminated */

	uint64_t page_state_phys; /* struct page_state, or 0 (no GMM page-state note) */
	uint64_t mem_map_phys;	  /* struct page[max_pfn], or 0 likewise */
	uint64_t max_pfn;
	uint64_t pgtable_root; /* CR3 at entry */
	uint64_t kernel_start; /* physical extent of the loaded image */
	uint64_t kernel_end;
	uint64_t stacks_phys; /* boot stacks: cpu i uses [stacks_phys + i * size, + size) */
	uint64_t tsc_khz;     /* 0 if unknown */

	struct bootinfo_mem mem[BOOTINFO_MAX_MEM];
	struct bootinfo_device devices[BOOTINFO_MAX_DEVICES];
	char cmdline[BOOTINFO_CMDLINE_MAX];
};

#ifdef __cplusplus
}
#endif

#endif /* GMM_ABI_BOOTINFO_H */
