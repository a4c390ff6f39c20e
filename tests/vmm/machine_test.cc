// SPDX-License-Identifier: MIT
// tests/vmm/machine_test.cc - the machine API (include/gmm/machine.h): a machine without a VM
// whose devices work over guest memory, every bad configuration refused with -EINVAL and
// nothing left behind (ASan's leak check runs on tests/vmm under --config=asan), destroy on a
// zeroed or destroyed machine, resetting the devices, and with KVM a whole boot of
// tests/e2e/guests/hello.elf (skipped with the reason where /dev/kvm is unusable).
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "tests/fd_text.h"
#include "tests/guest_image.h"
#include "tests/shim/gmm_shim.h"

namespace
{

constexpr uint64_t MiB = 1ull << 20;

// An enum field set to a value outside its enumerators, the way C code could get one (a cast to
// an out-of-range enum value is undefined in C++).
template <typename E> void SetRaw(E *e, int v)
{
	static_assert(sizeof(E) == sizeof(int), "enums are ints here");
	memcpy(e, &v, sizeof(v));
}

// Whether @m holds nothing: what a failed create and destroy leave.
void ExpectEmpty(const struct gmm_machine &m)
{
	EXPECT_FALSE(m.has_mem || m.has_vm || m.has_console || m.has_serial || m.has_console_port ||
		     m.has_exit_port || m.has_dma || m.loaded);
	EXPECT_EQ(m.vm.kvm_fd, -1);
	EXPECT_EQ(m.vm.vm_fd, -1);
	EXPECT_EQ(m.vm.mem.memfd, -1);
	EXPECT_EQ(m.bus.nr, 0u);
}

class Machine : public ::testing::Test {
    protected:
	void SetUp() override
	{
		console_fd_ = memfd_create("console", 0);
		ASSERT_GE(console_fd_, 0);
		c_.ram_bytes = 32 * MiB;
		c_.console_fd = console_fd_;
		c_.devices = devices_;
		c_.nr_devices = 4;
	}
	void TearDown() override
	{
		gmm_machine_destroy(&m_);
		close(console_fd_);
	}

