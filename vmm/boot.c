// SPDX-License-Identifier: MIT
/*
 * vmm/boot.c - from an ELF file and a fresh VM to vCPUs ready to enter the kernel.
 *
 * What goes where is vmm/layout.h. The boot page tables (mm/pgtable.c, reached through the
 * linear view; table pages bump-allocated in [VMM_PGTABLE_PHYS, VMM_PGTABLE_END)):
 *
 *   PAGE_OFFSET + gpa         -> gpa   every RAM region, 1 GiB / 2 MiB pages where aligned, NX
 *   __START_KERNEL_map + gpa  -> gpa   RAM below KERNEL_IMAGE_SIZE, executable (the image)
 *   gpa                       -> gpa   [PAGE_SIZE, VMM_IDENTITY_END): low memory, holes
 *                                      included (an access to the legacy hole is then an MMIO
 *                                      exit, as on a PC), the null page left out
 *
 * All are supervisor-only; the direct map and kernel map are global.
 *
 * The page state (include/abi/page_state.h) is built only for an image that carries the GMM
 * page-state note (include/abi/elf_note.h) of the version this gmm builds; everything gmm placed
 * (the low area, the image, the page state) is reserved in it, so the guest's allocator never
 * hands it out. Its 1 MiB per 128 MiB of RAM is faulted in on a thread of its own
 * (gmm_mem_prefault_start): from gmm_vm_create() on with GMM_VM_CREATE_PREFAULT_PAGE_STATE, else from here
 * while the image is copied and the page tables built. Without the note
 * boot.page_state_phys is 0 and gmm touches no RAM beyond the low area and the image.
 */
#include <gmm/boot.h>

#include <abi/bootinfo.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <abi/guest_layout.h>
#include <abi/page_state.h>
#include <gmm/guest_page_state.h>

#include "mm/pgtable.h"
#include "vmm/layout.h"

struct table_alloc {
	const struct gmm_mem *gm;
	uint64_t next; /* next free table page */
};

static int boot_alloc_table(void *ctx, uint64_t *phys)
{
	struct table_alloc *ta = ctx;
	void *p;

	if (ta->next + PAGE_SIZE > VMM_PGTABLE_END)
		return -ENOMEM;
	p = gmm_mem_ptr(ta->gm, ta->next, PAGE_SIZE);
	if (!p)
		return -ENOMEM;
	memset(p, 0, PAGE_SIZE);
	*phys = ta->next;
	ta->next += PAGE_SIZE;
	return 0;
}

static void *boot_table_ptr(void *ctx, uint64_t phys)
{
	struct table_alloc *ta = ctx;

	return gmm_mem_ptr(ta->gm, phys, PAGE_SIZE);
}

static const struct pgt_ops boot_pgt_ops = {
	.alloc_table = boot_alloc_table,
	.free_table = NULL,
	.table_ptr = boot_table_ptr,
};

/* map [start, end) of RAM, clipped to [lo, hi), at virt = offset + phys */
static int map_clipped(struct pgt *pgt, uint64_t start, uint64_t end, uint64_t lo, uint64_t hi,
		       uint64_t offset, unsigned int prot)
{
	if (start < lo)
		start = lo;
	if (end > hi)
		end = hi;
	if (start >= end)
		return 0;
	return pgt_map(pgt, offset + start, start, end - start, prot);
}

