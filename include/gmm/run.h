/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/run.h - running a prepared VM: one thread per vCPU, a stop, a verdict.
 *
 * gmm_runner_start() starts the vCPU threads; the caller may do other work (read the guest's
 * buddyinfo, say) while the guest runs; gmm_runner_wait() waits for the end or a timeout;
 * gmm_runner_finish() stops whatever still runs and reports the outcome. KVM_RUN is called only
 * here. Device accesses are serialised by one lock (devices are not thread-safe).
 *
 * Stopping: the stop flag is set, every vCPU's run->immediate_exit is set and its thread gets
 * SIGUSR1 (a no-op handler without SA_RESTART), so KVM_RUN returns -EINTR whether the thread
 * was inside it or about to enter it.
 */
#ifndef GMM_GMM_RUN_H
#define GMM_GMM_RUN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <gmm/bus.h>
#include <gmm/devices.h>
#include <gmm/vm.h>

#ifdef __cplusplus
extern "C" {
#endif

enum gmm_run_outcome {
	GMM_RUN_RUNNING = 0,
	GMM_RUN_GUEST_EXIT, /* the guest wrote its verdict to the exit port */
	GMM_RUN_CRASH,	    /* triple fault, shutdown, failed entry, ... (why, registers dumped) */
	GMM_RUN_TIMEOUT,    /* the caller stopped a guest that was still running */
	GMM_RUN_ERROR,	    /* KVM_RUN itself failed */
};

struct gmm_run_result {
	enum gmm_run_outcome outcome;
	uint32_t verdict; /* GMM_RUN_GUEST_EXIT */
	unsigned int cpu; /* the vCPU that ended the run */
	char why[256];	  /* GMM_RUN_CRASH, GMM_RUN_ERROR */
};

struct gmm_runner;

struct gmm_runner_arg {
	struct gmm_runner *r;
	struct gmm_vcpu *v;
};

struct gmm_runner {
	struct gmm_vm *vm;
	struct gmm_bus *bus;
	const struct gmm_exit_port *exit_port;
	pthread_t threads[GMM_VM_MAX_CPUS];
	unsigned int thread_cpu[GMM_VM_MAX_CPUS]; /* which vCPU each thread runs */
	struct gmm_runner_arg args[GMM_VM_MAX_CPUS];
	unsigned int nr_threads;
	pthread_mutex_t lock; /* protects bus, result, stop */
	pthread_cond_t ended;
	bool stop;
	struct gmm_run_result result;
	void *dump_to; /* FILE * for crash register dumps, or NULL */
};

/**
 * gmm_runner_start - start every vCPU of @vm
 * @r: the runner
 * @vm: a VM after gmm_boot_prepare()
 * @bus: its devices
 * @ep: the exit port on @bus (holds the verdict)
 * @dump_to: FILE * for the register dump of a crashed vCPU, or NULL
 * Return: 0 or a negative errno (then no thread runs).
 */
int gmm_runner_start(struct gmm_runner *r, struct gmm_vm *vm, struct gmm_bus *bus,
		     const struct gmm_exit_port *ep, void *dump_to);

/**
 * gmm_runner_wait - wait until the run ends or @timeout_ms passes (0: forever)
 * Return: true if the run ended.
 */
bool gmm_runner_wait(struct gmm_runner *r, uint64_t timeout_ms);

/**
 * gmm_runner_finish - stop every vCPU, join the threads and report
 * @r: the runner
 * @res: the outcome; GMM_RUN_TIMEOUT if the guest was still running
 */
void gmm_runner_finish(struct gmm_runner *r, struct gmm_run_result *res);

/**
 * gmm_runner_run - run @vm to its end on the calling thread (the way gmm runs)
 * @r: the runner
 * @vm: a VM after gmm_boot_prepare()
 * @bus: its devices
 * @ep: the exit port on @bus
 * @dump_to: FILE * for crash register dumps, or NULL
 * @timeout_ms: stop after this long (0: never)
 * @res: the outcome
 *
 * vCPU 0 runs on the calling thread (no thread start on the boot path), the others on threads
 * as with gmm_runner_start(). The timeout is a POSIX timer that signals the calling thread
 * (SIGUSR2). One gmm_runner_run() per process at a time.
 * Return: 0, or a negative errno if the run could not be set up (then @res says GMM_RUN_TIMEOUT
 * or what the vCPUs that did start reported).
 */
int gmm_runner_run(struct gmm_runner *r, struct gmm_vm *vm, struct gmm_bus *bus,
		   const struct gmm_exit_port *ep, void *dump_to, uint64_t timeout_ms,
		   struct gmm_run_result *res);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_RUN_H */
