// SPDX-License-Identifier: MIT
// tests/vmm/dma_device_test.cc - the PCI bus and the DMA device without a VM (a machine of the
// machine API with no vCPUs): guest RAM is a real memfd-backed struct gmm_mem (no KVM),
// interrupts go to recording fakes, and every access
// goes through gmm_io_sequence_apply(), the entry point fuzzers use. Covers each register, each
// error code, BAR sizing, the command register, MSI and strict mode.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

#include "tests/shim/gmm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;

struct Irqs {
	std::vector<std::pair<uint64_t, uint32_t>> msi;
	std::vector<std::pair<unsigned int, bool>> intx;
	int msi_result = 0, intx_result = 0; // what the fakes answer: 0 or a negative errno
};

int FakeMsi(void *ctx, uint64_t addr, uint32_t data)
{
	static_cast<Irqs *>(ctx)->msi.push_back({ addr, data });
	return static_cast<Irqs *>(ctx)->msi_result;
}

int FakeIntx(void *ctx, unsigned int line, bool level)
{
	static_cast<Irqs *>(ctx)->intx.push_back({ line, level });
	return static_cast<Irqs *>(ctx)->intx_result;
}

class DmaDevice : public ::testing::Test {
protected:
	void SetUp() override { Build(28, false); }
	void TearDown() override { Teardown(); }

	void Build(unsigned int bits, bool strict)
	{
		char err[256];

		ASSERT_EQ(gmm_shim_dma_machine(&m_, 32 * MiB, bits, strict, FakeMsi, FakeIntx, &irqs_,
					       err, sizeof(err)),
			  0)
			<< err;
		built_ = true;
	}
	void Teardown()
	{
		if (!built_)
			return;
		gmm_machine_destroy(&m_);
		built_ = false;
	}

	uint64_t Io(uint8_t space, bool write, uint8_t len, uint64_t addr, uint64_t value = 0)
	{
		struct gmm_io_access a = { space, write, len, addr, value };
		EXPECT_EQ(gmm_io_sequence_apply(&m_.bus, &a, 1), 1u);
		return a.value;
	}
	uint32_t Cfg(uint8_t devfn, unsigned int reg)
	{
		Io(GMM_BUS_PIO, true, 4, PCI_CONFIG_ADDRESS, PCI_CONFIG_ADDR(devfn, reg));
		return (uint32_t)Io(GMM_BUS_PIO, false, 4, PCI_CONFIG_DATA);
	}
	void CfgW(uint8_t devfn, unsigned int reg, uint32_t v)
	{
		Io(GMM_BUS_PIO, true, 4, PCI_CONFIG_ADDRESS, PCI_CONFIG_ADDR(devfn, reg));
		Io(GMM_BUS_PIO, true, 4, PCI_CONFIG_DATA, v);
	}
	uint64_t R(unsigned int off, uint8_t len = 4) { return Io(GMM_BUS_MMIO, false, len, Bar() + off); }
	void W(unsigned int off, uint64_t v, uint8_t len = 4) { Io(GMM_BUS_MMIO, true, len, Bar() + off, v); }
	uint64_t Bar() { return GMM_PCI_MMIO_BASE; }
	void Master(bool on)
	{
		uint32_t cmd = Cfg(GMM_DMA_DEV_DEVFN, PCI_COMMAND) & 0xffff;
		CfgW(GMM_DMA_DEV_DEVFN, PCI_COMMAND, on ? cmd | PCI_COMMAND_MASTER : cmd & ~PCI_COMMAND_MASTER);
	}
	uint8_t *Ram(uint64_t gpa, uint64_t len)
	{
		return (uint8_t *)gmm_mem_ptr(&m_.vm.mem, gpa, len);
	}
	uint32_t Sg(uint32_t op, uint64_t src, uint32_t ns, uint64_t dst, uint32_t nd, uint32_t flags = 0)
	{
		W(DMA_REG_SG_SRC_TABLE, src, 8);
		W(DMA_REG_SG_SRC_COUNT, ns);
		W(DMA_REG_SG_DST_TABLE, dst, 8);
		W(DMA_REG_SG_DST_COUNT, nd);
		W(DMA_REG_SG_CMD, op << DMA_SG_OP_SHIFT | flags | DMA_SG_START);
		return (uint32_t)R(DMA_REG_ERROR);
	}
	// A strict device, bus master, over a page state built as gmm does (low area and image reserved).
	void StrictWithPageState(struct gmm_page_state_layout *gps)
	{
		const struct gmm_mem_range reserved[] = { { 0, 0x9f000 }, { 0x100000, 0x200000 } };

		Teardown();
		Build(28, true);
		Master(true);
		ASSERT_EQ(gmm_page_state_setup(&m_.vm.mem, reserved, 2, gps), 0);
		gmm_dma_dev_set_page_state(&m_.dma, gps->state_phys);
	}
	void Table(uint64_t gpa, std::vector<struct dma_desc> d)
	{
		ASSERT_EQ(gmm_mem_write(&m_.vm.mem, gpa, d.data(), d.size() * sizeof(d[0])), 0);
	}

