// SPDX-License-Identifier: MIT
/*
 * vmm/run.c - the vCPU threads and the one place that calls KVM_RUN.
 *
 * Lock: r->lock protects the bus (all devices), r->result and r->stop. The first vCPU to end
 * the run (exit port, crash, error) writes the result and signals r->ended; later ones only
 * stop. A crashed vCPU dumps its own registers before anything else runs it.
 * Under the sandbox (gmm/seccomp.h) a vCPU thread started here narrows itself to the vCPU
 * filter before its first KVM_RUN; vCPU 0 of gmm_runner_run() runs on the caller's thread,
 * under the process filter.
 */
#define _GNU_SOURCE
#include <gmm/run.h>

#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <gmm/exit.h>
#include <gmm/seccomp.h>

#define KICK_SIGNAL  SIGUSR1
#define TIMER_SIGNAL SIGUSR2

/*
 * The timeout of gmm_runner_run() (one synchronous run per process at a time). The handler also
 * sets immediate_exit, so a timer that fires while vCPU 0 is outside KVM_RUN (handling an
 * exit) still stops its next KVM_RUN at once.
 */
static volatile sig_atomic_t timer_fired;
static struct kvm_run *volatile timer_run;

static void timer_handler(int sig)
{
	(void)sig;
	timer_fired = 1;
	if (timer_run)
		timer_run->immediate_exit = 1;
}

static void kick_handler(int sig)
{
	(void)sig;
}

/* Called with r->lock held. */
static void end_run_locked(struct gmm_runner *r, enum gmm_run_outcome outcome, unsigned int cpu,
			   const char *why)
{
	r->stop = true;
	if (r->result.outcome != GMM_RUN_RUNNING)
		return;
	r->result.outcome = outcome;
	r->result.cpu = cpu;
	if (outcome == GMM_RUN_GUEST_EXIT)
		r->result.verdict = r->exit_port->verdict;
	if (why)
		snprintf(r->result.why, sizeof(r->result.why), "%s", why);
	pthread_cond_broadcast(&r->ended);
}

static void *vcpu_thread(void *p)
{
	struct gmm_runner_arg *a = p;
	struct gmm_runner *r = a->r;
	struct gmm_vcpu *v = a->v;
	char why[200];

	for (;;) {
		enum gmm_exit_action act;
		int ret, err;

		ret = ioctl(v->fd, KVM_RUN, 0);
		err = ret < 0 ? errno : 0;
		pthread_mutex_lock(&r->lock);
		if (r->stop) {
			pthread_mutex_unlock(&r->lock);
			break;
		}
		if (ret < 0) {
			if (err == EINTR && timer_fired) {
				end_run_locked(r, GMM_RUN_TIMEOUT, v->index, NULL);
				pthread_mutex_unlock(&r->lock);
				break;
			}
			if (err == EINTR || err == EAGAIN) {
				pthread_mutex_unlock(&r->lock);
				continue;
			}
			snprintf(why, sizeof(why), "KVM_RUN failed: %s", strerror(err));
			end_run_locked(r, GMM_RUN_ERROR, v->index, why);
			pthread_mutex_unlock(&r->lock);
			break;
		}
		why[0] = 0;
		act = gmm_exit_dispatch(v->run, v->run_size, r->bus, why, sizeof(why));
		if (act == GMM_EXIT_ACTION_STOP)
			end_run_locked(r, GMM_RUN_GUEST_EXIT, v->index, NULL);
		else if (act == GMM_EXIT_ACTION_CRASH) {
			if (r->dump_to && r->result.outcome == GMM_RUN_RUNNING)
				gmm_vcpu_dump(v, r->dump_to);
			end_run_locked(r, GMM_RUN_CRASH, v->index, why);
		}
		pthread_mutex_unlock(&r->lock);
		if (act != GMM_EXIT_ACTION_CONTINUE)
			break;
	}
	return NULL;
}

/* A thread of its own for a vCPU: under the sandbox, it first narrows itself to the vCPU filter. */
static void *vcpu_thread_start(void *p)
{
	struct gmm_runner_arg *a = p;
	struct gmm_runner *r = a->r;
	int ret = gmm_seccomp_enter_vcpu();

	if (ret) {
		pthread_mutex_lock(&r->lock);
		end_run_locked(r, GMM_RUN_ERROR, a->v->index,
			       "cannot load the vCPU seccomp filter");
		pthread_mutex_unlock(&r->lock);
		return NULL;
	}
	return vcpu_thread(p);
}

