// SPDX-License-Identifier: MIT
/*
 * guests/kernel/main.c - where both boot paths meet: kernel_main(bootinfo).
 *
 * gmm_main() is reached from startup_64 (gmm), pvh_main() from pvh_start (QEMU); both end in
 * kernel_main(), which sets up the console, the IDT and memory, runs the KTAP suites the
 * command line selects ("ktap.suites=a,b"; all by default) and reports the verdict through the
 * exit port. "crashtest=pagefault" faults on purpose first (tests of the exception report).
 *
 * Memory: under gmm the page state already exists (the image carries the GMM page-state note,
 * so gmm built it over guest RAM, reserving what it placed) and is adopted as is. Under PVH the kernel builds it with memblock, the early
 * allocator, which then hands all remaining RAM to the buddy allocator.
 */
#include <abi/bootinfo.h>
#include <abi/elf_note.h>
#include <abi/guest_layout.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "guests/arch/x86/apic.h"
#include "guests/arch/x86/smp.h"
#include "guests/arch/x86/processor.h"
#include "guests/arch/x86/traps.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"
#include "mm/vmalloc_admin.h"

extern char _text[], _end[];
extern uint64_t guest_tsc_khz; /* guests/tests/bench_suite.c */

/* Pages memblock gave the buddy allocator on the PVH path; 0 when gmm built the state. */
uint64_t memblock_handed_over;

/* The boot info this kernel started with (gmm's, or the one built from PVH's start info). */
const struct bootinfo *guest_bootinfo;

/*
 * "crashtest=pagefault" on the command line: touch an unmapped address in the vmalloc area
 * before any suite runs, so tests can see the exception report and the verdict it causes.
 */
#define CRASHTEST_ADDRESS (VMALLOC_START + (1ull << 36))

static void maybe_crash(const char *cmdline)
{
	if (strstr(cmdline, "crashtest=pagefault")) {
		printk("crashtest: writing to %#llx, which is not mapped\n",
		       (unsigned long long)CRASHTEST_ADDRESS);
		*(volatile uint64_t *)(uintptr_t)CRASHTEST_ADDRESS = 1;
		printk("crashtest: the write did not fault\n");
	}
}

static uint64_t pa_symbol(const void *p)
{
	return (uint64_t)(uintptr_t)p - __START_KERNEL_map;
}

static void *va(uint64_t pa)
{
	return (void *)(uintptr_t)(PAGE_OFFSET + pa);
}

/*
 * The GMM page-state note (include/abi/elf_note.h): under gmm this kernel adopts the page state
 * gmm builds over its RAM (mm_adopt); without the note gmm would build none and the kernel
 * would build its own with memblock (mm_build), as on the PVH path.
 */
static const struct {
	uint32_t namesz, descsz, type;
	char name[GMM_ELFNOTE_NAMESZ];
	uint32_t version;
} gmm_page_state_note __attribute__((section(".note.gmm"), aligned(4), used)) = {
	GMM_ELFNOTE_NAMESZ, sizeof(uint32_t), GMM_ELFNOTE_PAGE_STATE, GMM_ELFNOTE_NAME,
	PAGE_STATE_VERSION,
};

static void mm_adopt(const struct bootinfo *bi)
{
	if (page_alloc_attach(va(bi->page_state_phys), va(bi->mem_map_phys), PAGE_OFFSET))
		panic("mm: the page state gmm prepared at %#llx is not a page state of version %u",
		      (unsigned long long)bi->page_state_phys, PAGE_STATE_VERSION);
	printk("mm: adopted the page state gmm prepared (%llu pages, page-frame array at %#llx)\n",
	       (unsigned long long)bi->max_pfn, (unsigned long long)bi->mem_map_phys);
}

/*
 * memblock first (Linux's boot order): RAM from the memory map, page 0 and the image reserved;
 * the page state and the page-frame array come from memblock; then every page memblock did not
 * hand out goes to the buddy allocator.
 */
