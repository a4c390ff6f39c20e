// SPDX-License-Identifier: MIT
/*
 * tests/e2e/guest_runner.h - run a hypervisor on a guest image and collect its console.
 *
 * RunGuest() forks, execs argv with stdout and stderr into files under $TEST_TMPDIR, waits
 * up to a deadline (then kills the process group) and returns the exit status and the output.
 * RegisterKtapTests() turns every KTAP result of the console into its own GoogleTest test
 * "<prefix>.<suite>.<case>"; a failing one prints the guest's diagnostics for that case.
 * RunGmmSuites() does both for a gmm command line.
 */
#ifndef GMM_TESTS_E2E_GUEST_RUNNER_H
#define GMM_TESTS_E2E_GUEST_RUNNER_H

#include <string>
#include <vector>

#include "tests/e2e/ktap_parser.h"

namespace gmm_test {

struct GuestRun {
	bool started = false;  // exec succeeded
	bool timed_out = false;
	int exit_status = -1;  // WEXITSTATUS, or 128 + signal
	std::string output;    // stdout then stderr of the hypervisor
	std::string error;     // why it could not start
};

GuestRun RunGuest(const std::vector<std::string> &argv, int timeout_seconds,
		  const std::string &console_file);

// Why KVM cannot be used here (gmm_shim_kvm_usable(), the one check), or "" if it can.
std::string KvmUnavailableReason();

// Register one GoogleTest test per KTAP result; returns how many.
int RegisterKtapTests(const std::string &prefix, const KtapRun &run);

// One gmm run of the test guest whose KTAP cases are tests.
struct SuiteRun {
	GuestRun run;
	KtapRun ktap;
	std::string skip; // why KVM cannot be used; then nothing ran
};

// From main(), before RUN_ALL_TESTS(): run @argv (a gmm command line) unless KVM is unusable,
// parse its console and register its cases as "<prefix>.<suite>.<case>".
SuiteRun RunGmmSuites(const std::string &prefix, const std::vector<std::string> &argv,
		      int timeout_seconds);

std::string ReadFile(const std::string &path);

} // namespace gmm_test

#endif // GMM_TESTS_E2E_GUEST_RUNNER_H