	struct gmm_machine m_; // without a VM: guest RAM, the bus, the PCI host and the DMA device
	Irqs irqs_;
	bool built_ = false;
};

TEST_F(DmaDevice, ConfigSpaceIdsBridgeAndAbsentFunctions)
{
	EXPECT_EQ(Cfg(0, PCI_VENDOR_ID), 0x00081b36u) << "host bridge at 00:00.0";
	EXPECT_EQ(Cfg(0, 8) >> 8, PCI_CLASS_BRIDGE_HOST);
	EXPECT_EQ(Cfg(GMM_DMA_DEV_DEVFN, PCI_VENDOR_ID), 0x11e81234u);
	EXPECT_EQ(Cfg(GMM_DMA_DEV_DEVFN, 8) & 0xff, DMA_PCI_REVISION);
	EXPECT_EQ(Cfg(PCI_DEVFN(5, 0), PCI_VENDOR_ID), 0xffffffffu) << "nobody at 00:05.0";
	CfgW(GMM_DMA_DEV_DEVFN, PCI_VENDOR_ID, 0);
	EXPECT_EQ(Cfg(GMM_DMA_DEV_DEVFN, PCI_VENDOR_ID), 0x11e81234u) << "IDs are read-only";
	// disabled address register: data port reads all-ones
	Io(GMM_BUS_PIO, true, 4, PCI_CONFIG_ADDRESS, 0x00000800);
	EXPECT_EQ(Io(GMM_BUS_PIO, false, 4, PCI_CONFIG_DATA), 0xffffffffu);
	// a byte read at 0xcfe is register + 2
	Io(GMM_BUS_PIO, true, 4, PCI_CONFIG_ADDRESS, PCI_CONFIG_ADDR(GMM_DMA_DEV_DEVFN, 0));
	EXPECT_EQ(Io(GMM_BUS_PIO, false, 2, PCI_CONFIG_DATA + 2), 0x11e8u);
}