static void mm_build(const struct bootinfo *bi)
{
	struct page_state *ps;
	struct page *map;
	uint64_t max;
	unsigned int i;
	long freed;

	memblock_init(PAGE_OFFSET);
	for (i = 0; i < bi->nr_mem && i < BOOTINFO_MAX_MEM; i++)
		if (bi->mem[i].type == BOOTINFO_MEM_RAM &&
		    memblock_add(bi->mem[i].start, bi->mem[i].size))
			panic("mm: memblock cannot take RAM range %u", i);
	memblock_reserve(0, PAGE_SIZE); /* real-mode IVT and BIOS data */
	memblock_reserve(pa_symbol(_text), PAGE_ALIGN(pa_symbol(_end)) - pa_symbol(_text));
	max = memblock_end_of_ram() >> PAGE_SHIFT;
	if (!max)
		panic("mm: the memory map has no RAM");
	ps = memblock_alloc(sizeof(*ps), PAGE_SIZE);
	map = memblock_alloc(max * sizeof(struct page), PAGE_SIZE);
	if (!ps || !map)
		panic("mm: memblock cannot place the page state for %llu pages",
		      (unsigned long long)max);
	if (page_state_init(ps, map, max, (uintptr_t)map - PAGE_OFFSET))
		panic("mm: cannot initialise the page state");
	freed = memblock_free_all(ps, map);
	if (freed <= 0 || page_alloc_attach(ps, map, PAGE_OFFSET))
		panic("mm: memblock handed no memory to the buddy allocator (%ld)", freed);
	memblock_handed_over = (uint64_t)freed;
	printk("mm: memblock placed the page state for %llu pages and handed %ld pages to the "
	       "buddy allocator\n",
	       (unsigned long long)max, freed);
}

static const char *cmdline_value(const char *cmdline, const char *key, char *out, size_t size)
{
	const char *p = strstr(cmdline, key);
	size_t i = 0;

	if (!p)
		return NULL;
	p += strlen(key);
	while (p[i] && p[i] != ' ' && i + 1 < size) {
		out[i] = p[i];
		i++;
	}
	out[i] = '\0';
	return out;
}

void kernel_main(const struct bootinfo *bi)
{
	char suites[256];
	const char *filter;
	bool ok;

	console_init(bi);
	x86_idt_init();
	local_irq_enable(); /* no interrupt source is enabled yet; allocations may sleep now */
	printk("gmm test guest: %u CPU(s), command line \"%s\"\n", bi->nr_cpus, bi->cmdline);
	guest_bootinfo = bi;
	guest_tsc_khz = bi->tsc_khz;
	if (bi->page_state_phys)
		mm_adopt(bi);
	else
		mm_build(bi);
	kmem_cache_init();
	if (vmalloc_init(read_cr3() & ~0xfffull))
		panic("vmalloc: cannot adopt the page tables at CR3 %#lx", read_cr3());
	if (apic_init())
		panic("cannot map the local APIC");
	printk("apic: local APIC %u (version %#x) enabled\n", apic_id(), apic_version());
	smp_boot(bi);
	maybe_crash(bi->cmdline);
	filter = cmdline_value(bi->cmdline, "ktap.suites=", suites, sizeof(suites));
	ok = ktap_run_all(filter);
	guest_exit(ok ? GUEST_VERDICT_PASS : GUEST_VERDICT_FAIL);
}

void gmm_main(uint64_t bootinfo_pa);
void gmm_main(uint64_t bootinfo_pa)
{
	const struct bootinfo *bi = va(bootinfo_pa);

	if (bi->magic != BOOTINFO_MAGIC || bi->version != BOOTINFO_VERSION) {
		console_init(NULL);
		panic("boot info at %#llx: bad magic or version %u (expected %u)",
		      (unsigned long long)bootinfo_pa, bi->version, BOOTINFO_VERSION);
	}
	kernel_main(bi);
}
