// SPDX-License-Identifier: MIT
/*
 * guests/tests/vmalloc_suite.c - KTAP suite "vmalloc": the vmalloc area on the guest's real
 * page tables (SEED-CLAIMS rows 19-21, 24, 33), every mapping checked by walking CR3.
 */
#include <abi/guest_layout.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "guests/arch/x86/apic.h"
#include "guests/arch/x86/processor.h"
#include "guests/arch/x86/traps.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/suites.h"
#include "guests/tests/guest_pgtable.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/vmalloc_admin.h"

#define VFREE_TEST_VECTOR 0xf1

static uint64_t free_pages_now(void)
{
	struct page_state *ps = page_alloc_state();
	uint64_t n = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		n += page_state_free_pages(ps, (enum zone_type)z);
	return n;
}

void vmalloc_is_virtually_contiguous_and_physically_scattered(struct ktap_test *t)
{
	struct page *holes[64];
	unsigned long i, size = 32 * PAGE_SIZE, breaks = 0, prev = 0;
	unsigned char *v;

	/* fragment the allocator: take 64 pages, give every other one back */
	for (i = 0; i < 64; i++)
		holes[i] = alloc_pages(GFP_KERNEL, 0);
	for (i = 0; i < 64; i += 2)
		__free_pages(holes[i], 0);
	v = vmalloc(size);
	KTAP_ASSERT(t, v != NULL);
	KTAP_EXPECT(t, is_vmalloc_addr(v));
	KTAP_EXPECT(t, (uintptr_t)v >= VMALLOC_START && (uintptr_t)v + size - 1 <= VMALLOC_END);
	for (i = 0; i < size; i += PAGE_SIZE) {
		uint64_t pa = 0;
		unsigned long pfn = vmalloc_to_pfn(v + i);

		KTAP_ASSERT(t, guest_translate((uintptr_t)(v + i), &pa) == 0);
		KTAP_EXPECT_MSG(t, pa >> PAGE_SHIFT == pfn, "page %lu: tables say %#llx, "
				"vmalloc_to_pfn %#lx", i / PAGE_SIZE, (unsigned long long)pa, pfn);
		if (i && pfn != prev + 1)
			breaks++;
		prev = pfn;
	}
	ktap_diag(t, "32 virtually contiguous pages lie in %lu physical runs", breaks + 1);
	KTAP_EXPECT(t, breaks > 0);
	vfree(v);
	for (i = 1; i < 64; i += 2)
		__free_pages(holes[i], 0);
}

static void a_write_through_vmalloc_shows_in_the_direct_map(struct ktap_test *t)
{
	unsigned long i, size = 8 * PAGE_SIZE;
	uint32_t *v = vmalloc(size);

	KTAP_ASSERT(t, v != NULL);
	for (i = 0; i < size / 4; i += 1024)
		v[i] = 0x9e000000u + (uint32_t)i;
	for (i = 0; i < size / 4; i += 1024) {
		uint32_t *direct = (uint32_t *)page_address(vmalloc_to_page(&v[i]));

		KTAP_EXPECT(t, *direct == 0x9e000000u + i);
	}
	vfree(v);
}

void the_guard_page_after_an_area_is_unmapped(struct ktap_test *t)
{
	unsigned char *v = vmalloc(3 * PAGE_SIZE + 1); /* rounds up to 4 pages */
	uint64_t pa;

	KTAP_ASSERT(t, v != NULL);
	KTAP_EXPECT(t, guest_translate((uintptr_t)v + 4 * PAGE_SIZE - 1, &pa) == 0);
	KTAP_EXPECT(t, guest_translate((uintptr_t)v + 4 * PAGE_SIZE, &pa) == -ENOENT);
	vfree(v);
	ktap_expect_report(t, "vmalloc error: size 0");
	KTAP_EXPECT(t, vmalloc(0) == NULL);
}

void vmalloc_larger_than_the_largest_buddy_block(struct ktap_test *t)
{
	unsigned long size = (PAGE_SIZE << MAX_PAGE_ORDER) + (1ul << 20); /* 5 MiB */
	unsigned char *v = vmalloc(size);

	KTAP_ASSERT(t, v != NULL);
	v[0] = 1;
	v[size - 1] = 2;
	KTAP_EXPECT(t, v[0] == 1 && v[size - 1] == 2);
	vfree(v);
}