	uint64_t Io(uint8_t space, bool write, uint8_t len, uint64_t addr, uint64_t value = 0)
	{
		struct gmm_io_access a = { space, write, len, addr, value };
		EXPECT_EQ(gmm_io_sequence_apply(&m_.bus, &a, 1), 1u);
		return a.value;
	}
	void Mmio(unsigned int off, uint64_t v, uint8_t len = 4)
	{
		Io(GMM_BUS_MMIO, true, len, GMM_PCI_MMIO_BASE + off, v);
	}
	void BusMaster()
	{
		Io(GMM_BUS_PIO, true, 4, PCI_CONFIG_ADDRESS,
		   PCI_CONFIG_ADDR(GMM_DMA_DEV_DEVFN, PCI_COMMAND));
		Io(GMM_BUS_PIO, true, 4, PCI_CONFIG_DATA, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	}
	// Expects gmm_machine_create() to refuse c_ with -EINVAL and leave nothing behind.
	void ExpectRefused(const char *what)
	{
		char err[256] = "";

		memset(&m_, 0xa5, sizeof(m_)); // any content: create resets it
		EXPECT_EQ(gmm_machine_create(&m_, &c_, err, sizeof(err)), -EINVAL) << what;
		EXPECT_STRNE(err, "") << what << ": no sentence saying why";
		ExpectEmpty(m_);
	}

	int console_fd_ = -1;
	struct gmm_machine_device devices_[4] = {
		{ GMM_DEVICE_SERIAL, 0, false },
		{ GMM_DEVICE_CONSOLE_PORT, 0, false },
		{ GMM_DEVICE_EXIT_PORT, 0, false },
		{ GMM_DEVICE_DMA, 0, false },
	};
	struct gmm_machine_config c_ = {};
	struct gmm_machine m_ = {};
};

TEST_F(Machine, WithoutVmDevicesWorkOverGuestMemory)
{
	char err[256];

	ASSERT_EQ(gmm_machine_create(&m_, &c_, err, sizeof(err)), 0) << err;
	EXPECT_TRUE(m_.has_mem);
	EXPECT_FALSE(m_.has_vm) << "nr_cpus == 0: no /dev/kvm";
	EXPECT_EQ(m_.vm.kvm_fd, -1);
	EXPECT_EQ(m_.vm.mem.ram_bytes, 32 * MiB);
	EXPECT_EQ(m_.bus.nr, 5u) << "serial, console port, exit port, PCI config, PCI MMIO";
	EXPECT_EQ(m_.dma.mask_bits, DMA_DEFAULT_MASK_BITS) << "mask 0 means the default";

	// the serial port writes to the console fd
	for (char ch : std::string("hi\n"))
		Io(GMM_BUS_PIO, true, 1, GMM_SERIAL_COM1_BASE, (uint8_t)ch);
	gmm_console_flush(&m_.console);
	EXPECT_EQ(FdText(console_fd_), "hi\n");

	// a scatter-gather copy of one page by the DMA device
	uint8_t *src = (uint8_t *)gmm_mem_ptr(&m_.vm.mem, 4 * MiB, 4096);
	uint8_t *dst = (uint8_t *)gmm_mem_ptr(&m_.vm.mem, 8 * MiB, 4096);
	ASSERT_TRUE(src && dst);
	for (int i = 0; i < 4096; i++)
		src[i] = (uint8_t)(i * 7);
	struct dma_desc table[2] = { { 4 * MiB, 4096 }, { 8 * MiB, 4096 } };
	ASSERT_EQ(gmm_mem_write(&m_.vm.mem, 2 * MiB, table, sizeof(table)), 0);
	BusMaster();
	Mmio(DMA_REG_SG_SRC_TABLE, 2 * MiB, 8);
	Mmio(DMA_REG_SG_SRC_COUNT, 1);
	Mmio(DMA_REG_SG_DST_TABLE, 2 * MiB + sizeof(table[0]), 8);
	Mmio(DMA_REG_SG_DST_COUNT, 1);
	Mmio(DMA_REG_SG_CMD, DMA_SG_OP_COPY << DMA_SG_OP_SHIFT | DMA_SG_START);
	EXPECT_EQ(Io(GMM_BUS_MMIO, false, 4, GMM_PCI_MMIO_BASE + DMA_REG_ERROR), 0u);
	EXPECT_EQ(memcmp(src, dst, 4096), 0);
	EXPECT_EQ(m_.dma.stats.bytes, 4096u);
	EXPECT_EQ(m_.pci.irq_undeliverable[GMM_PCI_IRQ_MSI_FAILED], 0u);

	// the exit port ends the run with the value written
	Io(GMM_BUS_PIO, true, 4, GMM_EXIT_PORT_BASE, 42);
	EXPECT_TRUE(m_.exit_port.exited);
	EXPECT_EQ(m_.exit_port.verdict, 42u);

	// without a VM there is nothing to load or run
	struct gmm_run_result res;
	EXPECT_EQ(gmm_machine_load(&m_, src, 4096, nullptr, err, sizeof(err)), -EINVAL);
	EXPECT_EQ(gmm_machine_run(&m_, 0, &res), -EINVAL);
}

TEST_F(Machine, ResetDevicesStartsThemOverAndKeepsRamAndThePageStateAddress)
{
	char err[256];

	ASSERT_EQ(gmm_machine_create(&m_, &c_, err, sizeof(err)), 0) << err;
	gmm_dma_dev_set_page_state(&m_.dma, 0x123000);
	ASSERT_EQ(gmm_mem_write(&m_.vm.mem, MiB, "keep", 4), 0);
	Io(GMM_BUS_PIO, true, 4, GMM_EXIT_PORT_BASE, 1);
	Io(GMM_BUS_PIO, true, 1, GMM_SERIAL_COM1_BASE, 'x');
	BusMaster();

	devices_[3].dma_mask_bits = 40;
	devices_[3].dma_strict = true;
	ASSERT_EQ(gmm_machine_reset_devices(&m_, devices_, 4), 0);
	EXPECT_FALSE(m_.exit_port.exited);
	EXPECT_EQ(m_.console.buf_len, 0u) << "the console starts empty";
	EXPECT_EQ(m_.dma.mask_bits, 40u);
	EXPECT_TRUE(m_.dma.strict);
	EXPECT_EQ(m_.dma.page_state_phys, 0x123000u);
	EXPECT_EQ(m_.pci.cfg_accesses, 0u);
	EXPECT_EQ(gmm_pci_func_bus_master(&m_.dma.pci), false) << "configuration space starts over";
	EXPECT_NE(gmm_pci_func_bar0(&m_.dma.pci), 0u) << "BAR placed again";
	EXPECT_EQ(memcmp(gmm_mem_ptr(&m_.vm.mem, MiB, 4), "keep", 4), 0);
	EXPECT_EQ(m_.bus.nr, 5u);

	ASSERT_EQ(gmm_machine_reset_devices(&m_, nullptr, 0), 0) << "NULL: the same parameters";
	EXPECT_EQ(m_.dma.mask_bits, 40u);

	// a different table is refused and changes nothing
	struct gmm_machine_device swapped[4] = { devices_[1], devices_[0], devices_[2],
						 devices_[3] };
	EXPECT_EQ(gmm_machine_reset_devices(&m_, swapped, 4), -EINVAL);
	EXPECT_EQ(gmm_machine_reset_devices(&m_, devices_, 3), -EINVAL);
	devices_[3].dma_mask_bits = 11;
	EXPECT_EQ(gmm_machine_reset_devices(&m_, devices_, 4), -EINVAL);
	EXPECT_EQ(m_.dma.mask_bits, 40u);
	EXPECT_EQ(m_.devices[3].dma_mask_bits, 40u);
}

TEST_F(Machine, BadConfigurationsAreRefusedWithNothingLeft)
{
	char err[256];

	EXPECT_EQ(gmm_machine_create(&m_, nullptr, err, sizeof(err)), -EINVAL);
	EXPECT_EQ(gmm_machine_create(nullptr, &c_, err, sizeof(err)), -EINVAL);
	EXPECT_EQ(gmm_machine_create(&m_, nullptr, nullptr, 0), -EINVAL) << "no err buffer";

	c_.ram_bytes = GMM_MEM_MIN_RAM - 1;
	ExpectRefused("RAM below the minimum");
	c_.ram_bytes = GMM_MEM_MAX_RAM + 4096;
	ExpectRefused("RAM above the maximum");
	c_.ram_bytes = 32 * MiB;

	c_.nr_cpus = GMM_VM_MAX_CPUS + 1;
	ExpectRefused("too many vCPUs");
	c_.nr_cpus = 0;

	SetRaw(&c_.backing, 7);
	ExpectRefused("unknown backing");
	c_.backing = GMM_MEM_BACKING_SHMEM;
	SetRaw(&c_.irqchip, 3);
	ExpectRefused("unknown irqchip");
	c_.irqchip = GMM_VM_IRQCHIP_SPLIT;
	c_.vm_flags = 0x80;
	ExpectRefused("unknown VM flag");
	c_.vm_flags = 0;

	SetRaw(&devices_[2].kind, 9);
	ExpectRefused("unknown device kind");
	SetRaw(&devices_[2].kind, -1);
	ExpectRefused("negative device kind");
	devices_[2].kind = GMM_DEVICE_SERIAL;
	ExpectRefused("a device twice");
	devices_[2].kind = GMM_DEVICE_EXIT_PORT;

	devices_[3].dma_mask_bits = 11;
	ExpectRefused("DMA mask below 12 bits");
	devices_[3].dma_mask_bits = 65;
	ExpectRefused("DMA mask above 64 bits");
	devices_[3].dma_mask_bits = 0;

	c_.console_fd = -1;
	ExpectRefused("serial and console port without a console fd");
	c_.console_fd = console_fd_;

	c_.nr_devices = 5;
	ExpectRefused("more devices than kinds");
	c_.devices = nullptr;
	c_.nr_devices = 1;
	ExpectRefused("a count without a table");
	c_.devices = devices_;
	c_.nr_devices = 4;

	c_.nr_cpus = 1;
	c_.msi = [](void *, uint64_t, uint32_t) { return 0; };
	ExpectRefused("interrupt callbacks with a VM (checked before /dev/kvm is opened)");
	c_.msi = nullptr;
	c_.nr_cpus = 0;

	// and the same configuration, repaired, works
	ASSERT_EQ(gmm_machine_create(&m_, &c_, err, sizeof(err)), 0) << err;
}

TEST_F(Machine, DestroyIsSafeOnAZeroedOrDestroyedMachine)
{
	char err[256];
	struct gmm_machine_config mem_only = {};

	memset(&m_, 0, sizeof(m_));
	gmm_machine_destroy(&m_);
	ExpectEmpty(m_);
	gmm_machine_destroy(&m_);
	gmm_machine_destroy(nullptr);

	mem_only.ram_bytes = 2 * MiB;
	mem_only.console_fd = -1;
	ASSERT_EQ(gmm_machine_create(&m_, &mem_only, err, sizeof(err)), 0) << err;
	EXPECT_TRUE(m_.has_mem);
	EXPECT_EQ(m_.bus.nr, 0u) << "guest memory alone: a device process's";
	gmm_machine_destroy(&m_);
	ExpectEmpty(m_);
	gmm_machine_destroy(&m_);
}

class MachineKvm : public Machine {
    protected:
	void SetUp() override
	{
		char why[256];

		if (!gmm_shim_kvm_usable(why, sizeof(why)))
			GTEST_SKIP() << "KVM not usable here: " << why;
		Machine::SetUp();
		c_.nr_cpus = 1;
		c_.ram_bytes = 64 * MiB;
	}
};

TEST_F(MachineKvm, CreateLoadRunHelloGivesVerdictZeroAndItsConsoleText)
{
	char err[512];
	struct gmm_run_result res;
	std::vector<uint8_t> image = ReadGuest("hello");

	ASSERT_FALSE(image.empty());
	ASSERT_EQ(gmm_machine_create(&m_, &c_, err, sizeof(err)), 0) << err;
	EXPECT_TRUE(m_.has_vm);
	EXPECT_EQ(m_.vm.nr_cpus, 1u);
	ASSERT_EQ(gmm_machine_load(&m_, image.data(), image.size(), "machine", err, sizeof(err)), 0)
		<< err;
	EXPECT_EQ(m_.boot.page_state_phys, 0u) << "hello.elf has no page-state note";
	EXPECT_EQ(gmm_machine_load(&m_, image.data(), image.size(), nullptr, err, sizeof(err)),
		  -EINVAL)
		<< "once per machine";
	ASSERT_EQ(gmm_machine_run(&m_, 20000, &res), 0);
	EXPECT_EQ(res.outcome, GMM_RUN_GUEST_EXIT) << res.why;
	EXPECT_EQ(res.verdict, 0u);
	std::string out = FdText(console_fd_);
	EXPECT_NE(out.find("hello from the gmm test guest"), std::string::npos) << out;
	EXPECT_NE(out.find("cmdline: machine"), std::string::npos) << out;
}

TEST_F(MachineKvm, LoadingABadImageIsENOEXEC)
{
	char err[512] = "";
	std::vector<uint8_t> image = ReadGuest("hello");

	ASSERT_FALSE(image.empty());
	image[0] = 0; // no ELF magic
	ASSERT_EQ(gmm_machine_create(&m_, &c_, err, sizeof(err)), 0) << err;
	EXPECT_EQ(gmm_machine_load(&m_, image.data(), image.size(), nullptr, err, sizeof(err)),
		  -ENOEXEC);
	EXPECT_STRNE(err, "");
	EXPECT_FALSE(m_.loaded);
	struct gmm_run_result res;
	EXPECT_EQ(gmm_machine_run(&m_, 1000, &res), -EINVAL) << "nothing loaded";
}

} // namespace
