// SPDX-License-Identifier: MIT
// fuzz/fuzz_test.cc - runs each libFuzzer target (built with clang by //fuzz:fuzzers) for a
// bounded time as part of `bazel test //...`.
//
// Per target and mode: a fresh corpus directory under TEST_TMPDIR holding the seeds (the e2e
// guest ELFs for the loader; inputs written here for the devices, fuzz/devices_fuzz.h), the
// fuzzer run as a subprocess for a bounded time, then: exit status 0, no
// crash-*/leak-*/timeout-*/oom-* file, and final coverage (libFuzzer's "DONE cov: N ft: M"
// line) at or above a floor, so a target that stopped reaching the code fails too. On failure
// the output's last 50 lines and each crash input in hex are printed: the reproducer is in the
// CI log (docs/fuzzing.md).
//
// Each target runs twice: kFuzzSeconds as usual, then kMutatorSeconds in mutator mode
// (GMM_FUZZ_MUTATOR=1 in the fuzzer's environment, fuzz/fuzz_mutator.h), where a second thread
// rewrites guest RAM or the image while the code under test reads it; its seeds are the usual
// ones, each followed by a script of stores aimed at what that reader reads.
#include <gtest/gtest.h>

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <abi/console_port.h>
#include <abi/dma_regs.h>
#include <abi/guest_layout.h>
#include <abi/page_state.h>
#include <abi/pci_regs.h>
#include <gmm/dma.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/devices_fuzz.h"
#include "fuzz/fuzz_mutator.h"

