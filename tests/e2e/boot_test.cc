// SPDX-License-Identifier: MIT
// tests/e2e/boot_test.cc - the gmm program end to end: boots the tiny guests under KVM and
// checks each documented exit status and message (README "Exit status"). The console is
// stdout, gmm's own messages are stderr. Skipped (with the reason) where /dev/kvm is unusable.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/fd_text.h"
#include "tests/shim/gmm_shim.h"

namespace {

constexpr int CHILD_SETUP_FAILED = 250;

struct Result {
	int status = -1; // exit status, or -1 if killed
	std::string out, err;
};

// Runs vmm/gmm with @args; @hide_kvm runs it in a mount namespace without /dev/kvm.
Result Gmm(const std::vector<std::string> &args, bool hide_kvm = false,
	   bool closed_stdout = false)
{
	Result r;
	int out = memfd_create("stdout", 0), err = memfd_create("stderr", 0);
	std::vector<char *> argv;

	argv.push_back(const_cast<char *>("vmm/gmm"));
	for (const auto &a : args)
		argv.push_back(const_cast<char *>(a.c_str()));
	argv.push_back(nullptr);
	int broken[2];
	if (closed_stdout && pipe(broken) == 0) {
		close(broken[0]); // nobody reads: writes fail with EPIPE (and raise SIGPIPE)
		dup2(broken[1], out);
		close(broken[1]);
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		if (hide_kvm && (unshare(CLONE_NEWNS) ||
				 mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) ||
				 mount("tmpfs", "/dev", "tmpfs", 0, nullptr)))
			_exit(CHILD_SETUP_FAILED);
		execv("vmm/gmm", argv.data());
		_exit(127);
	}
	int ws = 0;
	waitpid(pid, &ws, 0);
	r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	r.out = FdText(out);
	r.err = FdText(err);
	close(out);
	close(err);
	return r;
}

bool Contains(const std::string &s, const std::string &what)
{
	return s.find(what) != std::string::npos;
}

class Boot : public ::testing::Test {
protected:
	void SetUp() override
	{
		char why[256];

		if (!gmm_shim_kvm_usable(why, sizeof(why)))
			GTEST_SKIP() << "KVM not usable here: " << why;
	}
};

TEST_F(Boot, HelloPrintsAndExitsZero)
{
	Result r = Gmm({ "run", "--cmdline", "console=ttyS0 quiet", "tests/e2e/guests/hello.elf" });
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "hello from the gmm test guest\nbootinfo v1 ok\n"
			 "cmdline: console=ttyS0 quiet\n");
	EXPECT_EQ(r.err, "");
}

TEST_F(Boot, HelloUsesTheConsolePortAndFallsBackToTheSerialPortWithout)
{
	const std::string expected = "hello from the gmm test guest\nbootinfo v1 ok\ncmdline: x\n";
	Result r = Gmm({ "run", "--stats", "--cmdline", "x", "tests/e2e/guests/hello.elf" });
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, expected);
	EXPECT_TRUE(Contains(r.err, "gmm-console bytes=" + std::to_string(expected.size()) +
					    " dropped=0 port_messages=5 port_refused=0"))
		<< r.err;

	r = Gmm({ "run", "--stats", "--no-console-port", "--cmdline", "x",
		  "tests/e2e/guests/hello.elf" });
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, expected) << "the same text, a byte per exit on COM1";
	EXPECT_TRUE(Contains(r.err, "port_messages=0 port_refused=0")) << r.err;
}

TEST_F(Boot, AConsoleNobodyReadsDoesNotKillTheVm)
{
	Result r = Gmm({ "run", "tests/e2e/guests/exit_code.elf" }, false, true);
	EXPECT_EQ(r.status, 42) << r.err;
	r = Gmm({ "run", "tests/e2e/guests/hello.elf" }, false, true);
	EXPECT_EQ(r.status, 0) << "killed by SIGPIPE? " << r.err;
}

TEST_F(Boot, HelloOnSeveralCpusWithMoreMemory)
{
	Result r = Gmm({ "run", "--cpus", "4", "--mem", "3G", "--buddyinfo",
			 "tests/e2e/guests/hello_page_state.elf" });
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_TRUE(Contains(r.out, "bootinfo v1 ok")) << r.out;
	EXPECT_TRUE(Contains(r.err, "Node 0, zone    DMA32")) << r.err;
	EXPECT_TRUE(Contains(r.err, "Node 0, zone   Normal")) << "RAM above 4 GiB: " << r.err;
}