void vmalloc_pages_come_from_the_page_allocator_not_slab(struct ktap_test *t)
{
	static char before[8192], after[8192];
	uint64_t free0, free1;
	void *v;

	vmalloc_purge();
	drain_all_pages();
	slabinfo_show(before, sizeof(before));
	free0 = free_pages_now();
	v = vmalloc(64 * PAGE_SIZE);
	KTAP_ASSERT(t, v != NULL);
	free1 = free_pages_now();
	slabinfo_show(after, sizeof(after));
	KTAP_EXPECT_MSG(t, free0 - free1 >= 64, "the page allocator lost %llu pages",
			(unsigned long long)(free0 - free1));
	KTAP_EXPECT_MSG(t, !strcmp(before, after), "slabinfo changed around a vmalloc");
	vfree(v);
}

static volatile struct {
	bool ran;
	uint64_t deferred_before, deferred_after;
} irq_free;
static void *irq_free_target;

static void vfree_from_irq(struct pt_regs *regs, void *data)
{
	struct vmalloc_stats st;

	(void)regs;
	(void)data;
	vmalloc_get_stats(&st);
	irq_free.deferred_before = st.deferred_frees;
	vfree(irq_free_target);
	vmalloc_get_stats(&st);
	irq_free.deferred_after = st.deferred_frees;
	irq_free.ran = true;
}

void vfree_in_an_interrupt_is_deferred(struct ktap_test *t)
{
	unsigned long spins = 0;
	struct vmalloc_stats st;

	irq_free_target = vmalloc(4 * PAGE_SIZE);
	KTAP_ASSERT(t, irq_free_target != NULL);
	x86_set_irq_handler(VFREE_TEST_VECTOR, vfree_from_irq, NULL);
	apic_self_ipi(VFREE_TEST_VECTOR);
	while (!irq_free.ran && ++spins < 100000000ul)
		cpu_relax();
	KTAP_ASSERT(t, irq_free.ran);
	KTAP_EXPECT(t, irq_free.deferred_after == irq_free.deferred_before + 1);
	/* the next vmalloc-side operation in process context does the deferred work */
	vfree(vmalloc(PAGE_SIZE));
	vmalloc_get_stats(&st);
	KTAP_EXPECT_MSG(t, st.deferred_pending == 0, "%llu deferred frees still pending",
			(unsigned long long)st.deferred_pending);
}

void ioremap_maps_device_memory_uncached_in_the_vmalloc_area(struct ktap_test *t)
{
	void *lapic = ioremap(APIC_DEFAULT_PHYS_BASE, PAGE_SIZE);
	struct pgt_walk w;

	KTAP_ASSERT(t, lapic != NULL);
	KTAP_EXPECT(t, is_vmalloc_addr(lapic));
	KTAP_EXPECT_MSG(t, (*(volatile uint32_t *)((char *)lapic + 0x30) & 0xff) >= 0x10,
			"APIC version register through the mapping");
	KTAP_ASSERT(t, guest_walk((uintptr_t)lapic, &w) == 0);
	KTAP_EXPECT(t, w.pa == APIC_DEFAULT_PHYS_BASE);
	KTAP_EXPECT(t, (w.prot & PGT_UNCACHED) != 0);
	iounmap(lapic);
	/* RAM the page allocator manages is refused */
	ktap_expect_report(t, "ioremap on RAM");
	printk_capture_start();
	KTAP_EXPECT(t, ioremap(0x200000, PAGE_SIZE) == NULL);
	printk_capture_stop();
}

static const struct ktap_case vmalloc_cases[] = {
	KTAP_CASE(vmalloc_is_virtually_contiguous_and_physically_scattered),
	KTAP_CASE(a_write_through_vmalloc_shows_in_the_direct_map),
	KTAP_CASE(the_guard_page_after_an_area_is_unmapped),
	KTAP_CASE(vmalloc_larger_than_the_largest_buddy_block),
	KTAP_CASE(vmalloc_pages_come_from_the_page_allocator_not_slab),
	KTAP_CASE(vfree_in_an_interrupt_is_deferred),
	KTAP_CASE(ioremap_maps_device_memory_uncached_in_the_vmalloc_area),
};

KTAP_SUITE_DEFINE(vmalloc, vmalloc_cases);
