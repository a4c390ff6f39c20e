// SPDX-License-Identifier: MIT
// tests/e2e/ktap_parser_test.cc - the KTAP reader on hand-written consoles.
#include <gtest/gtest.h>

#include "tests/e2e/ktap_parser.h"

using gmm_test::KtapStatus;
using gmm_test::ParseKtap;

TEST(KtapParser, ReadsNestedSuitesResultsSkipsAndDiagnostics)
{
	auto run = ParseKtap("boot noise\n"
			     "KTAP version 1\n1..2\n"
			     "    KTAP version 1\n    # Subtest: alpha\n    1..3\n"
			     "    ok 1 first\n"
			     "BUG: something the kernel printed\n"
			     "    # second: EXPECTATION FAILED at a.c:3: x == 1\n"
			     "    not ok 2 second\n"
			     "    ok 3 third # SKIP needs the DMA device\n"
			     "# alpha: pass:1 fail:1 skip:1 total:3\nnot ok 1 alpha\n"
			     "    KTAP version 1\n    # Subtest: beta\n    1..1\n    ok 1 only\n"
			     "ok 2 beta\n# Totals: pass:1 fail:1 skip:0 total:2\n");
	EXPECT_TRUE(run.saw_version);
	EXPECT_TRUE(run.saw_totals);
	EXPECT_EQ(run.planned_suites, 2);
	ASSERT_EQ(run.results.size(), 4u);
	EXPECT_EQ(run.results[0].suite, "alpha");
	EXPECT_EQ(run.results[0].status, KtapStatus::kPass);
	EXPECT_EQ(run.results[1].name, "second");
	EXPECT_EQ(run.results[1].status, KtapStatus::kFail);
	EXPECT_NE(run.results[1].diagnostics.find("BUG: something"), std::string::npos);
	EXPECT_NE(run.results[1].diagnostics.find("EXPECTATION FAILED"), std::string::npos);
	EXPECT_EQ(run.results[2].status, KtapStatus::kSkip);
	EXPECT_EQ(run.results[2].directive, "needs the DMA device");
	EXPECT_EQ(run.results[3].suite, "beta");
	EXPECT_EQ(run.suites_failed, std::vector<std::string>{ "alpha" });
}

TEST(KtapParser, AGuestThatDiesInsideASuiteFailsIt)
{
	auto run = ParseKtap("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: gamma\n"
			     "    1..5\n    ok 1 a\nEXCEPTION: vector 14 (page fault)\n");
	EXPECT_FALSE(run.saw_totals);
	ASSERT_EQ(run.results.size(), 2u);
	EXPECT_EQ(run.results[1].name, "<incomplete>");
	EXPECT_EQ(run.results[1].status, KtapStatus::kFail);
	EXPECT_NE(run.results[1].diagnostics.find("EXCEPTION"), std::string::npos);
}

TEST(KtapParser, EmptyConsoleHasNoResults)
{
	auto run = ParseKtap("");
	EXPECT_FALSE(run.saw_version);
	EXPECT_TRUE(run.results.empty());
}
