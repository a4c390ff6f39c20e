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
			     "ok 2 beta\n# Totals: pass:2 fail:1 skip:1 total:4\n");
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
	EXPECT_TRUE(run.suites_skipped.empty());
	EXPECT_EQ(run.totals.pass, 2);
	EXPECT_EQ(run.totals.fail, 1);
	EXPECT_EQ(run.totals.skip, 1);
	EXPECT_EQ(run.totals.total, 4);
	auto counted = gmm_test::CountResults(run);
	EXPECT_EQ(counted.pass, 2);
	EXPECT_EQ(counted.fail, 1);
	EXPECT_EQ(counted.skip, 1);
	EXPECT_EQ(counted.total, 4);
}

// KUnit's layout: a suite whose cases were all skipped is "ok N suite # SKIP", and the totals
// count cases; the guest's count of announced kernel reports is summed over the suites.
TEST(KtapParser, AnAllSkippedSuiteIsSkippedAndTotalsCountCases)
{
	auto run = ParseKtap("KTAP version 1\n1..2\n"
			     "    KTAP version 1\n    # Subtest: dma_mask\n    1..1\n"
			     "    ok 1 gfp_dma_works # SKIP the mask is not 24 bits\n"
			     "# dma_mask: expected reports: 0\n"
			     "# dma_mask: pass:0 fail:0 skip:1 total:1\n"
			     "ok 1 dma_mask # SKIP the mask is not 24 bits\n"
			     "    KTAP version 1\n    # Subtest: page_alloc\n    1..2\n"
			     "    # expect: BUG: Bad page state\n"
			     "BUG: Bad page state: pfn:0x10 double free\n"
			     "    ok 1 mistakes_are_reported\n"
			     "    # expect (on gmm's stderr): gmm: dma: scatter-gather command refused\n"
			     "    ok 2 refused\n"
			     "# page_alloc: expected reports: 1\n"
			     "# page_alloc: pass:2 fail:0 skip:0 total:2\n"
			     "ok 2 page_alloc\n"
			     "# Totals: pass:2 fail:0 skip:1 total:3\n");
	EXPECT_TRUE(run.saw_totals);
	EXPECT_TRUE(run.suites_failed.empty());
	EXPECT_EQ(run.suites_skipped, std::vector<std::string>{ "dma_mask" });
	EXPECT_EQ(run.totals.skip, 1);
	EXPECT_EQ(run.totals.total, 3);
	EXPECT_EQ(run.expected_reports, 1);
	EXPECT_EQ(run.host_expectations,
		  std::vector<std::string>{ "gmm: dma: scatter-gather command refused" });
	ASSERT_EQ(run.results.size(), 3u);
	EXPECT_EQ(run.results[0].status, KtapStatus::kSkip);
	EXPECT_NE(run.results[1].diagnostics.find("# expect: BUG: Bad page state"),
		  std::string::npos);
}

TEST(KtapParser, AMalformedTotalsLineIsNotTotals)
{
	EXPECT_FALSE(ParseKtap("KTAP version 1\n1..0\n# Totals: 3 suites\n").saw_totals);
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
