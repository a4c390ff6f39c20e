// SPDX-License-Identifier: MIT
/*
 * mm/host/platform_host.c - mm/platform.h for an ordinary Linux process, and hosted memory.
 *
 * Single-threaded by design: the capture buffer, the simulated atomic flag and the attached
 * memory are process globals. platform_cpu_id() is 0 and irq_save/restore do nothing, which
 * is exact for one thread; those are inline, in mm/host/include/asm/mm_platform.h. The one
 * exception libgmm relies on: the page_state_*() readers of mm/page_state_report.c take their
 * state as arguments and touch no global, so libgmm calls them from several threads at once
 * (a vCPU thread's strict DMA check, the buddyinfo watcher).
 *
 * The vmalloc view: the guest's vmalloc area [VMALLOC_START, VMALLOC_END] cannot exist in a
 * Linux process (those are kernel addresses), so the process reserves a window of
 * HOST_VMALLOC_WINDOW bytes (PROT_NONE, no backing) on first use and the hosted vmalloc area is
 * that long. Offset o of the area is guest-virtual VMALLOC_START + o in the page tables (which
 * live in the simulated physical memory, like the guest's) and host address window + o for the
 * program; vmalloc_guest_va() converts. platform_vmap_view() mmaps the memfd pages of the
 * frames there with MAP_FIXED, so the same bytes are visible through the direct map (the
 * memfd's main mapping) and through the vmalloc view; platform_vunmap_view() puts PROT_NONE
 * back. Frames beyond the simulated memory (ioremap of the PCI hole) have no device behind
 * them here and get anonymous zero pages. TLB flushes are only counted.
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
#include "mm/vmalloc_admin.h"

#define HOST_VMALLOC_WINDOW (16ull << 30)

bool mm_host_atomic; /* read by platform_in_atomic(), asm/mm_platform.h */
static struct mm_host_memory *attached_memory; /* whose memfd backs the vmalloc view */
static uint8_t *vmalloc_window;
static uint64_t tlb_flush_calls;
static bool view_off; /* benchmarks of the core alone: vmalloc memory is not dereferenceable */
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

void *platform_vmalloc_view(uint64_t *size)
{
	if (!vmalloc_window) {
		void *p = mmap(NULL, HOST_VMALLOC_WINDOW, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED)
			platform_panic("mm_host: cannot reserve the vmalloc window: %s",
				       strerror(errno));
		vmalloc_window = p;
	}
	*size = HOST_VMALLOC_WINDOW;
	return vmalloc_window;
}

int platform_vmap_view(void *addr, uint64_t phys, size_t size, bool uncached)
{
	uint64_t backed = attached_memory ? attached_memory->phys_size : 0;
	size_t in_ram = 0;
	void *p;

	(void)uncached; /* a process cannot choose its caching; the PTEs say it */
	if (view_off)
		return 0;
	if (phys < backed)
		in_ram = phys + size <= backed ? size : backed - phys;
	if (in_ram) {
		p = mmap(addr, in_ram, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED | MAP_POPULATE,
			 attached_memory->memfd, (off_t)phys);
		if (p == MAP_FAILED)
			return -errno;
	}
	if (size > in_ram) {
		p = mmap((uint8_t *)addr + in_ram, size - in_ram, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
	}
	return 0;
}

void platform_vunmap_view(void *addr, size_t size)
{
	if (view_off)
		return;
	if (mmap(addr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		 -1, 0) == MAP_FAILED)
		platform_panic("mm_host: cannot unmap the vmalloc view: %s", strerror(errno));
}

void platform_flush_tlb_kernel_range(uint64_t start, uint64_t end)
{
	(void)start;
	(void)end;
	tlb_flush_calls++;
}

void mm_host_vmalloc_view(bool on)
{
	view_off = !on;
}

uint64_t mm_host_tlb_flushes(void)
{
	return tlb_flush_calls;
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
	vmalloc_reset(); /* vmalloc starts afresh on this memory at first use */
	attached_memory = mem;
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
	if (attached_memory == mem) {
		vmalloc_reset(); /* its tables and areas lived in this memory */
		attached_memory = NULL;
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
