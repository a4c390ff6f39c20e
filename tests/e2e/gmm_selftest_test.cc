// SPDX-License-Identifier: MIT
/*
 * tests/e2e/gmm_selftest_test.cc - the test guest under gmm: every KTAP case is a test.
 *
 * Runs `gmm run --cpus 2 --mem 32M --timeout 240 --buddyinfo guests/selftest.elf` (the
 * README's run command, with test-sized memory), reads the console from gmm's stdout, and registers one
 * GoogleTest test per KTAP case (Gmm.<suite>.<case>; a failure prints the guest's
 * diagnostics for that case). The run itself is a test: KTAP complete, gmm's exit status 0
 * (the guest's verdict), and the buddyinfo gmm read from guest RAM at the end present.
 * Without /dev/kvm everything is SKIPped with the reason.
 */
#include <gtest/gtest.h>

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
