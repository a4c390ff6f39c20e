// SPDX-License-Identifier: MIT
// tests/shim/headers_test.cc - every public header compiles as C++ (with C linkage where it
// declares functions), and the ABI layout is what the other side expects.
#include <abi/bootinfo.h>
#include <abi/console_port.h>
#include <abi/crc32.h>
#include <abi/dma_regs.h>
#include <abi/elf_note.h>
#include <abi/guest_layout.h>
#include <abi/page_state.h>
#include <abi/pci_regs.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <gtest/gtest.h>

#include "tests/shim/gmm_shim.h"
#include "tests/shim/mm_shim.h"
#include "tests/shim/pgtable_shim.h"
#include "tests/shim/slab_shim.h"
#include "tests/shim/vmalloc_shim.h"

#include "tests/e2e/guests/guest.h" /* its C-visible half: macros only */

TEST(Headers, PageStateLayoutIsFixed)
{
	// The VMM and the guest read the same bytes: sizes must not drift silently.
	EXPECT_EQ(sizeof(struct page), 32u);
	EXPECT_EQ(sizeof(struct per_cpu_pages) % 64, 0u);
	EXPECT_EQ(offsetof(struct page_state, zones) % 8, 0u);
}

TEST(Headers, GfpCompositionsMatchLinux)
{
	EXPECT_EQ(GFP_KERNEL, __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | __GFP_IO | __GFP_FS);
	EXPECT_EQ(GFP_ATOMIC, __GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	EXPECT_EQ(GFP_NOIO & (__GFP_IO | __GFP_FS), 0u);
	EXPECT_EQ(GFP_NOFS & __GFP_FS, 0u);
	EXPECT_NE(GFP_NOFS & __GFP_IO, 0u);
	EXPECT_EQ(GFP_USER, GFP_KERNEL | __GFP_HARDWALL);
	EXPECT_EQ(GFP_HIGHUSER, GFP_USER | __GFP_HIGHMEM);
	EXPECT_FALSE(gfpflags_allow_blocking(GFP_ATOMIC));
	EXPECT_FALSE(gfpflags_allow_blocking(GFP_NOWAIT));
	EXPECT_TRUE(gfpflags_allow_blocking(GFP_KERNEL));
}

TEST(Headers, BootinfoLayoutMatchesTheAssemblyGuests)
{
	// tests/e2e/guests/guest.h hard-codes these for assembly; a change here must change it too.
	EXPECT_EQ(BI_MAGIC, BOOTINFO_MAGIC);
	EXPECT_EQ(offsetof(struct bootinfo, version), (size_t)BI_VERSION);
	EXPECT_EQ(offsetof(struct bootinfo, nr_cpus), (size_t)BI_NR_CPUS);
	EXPECT_EQ(offsetof(struct bootinfo, cmdline_len), (size_t)BI_CMDLINE_LEN);
	EXPECT_EQ(offsetof(struct bootinfo, cmdline), (size_t)BI_CMDLINE);
	EXPECT_EQ(offsetof(struct bootinfo, nr_devices), (size_t)BI_NR_DEVICES);
	EXPECT_EQ(offsetof(struct bootinfo, devices), (size_t)BI_DEVICES);
	EXPECT_EQ(sizeof(struct bootinfo_device), (size_t)BI_DEVICE_SIZE);
	EXPECT_EQ(offsetof(struct bootinfo_device, base), (size_t)BI_DEVICE_BASE);
	EXPECT_EQ(offsetof(struct bootinfo_device, type), 0u);
	EXPECT_EQ(BI_DEV_CONSOLE_PORT, (int)BOOTINFO_DEV_CONSOLE_PORT);
	EXPECT_EQ(sizeof(struct console_port_desc), (size_t)CONSOLE_PORT_DESC_SIZE);
	EXPECT_EQ(offsetof(struct console_port_desc, len), 8u);
	EXPECT_EQ(offsetof(struct console_port_desc, reserved), 12u);
	EXPECT_EQ(offsetof(struct bootinfo, page_state_phys), (size_t)BI_PAGE_STATE_PHYS);
	EXPECT_EQ(GMM_NOTE_NAMESZ, GMM_ELFNOTE_NAMESZ);
	EXPECT_EQ(sizeof(GMM_ELFNOTE_NAME), (size_t)GMM_ELFNOTE_NAMESZ);
	EXPECT_EQ(GMM_NOTE_PAGE_STATE, GMM_ELFNOTE_PAGE_STATE);
	EXPECT_EQ((unsigned)GMM_NOTE_PAGE_STATE_VERSION, PAGE_STATE_VERSION);
	EXPECT_EQ(sizeof(struct bootinfo_mem), 24u);
	EXPECT_EQ(sizeof(struct bootinfo_device), 32u);
	EXPECT_EQ(sizeof(struct bootinfo) % 8, 0u);
	EXPECT_LE(sizeof(struct bootinfo), 0x4000u);
}

TEST(Headers, SlabFlagsMatchLinux)
{
	EXPECT_EQ(SLAB_HWCACHE_ALIGN, 0x2000u);
	EXPECT_EQ(SLAB_CACHE_DMA, 0x4000u);
	EXPECT_EQ(SLAB_POISON, 0x800u);
	EXPECT_EQ(SLAB_RED_ZONE, 0x400u);
	EXPECT_EQ(KMALLOC_MAX_SIZE, 4ul << 20);
	EXPECT_EQ(KMALLOC_MAX_CACHE_SIZE, 8192ul);
	EXPECT_TRUE(ZERO_OR_NULL_PTR(ZERO_SIZE_PTR));
}
