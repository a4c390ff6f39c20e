// SPDX-License-Identifier: MIT
/*
 * tests/e2e/ktap_parser.h - read the KTAP version 1 output of the test guest.
 *
 * The guest prints KUnit's layout (guests/kernel/ktap.h): suites at the top level, their cases
 * indented by four spaces under "# Subtest: <suite>". Every case result becomes a KtapResult
 * named "<suite>.<case>", with the diagnostic lines printed since the previous result (they
 * belong to it) and any console lines in between (kernel reports such as "BUG: ..."). A suite
 * whose case lines never finished (the guest died) gets a failed result "<suite>.<incomplete>".
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

struct KtapRun {
	bool saw_version = false;
	int planned_suites = -1;
	bool saw_totals = false;
	std::vector<KtapResult> results;
	std::vector<std::string> suites_failed; // top-level "not ok" suites
};

KtapRun ParseKtap(const std::string &console);

} // namespace gmm_test

#endif // GMM_TESTS_E2E_KTAP_PARSER_H
