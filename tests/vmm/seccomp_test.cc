// SPDX-License-Identifier: MIT
// tests/vmm/seccomp_test.cc - the sandbox (gmm/seccomp.h): a forbidden call from a vCPU thread
// or from the VMM's other threads is stopped, named on stderr, and ends the process with
// GMM_EXIT_SANDBOX; what a run needs still works. Each case confines a forked child (the
// filter cannot be removed), whose stderr is a memfd, and the parent checks how it ended.
#include <gtest/gtest.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/fd_text.h"
#include "tests/proc_status.h"
#include "tests/shim/gmm_shim.h"

namespace
{

constexpr int BODY_RETURNED = 0; // the child's body ran to its end: nothing was stopped
constexpr int BODY_FAILED = 99;	 // an allowed call failed, or set-up failed
constexpr int KILLED = -1;	 // ended by a signal

// The sanitized filter (ASan/UBSan builds) also allows what the sanitizer runtime calls
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

struct Outcome {
	int status; // exit status, or KILLED
	std::string err;
};

// Runs @body in a forked child confined by gmm_seccomp_install(); @on_vcpu_thread runs it on a
// thread that first narrows itself with gmm_seccomp_enter_vcpu(), as the runner's threads do.
// The child ends with the raw exit_group (not exit(), whose clean-up is not under test).
Outcome RunConfined(int (*body)(), bool on_vcpu_thread)
{
	int err = memfd_create("stderr", 0);
	pid_t pid = fork();

	if (pid == 0) {
		char why[256];
		int ret = BODY_FAILED;

		dup2(err, STDERR_FILENO);
		if (gmm_seccomp_install(why, sizeof(why)) == 0) {
			if (on_vcpu_thread) {
				pthread_t t;
				void *result = nullptr;
				auto start = [](void *p) -> void * {
					int (*fn)() = reinterpret_cast<int (*)()>(p);

					if (gmm_seccomp_enter_vcpu())
						return reinterpret_cast<void *>(BODY_FAILED);
					return reinterpret_cast<void *>((long)fn());
				};
				if (pthread_create(&t, nullptr, start,
						   reinterpret_cast<void *>(body)) == 0 &&
				    pthread_join(t, &result) == 0)
					ret = (int)reinterpret_cast<long>(result);
			} else {
				ret = body();
			}
		} else {
			(void)!write(STDERR_FILENO, why, strlen(why));
		}
		syscall(SYS_exit_group, ret);
	}
	int ws = 0;
	waitpid(pid, &ws, 0);
	Outcome o{ WIFEXITED(ws) ? WEXITSTATUS(ws) : KILLED, FdText(err) };
	close(err);
	return o;
}

std::string Message(const char *thread, int nr, const char *name)
{
	return std::string("gmm: seccomp: ") + thread + " thread made forbidden system call " +
	       std::to_string(nr) + " (" + name + ")\n";
}

int OpenSocket()
{
	return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? BODY_RETURNED : BODY_FAILED;
}

TEST(Seccomp, ASocketFromAVcpuThreadIsStoppedAndNamed)
{
	Outcome o = RunConfined(OpenSocket, true);
	EXPECT_EQ(o.status, GMM_EXIT_SANDBOX);
	EXPECT_EQ(o.err, Message("vCPU", SYS_socket, "socket"));
}

TEST(Seccomp, ASocketFromTheMainThreadIsStoppedToo)
{
	Outcome o = RunConfined(OpenSocket, false);
	EXPECT_EQ(o.status, GMM_EXIT_SANDBOX);
	EXPECT_EQ(o.err, Message("VMM", SYS_socket, "socket"));
}

TEST(Seccomp, ExecveIsStopped)
{
	if (kSanitized)
		GTEST_SKIP()
			<< "the sanitized filter refuses execve with EPERM (ASan's symbolizer)";
	Outcome o = RunConfined(
		[] {
			char *argv[] = { const_cast<char *>("/bin/true"), nullptr };
			execve("/bin/true", argv, environ);
			return BODY_FAILED;
		},
		true);
	EXPECT_EQ(o.status, GMM_EXIT_SANDBOX);
	EXPECT_EQ(o.err, Message("vCPU", SYS_execve, "execve"));
}

TEST(Seccomp, OpeningAFileIsStopped)
{
	if (kSanitized)
		GTEST_SKIP() << "the sanitized filter allows open: ASan's runtime reads /proc";
	Outcome o = RunConfined([] { return open("/etc/passwd", O_RDONLY) >= 0 ? 0 : 1; }, false);
	EXPECT_EQ(o.status, GMM_EXIT_SANDBOX);
	EXPECT_EQ(o.err, Message("VMM", SYS_openat, "openat"));
}

TEST(Seccomp, TheKvmIoctlsOfARunPassAndOthersAreStopped)
{
	// KVM_RUN on a bad fd reaches the kernel (EBADF): the filter let it through
	Outcome o = RunConfined(
		[] {
			if (ioctl(-1, KVM_RUN, 0) != -1 || errno != EBADF)
				return BODY_FAILED;
			struct kvm_regs regs;
			if (ioctl(-1, KVM_GET_REGS, &regs) != -1 || errno != EBADF)
				return BODY_FAILED;
			return BODY_RETURNED;
		},
		true);
	EXPECT_EQ(o.status, BODY_RETURNED) << o.err;
	EXPECT_EQ(o.err, "");

	// creating a vCPU is set-up, not a run
	o = RunConfined(
		[] {
			ioctl(-1, KVM_CREATE_VCPU, 0);
			return BODY_RETURNED;
		},
		true);
	EXPECT_EQ(o.status, GMM_EXIT_SANDBOX);
	EXPECT_EQ(o.err, Message("vCPU", SYS_ioctl, "ioctl"));

	o = RunConfined(
		[] {
			struct termios t;
			ioctl(STDIN_FILENO, TCGETS, &t);
			return BODY_RETURNED;
		},
		false);
	EXPECT_EQ(o.status, GMM_EXIT_SANDBOX);
	EXPECT_EQ(o.err, Message("VMM", SYS_ioctl, "ioctl"));
}

TEST(Seccomp, WhatARunNeedsStillWorks)
{
	Outcome o = RunConfined(
		[] {
			// the console and stderr; the DMA device's buffer; the clock
			if (write(STDERR_FILENO, "console\n", 8) != 8)
				return BODY_FAILED;
			void *p = mmap(nullptr, 64 << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
			if (p == MAP_FAILED)
				return BODY_FAILED;
			static_cast<char *>(p)[4096] = 1;
			struct timespec ts;
			if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
				return BODY_FAILED;
			return BODY_RETURNED;
		},
		true);
	EXPECT_EQ(o.status, BODY_RETURNED) << o.err;
	EXPECT_EQ(o.err, "console\n");
}

TEST(Seccomp, AVcpuThreadCannotMapExecutableMemory)
{
	Outcome o = RunConfined(
		[] {
			void *p = mmap(nullptr, 4096, PROT_READ | PROT_EXEC,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			return p == MAP_FAILED ? BODY_FAILED : BODY_RETURNED;
		},
		true);
	EXPECT_EQ(o.status, GMM_EXIT_SANDBOX);
	EXPECT_EQ(o.err, Message("vCPU", SYS_mmap, "mmap"));
}

TEST(Seccomp, TheMainThreadCannotTakeOverSigsys)
{
	// the handler that reports a violation stays: rt_sigaction only for SIGUSR1 and SIGUSR2
	Outcome o = RunConfined(
		[] {
			signal(SIGSYS, SIG_IGN);
			return BODY_RETURNED;
		},
		false);
	EXPECT_EQ(o.status, GMM_EXIT_SANDBOX);
	EXPECT_EQ(o.err, Message("VMM", SYS_rt_sigaction, "rt_sigaction"));
}

TEST(Seccomp, AVcpuThreadCannotStartThreadsOrTimers)
{
	Outcome o = RunConfined(
		[] {
			timer_t t;
			struct sigevent sev = {};
			sev.sigev_notify = SIGEV_SIGNAL;
			sev.sigev_signo = SIGUSR2;
			return timer_create(CLOCK_MONOTONIC, &sev, &t) ? BODY_FAILED :
									 BODY_RETURNED;
		},
		true);
	EXPECT_EQ(o.status, GMM_EXIT_SANDBOX);
	EXPECT_EQ(o.err, Message("vCPU", SYS_timer_create, "timer_create"));
}

std::string WaitStatus(pid_t pid)
{
	int ws = 0;

	waitpid(pid, &ws, 0);
	return WIFEXITED(ws) ? "exit status " + std::to_string(WEXITSTATUS(ws)) :
			       "signal " + std::to_string(WTERMSIG(ws));
}

TEST(Seccomp, EveryThreadIsFilteredWithoutNewPrivilegesAndVcpuThreadsTwice)
{
	// the child confines itself and starts a vCPU thread; both then wait on a futex (allowed)
	// while the parent reads their state from /proc
	int ready[2];
	ASSERT_EQ(pipe(ready), 0);
	pid_t pid = fork();
	if (pid == 0) {
		static int never;
		char why[256];
		pthread_t t;
		auto wait_forever = [](void *vcpu) -> void * {
			if (vcpu)
				gmm_seccomp_enter_vcpu();
			for (;;)
				syscall(SYS_futex, &never, FUTEX_WAIT_PRIVATE, 0, nullptr);
		};

		if (gmm_seccomp_install(why, sizeof(why)) ||
		    pthread_create(&t, nullptr, wait_forever, &never))
			syscall(SYS_exit_group, BODY_FAILED);
		(void)!write(ready[1], "x", 1);
		wait_forever(nullptr);
	}
	char c;
	close(ready[1]); // a child that died early gives end-of-file, not a hang
	ASSERT_EQ(read(ready[0], &c, 1), 1) << "the child died: " << WaitStatus(pid);
	const std::string main_state = "NoNewPrivs:\t1 Seccomp:\t2 Seccomp_filters:\t1";
	const std::string vcpu_state = "NoNewPrivs:\t1 Seccomp:\t2 Seccomp_filters:\t2";
	std::vector<std::string> states;
	for (int tries = 0; tries < 400; tries++) {
		states = TaskSandboxStates(pid);
		if (states.size() == 2 && states[1] == vcpu_state)
			break;
		usleep(5000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, nullptr, 0);
	close(ready[0]);
	ASSERT_EQ(states.size(), 2u);
	EXPECT_EQ(states[0], main_state) << "the main thread: the process filter";
	EXPECT_EQ(states[1], vcpu_state) << "the vCPU thread: the process and the vCPU filter";
}

TEST(Seccomp, WithoutInstallEnteringAVcpuThreadDoesNothing)
{
	pid_t pid = fork();
	if (pid == 0) {
		bool ok = gmm_seccomp_enter_vcpu() == 0 && !gmm_seccomp_installed() &&
			  prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0;
		syscall(SYS_exit_group, ok ? 0 : 1);
	}
	int ws = 0;
	waitpid(pid, &ws, 0);
	EXPECT_TRUE(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
}

TEST(Seccomp, SyscallNames)
{
	EXPECT_STREQ(gmm_seccomp_syscall_name(SYS_socket), "socket");
	EXPECT_STREQ(gmm_seccomp_syscall_name(SYS_ioctl), "ioctl");
	EXPECT_STREQ(gmm_seccomp_syscall_name(-1), "unknown");
	EXPECT_STREQ(gmm_seccomp_syscall_name(1 << 20), "unknown");
}

} // namespace
