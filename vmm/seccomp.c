// SPDX-License-Identifier: MIT
/*
 * vmm/seccomp.c - loading the sandbox's filters and reporting a forbidden call.
 *
 * The filters themselves are BPF programs built at compile time by libseccomp
 * (vmm/seccomp_gen.c, which says why at compile time: musl, and the cost of compiling the
 * rules at run time); here they are only loaded, with seccomp(2) directly (musl has no
 * wrapper). Built with ASan or UBSan (gmm_glibc under --config=asan, and the tests), libgmm
 * loads the sanitized variants, which also allow what the sanitizer runtime calls.
 *
 * State: `installed` is written once, by gmm_seccomp_install(), before the runner creates
 * the vCPU threads that read it (pthread_create orders the two). `thread_kind` is per thread
 * and only names the thread in the message.
 *
 * The SIGSYS handler is async-signal-safe: it formats the message by hand into a buffer on
 * its stack, write()s it, and ends the process with the raw exit_group system call (not
 * _exit(), which ASan intercepts to run its leak check). Both calls are in every filter. If
 * SIGSYS is blocked or its handler is gone, the kernel kills the process with SIGSYS instead.
 */
#define _GNU_SOURCE
#include <gmm/seccomp.h>

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gmm/exit_status.h>

#include "vmm/seccomp_bpf.h"

/* gcc defines __SANITIZE_ADDRESS__ under -fsanitize=address; --config=asan also adds UBSan */
#if defined(__SANITIZE_ADDRESS__)
#define PROCESS_BPF	gmm_seccomp_bpf_process_sanitized
#define PROCESS_BPF_LEN gmm_seccomp_bpf_process_sanitized_len
#define VCPU_BPF	gmm_seccomp_bpf_vcpu_sanitized
#define VCPU_BPF_LEN	gmm_seccomp_bpf_vcpu_sanitized_len
#else
#define PROCESS_BPF	gmm_seccomp_bpf_process
#define PROCESS_BPF_LEN gmm_seccomp_bpf_process_len
#define VCPU_BPF	gmm_seccomp_bpf_vcpu
#define VCPU_BPF_LEN	gmm_seccomp_bpf_vcpu_len
#endif

static bool installed;
static __thread const char *thread_kind = "VMM";

const char *gmm_seccomp_syscall_name(long nr)
{
	if (nr < 0 || (unsigned long)nr >= gmm_seccomp_nr_syscall_names ||
	    !gmm_seccomp_syscall_names[nr][0])
		return "unknown";
	return gmm_seccomp_syscall_names[nr];
}

static size_t append(char *buf, size_t at, size_t size, const char *s)
{
	while (*s && at < size)
		buf[at++] = *s++;
	return at;
}

static size_t append_dec(char *buf, size_t at, size_t size, long v)
{
	char digits[24];
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
	size_t n = 0;

	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[n++] = '-';
	while (n && at < size)
		buf[at++] = digits[--n];
	return at;
}

static void sigsys_handler(int sig, siginfo_t *si, void *ucontext)
{
	char msg[160];
	size_t n = 0;

	(void)sig;
	(void)ucontext;
	n = append(msg, n, sizeof(msg), "gmm: seccomp: ");
	n = append(msg, n, sizeof(msg), thread_kind);
	n = append(msg, n, sizeof(msg), " thread made forbidden system call ");
	n = append_dec(msg, n, sizeof(msg), si->si_syscall);
	n = append(msg, n, sizeof(msg), " (");
	n = append(msg, n, sizeof(msg), gmm_seccomp_syscall_name(si->si_syscall));
	n = append(msg, n, sizeof(msg), ")\n");
	if (write(STDERR_FILENO, msg, n) < 0) {
		/* nothing left to report it on */
	}
	syscall(SYS_exit_group, GMM_EXIT_SANDBOX);
}

static int load(const struct sock_filter *insns, unsigned short len, unsigned int flags)
{
	struct sock_fprog prog = { .len = len, .filter = (struct sock_filter *)insns };
	long ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);

	/* with TSYNC, a positive result is the id of a thread that could not be synchronised */
	if (ret > 0)
		return -EAGAIN;
	return ret < 0 ? -errno : 0;
}

int gmm_seccomp_install(char *err, size_t errlen)
{
	struct sigaction sa;
	int ret;

	if (!err)
		errlen = 0; /* no message wanted */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sigsys_handler;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0) {
		ret = -errno;
		snprintf(err, errlen, "seccomp: cannot install the SIGSYS handler: %s",
			 strerror(-ret));
		return ret;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		ret = -errno;
		snprintf(err, errlen, "seccomp: PR_SET_NO_NEW_PRIVS: %s", strerror(-ret));
		return ret;
	}
	ret = load(PROCESS_BPF, PROCESS_BPF_LEN, SECCOMP_FILTER_FLAG_TSYNC);
	if (ret) {
		snprintf(err, errlen, "seccomp: cannot load the filter: %s", strerror(-ret));
		return ret;
	}
	installed = true;
	return 0;
}

int gmm_seccomp_enter_vcpu(void)
{
	if (!installed)
		return 0;
	thread_kind = "vCPU";
	return load(VCPU_BPF, VCPU_BPF_LEN, 0);
}

bool gmm_seccomp_installed(void)
{
	return installed;
}
