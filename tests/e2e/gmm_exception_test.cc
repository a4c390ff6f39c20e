// SPDX-License-Identifier: MIT
/*
 * tests/e2e/gmm_exception_test.cc - an exception in the test guest is reported and fails the run.
 *
 * Boots guests/selftest.elf under gmm with "crashtest=pagefault": the kernel writes to an
 * unmapped vmalloc address before any suite runs. Its IDT handler must print vector, error
 * code, RIP, CR2 and a backtrace, say "Bail out!", and end the run with verdict 2 (panic),
 * which gmm returns as its exit status.
 */
#include <gtest/gtest.h>

#include "tests/e2e/guest_runner.h"

namespace {

TEST(GmmGuestException, PageFaultIsReportedAndFailsTheRun)
{
	std::string why = gmm_test::KvmUnavailableReason();
	if (!why.empty())
		GTEST_SKIP() << why;
	gmm_test::GuestRun run = gmm_test::RunGuest(
		{ "vmm/gmm", "run", "--mem", "32M", "--timeout", "60", "--cmdline",
		  "crashtest=pagefault", "guests/selftest.elf" },
		90, "");
	ASSERT_TRUE(run.started) << run.error;
	ASSERT_FALSE(run.timed_out) << run.output;
	EXPECT_EQ(run.exit_status, 2) << run.output;
	for (const char *want : { "EXCEPTION: vector 14 (page fault), error code 0x2",
				  "CR2: 0xffffc91000000000", "RIP: 0xffffffff8", "Call Trace:",
				  "Bail out! unexpected exception 14" })
		EXPECT_NE(run.output.find(want), std::string::npos) << want << "\n" << run.output;
	EXPECT_EQ(run.output.find("KTAP version 1"), std::string::npos) << "no suite may run";
}

} // namespace