TEST_F(DmaDevice, BarSizingAndMoving)
{
	EXPECT_EQ(Cfg(GMM_DMA_DEV_DEVFN, PCI_BASE_ADDRESS_0), (uint32_t)GMM_PCI_MMIO_BASE);
	CfgW(GMM_DMA_DEV_DEVFN, PCI_BASE_ADDRESS_0, 0xffffffff);
	EXPECT_EQ(Cfg(GMM_DMA_DEV_DEVFN, PCI_BASE_ADDRESS_0), ~(DMA_BAR0_SIZE - 1)) << "1 MiB";
	CfgW(GMM_DMA_DEV_DEVFN, PCI_BASE_ADDRESS_0, 0xd0000000u);
	EXPECT_EQ(Io(GMM_BUS_MMIO, false, 4, 0xd0000000u), DMA_EDU_ID);
	EXPECT_EQ(Io(GMM_BUS_MMIO, false, 4, GMM_PCI_MMIO_BASE), 0xffffffffu) << "old place is empty";
	uint32_t cmd = Cfg(GMM_DMA_DEV_DEVFN, PCI_COMMAND) & 0xffff;
	CfgW(GMM_DMA_DEV_DEVFN, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	EXPECT_EQ(Io(GMM_BUS_MMIO, false, 4, 0xd0000000u), 0xffffffffu) << "memory space off";
}

TEST_F(DmaDevice, EduRegisters)
{
	EXPECT_EQ(R(DMA_REG_ID), DMA_EDU_ID);
	W(DMA_REG_LIVENESS, 0x1234);
	EXPECT_EQ(R(DMA_REG_LIVENESS), ~0x1234u);
	W(DMA_REG_FACTORIAL, 5);
	EXPECT_EQ(R(DMA_REG_FACTORIAL), 120u);
	W(DMA_REG_FACTORIAL, 0xffffffffu);
	EXPECT_EQ(R(DMA_REG_FACTORIAL), 0u) << "n >= 34: 0 modulo 2^32, computed at once";
	EXPECT_EQ(R(DMA_REG_STATUS) & DMA_STATUS_COMPUTING, 0u);
	EXPECT_EQ(R(DMA_REG_ID, 2), 0xffffu) << "2-byte access below 0x80 reads all-ones";
	EXPECT_EQ(R(DMA_REG_SRC + 4), 0xffffffffu) << "nothing at 0x84";
	W(DMA_REG_SRC, 0x1122334455667788ull, 8);
	EXPECT_EQ(R(DMA_REG_SRC, 8), 0x1122334455667788ull);
	EXPECT_EQ(R(DMA_REG_SRC, 4), 0x55667788ull);
	EXPECT_EQ(R(DMA_REG_EXT_ID), DMA_EXT_MAGIC);
	EXPECT_EQ(R(DMA_REG_EXT_CAPS), DMA_CAP_SG | DMA_CAP_CRC);
	EXPECT_EQ(R(DMA_REG_MASK_BITS), 28u);
	EXPECT_EQ(R(0x1000), 0xffffffffu);
}

TEST_F(DmaDevice, InterruptsIntxThenMsi)
{
	W(DMA_REG_IRQ_RAISE, 0x10);
	EXPECT_EQ(R(DMA_REG_IRQ_STATUS), 0x10u);
	ASSERT_EQ(irqs_.intx.size(), 1u);
	EXPECT_TRUE(irqs_.intx[0].second);
	W(DMA_REG_IRQ_ACK, 0x10);
	EXPECT_EQ(irqs_.intx.back().second, false) << "line lowered when the status is clear";
	// MSI: address, data, enable
	CfgW(GMM_DMA_DEV_DEVFN, GMM_PCI_MSI_CAP_OFFSET + PCI_MSI_ADDRESS_LO, 0xfee01000u);
	CfgW(GMM_DMA_DEV_DEVFN, GMM_PCI_MSI_CAP_OFFSET + PCI_MSI_ADDRESS_HI, 0);
	CfgW(GMM_DMA_DEV_DEVFN, GMM_PCI_MSI_CAP_OFFSET + PCI_MSI_DATA_64, 0x51);
	uint32_t hdr = Cfg(GMM_DMA_DEV_DEVFN, GMM_PCI_MSI_CAP_OFFSET);
	EXPECT_EQ(hdr & 0xff, (uint32_t)PCI_CAP_ID_MSI);
	CfgW(GMM_DMA_DEV_DEVFN, GMM_PCI_MSI_CAP_OFFSET, hdr | PCI_MSI_FLAGS_ENABLE << 16);
	W(DMA_REG_STATUS, DMA_STATUS_IRQFACT);
	W(DMA_REG_FACTORIAL, 3);
	ASSERT_EQ(irqs_.msi.size(), 1u);
	EXPECT_EQ(irqs_.msi[0].first, 0xfee01000u);
	EXPECT_EQ(irqs_.msi[0].second, 0x51u);
	EXPECT_EQ(R(DMA_REG_IRQ_STATUS), DMA_IRQ_FACT);
}

// An interrupt that reaches no vCPU is counted by cause and reported once per cause (issue
// 21: an MSI with NMI delivery mode used to vanish without a word); one the guest masked
// itself (MSI off, INTx disabled) is only counted.
TEST_F(DmaDevice, UndeliverableInterruptsAreCountedAndReportedOncePerCause)
{
	char *text = nullptr;
	size_t len = 0;
	FILE *log = open_memstream(&text, &len);
	m_.pci.log = log;
	irqs_.intx_result = -EIO;
	W(DMA_REG_IRQ_RAISE, 0x10);
	W(DMA_REG_IRQ_ACK, 0x10);
	W(DMA_REG_IRQ_RAISE, 0x10);
	W(DMA_REG_IRQ_ACK, 0x10);
	EXPECT_EQ(m_.pci.irq_undeliverable[GMM_PCI_IRQ_INTX_FAILED], 4u) << "raise and lower, twice";
	irqs_.intx_result = 0;
	uint32_t cmd = Cfg(GMM_DMA_DEV_DEVFN, PCI_COMMAND) & 0xffff;
	CfgW(GMM_DMA_DEV_DEVFN, PCI_COMMAND, cmd | PCI_COMMAND_INTX_DISABLE);
	W(DMA_REG_IRQ_RAISE, 0x10);
	W(DMA_REG_IRQ_ACK, 0x10);
	EXPECT_EQ(m_.pci.irq_masked, 1u);
	// MSI with NMI delivery mode: no vCPU takes it (KVM_SIGNAL_MSI returns 0: -ENXIO)
	CfgW(GMM_DMA_DEV_DEVFN, GMM_PCI_MSI_CAP_OFFSET + PCI_MSI_ADDRESS_LO, 0xfee00000u);
	CfgW(GMM_DMA_DEV_DEVFN, GMM_PCI_MSI_CAP_OFFSET + PCI_MSI_DATA_64, 0x400);
	uint32_t hdr = Cfg(GMM_DMA_DEV_DEVFN, GMM_PCI_MSI_CAP_OFFSET);
	CfgW(GMM_DMA_DEV_DEVFN, GMM_PCI_MSI_CAP_OFFSET, hdr | PCI_MSI_FLAGS_ENABLE << 16);
	irqs_.msi_result = -ENXIO;
	for (int i = 0; i < 3; i++) {
		W(DMA_REG_IRQ_RAISE, 0x10);
		W(DMA_REG_IRQ_ACK, 0x10);
	}
	irqs_.msi_result = -EINVAL;
	W(DMA_REG_IRQ_RAISE, 0x10);
	EXPECT_EQ(m_.pci.irq_undeliverable[GMM_PCI_IRQ_MSI_UNDELIVERED], 3u);
	EXPECT_EQ(m_.pci.irq_undeliverable[GMM_PCI_IRQ_MSI_FAILED], 1u);
	EXPECT_EQ(m_.pci.msi_sent, 0u);
	EXPECT_EQ(m_.dma.stats.irqs, 0u) << "only delivered interrupts count as raised";
	fclose(log);
	std::string s(text, len);
	free(text);
	EXPECT_NE(s.find("gmm: pci 01.0: interrupt not delivered: setting the INTx line failed"),
		  std::string::npos)
		<< s;
	EXPECT_NE(s.find("the MSI message reached no vCPU (no error; MSI address 0xfee00000 data "
			 "0x400)"),
		  std::string::npos)
		<< s;
	EXPECT_NE(s.find("sending the MSI failed (Invalid argument"), std::string::npos) << s;
	EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 3) << "once per cause: " << s;
}

