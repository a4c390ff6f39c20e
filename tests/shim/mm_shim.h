/* SPDX-License-Identifier: MIT */
/*
 * tests/shim/mm_shim.h - how GoogleTest (C++) reaches the mm core (C).
 *
 * C++ tests include this header and nothing from mm/ or include/ directly. It pulls the C
 * headers in with C linkage and adds what tests need beyond the Linux API: a fresh hosted
 * memory per test, log capture, the full state check, and names without double underscores
 * (C++ reserves those) for the Linux functions that have them.
 */
#ifndef GMM_TESTS_SHIM_MM_SHIM_H
#define GMM_TESTS_SHIM_MM_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "mm/host/platform_host.h"
#include "mm/page_alloc.h"

/* Linux API names with double underscores, under names C++ may use */
struct page *shim_alloc_pages(gfp_t gfp, unsigned int order);
void shim_free_pages_page(struct page *page, unsigned int order); /* __free_pages */
unsigned long shim_get_free_pages(gfp_t gfp, unsigned int order); /* __get_free_pages */

/**
 * shim_state_ok - page_state_check() on the attached state
 * @err: receives the broken invariant
 * @errlen: its size
 */
bool shim_state_ok(char *err, size_t errlen);

/** shim_buddyinfo - buddyinfo of the attached state into a static buffer */
const char *shim_buddyinfo(void);

/** shim_free_blocks - nr_free of one zone and order in the attached state */
uint64_t shim_free_blocks(enum zone_type zone, unsigned int order);

#ifdef __cplusplus
}
#endif

#endif /* GMM_TESTS_SHIM_MM_SHIM_H */
