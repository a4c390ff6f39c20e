/* SPDX-License-Identifier: MIT */
/*
 * guests/kernel/ktap.h - test suites that report in KTAP version 1 (KUnit's layout).
 *
 * A suite is a named array of cases; KTAP_SUITE_DEFINE(name, cases) defines it and puts a
 * pointer to it in the .ktap_suites section, so every linked suite runs, in link order. Output,
 * as Linux's KUnit prints it:
 *
 *   KTAP version 1
 *   1..<suites>
 *       KTAP version 1
 *       # Subtest: <suite>
 *       1..<cases>
 *       # <case>: EXPECTATION FAILED at <file>:<line>     (diagnostics of the next result)
 *       not ok 1 <case>
 *       # expect: BUG: Bad page state                     (a report the case provokes)
 *       ok 2 <case>
 *       ok 3 <case> # SKIP <reason>
 *   # <suite>: expected reports: N
 *   # <suite>: pass:N fail:N skip:N total:N
 *   ok 1 <suite>                                (ok 1 <suite> # SKIP <reason>: every case skipped)
 *   # Totals: pass:N fail:N skip:N total:N      (cases of the whole run)
 *
 * Diagnostics a case prints belong to that case: they come before its result line. A suite
 * passes when none of its cases failed; the run passes when every suite passed.
 *
 * Kernel reports: the console lines that start like a kernel report ("BUG: ", "WARNING: ",
 * "vmalloc error: ", ...; ktap.c has the list) are counted while a case runs. A negative test
 * announces each report it provokes with ktap_expect_report() before provoking it; a report
 * nobody announced fails the running case, and so does an announced report that never came.
 * Reports gmm prints on its own stderr (a refused DMA command) cannot be seen from here; a
 * case announces them with ktap_expect_host_report(), a diagnostic line only.
 */
#ifndef GMM_GUESTS_KERNEL_KTAP_H
#define GMM_GUESTS_KERNEL_KTAP_H

#include <stdbool.h>
#include <stddef.h>

enum ktap_status {
	KTAP_PASS,
	KTAP_FAIL,
	KTAP_SKIP,
};

struct ktap_test {
	const char *name;
	enum ktap_status status;
	char skip_reason[120];
};

struct ktap_case {
	const char *name;
	void (*run)(struct ktap_test *t);
};

struct ktap_suite {
	const char *name;
	const struct ktap_case *cases;
	unsigned int nr_cases;
	bool on_request; /* run only when ktap.suites= names it (KTAP_SUITE_ON_REQUEST) */
};

#define KTAP_CASE(fn) { #fn, fn }

#define KTAP_SUITE(var)                                                                      \
	static const struct ktap_suite *const ktap_suite_ptr_##var                            \
		__attribute__((used, section(".ktap_suites"))) = &(var)

/* Define the suite @sname from the array @case_array and link it in. */
#define KTAP_SUITE_DEFINE(sname, case_array)                                                 \
	static const struct ktap_suite sname##_suite = {                                      \
		.name = #sname,                                                               \
		.cases = (case_array),                                                        \
		.nr_cases = sizeof(case_array) / sizeof((case_array)[0]),                     \
	};                                                                                    \
	KTAP_SUITE(sname##_suite)

/*
 * A suite that runs only when the command line names it ("ktap.suites=name"), never in the
 * default run: for suites whose cases are meant to fail (ktap_selfcheck checks the harness).
 */
#define KTAP_SUITE_ON_REQUEST(sname, case_array)                                             \
	static const struct ktap_suite sname##_suite = {                                      \
		.name = #sname,                                                               \
		.cases = (case_array),                                                        \
		.nr_cases = sizeof(case_array) / sizeof((case_array)[0]),                     \
		.on_request = true,                                                           \
	};                                                                                    \
	KTAP_SUITE(sname##_suite)

/* Record a failure unless @cond; returns @cond. */
bool ktap_expect(struct ktap_test *t, bool cond, const char *what, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#define KTAP_EXPECT(t, cond) ktap_expect((t), (cond), #cond, __FILE__, __LINE__, NULL)
#define KTAP_EXPECT_MSG(t, cond, ...) ktap_expect((t), (cond), #cond, __FILE__, __LINE__, __VA_ARGS__)
/* Like KTAP_EXPECT, and leave the case when it failed. */
#define KTAP_ASSERT(t, cond)                                                                 \
	do {                                                                                 \
		if (!KTAP_EXPECT(t, cond))                                                   \
			return;                                                              \
	} while (0)

/* Mark the case skipped (with a reason); a later failure still fails it. */
void ktap_skip(struct ktap_test *t, const char *reason);

/* A diagnostic line for the running case ("    # ..."). */
void ktap_diag(struct ktap_test *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Announce that what follows in this case provokes kernel reports whose line starts with
 * @prefix (at least one; a loop may provoke several). Prints "    # expect: <prefix>".
 */
void ktap_expect_report(struct ktap_test *t, const char *prefix);

/* Announce that gmm will print @text on its stderr for what follows (nothing is checked). */
void ktap_expect_host_report(struct ktap_test *t, const char *text);

/* printk.c calls this with every console line it prints (@len bytes, no newline). */
void ktap_console_line(const char *line, size_t len);

/* Run every linked suite whose name matches @filter (NULL or "" for all). Return: true if all passed. */
bool ktap_run_all(const char *filter);

#endif /* GMM_GUESTS_KERNEL_KTAP_H */
