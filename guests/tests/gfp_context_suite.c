// SPDX-License-Identifier: MIT
/*
 * guests/tests/gfp_context_suite.c - KTAP suite "gfp_context": which GFP flags may be used
 * where (SEED-CLAIMS row 9), in a real interrupt handler.
 *
 * The handler runs on an interrupt the local APIC sends to its own CPU (a self-IPI), through
 * the IDT, so in_interrupt() is true there exactly as for a device interrupt. (`int $n` is not
 * used: this host's KVM cannot emulate it.) It allocates with
 * GFP_ATOMIC (must work, silently) and with GFP_KERNEL (must be reported as a sleeping
 * allocation in atomic context), and records what happened for the case to check.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "guests/arch/x86/apic.h"
#include "guests/arch/x86/processor.h"
#include "guests/arch/x86/traps.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "guests/tests/suites.h"

#define GFP_TEST_VECTOR 0xf0

static volatile struct {
	bool ran, in_irq;
	void *atomic_obj, *kernel_obj;
	struct page *atomic_page;
	bool atomic_reported, kernel_reported;
} seen;

static void gfp_test_handler(struct pt_regs *regs, void *data)
{
	(void)regs;
	(void)data;
	seen.ran = true;
	seen.in_irq = in_interrupt();
	printk_capture_start();
	seen.atomic_obj = kmalloc(128, GFP_ATOMIC);
	seen.atomic_page = alloc_pages(GFP_ATOMIC, 1);
	seen.atomic_reported = strstr(printk_capture_text(), "sleeping allocation") != NULL;
	printk_capture_start();
	seen.kernel_obj = kmalloc(128, GFP_KERNEL);
	seen.kernel_reported = strstr(printk_capture_text(), "sleeping allocation") != NULL;
	printk_capture_stop();
}

void interrupt_handler_may_use_gfp_atomic_not_gfp_kernel(struct ktap_test *t)
{
	x86_set_irq_handler(GFP_TEST_VECTOR, gfp_test_handler, NULL);
	unsigned long spins = 0;

	/*
	 * The case also runs as seed_claims row 9: forget the first run, or the wait below ends
	 * at once and its page is freed a second time.
	 */
	memset((void *)&seen, 0, sizeof(seen));
	ktap_expect_report(t, "BUG: sleeping allocation in atomic context");
	apic_self_ipi(GFP_TEST_VECTOR);
	/* delivery is asynchronous (at the next entry into the guest): wait for it */
	while (!seen.ran && ++spins < 100000000ul)
		cpu_relax();
	KTAP_EXPECT_MSG(t, seen.ran, "the self-IPI was not delivered after %lu spins", spins);
	if (!seen.ran)
		return;
	KTAP_EXPECT(t, seen.in_irq);
	KTAP_EXPECT(t, seen.atomic_obj != NULL);
	KTAP_EXPECT(t, seen.atomic_page != NULL);
	KTAP_EXPECT_MSG(t, !seen.atomic_reported, "GFP_ATOMIC was reported in an interrupt");
	KTAP_EXPECT_MSG(t, seen.kernel_reported,
			"GFP_KERNEL in an interrupt handler was not reported");
	kfree((void *)seen.atomic_obj);
	kfree((void *)seen.kernel_obj);
	if (seen.atomic_page)
		__free_pages(seen.atomic_page, 1);
	KTAP_EXPECT(t, !in_interrupt());
}

static void process_context_may_sleep(struct ktap_test *t)
{
	void *p;

	KTAP_EXPECT(t, !in_interrupt() && !irqs_disabled());
	printk_capture_start();
	p = kmalloc(128, GFP_KERNEL);
	printk_capture_stop();
	KTAP_EXPECT(t, p != NULL);
	KTAP_EXPECT(t, printk_capture_text()[0] == '\0');
	kfree(p);
}

static const struct ktap_case gfp_context_cases[] = {
	KTAP_CASE(interrupt_handler_may_use_gfp_atomic_not_gfp_kernel),
	KTAP_CASE(process_context_may_sleep),
};

KTAP_SUITE_DEFINE(gfp_context, gfp_context_cases);
