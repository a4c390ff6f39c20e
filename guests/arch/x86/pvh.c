// SPDX-License-Identifier: MIT
/*
 * guests/arch/x86/pvh.c - the PVH boot path (QEMU): turn hvm_start_info into a struct bootinfo.
 *
 * QEMU (-kernel with a PVH note) enters pvh_start in 32-bit mode with %ebx pointing at
 * struct hvm_start_info (Xen's public arch-x86/hvm/start_info.h, version 1: it carries the
 * E820-style memory map). head.S switches to long mode on its boot tables, which map physical
 * [0, 4 GiB) in the direct map; RAM above that is left out on this path. Nobody prepared a
 * page state, so bootinfo.page_state_phys is 0 and kernel_main() builds one.
 */
#include <abi/bootinfo.h>
#include <abi/guest_layout.h>

#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"

#define HVM_START_MAGIC 0x336ec578u
#define PVH_DIRECT_MAP_END 0x100000000ull /* what head.S's boot tables map */

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

static struct bootinfo pvh_bootinfo;

static const void *phys(uint64_t pa)
{
	return (const void *)(uintptr_t)(PAGE_OFFSET + pa);
}

void pvh_main(uint32_t start_info_pa);
void pvh_main(uint32_t start_info_pa)
{
	const struct hvm_start_info *si = phys(start_info_pa);
	struct bootinfo *bi = &pvh_bootinfo;
	uint32_t i;

	console_init(NULL);
	/* QEMU's machines have 8259 PICs: mask them, the kernel uses no legacy interrupts */
	outb(0xff, 0x21);
	outb(0xff, 0xa1);
	if (si->magic != HVM_START_MAGIC)
		panic("PVH: bad hvm_start_info magic %#x", si->magic);
	if (si->version < 1 || si->memmap_entries == 0)
		panic("PVH: no memory map in hvm_start_info (version %u)", si->version);
	bi->magic = BOOTINFO_MAGIC;
	bi->version = BOOTINFO_VERSION;
	bi->size = sizeof(*bi);
	bi->nr_cpus = 1;
	for (i = 0; i < si->memmap_entries && bi->nr_mem < BOOTINFO_MAX_MEM; i++) {
		const struct hvm_memmap_table_entry *e =
			(const struct hvm_memmap_table_entry *)phys(si->memmap_paddr) + i;
		uint64_t start = e->addr, end = e->addr + e->size;

		if (e->type != BOOTINFO_MEM_RAM) {
			bi->mem[bi->nr_mem].start = start;
			bi->mem[bi->nr_mem].size = e->size;
			bi->mem[bi->nr_mem++].type = BOOTINFO_MEM_RESERVED;
			continue;
		}
		if (end > PVH_DIRECT_MAP_END) {
			printk("PVH: RAM above 4 GiB [%#llx, %#llx) not mapped on this path; "
			       "left out\n",
			       (unsigned long long)start, (unsigned long long)end);
			end = PVH_DIRECT_MAP_END;
		}
		start = (start + 4095) & ~4095ull;
		end &= ~4095ull;
		if (end <= start)
			continue;
		bi->mem[bi->nr_mem].start = start;
		bi->mem[bi->nr_mem].size = end - start;
		bi->mem[bi->nr_mem++].type = BOOTINFO_MEM_RAM;
	}
	if (si->cmdline_paddr) {
		const char *cl = phys(si->cmdline_paddr);

		for (i = 0; i + 1 < BOOTINFO_CMDLINE_MAX && cl[i]; i++)
			bi->cmdline[i] = cl[i];
		bi->cmdline_len = i;
	}
	bi->devices[0].type = BOOTINFO_DEV_SERIAL;
	bi->devices[0].flags = BOOTINFO_DEV_PIO;
	bi->devices[0].base = 0x3f8;
	bi->devices[0].size = 8;
	bi->devices[0].irq = 4;
	bi->devices[1].type = BOOTINFO_DEV_EXIT_PORT;
	bi->devices[1].flags = BOOTINFO_DEV_PIO;
	bi->devices[1].base = 0xf4;
	bi->devices[1].size = 4;
	bi->devices[1].irq = ~0u;
	bi->nr_devices = 2;
	kernel_main(bi);
}
