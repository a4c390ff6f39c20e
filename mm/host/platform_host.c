// SPDX-License-Identifier: MIT
/*
 * mm/host/platform_host.c - mm/platform.h for an ordinary Linux process, and hosted memory.
 *
 * Single-threaded by design: the capture buffer, the simulated atomic flag and the attached
 * memory are process globals. platform_cpu_id() is 0 and irq_save/restore do nothing, which
 * is exact for one thread; those are inline, in mm/host/include/asm/mm_platform.h.
 */
#define _GNU_SOURCE
#include "mm/host/platform_host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/mm.h>
#include <linux/slab.h>

#include "mm/platform.h"

bool mm_host_atomic; /* read by platform_in_atomic(), asm/mm_platform.h */
static bool log_quiet;
static bool capture_on;
static char *capture_buf;
static size_t capture_len, capture_cap;

static void capture_append(const char *s)
{
	size_t n = strlen(s);

	if (capture_len + n + 1 > capture_cap) {
		size_t cap = capture_cap ? capture_cap : 4096;
		char *nb;

		while (capture_len + n + 1 > cap)
			cap *= 2;
		nb = realloc(capture_buf, cap);
		if (!nb)
			return;
		capture_buf = nb;
		capture_cap = cap;
	}
	memcpy(capture_buf + capture_len, s, n + 1);
	capture_len += n;
}

void platform_log(enum mm_log_level level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (capture_on)
		capture_append(line);
	if (!log_quiet)
		fputs(line, stderr);
}

void platform_panic(const char *fmt, ...)
{
	va_list ap;

	fputs("Kernel panic - not syncing: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

int platform_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

void mm_host_set_atomic(bool atomic)
{
	mm_host_atomic = atomic;
}

void mm_host_log_capture(bool on)
{
	capture_on = on;
	capture_len = 0;
	if (capture_buf)
		capture_buf[0] = '\0';
}

const char *mm_host_log_text(void)
{
	return capture_buf ? capture_buf : "";
}

void mm_host_log_quiet(bool quiet)
{
	log_quiet = quiet;
}

int mm_host_memory_create(struct mm_host_memory *mem, const struct mem_range *usable,
			  unsigned int nr_usable, const struct mem_range *reserved,
			  unsigned int nr_reserved)
{
	uint64_t top = 0, pfns;
	unsigned int i;
	int ret;

	memset(mem, 0, sizeof(*mem));
	mem->memfd = -1;
	for (i = 0; i < nr_usable; i++)
		if (usable[i].end > top)
			top = usable[i].end;
	top = (top + PAGE_SIZE - 1) & PAGE_MASK;
	pfns = top >> PAGE_SHIFT;
	if (pfns == 0 || pfns > PFN_NONE) {
		fprintf(stderr, "mm_host: memory map spans %llu pages; need 1..%u\n",
			(unsigned long long)pfns, PFN_NONE);
		return -EINVAL;
	}
	mem->memfd = memfd_create("gmm-host-phys", MFD_CLOEXEC);
	if (mem->memfd < 0) {
		ret = -errno;
		perror("mm_host: memfd_create");
		return ret;
	}
	if (ftruncate(mem->memfd, (off_t)top) < 0) {
		ret = -errno;
		perror("mm_host: ftruncate");
		goto err_close_memfd;
	}
	mem->phys = mmap(NULL, top, PROT_READ | PROT_WRITE, MAP_SHARED, mem->memfd, 0);
	if (mem->phys == MAP_FAILED) {
		ret = -errno;
		perror("mm_host: mmap of simulated physical memory");
		goto err_close_memfd;
	}
	mem->phys_size = top;
	mem->state = calloc(1, sizeof(*mem->state));
	mem->map = calloc(pfns, sizeof(*mem->map));
	if (!mem->state || !mem->map) {
		ret = -ENOMEM;
		fprintf(stderr, "mm_host: no memory for the page state of %llu pages\n",
			(unsigned long long)pfns);
		goto err_free_state;
	}
	ret = page_state_setup(mem->state, mem->map, pfns, ~0ull, usable, nr_usable, reserved,
			       nr_reserved);
	if (ret) {
		fprintf(stderr, "mm_host: bad memory map (overlapping or out of range)\n");
		goto err_free_state;
	}
	ret = page_alloc_attach(mem->state, mem->map, (uintptr_t)mem->phys);
	if (ret)
		goto err_free_state;
	kmem_cache_init(); /* the slab allocator over this memory: kmalloc() works from here */
	return 0;

err_free_state:
	free(mem->map);
	free(mem->state);
	munmap(mem->phys, top);
err_close_memfd:
	close(mem->memfd);
	memset(mem, 0, sizeof(*mem));
	mem->memfd = -1;
	return ret;
}

void mm_host_memory_destroy(struct mm_host_memory *mem)
{
	if (!mem->phys)
		return;
	if (page_alloc_state() == mem->state) {
		page_alloc_detach();
		kmem_cache_init(); /* forget caches whose slabs were in this memory */
	}
	munmap(mem->phys, mem->phys_size);
	close(mem->memfd);
	free(mem->map);
	free(mem->state);
	memset(mem, 0, sizeof(*mem));
	mem->memfd = -1;
}

static struct mm_host_memory process_memory;

int mm_host_init(uint64_t arena_bytes)
{
	struct mem_range all;

	if (arena_bytes < (1u << 20))
		arena_bytes = 1u << 20;
	all.start = 0;
	all.end = (arena_bytes + PAGE_SIZE - 1) & PAGE_MASK;
	mm_host_memory_destroy(&process_memory);
	return mm_host_memory_create(&process_memory, &all, 1, NULL, 0);
}
