// SPDX-License-Identifier: MIT
/*
 * bench/kmalloc_bench.c - gmm's kmalloc/kfree side by side with glibc malloc, jemalloc, mimalloc
 * and tcmalloc, in the same process and the same run.
 *
 * Workloads:
 *  - pair N: kmalloc(N) immediately followed by kfree, N = 16, 64, 256, 1024, 4096 (the hot
 *    per-CPU fast path of every allocator);
 *  - mixed: 4096 slots, each step frees a random slot's block (if any) and allocates a new one
 *    of a random size (mostly small, up to 32 KiB), writing its first and last byte, so
 *    lifetimes are random; the sequence is generated once and replayed for every allocator.
 *
 * The peers are loaded with dlopen(RTLD_LOCAL) and called through their own entry points
 * (__libc_malloc/__libc_free, mallocx/dallocx, mi_malloc/mi_free, tc_malloc/tc_free), so none
 * of them replaces malloc for the others; a peer whose library is missing is skipped. gmm runs
 * on the hosted library after mm_host_init() (one CPU, no debugging).
 *
 * Each figure is the median of RUNS runs (min and max shown): cycles from __rdtsc() and ns
 * from clock_gettime(CLOCK_MONOTONIC) per operation (a pair, or a mixed step). --quick runs a
 * short version and checks that every allocation succeeded and kept its bytes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/slab.h>

#include "bench/bench_util.h"

#include "mm/host/platform_host.h"

#define MAX_PEERS 5
#define MIXED_SLOTS 4096

struct allocator {
	const char *name;
	void *(*alloc)(size_t size);
	void (*free)(void *p);
};

static void *gmm_alloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void gmm_free(void *p)
{
	kfree(p);
}

static void *(*je_mallocx)(size_t, int);
static void (*je_dallocx)(void *, int);

static void *je_alloc(size_t size)
{
	return je_mallocx(size, 0);
}

static void je_free(void *p)
{
	je_dallocx(p, 0);
}

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *p);

static struct allocator allocs[MAX_PEERS];
static unsigned int nr_allocs;

static void *load(const char *lib, const char *sym)
{
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		fprintf(stderr, "note: %s not loaded (%s); peer skipped\n", lib, dlerror());
		return NULL;
	}
	return dlsym(h, sym);
}

static void setup_allocators(void)
{
	void *a, *f;

	allocs[nr_allocs++] = (struct allocator){ "gmm", gmm_alloc, gmm_free };
	allocs[nr_allocs++] = (struct allocator){ "glibc", __libc_malloc, __libc_free };
	je_mallocx = load("libjemalloc.so.2", "mallocx");
	je_dallocx = load("libjemalloc.so.2", "dallocx");
	if (je_mallocx && je_dallocx)
		allocs[nr_allocs++] = (struct allocator){ "jemalloc", je_alloc, je_free };
	a = load("libmimalloc.so.2", "mi_malloc");
	f = load("libmimalloc.so.2", "mi_free");
	if (a && f)
		allocs[nr_allocs++] = (struct allocator){ "mimalloc", (void *(*)(size_t))a,
							  (void (*)(void *))f };
	a = load("libtcmalloc_minimal.so.4", "tc_malloc");
	f = load("libtcmalloc_minimal.so.4", "tc_free");
	if (a && f)
		allocs[nr_allocs++] = (struct allocator){ "tcmalloc", (void *(*)(size_t))a,
							  (void (*)(void *))f };
}

static int failures;

/* ---- pairs ---- */

static struct bench_sample run_pair(const struct allocator *a, size_t size, unsigned long iters)
{
	struct bench_sample s;
	uint64_t t0, c0, c1, t1;
	unsigned long i;

	t0 = bench_now_ns();
	c0 = __rdtsc();
	for (i = 0; i < iters; i++) {
		void *p = a->alloc(size);

		__asm__ volatile("" : : "r"(p) : "memory"); /* keep the pair */
		a->free(p);
	}
	c1 = __rdtsc();
	t1 = bench_now_ns();
	s.cycles = (double)(c1 - c0) / (double)iters;
	s.ns = (double)(t1 - t0) / (double)iters;
	return s;
}

/* ---- mixed ---- */

struct step {
	uint32_t slot;
	uint32_t size;
};

static struct step *mixed_steps;
static void *slots[MIXED_SLOTS];
static uint32_t slot_size[MIXED_SLOTS];

static uint64_t rng_state = 0x6d6d6d6d12345678ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint32_t mixed_size(void)
{
	unsigned int r = (unsigned int)(rng() % 100);

	if (r < 60)
		return 8 + (uint32_t)(rng() % 120);
	if (r < 85)
		return 128 + (uint32_t)(rng() % 896);
	if (r < 99)
		return 1024 + (uint32_t)(rng() % 7168);
	return 8192 + (uint32_t)(rng() % 24576);
}

static void make_mixed(unsigned long n)
{
	unsigned long i;

	mixed_steps = calloc(n, sizeof(*mixed_steps));
	for (i = 0; i < n; i++) {
		mixed_steps[i].slot = (uint32_t)(rng() % MIXED_SLOTS);
		mixed_steps[i].size = mixed_size();
	}
}

static struct bench_sample run_mixed(const struct allocator *a, unsigned long n)
{
	struct bench_sample s;
	uint64_t t0, c0, c1, t1;
	unsigned long i;

