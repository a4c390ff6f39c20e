// SPDX-License-Identifier: MIT
/*
 * tests/e2e/gmm_smp_test.cc - the test guest on four vCPUs: per-CPU variables for real.
 *
 * Runs `gmm run --cpus 4 --mem 32M --cmdline ktap.suites=percpu,seed_claims
 * guests/selftest.elf`. gmm starts all four vCPUs at the kernel's entry; the kernel brings the
 * three secondaries online (guests/arch/x86/smp.c) and the suite "percpu" has each of them
 * write its own copies (SEED-CLAIMS row 32). Every KTAP case becomes a test (GmmSmp.<suite>.
 * <case>); the run itself is a test: four CPUs online, no percpu case skipped, verdict 0.
 * Without /dev/kvm everything is SKIPped with the reason.
 */
#include <gtest/gtest.h>

#include "tests/e2e/guest_runner.h"
#include "tests/e2e/ktap_parser.h"

namespace {

constexpr int kTimeoutSeconds = 120;

gmm_test::SuiteRun g;

TEST(GmmSmp, FourVcpusComeOnlineAndEveryPercpuCaseRuns)
{
	if (!g.skip.empty())
		GTEST_SKIP() << g.skip;
	ASSERT_TRUE(g.run.started) << g.run.error;
	ASSERT_FALSE(g.run.timed_out) << g.run.output;
	EXPECT_NE(g.run.output.find("smp: 4 CPU(s) online"), std::string::npos) << g.run.output;
	EXPECT_NE(g.run.output.find("each_cpu_has_its_own_copy: 4 CPU(s) wrote their own copy"),
		  std::string::npos)
		<< g.run.output;
	size_t percpu = 0;
	for (const gmm_test::KtapResult &r : g.ktap.results) {
		if (r.suite != "percpu")
			continue;
		percpu++;
		EXPECT_TRUE(r.directive.empty()) << r.name << " skipped: " << r.directive;
	}
	EXPECT_EQ(percpu, 8u);
	EXPECT_TRUE(g.ktap.saw_totals) << g.run.output;
	EXPECT_EQ(g.run.exit_status, 0) << g.run.output;
}

} // namespace

int main(int argc, char **argv)
{
	::testing::InitGoogleTest(&argc, argv);
	g = gmm_test::RunGmmSuites("GmmSmp",
				   { "vmm/gmm", "run", "--cpus", "4", "--mem", "32M", "--timeout", "90",
				      "--cmdline", "ktap.suites=percpu,seed_claims", "guests/selftest.elf" },
				   kTimeoutSeconds);
	return RUN_ALL_TESTS();
}
