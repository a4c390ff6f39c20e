/* SPDX-License-Identifier: MIT */
/*
 * mm/mm_internal.h - helpers shared by the files of the mm core: assertions, string functions
 * the compiler provides, formatting, and the spin word both the guest and the VMM can take.
 */
#ifndef GMM_MM_INTERNAL_H
#define GMM_MM_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/platform.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* A broken invariant of the core: the state can no longer be trusted. */
#define MM_BUG_ON(cond)                                                                     \
	do {                                                                                \
		if (unlikely(cond))                                                         \
			platform_panic("BUG: %s:%d: %s", __FILE__, __LINE__, #cond);        \
	} while (0)

/*
 * For consistency checkers of the form bool f(..., char *err, size_t errlen): when @cond is
 * false, describe it in err and return false.
 */
#define MM_CHECK(cond, ...)                                                                 \
	do {                                                                                \
		if (!(cond)) {                                                              \
			mm_snprintf(err, errlen, __VA_ARGS__);                              \
			return false;                                                       \
		}                                                                           \
	} while (0)

/*
 * One real load of @x, as Linux's READ_ONCE: the compiler may neither repeat nor tear it into
 * several loads. Readers of memory that another side changes meanwhile (the VMM reading a
 * running guest's page state) copy each entry with it once and use only the copy. Works on
 * structs too: the copy is one volatile access per member.
 */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))

#define mm_memset(d, c, n) __builtin_memset((d), (c), (n))
#define mm_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))

/* snprintf over the platform's formatter; returns what was written, never more than size-1. */
static inline size_t mm_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline size_t mm_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (size == 0)
		return 0;
	va_start(ap, fmt);
	n = platform_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* A spin word in shared memory: 0 free, 1 held (the zone lock of include/abi/page_state.h). */
static inline void mm_spin_lock(uint32_t *word)
{
	while (__atomic_exchange_n(word, 1u, __ATOMIC_ACQUIRE) != 0) {
		while (__atomic_load_n(word, __ATOMIC_RELAXED) != 0)
			__builtin_ia32_pause();
	}
}

static inline bool mm_spin_trylock(uint32_t *word)
{
	return __atomic_exchange_n(word, 1u, __ATOMIC_ACQUIRE) == 0;
}

static inline void mm_spin_unlock(uint32_t *word)
{
	__atomic_store_n(word, 0u, __ATOMIC_RELEASE);
}

#endif /* GMM_MM_INTERNAL_H */