int gmm_boot_build_page_tables(const struct gmm_mem *gm, struct gmm_boot_result *out)
{
	struct table_alloc ta = { .gm = gm, .next = VMM_PGTABLE_PHYS };
	struct pgt pgt;
	unsigned int i;
	int ret;

	if (!gm || !out)
		return -EINVAL;
	ret = pgt_init(&pgt, &boot_pgt_ops, &ta);
	if (ret)
		return ret;
	for (i = 0; i < gm->nr_regions && !ret; i++) {
		uint64_t s = gm->regions[i].gpa, e = s + gm->regions[i].size;

		ret = map_clipped(&pgt, s, e, 0, DIRECT_MAP_SIZE_MAX, PAGE_OFFSET, PGT_KERNEL_RW);
		if (!ret)
			ret = map_clipped(&pgt, s, e, 0, KERNEL_IMAGE_SIZE, __START_KERNEL_map,
					  PGT_WRITE | PGT_GLOBAL);
	}
	if (!ret)
		ret = pgt_map(&pgt, PAGE_SIZE, PAGE_SIZE, VMM_IDENTITY_END - PAGE_SIZE, PGT_WRITE);
	if (ret)
		return ret;
	out->pgtable_root = pgt.root;
	out->pgtable_start = VMM_PGTABLE_PHYS;
	out->pgtable_end = ta.next;
	return 0;
}

void gmm_boot_elf_rules(struct gmm_elf_rules *rules)
{
	if (!rules)
		return;
	*rules = (struct gmm_elf_rules){
		.min_paddr = VMM_LOW_RESERVED_END,
		.identity_end = VMM_IDENTITY_END,
		.kernel_map = __START_KERNEL_map,
		.kernel_map_size = KERNEL_IMAGE_SIZE,
	};
}

static int write_bootinfo(struct gmm_vm *vm, const char *cmdline, const struct gmm_bus *bus,
			  const struct gmm_boot_result *out)
{
	struct bootinfo *bi = gmm_mem_ptr(&vm->mem, VMM_BOOTINFO_PHYS, sizeof(*bi));
	unsigned int i;

	_Static_assert(sizeof(struct bootinfo) <= VMM_BOOTINFO_MAX, "bootinfo too large");
	if (!bi)
		return -EFAULT;
	memset(bi, 0, sizeof(*bi));
	bi->magic = BOOTINFO_MAGIC;
	bi->version = BOOTINFO_VERSION;
	bi->size = sizeof(*bi);
	bi->nr_cpus = vm->nr_cpus;
	bi->page_state_phys = out->page_state_phys;
	bi->mem_map_phys = out->mem_map_phys;
	bi->max_pfn = out->max_pfn;
	bi->pgtable_root = out->pgtable_root;
	bi->kernel_start = out->image.phys_start;
	bi->kernel_end = out->image.phys_end;
	bi->stacks_phys = VMM_STACKS_PHYS;
	bi->tsc_khz = gmm_vm_tsc_khz(vm);
	for (i = 0; i < vm->mem.nr_regions && i < BOOTINFO_MAX_MEM; i++) {
		bi->mem[i].start = vm->mem.regions[i].gpa;
		bi->mem[i].size = vm->mem.regions[i].size;
		bi->mem[i].type = BOOTINFO_MEM_RAM;
	}
	bi->nr_mem = i;
	for (i = 0; i < bus->nr && bi->nr_devices < BOOTINFO_MAX_DEVICES; i++) {
		const struct gmm_bus_device *d = &bus->devices[i];

		if (!d->bootinfo_type)
			continue;
		bi->devices[bi->nr_devices++] = (struct bootinfo_device){
			.type = d->bootinfo_type,
			.flags = d->space == GMM_BUS_PIO ? BOOTINFO_DEV_PIO : BOOTINFO_DEV_MMIO,
			.base = d->base,
			.size = d->size,
			.irq = ~0u,
		};
	}
	bi->cmdline_len = (uint32_t)strlen(cmdline);
	memcpy(bi->cmdline, cmdline, bi->cmdline_len + 1);
	return 0;
}

