// SPDX-License-Identifier: MIT
/*
 * guests/kernel/ktap.c - the KTAP version 1 reporter (format in ktap.h), and the check that
 * every kernel report printed while a case runs was announced by that case.
 *
 * While a case runs, `expecting` holds the report prefixes it announced (string literals) and
 * how often each was seen; printk hands every console line to ktap_console_line(), which counts
 * a line that starts like a kernel report against the first announced prefix it starts with,
 * or as unexpected. Reports outside a case (boot, between suites) are not counted. The count
 * is updated with interrupts off (printk) and read after the case returned.
 */
#include "guests/kernel/ktap.h"

#include "guests/kernel/kernel.h"

#define INDENT "    "
#define MAX_EXPECTED 8

/* How kernel reports start (mm/ and the guest kernel); a slab report is "BUG <cache>: ". */
static const char *const report_kinds[] = {
	"BUG: ",
	"BUG ",
	"WARNING: ",
	"page allocation failure: ",
	"vmalloc error: ",
	"vmalloc: ",
	"SLUB: ",
	"kmem_cache_create(",
	"kmem_cache_destroy ",
	"percpu: ",
	"preempt_enable: ",
	"ioremap",
};

static struct {
	bool running; /* a case runs: count its reports */
	unsigned int nr;
	const char *prefix[MAX_EXPECTED];
	unsigned int seen[MAX_EXPECTED];
	unsigned int unexpected;
	char first_unexpected[160];
} expecting;

static bool starts_with(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !strncmp(line, prefix, n);
}

void ktap_console_line(const char *line, size_t len)
{
	unsigned int i;
	size_t n;

	if (!expecting.running)
		return;
	for (i = 0; i < ARRAY_SIZE(report_kinds); i++)
		if (starts_with(line, len, report_kinds[i]))
			break;
	if (i == ARRAY_SIZE(report_kinds))
		return;
	for (i = 0; i < expecting.nr; i++) {
		if (starts_with(line, len, expecting.prefix[i])) {
			expecting.seen[i]++;
			return;
		}
	}
	if (!expecting.unexpected++) {
		n = len < sizeof(expecting.first_unexpected) - 1 ?
			    len :
			    sizeof(expecting.first_unexpected) - 1;
		memcpy(expecting.first_unexpected, line, n);
		expecting.first_unexpected[n] = '\0';
	}
}

void ktap_expect_report(struct ktap_test *t, const char *prefix)
{
	printk(INDENT "# expect: %s\n", prefix);
	if (expecting.nr == MAX_EXPECTED) {
		ktap_expect(t, false, "expecting.nr < MAX_EXPECTED", __FILE__, __LINE__,
			    "more than %d kinds of report announced", MAX_EXPECTED);
		return;
	}
	expecting.seen[expecting.nr] = 0;
	expecting.prefix[expecting.nr++] = prefix;
}

void ktap_expect_host_report(struct ktap_test *t, const char *text)
{
	(void)t;
	printk(INDENT "# expect (on gmm's stderr): %s\n", text);
}

/* Run one case with its reports counted; returns how many announced reports it saw. */
static unsigned int run_case(const struct ktap_case *c, struct ktap_test *t)
{
	unsigned int i, seen = 0;

	expecting.nr = 0;
	expecting.unexpected = 0;
	expecting.running = true;
	c->run(t);
	expecting.running = false;
	for (i = 0; i < expecting.nr; i++) {
		seen += expecting.seen[i];
		if (!expecting.seen[i])
			ktap_expect(t, false, "announced report", __FILE__, __LINE__,
				    "never printed: %s", expecting.prefix[i]);
	}
	if (expecting.unexpected)
		ktap_expect(t, false, "no unannounced report", __FILE__, __LINE__,
			    "%u unexpected kernel report(s), the first: %s", expecting.unexpected,
			    expecting.first_unexpected);
	return seen;
}

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

struct ktap_totals {
	unsigned int pass, fail, skip, total;
};

static bool run_suite(const struct ktap_suite *s, unsigned int index, struct ktap_totals *run)
{
	unsigned int i, pass = 0, fail = 0, skip = 0, reports = 0;
	char skip_reason[sizeof(((struct ktap_test *)0)->skip_reason)] = "";

	printk(INDENT "KTAP version 1\n" INDENT "# Subtest: %s\n" INDENT "1..%u\n", s->name,
	       s->nr_cases);
	for (i = 0; i < s->nr_cases; i++) {
		struct ktap_test t = { s->cases[i].name, KTAP_PASS, "" };

		reports += run_case(&s->cases[i], &t);
		if (t.status == KTAP_FAIL) {
			fail++;
			printk(INDENT "not ok %u %s\n", i + 1, t.name);
		} else if (t.status == KTAP_SKIP) {
			if (!skip++)
				memcpy(skip_reason, t.skip_reason, sizeof(skip_reason));
			printk(INDENT "ok %u %s # SKIP %s\n", i + 1, t.name, t.skip_reason);
		} else {
			pass++;
			printk(INDENT "ok %u %s\n", i + 1, t.name);
		}
	}
	printk("# %s: expected reports: %u\n", s->name, reports);
	printk("# %s: pass:%u fail:%u skip:%u total:%u\n", s->name, pass, fail, skip,
	       s->nr_cases);
	/* KUnit: a suite is skipped when all its cases were; it passes when none failed */
	if (s->nr_cases && skip == s->nr_cases)
		printk("ok %u %s # SKIP %s\n", index, s->name, skip_reason);
	else
		printk("%s %u %s\n", fail ? "not ok" : "ok", index, s->name);
	run->pass += pass;
	run->fail += fail;
	run->skip += skip;
	run->total += s->nr_cases;
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

/* Does this run include @s? Everything but on-request suites, or what @filter names. */
static bool selected(const struct ktap_suite *s, const char *filter)
{
	if (s->on_request && (!filter || !*filter))
		return false;
	return matches(s->name, filter);
}

bool ktap_run_all(const char *filter)
{
	const struct ktap_suite *const *s;
	struct ktap_totals run = { 0 };
	unsigned int n = 0, i = 0, failed_suites = 0;

	for (s = __ktap_suites_start; s < __ktap_suites_end; s++)
		n += selected(*s, filter);
	printk("KTAP version 1\n1..%u\n", n);
	for (s = __ktap_suites_start; s < __ktap_suites_end; s++) {
		if (!selected(*s, filter))
			continue;
		if (!run_suite(*s, ++i, &run))
			failed_suites++;
	}
	printk("# Totals: pass:%u fail:%u skip:%u total:%u\n", run.pass, run.fail, run.skip,
	       run.total);
	return failed_suites == 0 && n > 0;
}