namespace
{

constexpr int kFuzzSeconds = 20, kMutatorSeconds = 15;

// Coverage floors: about half of what a run of that length reaches on the 2-core CI machines
// (docs/fuzzing.md has the measured figures), so a slow or busy machine still passes and a
// target that no longer reaches the code under test does not.
constexpr unsigned long kLoaderCovFloor = 50, kLoaderFtFloor = 95;
constexpr unsigned long kDevicesCovFloor = 200, kDevicesFtFloor = 550;
constexpr unsigned long kLoaderMutatorCovFloor = 80, kLoaderMutatorFtFloor = 240;
constexpr unsigned long kDevicesMutatorCovFloor = 240, kDevicesMutatorFtFloor = 700;

std::string TmpDir(const std::string &name)
{
	const char *base = getenv("TEST_TMPDIR");
	std::string dir = std::string(base ? base : "/tmp") + "/" + name + ".XXXXXX";
	std::vector<char> buf(dir.begin(), dir.end());

	buf.push_back('\0');
	if (!mkdtemp(buf.data()))
		return "";
	return buf.data();
}

void WriteFile(const std::string &path, const std::vector<uint8_t> &bytes)
{
	std::ofstream f(path, std::ios::binary);
	f.write(reinterpret_cast<const char *>(bytes.data()), (std::streamsize)bytes.size());
}

std::vector<uint8_t> ReadFile(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

std::vector<std::string> ListDir(const std::string &dir)
{
	std::vector<std::string> names;
	DIR *d = opendir(dir.c_str());

	if (!d)
		return names;
	while (struct dirent *e = readdir(d))
		if (e->d_name[0] != '.')
			names.push_back(e->d_name);
	closedir(d);
	return names;
}

std::string LastLines(const std::string &text, size_t n)
{
	size_t at = text.size();

	if (at && text[at - 1] == '\n')
		at--;
	while (n-- && at != std::string::npos && at > 0)
		at = text.rfind('\n', at - 1);
	return at == std::string::npos || at == 0 ? text : text.substr(at + 1);
}

std::string Hex(const std::vector<uint8_t> &bytes)
{
	std::string out;
	char buf[8];

	for (size_t i = 0; i < bytes.size(); i++) {
		snprintf(buf, sizeof(buf), "%02x%s", bytes[i], i % 32 == 31 ? "\n" : " ");
		out += buf;
	}
	return out;
}

// log2 of an access or store width of 1, 2, 4 or 8 bytes
unsigned int Log2Width(unsigned int width)
{
	return width == 8 ? 3 : width == 4 ? 2 : width == 2 ? 1 : 0;
}

// the low @n bytes of @v, little-endian, appended to @out
void PutLittleEndian(std::vector<uint8_t> &out, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		out.push_back((uint8_t)(v >> (8 * i)));
}

struct FuzzRun {
	int status = -1;     // waitpid() status
	std::string output;  // stdout and stderr
	std::string crashes; // each artifact's name and bytes in hex
	unsigned long cov = 0, ft = 0, runs = 0;
	int seconds = 0;
};

// Runs @binary for @seconds on a fresh corpus holding @seeds, in mutator mode if @mutator;
// artifacts land in a directory of their own.
FuzzRun RunFuzzer(const std::string &binary, const std::vector<std::vector<uint8_t>> &seeds,
		  int seconds = kFuzzSeconds, bool mutator = false)
{
	FuzzRun r;
	std::string corpus = TmpDir("corpus"), artifacts = TmpDir("artifacts");
	std::string log = artifacts + "/../" + binary.substr(binary.rfind('/') + 1) +
			  (mutator ? "-mutator" : "") + ".log";

	for (size_t i = 0; i < seeds.size(); i++)
		WriteFile(corpus + "/seed" + std::to_string(i), seeds[i]);
	std::vector<std::string> args = {
		binary,
		"-max_total_time=" + std::to_string(seconds),
		"-rss_limit_mb=2048",
		"-timeout=10",
		"-print_final_stats=1",
		"-artifact_prefix=" + artifacts + "/",
		corpus,
	};
	pid_t pid = fork();
	if (pid == 0) {
		std::vector<char *> argv;
		int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		if (mutator)
			setenv("GMM_FUZZ_MUTATOR", "1", 1);
		else
			unsetenv("GMM_FUZZ_MUTATOR");
		for (auto &a : args)
			argv.push_back(&a[0]);
		argv.push_back(nullptr);
		execv(argv[0], argv.data());
		_exit(127);
	}
	waitpid(pid, &r.status, 0);
	r.seconds = seconds;
	std::vector<uint8_t> out = ReadFile(log);
	r.output.assign(out.begin(), out.end());
	for (const auto &name : ListDir(artifacts))
		r.crashes += name + ":\n" + Hex(ReadFile(artifacts + "/" + name)) + "\n";

	// "#123456	DONE   cov: 234 ft: 561 corp: ..." once the time is up
	size_t done = r.output.rfind("DONE ");
	if (done != std::string::npos) {
		size_t line = r.output.rfind('\n', done) + 1;
		sscanf(r.output.c_str() + line, "#%lu", &r.runs);
		sscanf(r.output.c_str() + done, "DONE cov: %lu ft: %lu", &r.cov, &r.ft);
	}
	return r;
}

void ExpectClean(const FuzzRun &r, unsigned long cov_floor, unsigned long ft_floor)
{
	std::string why = "last 50 lines of the fuzzer's output:\n" + LastLines(r.output, 50) +
			  "\ncrash inputs (hex):\n" + (r.crashes.empty() ? "none\n" : r.crashes);

	EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
		<< "status " << r.status << "\n"
		<< why;
	EXPECT_EQ(r.crashes, "") << why;
	EXPECT_GE(r.cov, cov_floor) << "the fuzzer no longer reaches the code\n" << why;
	EXPECT_GE(r.ft, ft_floor) << why;
	printf("%lu runs in %d s, cov %lu (floor %lu), ft %lu (floor %lu)\n", r.runs, r.seconds,
	       r.cov, cov_floor, r.ft, ft_floor);
}

// A mutator script (fuzz/fuzz_mutator.h): ops, then their count, appended to an input.
class Script {
    public:
	// @width bytes of @value (inverted if @invert) at @offset of the target's @region
	Script &Store(unsigned int region, unsigned int width, uint32_t offset, uint32_t value,
		      bool invert = false)
	{
		bytes_.push_back((uint8_t)(Log2Width(width) | (invert ? 4 : 0) | region << 3));
		PutLittleEndian(bytes_, offset, 3);
		PutLittleEndian(bytes_, value, 4);
		return *this;
	}
	std::vector<uint8_t> After(std::vector<uint8_t> input) const
	{
		input.insert(input.end(), bytes_.begin(), bytes_.end());
		input.push_back((uint8_t)(bytes_.size() / FUZZ_MUTATOR_OP));
		return input;
	}

    private:
	std::vector<uint8_t> bytes_;
};

std::vector<std::vector<uint8_t>> LoaderSeeds()
{
	std::vector<std::vector<uint8_t>> seeds;

	for (const char *guest : { "hello", "hello_page_state", "kernel_map", "smp" })
		seeds.push_back(ReadFile(std::string("tests/e2e/guests/") + guest + ".elf"));
	return seeds;
}

TEST(Fuzz, LoaderSurvivesHostileImages)
{
	std::vector<std::vector<uint8_t>> seeds = LoaderSeeds();

	for (const auto &seed : seeds)
		ASSERT_FALSE(seed.empty());
	ExpectClean(RunFuzzer("fuzz/loader_fuzz", seeds), kLoaderCovFloor, kLoaderFtFloor);
}

// Mutator mode: the image's header, program headers and notes change while they are read.
TEST(Fuzz, LoaderSurvivesAnImageChangingWhileItIsRead)
{
	enum { EHDR, PHDRS, NOTES, ANY }; // the regions of fuzz/loader_fuzz.c
	const Script scripts[] = {
		Script().Store(EHDR, 8, 0x20, 0, true) // e_phoff = ~0
			.Store(EHDR, 8, 0x20, 0x40)
			.Store(EHDR, 2, 0x38, 0xffff) // e_phnum
			.Store(EHDR, 2, 0x38, 1),
		Script().Store(PHDRS, 8, 0x08, 0xfffff000) // p_offset of the first
			.Store(PHDRS, 8, 0x20, 0, true)	   // its p_filesz = ~0
			.Store(PHDRS, 4, 0x38, PT_NOTE)	   // the second's type
			.Store(PHDRS, 8, 0x18, 0x100000),  // the first's p_paddr
		Script().Store(NOTES, 4, 0, 0xfffffff0)	   // n_namesz
			.Store(NOTES, 4, 4, 0, true)	   // n_descsz = ~0
			.Store(NOTES, 4, 0, 4)
			.Store(ANY, 8, 0x1000, 0x12345678),
	};
	std::vector<std::vector<uint8_t>> seeds;

	for (const auto &seed : LoaderSeeds()) {
		ASSERT_FALSE(seed.empty());
		for (const auto &script : scripts)
			seeds.push_back(script.After(seed));
	}
	ExpectClean(RunFuzzer("fuzz/loader_fuzz", seeds, kMutatorSeconds, true),
		    kLoaderMutatorCovFloor, kLoaderMutatorFtFloor);
}

// One input of fuzz/devices_fuzz.c: configuration, RAM chunk, then accesses.
class DevicesInput {
    public:
	DevicesInput(uint8_t config, const std::vector<uint8_t> &chunk)
	{
		// byte by byte: gcc 12 sees a false -Warray-bounds in assigning an initializer list
		bytes_.push_back(config);
		bytes_.push_back((uint8_t)chunk.size());
		bytes_.push_back((uint8_t)(chunk.size() >> 8));
		bytes_.insert(bytes_.end(), chunk.begin(), chunk.end());
	}
	DevicesInput &Port(devices_fuzz_pio base, bool write, unsigned int len, unsigned int off,
			   uint64_t value = 0)
	{
		return Access(DEVICES_FUZZ_SELECTOR(base, 0), 0, write, len, off, value);
	}
	DevicesInput &Mmio(unsigned int off, bool write, unsigned int len, uint64_t value = 0)
	{
		return Access(DEVICES_FUZZ_SELECTOR(0, DEVICES_FUZZ_MMIO_BAR), 1, write, len, off,
			      value);
	}
	DevicesInput &Config(unsigned int reg, uint32_t value)
	{
		Port(DEVICES_FUZZ_PIO_PCI_CFG, true, 4, 0, PCI_CONFIG_ADDR(GMM_DMA_DEV_DEVFN, reg));
		return Port(DEVICES_FUZZ_PIO_PCI_CFG, true, 4, 4, value);
	}
	std::vector<uint8_t> bytes() const
	{
		return bytes_;
	}

    private:
	DevicesInput &Access(unsigned int sel, int mmio, bool write, unsigned int len,
			     unsigned int off, uint64_t value)
	{
		bytes_.push_back((uint8_t)sel);
		bytes_.push_back((uint8_t)(mmio | (write ? 2 : 0) | Log2Width(len) << 2));
		PutLittleEndian(bytes_, off, 3);
		PutLittleEndian(bytes_, value, 8);
		return *this;
	}
	std::vector<uint8_t> bytes_;
};

// A chunk holding struct dma_desc entries (or any 16-byte records) from its start.
std::vector<uint8_t> Descriptors(const std::vector<struct dma_desc> &d)
{
	std::vector<uint8_t> c(d.size() * sizeof(d[0]));
	memcpy(c.data(), d.data(), c.size());
	return c;
}

// A scatter-gather command on tables at the chunk's low copy: source at +0, destination at +16.
DevicesInput Sg(uint8_t config, unsigned int op)
{
	const uint64_t low = DEVICES_FUZZ_CHUNK_LOW;
	DevicesInput in(config, Descriptors({ { low + 0x100, 0x300 }, { 0x200000, 0x300 } }));

	in.Config(PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)
		.Mmio(DMA_REG_SG_SRC_TABLE, true, 8, low)
		.Mmio(DMA_REG_SG_SRC_COUNT, true, 4, 1)
		.Mmio(DMA_REG_SG_DST_TABLE, true, 8, low + 16)
		.Mmio(DMA_REG_SG_DST_COUNT, true, 4, 1)
		.Mmio(DMA_REG_DEV_OFFSET, true, 8, 0x1000)
		.Mmio(DMA_REG_SG_CMD, true, 4,
		      op << DMA_SG_OP_SHIFT | DMA_SG_START | DMA_SG_IRQ | DMA_SG_CRC)
		.Mmio(DMA_REG_ERROR, false, 4)
		.Mmio(DMA_REG_CRC, false, 4);
	return in;
}

std::vector<std::vector<uint8_t>> DevicesSeeds()
{
	std::vector<std::vector<uint8_t>> seeds;
	struct console_port_desc msg = { DEVICES_FUZZ_CHUNK_LOW + sizeof(msg), 6, 0 };
	std::vector<uint8_t> chunk(sizeof(msg));

	memcpy(chunk.data(), &msg, sizeof(msg));
	chunk.insert(chunk.end(), { 'h', 'e', 'l', 'l', 'o', '\n' });
	seeds.push_back(
		DevicesInput(0, chunk)
			.Port(DEVICES_FUZZ_PIO_CONSOLE_PORT, true, 4, 0, DEVICES_FUZZ_CHUNK_LOW)
			.Port(DEVICES_FUZZ_PIO_CONSOLE_PORT, false, 4, 0)
			.Port(DEVICES_FUZZ_PIO_SERIAL, true, 1, 0, 'x')
			.Port(DEVICES_FUZZ_PIO_SERIAL, true, 1, 3, 0x80)
			.Port(DEVICES_FUZZ_PIO_SERIAL, true, 1, 0, 1)
			.Port(DEVICES_FUZZ_PIO_SERIAL, false, 1, 5)
			.bytes());
	seeds.push_back(DevicesInput(0, {})
				.Config(PCI_BASE_ADDRESS_0, 0xffffffffu)
				.Port(DEVICES_FUZZ_PIO_PCI_CFG, false, 4, 4)
				.Config(PCI_BASE_ADDRESS_0, (uint32_t)GMM_PCI_MMIO_BASE)
				.Config(GMM_PCI_MSI_CAP_OFFSET + PCI_MSI_ADDRESS_LO, 0xfee00000u)
				.Config(GMM_PCI_MSI_CAP_OFFSET, PCI_MSI_FLAGS_ENABLE << 16)
				.Mmio(DMA_REG_STATUS, true, 4, DMA_STATUS_IRQFACT)
				.Mmio(DMA_REG_FACTORIAL, true, 4, 10)
				.Mmio(DMA_REG_IRQ_ACK, true, 4, DMA_IRQ_FACT)
				.Mmio(DMA_REG_EXT_CAPS, false, 4)
				.bytes());
	seeds.push_back(
		DevicesInput(0, Descriptors({ { 1, 2 } }))
			.Config(PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)
			.Mmio(DMA_REG_SRC, true, 8, DEVICES_FUZZ_CHUNK_LOW)
			.Mmio(DMA_REG_DST, true, 8, DMA_EDU_BUF_ADDR)
			.Mmio(DMA_REG_COUNT, true, 8, 64)
			.Mmio(DMA_REG_CMD, true, 8, DMA_CMD_START)
			.Mmio(DMA_REG_SRC, true, 8, DMA_EDU_BUF_ADDR)
			.Mmio(DMA_REG_DST, true, 8, 0x300000)
			.Mmio(DMA_REG_CMD, true, 8, DMA_CMD_START | DMA_CMD_TO_RAM | DMA_CMD_IRQ)
			.Port(DEVICES_FUZZ_PIO_EXIT, true, 4, 0, 0)
			.bytes());
	// strict mode over a page state whose header says max_pfn 1, its one entry (pfn 0,
	// reserved) the last bytes below the legacy hole: the DMA regression of tests/vmm
	const uint64_t hostile[2] = { 1, DEVICES_FUZZ_CHUNK_HOLE + DEVICES_FUZZ_CHUNK_MAX - 32 };
	std::vector<uint8_t> table = Descriptors({ { 0, 0x2000 } });
	table.resize(DEVICES_FUZZ_CHUNK_MAX);
	table[DEVICES_FUZZ_CHUNK_MAX - 32] = 1; // PG_reserved
	DevicesInput strict(DEVICES_FUZZ_CFG_STRICT | DEVICES_FUZZ_CFG_HOSTILE_PS, {});
	std::vector<uint8_t> b = strict.bytes();
	b.resize(1); // configuration only: the chunk follows the header
	b.push_back((uint8_t)table.size());
	b.push_back((uint8_t)(table.size() >> 8));
	b.insert(b.end(), (const uint8_t *)hostile, (const uint8_t *)(hostile + 2));
	b.insert(b.end(), table.begin(), table.end());
	std::vector<uint8_t> cmds =
		DevicesInput(0, {})
			.Config(PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)
			.Mmio(DMA_REG_SG_DST_TABLE, true, 8, DEVICES_FUZZ_CHUNK_LOW)
			.Mmio(DMA_REG_SG_DST_COUNT, true, 4, 1)
			.Mmio(DMA_REG_SG_CMD, true, 4,
			      DMA_SG_OP_ZERO << DMA_SG_OP_SHIFT | DMA_SG_START)
			.bytes();
	b.insert(b.end(), cmds.begin() + 3, cmds.end());
	seeds.push_back(b);
	for (unsigned int op = DMA_SG_OP_COPY; op <= DMA_SG_OP_ZERO; op++) {
		seeds.push_back(Sg(0, op).bytes());
		seeds.push_back(Sg(DEVICES_FUZZ_CFG_STRICT, op).bytes());
	}
	return seeds;
}

TEST(Fuzz, DeviceModelsSurviveHostileGuests)
{
	ExpectClean(RunFuzzer("fuzz/devices_fuzz", DevicesSeeds()), kDevicesCovFloor,
		    kDevicesFtFloor);
}

// Mutator mode: another vCPU rewrites the page state, the page-frame entries of the ranges the
// descriptors name, the tables and the console-port descriptors while the accesses run.
TEST(Fuzz, DeviceModelsSurviveAGuestRewritingSharedMemory)
{
	enum { HEADER, NEAR_NAMED, ARRAY, CHUNK, NAMED }; // the regions of fuzz/devices_fuzz.c
	const uint32_t max_pfn = offsetof(struct page_state, max_pfn);
	const uint32_t map = offsetof(struct page_state, mem_map_phys);
	const Script scripts[] = {
		// the crash of issue 21: max_pfn flips while mem_map_phys names the hole's edge
		Script().Store(HEADER, 8, max_pfn, 1)
			.Store(HEADER, 8, max_pfn, DEVICES_FUZZ_RAM_BYTES >> PAGE_SHIFT)
			.Store(HEADER, 8, map, GUEST_LEGACY_HOLE_START - sizeof(struct page))
			.Store(HEADER, 8, offsetof(struct page_state, zones[0].name), 0x315b1b),
		// the first descriptor's address and length (one just past the console port's
		// limit, inside RAM: a reader that fetched it twice would overflow its buffer),
		// and what it names
		Script().Store(CHUNK, 4, 8, 0, true)
			.Store(CHUNK, 4, 8, 2 * CONSOLE_PORT_MAX_LEN)
			.Store(CHUNK, 4, 8, 0x300)
			.Store(CHUNK, 8, 0, DEVICES_FUZZ_RAM_BYTES - 0x100)
			.Store(NAMED, 4, 8, CONSOLE_PORT_MAX_LEN),
		// the page-frame entries around the named ranges, and anywhere
		Script().Store(NEAR_NAMED, 4, 16 << 5, PG_buddy)
			.Store(NEAR_NAMED, 1, 16 << 5 | 4, 10)
			.Store(NEAR_NAMED, 4, 17 << 5, PG_head)
			.Store(ARRAY, 4, 0x2000, PG_reserved),
	};
	std::vector<std::vector<uint8_t>> seeds;

	for (const auto &seed : DevicesSeeds())
		for (const auto &script : scripts)
			seeds.push_back(script.After(seed));
	ExpectClean(RunFuzzer("fuzz/devices_fuzz", seeds, kMutatorSeconds, true),
		    kDevicesMutatorCovFloor, kDevicesMutatorFtFloor);
}

} // namespace
