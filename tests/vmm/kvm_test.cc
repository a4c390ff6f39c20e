// SPDX-License-Identifier: MIT
// tests/vmm/kvm_test.cc - libgmm driving real KVM in this process: boot info as the guest
// sees it, page tables the guest runs on translated back, the page state built only for a guest
// that asks for it (the GMM ELF note), the buddyinfo of a running guest, crashes with a register
// dump, several vCPUs, both irqchip modes. Skipped without /dev/kvm.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fd_text.h"
#include "tests/guest_image.h"
#include "tests/shim/gmm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;

class Kvm : public ::testing::Test {
protected:
	void SetUp() override
	{
		char why[256];

		if (!gmm_shim_kvm_usable(why, sizeof(why)))
			GTEST_SKIP() << "KVM not usable here: " << why;
		out_fd_ = memfd_create("console", 0);
		ASSERT_GE(out_fd_, 0);
	}
	void TearDown() override
	{
		gmm_vm_destroy(&vm_);
		if (out_fd_ >= 0)
			close(out_fd_);
	}

	void Boot(const char *guest, unsigned int cpus, const char *cmdline = "",
		  enum gmm_vm_irqchip irqchip = GMM_VM_IRQCHIP_SPLIT, bool with_console_port = true)
	{
		char err[512];

		image_ = ReadGuest(guest);
		ASSERT_FALSE(image_.empty()) << guest;
		ASSERT_EQ(gmm_vm_open_kvm(&vm_, err, sizeof(err)), 0) << err;
		struct gmm_elf_image notes;
		ASSERT_EQ(gmm_elf_read_notes(image_.data(), image_.size(), &notes, err, sizeof(err)), 0)
			<< err;
		ASSERT_EQ(gmm_vm_create(&vm_, cpus, 64 * MiB, GMM_MEM_BACKING_SHMEM, irqchip,
				    notes.page_state_version ? GMM_VM_CREATE_PREFAULT_PAGE_STATE : 0, err,
				    sizeof(err)),
			  0)
			<< err;
		gmm_console_init(&console_, out_fd_, nullptr);
		gmm_serial_init(&serial_, &console_);
		struct gmm_bus_device d = gmm_serial_bus_device(&serial_);
		ASSERT_EQ(gmm_bus_add(&bus_, &d), 0);
		if (with_console_port) {
			gmm_console_port_init(&console_port_, &console_, &vm_.mem, stderr);
			d = gmm_console_port_bus_device(&console_port_);
			ASSERT_EQ(gmm_bus_add(&bus_, &d), 0);
		}
		d = gmm_exit_port_bus_device(&exit_port_);
		ASSERT_EQ(gmm_bus_add(&bus_, &d), 0);
		ASSERT_EQ(gmm_boot_prepare(&vm_, image_.data(), image_.size(), cmdline, &bus_, &boot_,
				       err, sizeof(err)),
			  0)
			<< err;
	}

	struct gmm_run_result Run(uint64_t timeout_ms)
	{
		struct gmm_run_result res;

		EXPECT_EQ(gmm_runner_start(&runner_, &vm_, &bus_, &exit_port_, dump_), 0);
		gmm_runner_wait(&runner_, timeout_ms);
		gmm_runner_finish(&runner_, &res);
		gmm_console_flush(&console_);
		return res;
	}

	std::string Console()
	{
		return FdText(out_fd_);
	}

	struct gmm_vm vm_ = {};
	struct gmm_bus bus_ = {};
	struct gmm_console console_;
	struct gmm_serial serial_;
	struct gmm_console_port console_port_ = {};
	struct gmm_exit_port exit_port_ = {};
	struct gmm_boot_result boot_;
	struct gmm_runner runner_;
	std::vector<uint8_t> image_;
	int out_fd_ = -1;
	FILE *dump_ = nullptr;
};

