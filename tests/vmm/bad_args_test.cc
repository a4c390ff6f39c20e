// SPDX-License-Identifier: MIT
// tests/vmm/bad_args_test.cc - every public function of include/gmm/ given bad arguments (NULL,
// zero sizes, ranges that overflow or leave guest RAM) refuses with a negative errno, or, where
// its return value cannot say so, does what its kernel-doc promises (nothing, NULL, 0, false)
// instead of crashing. The headers are included directly: they are C++-clean (tests/install).
// Not covered here, because their files belong to other work in progress (issue 16): the
// gmm_vm_* functions of vmm/kvm.c, gmm_machine_* (tests/vmm/machine_test.cc), the DMA device.
#include <gmm/boot.h>
#include <gmm/bus.h>
#include <gmm/devices.h>
#include <gmm/exit.h>
#include <gmm/guest_mem.h>
#include <gmm/guest_page_state.h>
#include <gmm/io_sequence.h>
#include <gmm/loader.h>
#include <gmm/pci.h>
#include <gmm/run.h>
#include <gmm/seccomp.h>
#include <gmm/version.h>
#include <gmm/view.h>
#include <gmm/vm.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <gtest/gtest.h>

namespace {

class BadArgs : public ::testing::Test {
protected:
	void SetUp() override { ASSERT_EQ(gmm_mem_create(&gm_, 4ull << 20, GMM_MEM_BACKING_SHMEM), 0); }
	void TearDown() override { gmm_mem_destroy(&gm_); }
	struct gmm_mem gm_;
	char err_[256] = "";
};

TEST_F(BadArgs, GuestMemRefusesNullZeroAndOverflowingRanges)
{
	struct gmm_mem_region regions[GMM_MEM_MAX_REGIONS];
	uint8_t buf[16] = {};

	EXPECT_EQ(gmm_mem_layout(64ull << 20, nullptr), -EINVAL);
	EXPECT_EQ(gmm_mem_layout(0, regions), -EINVAL);
	EXPECT_EQ(gmm_mem_layout(UINT64_MAX, regions), -EINVAL);
	EXPECT_EQ(gmm_mem_create(nullptr, 4ull << 20, GMM_MEM_BACKING_SHMEM), -EINVAL);
	{
		struct gmm_mem small;
		EXPECT_EQ(gmm_mem_create(&small, 4096, GMM_MEM_BACKING_SHMEM), -EINVAL);
		gmm_mem_destroy(&small); // reset by the failed create: safe
	}
	EXPECT_EQ(gmm_mem_set_dumpable(nullptr, true), -EINVAL);
	EXPECT_EQ(gmm_mem_register(nullptr, 3), -EINVAL);
	EXPECT_EQ(gmm_mem_register(&gm_, -1), -EINVAL);
	EXPECT_EQ(gmm_mem_region_of(nullptr, 0, 1), nullptr);
	EXPECT_EQ(gmm_mem_region_of(&gm_, 0, 0), nullptr);
	EXPECT_EQ(gmm_mem_region_of(&gm_, UINT64_MAX, 2), nullptr);
	EXPECT_FALSE(gmm_mem_is_ram(nullptr, 0, 1));
	EXPECT_EQ(gmm_mem_ptr(nullptr, 0, 1), nullptr);
	EXPECT_EQ(gmm_mem_ptr(&gm_, UINT64_MAX - 3, 8), nullptr);
	EXPECT_EQ(gmm_mem_read(nullptr, 0, buf, sizeof(buf)), -EINVAL);
	EXPECT_EQ(gmm_mem_read(&gm_, 0, nullptr, sizeof(buf)), -EINVAL);
	EXPECT_EQ(gmm_mem_read(&gm_, UINT64_MAX - 3, buf, sizeof(buf)), -EFAULT);
	EXPECT_EQ(gmm_mem_write(nullptr, 0, buf, sizeof(buf)), -EINVAL);
	EXPECT_EQ(gmm_mem_write(&gm_, 0, nullptr, sizeof(buf)), -EINVAL);
	EXPECT_EQ(gmm_mem_write(&gm_, gm_.end, buf, 1), -EFAULT);
	EXPECT_EQ(gmm_mem_copy(nullptr, 0, 4096, 16), -EINVAL);
	EXPECT_EQ(gmm_mem_copy(&gm_, 0, UINT64_MAX, 16), -EFAULT);
	EXPECT_EQ(gmm_mem_prefault_start(nullptr, 0, 4096), -EINVAL);
	EXPECT_EQ(gmm_mem_prefault_start(&gm_, 0, 0), -EFAULT);
	EXPECT_EQ(gmm_mem_resident_bytes(nullptr), 0u);
	gmm_mem_prefault_wait(nullptr); // documented: nothing
	gmm_mem_destroy(nullptr);
}

TEST_F(BadArgs, ViewsAndTranslationRefuseNullAndFramesOutsideRam)
{
	struct gmm_mem_view view;
	uint64_t pfn = 0, gpa;
	uint64_t outside = gm_.end >> 12;

	EXPECT_EQ(gmm_mem_view_map(&gm_, &pfn, 1, nullptr), -EINVAL);
	EXPECT_EQ(gmm_mem_view_map(nullptr, &pfn, 1, &view), -EINVAL);
	EXPECT_EQ(gmm_mem_view_map(&gm_, nullptr, 1, &view), -EINVAL);
	EXPECT_EQ(gmm_mem_view_map(&gm_, &pfn, 0, &view), -EINVAL);
	EXPECT_EQ(gmm_mem_view_map(&gm_, &pfn, SIZE_MAX, &view), -EINVAL);
	EXPECT_EQ(gmm_mem_view_map(&gm_, &outside, 1, &view), -EFAULT);
	gmm_mem_view_unmap(nullptr);
	EXPECT_EQ(gmm_mem_translate(nullptr, 0, 0, &gpa), -EINVAL);
	EXPECT_EQ(gmm_mem_translate(&gm_, 0, 0, nullptr), -EINVAL);
	EXPECT_EQ(gmm_mem_translate(&gm_, gm_.end, 0, &gpa), -EFAULT); // the root outside RAM
	EXPECT_EQ(gmm_mem_pgt_attach(nullptr, &gm_, 0), -EINVAL);
}

TEST_F(BadArgs, LoaderRefusesNullAndEmptyImages)
{
	static const uint8_t junk[64] = { 0x7f, 'E', 'L', 'F' };
	struct gmm_elf_image img;
	struct gmm_elf_rules rules;

	gmm_boot_elf_rules(&rules);
	gmm_boot_elf_rules(nullptr); // documented: nothing
	EXPECT_EQ(gmm_elf_read_notes(nullptr, 64, &img, err_, sizeof(err_)), -EINVAL);
	EXPECT_STRNE(err_, "");
	EXPECT_EQ(gmm_elf_read_notes(junk, 64, nullptr, err_, sizeof(err_)), -EINVAL);
	EXPECT_EQ(gmm_elf_read_notes(junk, 0, &img, nullptr, 0), -ENOEXEC);
	EXPECT_EQ(gmm_elf_read_notes(junk, sizeof(junk), &img, nullptr, 0), -ENOEXEC);
	EXPECT_EQ(gmm_elf_parse(junk, sizeof(junk), nullptr, &rules, &img, err_, sizeof(err_)),
		  -EINVAL);
	EXPECT_EQ(gmm_elf_parse(junk, sizeof(junk), &gm_, nullptr, &img, err_, sizeof(err_)),
		  -EINVAL);
	EXPECT_EQ(gmm_elf_parse(nullptr, 0, &gm_, &rules, &img, err_, sizeof(err_)), -EINVAL);
	EXPECT_EQ(gmm_elf_load(nullptr, &img, &gm_), -EINVAL);
	EXPECT_EQ(gmm_elf_load(junk, nullptr, &gm_), -EINVAL);
	EXPECT_EQ(gmm_elf_load(junk, &img, nullptr), -EINVAL);
}

TEST_F(BadArgs, BootRefusesNullArguments)
{
	struct gmm_boot_result out;
	struct gmm_bus bus = {};
	struct gmm_vm vm = {};

	EXPECT_EQ(gmm_boot_build_page_tables(nullptr, &out), -EINVAL);
	EXPECT_EQ(gmm_boot_build_page_tables(&gm_, nullptr), -EINVAL);
	EXPECT_EQ(gmm_boot_prepare(nullptr, "x", 1, "", &bus, &out, err_, sizeof(err_)), -EINVAL);
	EXPECT_EQ(gmm_boot_prepare(&vm, nullptr, 1, "", &bus, &out, err_, sizeof(err_)), -EINVAL);
	EXPECT_EQ(gmm_boot_prepare(&vm, "x", 1, "", nullptr, &out, err_, sizeof(err_)), -EINVAL);
	EXPECT_EQ(gmm_boot_prepare(&vm, "x", 1, "", &bus, nullptr, nullptr, 0), -EINVAL);
	EXPECT_EQ(gmm_gdt_write(nullptr), 0u);
}

TEST_F(BadArgs, RunnerAndVcpuRefuseNullArguments)
{
	struct gmm_runner r;
	struct gmm_run_result res;
	struct gmm_bus bus = {};
	struct gmm_vm vm = {};
	struct gmm_vcpu v = {};
	struct gmm_vcpu_boot b = {};

	EXPECT_EQ(gmm_runner_start(nullptr, &vm, &bus, nullptr, nullptr), -EINVAL);
	EXPECT_EQ(gmm_runner_start(&r, nullptr, &bus, nullptr, nullptr), -EINVAL);
	EXPECT_EQ(gmm_runner_start(&r, &vm, nullptr, nullptr, nullptr), -EINVAL);
	EXPECT_EQ(gmm_runner_run(&r, &vm, &bus, nullptr, nullptr, 0, nullptr), -EINVAL);
	EXPECT_EQ(gmm_runner_run(nullptr, &vm, &bus, nullptr, nullptr, 0, &res), -EINVAL);
	EXPECT_TRUE(gmm_runner_wait(nullptr, 1)); // documented: nothing runs
	gmm_runner_finish(nullptr, &res);
	v.fd = -1;
	EXPECT_EQ(gmm_vcpu_set_boot_state(nullptr, &b), -EINVAL);
	EXPECT_EQ(gmm_vcpu_set_boot_state(&v, nullptr), -EINVAL);
	EXPECT_EQ(gmm_vcpu_set_boot_state(&v, &b), -EINVAL);
	gmm_vcpu_dump(nullptr, stderr);
	gmm_vcpu_dump(&v, nullptr);
}

TEST_F(BadArgs, ExitDispatchTreatsANullRunAsACrash)
{
	struct gmm_bus bus = {};
	char why[64] = "";

	EXPECT_EQ(gmm_exit_dispatch(nullptr, 4096, &bus, why, sizeof(why)), GMM_EXIT_ACTION_CRASH);
	EXPECT_STRNE(why, "");
}

TEST_F(BadArgs, BusAndDevicesRefuseNullAndEmptyAccesses)
{
	struct gmm_bus bus = {};
	struct gmm_bus_device d = {};
	struct gmm_pci_host h;
	struct gmm_pci_func f;
	struct gmm_io_access seq[2];
	uint8_t data[4] = {};

	EXPECT_EQ(gmm_bus_add(nullptr, &d), -EINVAL);
	EXPECT_EQ(gmm_bus_add(&bus, nullptr), -EINVAL);
	EXPECT_EQ(gmm_bus_add(&bus, &d), -EINVAL); // size 0, no io
	d.size = UINT64_MAX;
	d.base = 2;
	d.io = gmm_serial_io;
	EXPECT_EQ(gmm_bus_add(&bus, &d), -EINVAL); // wraps
	EXPECT_EQ(gmm_bus_access(nullptr, GMM_BUS_PIO, 0x3f8, data, 1, false), -EINVAL);
	EXPECT_EQ(gmm_bus_access(&bus, GMM_BUS_PIO, 0x3f8, nullptr, 1, false), -EINVAL);
	EXPECT_EQ(gmm_bus_access(&bus, GMM_BUS_PIO, 0x3f8, data, 0, false), -EINVAL);
	gmm_pci_host_init(&h, nullptr, nullptr, nullptr);
	EXPECT_EQ(gmm_pci_func_init(nullptr, 8, 1, 2, 0, 0, 0, nullptr, nullptr, false), -EINVAL);
	EXPECT_EQ(gmm_pci_func_init(&f, 0, 1, 2, 0, 0, 0, nullptr, nullptr, false), -EINVAL);
	EXPECT_EQ(gmm_pci_func_init(&f, 8, 1, 2, 0, 0, 3, gmm_serial_io, nullptr, false), -EINVAL);
	EXPECT_EQ(gmm_pci_host_add(nullptr, &f), -EINVAL);
	EXPECT_EQ(gmm_pci_host_add(&h, nullptr), -EINVAL);
	EXPECT_EQ(gmm_pci_host_assign_bars(nullptr), -EINVAL);
	EXPECT_STRNE(gmm_pci_irq_cause_text(GMM_PCI_IRQ_NR_CAUSES), "");
	EXPECT_EQ(gmm_io_sequence_decode(nullptr, 24, 0, 0, 0, seq, 2), 0u);
	EXPECT_EQ(gmm_io_sequence_decode(data, sizeof(data), 0, 0, 0, nullptr, 2), 0u);
	EXPECT_EQ(gmm_io_sequence_apply(nullptr, seq, 2), 0u);
	EXPECT_EQ(gmm_io_sequence_apply(&bus, nullptr, 2), 0u);
}

TEST_F(BadArgs, PageStateQueriesRefuseNullAndStatesOutsideRam)
{
	char buf[256];

	EXPECT_EQ(gmm_page_state_buddyinfo(nullptr, 0x1000, buf, sizeof(buf)), 0u);
	EXPECT_EQ(gmm_page_state_buddyinfo(&gm_, UINT64_MAX - 8, buf, sizeof(buf)), 0u);
	EXPECT_EQ(gmm_page_state_buddyinfo(&gm_, 0x1000, nullptr, 0), 0u);
	EXPECT_FALSE(gmm_page_state_check(&gm_, gm_.end, err_, sizeof(err_)));
}

TEST(BadArgsNoMemory, SeccompNameOfAnyNumberIsAString)
{
	EXPECT_STREQ(gmm_seccomp_syscall_name(-1), "unknown");
	EXPECT_STREQ(gmm_seccomp_syscall_name(1L << 40), "unknown");
	EXPECT_STREQ(gmm_version(), GMM_VERSION_STRING);
}

} // namespace
