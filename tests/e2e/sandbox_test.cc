// SPDX-License-Identifier: MIT
// tests/e2e/sandbox_test.cc - the gmm program's sandbox end to end: by default, once the guest
// runs, every gmm thread is under the seccomp filter without new privileges (the vCPU threads
// under the vCPU filter too) and guest RAM is left out of core dumps; --no-seccomp and
// --dump-guest-memory undo each. That guests still run normally under the filter is what
// every other e2e test shows (the filter is on by default); the forbidden calls themselves are
// tests/vmm/seccomp_test.cc.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/fd_text.h"
#include "tests/proc_status.h"
#include "tests/shim/gmm_shim.h"

namespace
{

const std::string kFiltered = "NoNewPrivs:\t1 Seccomp:\t2 Seccomp_filters:\t1";
const std::string kVcpuFiltered = "NoNewPrivs:\t1 Seccomp:\t2 Seccomp_filters:\t2";
const std::string kFree = "NoNewPrivs:\t0 Seccomp:\t0 Seccomp_filters:\t0";

struct Running {
	std::vector<std::string> threads; // TaskSandboxStates() of gmm's own threads
	std::string ram_vmflags;	  // VmFlags of the guest-RAM mapping ("dd": not dumped)
	int status = -1;		  // gmm's exit status once stopped (SIGKILL: -1)
};

// The VmFlags line of the first mapping of guest RAM (the memfd "gmm-guest-ram") of @pid
std::string GuestRamVmFlags(pid_t pid)
{
	std::ifstream f("/proc/" + std::to_string(pid) + "/smaps");
	std::string line;
	bool in_ram = false;

	while (std::getline(f, line)) {
		if (line.find("gmm-guest-ram") != std::string::npos)
			in_ram = true;
		else if (in_ram && line.rfind("VmFlags:", 0) == 0)
			return line;
	}
	return "";
}

// Runs gmm on loop.elf with two vCPUs and @options; once the guest has printed (set-up is over)
// and @threads_wanted is what its threads show (or 2 s have passed), looks at it and stops it.
Running LookAtRunningGmm(const std::vector<std::string> &options,
			 const std::vector<std::string> &threads_wanted)
{
	Running r;
	int out = memfd_create("stdout", 0);
	std::vector<std::string> args = { "vmm/gmm", "run", "--cpus", "2", "--timeout", "30" };
	args.insert(args.end(), options.begin(), options.end());
	args.push_back("tests/e2e/guests/loop.elf");
	std::vector<char *> argv;
	for (auto &a : args)
		argv.push_back(const_cast<char *>(a.c_str()));
	argv.push_back(nullptr);

	pid_t pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		execv("vmm/gmm", argv.data());
		_exit(127);
	}
	for (int tries = 0; tries < 1000; tries++) {
		// any byte on the console: a vCPU runs, so set-up is over (both vCPUs print the
		// message a byte per exit on COM1, so the two copies may interleave)
		if (!FdText(out).empty()) {
			r.threads = TaskSandboxStates(pid, "kvm-");
			if (r.threads == threads_wanted || tries > 400)
				break;
		}
		usleep(5000);
	}
	r.ram_vmflags = GuestRamVmFlags(pid);
	kill(pid, SIGKILL);
	int ws = 0;
	waitpid(pid, &ws, 0);
	r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	close(out);
	return r;
}

bool HasFlag(const std::string &vmflags, const std::string &flag)
{
	return (vmflags + " ").find(" " + flag + " ") != std::string::npos;
}

class Sandbox : public ::testing::Test {
    protected:
	void SetUp() override
	{
		char why[256];

		if (!gmm_shim_kvm_usable(why, sizeof(why)))
			GTEST_SKIP() << "KVM not usable here: " << why;
	}
};

TEST_F(Sandbox, IsOnByDefaultForEveryThreadAndNarrowerForVcpuThreads)
{
	const std::vector<std::string> wanted = { kFiltered, kVcpuFiltered };
	Running r = LookAtRunningGmm({}, wanted);
	EXPECT_EQ(r.threads, wanted)
		<< "the main thread (vCPU 0): the process filter; vCPU 1's thread: both";
	EXPECT_TRUE(HasFlag(r.ram_vmflags, "dd"))
		<< "guest RAM not in core dumps: " << r.ram_vmflags;
	EXPECT_EQ(r.status, -1) << "still running when it was stopped";
}

TEST_F(Sandbox, NoSeccompRunsWithoutTheFilter)
{
	const std::vector<std::string> wanted = { kFree, kFree };
	Running r = LookAtRunningGmm({ "--no-seccomp" }, wanted);
	EXPECT_EQ(r.threads, wanted);
	EXPECT_TRUE(HasFlag(r.ram_vmflags, "dd")) << "still no guest RAM in core dumps";
}

TEST_F(Sandbox, DumpGuestMemoryKeepsGuestRamInCoreDumps)
{
	const std::vector<std::string> wanted = { kFiltered, kVcpuFiltered };
	Running r = LookAtRunningGmm({ "--dump-guest-memory" }, wanted);
	ASSERT_NE(r.ram_vmflags, "") << "no mapping of gmm-guest-ram found";
	EXPECT_FALSE(HasFlag(r.ram_vmflags, "dd")) << r.ram_vmflags;
	EXPECT_EQ(r.threads, wanted) << "the sandbox stays on";
}

TEST(SandboxCli, HelpNamesTheOptionsAndTheExitStatus)
{
	int out = memfd_create("stdout", 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		execl("vmm/gmm", "vmm/gmm", "--help", (char *)nullptr);
		_exit(127);
	}
	waitpid(pid, nullptr, 0);
	std::string help = FdText(out);
	close(out);
	EXPECT_NE(help.find("--no-seccomp"), std::string::npos) << help;
	EXPECT_NE(help.find("--dump-guest-memory"), std::string::npos) << help;
	EXPECT_NE(
		help.find("  " + std::to_string(GMM_EXIT_SANDBOX) + "     a forbidden system call"),
		std::string::npos)
		<< help;
}

} // namespace
