/* SPDX-License-Identifier: MIT */
/*
 * vmm/seccomp_bpf.h - the filter programs that vmm/seccomp_gen.c generates at build time.
 *
 * Internal to libgmm (vmm/seccomp.c loads them). Each program is complete: it checks the
 * architecture, allows what the policy in vmm/seccomp_gen.c allows and traps the rest.
 * gmm_seccomp_syscall_names[nr] is the name of x86-64 system call nr, or "" if none.
 */
#ifndef GMM_VMM_SECCOMP_BPF_H
#define GMM_VMM_SECCOMP_BPF_H

#include <linux/filter.h>

extern const struct sock_filter gmm_seccomp_bpf_process[];
extern const unsigned short gmm_seccomp_bpf_process_len;
extern const struct sock_filter gmm_seccomp_bpf_vcpu[];
extern const unsigned short gmm_seccomp_bpf_vcpu_len;
extern const struct sock_filter gmm_seccomp_bpf_process_sanitized[];
extern const unsigned short gmm_seccomp_bpf_process_sanitized_len;
extern const struct sock_filter gmm_seccomp_bpf_vcpu_sanitized[];
extern const unsigned short gmm_seccomp_bpf_vcpu_sanitized_len;

extern const char *const gmm_seccomp_syscall_names[];
extern const unsigned int gmm_seccomp_nr_syscall_names;

#endif /* GMM_VMM_SECCOMP_BPF_H */
