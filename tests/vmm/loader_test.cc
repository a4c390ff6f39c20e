// SPDX-License-Identifier: MIT
// tests/vmm/loader_test.cc - the ELF loader against a valid image and against one malformed
// image per check, each refused with its own message before anything is copied; the notes it
// reads (include/abi/elf_note.h) and the ones it skips.
#include <gtest/gtest.h>

#include <elf.h>

#include <abi/elf_note.h>
#include <abi/page_state.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "tests/shim/gmm_shim.h"

namespace {

constexpr uint64_t MiB = 1ull << 20;

// An image with two PT_LOAD segments (text at 1 MiB, data+bss after it) and a PT_NOTE holding
// the PVH note (name "Xen"), which gmm skips; AddNote() appends notes to that segment.
struct Image {
	std::vector<uint8_t> bytes;

	Image()
	{
		bytes.resize(0x3000);
		Elf64_Ehdr *eh = ehdr();
		memcpy(eh->e_ident, ELFMAG, SELFMAG);
		eh->e_ident[EI_CLASS] = ELFCLASS64;
		eh->e_ident[EI_DATA] = ELFDATA2LSB;
		eh->e_ident[EI_VERSION] = EV_CURRENT;
		eh->e_type = ET_EXEC;
		eh->e_machine = EM_X86_64;
		eh->e_version = EV_CURRENT;
		eh->e_entry = 0x100010;
		eh->e_phoff = sizeof(Elf64_Ehdr);
		eh->e_ehsize = sizeof(Elf64_Ehdr);
		eh->e_phentsize = sizeof(Elf64_Phdr);
		eh->e_phnum = 3;
		*phdr(0) = Elf64_Phdr{ PT_LOAD, PF_R | PF_X, 0x1000, 0x100000, 0x100000,
				       0x1000, 0x1000, 0x1000 };
		*phdr(1) = Elf64_Phdr{ PT_LOAD, PF_R | PF_W, 0x2000, 0x101000, 0x101000,
				       0x800, 0x3000, 0x1000 };
		*phdr(2) = Elf64_Phdr{ PT_NOTE, PF_R, 0x2800, 0, 0, 0, 0, 4 };
		memset(&bytes[0x1000], 0x90, 0x1000);
		memset(&bytes[0x2000], 0x5a, 0x1000); // beyond filesz of segment 1: must not load
		uint32_t pvh_entry = 0x100010;
		AddNote("Xen", 18, &pvh_entry, sizeof(pvh_entry));
	}
	// Appends one note (name with its NUL, padded; descriptor padded) to the PT_NOTE segment.
	void AddNote(const char *name, uint32_t type, const void *desc, uint32_t descsz)
	{
		Elf64_Phdr *ph = phdr(2);
		uint64_t at = ph->p_offset + ph->p_filesz;
		Elf64_Nhdr nh = { (uint32_t)strlen(name) + 1, descsz, type };
		uint32_t name_pad = (nh.n_namesz + 3) & ~3u, desc_pad = (descsz + 3) & ~3u;

		memcpy(&bytes[at], &nh, sizeof(nh));
		memset(&bytes[at + sizeof(nh)], 0, name_pad + desc_pad);
		memcpy(&bytes[at + sizeof(nh)], name, nh.n_namesz);
		memcpy(&bytes[at + sizeof(nh) + name_pad], desc, descsz);
		ph->p_filesz += sizeof(nh) + name_pad + desc_pad;
		ph->p_memsz = ph->p_filesz;
	}
	void AddPageStateNote(uint32_t version)
	{
		AddNote(GMM_ELFNOTE_NAME, GMM_ELFNOTE_PAGE_STATE, &version, sizeof(version));
	}
	// The note segment's first byte and size.
	uint8_t *notes() { return &bytes[phdr(2)->p_offset]; }
	Elf64_Ehdr *ehdr() { return reinterpret_cast<Elf64_Ehdr *>(bytes.data()); }
	Elf64_Phdr *phdr(int i)
	{
		return reinterpret_cast<Elf64_Phdr *>(bytes.data() + sizeof(Elf64_Ehdr)) + i;
	}
};

class Loader : public ::testing::Test {
protected:
	void SetUp() override
	{
		ASSERT_EQ(gmm_mem_create(&gm_, 16 * MiB, GMM_MEM_BACKING_SHMEM), 0);
		gmm_boot_elf_rules(&rules_);
	}
	void TearDown() override { gmm_mem_destroy(&gm_); }

