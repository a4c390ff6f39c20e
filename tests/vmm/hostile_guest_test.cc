// SPDX-License-Identifier: MIT
// tests/vmm/hostile_guest_test.cc - every VMM reader of memory a running guest can change, run
// while a second thread (standing in for another vCPU) rewrites that memory as fast as it can:
// strict DMA, buddyinfo and the page-state check (which the watcher and --buddyinfo use), the
// console port, and the scatter-gather descriptor tables. Under ASan (tools/test.sh runs
// tests/vmm/... with --config=asan) a reader that reads a field twice and trusts the second
// read walks out of guest RAM and dies; here each must stay inside, give an answer it can give,
// and fail closed where it trusts the page state. Guest RAM is a real memfd-backed struct
// gmem; no KVM is needed.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>

#include "tests/shim/gmm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;
constexpr int ROUNDS = 20000;

// Runs @mutate(rng) in a loop on its own thread until destroyed.
class Mutator {
public:
	explicit Mutator(std::function<void(std::mt19937 &)> mutate)
		: thread_([this, mutate] {
			  std::mt19937 rng(20261206);
			  while (!stop_.load(std::memory_order_relaxed))
				  mutate(rng);
		  })
	{
	}
	~Mutator()
	{
		stop_ = true;
		thread_.join();
	}

private:
	std::atomic<bool> stop_{ false };
	std::thread thread_;
};

// Relaxed atomic stores, so the test itself is free of data races in the C++ sense.
template <typename T> void Store(volatile void *p, T v)
{
	__atomic_store_n(static_cast<volatile T *>(p), v, __ATOMIC_RELAXED);
}

bool Printable(const std::string &s)
{
	for (unsigned char c : s)
		if (c != '\n' && (c < 0x20 || c > 0x7e))
			return false;
	return true;
}

class HostileGuest : public ::testing::Test {
protected:
	void SetUp() override
	{
		const struct gmm_mem_range reserved[] = { { 0, 0x9f000 }, { 0x100000, 0x200000 } };

		char err[256];

		ASSERT_EQ(gmm_shim_dma_machine(&m_, 32 * MiB, 32, true, nullptr, nullptr, nullptr, err,
					       sizeof(err)),
			  0)
			<< err;
		ASSERT_EQ(gmm_page_state_setup(&m_.vm.mem, reserved, 2, &gps_), 0);
		ps_ = static_cast<uint8_t *>(
			gmm_mem_ptr(&m_.vm.mem, gps_.state_phys, sizeof(page_state)));
		map_ = static_cast<struct page *>(
			gmm_mem_ptr(&m_.vm.mem, gps_.map_phys, gps_.max_pfn * sizeof(struct page)));
		ASSERT_NE(ps_, nullptr);
		ASSERT_NE(map_, nullptr);
		gmm_dma_dev_set_page_state(&m_.dma, gps_.state_phys);
		Cfg(PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	}
	void TearDown() override { gmm_machine_destroy(&m_); }

	uint64_t Io(uint8_t space, bool write, uint8_t len, uint64_t addr, uint64_t value = 0)
	{
		struct gmm_io_access a = { space, write, len, addr, value };
		EXPECT_EQ(gmm_io_sequence_apply(&m_.bus, &a, 1), 1u);
		return a.value;
	}
	void Cfg(unsigned int reg, uint32_t v)
	{
		Io(GMM_BUS_PIO, true, 4, PCI_CONFIG_ADDRESS, PCI_CONFIG_ADDR(GMM_DMA_DEV_DEVFN, reg));
		Io(GMM_BUS_PIO, true, 4, PCI_CONFIG_DATA, v);
	}
	void W(unsigned int off, uint64_t v, uint8_t len = 4)
	{
		Io(GMM_BUS_MMIO, true, len, GMM_PCI_MMIO_BASE + off, v);
	}
	uint32_t Sg(uint32_t op, uint64_t src, uint32_t ns, uint64_t dst, uint32_t nd)
	{
		W(DMA_REG_SG_SRC_TABLE, src, 8);
		W(DMA_REG_SG_SRC_COUNT, ns);
		W(DMA_REG_SG_DST_TABLE, dst, 8);
		W(DMA_REG_SG_DST_COUNT, nd);
		W(DMA_REG_SG_CMD, op << DMA_SG_OP_SHIFT | DMA_SG_START);
		return (uint32_t)Io(GMM_BUS_MMIO, false, 4, GMM_PCI_MMIO_BASE + DMA_REG_ERROR);
	}
	// pretend the guest allocated an order-1 block at @pfn
	void Allocated(uint64_t pfn)
	{
		map_[pfn].flags = PG_head;
		map_[pfn].order = 1;
		map_[pfn + 1].flags = 0;
	}
	volatile uint8_t *Field(size_t offset) { return ps_ + offset; }

	struct gmm_machine m_; // without a VM: guest RAM, the bus, the PCI host, a strict DMA device
	struct gmm_page_state_layout gps_;
	uint8_t *ps_;
	struct page *map_;
};

// The crash of issue 21, with a host thread for vCPU 1: max_pfn flips between 1 and its real
// value while mem_map_phys names the last struct page below the legacy hole. Before the fix
// strict mode checked the array with one read of max_pfn and walked it with another, into
// the PROT_NONE gap after the region (SIGSEGV in block_of()).
TEST_F(HostileGuest, StrictDmaWhileMaxPfnFlipsStaysInsideGuestRam)
{
	const uint64_t real_max = gps_.max_pfn;
	char *text = nullptr;
	size_t len = 0;
	FILE *log = open_memstream(&text, &len);
	m_.dma.log = log;
	Allocated(0x400);
	struct dma_desc desc = { 0x400000, 0x2000 };
	ASSERT_EQ(gmm_mem_write(&m_.vm.mem, 0x10000, &desc, sizeof(desc)), 0);
	ASSERT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_NONE) << "honest state";
	Store<uint64_t>(Field(offsetof(struct page_state, mem_map_phys)),
			GUEST_LEGACY_HOLE_START - sizeof(struct page));
	{
		Mutator m([&](std::mt19937 &) {
			Store<uint64_t>(Field(offsetof(struct page_state, max_pfn)), 1);
			Store<uint64_t>(Field(offsetof(struct page_state, max_pfn)), real_max);
		});
		for (int i = 0; i < ROUNDS; i++)
			ASSERT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_PAGE_STATE)
				<< "round " << i << ": fail closed";
	}
	fclose(log);
	std::string s(text, len);
	free(text);
	EXPECT_EQ(s.find("gmm: dma: strict: the guest's page state is not valid"), 0u) << s;
	EXPECT_EQ(s.find("gmm: dma:", 1), std::string::npos) << "said once: " << s;
	EXPECT_EQ(m_.dma.stats.strict_refusals, (uint64_t)ROUNDS);
}

