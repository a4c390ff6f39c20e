/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/exit.h - what to do after KVM_RUN returned: the exit dispatcher.
 *
 * gmm_exit_dispatch() is a pure function of the kvm_run page and the device table: it makes no
 * system calls, so tests drive it with hand-made struct kvm_run values. KVM_RUN itself is
 * called in one place (vmm/run.c).
 */
#ifndef GMM_GMM_EXIT_H
#define GMM_GMM_EXIT_H

#include <stddef.h>
#include <stdint.h>

#include <gmm/bus.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kvm_run;

enum gmm_exit_action {
	GMM_EXIT_ACTION_CONTINUE = 0, /* handled; run the vCPU again */
	GMM_EXIT_ACTION_STOP = 1,     /* a device ended the run (the exit port holds the verdict) */
	GMM_EXIT_ACTION_CRASH =
		2, /* the guest is dead: triple fault, shutdown, failed entry, ... */
};

/**
 * gmm_exit_dispatch - handle one exit of KVM_RUN
 * @run: the vCPU's kvm_run page as KVM left it (a read's data is written back into it)
 * @run_size: the size of that mapping (KVM_GET_VCPU_MMAP_SIZE); port data must lie inside
 * @bus: the device table
 * @why: receives a one-line description for GMM_EXIT_ACTION_CRASH
 * @whylen: its size
 * Return: enum gmm_exit_action.
 */
enum gmm_exit_action gmm_exit_dispatch(struct kvm_run *run, size_t run_size, struct gmm_bus *bus,
				       char *why, size_t whylen);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_EXIT_H */