int gmm_boot_prepare(struct gmm_vm *vm, const void *image, size_t size, const char *cmdline,
		     const struct gmm_bus *bus, struct gmm_boot_result *out, char *err,
		     size_t errlen)
{
	struct gmm_page_state_layout gps;
	struct gmm_mem_range reserved[2];
	struct gmm_elf_rules rules;
	uint64_t gdt[3];
	unsigned int i;
	int ret;

	if (!vm || !image || !bus || !out) {
		if (err && errlen)
			snprintf(err, errlen, "no VM, image, bus or result (NULL)");
		return -EINVAL;
	}
	if (!cmdline)
		cmdline = "";
	memset(out, 0, sizeof(*out));
	if (strlen(cmdline) >= BOOTINFO_CMDLINE_MAX) {
		snprintf(err, errlen, "command line longer than %d bytes",
			 BOOTINFO_CMDLINE_MAX - 1);
		return -E2BIG;
	}
	gmm_boot_elf_rules(&rules);
	ret = gmm_elf_parse(image, size, &vm->mem, &rules, &out->image, err, errlen);
	if (ret)
		return ret;
	if (out->image.page_state_version) {
		if (out->image.page_state_version != PAGE_STATE_VERSION) {
			snprintf(err, errlen,
				 "the image's GMM page-state note asks for page-state version %u; "
				 "this gmm builds version %u",
				 out->image.page_state_version, PAGE_STATE_VERSION);
			return -ENOEXEC;
		}
		/* only an optimisation; -EBUSY if gmm_vm_create() started it already */
		gmm_page_state_prefault(&vm->mem);
	}
	ret = gmm_elf_load(image, &out->image, &vm->mem);
	if (ret) {
		snprintf(err, errlen, "loading the image failed");
		return ret;
	}

	_Static_assert(GMM_VM_MAX_CPUS * BOOTINFO_STACK_SIZE <= VMM_STACKS_END - VMM_STACKS_PHYS,
		       "boot stacks do not fit");
	if (gmm_mem_write(&vm->mem, VMM_GDT_PHYS, gdt, (size_t)gmm_gdt_write(gdt) + 1)) {
		snprintf(err, errlen, "guest RAM too small for the boot data");
		return -ENOMEM;
	}
	ret = gmm_boot_build_page_tables(&vm->mem, out);
	if (ret) {
		snprintf(err, errlen, "building the boot page tables failed: %s", strerror(-ret));
		return ret;
	}

	if (out->image.page_state_version) {
		reserved[0] = (struct gmm_mem_range){ 0, VMM_LOW_RESERVED_END };
		reserved[1] = (struct gmm_mem_range){ out->image.phys_start, out->image.phys_end };
		gmm_mem_prefault_wait(&vm->mem);
		ret = gmm_page_state_setup(&vm->mem, reserved, 2, &gps);
		if (ret) {
			snprintf(err, errlen, "setting up the page state over guest RAM failed: %s",
				 strerror(-ret));
			return ret;
		}
		out->page_state_phys = gps.state_phys;
		out->mem_map_phys = gps.map_phys;
		out->max_pfn = gps.max_pfn;
	}
	out->bootinfo_phys = VMM_BOOTINFO_PHYS;

	ret = write_bootinfo(vm, cmdline, bus, out);
	if (ret) {
		snprintf(err, errlen, "writing the boot info failed");
		return ret;
	}
	ret = gmm_vm_apply_cpuid(vm, err, errlen);
	if (ret)
		return ret;
	for (i = 0; i < vm->nr_cpus; i++) {
		struct gmm_vcpu_boot b = {
			.entry = out->image.entry,
			.rdi = VMM_BOOTINFO_PHYS,
			.rsi = i,
			.rsp = VMM_STACKS_PHYS + (uint64_t)(i + 1) * BOOTINFO_STACK_SIZE,
			.cr3 = out->pgtable_root,
			.gdt_base = VMM_GDT_PHYS,
			.gdt_limit = 3 * sizeof(uint64_t) - 1,
		};

		ret = gmm_vcpu_set_boot_state(&vm->vcpus[i], &b);
		if (ret) {
			snprintf(err, errlen, "setting the registers of vCPU %u failed: %s", i,
				 strerror(-ret));
			return ret;
		}
	}
	return 0;
}
