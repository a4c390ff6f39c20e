/* SPDX-License-Identifier: MIT */
/*
 * guests/tests/guest_pgtable.h - walk the page tables the CPU is using right now (CR3) with
 * the one walker of mm/pgtable.c, reaching table pages through the direct map.
 */
#ifndef GMM_GUESTS_TESTS_GUEST_PGTABLE_H
#define GMM_GUESTS_TESTS_GUEST_PGTABLE_H

#include <stdint.h>

struct pgt_walk;

/* Walk @va through the live tables. Return: 0, or the pgt_walk() error. */
int guest_walk(uint64_t va, struct pgt_walk *w);

/* Translate @va through the live tables. Return: 0, or the pgt_walk() error. */
int guest_translate(uint64_t va, uint64_t *pa);

#endif /* GMM_GUESTS_TESTS_GUEST_PGTABLE_H */
