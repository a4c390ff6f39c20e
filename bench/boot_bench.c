// SPDX-License-Identifier: MIT
/*
 * bench/boot_bench.c - gmm against QEMU microvm, booting the same minimal guest, same run.
 *
 * The guest is tests/e2e/guests/hello.elf: gmm enters it in long mode at its ELF entry, QEMU
 * (-machine microvm, PVH) at the 32-bit entry of its PVH note; both paths print a greeting
 * (under gmm also two more lines, through gmm's console port, a VM exit per line; under QEMU
 * on COM1, a VM exit per byte) and write 0 to port 0xf4, which ends the run (gmm: exit
 * status 0; QEMU with isa-debug-exit: status (0 << 1) | 1 = 1). Runs alternate between the
 * two so that load on the machine hits both alike. hello.elf has no GMM page-state note, so gmm builds no page state
 * for it (include/abi/elf_note.h); --guest hello_page_state.elf --row-prefix boot_page_state
 * measures the same guest with the note, i.e. with the buddy page state built over its RAM;
 * --gmm-arg --no-console-port --row-prefix boot_serial the same guest printing on COM1 alone.
 *
 * Figures, each the median of the runs with min and max:
 *  - exec -> exit wall time: from just before fork() to wait4() returning, i.e. exec, VM
 *    setup, the guest's run, the VMM's exit and teardown. (Also in TSC cycles.)
 *    Also, for gmm alone: exec -> the end of the run (the verdict is known; VM teardown not
 *    counted), from the CLOCK_MONOTONIC time gmm --stats reports (ended_mono_us).
 *  - peak RSS beyond guest memory: ru_maxrss of the child from wait4 (its peak resident set,
 *    VmHWM) minus the guest RAM that was resident. gmm reports the latter itself (--stats:
 *    mincore over guest RAM at exit; gmm never frees guest RAM, so that is also its peak).
 *    For QEMU nothing is subtracted: the PVH guest touches a few pages of RAM (the image,
 *    start_info, the memory map), well under 0.1 MiB, so QEMU's figure is overstated by at
 *    most that.
 *  - exec -> first guest instruction (gmm only): exec -> the end of the run (above) minus the
 *    guest's run as gmm reports it (--stats run_us: first KVM_RUN to the exit port), i.e.
 *    fork, exec, dynamic loading, VM creation and loading the image. QEMU has no such figure.
 *
 * Usage: boot_bench [--quick] [--runs N] [--gap MS] [--mem SIZE] [--gmm PATH] [--guest PATH]
 *                   [--qemu PATH] [--row-prefix P] [--gmm-arg ARG]...
 *                   (defaults: 30 runs back to back, the Bazel runfiles, qemu-system-x86_64,
 *                   128M, rows named boot_...; --gmm-arg adds an option to gmm run)
 * Without a usable /dev/kvm it prints SKIP with the reason and exits 0; without QEMU it
 * measures gmm alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define MAX_RUNS     200
#define MAX_GMM_ARGS 4

struct sample {
	double ns;
	double cycles;
	double rss_kib;	   /* ru_maxrss */
	double beyond_kib; /* ru_maxrss minus guest RAM resident */
	double first_ns;   /* gmm only: exec -> first KVM_RUN (ended_mono_us - run_us) */
	double verdict_ns; /* gmm only: exec -> the run ended (verdict in hand, before teardown) */
	uint64_t t0;	   /* CLOCK_MONOTONIC just before fork */
};

