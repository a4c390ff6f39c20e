// SPDX-License-Identifier: MIT
/*
 * fuzz/loader_fuzz.c - libFuzzer target: the input bytes are a kernel image handed to gmm.
 *
 * Covers vmm/loader.c as gmm calls it (vmm/main.c, vmm/boot.c): gmm_elf_read_notes() on the whole
 * file, then gmm_elf_parse() with gmm's own address rules (gmm_boot_elf_rules()) against guest RAM of
 * three sizes: 2 MiB (the smallest `--mem`), 128 MiB (the default) and 5 GiB (RAM above the PCI
 * hole too); then gmm_elf_load() into the smallest RAM that accepted the image. Each struct gmm_mem is
 * created once (memfd-backed, no KVM).
 *
 * Invariants checked on every input (a broken one aborts through FUZZ_CHECK(), which libFuzzer
 * reports as a crash):
 * - nothing crashes or trips ASan/UBSan, whatever the bytes;
 * - a refusal is -ENOEXEC with a non-empty reason;
 * - gmm_elf_parse() accepts only what gmm_elf_read_notes() accepts, with the same page-state version;
 * - an accepted image has 1..GMM_ELF_MAX_LOADS segments, each with filesz <= memsz, its file range
 *   inside the file and its physical range inside one RAM region at or above the rules'
 *   min_paddr, and phys_start/phys_end enclosing them all;
 * - gmm_elf_load() of an accepted image succeeds, the segment bytes in RAM equal the file's and
 *   the rest of memsz is zero.
 * gmm_elf_load() runs only when the image spans at most LOAD_MAX_SPAN bytes, so one input cannot
 * cost a memset of gigabytes; afterwards the span is punched out of the memfd, so every input
 * starts from zeroed RAM and the fuzzer's memory stays small.
 *
 * Mutator mode (GMM_FUZZ_MUTATOR=1, fuzz/fuzz_mutator.h): the input ends with a script of
 * stores; the rest is the image, copied into a buffer of exactly its size (so ASan sees any
 * read past its end), and while gmm_elf_read_notes(), the three gmm_elf_parse() calls and gmm_elf_load()
 * run, a second thread loops over the script rewriting bytes of that buffer, as a file that
 * someone changes while gmm reads it. An op's region (bits 3..7 of its first byte, modulo 4):
 *   0  the ELF header: offset modulo 64 (or the image's size, if smaller);
 *   1  the program-header table as the unchanged image places it: offset modulo its size;
 *   2  a PT_NOTE segment of the unchanged image: bits 16..23 pick it, bits 0..15 the byte,
 *      modulo its size;
 *   3  anywhere in the image: offset modulo its size.
 * The loader copies each header once (copy_once() in vmm/loader.c) and uses only the copies;
 * this mode shows it never reads outside the file, whatever the bytes do meanwhile. Invariants
 * relaxed in this mode only, because the image legitimately differs from call to call: that
 * gmm_elf_parse() accepts only what gmm_elf_read_notes() accepted, with the same page-state version,
 * and that the loaded bytes equal the file's. All the others still hold, since they are about
 * the checked copies: each accepted image's segments lie inside the file and inside RAM, and
 * gmm_elf_load() succeeds and zeroes the rest of memsz. A race is not deterministic: a crash input
 * replays the same stores, but whether a read meets one depends on the scheduler; run it
 * several times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmm/boot.h>
#include <gmm/guest_mem.h>
#include <gmm/loader.h>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_mutator.h"

#define MiB	      (1ull << 20)
#define LOAD_MAX_SPAN (8 * MiB)

static const uint64_t ram_sizes[] = { 2 * MiB, 128 * MiB, 5120 * MiB };
#define NR_RAMS (sizeof(ram_sizes) / sizeof(ram_sizes[0]))

enum mutator_region {
	REGION_EHDR,
	REGION_PHDRS,
	REGION_NOTES,
	REGION_ANY,
	NR_REGIONS,
};

#define MAX_NOTE_SEGMENTS 16

static struct gmm_mem rams[NR_RAMS];
static struct gmm_elf_rules rules;
/* mutator mode: the image as it was, before the thread changes it */
static bool mutator_mode;
static struct fuzz_mutator mutator;
static uint8_t *image;
static size_t image_size;
static uint64_t phdrs_at, phdrs_len;
static uint64_t notes_at[MAX_NOTE_SEGMENTS], notes_len[MAX_NOTE_SEGMENTS];
static unsigned int nr_notes;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned int i;

	(void)argc;
	(void)argv;
	mutator_mode = fuzz_mutator_enabled();
	for (i = 0; i < NR_RAMS; i++)
		if (gmm_mem_create(&rams[i], ram_sizes[i], GMM_MEM_BACKING_SHMEM)) {
			fprintf(stderr, "loader_fuzz: cannot create %llu bytes of guest RAM\n",
				(unsigned long long)ram_sizes[i]);
			abort();
		}
	gmm_boot_elf_rules(&rules);
	return 0;
}

static void check_image(const struct gmm_elf_image *img, size_t size, const struct gmm_mem *gm)
{
	unsigned int i;

	FUZZ_CHECK(img->nr_segments >= 1 && img->nr_segments <= GMM_ELF_MAX_LOADS);
	for (i = 0; i < img->nr_segments; i++) {
		const struct gmm_elf_segment *s = &img->segments[i];

		FUZZ_CHECK(s->filesz <= s->memsz);
		FUZZ_CHECK(s->offset <= size && s->filesz <= size - s->offset);
		FUZZ_CHECK(s->paddr >= rules.min_paddr);
		FUZZ_CHECK(s->memsz == 0 || gmm_mem_region_of(gm, s->paddr, s->memsz) != NULL);
		FUZZ_CHECK(s->paddr >= img->phys_start && s->paddr + s->memsz <= img->phys_end);
	}
}

