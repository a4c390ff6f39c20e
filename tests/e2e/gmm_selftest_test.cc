// SPDX-License-Identifier: MIT
/*
 * tests/e2e/gmm_selftest_test.cc - the test guest under gmm: every KTAP case is a test.
 *
 * Runs `gmm run --mem 32M --timeout 240 --buddyinfo guests/selftest.elf` (the README's run
 * command, with test-sized memory), reads the console from gmm's stdout, and registers one
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

gmm_test::GuestRun g_run;
gmm_test::KtapRun g_ktap;
std::string g_skip;

TEST(Gmm, BootsTheSelftestAndReportsAPassingVerdict)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	ASSERT_TRUE(g_run.started) << g_run.error;
	ASSERT_FALSE(g_run.timed_out) << "gmm did not finish in " << kTimeoutSeconds
				      << " s; output:\n"
				      << g_run.output;
	EXPECT_TRUE(g_ktap.saw_version) << g_run.output;
	EXPECT_TRUE(g_ktap.saw_totals) << "no '# Totals' line\n" << g_run.output;
	EXPECT_GT(g_ktap.results.size(), 20u);
	EXPECT_NE(g_run.output.find("mm: adopted the page state gmm prepared"), std::string::npos)
		<< "the guest should adopt gmm's page state";
	EXPECT_NE(g_run.output.find("Node 0, zone      DMA"), std::string::npos)
		<< "--buddyinfo: gmm reads the buddy state from guest RAM";
	EXPECT_EQ(g_run.exit_status, 0) << g_run.output;
}

} // namespace

int main(int argc, char **argv)
{
	::testing::InitGoogleTest(&argc, argv);
	g_skip = gmm_test::KvmUnavailableReason();
	if (g_skip.empty()) {
		g_run = gmm_test::RunGuest({ "vmm/gmm", "run", "--mem", "32M", "--timeout", "240",
					     "--buddyinfo", "guests/selftest.elf" },
					   kTimeoutSeconds + 30, "");
		g_ktap = gmm_test::ParseKtap(g_run.output);
		gmm_test::RegisterKtapTests("Gmm", g_ktap);
	}
	return RUN_ALL_TESTS();
}