static int runner_init(struct gmm_runner *r, struct gmm_vm *vm, struct gmm_bus *bus,
		       const struct gmm_exit_port *ep, void *dump_to)
{
	struct sigaction sa;
	pthread_condattr_t ca;

	memset(r, 0, sizeof(*r));
	r->vm = vm;
	r->bus = bus;
	r->exit_port = ep;
	r->dump_to = dump_to;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->ended, &ca);
	pthread_condattr_destroy(&ca);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler; /* no SA_RESTART: KVM_RUN must return EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(KICK_SIGNAL, &sa, NULL) < 0)
		return -errno;
	return 0;
}

/* threads for vCPUs [first, nr_cpus) */
static int runner_start_threads(struct gmm_runner *r, unsigned int first)
{
	struct gmm_vm *vm = r->vm;
	unsigned int i;
	int ret;

	for (i = first; i < vm->nr_cpus; i++) {
		r->args[i] = (struct gmm_runner_arg){ r, &vm->vcpus[i] };
		ret = pthread_create(&r->threads[r->nr_threads], NULL, vcpu_thread_start,
				     &r->args[i]);
		if (ret)
			return -ret;
		r->thread_cpu[r->nr_threads++] = i;
	}
	return 0;
}

int gmm_runner_start(struct gmm_runner *r, struct gmm_vm *vm, struct gmm_bus *bus,
		     const struct gmm_exit_port *ep, void *dump_to)
{
	int ret;

	if (!r || !vm || !bus)
		return -EINVAL;
	ret = runner_init(r, vm, bus, ep, dump_to);
	if (!ret)
		ret = runner_start_threads(r, 0);
	if (ret) {
		struct gmm_run_result ignored;

		gmm_runner_finish(r, &ignored);
	}
	return ret;
}

bool gmm_runner_wait(struct gmm_runner *r, uint64_t timeout_ms)
{
	struct timespec deadline;
	bool ended;

	if (!r)
		return true; /* nothing runs */
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)(timeout_ms / 1000);
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->lock);
	while (r->result.outcome == GMM_RUN_RUNNING) {
		int ret = timeout_ms ? pthread_cond_timedwait(&r->ended, &r->lock, &deadline) :
				       pthread_cond_wait(&r->ended, &r->lock);

		if (ret == ETIMEDOUT)
			break;
	}
	ended = r->result.outcome != GMM_RUN_RUNNING;
	pthread_mutex_unlock(&r->lock);
	return ended;
}

void gmm_runner_finish(struct gmm_runner *r, struct gmm_run_result *res)
{
	unsigned int i;

	if (!r || !res)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	if (r->result.outcome == GMM_RUN_RUNNING)
		r->result.outcome = GMM_RUN_TIMEOUT;
	pthread_mutex_unlock(&r->lock);
	for (i = 0; i < r->nr_threads; i++) {
		r->vm->vcpus[r->thread_cpu[i]].run->immediate_exit = 1;
		pthread_kill(r->threads[i], KICK_SIGNAL);
	}
	for (i = 0; i < r->nr_threads; i++)
		pthread_join(r->threads[i], NULL);
	r->nr_threads = 0;
	*res = r->result;
	pthread_cond_destroy(&r->ended);
	pthread_mutex_destroy(&r->lock);
}

int gmm_runner_run(struct gmm_runner *r, struct gmm_vm *vm, struct gmm_bus *bus,
		   const struct gmm_exit_port *ep, void *dump_to, uint64_t timeout_ms,
		   struct gmm_run_result *res)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = TIMER_SIGNAL };
	struct itimerspec its = { .it_value = { .tv_sec = (time_t)(timeout_ms / 1000),
						.tv_nsec = (long)(timeout_ms % 1000) * 1000000L } };
	struct gmm_runner_arg self;
	struct sigaction sa;
	timer_t timer;
	bool have_timer = false;
	int ret;

	if (!r || !vm || !bus || !res)
		return -EINVAL;
	ret = runner_init(r, vm, bus, ep, dump_to);
	if (ret)
		goto out;
	timer_fired = 0;
	timer_run = vm->vcpus[0].run;
	if (timeout_ms) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = timer_handler; /* no SA_RESTART, as for the kick */
		sigemptyset(&sa.sa_mask);
#ifdef sigev_notify_thread_id /* musl (the gmm program) */
		sev.sigev_notify_thread_id = gettid();
#else /* glibc before 2.41 names only the union member */
		sev._sigev_un._tid = gettid();
#endif
		if (sigaction(TIMER_SIGNAL, &sa, NULL) < 0 ||
		    timer_create(CLOCK_MONOTONIC, &sev, &timer) < 0) {
			ret = -errno;
			goto out;
		}
		have_timer = true;
		if (timer_settime(timer, 0, &its, NULL) < 0) {
			ret = -errno;
			goto out;
		}
	}
	ret = runner_start_threads(r, 1);
	if (ret)
		goto out;
	self = (struct gmm_runner_arg){ r, &vm->vcpus[0] };
	vcpu_thread(&self); /* returns once the run has ended, whoever ended it */
out:
	if (have_timer)
		timer_delete(timer);
	timer_run = NULL;
	gmm_runner_finish(r, res);
	return ret;
}
