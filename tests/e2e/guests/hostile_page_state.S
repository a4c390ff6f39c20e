/* SPDX-License-Identifier: MIT */
/*
 * tests/e2e/guests/hostile_page_state.S - a guest that attacks gmm's readers of its page state
 * (issue 21's crash, as a regression test). Run with --cpus 2 --dma-strict.
 *
 * vCPU 1 keeps rewriting the page-state header in guest RAM: max_pfn flips between 1 and its
 * real value while mem_map_phys names the last struct page below the legacy hole, so a reader
 * that checks max_pfn once and uses it again walks off the end of a RAM region; the DMA
 * zone's name gets an escape sequence and a 0xff byte, which no VMM message may carry to the
 * terminal. vCPU 0 waits until vCPU 1 is at it, then maps the PCI window, turns on bus
 * mastering of the DMA device (00:01.0) and starts ROUNDS scatter-gather reads of a page of
 * RAM. Each must end in an error strict mode can give (or none, before the first rewrite
 * lands); anything else, or gmm dying, fails. gmm must refuse them (fail closed) and survive.
 * The race is narrow here (each guest instruction is emulated, ~2.5 us): gmm before the fix
 * died in about one run in four of 20,000 rounds; tests/vmm/hostile_guest_test.cc, with a
 * host thread flipping at native speed, catches it every time.
 */
#include "guest.h"

#define ROUNDS 20000
#define PS_MAX_PFN 16		/* offsetof(struct page_state, max_pfn) */
#define PS_MEM_MAP_PHYS 24	/* offsetof(struct page_state, mem_map_phys) */
#define PS_ZONE0_NAME 64	/* offsetof(struct page_state, zones[0].name) */
#define PCI_CFG_ADDR 0xcf8
#define PCI_CFG_DATA 0xcfc
#define DMA_CFG(reg) (0x80000000 | (0x08 << 8) | (reg))	/* 00:01.0 */
#define REG_SG_SRC_TABLE 0xa8
#define REG_SG_SRC_COUNT 0xb0
#define REG_SG_CMD 0xb4
#define REG_ERROR 0xc4
#define SG_READ_START ((4 << 4) | 1)	/* DMA_SG_OP_READ << DMA_SG_OP_SHIFT | DMA_SG_START */

	.text
	.code64
	.globl _start
_start:
	mov BI_PAGE_STATE_PHYS(%rdi), %rbx
	test %rsi, %rsi
	jnz attacker

	/* vCPU 0: wait for the attacker, then DMA */
1:	pause
	cmpl $0, attacking(%rip)
	je 1b
	/* map [3 GiB, 3 GiB + 2 MiB) (the start of the PCI window) 1:1 with a 2 MiB page */
	movabs $0x000ffffffffff000, %rdx	/* a table entry's address bits */
	mov %cr3, %rax
	and %rdx, %rax
	mov (%rax), %rax		/* PML4[0] -> the identity map's PDPT */
	and %rdx, %rax
	lea pd(%rip), %rcx
	mov $0xc0000083, %edx		/* present, writable, 2 MiB page at 3 GiB */
	mov %rdx, (%rcx)
	or $3, %rcx
	mov %rcx, 24(%rax)		/* PDPT[3] */
	mov %cr3, %rax
	mov %rax, %cr3
	/* BAR0 and bus mastering of 00:01.0 */
	mov $PCI_CFG_ADDR, %dx
	mov $DMA_CFG(0x10), %eax
	outl %eax, %dx
	mov $PCI_CFG_DATA, %dx
	inl %dx, %eax
	and $~0xf, %eax
	mov %rax, %r12			/* BAR0 */
	mov $PCI_CFG_ADDR, %dx
	mov $DMA_CFG(0x04), %eax
	outl %eax, %dx
	mov $PCI_CFG_DATA, %dx
	mov $0x6, %eax			/* memory space and bus master */
	outl %eax, %dx

	mov $ROUNDS, %r13d
2:	lea table(%rip), %rax
	mov %rax, REG_SG_SRC_TABLE(%r12)
	movl $1, REG_SG_SRC_COUNT(%r12)
	movl $SG_READ_START, REG_SG_CMD(%r12)
	mov REG_ERROR(%r12), %eax
	cmp $0, %eax			/* DMA_ERR_NONE: before the first rewrite */
	je 3f
	cmp $3, %eax			/* DMA_ERR_CROSSES */
	je 3f
	cmp $8, %eax			/* DMA_ERR_FREE */
	je 3f
	cmp $9, %eax			/* DMA_ERR_PAGE_STATE */
	jne bad
3:	dec %r13d
	jnz 2b
	VERDICT "gmm survived the page-state attack\n", "the DMA device gave an unexpected error\n"

	/* vCPU 1: rewrite the header for as long as the run lasts */
attacker:
	mov PS_MAX_PFN(%rbx), %r8	/* the real max_pfn */
	movq $0x9ffe0, PS_MEM_MAP_PHYS(%rbx)	/* the last struct page below the legacy hole */
	movabsq $0xff6d31335b1b, %rax	/* "\e[31m\xff" */
	mov %rax, PS_ZONE0_NAME(%rbx)
	movl $1, attacking(%rip)
4:	movq $1, PS_MAX_PFN(%rbx)
	mov %r8, PS_MAX_PFN(%rbx)
	jmp 4b

	.data
	.balign 16
table:	.quad 0x200000, 0x1000		/* one descriptor: a page of RAM */
attacking: .long 0

	.bss
	.balign 4096
pd:	.skip 4096

	GMM_PAGE_STATE_NOTE
