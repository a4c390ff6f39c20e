// SPDX-License-Identifier: MIT
/*
 * guests/tests/page_alloc_suite.c - KTAP suite "page_alloc": the buddy allocator on the
 * guest's own RAM, through its real direct map.
 *
 * Exhaustion tests chain the pages they take through the pages themselves (the first word of
 * each page points to the next), so they need no memory of their own, then give all back.
 */
#include <abi/guest_layout.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/suites.h"
#include "mm/page_alloc.h"

static bool state_ok(struct ktap_test *t)
{
	char err[256];

	drain_all_pages();
	return ktap_expect(t, page_state_check(page_alloc_state(), mem_map, err, sizeof(err)),
			   "page_state_check()", __FILE__, __LINE__, "%s", err);
}

/* Take order-0 pages with @gfp until it fails; returns the chain and its length. */
void *take_all_pages(gfp_t gfp, unsigned long *count)
{
	void *head = NULL;
	unsigned long a;

	*count = 0;
	while ((a = __get_free_pages(gfp | __GFP_NOWARN, 0))) {
		*(void **)a = head;
		head = (void *)a;
		(*count)++;
	}
	return head;
}

void give_back_pages(void *head)
{
	while (head) {
		void *next = *(void **)head;

		free_pages((unsigned long)head, 0);
		head = next;
	}
}

void every_order_is_aligned_and_usable(struct ktap_test *t)
{
	unsigned int order;

	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);
		unsigned long pfn, i;
		uint64_t *mem;

		KTAP_ASSERT(t, p != NULL);
		pfn = page_to_pfn(p);
		KTAP_EXPECT_MSG(t, (pfn & ((1ul << order) - 1)) == 0, "order %u pfn %#lx", order,
				pfn);
		mem = page_address(p);
		KTAP_EXPECT(t, (uintptr_t)mem - PAGE_OFFSET == pfn << PAGE_SHIFT);
		for (i = 0; i < (PAGE_SIZE << order) / 8; i += 512)
			mem[i] = pfn + i;
		for (i = 0; i < (PAGE_SIZE << order) / 8; i += 512)
			KTAP_EXPECT(t, mem[i] == pfn + i);
		__free_pages(p, order);
	}
	state_ok(t);
}

void order_11_is_refused_with_a_warning(struct ktap_test *t)
{
	ktap_expect_report(t, "WARNING: page allocation of order 11 refused");
	printk_capture_start();
	KTAP_EXPECT(t, alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == NULL);
	printk_capture_stop();
	KTAP_EXPECT(t, strstr(printk_capture_text(), "order 11 refused") != NULL);
}

static void gfp_dma_stays_below_16mib(struct ktap_test *t)
{
	unsigned long n, a;
	void *chain = take_all_pages(GFP_DMA, &n), *p;

	KTAP_EXPECT(t, n > 0);
	for (p = chain; p; p = *(void **)p) {
		a = (uintptr_t)p - PAGE_OFFSET;
		if (!KTAP_EXPECT_MSG(t, a < 16ul << 20, "GFP_DMA page at %#lx", a))
			break;
	}
	ktap_diag(t, "%lu GFP_DMA pages, all below 16 MiB", n);
	give_back_pages(chain);
	state_ok(t);
}

static void gfp_dma32_stays_below_4gib(struct ktap_test *t)
{
	unsigned long i;

	for (i = 0; i < 256; i++) {
		struct page *p = alloc_pages(GFP_DMA32, 0);

		KTAP_ASSERT(t, p != NULL);
		KTAP_EXPECT(t, page_to_pfn(p) < ZONE_DMA32_END_PFN);
		__free_pages(p, 0);
	}
}

