/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/seccomp.h - the sandbox: a seccomp filter on the VMM once set-up is done.
 *
 * A VMM calls gmm_seccomp_install() after it has created the VM, loaded the guest and set up
 * its devices, just before the vCPUs run. From then on every thread of the process may make
 * only the system calls the process filter allows (KVM_RUN and the few KVM ioctls of a run,
 * console writes, futexes, thread start and exit, the timeout timer; the list and the reason
 * for each call are in vmm/seccomp_gen.c and docs/vmm.md); each vCPU thread that the runner
 * (gmm/run.h) starts afterwards narrows itself further to the vCPU filter. No new privileges
 * can be gained (PR_SET_NO_NEW_PRIVS).
 *
 * A forbidden call is not made: the thread gets SIGSYS, and libgmm's handler writes
 * "gmm: seccomp: vCPU thread made forbidden system call 41 (socket)" to stderr and ends the
 * process with GMM_EXIT_SANDBOX (77). This is the one place where libgmm ends the process:
 * after a forbidden call the VMM's state cannot be trusted. The handler cannot be replaced
 * afterwards (rt_sigaction is allowed for SIGUSR1 and SIGUSR2 only).
 *
 * Installing is irreversible and process-wide; there is one policy (the one gmm needs).
 */
#ifndef GMM_GMM_SECCOMP_H
#define GMM_GMM_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * gmm_seccomp_install - confine every thread of the process to the process filter
 * @err: buffer for a message on failure, or NULL
 * @errlen: its size
 *
 * Sets PR_SET_NO_NEW_PRIVS, installs the SIGSYS handler that reports a forbidden call, and
 * loads the process filter on all threads (SECCOMP_FILTER_FLAG_TSYNC). Call it once, after
 * set-up and before the vCPUs run. The filter is built at compile time, so this costs a few
 * system calls.
 * Return: 0, or a negative errno (then nothing is confined but no-new-privs may be set).
 */
int gmm_seccomp_install(char *err, size_t errlen);

/**
 * gmm_seccomp_enter_vcpu - narrow the calling thread to the vCPU filter
 *
 * Does nothing unless gmm_seccomp_install() ran. The runner calls it at the start of every
 * vCPU thread it creates; the thread that calls gmm_runner_run() stays under the process
 * filter (it also reports the result at the end). Marks the thread as a vCPU thread in the
 * violation message.
 * Return: 0, or a negative errno.
 */
int gmm_seccomp_enter_vcpu(void);

/** gmm_seccomp_installed - whether gmm_seccomp_install() has confined this process */
bool gmm_seccomp_installed(void);

/**
 * gmm_seccomp_syscall_name - the name of x86-64 system call @nr
 * Return: a static string, "unknown" if @nr has no name.
 */
const char *gmm_seccomp_syscall_name(long nr);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_SECCOMP_H */
