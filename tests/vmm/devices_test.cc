// SPDX-License-Identifier: MIT
// tests/vmm/devices_test.cc - the device table, the unhandled-access log, the 16550 subset
// (registers, output, rate limit with a fake clock) and the exit port.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "tests/fd_text.h"
#include "tests/shim/gmm_shim.h"

namespace {

int nop_io(void *, uint64_t, uint8_t *, uint32_t, bool)
{
	return BUS_CONTINUE;
}

TEST(Bus, RefusesOverlapsAndBadWindows)
{
	struct bus bus = {};
	struct bus_device a = { "a", 0, BUS_PIO, 0x100, 8, nop_io, nullptr };

	ASSERT_EQ(bus_add(&bus, &a), 0);
	struct bus_device overlap = { "b", 0, BUS_PIO, 0x107, 2, nop_io, nullptr };
	EXPECT_EQ(bus_add(&bus, &overlap), -EBUSY);
	struct bus_device below = { "c", 0, BUS_PIO, 0xf0, 0x11, nop_io, nullptr };
	EXPECT_EQ(bus_add(&bus, &below), -EBUSY);
	struct bus_device adjacent = { "d", 0, BUS_PIO, 0x108, 8, nop_io, nullptr };
	EXPECT_EQ(bus_add(&bus, &adjacent), 0);
	struct bus_device other_space = { "e", 0, BUS_MMIO, 0x100, 8, nop_io, nullptr };
	EXPECT_EQ(bus_add(&bus, &other_space), 0) << "ports and MMIO are separate spaces";
	struct bus_device empty = { "f", 0, BUS_MMIO, 0x1000, 0, nop_io, nullptr };
	EXPECT_EQ(bus_add(&bus, &empty), -EINVAL);
	struct bus_device wraps = { "g", 0, BUS_MMIO, UINT64_MAX - 2, 8, nop_io, nullptr };
	EXPECT_EQ(bus_add(&bus, &wraps), -EINVAL);
	struct bus_device top = { "h", 0, BUS_MMIO, UINT64_MAX - 7, 8, nop_io, nullptr };
	EXPECT_EQ(bus_add(&bus, &top), 0) << "ending at the last address is fine";
	for (int i = bus.nr; i < BUS_MAX_DEVICES; i++) {
		struct bus_device d = { "x", 0, BUS_MMIO, 0x10000ull * (i + 1), 8, nop_io, nullptr };
		ASSERT_EQ(bus_add(&bus, &d), 0);
	}
	struct bus_device full = { "y", 0, BUS_MMIO, 0x900000, 8, nop_io, nullptr };
	EXPECT_EQ(bus_add(&bus, &full), -ENOSPC);
}

TEST(Unhandled, LogsOncePerAddressAndStopsWhenFull)
{
	static struct unhandled_log log = {};
	uint8_t data[4] = { 0, 0, 0, 0 };

	EXPECT_TRUE(unhandled_access(&log, BUS_MMIO, 0xb8000, data, 4, false));
	EXPECT_EQ(data[0], 0xff);
	EXPECT_FALSE(unhandled_access(&log, BUS_MMIO, 0xb8000, data, 4, true)) << "same address";
	EXPECT_TRUE(unhandled_access(&log, BUS_PIO, 0xb8000, data, 4, true)) << "other space";
	int logged = 2;
	for (uint64_t a = 0; a < 4 * UNHANDLED_LOG_SLOTS; a++)
		logged += unhandled_access(&log, BUS_MMIO, 0x100000 + 4 * a, data, 4, false);
	EXPECT_EQ(logged, UNHANDLED_LOG_SLOTS - 1) << "bounded: one slot stays empty";
	EXPECT_TRUE(log.full_reported);
	EXPECT_EQ(log.accesses, 3u + 4 * UNHANDLED_LOG_SLOTS);
	// still all-ones once the log is full
	data[0] = 0;
	unhandled_access(&log, BUS_MMIO, 0xdead0000, data, 1, false);
	EXPECT_EQ(data[0], 0xff);
}

uint64_t fake_now;
uint64_t fake_clock()
{
	return fake_now;
}

class Serial : public ::testing::Test {
protected:
	void SetUp() override
	{
		// a memfd, not a pipe: a flood of output must not block or be cut by a pipe size
		fd_ = memfd_create("serial-test", 0);
		ASSERT_GE(fd_, 0);
		fake_now = 1000000000ull;
		serial_init(&s_, fd_, fake_clock);
	}
	void TearDown() override { close(fd_); }
	void Out(uint64_t reg, uint8_t v) { serial_io(&s_, reg, &v, 1, true); }
	uint8_t In(uint64_t reg)
	{
		uint8_t v = 0;
		serial_io(&s_, reg, &v, 1, false);
		return v;
	}
	std::string Drain()
	{
		std::string out = FdText(fd_, (off_t)read_);
		read_ += out.size();
		return out;
	}
	int fd_;
	size_t read_ = 0;
	struct serial s_;
};

TEST_F(Serial, TransmitsLinesAndAlwaysLooksReady)
{
	for (char c : std::string("hi\n"))
		Out(0, (uint8_t)c);
	EXPECT_EQ(Drain(), "hi\n");
	Out(0, 'x');
	EXPECT_EQ(Drain(), "") << "buffered until a newline";
	serial_flush(&s_);
	EXPECT_EQ(Drain(), "x");
	EXPECT_EQ(In(5) & 0x60, 0x60) << "LSR: THRE and TEMT";
	EXPECT_EQ(In(2), 0x01) << "IIR: no interrupt pending";
}

TEST_F(Serial, DivisorLatchAndScratch)
{
	Out(3, 0x80); // DLAB
	Out(0, 0x0c);
	Out(1, 0x00);
	EXPECT_EQ(In(0), 0x0c);
	Out(3, 0x03); // 8N1, DLAB off
	EXPECT_EQ(In(3), 0x03);
	Out(7, 0x5a);
	EXPECT_EQ(In(7), 0x5a);
	Out(1, 0xff);
	EXPECT_EQ(In(1), 0x0f) << "IER keeps its 4 defined bits";
	serial_flush(&s_);
	EXPECT_EQ(Drain(), "") << "divisor writes are not output";
}

TEST_F(Serial, RateLimitDropsAFloodAndRecovers)
{
	const uint64_t extra = 1000;

	for (uint64_t i = 0; i < SERIAL_BURST + extra; i++)
		Out(0, 'a');
	serial_flush(&s_);
	std::string out = Drain();
	EXPECT_EQ(s_.written, SERIAL_BURST);
	EXPECT_EQ(s_.dropped, extra);
	EXPECT_NE(out.find("rate-limited"), std::string::npos);
	EXPECT_EQ(out.find("rate-limited"), out.rfind("rate-limited")) << "one notice";

	fake_now += 1000000000ull; // one second refills SERIAL_RATE bytes
	for (uint64_t i = 0; i < SERIAL_RATE + extra; i++)
		Out(0, 'b');
	EXPECT_EQ(s_.written, SERIAL_BURST + SERIAL_RATE);
	EXPECT_EQ(s_.dropped, 2 * extra);
}

TEST(ExitPort, AnyWriteEndsTheRunReadsAreAllOnes)
{
	struct exit_port ep = {};
	uint8_t data[4] = { 0, 0, 0, 0 };

	EXPECT_EQ(exit_port_io(&ep, 0, data, 4, false), BUS_CONTINUE);
	EXPECT_EQ(data[0], 0xff);
	EXPECT_FALSE(ep.exited);
	uint8_t v[4] = { 0x2a, 0x01, 0, 0 };
	EXPECT_EQ(exit_port_io(&ep, 0, v, 4, true), BUS_STOP);
	EXPECT_TRUE(ep.exited);
	EXPECT_EQ(ep.verdict, 0x12au);
}

} // namespace