void gfp_zero_zeroes_and_plain_does_not(struct ktap_test *t)
{
	unsigned long a = __get_free_pages(GFP_KERNEL, 0), b, z;
	size_t i;

	KTAP_ASSERT(t, a != 0);
	memset((void *)a, 0x5a, PAGE_SIZE);
	free_pages(a, 0);
	b = __get_free_pages(GFP_KERNEL, 0); /* the per-CPU list hands the same page back */
	KTAP_EXPECT(t, b == a);
	KTAP_EXPECT_MSG(t, *(unsigned char *)b == 0x5a, "not zeroed without __GFP_ZERO");
	free_pages(b, 0);
	z = get_zeroed_page(GFP_KERNEL);
	KTAP_ASSERT(t, z != 0);
	for (i = 0; i < PAGE_SIZE; i++)
		if (!KTAP_EXPECT(t, ((unsigned char *)z)[i] == 0))
			break;
	free_page(z);
}

static void mistakes_are_reported(struct ktap_test *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);

	KTAP_ASSERT(t, p != NULL);
	ktap_expect_report(t, "BUG: Bad page state");
	printk_capture_start();
	__free_pages(p, 1);
	KTAP_EXPECT(t, strstr(printk_capture_text(), "freed with a different order") != NULL);
	__free_pages(p, 2);
	__free_pages(p, 2);
	KTAP_EXPECT(t, strstr(printk_capture_text(), "double free") != NULL);
	__free_pages(pfn_to_page(0), 0);
	KTAP_EXPECT(t, strstr(printk_capture_text(), "reserved page") != NULL);
	printk_capture_stop();
	state_ok(t);
}

static void sleeping_allocation_with_irqs_off_is_reported(struct ktap_test *t)
{
	struct page *a, *k;

	ktap_expect_report(t, "BUG: sleeping allocation in atomic context");
	printk_capture_start();
	local_irq_disable();
	a = alloc_pages(GFP_ATOMIC, 0);
	KTAP_EXPECT(t, strstr(printk_capture_text(), "sleeping allocation") == NULL);
	k = alloc_pages(GFP_KERNEL, 0);
	local_irq_enable();
	printk_capture_stop();
	KTAP_EXPECT(t, strstr(printk_capture_text(),
			      "BUG: sleeping allocation in atomic context") != NULL);
	KTAP_EXPECT(t, a && k);
	if (a)
		__free_pages(a, 0);
	if (k)
		__free_pages(k, 0);
}

void atomic_goes_below_min_where_kernel_stops(struct ktap_test *t)
{
	unsigned long nk, na, nn;
	void *kernel = take_all_pages(GFP_KERNEL, &nk);
	void *atomic = take_all_pages(GFP_ATOMIC, &na);
	void *after = take_all_pages(GFP_KERNEL, &nn);

	ktap_diag(t, "GFP_KERNEL took %lu pages, then GFP_ATOMIC %lu more from the reserve", nk,
		  na);
	KTAP_EXPECT(t, nk > 0);
	KTAP_EXPECT(t, na > 0);
	KTAP_EXPECT_MSG(t, nn == 0, "GFP_KERNEL got %lu pages after the reserve", nn);
	give_back_pages(after);
	give_back_pages(atomic);
	give_back_pages(kernel);
	state_ok(t);
}

static void buddyinfo_is_printed(struct ktap_test *t)
{
	char info[1024], *line = info, *nl;

	drain_all_pages();
	page_state_buddyinfo(page_alloc_state(), info, sizeof(info));
	KTAP_EXPECT(t, strstr(info, "Node 0, zone      DMA") != NULL);
	while ((nl = strstr(line, "\n"))) {
		*nl = '\0';
		ktap_diag(t, "%s", line);
		line = nl + 1;
	}
}

static const struct ktap_case page_alloc_cases[] = {
	KTAP_CASE(every_order_is_aligned_and_usable),
	KTAP_CASE(order_11_is_refused_with_a_warning),
	KTAP_CASE(gfp_dma_stays_below_16mib),
	KTAP_CASE(gfp_dma32_stays_below_4gib),
	KTAP_CASE(gfp_zero_zeroes_and_plain_does_not),
	KTAP_CASE(mistakes_are_reported),
	KTAP_CASE(sleeping_allocation_with_irqs_off_is_reported),
	KTAP_CASE(atomic_goes_below_min_where_kernel_stops),
	KTAP_CASE(buddyinfo_is_printed),
};

KTAP_SUITE_DEFINE(page_alloc, page_alloc_cases);
