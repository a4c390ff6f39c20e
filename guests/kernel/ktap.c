// SPDX-License-Identifier: MIT
/*
 * guests/kernel/ktap.c - the KTAP version 1 reporter (format in ktap.h).
 */
#include "guests/kernel/ktap.h"

#include "guests/kernel/kernel.h"

#define INDENT "    "

extern const struct ktap_suite *const __ktap_suites_start[];
extern const struct ktap_suite *const __ktap_suites_end[];

bool ktap_expect(struct ktap_test *t, bool cond, const char *what, const char *file, int line,
		 const char *fmt, ...)
{
	char msg[256] = "";
	va_list ap;

	if (cond)
		return true;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	printk(INDENT "# %s: EXPECTATION FAILED at %s:%d: %s%s%s\n", t->name, file, line, what,
	       fmt ? ": " : "", msg);
	t->status = KTAP_FAIL;
	return false;
}

void ktap_skip(struct ktap_test *t, const char *reason)
{
	if (t->status == KTAP_PASS)
		t->status = KTAP_SKIP;
	snprintf(t->skip_reason, sizeof(t->skip_reason), "%s", reason);
}

void ktap_diag(struct ktap_test *t, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(INDENT "# %s: %s\n", t->name, msg);
}

static bool run_suite(const struct ktap_suite *s, unsigned int index)
{
	unsigned int i, pass = 0, fail = 0, skip = 0;

	printk(INDENT "KTAP version 1\n" INDENT "# Subtest: %s\n" INDENT "1..%u\n", s->name,
	       s->nr_cases);
	for (i = 0; i < s->nr_cases; i++) {
		struct ktap_test t = { s->cases[i].name, KTAP_PASS, "" };

		s->cases[i].run(&t);
		if (t.status == KTAP_FAIL) {
			fail++;
			printk(INDENT "not ok %u %s\n", i + 1, t.name);
		} else if (t.status == KTAP_SKIP) {
			skip++;
			printk(INDENT "ok %u %s # SKIP %s\n", i + 1, t.name, t.skip_reason);
		} else {
			pass++;
			printk(INDENT "ok %u %s\n", i + 1, t.name);
		}
	}
	printk("# %s: pass:%u fail:%u skip:%u total:%u\n", s->name, pass, fail, skip,
	       s->nr_cases);
	printk("%s %u %s\n", fail ? "not ok" : "ok", index, s->name);
	return fail == 0;
}

static bool matches(const char *name, const char *filter)
{
	size_t n;

	if (!filter || !*filter)
		return true;
	/* a comma-separated list of suite names */
	while (*filter) {
		n = 0;
		while (filter[n] && filter[n] != ',')
			n++;
		if (n == strlen(name) && !strncmp(name, filter, n))
			return true;
		filter += n;
		if (*filter == ',')
			filter++;
	}
	return false;
}

bool ktap_run_all(const char *filter)
{
	const struct ktap_suite *const *s;
	unsigned int n = 0, i = 0, pass = 0, fail = 0;

	for (s = __ktap_suites_start; s < __ktap_suites_end; s++)
		n += matches((*s)->name, filter);
	printk("KTAP version 1\n1..%u\n", n);
	for (s = __ktap_suites_start; s < __ktap_suites_end; s++) {
		if (!matches((*s)->name, filter))
			continue;
		if (run_suite(*s, ++i))
			pass++;
		else
			fail++;
	}
	printk("# Totals: pass:%u fail:%u skip:0 total:%u\n", pass, fail, n);
	return fail == 0 && n > 0;
}