	memset(slots, 0, sizeof(slots));
	t0 = bench_now_ns();
	c0 = __rdtsc();
	for (i = 0; i < n; i++) {
		uint32_t k = mixed_steps[i].slot, size = mixed_steps[i].size;
		unsigned char *p;

		if (slots[k]) {
			p = slots[k];
			if (p[0] != (unsigned char)k || p[slot_size[k] - 1] != (unsigned char)k)
				failures++;
			a->free(p);
		}
		p = a->alloc(size);
		if (!p) {
			failures++;
			slots[k] = NULL;
			continue;
		}
		p[0] = (unsigned char)k;
		p[size - 1] = (unsigned char)k;
		slots[k] = p;
		slot_size[k] = size;
	}
	c1 = __rdtsc();
	t1 = bench_now_ns();
	for (i = 0; i < MIXED_SLOTS; i++)
		if (slots[i])
			a->free(slots[i]);
	s.cycles = (double)(c1 - c0) / (double)n;
	s.ns = (double)(t1 - t0) / (double)n;
	return s;
}

/* ---- reporting ---- */

static void report(const char *row, const char *what, struct bench_result *f)
{
	unsigned int i;

	printf("%-16s", what);
	for (i = 0; i < nr_allocs; i++)
		printf(" %9.1f", f[i].median.cycles);
	printf("   |");
	for (i = 1; i < nr_allocs; i++)
		printf(" %8.2fx", f[i].median.cycles / f[0].median.cycles);
	printf("\n");
	for (i = 0; i < nr_allocs; i++)
		printf("    %-9s Per elem: %.1f cycles(tsc) %.2f ns  (min %.1f, max %.1f cycles)\n",
		       allocs[i].name, f[i].median.cycles, f[i].median.ns, f[i].min.cycles,
		       f[i].max.cycles);
	printf("BENCH %s %.1f cycles min=%.1f max=%.1f", row, f[0].median.cycles,
	       f[0].min.cycles, f[0].max.cycles);
	for (i = 1; i < nr_allocs; i++)
		printf(" peer=%s:%.1f", allocs[i].name, f[i].median.cycles);
	printf("\n");
}

static void header(void)
{
	unsigned int i;

	printf("%-16s", "cycles/op");
	for (i = 0; i < nr_allocs; i++)
		printf(" %9s", allocs[i].name);
	printf("   |");
	for (i = 1; i < nr_allocs; i++)
		printf(" %9s", allocs[i].name);
	printf("  (peer / gmm: above 1 means gmm is faster)\n");
}

int main(int argc, char **argv)
{
	static const size_t pair_sizes[] = { 16, 64, 256, 1024, 4096 };
	int quick = bench_quick(argc, argv);
	unsigned long pair_iters = quick ? 20000 : 2000000;
	unsigned long mixed_n = quick ? 50000 : 2000000;
	unsigned int runs = quick ? 3 : 7, r, i, k;
	struct bench_sample samples[MAX_PEERS][BENCH_MAX_RUNS];
	struct bench_result figs[MAX_PEERS];
	char row[64], what[64];

	/*
	 * jemalloc uses initial-exec TLS; dlopen() then needs glibc's optional static TLS, which
	 * is only sized at process start: re-run ourselves once with a bigger reserve.
	 */
	if (!dlopen("libjemalloc.so.2", RTLD_NOW | RTLD_LOCAL) && !getenv("GMM_BENCH_REEXEC")) {
		setenv("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=65536", 1);
		setenv("GMM_BENCH_REEXEC", "1", 1);
		execv("/proc/self/exe", argv);
	}
	if (mm_host_init(512ull << 20)) {
		fprintf(stderr, "mm_host_init failed\n");
		return 1;
	}
	mm_host_log_quiet(true);
	setup_allocators();
	make_mixed(mixed_n);
	printf("kmalloc_bench: %u runs per figure, median shown; %s\n", runs,
	       quick ? "quick mode" : "full mode");
	header();
	for (k = 0; k < sizeof(pair_sizes) / sizeof(pair_sizes[0]); k++) {
		for (i = 0; i < nr_allocs; i++)
			run_pair(&allocs[i], pair_sizes[k], pair_iters / 10); /* warm up */
		/* interleave allocators run by run, so drift hits all alike */
		for (r = 0; r < runs; r++)
			for (i = 0; i < nr_allocs; i++)
				samples[i][r] = run_pair(&allocs[i], pair_sizes[k], pair_iters);
		for (i = 0; i < nr_allocs; i++)
			figs[i] = bench_summarise(samples[i], (int)runs);
		snprintf(row, sizeof(row), "kmalloc_pair_%zu", pair_sizes[k]);
		snprintf(what, sizeof(what), "pair %zu B", pair_sizes[k]);
		report(row, what, figs);
	}
	for (i = 0; i < nr_allocs; i++)
		run_mixed(&allocs[i], mixed_n / 4);
	for (r = 0; r < runs; r++)
		for (i = 0; i < nr_allocs; i++)
			samples[i][r] = run_mixed(&allocs[i], mixed_n);
	for (i = 0; i < nr_allocs; i++)
		figs[i] = bench_summarise(samples[i], (int)runs);
	report("kmalloc_mixed", "mixed", figs);

	if (failures) {
		fprintf(stderr, "FAIL: %d allocations failed or lost their bytes\n", failures);
		return 1;
	}
	for (i = 0; i < nr_allocs; i++)
		if (!(figs[i].median.cycles > 0)) {
			fprintf(stderr, "FAIL: %s has no sane figure\n", allocs[i].name);
			return 1;
		}
	return 0;
}