TEST_F(DmaDevice, EduDmaBothWaysAndErrors)
{
	Master(true);
	uint8_t *a = Ram(0x200000, 4096);
	for (int i = 0; i < 4096; i++)
		a[i] = (uint8_t)(i * 7);
	W(DMA_REG_SRC, 0x200000, 8);
	W(DMA_REG_DST, DMA_EDU_BUF_ADDR, 8);
	W(DMA_REG_COUNT, 4096, 8);
	W(DMA_REG_CMD, DMA_CMD_START | DMA_CMD_IRQ, 8);
	EXPECT_EQ(R(DMA_REG_CMD) & DMA_CMD_START, 0u) << "done inside the write";
	EXPECT_EQ(R(DMA_REG_ERROR), 0u);
	EXPECT_EQ(R(DMA_REG_IRQ_STATUS), DMA_IRQ_DMA);
	W(DMA_REG_SRC, DMA_EDU_BUF_ADDR, 8);
	W(DMA_REG_DST, 0x300000, 8);
	W(DMA_REG_CMD, DMA_CMD_START | DMA_CMD_TO_RAM, 8);
	EXPECT_EQ(memcmp(Ram(0x300000, 4096), a, 4096), 0);

	auto refused = [&](uint64_t ram, uint64_t dev, uint64_t n, uint32_t err) {
		memset(Ram(0x400000, 16), 0xee, 16);
		W(DMA_REG_SRC, dev, 8);
		W(DMA_REG_DST, ram, 8);
		W(DMA_REG_COUNT, n, 8);
		W(DMA_REG_CMD, DMA_CMD_START | DMA_CMD_TO_RAM, 8);
		EXPECT_EQ(R(DMA_REG_ERROR), err) << std::hex << ram << " " << dev << " " << n;
		EXPECT_EQ(R(DMA_REG_DONE, 8), 0u);
	};
	refused(0x400000, DMA_EDU_BUF_ADDR + 1, 4096, DMA_ERR_BUF_RANGE); // runs off the buffer
	refused(0x400000, DMA_EDU_BUF_ADDR - 1, 16, DMA_ERR_BUF_RANGE);
	refused(0x400000, UINT64_MAX, 16, DMA_ERR_BUF_RANGE);
	refused(1ull << 28, DMA_EDU_BUF_ADDR, 16, DMA_ERR_MASK); // edu would truncate to 0
	refused((1ull << 28) - 8, DMA_EDU_BUF_ADDR, 16, DMA_ERR_MASK); // last byte beyond
	refused(m_.vm.mem.end - 8, DMA_EDU_BUF_ADDR, 16, DMA_ERR_NOT_RAM);
	refused(0xa0000, DMA_EDU_BUF_ADDR, 16, DMA_ERR_NOT_RAM); // legacy hole
	EXPECT_EQ(Ram(0x400000, 1)[0], 0xee) << "nothing moved";
	Master(false);
	refused(0x400000, DMA_EDU_BUF_ADDR, 16, DMA_ERR_BUS_MASTER);
	W(DMA_REG_ERROR, 0);
	EXPECT_EQ(R(DMA_REG_ERROR), 0u) << "write clears";
	EXPECT_EQ(m_.dma.stats.errors, 8u);
}