	int Parse(const std::vector<uint8_t> &b, size_t size)
	{
		err_[0] = 0;
		return gmm_elf_parse(b.data(), size, &gm_, &rules_, &img_, err_, sizeof(err_));
	}

	struct gmm_mem gm_;
	struct gmm_elf_rules rules_;
	struct gmm_elf_image img_;
	char err_[256];
};

TEST_F(Loader, LoadsAValidImageAndZeroesBss)
{
	Image im;
	uint8_t *ram = (uint8_t *)gmm_mem_ptr(&gm_, 0x100000, 0x4000);

	ASSERT_NE(ram, nullptr);
	memset(ram, 0xff, 0x4000); // garbage where .bss goes
	ASSERT_EQ(Parse(im.bytes, im.bytes.size()), 0) << err_;
	EXPECT_EQ(img_.nr_segments, 2u);
	EXPECT_EQ(img_.entry, 0x100010u);
	EXPECT_EQ(img_.phys_start, 0x100000u);
	EXPECT_EQ(img_.phys_end, 0x104000u);
	ASSERT_EQ(gmm_elf_load(im.bytes.data(), &img_, &gm_), 0);
	EXPECT_EQ(ram[0], 0x90);
	EXPECT_EQ(ram[0xfff], 0x90);
	EXPECT_EQ(ram[0x1000], 0x5a);
	EXPECT_EQ(ram[0x17ff], 0x5a);
	EXPECT_EQ(ram[0x1800], 0) << "bss zeroed";
	EXPECT_EQ(ram[0x3fff], 0) << "bss zeroed";
	EXPECT_EQ(ram[0x4000 - 1 + 1 - 1], 0);
}

TEST_F(Loader, AcceptsTheKernelMap)
{
	Image im;

	im.phdr(0)->p_vaddr = __START_KERNEL_map + 0x100000;
	im.phdr(1)->p_vaddr = __START_KERNEL_map + 0x101000;
	im.ehdr()->e_entry = __START_KERNEL_map + 0x100000;
	ASSERT_EQ(Parse(im.bytes, im.bytes.size()), 0) << err_;
	EXPECT_EQ(img_.entry, __START_KERNEL_map + 0x100000);
}

TEST_F(Loader, ReadsTheGmmPageStateNoteAndSkipsOthers)
{
	Image plain;
	ASSERT_EQ(Parse(plain.bytes, plain.bytes.size()), 0) << err_;
	EXPECT_EQ(img_.page_state_version, 0u) << "no GMM note: no page state asked for";

	Image im;
	uint32_t other = 7;
	im.AddNote("GNU", 3, &other, sizeof(other)); // someone else's type 1..3: not ours
	im.AddPageStateNote(PAGE_STATE_VERSION);
	ASSERT_EQ(Parse(im.bytes, im.bytes.size()), 0) << err_;
	EXPECT_EQ(img_.page_state_version, PAGE_STATE_VERSION);

	Image twice;
	twice.AddPageStateNote(5);
	twice.AddPageStateNote(5);
	ASSERT_EQ(Parse(twice.bytes, twice.bytes.size()), 0) << "the same note twice is harmless";
	EXPECT_EQ(img_.page_state_version, 5u) << "the loader reports it; gmm_boot_prepare refuses it";

	Image tail; // the last descriptor unpadded at the very end of the segment
	uint8_t three[3] = { 1, 2, 3 };
	tail.AddNote("XYZ", 9, three, 3);
	tail.phdr(2)->p_filesz -= 1;
	EXPECT_EQ(Parse(tail.bytes, tail.bytes.size()), 0) << err_;
}

struct BadCase {
	const char *name;
	std::function<void(Image &)> mutate;
	const char *message; // substring of the error
	size_t size = 0;     // file size to pass, 0 = the whole buffer
};

TEST_F(Loader, RefusesEveryMalformedImageWithItsOwnReason)
{
	const BadCase cases[] = {
		{ "empty", [](Image &) {}, "not an ELF", 1 },
		{ "bad magic", [](Image &i) { i.bytes[1] = 'X'; }, "not an ELF" },
		{ "32-bit", [](Image &i) { i.bytes[EI_CLASS] = ELFCLASS32; }, "not a 64-bit" },
		{ "truncated header", [](Image &) {}, "truncated ELF header", 40 },
		{ "big-endian", [](Image &i) { i.bytes[EI_DATA] = ELFDATA2MSB; }, "little-endian" },
		{ "version", [](Image &i) { i.ehdr()->e_version = 7; }, "version" },
		{ "shared object", [](Image &i) { i.ehdr()->e_type = ET_DYN; }, "not an executable" },
		{ "wrong machine", [](Image &i) { i.ehdr()->e_machine = EM_AARCH64; },
		  "wrong machine" },
		{ "small ehsize", [](Image &i) { i.ehdr()->e_ehsize = 10; }, "header size" },
		{ "phentsize", [](Image &i) { i.ehdr()->e_phentsize = 32; }, "program header size" },
		{ "no phdrs", [](Image &i) { i.ehdr()->e_phnum = 0; }, "program headers" },
		{ "too many phdrs", [](Image &i) { i.ehdr()->e_phnum = 1000; }, "program headers" },
		{ "phdrs past the end", [](Image &i) { i.ehdr()->e_phoff = 0x2fe0; },
		  "past the end of the file" },
		{ "phoff wraps", [](Image &i) { i.ehdr()->e_phoff = UINT64_MAX - 8; },
		  "past the end of the file" },
		{ "phdrs truncated", [](Image &) {}, "past the end of the file", 100 },
		{ "filesz > memsz", [](Image &i) { i.phdr(1)->p_filesz = 0x4000; },
		  "larger than memory size" },
		{ "segment truncated", [](Image &i) { i.phdr(1)->p_filesz = 0x1001; i.phdr(1)->p_offset = 0x2000; },
		  "truncated" },
		{ "offset wraps", [](Image &i) { i.phdr(0)->p_offset = UINT64_MAX - 0x10; },
		  "truncated" },
		{ "address wraps", [](Image &i) {
			  i.phdr(1)->p_paddr = i.phdr(1)->p_vaddr = UINT64_MAX - 0x100; },
		  "wraps around" },
		{ "below gmm's area", [](Image &i) { i.phdr(1)->p_paddr = i.phdr(1)->p_vaddr = 0x8000; },
		  "below 0x9f000" },
		{ "in the legacy hole", [](Image &i) {
			  i.phdr(1)->p_paddr = i.phdr(1)->p_vaddr = 0xb8000; },
		  "not inside guest RAM" },
		{ "crossing into the hole", [](Image &i) {
			  i.phdr(1)->p_paddr = i.phdr(1)->p_vaddr = 0x9f000; },
		  "not inside guest RAM" },
		{ "past the end of RAM", [](Image &i) {
			  i.phdr(1)->p_paddr = i.phdr(1)->p_vaddr = 32 * MiB; },
		  "not inside guest RAM" },
		{ "ending past RAM", [](Image &i) { i.phdr(1)->p_memsz = 64 * MiB; },
		  "not inside guest RAM" },
		{ "overlapping segments", [](Image &i) {
			  i.phdr(1)->p_paddr = i.phdr(1)->p_vaddr = 0x100800; },
		  "segments overlap" },
		{ "unmapped vaddr", [](Image &i) { i.phdr(1)->p_vaddr = 0x40000000000ull; },
		  "neither the physical address" },
		{ "entry outside", [](Image &i) { i.ehdr()->e_entry = 0x500000; },
		  "not inside an executable segment" },
		{ "entry in data", [](Image &i) { i.ehdr()->e_entry = 0x101010; },
		  "not inside an executable segment" },
		{ "no PT_LOAD", [](Image &i) { i.phdr(0)->p_type = PT_NULL; i.phdr(1)->p_type = PT_NULL; },
		  "no loadable segment" },
		{ "note segment truncated", [](Image &i) { i.phdr(2)->p_filesz = 0x1000; },
		  "note segment 2: file range" },
		{ "note segment offset wraps", [](Image &i) { i.phdr(2)->p_offset = UINT64_MAX - 4; },
		  "note segment 2: file range" },
		{ "note header cut", [](Image &i) { i.phdr(2)->p_filesz = 8; },
		  "note header at +0x0 runs past" },
		{ "note name too long", [](Image &i) { reinterpret_cast<Elf64_Nhdr *>(i.notes())->n_namesz = 0x100; },
		  "note at +0x0 (name 256 bytes" },
		{ "note descriptor huge", [](Image &i) { reinterpret_cast<Elf64_Nhdr *>(i.notes())->n_descsz = UINT32_MAX; },
		  "runs past the segment" },
		{ "GMM note of unknown type", [](Image &i) { i.AddNote("GMM", 77, "abcd", 4); },
		  "unknown GMM note type 77" },
		{ "GMM page-state note too long", [](Image &i) { uint64_t v = 1; i.AddNote("GMM", GMM_ELFNOTE_PAGE_STATE, &v, 8); },
		  "descriptor of 8 bytes" },
		{ "GMM page-state version 0", [](Image &i) { i.AddPageStateNote(0); },
		  "version 0" },
		{ "two GMM page-state versions", [](Image &i) { i.AddPageStateNote(1); i.AddPageStateNote(2); },
		  "two GMM page-state notes (versions 1 and 2)" },
	};
	for (const auto &c : cases) {
		Image im;

		c.mutate(im);
		SCOPED_TRACE(c.name);
		EXPECT_EQ(Parse(im.bytes, c.size ? c.size : im.bytes.size()), -ENOEXEC);
		EXPECT_NE(std::string(err_).find(c.message), std::string::npos)
			<< "message: " << err_;
	}
}

// Regression (found by fuzz/loader_fuzz.c): check_notes() formed file + p_offset before
// checking p_offset against the file, so a note segment far past the end made a pointer that
// wrapped around (undefined behaviour, reported by clang's UBSan; gcc's -O1 build sinks the
// addition past the check, so this test cannot fail there, the fuzzer's clang build can).
// Every such segment is refused by its file range, by both entry points.
TEST_F(Loader, ANoteSegmentPastTheFileIsRefusedBeforeAnyPointerIsFormed)
{
	const std::vector<uint64_t> offsets = { UINT64_MAX - 0xff, UINT64_MAX - 4, 1ull << 63, 0x3001 };

	for (uint64_t off : offsets) {
		Image im;
		struct gmm_elf_image notes;

		im.phdr(2)->p_offset = off;
		SCOPED_TRACE(off);
		EXPECT_EQ(Parse(im.bytes, im.bytes.size()), -ENOEXEC);
		EXPECT_NE(std::string(err_).find("note segment 2: file range"), std::string::npos)
			<< err_;
		EXPECT_EQ(gmm_elf_read_notes(im.bytes.data(), im.bytes.size(), &notes, err_, sizeof(err_)),
			  -ENOEXEC);
	}
}

} // namespace
