// SPDX-License-Identifier: MIT
// tests/vmm/exit_test.cc - the exit dispatcher on hand-made struct kvm_run values: port and
// MMIO accesses reach the right device with offsets, unclaimed ones read all-ones, the exit
// port stops the run, every kind of death is a crash with a reason, and a malformed kvm_run
// cannot make the dispatcher read outside the page.
#include <gtest/gtest.h>

#include <linux/kvm.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/shim/gmm_shim.h"

namespace {

constexpr size_t RUN_SIZE = 3 * 4096; // what KVM_GET_VCPU_MMAP_SIZE returns here

// A fake device that records every access.
struct Recorder {
	struct Access {
		uint64_t offset;
		uint32_t len;
		bool is_write;
		uint64_t value;
	};
	std::vector<Access> log;
	uint8_t read_value = 0x42;

	static int io(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
	{
		auto *r = static_cast<Recorder *>(dev);
		uint64_t v = 0;

		if (is_write)
			memcpy(&v, data, len);
		else
			memset(data, r->read_value, len);
		r->log.push_back({ offset, len, is_write, v });
		return GMM_BUS_CONTINUE;
	}
};

class ExitDispatch : public ::testing::Test {
protected:
	void SetUp() override
	{
		buf_.assign(RUN_SIZE, 0);
		run_ = reinterpret_cast<struct kvm_run *>(buf_.data());
		memset(&bus_, 0, sizeof(bus_));
		struct gmm_bus_device pio = { "rec-pio", 0, GMM_BUS_PIO, 0x100, 0x10, Recorder::io, &pio_ };
		struct gmm_bus_device mmio = { "rec-mmio", 0, GMM_BUS_MMIO, 0xd0000000, 0x1000,
					   Recorder::io, &mmio_ };
		ASSERT_EQ(gmm_bus_add(&bus_, &pio), 0);
		ASSERT_EQ(gmm_bus_add(&bus_, &mmio), 0);
		struct gmm_bus_device ep = gmm_exit_port_bus_device(&exit_port_);
		ASSERT_EQ(gmm_bus_add(&bus_, &ep), 0);
	}

	uint8_t *Io(uint8_t dir, uint16_t port, uint8_t size, uint32_t count, uint64_t off = 4096)
	{
		run_->exit_reason = KVM_EXIT_IO;
		run_->io.direction = dir;
		run_->io.port = port;
		run_->io.size = size;
		run_->io.count = count;
		run_->io.data_offset = off;
		return buf_.data() + (off < RUN_SIZE ? off : 0);
	}

	void Mmio(uint64_t addr, uint32_t len, bool is_write, uint64_t value = 0)
	{
		run_->exit_reason = KVM_EXIT_MMIO;
		run_->mmio.phys_addr = addr;
		run_->mmio.len = len;
		run_->mmio.is_write = is_write;
		memcpy(run_->mmio.data, &value, sizeof(value));
	}

	enum gmm_exit_action Dispatch()
	{
		why_[0] = 0;
		return gmm_exit_dispatch(run_, RUN_SIZE, &bus_, why_, sizeof(why_));
	}

	std::vector<uint8_t> buf_;
	struct kvm_run *run_;
	struct gmm_bus bus_;
	Recorder pio_, mmio_;
	struct gmm_exit_port exit_port_ = {};
	char why_[256];
};

TEST_F(ExitDispatch, PortWriteReachesTheDeviceAtItsOffset)
{
	uint8_t *data = Io(KVM_EXIT_IO_OUT, 0x104, 2, 1);
	data[0] = 0x34;
	data[1] = 0x12;
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CONTINUE);
	ASSERT_EQ(pio_.log.size(), 1u);
	EXPECT_EQ(pio_.log[0].offset, 4u);
	EXPECT_EQ(pio_.log[0].len, 2u);
	EXPECT_TRUE(pio_.log[0].is_write);
	EXPECT_EQ(pio_.log[0].value, 0x1234u);
}

TEST_F(ExitDispatch, StringPortIoIsOneAccessPerElement)
{
	uint8_t *data = Io(KVM_EXIT_IO_IN, 0x101, 1, 5);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CONTINUE);
	ASSERT_EQ(pio_.log.size(), 5u);
	for (int i = 0; i < 5; i++)
		EXPECT_EQ(data[i], 0x42);
}

