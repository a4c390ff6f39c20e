/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/loader.h - the ELF64 kernel loader.
 *
 * gmm_elf_parse() validates every header field it uses against the file size and guest RAM before
 * anything is copied; gmm_elf_load() then copies the PT_LOAD segments and zeroes their .bss.
 * A kernel image is untrusted input: each failure has its own sentence in @err.
 */
#ifndef GMM_GMM_LOADER_H
#define GMM_GMM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include <gmm/guest_mem.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GMM_ELF_MAX_PHDRS     64
#define GMM_ELF_MAX_LOADS     16
#define GMM_ELF_MAX_FILE_SIZE (256ull << 20)

struct gmm_elf_segment {
	uint64_t offset; /* in the file */
	uint64_t filesz;
	uint64_t paddr; /* guest-physical load address */
	uint64_t vaddr;
	uint64_t memsz; /* >= filesz; the rest is zeroed */
	uint32_t flags; /* PF_X, PF_W, PF_R */
};

struct gmm_elf_image {
	uint64_t entry;	     /* virtual, as in e_entry */
	uint64_t phys_start; /* lowest paddr of any segment */
	uint64_t phys_end;   /* one past the highest paddr + memsz */
	unsigned int nr_segments;
	struct gmm_elf_segment segments[GMM_ELF_MAX_LOADS];
	uint32_t page_state_version; /* from the GMM page-state note, 0 without one */
};

/* Where a segment's virtual address may be, relative to its physical one. */
struct gmm_elf_rules {
	uint64_t min_paddr;	  /* nothing may load below (gmm's own low-memory area) */
	uint64_t identity_end;	  /* vaddr == paddr allowed when paddr + memsz <= this */
	uint64_t kernel_map;	  /* vaddr == kernel_map + paddr allowed ... */
	uint64_t kernel_map_size; /* ... when paddr + memsz <= this */
};

/**
 * gmm_elf_parse - validate an ELF64 x86-64 executable for loading into @gm
 * @file: the whole file
 * @size: its size
 * @gm: guest RAM the segments must fit in (each in one RAM region)
 * @rules: address rules
 * @img: receives the segments and entry
 * @err: receives the reason on failure
 * @errlen: its size
 *
 * Checks: magic, class, data encoding, version, type EXEC, machine x86-64, header sizes,
 * program headers inside the file, 1..GMM_ELF_MAX_LOADS PT_LOAD segments with filesz <= memsz,
 * file ranges inside the file, no wrap-around, physical ranges inside one RAM region and above
 * rules->min_paddr, no two segments overlapping, virtual addresses gmm will map, and the entry
 * inside an executable segment; then the notes of every PT_NOTE segment, each inside its segment,
 * gmm's own (include/abi/elf_note.h) well-formed and known.
 * Return: 0 or -ENOEXEC.
 */
int gmm_elf_parse(const void *file, size_t size, const struct gmm_mem *gm,
		  const struct gmm_elf_rules *rules, struct gmm_elf_image *img, char *err,
		  size_t errlen);

/**
 * gmm_elf_read_notes - the header and notes only, before there is guest RAM to check against
 * @file: the whole file
 * @size: its size
 * @img: zeroed, then receives what the notes say (page_state_version)
 * @err: receives the reason on failure
 * @errlen: its size
 *
 * The first checks of gmm_elf_parse() (which calls it): the ELF header, the program-header table
 * and every note. A VMM reads the notes first to know what the guest will ask for.
 * Return: 0 or -ENOEXEC.
 */
int gmm_elf_read_notes(const void *file, size_t size, struct gmm_elf_image *img, char *err,
		       size_t errlen);

/**
 * gmm_elf_load - copy a parsed image into guest RAM
 * @file: the file gmm_elf_parse() accepted
 * @img: its result
 * @gm: guest RAM
 * Return: 0 or -EFAULT (cannot happen after a successful parse against the same @gm).
 */
int gmm_elf_load(const void *file, const struct gmm_elf_image *img, const struct gmm_mem *gm);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_LOADER_H */
