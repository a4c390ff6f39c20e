// SPDX-License-Identifier: MIT
// tests/vmm/bad_args_test.cc - every public function of include/gmm/ given bad arguments (NULL,
// zero sizes, ranges that overflow or leave guest RAM) refuses with a negative errno, or, where
// its return value cannot say so, does what its kernel-doc promises (nothing, NULL, 0, false)
// instead of crashing. The headers are included directly: they are C++-clean (tests/install).
// Not covered here: gmm_machine_* (tests/vmm/machine_test.cc), and gmm_seccomp_install(), which
// has no argument to refuse and would confine this process for good (tests/vmm/seccomp_test.cc).
// No test here needs /dev/kvm: the gmm_vm_* functions refuse before any system call.
#include <abi/dma_regs.h>
#include <gmm/boot.h>
#include <gmm/bus.h>
#include <gmm/devices.h>
#include <gmm/dma.h>
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
#include <fcntl.h>
#include <stdint.h>
#include <string.h>

#include <memory>

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
	EXPECT_EQ(gmm_bus_access(&bus, GMM_BUS_MMIO, 0x1000, data, 9, false), -EINVAL);
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

TEST_F(BadArgs, DmaDeviceRefusesNullArgumentsBadWidthsAndWrappingRanges)
{
	auto d = std::make_unique<struct gmm_dma_dev>();
	auto zeroed = std::make_unique<struct gmm_dma_dev>();
	struct gmm_pci_host h;
	uint8_t data[16];

	EXPECT_EQ(gmm_dma_dev_init(nullptr, &gm_, 28, false, nullptr), -EINVAL);
	EXPECT_EQ(gmm_dma_dev_init(d.get(), nullptr, 28, false, nullptr), -EINVAL);
	EXPECT_EQ(gmm_dma_dev_init(d.get(), &gm_, 11, false, nullptr), -EINVAL);
	EXPECT_EQ(gmm_dma_dev_init(d.get(), &gm_, 65, false, nullptr), -EINVAL);
	ASSERT_EQ(gmm_dma_dev_init(d.get(), &gm_, 28, true, nullptr), 0);
	gmm_pci_host_init(&h, nullptr, nullptr, nullptr);
	EXPECT_EQ(gmm_dma_dev_add(nullptr, &h), -EINVAL);
	EXPECT_EQ(gmm_dma_dev_add(d.get(), nullptr), -EINVAL);
	memset(data, 0x5a, sizeof(data));
	EXPECT_EQ(gmm_dma_dev_mmio(nullptr, 0, data, 4, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_dma_dev_mmio(d.get(), 0, nullptr, 4, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_dma_dev_mmio(d.get(), 0, data, 0, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_dma_dev_mmio(d.get(), 0x80, data, 16, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(data[0], 0x5a); // nothing filled
	EXPECT_EQ(d->stats.mmio, 0u);
	EXPECT_EQ(gmm_dma_dev_strict_check(nullptr, 0x1000, 1), DMA_ERR_PAGE_STATE);
	EXPECT_EQ(gmm_dma_dev_strict_check(d.get(), 0x1000, 0), DMA_ERR_NOT_RAM);
	EXPECT_EQ(gmm_dma_dev_strict_check(d.get(), UINT64_MAX - 1, 4), DMA_ERR_NOT_RAM);
	// no page state known yet: fail closed
	EXPECT_EQ(gmm_dma_dev_strict_check(d.get(), 0x1000, 1), DMA_ERR_PAGE_STATE);
	gmm_dma_dev_set_page_state(nullptr, 0x1000);
	gmm_dma_dev_destroy(d.get());
	gmm_dma_dev_destroy(zeroed.get());
	gmm_dma_dev_destroy(nullptr);
}

TEST_F(BadArgs, DevicesIgnoreNullStatesAndBadAccessWidths)
{
	auto port = std::make_unique<struct gmm_console_port>();
	struct gmm_console c;
	struct gmm_serial s;
	struct gmm_exit_port ep = {};
	struct gmm_bus bus = {};
	struct gmm_bus_device d;
	uint8_t data[16];

	gmm_console_init(nullptr, -1, nullptr);
	gmm_console_init(&c, -1, nullptr); // output goes nowhere
	gmm_console_write(nullptr, "x", 1);
	gmm_console_write(&c, nullptr, 1);
	gmm_console_write(&c, "x", 0);
	EXPECT_EQ(c.written + c.dropped, 0u);
	gmm_console_flush(nullptr);
	gmm_serial_init(nullptr, &c);
	gmm_serial_init(&s, &c);
	memset(data, 0x5a, sizeof(data));
	EXPECT_EQ(gmm_serial_io(nullptr, 0, data, 1, true), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_serial_io(&s, 0, nullptr, 1, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_serial_io(&s, 0, data, 16, false), GMM_BUS_CONTINUE);
	gmm_console_port_init(nullptr, &c, &gm_, nullptr);
	gmm_console_port_init(port.get(), &c, &gm_, nullptr);
	EXPECT_EQ(gmm_console_port_io(nullptr, 0, data, 4, true), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_console_port_io(port.get(), 0, nullptr, 4, true), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_console_port_io(port.get(), 0, data, 0, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(port->refused + port->messages, 0u);
	EXPECT_EQ(gmm_exit_port_io(nullptr, 0, data, 4, true), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_exit_port_io(&ep, 0, nullptr, 4, true), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_exit_port_io(&ep, 0, data, 9, true), GMM_BUS_CONTINUE);
	EXPECT_FALSE(ep.exited);
	EXPECT_EQ(data[0], 0x5a); // nothing filled
	EXPECT_FALSE(gmm_unhandled_access(nullptr, GMM_BUS_PIO, 0x80, data, 1, false));
	EXPECT_FALSE(gmm_unhandled_access(&bus.unhandled, GMM_BUS_PIO, 0x80, nullptr, 1, false));
	EXPECT_FALSE(gmm_unhandled_access(&bus.unhandled, GMM_BUS_PIO, 0x80, data, 0, false));
	EXPECT_EQ(bus.unhandled.accesses, 0u);
	// the bus entry of no device has no window: the bus refuses it
	d = gmm_serial_bus_device(nullptr);
	EXPECT_EQ(gmm_bus_add(&bus, &d), -EINVAL);
	d = gmm_console_port_bus_device(nullptr);
	EXPECT_EQ(gmm_bus_add(&bus, &d), -EINVAL);
	d = gmm_exit_port_bus_device(nullptr);
	EXPECT_EQ(gmm_bus_add(&bus, &d), -EINVAL);
	EXPECT_EQ(bus.nr, 0u);
}

TEST_F(BadArgs, PciIgnoresNullHostsAndBadAccessWidths)
{
	struct gmm_pci_host h;
	struct gmm_pci_func f = {};
	struct gmm_bus bus = {};
	struct gmm_bus_device d;
	uint8_t data[16];

	gmm_pci_host_init(&h, nullptr, nullptr, nullptr);
	memset(data, 0x5a, sizeof(data));
	EXPECT_EQ(gmm_pci_cfg_io(nullptr, 0, data, 4, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_pci_cfg_io(&h, 0, nullptr, 4, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_pci_cfg_io(&h, 4, data, 0, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_pci_mmio_io(nullptr, 0, data, 4, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_pci_mmio_io(&h, 0, nullptr, 4, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(gmm_pci_mmio_io(&h, 0, data, 16, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(h.cfg_accesses + h.mmio_accesses, 0u);
	EXPECT_EQ(data[0], 0x5a); // nothing filled
	gmm_pci_config_access(nullptr, 0, 0, data, 4, false);
	gmm_pci_config_access(&h, 0, 0, nullptr, 4, false);
	EXPECT_EQ(data[0], 0x5a);
	gmm_pci_config_access(&h, 0, 254, data, 4, false); // past the space: all-ones
	EXPECT_EQ(data[0], 0xff);
	EXPECT_FALSE(gmm_pci_func_irq(nullptr, true));
	EXPECT_FALSE(gmm_pci_func_irq(&f, true)); // on no host
	d = gmm_pci_cfg_bus_device(nullptr);
	EXPECT_EQ(gmm_bus_add(&bus, &d), -EINVAL);
	d = gmm_pci_mmio_bus_device(nullptr);
	EXPECT_EQ(gmm_bus_add(&bus, &d), -EINVAL);
}

TEST_F(BadArgs, PageStateSetupCopyAndWalksRefuseNullAndOverflowingArguments)
{
	struct gmm_page_state_layout lay;
	struct gmm_page_state_copy c = {};
	struct gmm_mem_range backwards = { 0x2000, 0x1000 };
	auto count = [](void *, uint64_t, uint64_t) { return 0; };

	EXPECT_EQ(gmm_page_state_place(nullptr, &lay), -EINVAL);
	EXPECT_EQ(gmm_page_state_place(&gm_, nullptr), -EINVAL);
	EXPECT_EQ(gmm_page_state_prefault(nullptr), -EINVAL);
	EXPECT_EQ(gmm_page_state_setup(nullptr, nullptr, 0, &lay), -EINVAL);
	EXPECT_EQ(gmm_page_state_setup(&gm_, nullptr, 0, nullptr), -EINVAL);
	EXPECT_EQ(gmm_page_state_setup(&gm_, nullptr, 1, &lay), -EINVAL);
	EXPECT_EQ(gmm_page_state_setup(&gm_, &backwards, 1, &lay), -EINVAL);
	EXPECT_EQ(gmm_page_state_setup(&gm_, &backwards, 17, &lay), -EINVAL);
	EXPECT_EQ(gmm_page_state_copy(nullptr, 0, &c, err_, sizeof(err_)), -EINVAL);
	EXPECT_EQ(gmm_page_state_copy(&gm_, 0, nullptr, err_, sizeof(err_)), -EINVAL);
	EXPECT_EQ(gmm_page_state_copy(&gm_, 0, &c, nullptr, 16), -EINVAL);
	EXPECT_EQ(gmm_page_state_copy(&gm_, UINT64_MAX, &c, err_, sizeof(err_)), -EINVAL);
	// a NULL copy, and one that failed
	EXPECT_EQ(gmm_page_state_block_of(nullptr, 0).kind, GMM_PAGE_BLOCK_UNKNOWN);
	EXPECT_EQ(gmm_page_state_block_of(&c, 0).kind, GMM_PAGE_BLOCK_UNKNOWN);
	EXPECT_EQ(gmm_page_state_reserved_end(nullptr, 0, 1), 0u);
	EXPECT_EQ(gmm_page_state_reserved_end(&c, 0, 1), 0u);
	EXPECT_EQ(gmm_page_state_max_pfn(nullptr), 0u);
	EXPECT_EQ(gmm_page_state_free_pages(nullptr), 0u);
	EXPECT_EQ(gmm_page_state_free_pages(&c), 0u);
	EXPECT_EQ(gmm_page_state_for_each_free(nullptr, 0, count, nullptr), -EINVAL);
	EXPECT_EQ(gmm_page_state_for_each_free(&c, 0, count, nullptr), -EINVAL);
	// a valid copy asked about frames and orders past its end
	ASSERT_EQ(gmm_page_state_setup(&gm_, nullptr, 0, &lay), 0);
	ASSERT_EQ(gmm_page_state_copy(&gm_, lay.state_phys, &c, err_, sizeof(err_)), 0) << err_;
	EXPECT_EQ(gmm_page_state_for_each_free(&c, 0, nullptr, nullptr), -EINVAL);
	EXPECT_EQ(gmm_page_state_for_each_free(&c, 11, count, nullptr), -EINVAL);
	EXPECT_EQ(gmm_page_state_block_of(&c, UINT64_MAX).kind, GMM_PAGE_BLOCK_UNKNOWN);
	EXPECT_LE(gmm_page_state_reserved_end(&c, 0, UINT64_MAX), gmm_page_state_max_pfn(&c));
}

TEST(BadArgsNoMemory, VmRefusesNullAndUnopenedVmsBeforeAnySystemCall)
{
	struct gmm_vm vm;
	char err[256] = "";
	bool fd0_open = fcntl(0, F_GETFD) >= 0;

	EXPECT_EQ(gmm_vm_open_kvm(nullptr, err, sizeof(err)), -EINVAL);
	EXPECT_EQ(gmm_vm_create(nullptr, 1, 4ull << 20, GMM_MEM_BACKING_SHMEM, GMM_VM_IRQCHIP_SPLIT,
				0, err, sizeof(err)),
		  -EINVAL);
	EXPECT_STRNE(err, "");
	memset(&vm, 0, sizeof(vm)); // zeroed: never opened
	EXPECT_EQ(gmm_vm_create(&vm, 1, 4ull << 20, GMM_MEM_BACKING_SHMEM, GMM_VM_IRQCHIP_SPLIT, 0,
				err, sizeof(err)),
		  -EINVAL);
	EXPECT_EQ(gmm_vm_create(&vm, 0, 4ull << 20, GMM_MEM_BACKING_SHMEM, GMM_VM_IRQCHIP_SPLIT, 0,
				nullptr, 64), // a NULL err is allowed
		  -EINVAL);
	EXPECT_EQ(gmm_vm_create(&vm, GMM_VM_MAX_CPUS + 1, 4ull << 20, GMM_MEM_BACKING_SHMEM,
				GMM_VM_IRQCHIP_SPLIT, 0, err, sizeof(err)),
		  -EINVAL);
	EXPECT_EQ(gmm_vm_create(&vm, 1, 4ull << 20, GMM_MEM_BACKING_SHMEM, (enum gmm_vm_irqchip)7,
				0, err, sizeof(err)),
		  -EINVAL);
	EXPECT_EQ(vm.cpuid, nullptr); // nothing made
	EXPECT_EQ(gmm_vm_apply_cpuid(nullptr, err, sizeof(err)), -EINVAL);
	EXPECT_EQ(gmm_vm_apply_cpuid(&vm, nullptr, 0), -EINVAL);
	EXPECT_EQ(gmm_vm_tsc_khz(nullptr), 0u);
	EXPECT_EQ(gmm_vm_tsc_khz(&vm), 0u);
	EXPECT_EQ(gmm_vm_signal_msi(nullptr, 0xfee00000, 0), -EINVAL);
	EXPECT_EQ(gmm_vm_set_irq_line(nullptr, 4, true), -EINVAL);
	gmm_vm_destroy(&vm); // zeroed: closes nothing (not fd 0), and resets it
	EXPECT_EQ(fcntl(0, F_GETFD) >= 0, fd0_open);
	EXPECT_EQ(vm.kvm_fd, -1);
	EXPECT_EQ(gmm_vm_create(&vm, 1, 4ull << 20, GMM_MEM_BACKING_SHMEM, GMM_VM_IRQCHIP_SPLIT, 0,
				err, sizeof(err)),
		  -EINVAL);
	EXPECT_EQ(gmm_vm_signal_msi(&vm, 0xfee00000, 0), -EINVAL);
	EXPECT_EQ(gmm_vm_set_irq_line(&vm, 4, true), -EINVAL);
	EXPECT_EQ(gmm_vm_set_irq_line(&vm, GMM_VM_IOAPIC_PINS, true), -EINVAL);
	gmm_vm_destroy(&vm);
	gmm_vm_destroy(nullptr);
}

TEST(BadArgsNoMemory, SeccompDoesNothingUntilInstalled)
{
	// gmm_seccomp_install() is not called: see the head comment
	EXPECT_FALSE(gmm_seccomp_installed());
	EXPECT_EQ(gmm_seccomp_enter_vcpu(), 0);
	EXPECT_FALSE(gmm_seccomp_installed());
}

TEST(BadArgsNoMemory, SeccompNameOfAnyNumberIsAString)
{
	EXPECT_STREQ(gmm_seccomp_syscall_name(-1), "unknown");
	EXPECT_STREQ(gmm_seccomp_syscall_name(1L << 40), "unknown");
	EXPECT_STREQ(gmm_version(), GMM_VERSION_STRING);
}

} // namespace
