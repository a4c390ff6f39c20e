// SPDX-License-Identifier: MIT
/*
 * guests/tests/ktap_selfcheck_suite.c - the harness checks itself: cases that must FAIL.
 *
 * Runs only on request (`gmm run --cmdline ktap.suites=ktap_selfcheck`), never in the default
 * run. Each case breaks one rule of guests/kernel/ktap.h's report accounting, and
 * tests/e2e/boot_test.cc checks that KTAP prints each of them as "not ok", the suite as
 * "not ok" and the verdict as a failure: a BUG or WARNING nobody announced fails the case
 * that was running, and so does an announced report that never came. The one passing case
 * shows that an announced report that does come is fine.
 */
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"

static void an_unannounced_bug_fails_its_case(struct ktap_test *t)
{
	(void)t;
	printk("BUG: ktap_selfcheck: a report nobody announced\n");
}

static void an_unannounced_warning_fails_its_case(struct ktap_test *t)
{
	(void)t;
	printk("WARNING: ktap_selfcheck: a warning nobody announced\n");
}

static void an_announced_report_that_never_comes_fails(struct ktap_test *t)
{
	ktap_expect_report(t, "BUG: ktap_selfcheck: never printed");
}

static void an_announced_report_that_comes_passes(struct ktap_test *t)
{
	ktap_expect_report(t, "BUG: ktap_selfcheck: announced");
	printk("BUG: ktap_selfcheck: announced, and here it is\n");
}

static const struct ktap_case ktap_selfcheck_cases[] = {
	KTAP_CASE(an_unannounced_bug_fails_its_case),
	KTAP_CASE(an_unannounced_warning_fails_its_case),
	KTAP_CASE(an_announced_report_that_never_comes_fails),
	KTAP_CASE(an_announced_report_that_comes_passes),
};
KTAP_SUITE_ON_REQUEST(ktap_selfcheck, ktap_selfcheck_cases);
