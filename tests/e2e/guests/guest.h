/* SPDX-License-Identifier: MIT */
/*
 * tests/e2e/guests/guest.h - macros for the tiny assembly guests of the end-to-end tests.
 *
 * The guests are entered by gmm in 64-bit long mode (include/abi/bootinfo.h: %rdi = boot info,
 * %rsi = vCPU index, %rsp = a boot stack). Only the hello guest also has a PVH entry (32-bit
 * protected mode, paging off) so QEMU -machine microvm can boot the very same file.
 */
#define COM1 0x3f8
#define EXIT_PORT 0xf4

#define BI_MAGIC 0x4f464e49544f4f42
/* offsets in struct bootinfo; tests/shim/headers_test.cc checks these and the note below */
#define BI_VERSION 8
#define BI_NR_CPUS 16
#define BI_CMDLINE_LEN 28
#define BI_PAGE_STATE_PHYS 32
#define BI_CMDLINE 992

#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* include/abi/elf_note.h and page_state.h, which are C */
#define GMM_NOTE_NAMESZ 4
#define GMM_NOTE_PAGE_STATE 1
#define GMM_NOTE_PAGE_STATE_VERSION 1

#ifdef __ASSEMBLER__

/* print \len bytes at \msg (a label) on COM1, 64-bit: one string I/O exit */
.macro PUTS64 msg, len
	lea \msg(%rip), %rsi
	mov $\len, %ecx
	mov $COM1, %dx
	rep outsb
.endm

/* outl(\code, 0xf4) */
.macro EXIT code
	mov $\code, %eax
	mov $EXIT_PORT, %dx
	outl %eax, %dx
.endm

/* the PVH note QEMU looks for: name "Xen", type 18, a 32-bit physical entry */
.macro PVH_NOTE entry32
	.pushsection .note.pvh, "a", @note
	.balign 4
	.long 4
	.long 4
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.long \entry32
	.balign 4
	.popsection
.endm

/*
 * the GMM page-state note (include/abi/elf_note.h): gmm builds the buddy page state over guest
 * RAM only for an image that carries it (--buddyinfo and --watch-buddyinfo read that state)
 */
.macro GMM_PAGE_STATE_NOTE
	.pushsection .note.gmm, "a", @note
	.balign 4
	.long GMM_NOTE_NAMESZ
	.long 4
	.long GMM_NOTE_PAGE_STATE
	.asciz "GMM"
	.balign 4
	.long GMM_NOTE_PAGE_STATE_VERSION
	.balign 4
	.popsection
.endm

#endif /* __ASSEMBLER__ */
