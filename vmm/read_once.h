/* SPDX-License-Identifier: MIT */
/*
 * vmm/read_once.h - the one way libgmm reads bytes that someone else may change meanwhile.
 *
 * The read-once rule (docs/threat-model.md): copy, validate the copy, use only the copy. A
 * plain memcpy() into a local is not enough on its own: with no store in between, the compiler
 * may drop the copy and read the source again where the local is used. The barrier after the
 * copy forbids that. gmm_mem_read() (guest RAM) and the ELF loader (an image file that may
 * change on disk) both copy through here.
 */
#ifndef GMM_VMM_READ_ONCE_H
#define GMM_VMM_READ_ONCE_H

#include <stddef.h>
#include <string.h>

static inline void copy_once(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
	__asm__ __volatile__("" ::: "memory");
}

#endif /* GMM_VMM_READ_ONCE_H */
