/* SPDX-License-Identifier: MIT */
/*
 * include/linux/mm_types.h - struct page and the basic types of the memory manager.
 *
 * struct page is defined by the host<->guest contract (include/abi/page_state.h) because the
 * VMM reads the page-frame array of a running guest.
 */
#ifndef GMM_LINUX_MM_TYPES_H
#define GMM_LINUX_MM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <abi/page_state.h>

#endif /* GMM_LINUX_MM_TYPES_H */