TEST_F(Kvm, HelloSeesItsBootInfoAndExitsZero)
{
	Boot("hello_page_state", 1, "answer=42");
	const struct bootinfo *bi =
		(const struct bootinfo *)gmm_mem_ptr(&vm_.mem, boot_.bootinfo_phys, sizeof(*bi));
	ASSERT_NE(bi, nullptr);
	EXPECT_EQ(bi->magic, BOOTINFO_MAGIC);
	EXPECT_EQ(bi->version, BOOTINFO_VERSION);
	EXPECT_EQ(bi->nr_cpus, 1u);
	EXPECT_EQ(bi->nr_mem, vm_.mem.nr_regions);
	EXPECT_EQ(bi->mem[1].start, GUEST_LEGACY_HOLE_END);
	EXPECT_EQ(bi->page_state_phys, boot_.page_state_phys);
	EXPECT_EQ(bi->nr_devices, 3u);
	EXPECT_EQ(bi->devices[0].type, (uint32_t)BOOTINFO_DEV_SERIAL);
	EXPECT_EQ(bi->devices[0].base, 0x3f8u);
	EXPECT_EQ(bi->devices[1].type, (uint32_t)BOOTINFO_DEV_CONSOLE_PORT);
	EXPECT_EQ(bi->devices[1].base, CONSOLE_PORT_BASE);
	EXPECT_EQ(bi->devices[1].flags, BOOTINFO_DEV_PIO);
	EXPECT_EQ(bi->devices[2].type, (uint32_t)BOOTINFO_DEV_EXIT_PORT);
	EXPECT_STREQ(bi->cmdline, "answer=42");
	EXPECT_EQ(bi->kernel_start, GUEST_KERNEL_LOAD_PHYS);
	EXPECT_GT(bi->tsc_khz, 100000u) << "KVM_GET_TSC_KHZ";
	EXPECT_EQ(bi->tsc_khz, (uint64_t)ioctl(vm_.vcpus[0].fd, KVM_GET_TSC_KHZ, 0))
		<< "gmm asks the VM fd; the vCPU's frequency must be the same";
	EXPECT_EQ(bi->stacks_phys + BOOTINFO_STACK_SIZE, 0x14000u) << "vCPU 0's stack top";

	// the page tables the guest will run on map its entry and its boot info
	uint64_t pa;
	ASSERT_EQ(gmm_mem_translate(&vm_.mem, boot_.pgtable_root, boot_.image.entry, &pa), 0);
	EXPECT_EQ(pa, GUEST_KERNEL_LOAD_PHYS);
	ASSERT_EQ(gmm_mem_translate(&vm_.mem, boot_.pgtable_root, PAGE_OFFSET + boot_.bootinfo_phys,
				 &pa),
		  0);
	EXPECT_EQ(pa, boot_.bootinfo_phys);

	struct gmm_run_result res = Run(10000);
	ASSERT_EQ(res.outcome, GMM_RUN_GUEST_EXIT) << res.why;
	EXPECT_EQ(res.verdict, 0u);
	std::string out = Console();
	EXPECT_NE(out.find("hello from the gmm test guest\n"), std::string::npos) << out;
	EXPECT_NE(out.find("bootinfo v1 ok\n"), std::string::npos) << out;
	EXPECT_NE(out.find("cmdline: answer=42\n"), std::string::npos) << out;
	// the guest found the console port in the boot info and sent its lines through it
	EXPECT_EQ(console_port_.messages, 5u) << "hello, bootinfo ok, 'cmdline: ', the line, \\n";
	EXPECT_EQ(console_port_.refused, 0u);
	EXPECT_EQ(console_.written, out.size());

	char err[256];
	EXPECT_TRUE(gmm_page_state_check(&vm_.mem, boot_.page_state_phys, err, sizeof(err)))
		<< err;
}

TEST_F(Kvm, WithoutTheConsolePortTheGuestFallsBackToTheSerialPort)
{
	Boot("hello", 1, "answer=42", GMM_VM_IRQCHIP_SPLIT, false);
	const struct bootinfo *bi =
		(const struct bootinfo *)gmm_mem_ptr(&vm_.mem, boot_.bootinfo_phys, sizeof(*bi));
	ASSERT_NE(bi, nullptr);
	EXPECT_EQ(bi->nr_devices, 2u);
	struct gmm_run_result res = Run(10000);
	ASSERT_EQ(res.outcome, GMM_RUN_GUEST_EXIT) << res.why;
	EXPECT_EQ(res.verdict, 0u);
	EXPECT_EQ(Console(), "hello from the gmm test guest\nbootinfo v1 ok\ncmdline: answer=42\n");
	EXPECT_EQ(console_port_.messages, 0u);
}