struct opts {
	int runs;
	int gap_ms;
	bool quick;
	const char *mem, *gmm, *guest, *qemu, *prefix;
	const char *gmm_args[MAX_GMM_ARGS]; /* extra options for gmm run */
	int nr_gmm_args;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static char *slurp(int fd)
{
	static char buf[65536];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/* Run @argv; fill @s; return its exit status (or -1). @err_out receives its stderr. */
static int spawn(char *const argv[], struct sample *s, char **err_out)
{
	int out = memfd_create("out", 0), err = memfd_create("err", 0);
	struct rusage ru;
	uint64_t c0;
	int ws = 0;
	pid_t pid;

	c0 = __rdtsc();
	s->t0 = now_ns();
	pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &ws, 0, &ru) != pid)
		return -1;
	s->ns = (double)(now_ns() - s->t0);
	s->cycles = (double)(__rdtsc() - c0);
	s->rss_kib = (double)ru.ru_maxrss;
	s->beyond_kib = s->rss_kib;
	if (err_out)
		*err_out = strdup(slurp(err));
	close(out);
	close(err);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

/*
 * --gap: a pause before each run, so that what a VM's teardown leaves behind in the kernel
 * does not land on the next run. Measured here it makes both VMMs slower, not faster (gmm
 * 3.9 -> 5.2 ms, QEMU 55 -> 59 ms with 50 ms pauses: idle CPUs wake up slower), so the
 * default is back to back.
 */
static void settle(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	if (ms > 0)
		nanosleep(&ts, NULL);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stat3 {
	double median, min, max;
};

static struct stat3 summarise(const struct sample *s, int n, size_t field)
{
	double v[MAX_RUNS];
	int i;

	for (i = 0; i < n; i++)
		v[i] = *(const double *)((const char *)&s[i] + field);
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return (struct stat3){ v[n / 2], v[0], v[n - 1] };
}

static bool usable_kvm(char *why, size_t len)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, len, "cannot open /dev/kvm: %s", strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

static bool have_qemu(const char *qemu)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", qemu);
	return system(cmd) == 0;
}

static void parse(int argc, char **argv, struct opts *o)
{
	int i;

	*o = (struct opts){ .runs = 30,
			    .gap_ms = 0,
			    .mem = "128M",
			    .gmm = "vmm/gmm",
			    .guest = "tests/e2e/guests/hello.elf",
			    .qemu = "qemu-system-x86_64",
			    .prefix = "boot" };
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			o->quick = true;
			o->runs = 3;
		} else if (i + 1 < argc && !strcmp(argv[i], "--runs")) {
			o->runs = atoi(argv[++i]);
		} else if (i + 1 < argc && !strcmp(argv[i], "--gap")) {
			o->gap_ms = atoi(argv[++i]);
		} else if (i + 1 < argc && !strcmp(argv[i], "--mem")) {
			o->mem = argv[++i];
		} else if (i + 1 < argc && !strcmp(argv[i], "--gmm")) {
			o->gmm = argv[++i];
		} else if (i + 1 < argc && !strcmp(argv[i], "--guest")) {
			o->guest = argv[++i];
		} else if (i + 1 < argc && !strcmp(argv[i], "--qemu")) {
			o->qemu = argv[++i];
		} else if (i + 1 < argc && !strcmp(argv[i], "--row-prefix")) {
			o->prefix = argv[++i];
		} else if (i + 1 < argc && !strcmp(argv[i], "--gmm-arg") &&
			   o->nr_gmm_args < MAX_GMM_ARGS) {
			o->gmm_args[o->nr_gmm_args++] = argv[++i];
		} else {
			fprintf(stderr,
				"usage: boot_bench [--quick] [--runs N] [--gap MS] [--mem SIZE] "
				"[--gmm PATH] [--guest PATH] [--qemu PATH] [--row-prefix P] "
				"[--gmm-arg ARG]... (at most %d)\n",
				MAX_GMM_ARGS);
			exit(2);
		}
	}
	if (o->runs < 1 || o->runs > MAX_RUNS) {
		fprintf(stderr, "boot_bench: --runs 1..%d\n", MAX_RUNS);
		exit(2);
	}
}

static void print_row(const char *prefix, const char *row, const char *unit, double scale,
		      struct stat3 g, const struct stat3 *q)
{
	printf("BENCH %s_%s %.3f %s min=%.3f max=%.3f", prefix, row, g.median / scale, unit,
	       g.min / scale, g.max / scale);
	if (q)
		printf(" peer=qemu_microvm:%.3f", q->median / scale);
	printf("\n");
}