// The page-frame array changes under the strict walk: entries of the block the range lies
// in and of its neighbours flip between head, tail, free, reserved and garbage orders.
TEST_F(HostileGuest, StrictDmaWhilePageEntriesChangeGivesAnAnswerItCanGive)
{
	Allocated(0x400);
	struct dma_desc desc = { 0x400800, 0x2000 }; // from the block at 0x400 into 0x402
	ASSERT_EQ(gmm_mem_write(&m_.vm.mem, 0x10000, &desc, sizeof(desc)), 0);
	{
		Mutator m([&](std::mt19937 &rng) {
			uint64_t pfn = 0x3f8 + rng() % 16;
			Store<uint32_t>(&map_[pfn].flags, (uint32_t)rng() & 0x1f);
			Store<uint8_t>(&map_[pfn].order, (uint8_t)rng());
		});
		for (int i = 0; i < ROUNDS; i++) {
			uint32_t e = Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0);
			ASSERT_TRUE(e == DMA_ERR_NONE || e == DMA_ERR_CROSSES || e == DMA_ERR_FREE ||
				    e == DMA_ERR_PAGE_STATE)
				<< "round " << i << ": error " << e;
		}
	}
}

// What --buddyinfo and --watch-buddyinfo print, and the full check, while the guest
// scribbles over its header (max_pfn, where the array is, zone names with escape sequences,
// list heads and counts) and its page-frame array.
TEST_F(HostileGuest, BuddyinfoAndCheckWhileTheStateIsScribbledOver)
{
	const uint64_t header_words = sizeof(struct page_state) / 8;
	{
		Mutator m([&](std::mt19937 &rng) {
			uint64_t v = rng() % 4 ? rng() % (gps_.max_pfn + 2) : ~0ull;
			if (rng() % 8 == 0) // a zone name with an escape sequence
				v = 0xff6d31335b1bull;
			Store<uint64_t>(Field(8 * (1 + rng() % (header_words - 1))), v);
			uint64_t pfn = rng() % gps_.max_pfn;
			Store<uint32_t>(&map_[pfn].next, (uint32_t)rng());
			Store<uint32_t>(&map_[pfn].flags, (uint32_t)rng() & 0x1f);
			Store<uint8_t>(&map_[pfn].order, (uint8_t)rng());
		});
		char buf[4096], err[256];
		for (int i = 0; i < ROUNDS / 10; i++) {
			size_t n = gmm_page_state_buddyinfo(&m_.vm.mem, gps_.state_phys, buf, sizeof(buf));
			ASSERT_TRUE(Printable(buf)) << "round " << i << ": " << buf;
			if (!n) {
				ASSERT_EQ(std::string(buf).find("no valid page state at"), 0u) << buf;
			}
			if (!gmm_page_state_check(&m_.vm.mem, gps_.state_phys, err, sizeof(err))) {
				ASSERT_TRUE(Printable(err)) << err;
			}
		}
	}
}

