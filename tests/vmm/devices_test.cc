// SPDX-License-Identifier: MIT
// tests/vmm/devices_test.cc - the device table, the unhandled-access log, the console (output,
// rate limit with a fake clock), the 16550 subset (registers), the console port (messages from
// guest RAM, every refusal) and the exit port.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <random>
#include <string>

#include "tests/fd_text.h"
#include "tests/shim/gmm_shim.h"

namespace {

int nop_io(void *, uint64_t, uint8_t *, uint32_t, bool)
{
	return GMM_BUS_CONTINUE;
}

TEST(Bus, RefusesOverlapsAndBadWindows)
{
	struct gmm_bus bus = {};
	struct gmm_bus_device a = { "a", 0, GMM_BUS_PIO, 0x100, 8, nop_io, nullptr };

	ASSERT_EQ(gmm_bus_add(&bus, &a), 0);
	struct gmm_bus_device overlap = { "b", 0, GMM_BUS_PIO, 0x107, 2, nop_io, nullptr };
	EXPECT_EQ(gmm_bus_add(&bus, &overlap), -EBUSY);
	struct gmm_bus_device below = { "c", 0, GMM_BUS_PIO, 0xf0, 0x11, nop_io, nullptr };
	EXPECT_EQ(gmm_bus_add(&bus, &below), -EBUSY);
	struct gmm_bus_device adjacent = { "d", 0, GMM_BUS_PIO, 0x108, 8, nop_io, nullptr };
	EXPECT_EQ(gmm_bus_add(&bus, &adjacent), 0);
	struct gmm_bus_device other_space = { "e", 0, GMM_BUS_MMIO, 0x100, 8, nop_io, nullptr };
	EXPECT_EQ(gmm_bus_add(&bus, &other_space), 0) << "ports and MMIO are separate spaces";
	struct gmm_bus_device empty = { "f", 0, GMM_BUS_MMIO, 0x1000, 0, nop_io, nullptr };
	EXPECT_EQ(gmm_bus_add(&bus, &empty), -EINVAL);
	struct gmm_bus_device wraps = { "g", 0, GMM_BUS_MMIO, UINT64_MAX - 2, 8, nop_io, nullptr };
	EXPECT_EQ(gmm_bus_add(&bus, &wraps), -EINVAL);
	struct gmm_bus_device top = { "h", 0, GMM_BUS_MMIO, UINT64_MAX - 7, 8, nop_io, nullptr };
	EXPECT_EQ(gmm_bus_add(&bus, &top), 0) << "ending at the last address is fine";
	for (int i = bus.nr; i < GMM_BUS_MAX_DEVICES; i++) {
		struct gmm_bus_device d = { "x", 0, GMM_BUS_MMIO, 0x10000ull * (i + 1), 8, nop_io, nullptr };
		ASSERT_EQ(gmm_bus_add(&bus, &d), 0);
	}
	struct gmm_bus_device full = { "y", 0, GMM_BUS_MMIO, 0x900000, 8, nop_io, nullptr };
	EXPECT_EQ(gmm_bus_add(&bus, &full), -ENOSPC);
}

TEST(Unhandled, LogsOncePerAddressAndStopsWhenFull)
{
	static struct gmm_unhandled_log log = {};
	uint8_t data[4] = { 0, 0, 0, 0 };

	EXPECT_TRUE(gmm_unhandled_access(&log, GMM_BUS_MMIO, 0xb8000, data, 4, false));
	EXPECT_EQ(data[0], 0xff);
	EXPECT_FALSE(gmm_unhandled_access(&log, GMM_BUS_MMIO, 0xb8000, data, 4, true)) << "same address";
	EXPECT_TRUE(gmm_unhandled_access(&log, GMM_BUS_PIO, 0xb8000, data, 4, true)) << "other space";
	int logged = 2;
	for (uint64_t a = 0; a < 4 * GMM_UNHANDLED_LOG_SLOTS; a++)
		logged += gmm_unhandled_access(&log, GMM_BUS_MMIO, 0x100000 + 4 * a, data, 4, false);
	EXPECT_EQ(logged, GMM_UNHANDLED_LOG_SLOTS - 1) << "bounded: one slot stays empty";
	EXPECT_TRUE(log.full_reported);
	EXPECT_EQ(log.accesses, 3u + 4 * GMM_UNHANDLED_LOG_SLOTS);
	// still all-ones once the log is full
	data[0] = 0;
	gmm_unhandled_access(&log, GMM_BUS_MMIO, 0xdead0000, data, 1, false);
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
		gmm_console_init(&console_, fd_, fake_clock);
		gmm_serial_init(&s_, &console_);
	}
	void TearDown() override { close(fd_); }
	void Out(uint64_t reg, uint8_t v) { gmm_serial_io(&s_, reg, &v, 1, true); }
	uint8_t In(uint64_t reg)
	{
		uint8_t v = 0;
		gmm_serial_io(&s_, reg, &v, 1, false);
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
	struct gmm_console console_;
	struct gmm_serial s_;
};

TEST_F(Serial, TransmitsLinesAndAlwaysLooksReady)
{
	for (char c : std::string("hi\n"))
		Out(0, (uint8_t)c);
	EXPECT_EQ(Drain(), "hi\n");
	Out(0, 'x');
	EXPECT_EQ(Drain(), "") << "buffered until a newline";
	gmm_console_flush(&console_);
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
	gmm_console_flush(&console_);
	EXPECT_EQ(Drain(), "") << "divisor writes are not output";
}

TEST_F(Serial, RateLimitDropsAFloodAndRecovers)
{
	const uint64_t extra = 1000;

	for (uint64_t i = 0; i < GMM_CONSOLE_BURST + extra; i++)
		Out(0, 'a');
	gmm_console_flush(&console_);
	std::string out = Drain();
	EXPECT_EQ(console_.written, GMM_CONSOLE_BURST);
	EXPECT_EQ(console_.dropped, extra);
	EXPECT_NE(out.find("rate-limited"), std::string::npos);
	EXPECT_EQ(out.find("rate-limited"), out.rfind("rate-limited")) << "one notice";

	fake_now += 1000000000ull; // one second refills GMM_CONSOLE_RATE bytes
	for (uint64_t i = 0; i < GMM_CONSOLE_RATE + extra; i++)
		Out(0, 'b');
	EXPECT_EQ(console_.written, GMM_CONSOLE_BURST + GMM_CONSOLE_RATE);
	EXPECT_EQ(console_.dropped, 2 * extra);
}

TEST_F(Serial, AMessageBeyondTheBudgetIsCutWhereTheBudgetEnds)
{
	std::string big(GMM_CONSOLE_BURST - 3, 'x');

	gmm_console_write(&console_, big.data(), big.size());
	gmm_console_write(&console_, "abcdef\n", 7);
	gmm_console_flush(&console_);
	std::string out = Drain();
	EXPECT_EQ(out.substr(0, GMM_CONSOLE_BURST), big + "abc");
	EXPECT_NE(out.find("rate-limited", GMM_CONSOLE_BURST), std::string::npos);
	EXPECT_EQ(console_.written, GMM_CONSOLE_BURST);
	EXPECT_EQ(console_.dropped, 4u);
}

TEST_F(Serial, AMessageIsWrittenOutAtItsNewlineNotBefore)
{
	gmm_console_write(&console_, "one\ntw", 6);
	EXPECT_EQ(Drain(), "one\ntw") << "a write holding a newline goes out at once";
	gmm_console_write(&console_, "o", 1);
	EXPECT_EQ(Drain(), "");
	Out(0, '\n');
	EXPECT_EQ(Drain(), "o\n");
}

class ConsolePort : public ::testing::Test {
protected:
	void SetUp() override
	{
		ASSERT_EQ(gmm_mem_create(&gm_, 32 * MiB, GMM_MEM_BACKING_SHMEM), 0);
		fd_ = memfd_create("console-port-test", 0);
		ASSERT_GE(fd_, 0);
		log_ = tmpfile();
		ASSERT_NE(log_, nullptr);
		gmm_console_init(&console_, fd_, nullptr);
		gmm_serial_init(&serial_, &console_);
		gmm_console_port_init(&port_, &console_, &gm_, log_);
	}
	void TearDown() override
	{
		fclose(log_);
		close(fd_);
		gmm_mem_destroy(&gm_);
	}
	// put a descriptor at @desc_gpa naming [@addr, @addr + @len), write its address, return the status
	uint32_t Send(uint64_t desc_gpa, uint64_t addr, uint32_t len, uint32_t reserved = 0)
	{
		struct console_port_desc d = { addr, len, reserved };
		EXPECT_EQ(gmm_mem_write(&gm_, desc_gpa, &d, sizeof(d)), 0);
		return Write32((uint32_t)desc_gpa);
	}
	uint32_t Write32(uint32_t v)
	{
		EXPECT_EQ(gmm_console_port_io(&port_, 0, (uint8_t *)&v, 4, true), GMM_BUS_CONTINUE);
		return Status();
	}
	uint32_t Status()
	{
		uint32_t v = 0xdeadbeef;
		EXPECT_EQ(gmm_console_port_io(&port_, 0, (uint8_t *)&v, 4, false), GMM_BUS_CONTINUE);
		return v;
	}
	std::string Out()
	{
		gmm_console_flush(&console_);
		return FdText(fd_);
	}
	std::string Log()
	{
		fflush(log_);
		std::string text;
		char buf[512];
		rewind(log_);
		while (fgets(buf, sizeof(buf), log_))
			text += buf;
		return text;
	}
	static constexpr uint64_t MiB = 1ull << 20;
	struct gmm_mem gm_ = {};
	int fd_ = -1;
	FILE *log_ = nullptr;
	struct gmm_console console_;
	struct gmm_serial serial_;
	struct gmm_console_port port_;
};

TEST_F(ConsolePort, AMessageInOneAccessInOrderWithTheSerialPort)
{
	const char msg[] = "a whole line\n";
	ASSERT_EQ(gmm_mem_write(&gm_, 0x10000, msg, sizeof(msg) - 1), 0);
	uint8_t c = '>';
	gmm_serial_io(&serial_, 0, &c, 1, true);
	EXPECT_EQ(Send(0x20000, 0x10000, sizeof(msg) - 1), (uint32_t)CONSOLE_PORT_OK);
	EXPECT_EQ(Out(), ">a whole line\n");
	EXPECT_EQ(port_.messages, 1u);
	EXPECT_EQ(Send(0x20000, 0x10000, 0), (uint32_t)CONSOLE_PORT_OK) << "empty: nothing to do";
	EXPECT_EQ(Out(), ">a whole line\n");
	EXPECT_EQ(port_.refused, 0u);
	EXPECT_EQ(Log(), "");
}

TEST_F(ConsolePort, TheLastBytesOfRamAreFineOneMoreIsRefused)
{
	const struct gmm_mem_region &r = gm_.regions[gm_.nr_regions - 1];
	uint64_t end = r.gpa + r.size;
	ASSERT_EQ(gmm_mem_write(&gm_, end - 4, "end\n", 4), 0);
	EXPECT_EQ(Send(0x20000, end - 4, 4), (uint32_t)CONSOLE_PORT_OK);
	EXPECT_EQ(Send(0x20000, end - 4, 5), (uint32_t)CONSOLE_PORT_ERR_RANGE);
	EXPECT_EQ(Send(0x20000, GUEST_LEGACY_HOLE_START - 2, 4), (uint32_t)CONSOLE_PORT_ERR_RANGE)
		<< "across the legacy hole";
	EXPECT_EQ(Send(0x20000, ~0ull - 1, 4), (uint32_t)CONSOLE_PORT_ERR_RANGE) << "wraps";
	EXPECT_EQ(Out(), "end\n");
}

TEST_F(ConsolePort, EveryRefusalWritesNothingSaysWhyAndIsReportedOnce)
{
	const struct gmm_mem_region &r = gm_.regions[gm_.nr_regions - 1];
	uint32_t past_ram = (uint32_t)(r.gpa + r.size);
	ASSERT_EQ(gmm_mem_write(&gm_, 0x10000, "xxxx", 4), 0);

	EXPECT_EQ(Write32(past_ram), (uint32_t)CONSOLE_PORT_ERR_DESC);
	EXPECT_EQ(Write32(past_ram - 8), (uint32_t)CONSOLE_PORT_ERR_DESC) << "half a descriptor";
	EXPECT_EQ(Write32(GUEST_LEGACY_HOLE_START), (uint32_t)CONSOLE_PORT_ERR_DESC);
	EXPECT_EQ(Send(0x20000, 0x10000, CONSOLE_PORT_MAX_LEN + 1), (uint32_t)CONSOLE_PORT_ERR_LEN);
	EXPECT_EQ(Send(0x20000, 0x10000, 4, 1), (uint32_t)CONSOLE_PORT_ERR_LEN) << "reserved";
	uint8_t b = 0x20, wide[2] = { 0, 0 };
	EXPECT_EQ(gmm_console_port_io(&port_, 0, &b, 1, true), GMM_BUS_CONTINUE);
	EXPECT_EQ(Status(), (uint32_t)CONSOLE_PORT_ERR_WIDTH);
	EXPECT_EQ(gmm_console_port_io(&port_, 0, wide, 2, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(wide[0], 0xff) << "a narrow read is all-ones";
	EXPECT_EQ(wide[1], 0xff);
	EXPECT_EQ(Out(), "");
	EXPECT_EQ(port_.messages, 0u);
	EXPECT_EQ(port_.refused, 7u);
	std::string log = Log();
	EXPECT_NE(log.find("console port: message refused (the descriptor is not in guest RAM)"),
		  std::string::npos)
		<< log;
	EXPECT_EQ(log.find("console port"), log.rfind("console port")) << "reported once: " << log;

	EXPECT_EQ(Send(0x20000, 0x10000, 4), (uint32_t)CONSOLE_PORT_OK) << "the port recovers";
	EXPECT_EQ(Out(), "xxxx");
}

// What a hostile guest can do to the console port: descriptors with random fields placed
// anywhere, written with random widths and offsets (gmm_io_sequence_apply(), as the vCPU loop
// routes them). Nothing crashes (this test also runs under ASan + UBSan), every write is
// either a message or a refusal, and the console holds exactly the accepted bytes.
TEST_F(ConsolePort, RandomDescriptorsAreHarmless)
{
	const unsigned int seed = 20261122;
	std::mt19937_64 rng(seed);
	const struct gmm_mem_region &last = gm_.regions[gm_.nr_regions - 1];
	const uint64_t ram_end = last.gpa + last.size;
	struct gmm_bus bus = {};
	struct gmm_bus_device d = gmm_console_port_bus_device(&port_);
	ASSERT_EQ(gmm_bus_add(&bus, &d), 0);
	uint64_t writes = 0;

	printf("seed %u\n", seed);
	for (int i = 0; i < 20000; i++) {
		// a descriptor somewhere near the edges of RAM, naming bytes near edges too
		uint64_t edges[] = { 0, GUEST_LEGACY_HOLE_START, GUEST_LEGACY_HOLE_END, ram_end,
				     0xfffff000ull, ~0ull };
		uint64_t desc = edges[rng() % 6] + (rng() % 64) - 32;
		uint64_t addr = rng() % 4 ? edges[rng() % 6] + (rng() % 8192) - 4096 : rng();
		uint32_t len = rng() % 4 ? (uint32_t)(rng() % 200) : (uint32_t)rng();
		struct console_port_desc dd = { addr, len, rng() % 8 ? 0u : (uint32_t)rng() };
		gmm_mem_write(&gm_, desc, &dd, sizeof(dd)); // may be refused: then RAM holds older bytes
		struct gmm_io_access a = { GMM_BUS_PIO, 1, (uint8_t)(rng() % 8 ? 4 : 1 << (rng() % 3)),
				       CONSOLE_PORT_BASE + (rng() % 8 ? 0 : rng() % 6),
				       (uint32_t)desc };
		uint64_t before = console_.written;
		ASSERT_EQ(gmm_io_sequence_apply(&bus, &a, 1), 1u);
		if (a.addr + a.len <= CONSOLE_PORT_BASE + CONSOLE_PORT_SIZE)
			writes++; // inside the window; anything else is the bus's unhandled log
		uint32_t st = Status();
		ASSERT_LE(st, (uint32_t)CONSOLE_PORT_ERR_WIDTH);
		if (st != CONSOLE_PORT_OK) {
			ASSERT_EQ(console_.written, before) << "a refused message writes nothing";
		}
	}
	EXPECT_EQ(port_.messages + port_.refused, writes)
		<< "every access inside the window is a message or a refusal";
	EXPECT_GT(port_.messages, 1000u) << "the test reaches the accepting path too";
	EXPECT_GT(port_.refused, 1000u);
	EXPECT_EQ(Out().size(), console_.written);
}

TEST(ExitPort, AnyWriteEndsTheRunReadsAreAllOnes)
{
	struct gmm_exit_port ep = {};
	uint8_t data[4] = { 0, 0, 0, 0 };

	EXPECT_EQ(gmm_exit_port_io(&ep, 0, data, 4, false), GMM_BUS_CONTINUE);
	EXPECT_EQ(data[0], 0xff);
	EXPECT_FALSE(ep.exited);
	uint8_t v[4] = { 0x2a, 0x01, 0, 0 };
	EXPECT_EQ(gmm_exit_port_io(&ep, 0, v, 4, true), GMM_BUS_STOP);
	EXPECT_TRUE(ep.exited);
	EXPECT_EQ(ep.verdict, 0x12au);
}

} // namespace
