// SPDX-License-Identifier: MIT
/*
 * fuzz/loader_fuzz.c - libFuzzer target: the input bytes are a kernel image handed to gmm.
 *
 * Covers vmm/loader.c as gmm calls it (vmm/main.c, vmm/boot.c): elf_read_notes() on the whole
 * file, then elf_parse() with gmm's own address rules (boot_elf_rules()) against guest RAM of
 * three sizes: 2 MiB (the smallest `--mem`), 128 MiB (the default) and 5 GiB (RAM above the PCI
 * hole too); then elf_load() into the smallest RAM that accepted the image. Each struct gmem is
 * created once (memfd-backed, no KVM).
 *
 * Invariants checked on every input (a broken one aborts through FUZZ_CHECK(), which libFuzzer
 * reports as a crash):
 * - nothing crashes or trips ASan/UBSan, whatever the bytes;
 * - a refusal is -ENOEXEC with a non-empty reason;
 * - elf_parse() accepts only what elf_read_notes() accepts, with the same page-state version;
 * - an accepted image has 1..ELF_MAX_LOADS segments, each with filesz <= memsz, its file range
 *   inside the file and its physical range inside one RAM region at or above the rules'
 *   min_paddr, and phys_start/phys_end enclosing them all;
 * - elf_load() of an accepted image succeeds, the segment bytes in RAM equal the file's and
 *   the rest of memsz is zero.
 * elf_load() runs only when the image spans at most LOAD_MAX_SPAN bytes, so one input cannot
 * cost a memset of gigabytes; afterwards the span is punched out of the memfd, so every input
 * starts from zeroed RAM and the fuzzer's memory stays small.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmm/boot.h>
#include <gmm/guest_mem.h>
#include <gmm/loader.h>

#include "fuzz/fuzz_check.h"

#define MiB	      (1ull << 20)
#define LOAD_MAX_SPAN (8 * MiB)

static const uint64_t ram_sizes[] = { 2 * MiB, 128 * MiB, 5120 * MiB };
#define NR_RAMS (sizeof(ram_sizes) / sizeof(ram_sizes[0]))

static struct gmem rams[NR_RAMS];
static struct elf_rules rules;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned int i;

	(void)argc;
	(void)argv;
	for (i = 0; i < NR_RAMS; i++)
		if (gmem_create(&rams[i], ram_sizes[i], GMEM_BACKING_SHMEM)) {
			fprintf(stderr, "loader_fuzz: cannot create %llu bytes of guest RAM\n",
				(unsigned long long)ram_sizes[i]);
			abort();
		}
	boot_elf_rules(&rules);
	return 0;
}

static void check_image(const struct elf_image *img, size_t size, const struct gmem *gm)
{
	unsigned int i;

	FUZZ_CHECK(img->nr_segments >= 1 && img->nr_segments <= ELF_MAX_LOADS);
	for (i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];

		FUZZ_CHECK(s->filesz <= s->memsz);
		FUZZ_CHECK(s->offset <= size && s->filesz <= size - s->offset);
		FUZZ_CHECK(s->paddr >= rules.min_paddr);
		FUZZ_CHECK(s->memsz == 0 || gmem_region_of(gm, s->paddr, s->memsz) != NULL);
		FUZZ_CHECK(s->paddr >= img->phys_start && s->paddr + s->memsz <= img->phys_end);
	}
}

/* elf_load() into @gm, compare RAM with the file, then give the pages back to the memfd. */
static void load_and_compare(const uint8_t *data, const struct elf_image *img,
			     const struct gmem *gm)
{
	uint64_t start = img->phys_start & ~0xfffull, end = (img->phys_end + 0xfff) & ~0xfffull;
	unsigned int i;

	FUZZ_CHECK(elf_load(data, img, gm) == 0);
	for (i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];
		const uint8_t *ram = s->memsz ? gmem_ptr(gm, s->paddr, s->memsz) : NULL;
		uint64_t j;

		if (!ram)
			continue;
		FUZZ_CHECK(memcmp(ram, data + s->offset, s->filesz) == 0);
		for (j = s->filesz; j < s->memsz; j++)
			FUZZ_CHECK(ram[j] == 0);
	}
	FUZZ_CHECK(fallocate(gm->memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)start,
			     (off_t)(end - start)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image notes, img;
	const struct gmem *accepted = NULL;
	char err[256];
	int notes_ret, ret;
	unsigned int i;

	err[0] = 0;
	notes_ret = elf_read_notes(data, size, &notes, err, sizeof(err));
	FUZZ_CHECK(notes_ret == 0 || (notes_ret == -ENOEXEC && err[0]));
	for (i = 0; i < NR_RAMS; i++) {
		err[0] = 0;
		ret = elf_parse(data, size, &rams[i], &rules, &img, err, sizeof(err));
		if (ret) {
			FUZZ_CHECK(ret == -ENOEXEC && err[0]);
			continue;
		}
		FUZZ_CHECK(notes_ret == 0);
		FUZZ_CHECK(img.page_state_version == notes.page_state_version);
		check_image(&img, size, &rams[i]);
		if (!accepted && img.phys_end - img.phys_start <= LOAD_MAX_SPAN) {
			accepted = &rams[i];
			load_and_compare(data, &img, accepted);
		}
	}
	return 0;
}
