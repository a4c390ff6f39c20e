// SPDX-License-Identifier: MIT
/*
 * tests/e2e/qemu_pvh_test.cc - the test guest's PVH entry, proven under QEMU.
 *
 * Boots bazel-bin/guests/selftest.elf with `qemu-system-x86_64 -accel kvm -machine microvm`
 * (PVH boot: QEMU enters the guest's 32-bit pvh_start), reads the KTAP output from the serial
 * console, and makes every KTAP case its own GoogleTest test (QemuPvh.<suite>.<case>). The
 * run itself is a test too: KTAP complete, and QEMU's exit status from isa-debug-exit is
 * (verdict << 1) | 1 = 1 for a passing guest. Without /dev/kvm everything is SKIPped with
 * the reason.
 */
#include <gtest/gtest.h>

#include "tests/e2e/guest_runner.h"
#include "tests/e2e/ktap_parser.h"

namespace {

constexpr int kTimeoutSeconds = 240;
const char *const kImage = "guests/selftest.elf";

gmm_test::GuestRun g_run;
gmm_test::KtapRun g_ktap;
std::string g_skip;
std::string g_console;

TEST(QemuPvh, BootsAndReportsAPassingVerdict)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	ASSERT_TRUE(g_run.started) << g_run.error;
	ASSERT_FALSE(g_run.timed_out) << "QEMU did not finish in " << kTimeoutSeconds
				      << " s; console:\n"
				      << g_console;
	EXPECT_TRUE(g_ktap.saw_version) << g_console;
	EXPECT_TRUE(g_ktap.saw_totals) << "no '# Totals' line: the run did not finish\n"
				       << g_console;
	EXPECT_GT(g_ktap.results.size(), 0u);
	EXPECT_EQ(g_run.exit_status, 1) << "isa-debug-exit status (verdict << 1) | 1; QEMU said:\n"
					<< g_run.output << "\nconsole:\n"
					<< g_console;
}

} // namespace

int main(int argc, char **argv)
{
	::testing::InitGoogleTest(&argc, argv);
	g_skip = gmm_test::KvmUnavailableReason();
	if (g_skip.empty()) {
		std::string tmp = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
		std::string console = tmp + "/console.txt";
		g_run = gmm_test::RunGuest({ "qemu-system-x86_64", "-accel", "kvm", "-machine",
					     "microvm", "-nodefaults", "-no-user-config",
					     "-nographic", "-m", "32M", "-serial",
					     "file:" + console, "-device",
					     "isa-debug-exit,iobase=0xf4,iosize=4", "-kernel",
					     kImage },
					   kTimeoutSeconds, console);
		g_console = gmm_test::ReadFile(console);
		g_ktap = gmm_test::ParseKtap(g_console);
		gmm_test::RegisterKtapTests("QemuPvh", g_ktap);
	}
	return RUN_ALL_TESTS();
}