// The console port: the descriptor's length and address and the message change while it is
// sent; the length checked must be the length written, and nothing outside RAM is read.
TEST_F(HostileGuest, ConsolePortWhileTheDescriptorChanges)
{
	static struct gmm_console console;
	static struct gmm_console_port port;
	FILE *sink = fopen("/dev/null", "w");
	ASSERT_NE(sink, nullptr);
	gmm_console_init(&console, fileno(sink), nullptr);
	gmm_console_port_init(&port, &console, &m_.vm.mem, nullptr);
	const uint64_t desc_gpa = 0x10000;
	const uint64_t region_end = GUEST_LEGACY_HOLE_START;
	struct console_port_desc desc = {};
	desc.addr = region_end - 16;
	desc.len = 16;
	ASSERT_EQ(gmm_mem_write(&m_.vm.mem, desc_gpa, &desc, sizeof(desc)), 0);
	volatile uint8_t *d = static_cast<uint8_t *>(gmm_mem_ptr(&m_.vm.mem, desc_gpa, sizeof(desc)));
	{
		Mutator m([&](std::mt19937 &rng) {
			Store<uint32_t>(d + offsetof(struct console_port_desc, len),
					rng() % 2 ? 16u : CONSOLE_PORT_MAX_LEN);
			Store<uint64_t>(d + offsetof(struct console_port_desc, addr),
					rng() % 2 ? region_end - 16 : region_end - CONSOLE_PORT_MAX_LEN);
		});
		for (int i = 0; i < ROUNDS; i++) {
			uint8_t v[4];
			uint32_t gpa = desc_gpa, status;
			memcpy(v, &gpa, 4);
			gmm_console_port_io(&port, 0, v, 4, true);
			gmm_console_port_io(&port, 0, v, 4, false);
			memcpy(&status, v, 4);
			ASSERT_TRUE(status == CONSOLE_PORT_OK || status == CONSOLE_PORT_ERR_RANGE)
				<< "round " << i << ": status " << status;
		}
	}
	EXPECT_GT(port.messages, 0u);
	gmm_console_flush(&console);
	fclose(sink);
}

// Descriptor tables: each descriptor's address and length change while a copy runs; the copy
// out of the table is what is checked and what moves, so nothing lands outside RAM.
TEST_F(HostileGuest, ScatterGatherWhileTheTablesChange)
{
	m_.dma.strict = false;
	const uint64_t src = 0x10000, dst = 0x11000;
	struct dma_desc s[2] = { { 0x300000, 0x1000 }, { 0x301000, 0x1000 } };
	struct dma_desc t[1] = { { 0x400000, 0x2000 } };
	ASSERT_EQ(gmm_mem_write(&m_.vm.mem, src, s, sizeof(s)), 0);
	ASSERT_EQ(gmm_mem_write(&m_.vm.mem, dst, t, sizeof(t)), 0);
	volatile uint8_t *table = static_cast<uint8_t *>(gmm_mem_ptr(&m_.vm.mem, src, 0x2000));
	{
		Mutator m([&](std::mt19937 &rng) {
			size_t at = (rng() % 3) * sizeof(struct dma_desc); // 0, 1 in src; 0 in dst
			volatile uint8_t *p = table + (at == 2 * sizeof(struct dma_desc) ? 0x1000 : at);
			bool good = rng() % 2;
			Store<uint64_t>(p + offsetof(struct dma_desc, addr),
					good ? 0x300000 : GUEST_LEGACY_HOLE_START - 0x800);
			Store<uint64_t>(p + offsetof(struct dma_desc, len), good ? 0x1000 : 0x2000);
		});
		for (int i = 0; i < ROUNDS / 4; i++) {
			uint32_t e = Sg(DMA_SG_OP_COPY, src, 2, dst, 1);
			ASSERT_TRUE(e == DMA_ERR_NONE || e == DMA_ERR_NOT_RAM || e == DMA_ERR_BAD_TABLE)
				<< "round " << i << ": error " << e;
		}
	}
}

} // namespace
