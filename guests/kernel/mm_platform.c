// SPDX-License-Identifier: MIT
/*
 * guests/kernel/mm_platform.c - mm/platform.h for the guest kernel.
 *
 * Logs go to printk; a panic ends the run with GUEST_VERDICT_PANIC. The functions on the
 * allocators' fast paths (irq save/restore, cpu id, in_atomic) are static inline in
 * guests/kernel/include/asm/mm_platform.h. vmalloc's view is the vmalloc area itself: the page
 * tables are the mapping, so mapping a view costs nothing and a TLB flush is invlpg per page
 * (a full flush above 64 pages).
 */
#include "mm/platform.h"

#include <abi/guest_layout.h>

#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"

void platform_panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	panic("%s", msg);
}

void platform_log(enum mm_log_level level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

int platform_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

void *platform_vmalloc_view(uint64_t *size)
{
	*size = VMALLOC_SIZE_MAX;
	return (void *)(uintptr_t)VMALLOC_START;
}

int platform_vmap_view(void *addr, uint64_t phys, size_t size, bool uncached)
{
	(void)addr;
	(void)phys;
	(void)size;
	(void)uncached;
	return 0;
}

void platform_vunmap_view(void *addr, size_t size)
{
	(void)addr;
	(void)size;
}

void platform_flush_tlb_kernel_range(uint64_t start, uint64_t end)
{
	uint64_t va;

	if (end - start > 64 * 4096ull) {
		flush_tlb_all();
		return;
	}
	for (va = start & ~4095ull; va < end; va += 4096)
		invlpg(va);
}