TEST_F(Boot, ReadingThePageStateNeedsAGuestWithThePageStateNote)
{
	// hello.elf has no GMM page-state note, so gmm builds no page state: asking for what only
	// that state can give is a usage error, said before the guest runs
	const std::vector<std::vector<std::string>> asks = {
		{ "--buddyinfo" }, { "--watch-buddyinfo", "10" }, { "--dma-strict" }
	};
	for (const auto &ask : asks) {
		std::vector<std::string> args = { "run" };
		args.insert(args.end(), ask.begin(), ask.end());
		args.push_back("tests/e2e/guests/hello.elf");
		Result r = Gmm(args);
		EXPECT_EQ(r.status, GMM_EXIT_USAGE) << ask[0] << ": " << r.err;
		EXPECT_TRUE(Contains(r.err, "gmm: " + ask[0] + " needs the guest's buddy page state, "
						   "and tests/e2e/guests/hello.elf has no GMM "
						   "page-state ELF note"))
			<< r.err;
		EXPECT_EQ(r.out, "") << "the guest must not have run";
	}
}

TEST_F(Boot, APageStateVersionGmmDoesNotBuildIsABadImage)
{
	int in = open("tests/e2e/guests/hello_page_state.elf", O_RDONLY);
	ASSERT_GE(in, 0);
	std::string elf = FdText(in);
	close(in);
	// the note: namesz 4, descsz 4, type 1, "GMM\0", version 1
	const char note[] = "\4\0\0\0\4\0\0\0\1\0\0\0GMM\0\1\0\0\0";
	size_t at = elf.find(std::string(note, sizeof(note) - 1));
	ASSERT_NE(at, std::string::npos) << "hello_page_state.elf carries the note";
	elf[at + 16] = 2;
	std::string path = std::string(getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp") +
			   "/hello_page_state_v2.elf";
	int out = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_GE(out, 0);
	ASSERT_EQ(write(out, elf.data(), elf.size()), (ssize_t)elf.size());
	close(out);
	Result r = Gmm({ "run", path });
	EXPECT_EQ(r.status, GMM_EXIT_BAD_IMAGE) << r.err;
	EXPECT_TRUE(Contains(r.err, "gmm: bad kernel image: the image's GMM page-state note asks "
				    "for page-state version 2; this gmm builds version 1"))
		<< r.err;
	EXPECT_EQ(r.out, "");
}

TEST_F(Boot, AGuestLinkedLikeAKernelRunsInTheKernelMap)
{
	// virtual __START_KERNEL_map + 1 MiB, physical 1 MiB: entered through gmm's kernel map,
	// boot info read through the direct map, one page written and read through both
	Result r = Gmm({ "run", "tests/e2e/guests/kernel_map.elf" });
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "kernel map, direct map and boot info agree\n");
}

TEST_F(Boot, EveryVcpuStartsAtTheEntry)
{
	for (const char *irqchip : { "split", "full" }) {
		for (const char *cpus : { "1", "2", "8" }) {
			Result r = Gmm({ "run", "--cpus", cpus, "--irqchip", irqchip, "--timeout",
					 "10", "tests/e2e/guests/smp.elf" });
			EXPECT_EQ(r.status, 0) << cpus << " vCPUs, " << irqchip << ": " << r.err;
			EXPECT_EQ(r.out, "all vCPUs checked in\n") << cpus << " vCPUs";
		}
	}
}

TEST_F(Boot, VerdictBecomesTheExitStatus)
{
	Result r = Gmm({ "run", "tests/e2e/guests/exit_code.elf" });
	EXPECT_EQ(r.status, 42) << r.err;
	r = Gmm({ "run", "tests/e2e/guests/big_verdict.elf" });
	EXPECT_EQ(r.status, GMM_EXIT_VERDICT_MAX);
	EXPECT_TRUE(Contains(r.err, "guest verdict 511 does not fit in 0..63")) << r.err;
}

TEST_F(Boot, TripleFaultIsACrashWithReasonAndRegisters)
{
	Result r = Gmm({ "run", "tests/e2e/guests/triple_fault.elf" });
	EXPECT_EQ(r.status, GMM_EXIT_CRASH);
	EXPECT_EQ(r.out, "about to triple-fault\n");
	EXPECT_TRUE(Contains(r.err, "gmm: guest crashed on vCPU 0: shutdown (triple fault)"))
		<< r.err;
	EXPECT_TRUE(Contains(r.err, "vCPU 0 registers:")) << r.err;
	EXPECT_TRUE(Contains(r.err, "rip=")) << r.err;
}

TEST_F(Boot, LoopingGuestTimesOut)
{
	Result r = Gmm({ "run", "--timeout", "0.3", "tests/e2e/guests/loop.elf" });
	EXPECT_EQ(r.status, GMM_EXIT_TIMEOUT);
	EXPECT_EQ(r.out, "looping forever\n");
	EXPECT_TRUE(Contains(r.err, "gmm: timeout: the guest was still running after 0.300 s"))
		<< r.err;
}

