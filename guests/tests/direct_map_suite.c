// SPDX-License-Identifier: MIT
/*
 * guests/tests/direct_map_suite.c - KTAP suite "direct_map": the direct map, the kernel map
 * and the identity map of the page tables the guest runs on, and the translations between
 * pages, PFNs, physical and virtual addresses. Every claim is checked by walking CR3.
 */
#include <abi/bootinfo.h>
#include <abi/guest_layout.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/guest_pgtable.h"
#include "mm/pgtable.h"

extern const struct bootinfo *guest_bootinfo; /* guests/kernel/main.c */
extern char _text[], _etext[];

static void pa_and_va_round_trip(struct ktap_test *t)
{
	void *k = kmalloc(300, GFP_KERNEL);
	unsigned long page = __get_free_pages(GFP_KERNEL, 1);

	KTAP_ASSERT(t, k && page);
	KTAP_EXPECT(t, virt_to_phys(k) == (uintptr_t)k - PAGE_OFFSET);
	KTAP_EXPECT(t, phys_to_virt(virt_to_phys(k)) == k);
	KTAP_EXPECT(t, __va(__pa(page)) == (void *)page);
	KTAP_EXPECT(t, page_address(virt_to_page((void *)page)) == (void *)page);
	KTAP_EXPECT(t, page_to_pfn(virt_to_page(k)) == __pa(k) >> PAGE_SHIFT);
	kfree(k);
	free_pages(page, 1);
}

static void the_direct_map_covers_all_ram(struct ktap_test *t)
{
	const struct bootinfo *bi = guest_bootinfo;
	unsigned int i;

	for (i = 0; i < bi->nr_mem; i++) {
		uint64_t start = bi->mem[i].start, end = start + bi->mem[i].size, pa;
		uint64_t probes[3] = { start, start + (end - start) / 2, end - 1 };
		unsigned int k;

		if (bi->mem[i].type != BOOTINFO_MEM_RAM)
			continue;
		for (k = 0; k < 3; k++) {
			KTAP_ASSERT(t, guest_translate(PAGE_OFFSET + probes[k], &pa) == 0);
			KTAP_EXPECT_MSG(t, pa == probes[k], "direct map of %#llx says %#llx",
					(unsigned long long)probes[k], (unsigned long long)pa);
		}
	}
}

static void the_direct_map_uses_large_pages(struct ktap_test *t)
{
	struct pgt_walk w;
	uint64_t probe = 16ull << 20; /* RAM in every configuration the tests use */

	KTAP_ASSERT(t, guest_walk(PAGE_OFFSET + probe, &w) == 0);
	ktap_diag(t, "the direct map maps %#llx with a %llu KiB page", (unsigned long long)probe,
		  (unsigned long long)(w.page_size >> 10));
	KTAP_EXPECT(t, w.page_size >= (2ull << 20));
	KTAP_EXPECT(t, (w.prot & PGT_WRITE) != 0);
}

static void the_kernel_map_translates_the_image(struct ktap_test *t)
{
	uint64_t pa;

	KTAP_ASSERT(t, guest_translate((uintptr_t)_text, &pa) == 0);
	KTAP_EXPECT(t, pa == (uintptr_t)_text - __START_KERNEL_map);
	KTAP_EXPECT(t, pa == GUEST_KERNEL_LOAD_PHYS);
	KTAP_ASSERT(t, guest_translate((uintptr_t)_etext - 1, &pa) == 0);
	KTAP_EXPECT(t, pa == (uintptr_t)_etext - 1 - __START_KERNEL_map);
}

static void low_memory_is_identity_mapped(struct ktap_test *t)
{
	uint64_t pa;

	KTAP_ASSERT(t, guest_translate(GUEST_KERNEL_LOAD_PHYS, &pa) == 0);
	KTAP_EXPECT(t, pa == GUEST_KERNEL_LOAD_PHYS);
}

static void holes_and_bad_addresses_do_not_translate(struct ktap_test *t)
{
	uint64_t pa;

	KTAP_EXPECT(t, guest_translate(VMALLOC_START + (64ull << 30), &pa) == -ENOENT);
	KTAP_EXPECT(t, guest_translate(0x0000900000000000ull, &pa) == -EINVAL); /* non-canonical */
}

static const struct ktap_case direct_map_cases[] = {
	KTAP_CASE(pa_and_va_round_trip),
	KTAP_CASE(the_direct_map_covers_all_ram),
	KTAP_CASE(the_direct_map_uses_large_pages),
	KTAP_CASE(the_kernel_map_translates_the_image),
	KTAP_CASE(low_memory_is_identity_mapped),
	KTAP_CASE(holes_and_bad_addresses_do_not_translate),
};

KTAP_SUITE_DEFINE(direct_map, direct_map_cases);
