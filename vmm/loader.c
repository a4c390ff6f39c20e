// SPDX-License-Identifier: MIT
/*
 * vmm/loader.c - ELF64 loader: validate everything, then copy.
 *
 * Order of checks: the ELF header (identity, type, machine, sizes), the program-header table
 * as a whole range of the file, then each PT_NOTE, note by note (include/abi/elf_note.h: gmm's
 * own notes are read, others skipped; gmm_elf_read_notes() stops here), then each PT_LOAD: its file
 * range, its physical range in RAM, its virtual address rule; then pairwise overlap; then the
 * entry. All arithmetic on
 * fields from the file is overflow-checked (__builtin_add_overflow) before comparing.
 *
 * Read once: the image may be a mapping of a file that someone else changes meanwhile (or a
 * buffer an embedder's other thread writes), so the ELF header, each program header and each
 * note header are copied out of it once (copy_once()) and only the copies are checked and
 * used; a changing file can make the guest's bytes wrong, never a check differ from its use.
 */
#include <gmm/loader.h>

#include <abi/elf_note.h>

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vmm/read_once.h"

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt,
						      ...)
{
	va_list ap;

	if (!err || !errlen)
		return -ENOEXEC;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/* The ELF header, copied once into @eh (zero-padded if the file is shorter), and checked. */
static int read_ehdr(const void *file, size_t size, Elf64_Ehdr *eh, char *err, size_t errlen)
{
	uint64_t table, end;

	memset(eh, 0, sizeof(*eh));
	copy_once(eh, file, size < sizeof(*eh) ? size : sizeof(*eh));
	if (size < EI_NIDENT || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return fail(err, errlen, "not an ELF file (bad magic)");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return fail(err, errlen, "not a 64-bit ELF (class %u)", eh->e_ident[EI_CLASS]);
	if (size < sizeof(*eh))
		return fail(err, errlen, "truncated ELF header (%zu bytes)", size);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, "not little-endian (data encoding %u)",
			    eh->e_ident[EI_DATA]);
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return fail(err, errlen, "unknown ELF version %u", eh->e_version);
	if (eh->e_type != ET_EXEC)
		return fail(err, errlen, "not an executable (ELF type %u, want ET_EXEC)",
			    eh->e_type);
	if (eh->e_machine != EM_X86_64)
		return fail(err, errlen, "wrong machine %u (want x86-64, %u)", eh->e_machine,
			    EM_X86_64);
	if (eh->e_ehsize < sizeof(*eh))
		return fail(err, errlen, "ELF header size %u too small", eh->e_ehsize);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return fail(err, errlen, "program header size %u (want %zu)", eh->e_phentsize,
			    sizeof(Elf64_Phdr));
	if (eh->e_phnum == 0 || eh->e_phnum > GMM_ELF_MAX_PHDRS)
		return fail(err, errlen, "%u program headers (want 1..%d)", eh->e_phnum,
			    GMM_ELF_MAX_PHDRS);
	table = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (__builtin_add_overflow(eh->e_phoff, table, &end) || end > size)
		return fail(err, errlen,
			    "program headers [0x%" PRIx64 ", +0x%" PRIx64
			    ") run past the end of the file (%zu bytes)",
			    (uint64_t)eh->e_phoff, table, size);
	if (eh->e_phoff % 8)
		return fail(err, errlen, "misaligned program headers at 0x%" PRIx64,
			    (uint64_t)eh->e_phoff);
	return 0;
}

static bool vaddr_allowed(const struct gmm_elf_segment *s, const struct gmm_elf_rules *r)
{
	uint64_t pend = s->paddr + s->memsz; /* checked not to wrap by the caller */

	if (s->vaddr == s->paddr)
		return pend <= r->identity_end;
	return s->vaddr - s->paddr == r->kernel_map && pend <= r->kernel_map_size;
}

static int check_segment(const Elf64_Phdr *ph, unsigned int i, size_t size,
			 const struct gmm_mem *gm, const struct gmm_elf_rules *r,
			 struct gmm_elf_segment *s, char *err, size_t errlen)
{
	uint64_t fend, pend, vend;

	*s = (struct gmm_elf_segment){ .offset = ph->p_offset,
				       .filesz = ph->p_filesz,
				       .paddr = ph->p_paddr,
				       .vaddr = ph->p_vaddr,
				       .memsz = ph->p_memsz,
				       .flags = ph->p_flags };
	if (s->filesz > s->memsz)
		return fail(err, errlen,
			    "segment %u: file size 0x%" PRIx64
			    " larger than memory size 0x%" PRIx64,
			    i, s->filesz, s->memsz);
	if (__builtin_add_overflow(s->offset, s->filesz, &fend) || fend > size)
		return fail(err, errlen,
			    "segment %u: file range [0x%" PRIx64 ", +0x%" PRIx64
			    ") truncated (file is %zu bytes)",
			    i, s->offset, s->filesz, size);
	if (s->memsz == 0)
		return 0;
	if (__builtin_add_overflow(s->paddr, s->memsz, &pend) ||
	    __builtin_add_overflow(s->vaddr, s->memsz - 1, &vend))
		return fail(err, errlen, "segment %u: address range wraps around", i);
	if (s->paddr < r->min_paddr)
		return fail(err, errlen,
			    "segment %u: physical address 0x%" PRIx64 " below 0x%" PRIx64
			    " (gmm's boot data lives there)",
			    i, s->paddr, r->min_paddr);
	if (!gmm_mem_is_ram(gm, s->paddr, s->memsz))
		return fail(err, errlen,
			    "segment %u: [0x%" PRIx64 ", 0x%" PRIx64
			    ") is not inside guest RAM (a hole or past the end, "
			    "RAM ends at 0x%" PRIx64 ")",
			    i, s->paddr, pend, gm->end);
	if (!vaddr_allowed(s, r))
		return fail(err, errlen,
			    "segment %u: virtual address 0x%" PRIx64
			    " is neither the physical address (identity map) nor "
			    "the kernel map of it",
			    i, s->vaddr);
	return 0;
}

/* One GMM note: @type with @desc of @descsz bytes (inside the file). */
static int gmm_note(uint32_t type, const uint8_t *desc, uint64_t descsz, struct gmm_elf_image *img,
		    char *err, size_t errlen)
{
	uint32_t v;

	if (type != GMM_ELFNOTE_PAGE_STATE)
		return fail(err, errlen, "unknown GMM note type %u (include/abi/elf_note.h)", type);
	if (descsz != sizeof(v))
		return fail(err, errlen,
			    "GMM page-state note: descriptor of %" PRIu64 " bytes (want %zu)",
			    descsz, sizeof(v));
	copy_once(&v, desc, sizeof(v));
	if (v == 0)
		return fail(err, errlen, "GMM page-state note: version 0");
	if (img->page_state_version && img->page_state_version != v)
		return fail(err, errlen, "two GMM page-state notes (versions %u and %u)",
			    img->page_state_version, v);
	img->page_state_version = v;
	return 0;
}

/* Program header @i of a file whose header read_ehdr() checked, copied once. */
static Elf64_Phdr read_phdr(const void *file, const Elf64_Ehdr *eh, unsigned int i)
{
	Elf64_Phdr ph;

	copy_once(&ph, (const uint8_t *)file + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
	return ph;
}

/* Walk the notes of PT_NOTE segment @i: every header and padded field inside the segment. */
static int check_notes(const void *file, size_t size, const Elf64_Phdr *ph, unsigned int i,
		       struct gmm_elf_image *img, char *err, size_t errlen)
{
	uint64_t end, at = 0, name_end, desc_end;
	const uint8_t *seg;
	int ret;

	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &end) || end > size)
		return fail(err, errlen,
			    "note segment %u: file range [0x%" PRIx64 ", +0x%" PRIx64
			    ") truncated (file is %zu bytes)",
			    i, (uint64_t)ph->p_offset, (uint64_t)ph->p_filesz, size);
	seg = (const uint8_t *)file + ph->p_offset; /* only now: p_offset is inside the file */
	while (at < ph->p_filesz) {
		Elf64_Nhdr nh;

		if (ph->p_filesz - at < sizeof(nh))
			return fail(err, errlen,
				    "note segment %u: a note header at +0x%" PRIx64
				    " runs past the segment",
				    i, at);
		copy_once(&nh, seg + at, sizeof(nh));
		/* name and descriptor are each padded to 4 bytes; 32-bit sizes cannot wrap 64 */
		name_end = at + sizeof(nh) + (((uint64_t)nh.n_namesz + 3) & ~3ull);
		desc_end = name_end + (((uint64_t)nh.n_descsz + 3) & ~3ull);
		if (desc_end > ph->p_filesz && name_end + nh.n_descsz != ph->p_filesz)
			return fail(err, errlen,
				    "note segment %u: the note at +0x%" PRIx64
				    " (name %u bytes, descriptor %u bytes) runs past the segment",
				    i, at, nh.n_namesz, nh.n_descsz);
		if (nh.n_namesz == GMM_ELFNOTE_NAMESZ &&
		    !memcmp(seg + at + sizeof(nh), GMM_ELFNOTE_NAME, GMM_ELFNOTE_NAMESZ)) {
			ret = gmm_note(nh.n_type, seg + name_end, nh.n_descsz, img, err, errlen);
			if (ret)
				return ret;
		}
		at = desc_end;
	}
	return 0;
}

