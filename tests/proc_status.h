// SPDX-License-Identifier: MIT
// tests/proc_status.h - the sandbox state of a process's threads, as /proc shows it: how the
// tests see that gmm's seccomp filters (gmm/seccomp.h) are in place, per thread.
#ifndef GMM_TESTS_PROC_STATUS_H
#define GMM_TESTS_PROC_STATUS_H

#include <dirent.h>
#include <sys/types.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

// "NoNewPrivs:\t1 Seccomp:\t2 Seccomp_filters:\t1" for one task of @pid (the lines of its
// status file that start with NoNewPrivs or Seccomp, in the kernel's order)
inline std::string TaskSandboxState(pid_t pid, const std::string &tid)
{
	std::ifstream f("/proc/" + std::to_string(pid) + "/task/" + tid + "/status");
	std::string line, state;

	while (std::getline(f, line))
		if (line.rfind("Seccomp", 0) == 0 || line.rfind("NoNewPrivs", 0) == 0)
			state += (state.empty() ? "" : " ") + line;
	return state;
}

// The states of every task of @pid whose name does not start with @skip_prefix (KVM's
// kernel workers, e.g. kvm-nx-lpage-recovery, are tasks of the VMM too), sorted.
inline std::vector<std::string> TaskSandboxStates(pid_t pid, const std::string &skip_prefix = "")
{
	std::string dir = "/proc/" + std::to_string(pid) + "/task";
	std::vector<std::string> states;
	DIR *d = opendir(dir.c_str());

	if (!d)
		return states;
	while (struct dirent *e = readdir(d)) {
		std::string comm;

		if (e->d_name[0] == '.')
			continue;
		std::ifstream(dir + "/" + e->d_name + "/comm") >> comm;
		if (skip_prefix.empty() || comm.rfind(skip_prefix, 0) != 0)
			states.push_back(TaskSandboxState(pid, e->d_name));
	}
	closedir(d);
	std::sort(states.begin(), states.end());
	return states;
}

#endif // GMM_TESTS_PROC_STATUS_H