TEST_F(ExitDispatch, UnclaimedPortsAndMmioReadAllOnes)
{
	uint8_t *data = Io(KVM_EXIT_IO_IN, 0x80, 4, 1);
	memset(data, 0, 4);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CONTINUE);
	EXPECT_EQ(data[0], 0xff);
	EXPECT_EQ(data[3], 0xff);
	// an access running past a device's window is nobody's
	data = Io(KVM_EXIT_IO_IN, 0x10e, 4, 1);
	memset(data, 0, 4);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CONTINUE);
	EXPECT_EQ(data[0], 0xff);
	EXPECT_TRUE(pio_.log.empty());

	Mmio(0xfee00020, 4, false);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CONTINUE);
	EXPECT_EQ(run_->mmio.data[0], 0xff);
	EXPECT_EQ(run_->mmio.data[3], 0xff);
	EXPECT_EQ(bus_.unhandled.accesses, 3u);
}

TEST_F(ExitDispatch, MmioReachesTheDevice)
{
	Mmio(0xd0000ff8, 8, true, 0x1122334455667788ull);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CONTINUE);
	ASSERT_EQ(mmio_.log.size(), 1u);
	EXPECT_EQ(mmio_.log[0].offset, 0xff8u);
	EXPECT_EQ(mmio_.log[0].value, 0x1122334455667788ull);
	Mmio(0xd0000000, 4, false);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CONTINUE);
	EXPECT_EQ(run_->mmio.data[0], 0x42);
}

TEST_F(ExitDispatch, ExitPortStopsTheRunWithTheVerdict)
{
	uint8_t *data = Io(KVM_EXIT_IO_OUT, GMM_EXIT_PORT_BASE, 4, 1);
	uint32_t v = 42;
	memcpy(data, &v, 4);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_STOP);
	EXPECT_TRUE(exit_port_.exited);
	EXPECT_EQ(exit_port_.verdict, 42u);
	// outb works too
	data = Io(KVM_EXIT_IO_OUT, GMM_EXIT_PORT_BASE, 1, 1);
	data[0] = 7;
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_STOP);
	EXPECT_EQ(exit_port_.verdict, 7u);
}

struct CrashCase {
	uint32_t reason;
	const char *message;
};

TEST_F(ExitDispatch, EveryDeathIsACrashWithAReason)
{
	const CrashCase cases[] = {
		{ KVM_EXIT_SHUTDOWN, "triple fault" },
		{ KVM_EXIT_FAIL_ENTRY, "VM entry failed" },
		{ KVM_EXIT_INTERNAL_ERROR, "internal error" },
		{ KVM_EXIT_SYSTEM_EVENT, "system event" },
		{ KVM_EXIT_HLT, "hlt" },
		{ 9999, "unexpected exit reason 9999" },
	};
	for (const auto &c : cases) {
		run_->exit_reason = c.reason;
		EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CRASH) << c.message;
		EXPECT_NE(std::string(why_).find(c.message), std::string::npos) << why_;
	}
	run_->exit_reason = KVM_EXIT_INTR;
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CONTINUE);
}

TEST_F(ExitDispatch, MalformedExitsCannotReachOutsideTheRunPage)
{
	Io(KVM_EXIT_IO_OUT, 0x100, 1, 1, RUN_SIZE);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CRASH) << "data_offset at the end";
	Io(KVM_EXIT_IO_OUT, 0x100, 1, 1, UINT64_MAX - 2);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CRASH) << "data_offset wraps";
	Io(KVM_EXIT_IO_OUT, 0x100, 4, 0x40000000u, 4096);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CRASH) << "count * size past the page";
	Io(KVM_EXIT_IO_OUT, 0x100, 4, 2048, 4096);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CONTINUE) << "exactly up to the end is fine";
	Io(KVM_EXIT_IO_OUT, 0x100, 3, 1);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CRASH) << "size 3";
	Mmio(0xd0000000, 9, true);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CRASH) << "MMIO len 9";
	Mmio(0xd0000000, 0, true);
	EXPECT_EQ(Dispatch(), GMM_EXIT_ACTION_CRASH) << "MMIO len 0";
	EXPECT_EQ(pio_.log.size(), 2048u);
}

} // namespace
