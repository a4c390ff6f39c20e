// SPDX-License-Identifier: MIT
// tests/e2e/guest_runner.cc - see guest_runner.h.
#include "tests/e2e/guest_runner.h"

#include "tests/shim/gmm_shim.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace gmm_test {

std::string ReadFile(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	std::stringstream ss;
	ss << f.rdbuf();
	return ss.str();
}

static std::string TmpDir()
{
	const char *t = getenv("TEST_TMPDIR");
	return t ? t : "/tmp";
}

GuestRun RunGuest(const std::vector<std::string> &argv, int timeout_seconds,
		  const std::string &console_file)
{
	GuestRun run;
	std::string out = TmpDir() + "/hypervisor.out";
	int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		run.error = "cannot create " + out + ": " + strerror(errno);
		return run;
	}
	if (!console_file.empty())
		unlink(console_file.c_str());
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		std::vector<char *> args;
		for (const std::string &a : argv)
			args.push_back(const_cast<char *>(a.c_str()));
		args.push_back(nullptr);
		execvp(args[0], args.data());
		dprintf(2, "exec %s: %s\n", args[0], strerror(errno));
		_exit(127);
	}
	close(fd);
	if (pid < 0) {
		run.error = std::string("fork: ") + strerror(errno);
		return run;
	}
	run.started = true;
	time_t deadline = time(nullptr) + timeout_seconds;
	int status = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (time(nullptr) >= deadline) {
			run.timed_out = true;
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(10000);
	}
	run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	run.output = ReadFile(out);
	if (run.exit_status == 127 && run.output.find("exec ") == 0)
		run.error = run.output;
	return run;
}

std::string KvmUnavailableReason()
{
	char why[256];

	return gmm_shim_kvm_usable(why, sizeof(why)) ? "" : std::string("KVM not usable here: ") + why;
}

namespace {

class KtapCaseTest : public ::testing::Test {
    public:
	explicit KtapCaseTest(KtapResult r) : r_(std::move(r)) {}
	void TestBody() override
	{
		switch (r_.status) {
		case KtapStatus::kPass:
			break;
		case KtapStatus::kSkip:
			GTEST_SKIP() << r_.directive;
			break;
		case KtapStatus::kFail:
			ADD_FAILURE() << "guest reported: not ok " << r_.name
				      << (r_.directive.empty() ? "" : " # " + r_.directive)
				      << "\n--- guest output for this case ---\n"
				      << r_.diagnostics;
			break;
		}
	}

    private:
	KtapResult r_;
};

} // namespace

int RegisterKtapTests(const std::string &prefix, const KtapRun &run)
{
	int n = 0;
	for (const KtapResult &r : run.results) {
		std::string suite = prefix + "." + r.suite;
		::testing::RegisterTest(suite.c_str(), r.name.c_str(), nullptr, nullptr, __FILE__,
					__LINE__, [r]() -> ::testing::Test * {
						return new KtapCaseTest(r);
					});
		n++;
	}
	return n;
}

SuiteRun RunGmmSuites(const std::string &prefix, const std::vector<std::string> &argv,
		      int timeout_seconds)
{
	SuiteRun r;

	r.skip = KvmUnavailableReason();
	if (!r.skip.empty())
		return r;
	r.run = RunGuest(argv, timeout_seconds, "");
	r.ktap = ParseKtap(r.run.output);
	RegisterKtapTests(prefix, r.ktap);
	return r;
}

} // namespace gmm_test
