/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/exit_status.h - the exit statuses of the gmm program (documented in README).
 *
 * 0..63 is the guest's verdict (the value it wrote to the exit port; a larger value is
 * reported and becomes 63), so a test guest's verdict can never be mistaken for one of gmm's
 * own codes, which follow sysexits.h where a code fits.
 */
#ifndef GMM_GMM_EXIT_STATUS_H
#define GMM_GMM_EXIT_STATUS_H

enum gmm_exit_status {
	GMM_EXIT_VERDICT_MAX = 63, /* 0..63: the guest's verdict */
	GMM_EXIT_USAGE = 64,	   /* bad command line (EX_USAGE) */
	GMM_EXIT_BAD_IMAGE = 65,   /* kernel image unreadable or malformed (EX_DATAERR) */
	GMM_EXIT_NO_KVM = 69,	   /* /dev/kvm missing or not usable (EX_UNAVAILABLE) */
	GMM_EXIT_INTERNAL = 70,	   /* the VMM or a KVM call failed (EX_SOFTWARE) */
	GMM_EXIT_CRASH = 71,	   /* guest crash: triple fault, shutdown, failed entry */
	GMM_EXIT_TIMEOUT = 72,	   /* --timeout expired */
	GMM_EXIT_SANDBOX = 77, /* a forbidden system call under the seccomp filter (EX_NOPERM) */
};

#endif /* GMM_GMM_EXIT_STATUS_H */
