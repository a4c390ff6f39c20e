// SPDX-License-Identifier: MIT
/*
 * tests/e2e/ktap_parser.h - read the KTAP version 1 output of the test guest.
 *
 * The guest prints KUnit's layout (guests/kernel/ktap.h): suites at the top level, their cases
 * indented by four spaces under "# Subtest: <suite>". Every case result becomes a KtapResult
 * named "<suite>.<case>", with the diagnostic lines printed since the previous result (they
 * belong to it) and any console lines in between (kernel reports such as "BUG: ..."). A suite
 * whose case lines never finished (the guest died) gets a failed result "<suite>.<incomplete>".
 *
 * Counts as KUnit prints them: "# Totals: pass:P fail:F skip:S total:T" counts the cases of the
 * run; a suite whose cases were all skipped is "ok N <suite> # SKIP <reason>". The guest's
 * "# <suite>: expected reports: N" lines (kernel reports its negative tests announced with
 * "# expect: ...") are summed, and "# expect (on gmm's stderr): ..." lines are collected.
 */
#ifndef GMM_TESTS_E2E_KTAP_PARSER_H
#define GMM_TESTS_E2E_KTAP_PARSER_H

#include <string>
#include <vector>

namespace gmm_test {

enum class KtapStatus { kPass, kFail, kSkip };

struct KtapResult {
	std::string suite;
	std::string name; // the case name
	KtapStatus status;
	std::string directive; // text after "# SKIP", if any
	std::string diagnostics; // lines printed for this case, newline-separated
};

struct KtapCounts {
	int pass = 0, fail = 0, skip = 0, total = 0;
};

struct KtapRun {
	bool saw_version = false;
	int planned_suites = -1;
	bool saw_totals = false;
	KtapCounts totals; // from "# Totals:", if saw_totals
	std::vector<KtapResult> results;
	std::vector<std::string> suites_failed; // top-level "not ok" suites
	std::vector<std::string> suites_skipped;    // top-level "ok N <suite> # SKIP"
	int expected_reports = 0;		    // the sum of the suites' "expected reports: N"
	std::vector<std::string> host_expectations; // what gmm is expected to print on stderr
};

// The counts of @run's case results, to compare with run.totals.
KtapCounts CountResults(const KtapRun &run);

KtapRun ParseKtap(const std::string &console);

} // namespace gmm_test

#endif // GMM_TESTS_E2E_KTAP_PARSER_H