TEST_F(Kvm, AGuestWithoutThePageStateNoteGetsNoPageStateAndItsRamStaysUntouched)
{
	// hello.elf has no GMM page-state note; the guest itself checks page_state_phys == 0
	Boot("hello", 1);
	EXPECT_EQ(boot_.image.page_state_version, 0u);
	EXPECT_EQ(boot_.page_state_phys, 0u);
	EXPECT_EQ(boot_.mem_map_phys, 0u);
	const struct bootinfo *bi =
		(const struct bootinfo *)gmm_mem_ptr(&vm_.mem, boot_.bootinfo_phys, sizeof(*bi));
	ASSERT_NE(bi, nullptr);
	EXPECT_EQ(bi->page_state_phys, 0u);
	EXPECT_EQ(bi->mem_map_phys, 0u);
	EXPECT_EQ(bi->max_pfn, 0u);
	// what gmm placed: the low area (page tables, GDT, stacks, boot info) and the image; the
	// page state for 64 MiB alone would be 512 KiB
	EXPECT_LT(gmm_mem_resident_bytes(&vm_.mem), 256u << 10);
	struct gmm_run_result res = Run(10000);
	ASSERT_EQ(res.outcome, GMM_RUN_GUEST_EXIT) << res.why;
	EXPECT_EQ(res.verdict, 0u) << Console();
	EXPECT_NE(Console().find("bootinfo v1 ok\n"), std::string::npos) << Console();
}

TEST_F(Kvm, ThePageStateIsBuiltForAGuestWithTheNote)
{
	Boot("hello_page_state", 1);
	EXPECT_EQ(boot_.image.page_state_version, PAGE_STATE_VERSION);
	ASSERT_NE(boot_.page_state_phys, 0u);
	char err[256];
	EXPECT_TRUE(gmm_page_state_check(&vm_.mem, boot_.page_state_phys, err, sizeof(err)))
		<< err;
	EXPECT_GE(gmm_mem_resident_bytes(&vm_.mem), 512u << 10) << "the page-frame array is written";
}

TEST_F(Kvm, BuddyinfoOfARunningGuest)
{
	Boot("loop", 1);
	ASSERT_EQ(gmm_runner_start(&runner_, &vm_, &bus_, &exit_port_, nullptr), 0);
	EXPECT_FALSE(gmm_runner_wait(&runner_, 50)) << "the loop guest never ends by itself";
	char buf[2048];
	ASSERT_GT(gmm_page_state_buddyinfo(&vm_.mem, boot_.page_state_phys, buf, sizeof(buf)),
		  0u);
	EXPECT_NE(std::string(buf).find("Node 0, zone      DMA"), std::string::npos) << buf;
	EXPECT_NE(std::string(buf).find("DMA32"), std::string::npos) << buf;
	struct gmm_run_result res;
	gmm_runner_finish(&runner_, &res);
	EXPECT_EQ(res.outcome, GMM_RUN_TIMEOUT);
	gmm_console_flush(&console_);
	EXPECT_NE(Console().find("looping forever"), std::string::npos);
}

TEST_F(Kvm, TripleFaultIsACrashWithARegisterDump)
{
	char *text = nullptr;
	size_t len = 0;

	dump_ = open_memstream(&text, &len);
	Boot("triple_fault", 1);
	struct gmm_run_result res = Run(10000);
	fclose(dump_);
	dump_ = nullptr;
	EXPECT_EQ(res.outcome, GMM_RUN_CRASH);
	EXPECT_NE(std::string(res.why).find("triple fault"), std::string::npos) << res.why;
	std::string dump(text, len);
	free(text);
	EXPECT_NE(dump.find("rip="), std::string::npos) << dump;
	EXPECT_NE(dump.find("cr3="), std::string::npos) << dump;
}

TEST_F(Kvm, SeveralVcpusAllStartAndTheRunEndsCleanly)
{
	// smp.elf: vCPU 0 exits only once every vCPU has checked in (regression: the APs sat in
	// wait-for-SIPI, KVM's default with an in-kernel local APIC, and never ran)
	Boot("smp", 4);
	struct gmm_run_result res = Run(10000);
	ASSERT_EQ(res.outcome, GMM_RUN_GUEST_EXIT) << res.why;
	EXPECT_EQ(res.verdict, 0u);
	EXPECT_EQ(res.cpu, 0u) << "vCPU 0 reports; the others halt in the kernel";
	EXPECT_EQ(Console(), "all vCPUs checked in\n");
}

TEST_F(Kvm, FullIrqchipBootsToo)
{
	Boot("exit_code", 1, "", GMM_VM_IRQCHIP_FULL);
	struct gmm_run_result res = Run(10000);
	ASSERT_EQ(res.outcome, GMM_RUN_GUEST_EXIT) << res.why;
	EXPECT_EQ(res.verdict, 42u);
}

} // namespace
