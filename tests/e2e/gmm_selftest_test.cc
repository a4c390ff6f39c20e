// SPDX-License-Identifier: MIT
/*
 * tests/e2e/gmm_selftest_test.cc - the test guest under gmm: every KTAP case is a test.
 *
 * Runs `gmm run --cpus 2 --mem 32M --timeout 240 --buddyinfo guests/selftest.elf` (the
 * README's run command, with test-sized memory), reads the console from gmm's stdout, and registers one
 * GoogleTest test per KTAP case (Gmm.<suite>.<case>; a failure prints the guest's
 * diagnostics for that case). The run itself is a test: KTAP complete, gmm's exit status 0
 * (the guest's verdict), and the buddyinfo gmm read from guest RAM at the end present. The
 * "# Totals:" line must count the cases the parser saw (KUnit's totals), the negative tests'
 * kernel reports must have been announced and seen by the guest, and gmm's DMA refusals on
 * stderr must have been announced by a case.
 * Without /dev/kvm everything is SKIPped with the reason.
 */
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/e2e/guest_runner.h"
#include "tests/e2e/ktap_parser.h"

namespace {

constexpr int kTimeoutSeconds = 240;

gmm_test::SuiteRun g;

TEST(Gmm, BootsTheSelftestAndReportsAPassingVerdict)
{
	if (!g.skip.empty())
		GTEST_SKIP() << g.skip;
	ASSERT_TRUE(g.run.started) << g.run.error;
	ASSERT_FALSE(g.run.timed_out) << "gmm did not finish in " << kTimeoutSeconds
				      << " s; output:\n"
				      << g.run.output;
	EXPECT_TRUE(g.ktap.saw_version) << g.run.output;
	EXPECT_TRUE(g.ktap.saw_totals) << "no '# Totals' line\n" << g.run.output;
	EXPECT_GT(g.ktap.results.size(), 20u);
	EXPECT_NE(g.run.output.find("smp: 2 CPU(s) online"), std::string::npos) << g.run.output;
	EXPECT_NE(g.run.output.find("mm: adopted the page state gmm prepared"), std::string::npos)
		<< "the guest should adopt gmm's page state";
	EXPECT_NE(g.run.output.find("Node 0, zone      DMA"), std::string::npos)
		<< "--buddyinfo: gmm reads the buddy state from guest RAM";
	EXPECT_EQ(g.run.exit_status, 0) << g.run.output;
}

TEST(Gmm, TotalsCountTheCasesAndReportsAreExpected)
{
	if (!g.skip.empty())
		GTEST_SKIP() << g.skip;
	ASSERT_TRUE(g.ktap.saw_totals) << g.run.output;
	gmm_test::KtapCounts seen = gmm_test::CountResults(g.ktap);
	EXPECT_EQ(g.ktap.totals.pass, seen.pass);
	EXPECT_EQ(g.ktap.totals.fail, seen.fail);
	EXPECT_EQ(g.ktap.totals.skip, seen.skip);
	EXPECT_EQ(g.ktap.totals.total, seen.total);
	// without --dma-mask 24 the dma_mask suite's only case is skipped, so the suite is
	EXPECT_NE(std::find(g.ktap.suites_skipped.begin(), g.ktap.suites_skipped.end(), "dma_mask"),
		  g.ktap.suites_skipped.end());
	EXPECT_GE(g.ktap.expected_reports, 10) << "the negative tests provoke reports";
	if (g.run.output.find("gmm: dma: ") != std::string::npos) {
		EXPECT_FALSE(g.ktap.host_expectations.empty())
			<< "gmm refused DMA that no case announced";
	}
}

} // namespace

int main(int argc, char **argv)
{
	::testing::InitGoogleTest(&argc, argv);
	g = gmm_test::RunGmmSuites("Gmm",
				   { "vmm/gmm", "run", "--cpus", "2", "--mem", "32M", "--timeout", "240",
				      "--buddyinfo", "guests/selftest.elf" },
				   kTimeoutSeconds + 30);
	return RUN_ALL_TESTS();
}