TEST_F(Boot, BuddyinfoOfTheRunningGuestIsPrintedWhileItRuns)
{
	Result r = Gmm({ "run", "--watch-buddyinfo", "20", "--timeout", "0.5",
			 "tests/e2e/guests/loop.elf" });
	EXPECT_EQ(r.status, GMM_EXIT_TIMEOUT) << r.err;
	size_t n = 0;
	for (size_t at = r.err.find("Node 0, zone      DMA "); at != std::string::npos;
	     at = r.err.find("Node 0, zone      DMA ", at + 1))
		n++;
	EXPECT_GE(n, 2u) << r.err;
	EXPECT_LT(r.err.find("zone      DMA "), r.err.find("gmm: timeout")) << "printed before the end";
}

size_t Count(const std::string &s, const std::string &what)
{
	size_t n = 0;
	for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1))
		n++;
	return n;
}

// Regression (issue 21): with --dma-strict and two vCPUs, vCPU 1 flipping the page-state
// header's max_pfn (with mem_map_phys at the end of a RAM region) while vCPU 0 started
// scatter-gather commands crashed gmm with SIGSEGV: strict mode read max_pfn from guest RAM
// once for its bounds check and again as the bound of its walk. Now the header is read once
// and checked against what gmm placed: the commands are refused (fail closed, said once),
// and neither the refusal nor the buddyinfo readers print the guest's bytes.
TEST_F(Boot, APageStateAttackDuringStrictDmaIsRefusedAndGmmSurvives)
{
	Result r = Gmm({ "run", "--cpus", "2", "--dma-strict", "--buddyinfo", "--watch-buddyinfo",
			 "10", "--timeout", "120", "tests/e2e/guests/hostile_page_state.elf" });
	EXPECT_EQ(r.status, 0) << r.out << r.err;
	EXPECT_TRUE(Contains(r.out, "gmm survived the page-state attack")) << r.out;
	EXPECT_EQ(Count(r.err, "strict: the guest's page state is not valid"), 1u) << r.err;
	EXPECT_TRUE(Contains(r.err, "no valid page state at")) << "--buddyinfo at the end: " << r.err;
	EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "an escape sequence reached stderr";
	EXPECT_EQ(r.err.find('\xff'), std::string::npos) << "a raw 0xff reached stderr";
}

// The KTAP harness checks itself (guests/tests/ktap_selfcheck_suite.c, run only on request):
// a BUG or a WARNING nobody announced fails the case that printed it, so does an announced
// report that never came, and a failing case fails its suite and the run's verdict. (The
// default run leaves the suite out: gmm_selftest_test would fail on its cases otherwise.)
TEST_F(Boot, AnUnannouncedKernelReportFailsItsCaseAndTheRun)
{
	Result r = Gmm({ "run", "--cmdline", "ktap.suites=ktap_selfcheck", "--timeout", "120",
			 "guests/selftest.elf" });
	EXPECT_EQ(r.status, 1) << "the guest's failing verdict: " << r.out << r.err;
	// (the console ends lines with \r\n)
	for (const char *line : { "    not ok 1 an_unannounced_bug_fails_its_case",
				  "    not ok 2 an_unannounced_warning_fails_its_case",
				  "    not ok 3 an_announced_report_that_never_comes_fails",
				  "    ok 4 an_announced_report_that_comes_passes",
				  "\nnot ok 1 ktap_selfcheck",
				  "# Totals: pass:1 fail:3 skip:0 total:4" })
		EXPECT_TRUE(Contains(r.out, line)) << line << " in:\n" << r.out;
	EXPECT_TRUE(Contains(r.out, "1 unexpected kernel report(s), the first: BUG: ktap_selfcheck"))
		<< r.out;
}

TEST_F(Boot, TheBuddyinfoWatcherHasAFloor)
{
	Result r = Gmm({ "run", "--watch-buddyinfo", "9", "tests/e2e/guests/loop.elf" });
	EXPECT_EQ(r.status, GMM_EXIT_USAGE) << r.err;
	EXPECT_TRUE(Contains(r.err, "--watch-buddyinfo 9: want 10 to 3600000 milliseconds"))
		<< r.err;
}

TEST_F(Boot, HaltedGuestSleepsInKvmUntilTheTimeout)
{
	for (const char *irqchip : { "split", "full" }) {
		Result r = Gmm({ "run", "--irqchip", irqchip, "--timeout", "0.2",
				 "tests/e2e/guests/halt.elf" });
		EXPECT_EQ(r.status, GMM_EXIT_TIMEOUT) << irqchip << ": " << r.err;
		EXPECT_EQ(r.out, "halting forever\n");
	}
}