int main(int argc, char **argv)
{
	static struct sample gs[MAX_RUNS], qs[MAX_RUNS];
	struct stat3 gt, gc, gr, gb, gf, gv, qt, qc, qr, qb;
	char why[256], qmem[32];
	struct opts o;
	bool qemu;
	int i, bad = 0;

	parse(argc, argv, &o);
	if (!usable_kvm(why, sizeof(why))) {
		printf("SKIP boot_bench: %s\n", why);
		return 0;
	}
	qemu = have_qemu(o.qemu);
	if (!qemu)
		printf("note: %s not found, measuring gmm alone\n", o.qemu);
	snprintf(qmem, sizeof(qmem), "%s", o.mem);

	char *gmm_argv[6 + MAX_GMM_ARGS + 1] = { (char *)o.gmm, "run", "--stats", "--mem",
						 (char *)o.mem };
	int ga = 5;

	for (int k = 0; k < o.nr_gmm_args; k++)
		gmm_argv[ga++] = (char *)o.gmm_args[k];
	gmm_argv[ga++] = (char *)o.guest;
	gmm_argv[ga] = NULL;
	char *qemu_argv[] = { (char *)o.qemu,
			      "-accel",
			      "kvm",
			      "-machine",
			      "microvm",
			      "-nodefaults",
			      "-no-user-config",
			      "-display",
			      "none",
			      "-m",
			      qmem,
			      "-kernel",
			      (char *)o.guest,
			      "-device",
			      "isa-debug-exit,iobase=0xf4,iosize=4",
			      NULL };

	for (i = 0; i < o.runs; i++) {
		char *err = NULL;
		unsigned long guest_kib = 0, run_us = 0;
		unsigned long long ended_us = 0;
		const char *st, *rs, *en;
		int status;

		settle(o.gap_ms);
		status = spawn(gmm_argv, &gs[i], &err);

		st = err ? strstr(err, "gmm-stats guest_resident_kib=") : NULL;
		if (status != 0 || !st ||
		    sscanf(st, "gmm-stats guest_resident_kib=%lu", &guest_kib) != 1) {
			fprintf(stderr, "boot_bench: gmm run %d: status %d, stderr:\n%s\n", i,
				status, err ? err : "");
			bad++;
		}
		rs = st ? strstr(st, " run_us=") : NULL;
		if (!rs || sscanf(rs, " run_us=%lu", &run_us) != 1) {
			fprintf(stderr, "boot_bench: gmm run %d: no run_us in --stats\n", i);
			bad++;
		}
		gs[i].beyond_kib = gs[i].rss_kib - (double)guest_kib;
		en = err ? strstr(err, "ended_mono_us=") : NULL;
		if (en && sscanf(en, "ended_mono_us=%llu", &ended_us) == 1)
			gs[i].verdict_ns = (double)ended_us * 1000.0 - (double)gs[i].t0;
		gs[i].first_ns = gs[i].verdict_ns - 1000.0 * (double)run_us;
		free(err);
		if (qemu) {
			settle(o.gap_ms);
			status = spawn(qemu_argv, &qs[i], NULL);
			if (status != 1) {
				fprintf(stderr, "boot_bench: qemu run %d: status %d (want 1)\n", i,
					status);
				bad++;
			}
		}
	}
	if (bad) {
		fprintf(stderr, "boot_bench: %d failed runs\n", bad);
		return 1;
	}

	gt = summarise(gs, o.runs, offsetof(struct sample, ns));
	gc = summarise(gs, o.runs, offsetof(struct sample, cycles));
	gr = summarise(gs, o.runs, offsetof(struct sample, rss_kib));
	gb = summarise(gs, o.runs, offsetof(struct sample, beyond_kib));
	gf = summarise(gs, o.runs, offsetof(struct sample, first_ns));
	gv = summarise(gs, o.runs, offsetof(struct sample, verdict_ns));
	printf("boot of %s, %s RAM, %d runs each, alternating, %d ms pause before each run\n",
	       o.guest, o.mem, o.runs, o.gap_ms);
	printf("gmm          Per elem: %.0f cycles(tsc) %.0f ns  (exec->exit; min %.2f ms, "
	       "max %.2f ms)\n",
	       gc.median, gt.median, gt.min / 1e6, gt.max / 1e6);
	printf("gmm          peak RSS %.0f KiB, beyond guest memory %.0f KiB (min %.0f, max %.0f)\n",
	       gr.median, gb.median, gb.min, gb.max);
	printf("gmm          exec->verdict %.2f ms (min %.2f, max %.2f): the run over, before teardown\n",
	       gv.median / 1e6, gv.min / 1e6, gv.max / 1e6);
	if (qemu) {
		qt = summarise(qs, o.runs, offsetof(struct sample, ns));
		qc = summarise(qs, o.runs, offsetof(struct sample, cycles));
		qr = summarise(qs, o.runs, offsetof(struct sample, rss_kib));
		qb = qr;
		printf("qemu microvm Per elem: %.0f cycles(tsc) %.0f ns  (exec->exit; min %.2f ms, "
		       "max %.2f ms)\n",
		       qc.median, qt.median, qt.min / 1e6, qt.max / 1e6);
		printf("qemu microvm peak RSS %.0f KiB (nothing subtracted, see the head comment)\n",
		       qr.median);
		printf("ratios gmm/qemu: time %.3f (target <= 0.05), RSS beyond guest %.3f "
		       "(target <= 0.08)\n",
		       gt.median / qt.median, gb.median / qb.median);
	}
	printf("gmm          exec->first guest instruction %.2f ms (min %.2f, max %.2f)\n",
	       gf.median / 1e6, gf.min / 1e6, gf.max / 1e6);
	print_row(o.prefix, "exec_to_first_instruction_ms", "ms", 1e6, gf, NULL);
	print_row(o.prefix, "exec_to_exit_ms", "ms", 1e6, gt, qemu ? &qt : NULL);
	print_row(o.prefix, "exec_to_verdict_ms", "ms", 1e6, gv, NULL);
	print_row(o.prefix, "exec_to_exit_cycles", "cycles", 1, gc, qemu ? &qc : NULL);
	print_row(o.prefix, "peak_rss_beyond_guest_kib", "KiB", 1, gb, qemu ? &qb : NULL);
	print_row(o.prefix, "peak_rss_kib", "KiB", 1, gr, qemu ? &qr : NULL);

	/* sanity, also in --quick: figures in a plausible range */
	if (gt.median <= 0 || gt.median > 5e9 || gr.median <= 0) {
		fprintf(stderr, "boot_bench: implausible gmm figures\n");
		return 1;
	}
	return 0;
}