/* gmm_elf_read_notes() with the checked header left in @eh for gmm_elf_parse() */
static int read_notes(const void *file, size_t size, Elf64_Ehdr *eh, struct gmm_elf_image *img,
		      char *err, size_t errlen)
{
	unsigned int i;
	int ret;

	if (!file || !img) {
		fail(err, errlen, "no image or no result (NULL)");
		return -EINVAL;
	}
	memset(img, 0, sizeof(*img));
	ret = read_ehdr(file, size, eh, err, errlen);
	if (ret)
		return ret;
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph = read_phdr(file, eh, i);

		if (ph.p_type == PT_NOTE) {
			ret = check_notes(file, size, &ph, i, img, err, errlen);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int gmm_elf_read_notes(const void *file, size_t size, struct gmm_elf_image *img, char *err,
		       size_t errlen)
{
	Elf64_Ehdr eh;

	return read_notes(file, size, &eh, img, err, errlen);
}

int gmm_elf_parse(const void *file, size_t size, const struct gmm_mem *gm,
		  const struct gmm_elf_rules *rules, struct gmm_elf_image *img, char *err,
		  size_t errlen)
{
	Elf64_Ehdr ehdr, *eh = &ehdr;
	bool entry_ok = false;
	unsigned int i, j;
	int ret;

	if (!gm || !rules)
		return -EINVAL;
	ret = read_notes(file, size, eh, img, err, errlen); /* the header too */
	if (ret)
		return ret;

	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph = read_phdr(file, eh, i);
		struct gmm_elf_segment *s;

		if (ph.p_type != PT_LOAD)
			continue;
		if (img->nr_segments == GMM_ELF_MAX_LOADS)
			return fail(err, errlen, "more than %d PT_LOAD segments",
				    GMM_ELF_MAX_LOADS);
		s = &img->segments[img->nr_segments];
		ret = check_segment(&ph, i, size, gm, rules, s, err, errlen);
		if (ret)
			return ret;
		if (s->memsz)
			img->nr_segments++;
	}
	if (img->nr_segments == 0)
		return fail(err, errlen, "no loadable segment");

	img->phys_start = UINT64_MAX;
	for (i = 0; i < img->nr_segments; i++) {
		const struct gmm_elf_segment *a = &img->segments[i];

		for (j = i + 1; j < img->nr_segments; j++) {
			const struct gmm_elf_segment *b = &img->segments[j];

			if (a->paddr < b->paddr + b->memsz && b->paddr < a->paddr + a->memsz)
				return fail(err, errlen,
					    "segments overlap: [0x%" PRIx64 ", 0x%" PRIx64
					    ") and [0x%" PRIx64 ", 0x%" PRIx64 ")",
					    a->paddr, a->paddr + a->memsz, b->paddr,
					    b->paddr + b->memsz);
		}
		if (a->paddr < img->phys_start)
			img->phys_start = a->paddr;
		if (a->paddr + a->memsz > img->phys_end)
			img->phys_end = a->paddr + a->memsz;
		if ((a->flags & PF_X) && eh->e_entry >= a->vaddr &&
		    eh->e_entry - a->vaddr < a->memsz)
			entry_ok = true;
	}
	if (!entry_ok)
		return fail(err, errlen,
			    "entry point 0x%" PRIx64 " is not inside an executable segment",
			    (uint64_t)eh->e_entry);
	img->entry = eh->e_entry;
	return 0;
}

int gmm_elf_load(const void *file, const struct gmm_elf_image *img, const struct gmm_mem *gm)
{
	unsigned int i;

	if (!file || !img || !gm)
		return -EINVAL;
	for (i = 0; i < img->nr_segments; i++) {
		const struct gmm_elf_segment *s = &img->segments[i];
		uint8_t *dst = gmm_mem_ptr(gm, s->paddr, s->memsz);

		if (!dst)
			return -EFAULT;
		memcpy(dst, (const uint8_t *)file + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	return 0;
}