TEST_F(Boot, UnmappedMmioAndPortsAreLoggedOnceAndReadAllOnes)
{
	Result r = Gmm({ "run", "tests/e2e/guests/mmio.elf" });
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "unmapped MMIO and ports read as all-ones\n");
	EXPECT_TRUE(Contains(r.err, "gmm: unhandled MMIO write at 0xb8000 (4 bytes), ignored"))
		<< r.err;
	EXPECT_TRUE(Contains(r.err, "gmm: unhandled port read at 0x80 (1 bytes)")) << r.err;
	EXPECT_EQ(r.err.find("0xb8000"), r.err.rfind("0xb8000")) << "logged once: " << r.err;
}

TEST(Cli, HelpAndBadArguments)
{
	Result r = Gmm({ "--help" });
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(Contains(r.out, "usage: gmm run")) << r.out;
	EXPECT_TRUE(Contains(r.out, "Exit status:")) << r.out;

	const std::vector<std::vector<std::string>> bad = {
		{},
		{ "boot", "x.elf" },
		{ "run" },
		{ "run", "a.elf", "b.elf" },
		{ "run", "--cpus", "0", "x.elf" },
		{ "run", "--cpus", "9", "x.elf" },
		{ "run", "--cpus", "two", "x.elf" },
		{ "run", "--mem", "1K", "x.elf" },
		{ "run", "--mem", "65G", "x.elf" },
		{ "run", "--mem", "12Q", "x.elf" },
		{ "run", "--mem", "-5M", "x.elf" },
		{ "run", "--timeout", "0", "x.elf" },
		{ "run", "--timeout", "-1", "x.elf" },
		{ "run", "--irqchip", "none", "x.elf" },
		{ "run", "--bogus", "x.elf" },
		{ "run", "--mem" },
		{ "run", "--cmdline", std::string(1024, 'x'), "x.elf" },
	};
	for (const auto &args : bad) {
		r = Gmm(args);
		EXPECT_EQ(r.status, GMM_EXIT_USAGE) << (args.empty() ? "" : args.back()) << r.err;
		EXPECT_TRUE(Contains(r.err, "Try 'gmm --help'")) << r.err;
	}
}

TEST(Cli, BadImages)
{
	Result r = Gmm({ "run", "/nonexistent/kernel.elf" });
	EXPECT_EQ(r.status, GMM_EXIT_BAD_IMAGE);
	EXPECT_TRUE(Contains(r.err, "cannot read kernel image /nonexistent/kernel.elf")) << r.err;

	char why[256];
	if (!gmm_shim_kvm_usable(why, sizeof(why)))
		GTEST_SKIP() << "image validation runs after KVM is opened: " << why;
	r = Gmm({ "run", "tests/e2e/guests/guest.h" });
	EXPECT_EQ(r.status, GMM_EXIT_BAD_IMAGE);
	EXPECT_TRUE(Contains(r.err, "gmm: bad kernel image: not an ELF file")) << r.err;
	r = Gmm({ "run", "/bin/true" }); // a PIE host program: ELF64 x86-64, but ET_DYN
	EXPECT_EQ(r.status, GMM_EXIT_BAD_IMAGE);
	EXPECT_TRUE(Contains(r.err, "gmm: bad kernel image: not an executable")) << r.err;
}

// Regression: every one of these said "not a regular file of 1 byte to 256 MiB", which an
// empty regular file is; the message now names what is wrong with the file.
TEST(Cli, AnImageThatCannotBeAKernelSaysWhy)
{
	std::string dir = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
	std::string empty = dir + "/empty.elf", huge = dir + "/huge.elf";
	int fd = open(empty.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_GE(fd, 0);
	close(fd);
	fd = open(huge.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(ftruncate(fd, (256 << 20) + 1), 0); // sparse: no disk used
	close(fd);

	const struct {
		std::string path, message;
	} cases[] = {
		{ "tests/e2e/guests", "gmm: kernel image tests/e2e/guests: not a regular file" },
		{ empty, "gmm: kernel image " + empty + ": empty file" },
		{ huge, "gmm: kernel image " + huge + ": larger than 256 MiB" },
	};
	for (const auto &c : cases) {
		Result r = Gmm({ "run", c.path });
		EXPECT_EQ(r.status, GMM_EXIT_BAD_IMAGE) << c.path;
		EXPECT_TRUE(Contains(r.err, c.message + "\n")) << r.err;
	}
	unlink(empty.c_str());
	unlink(huge.c_str());
}

TEST(Cli, WithoutKvmTheErrorNamesDevKvm)
{
	Result r = Gmm({ "run", "tests/e2e/guests/hello.elf" }, true);
	if (r.status == CHILD_SETUP_FAILED)
		GTEST_SKIP() << "cannot hide /dev/kvm here (no mount namespace)";
	EXPECT_EQ(r.status, GMM_EXIT_NO_KVM) << r.err;
	EXPECT_TRUE(Contains(r.err, "gmm: cannot open /dev/kvm: No such file or directory")) << r.err;
}

} // namespace