/*
 * gmm_elf_load() into @gm, compare RAM with the file (not in mutator mode: the file changed
 * meanwhile), then give the pages back to the memfd.
 */
static void load_and_compare(const uint8_t *data, const struct gmm_elf_image *img,
			     const struct gmm_mem *gm)
{
	uint64_t start = img->phys_start & ~0xfffull, end = (img->phys_end + 0xfff) & ~0xfffull;
	unsigned int i;

	FUZZ_CHECK(gmm_elf_load(data, img, gm) == 0);
	for (i = 0; i < img->nr_segments; i++) {
		const struct gmm_elf_segment *s = &img->segments[i];
		const uint8_t *ram = s->memsz ? gmm_mem_ptr(gm, s->paddr, s->memsz) : NULL;
		uint64_t j;

		if (!ram)
			continue;
		FUZZ_CHECK(mutator_mode || memcmp(ram, data + s->offset, s->filesz) == 0);
		for (j = s->filesz; j < s->memsz; j++)
			FUZZ_CHECK(ram[j] == 0);
	}
	FUZZ_CHECK(fallocate(gm->memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)start,
			     (off_t)(end - start)) == 0);
}

/* Where the unchanged image's program headers and note segments are, for resolve(). */
static void find_regions(void)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned int i;

	phdrs_len = 0;
	nr_notes = 0;
	if (image_size < sizeof(eh))
		return;
	memcpy(&eh, image, sizeof(eh));
	phdrs_at = eh.e_phoff;
	if (phdrs_at >= image_size)
		return;
	phdrs_len = (uint64_t)eh.e_phnum * sizeof(ph);
	if (phdrs_len > image_size - phdrs_at)
		phdrs_len = image_size - phdrs_at;
	for (i = 0; i < phdrs_len / sizeof(ph) && nr_notes < MAX_NOTE_SEGMENTS; i++) {
		memcpy(&ph, image + phdrs_at + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_NOTE || ph.p_offset >= image_size || !ph.p_filesz)
			continue;
		notes_at[nr_notes] = ph.p_offset;
		notes_len[nr_notes++] = ph.p_filesz;
	}
}

/* fuzz_mutator_resolve_fn: the regions of the head comment, inside the image only */
static void *resolve(void *ctx, unsigned int region, uint32_t offset, unsigned int width)
{
	uint64_t at, k;

	(void)ctx;
	switch (region % NR_REGIONS) {
	case REGION_EHDR:
		at = offset % (image_size < sizeof(Elf64_Ehdr) ? image_size : sizeof(Elf64_Ehdr));
		break;
	case REGION_PHDRS:
		if (!phdrs_len)
			return NULL;
		at = phdrs_at + offset % phdrs_len;
		break;
	case REGION_NOTES:
		if (!nr_notes)
			return NULL;
		k = (offset >> 16) % nr_notes;
		at = notes_at[k] + (offset & 0xffff) % notes_len[k];
		break;
	default:
		at = offset % image_size;
		break;
	}
	at &= ~(uint64_t)(width - 1);
	if (at >= image_size || width > image_size - at)
		return NULL;
	return image + at;
}

/* Mutator mode: @data copied to an exactly sized buffer, the thread started on it. */
static const uint8_t *start_mutator(const uint8_t *data, size_t *size)
{
	unsigned int nr_ops;
	const uint8_t *script = fuzz_mutator_split(data, size, &nr_ops);

	image_size = *size;
	image = malloc(image_size ? image_size : 1);
	FUZZ_CHECK(image != NULL);
	memcpy(image, data, image_size);
	if (nr_ops && image_size) {
		find_regions();
		fuzz_mutator_decode(&mutator, script, nr_ops, resolve, NULL);
		fuzz_mutator_start(&mutator);
	}
	return image;
}

static void stop_mutator(void)
{
	fuzz_mutator_stop(&mutator);
	free(image);
	image = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gmm_elf_image notes, img;
	const struct gmm_mem *accepted = NULL;
	char err[256];
	int notes_ret, ret;
	unsigned int i;

	if (mutator_mode)
		data = start_mutator(data, &size);
	err[0] = 0;
	notes_ret = gmm_elf_read_notes(data, size, &notes, err, sizeof(err));
	FUZZ_CHECK(notes_ret == 0 || (notes_ret == -ENOEXEC && err[0]));
	for (i = 0; i < NR_RAMS; i++) {
		err[0] = 0;
		ret = gmm_elf_parse(data, size, &rams[i], &rules, &img, err, sizeof(err));
		if (ret) {
			FUZZ_CHECK(ret == -ENOEXEC && err[0]);
			continue;
		}
		/* a changing image may be accepted now and refused before, or the reverse */
		FUZZ_CHECK(mutator_mode || notes_ret == 0);
		FUZZ_CHECK(mutator_mode || img.page_state_version == notes.page_state_version);
		check_image(&img, size, &rams[i]);
		if (!accepted && img.phys_end - img.phys_start <= LOAD_MAX_SPAN) {
			accepted = &rams[i];
			load_and_compare(data, &img, accepted);
		}
	}
	if (mutator_mode)
		stop_mutator();
	return 0;
}
