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
#define BI_NR_DEVICES 24
#define BI_DEVICES 480
#define BI_DEVICE_SIZE 32
#define BI_DEVICE_BASE 8
#define BI_CMDLINE 992
#define BI_DEV_CONSOLE_PORT 4
#define CONSOLE_PORT_DESC_SIZE 16

#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* include/abi/elf_note.h and page_state.h, which are C */
#define GMM_NOTE_NAMESZ 4
#define GMM_NOTE_PAGE_STATE 1
#define GMM_NOTE_PAGE_STATE_VERSION 1

#ifdef __ASSEMBLER__

/* print \len bytes at \msg (a label) on COM1, 64-bit: one VM exit per byte */
.macro PUTS64 msg, len
	lea \msg(%rip), %rsi
	mov $\len, %ecx
	mov $COM1, %dx
	rep outsb
.endm

/*
 * %r12 = the port of gmm's console port (include/abi/console_port.h) from the boot info at
 * \bi (a register), or 0 when the boot info lists none. Clobbers %rax, %rcx.
 */
.macro FIND_CONSOLE_PORT bi
	xor %r12d, %r12d
	mov BI_NR_DEVICES(\bi), %ecx
	lea BI_DEVICES(\bi), %rax
.Lscan\@:
	test %ecx, %ecx
	jz .Lfound\@
	cmpl $BI_DEV_CONSOLE_PORT, (%rax)
	jne .Lnext\@
	mov BI_DEVICE_BASE(%rax), %r12
	jmp .Lfound\@
.Lnext\@:
	add $BI_DEVICE_SIZE, %rax
	dec %ecx
	jmp .Lscan\@
.Lfound\@:
.endm

/*
 * write %ecx bytes at %rsi (identity-mapped, so also their physical address): through the
 * console port in %r12 (one VM exit; the descriptor goes on the identity-mapped boot stack),
 * or on COM1 when %r12 is 0. Clobbers %rax, %rcx, %rdx, %rsi.
 */
.macro CONSOLE_WRITE64
	test %r12, %r12
	jz .Luart\@
	sub $CONSOLE_PORT_DESC_SIZE, %rsp
	mov %rsi, (%rsp)
	mov %ecx, 8(%rsp)
	movl $0, 12(%rsp)
	mov %esp, %eax
	mov %r12d, %edx
	outl %eax, %dx
	add $CONSOLE_PORT_DESC_SIZE, %rsp
	jmp .Ldone\@
.Luart\@:
	mov $COM1, %dx
	rep outsb
.Ldone\@:
.endm

/* print \len bytes at \msg (a label) as CONSOLE_WRITE64 does */
.macro CONSOLE_PUTS64 msg, len
	lea \msg(%rip), %rsi
	mov $\len, %ecx
	CONSOLE_WRITE64
.endm

/* outl(\code, 0xf4) */
.macro EXIT code
	mov $\code, %eax
	mov $EXIT_PORT, %dx
	outl %eax, %dx
.endm

/*
 * the end of a guest that checks something: print \pass on COM1 and exit 0; the label `bad`
 * (a jump target for the checks) prints \fail and exits 1. The strings go to .rodata.
 */
.macro VERDICT pass, fail
	PUTS64 .Lpass\@, (.Lpass_end\@ - .Lpass\@)
	EXIT 0
bad:
	PUTS64 .Lfail\@, (.Lfail_end\@ - .Lfail\@)
	EXIT 1
	.pushsection .rodata
.Lpass\@: .ascii "\pass"
.Lpass_end\@:
.Lfail\@: .ascii "\fail"
.Lfail_end\@:
	.popsection
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
