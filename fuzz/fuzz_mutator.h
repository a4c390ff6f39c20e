/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_mutator.h - the concurrent mutator of the fuzz targets' mutator mode: a second
 * thread, standing in for another vCPU (or for whoever rewrites a kernel image while gmm reads
 * it), that keeps storing input-chosen values into memory the code under test reads.
 *
 * The mode is on when the environment variable GMM_FUZZ_MUTATOR is set to 1 when the target
 * starts (fuzz_mutator_enabled(), read once in LLVMFuzzerInitialize()). In that mode the input
 * ends with a script, which the target takes off before it decodes the rest as usual:
 *
 *   ... the target's own input ...  [N ops of FUZZ_MUTATOR_OP bytes]  [count byte C]
 *
 * N = C % (FUZZ_MUTATOR_MAX_OPS + 1), fewer if the input is shorter (N = 0: no stores). One op:
 *
 *   byte 0       bits 0..1: store width 1, 2, 4 or 8 bytes; bit 2: store ~value;
 *                bits 3..7: the target's region number (the target takes it modulo its count)
 *   bytes 1..3   offset in that region, little-endian (the target scales and bounds it)
 *   bytes 4..7   value, little-endian, zero-extended to the width (or inverted, bit 2)
 *
 * The target resolves each op to a host address (fuzz_mutator_resolve_fn) before the thread
 * starts, so the thread does nothing but loop over the ops storing their values, with relaxed
 * atomic stores (__atomic_store_n): the fuzzer itself has no undefined behaviour, while the
 * code under test reads that memory with plain loads, as the VMM reads a running guest's RAM.
 * The thread stores from fuzz_mutator_start() to fuzz_mutator_stop() only, one input at a
 * time, and is parked in between, so it never runs while the target resets its state between
 * inputs.
 *
 * A race is not deterministic: the script comes from the input, so a crash input replays the
 * same stores, but which read sees which value depends on the scheduler. Run a crash input
 * several times (docs/fuzzing.md).
 */
#ifndef GMM_FUZZ_FUZZ_MUTATOR_H
#define GMM_FUZZ_FUZZ_MUTATOR_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FUZZ_MUTATOR_OP	     8u
#define FUZZ_MUTATOR_MAX_OPS 32u

/* one decoded op: what the thread stores, and where */
struct fuzz_mutator_store {
	void *at; /* aligned to width */
	uint64_t value;
	unsigned int width;
};

struct fuzz_mutator {
	struct fuzz_mutator_store stores[FUZZ_MUTATOR_MAX_OPS];
	unsigned int nr_stores;
	bool started; /* between fuzz_mutator_start() and fuzz_mutator_stop() */
	bool created; /* the thread exists (parked or storing) */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, parked_cv;
	uint64_t round;	 /* inputs started (under lock) */
	uint64_t parked; /* the last round the thread finished (under lock) */
	int running;	 /* the thread has begun storing this round (atomic) */
	int stop;	 /* fuzz_mutator_stop() asks the thread to park (atomic) */
};

/*
 * Host address of @width bytes at @offset in region @region of the target (the target reduces
 * both to what exists), aligned down to @width; NULL drops the op.
 */
typedef void *(*fuzz_mutator_resolve_fn)(void *ctx, unsigned int region, uint32_t offset,
					 unsigned int width);

/** fuzz_mutator_enabled - whether GMM_FUZZ_MUTATOR=1 is set (read it once, at start-up) */
bool fuzz_mutator_enabled(void);

/**
 * fuzz_mutator_split - take the script off the end of an input
 * @data: the input
 * @size: its length; on return, the length without the script and its count byte
 * @nr_ops: on return, the number of ops in the script
 *
 * Return: the script's first op (*@size bytes after @data).
 */
const uint8_t *fuzz_mutator_split(const uint8_t *data, size_t *size, unsigned int *nr_ops);

/**
 * fuzz_mutator_decode - resolve the ops of a script into @m's stores
 * @m: the mutator (not running)
 * @script: what fuzz_mutator_split() returned
 * @nr_ops: its number of ops
 * @resolve: the target's regions
 * @ctx: for @resolve
 */
void fuzz_mutator_decode(struct fuzz_mutator *m, const uint8_t *script, unsigned int nr_ops,
			 fuzz_mutator_resolve_fn resolve, void *ctx);

/** fuzz_mutator_start - wake (or create) the thread if @m has stores; returns once it stores */
void fuzz_mutator_start(struct fuzz_mutator *m);

/** fuzz_mutator_stop - park the thread, if storing; returns once it stopped storing */
void fuzz_mutator_stop(struct fuzz_mutator *m);

#endif /* GMM_FUZZ_FUZZ_MUTATOR_H */
