// SPDX-License-Identifier: MIT
/*
 * fuzz/fuzz_mutator.c - the concurrent mutator thread of the fuzz targets' mutator mode (the
 * script format and the rules are in fuzz/fuzz_mutator.h).
 *
 * Structure: a fixed array of resolved stores (host address, width, value) filled by
 * fuzz_mutator_decode() while the thread is parked; the thread only reads it. The thread is
 * created by the first fuzz_mutator_start() and lives as long as the process, parked between
 * inputs (creating an ASan-instrumented thread per input cost ten times the input's own work).
 * Hand-over under `lock`: fuzz_mutator_start() bumps `round` and signals `wake`; the thread
 * leaves its wait, sets `running` (an atomic flag, so fuzz_mutator_start() returns only once
 * the race is on and a short input still races), stores until `stop` (atomic) is set, makes at
 * least one full pass, then sets `parked` = `round` and signals `parked_cv`;
 * fuzz_mutator_stop() waits for that. The mutex orders everything the thread did before
 * whatever the target does next (its reset between inputs), and the stores the target decodes
 * for the next input before the thread reads them.
 */
#include "fuzz/fuzz_mutator.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_check.h"

bool fuzz_mutator_enabled(void)
{
	const char *v = getenv("GMM_FUZZ_MUTATOR");

	return v && !strcmp(v, "1");
}

const uint8_t *fuzz_mutator_split(const uint8_t *data, size_t *size, unsigned int *nr_ops)
{
	size_t n;

	*nr_ops = 0;
	if (*size == 0)
		return data;
	n = data[*size - 1] % (FUZZ_MUTATOR_MAX_OPS + 1);
	if (n > (*size - 1) / FUZZ_MUTATOR_OP)
		n = (*size - 1) / FUZZ_MUTATOR_OP;
	*nr_ops = (unsigned int)n;
	*size -= 1 + n * FUZZ_MUTATOR_OP;
	return data + *size;
}

void fuzz_mutator_decode(struct fuzz_mutator *m, const uint8_t *script, unsigned int nr_ops,
			 fuzz_mutator_resolve_fn resolve, void *ctx)
{
	unsigned int i;

	FUZZ_CHECK(!m->started);
	m->nr_stores = 0;
	for (i = 0; i < nr_ops; i++, script += FUZZ_MUTATOR_OP) {
		unsigned int width = 1u << (script[0] & 3);
		uint32_t offset = script[1] | script[2] << 8 | (uint32_t)script[3] << 16;
		uint64_t value =
			script[4] | script[5] << 8 | script[6] << 16 | (uint64_t)script[7] << 24;
		void *at = resolve(ctx, script[0] >> 3, offset, width);

		if (!at)
			continue;
		FUZZ_CHECK(((uintptr_t)at & (width - 1)) == 0);
		if (script[0] & 4)
			value = ~value;
		m->stores[m->nr_stores++] = (struct fuzz_mutator_store){ at, value, width };
	}
}

static void store(const struct fuzz_mutator_store *s)
{
	switch (s->width) {
	case 1:
		__atomic_store_n((uint8_t *)s->at, (uint8_t)s->value, __ATOMIC_RELAXED);
		break;
	case 2:
		__atomic_store_n((uint16_t *)s->at, (uint16_t)s->value, __ATOMIC_RELAXED);
		break;
	case 4:
		__atomic_store_n((uint32_t *)s->at, (uint32_t)s->value, __ATOMIC_RELAXED);
		break;
	default:
		__atomic_store_n((uint64_t *)s->at, s->value, __ATOMIC_RELAXED);
		break;
	}
}

static void *run(void *arg)
{
	struct fuzz_mutator *m = arg;
	uint64_t seen = 0;
	unsigned int i;

	for (;;) {
		pthread_mutex_lock(&m->lock);
		while (m->round == seen)
			pthread_cond_wait(&m->wake, &m->lock);
		seen = m->round;
		pthread_mutex_unlock(&m->lock);

		__atomic_store_n(&m->running, 1, __ATOMIC_RELEASE);
		do {
			for (i = 0; i < m->nr_stores; i++)
				store(&m->stores[i]);
		} while (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE));

		pthread_mutex_lock(&m->lock);
		m->parked = seen;
		pthread_cond_signal(&m->parked_cv);
		pthread_mutex_unlock(&m->lock);
	}
	return NULL;
}

void fuzz_mutator_start(struct fuzz_mutator *m)
{
	FUZZ_CHECK(!m->started);
	if (!m->nr_stores)
		return;
	if (!m->created) {
		FUZZ_CHECK(pthread_mutex_init(&m->lock, NULL) == 0);
		FUZZ_CHECK(pthread_cond_init(&m->wake, NULL) == 0);
		FUZZ_CHECK(pthread_cond_init(&m->parked_cv, NULL) == 0);
		FUZZ_CHECK(pthread_create(&m->thread, NULL, run, m) == 0);
		m->created = true;
	}
	__atomic_store_n(&m->running, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&m->stop, 0, __ATOMIC_RELAXED);
	pthread_mutex_lock(&m->lock);
	m->round++;
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
	m->started = true;
	while (!__atomic_load_n(&m->running, __ATOMIC_ACQUIRE))
		sched_yield();
}

void fuzz_mutator_stop(struct fuzz_mutator *m)
{
	if (!m->started)
		return;
	__atomic_store_n(&m->stop, 1, __ATOMIC_RELEASE);
	pthread_mutex_lock(&m->lock);
	while (m->parked != m->round)
		pthread_cond_wait(&m->parked_cv, &m->lock);
	pthread_mutex_unlock(&m->lock);
	m->started = false;
}
