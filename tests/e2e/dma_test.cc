// SPDX-License-Identifier: MIT
/*
 * tests/e2e/dma_test.cc - the DMA suites of the test guest under gmm (normal, strict, 24-bit
 * mask) and the stock-edu suite under QEMU's edu device.
 *
 * Each run boots bazel-bin/guests/selftest.elf with the suites it needs and makes every KTAP
 * case a GoogleTest test (Gmm.<suite>.<case>, GmmStrict..., GmmMask24..., QemuEdu...); the
 * run itself is checked for its verdict and, in strict mode, for gmm's log naming both blocks.
 * Without /dev/kvm everything is SKIPped with the reason.
 */
#include <gtest/gtest.h>

#include "tests/e2e/guest_runner.h"
#include "tests/e2e/ktap_parser.h"

namespace {

constexpr int kTimeoutSeconds = 120;
const char *const kImage = "guests/selftest.elf";
const char *const kGmm = "vmm/gmm";

struct Config {
	const char *prefix;
	std::vector<std::string> argv;
	int pass_status; // gmm: verdict 0; QEMU isa-debug-exit: (0 << 1) | 1
	gmm_test::GuestRun run;
	gmm_test::KtapRun ktap;
	std::string console;
};

std::string g_skip;
std::vector<Config> g_configs;

std::vector<std::string> GmmArgs(std::vector<std::string> extra, const std::string &suites)
{
	std::vector<std::string> a = { kGmm, "run", "--mem", "32M", "--timeout", "100", "--stats",
				       "--cmdline", "ktap.suites=" + suites };
	a.insert(a.begin() + 2, extra.begin(), extra.end());
	a.push_back(kImage);
	return a;
}

const Config *Find(const std::string &prefix)
{
	for (const Config &c : g_configs)
		if (c.prefix == prefix)
			return &c;
	return nullptr;
}

void ExpectPassingRun(const Config &c)
{
	ASSERT_TRUE(c.run.started) << c.run.error;
	ASSERT_FALSE(c.run.timed_out) << c.prefix << " did not finish; output:\n" << c.run.output;
	EXPECT_TRUE(c.ktap.saw_totals) << c.console;
	EXPECT_EQ(c.run.exit_status, c.pass_status) << c.run.output << "\nconsole:\n" << c.console;
}

TEST(DmaRuns, GmmNormalPasses)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	ExpectPassingRun(*Find("Gmm"));
}

TEST(DmaRuns, GmmStrictPassesAndLogsBothBlocks)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	const Config &c = *Find("GmmStrict");
	ExpectPassingRun(c);
	EXPECT_NE(c.run.output.find("strict: ["), std::string::npos) << c.run.output;
	EXPECT_NE(c.run.output.find("runs from allocated block"), std::string::npos);
	EXPECT_NE(c.run.output.find(") into "), std::string::npos) << "the second block is named";
	EXPECT_NE(c.run.output.find("strict_refusals=1"), std::string::npos) << c.run.output;
}

TEST(DmaRuns, GmmMask24Passes)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	const Config &c = *Find("GmmMask24");
	ExpectPassingRun(c);
	EXPECT_EQ(c.console.find("# SKIP"), std::string::npos) << "the 24-bit case must run";
}

TEST(DmaRuns, QemuEduPasses)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	ExpectPassingRun(*Find("QemuEdu"));
}

} // namespace

int main(int argc, char **argv)
{
	::testing::InitGoogleTest(&argc, argv);
	g_skip = gmm_test::KvmUnavailableReason();
	std::string tmp = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
	std::string qemu_console = tmp + "/qemu_edu_console.txt";
	g_configs = {
		{ "Gmm", GmmArgs({}, "dma_edu,dma_contiguity,seed_claims"), 0, {}, {}, {} },
		{ "GmmStrict", GmmArgs({ "--dma-strict" }, "dma_edu,dma_contiguity"), 0, {}, {}, {} },
		{ "GmmMask24", GmmArgs({ "--dma-mask", "24" }, "dma_mask"), 0, {}, {}, {} },
		// q35: configuration mechanism #1 and firmware that places BARs; QEMU 7.2's edu
		{ "QemuEdu",
		  { "qemu-system-x86_64", "-accel", "kvm", "-machine", "q35", "-nodefaults",
		    "-no-user-config", "-nographic", "-m", "32M", "-serial", "file:" + qemu_console,
		    "-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-device",
		    "edu,dma_mask=0xfffffff", "-kernel", kImage, "-append", "ktap.suites=dma_edu" },
		  1, {}, {}, {} },
	};
	if (g_skip.empty()) {
		for (Config &c : g_configs) {
			bool qemu = c.argv[0] != kGmm;
			c.run = gmm_test::RunGuest(c.argv, kTimeoutSeconds, qemu ? qemu_console : "");
			c.console = qemu ? gmm_test::ReadFile(qemu_console) : c.run.output;
			c.ktap = gmm_test::ParseKtap(c.console);
			gmm_test::RegisterKtapTests(c.prefix, c.ktap);
		}
	}
	return RUN_ALL_TESTS();
}