TEST_F(DmaDevice, ScatterGatherOperationsAndCrc)
{
	Master(true);
	struct crc32_table tab;
	crc32_table_init(&tab);
	EXPECT_EQ(crc32_update(&tab, 0, "123456789", 9), 0xcbf43926u);
	uint8_t *src = Ram(0x100000, 3 * 4096);
	for (int i = 0; i < 3 * 4096; i++)
		src[i] = (uint8_t)(i ^ (i >> 8));
	// source: three pieces out of order; destination: two pieces
	Table(0x10000, { { 0x102000, 4096 }, { 0x100000, 100 }, { 0x100064, 8092 } });
	Table(0x11000, { { 0x500000, 6000 }, { 0x600000, 6288 } });
	EXPECT_EQ(Sg(DMA_SG_OP_COPY, 0x10000, 3, 0x11000, 2, DMA_SG_CRC), 0u);
	std::vector<uint8_t> expect(src + 0x2000, src + 0x3000);
	expect.insert(expect.end(), src, src + 0x2000);
	EXPECT_EQ(memcmp(Ram(0x500000, 6000), expect.data(), 6000), 0);
	EXPECT_EQ(memcmp(Ram(0x600000, 6288), expect.data() + 6000, 6288), 0);
	EXPECT_EQ(R(DMA_REG_CRC), crc32_update(&tab, 0, expect.data(), expect.size()));
	EXPECT_EQ(R(DMA_REG_DONE, 8), 3u * 4096);

	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 3, 0, 0), 0u);
	EXPECT_EQ(R(DMA_REG_CRC), crc32_update(&tab, 0, expect.data(), expect.size()));

	W(DMA_REG_DEV_OFFSET, 4096, 8);
	EXPECT_EQ(Sg(DMA_SG_OP_TO_DEVICE, 0x10000, 3, 0, 0), 0u);
	Table(0x12000, { { 0x700000, 3 * 4096 } });
	EXPECT_EQ(Sg(DMA_SG_OP_FROM_DEVICE, 0, 0, 0x12000, 1), 0u);
	EXPECT_EQ(memcmp(Ram(0x700000, 3 * 4096), expect.data(), 3 * 4096), 0);

	W(DMA_REG_PATTERN, 77);
	EXPECT_EQ(Sg(DMA_SG_OP_FILL, 0, 0, 0x12000, 1), 0u);
	for (uint64_t i = 0; i < 3 * 4096; i += 997)
		EXPECT_EQ(Ram(0x700000, 3 * 4096)[i], dma_fill_byte(77, i));
	EXPECT_EQ(Sg(DMA_SG_OP_ZERO, 0, 0, 0x12000, 1), 0u);
	EXPECT_EQ(Ram(0x700000, 3 * 4096)[5000], 0);
}

TEST_F(DmaDevice, ScatterGatherErrors)
{
	Master(true);
	Table(0x10000, { { 0x100000, 4096 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 0, 0, 0), (uint32_t)DMA_ERR_BAD_TABLE) << "count 0";
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, DMA_SG_MAX_DESC + 1, 0, 0), (uint32_t)DMA_ERR_BAD_TABLE);
	EXPECT_EQ(Sg(DMA_SG_OP_READ, m_.vm.mem.end - 8, 1, 0, 0), (uint32_t)DMA_ERR_BAD_TABLE)
		<< "table not in RAM";
	Table(0x10000, { { 0x100000, 0 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_BAD_TABLE) << "len 0";
	Table(0x10000, { { 0x100000, DMA_SG_MAX_BYTES }, { 0x100000, 1 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 2, 0, 0), (uint32_t)DMA_ERR_BAD_TABLE) << "total";
	Table(0x10000, { { UINT64_MAX - 10, 100 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_MASK) << "wraps";
	Table(0x10000, { { 0x9f000, 0x2000 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_NOT_RAM) << "into the hole";
	Table(0x10000, { { 0x100000, 4096 } });
	Table(0x11000, { { 0x200000, 4095 } });
	EXPECT_EQ(Sg(DMA_SG_OP_COPY, 0x10000, 1, 0x11000, 1), (uint32_t)DMA_ERR_BAD_TABLE) << "totals";
	W(DMA_REG_DEV_OFFSET, DMA_DEV_BUF_SIZE - 100, 8);
	EXPECT_EQ(Sg(DMA_SG_OP_TO_DEVICE, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_BUF_RANGE);
	EXPECT_EQ(Sg(9, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_BAD_CMD);
	Master(false);
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_BUS_MASTER);
	EXPECT_EQ(R(DMA_REG_SG_CMD) & DMA_SG_START, 0u);
}

// Strict mode against a real page state in the fake RAM, with blocks marked by hand.
TEST_F(DmaDevice, StrictModeRefusesCrossingAndFreeAndLogsBothBlocks)
{
	struct gmm_page_state_layout gps;
	ASSERT_NO_FATAL_FAILURE(StrictWithPageState(&gps));
	struct page *map = (struct page *)gmm_mem_ptr(&m_.vm.mem, gps.map_phys,
						       gps.max_pfn * sizeof(struct page));
	ASSERT_NE(map, nullptr);
	// pretend the guest allocated two order-1 blocks at pfn 0x400 and 0x402
	for (uint64_t pfn = 0x400; pfn < 0x404; pfn++)
		map[pfn].flags = 0;
	map[0x400].flags = PG_head, map[0x400].order = 1;
	map[0x402].flags = PG_head, map[0x402].order = 1;
	map[0x404].flags = PG_buddy, map[0x404].order = 2;
	char *text = nullptr;
	size_t len = 0;
	FILE *log = open_memstream(&text, &len);
	m_.dma.log = log;
	EXPECT_EQ(R(DMA_REG_EXT_CAPS) & DMA_CAP_STRICT, DMA_CAP_STRICT);
	Table(0x10000, { { 0x400000, 0x2000 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), 0u) << "inside one block";
	Table(0x10000, { { 0x401800, 0x1000 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_CROSSES);
	Table(0x10000, { { 0x403000, 0x2000 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_CROSSES) << "into free";
	Table(0x10000, { { 0x404000, 0x100 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_FREE);
	Table(0x10000, { { 0x400000, 0x2000 }, { 0x402000, 0x2000 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 2, 0, 0), 0u) << "as a list it is fine";
	fclose(log);
	std::string s(text, len);
	free(text);
	EXPECT_NE(s.find("runs from allocated block pfn 0x400 order 1 [0x400000, 0x402000) into "
			 "allocated block pfn 0x402 order 1 [0x402000, 0x404000)"),
		  std::string::npos)
		<< s;
	EXPECT_NE(s.find("into free block pfn 0x404 order 2"), std::string::npos) << s;
	EXPECT_EQ(m_.dma.stats.strict_refusals, 3u);
}

// Regression (found with fuzz/devices_fuzz.c): the page state is the guest's, so is its
// max_pfn. A range starting in a reserved page and running past max_pfn made strict mode walk
// the page-frame array beyond the max_pfn entries it had checked against RAM: with the array
// placed so that it ends where RAM ends (here at the legacy hole), the host read unmapped
// memory and died of SIGSEGV. Now a header whose max_pfn or array differ from what gmm placed
// is not valid at all, and strict mode refuses everything while it stays so (fail closed).
TEST_F(DmaDevice, StrictModeStaysInsideAHostilePageFrameArray)
{
	struct gmm_page_state_layout gps;
	ASSERT_NO_FATAL_FAILURE(StrictWithPageState(&gps));
	// one entry, the last 32 bytes below the legacy hole, saying pfn 0 is reserved
	struct page *ps_page = (struct page *)Ram(GUEST_LEGACY_HOLE_START - sizeof(struct page),
						 sizeof(struct page));
	ASSERT_NE(ps_page, nullptr);
	memset(ps_page, 0, sizeof(*ps_page));
	ps_page->flags = PG_reserved;
	struct page_state *ps = (struct page_state *)Ram(gps.state_phys, sizeof(struct page_state));
	ps->max_pfn = 1;
	ps->mem_map_phys = GUEST_LEGACY_HOLE_START - sizeof(struct page);

	Table(0x10000, { { 0, 0x2000 } }); // pfn 0 (reserved) and pfn 1 (past max_pfn)
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_PAGE_STATE);
	Table(0x10000, { { 0, 0x1000 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_PAGE_STATE)
		<< "fail closed";
	EXPECT_EQ(R(DMA_REG_CMD), 0u);
	W(DMA_REG_SRC, 0x1000, 8); // an edu transfer is refused the same way
	W(DMA_REG_DST, DMA_EDU_BUF_ADDR, 8);
	W(DMA_REG_COUNT, 0x100, 8);
	W(DMA_REG_CMD, DMA_CMD_START);
	EXPECT_EQ(R(DMA_REG_ERROR), (uint32_t)DMA_ERR_PAGE_STATE);

	// the state gmm placed comes back: so does DMA
	ps->max_pfn = gps.max_pfn;
	ps->mem_map_phys = gps.map_phys;
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), 0u) << "inside the reserved page: fine";
}

// A strict device that was never told where the page state is refuses (fail closed).
TEST_F(DmaDevice, StrictModeWithoutAPageStateRefuses)
{
	Teardown();
	Build(28, true);
	Master(true);
	Table(0x10000, { { 0x400000, 0x1000 } });
	EXPECT_EQ(Sg(DMA_SG_OP_READ, 0x10000, 1, 0, 0), (uint32_t)DMA_ERR_PAGE_STATE);
}

// The fuzzing entry point: random byte strings decode to accesses that never crash (ASan)
// and never let DMA reach outside guest RAM (the memfd is the only memory the device writes).
TEST_F(DmaDevice, RandomSequencesAreHarmless)
{
	const unsigned int seed = 20240607;
	std::mt19937 rng(seed);
	std::vector<struct gmm_io_access> seq(512);
	printf("seed %u\n", seed);
	for (int round = 0; round < 200; round++) {
		std::vector<uint8_t> bytes(GMM_IO_SEQUENCE_RECORD * 64);
		for (auto &b : bytes)
			b = (uint8_t)rng();
		// bias towards the interesting registers and the config ports
		for (size_t i = 0; i < bytes.size(); i += GMM_IO_SEQUENCE_RECORD)
			if (rng() % 2)
				bytes[i + 2] = bytes[i + 3] = 0, bytes[i + 1] &= 0xf8;
		size_t n = gmm_io_sequence_decode(bytes.data(), bytes.size(), PCI_CONFIG_ADDRESS,
					      GMM_PCI_MMIO_BASE, 2 * MiB, seq.data(), seq.size());
		ASSERT_EQ(n, 64u);
		EXPECT_EQ(gmm_io_sequence_apply(&m_.bus, seq.data(), n), n);
	}
}

} // namespace
