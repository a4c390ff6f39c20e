/* SPDX-License-Identifier: MIT */
/*
 * tests/e2e/guests/hello.S - the minimal guest: check the boot info, greet, echo the command
 * line, exit 0. vCPUs other than 0 halt. The 32-bit PVH entry (QEMU) greets and exits 0 too.
 *
 * Under gmm it prints through gmm's console port when the boot info lists one (a VM exit per
 * message), else on COM1 (a VM exit per byte; gmm --no-console-port, or a bad boot info).
 *
 * Built twice: hello.elf has no GMM page-state note (gmm builds no page state for it, and
 * bootinfo.page_state_phys must be 0, which it checks); hello_page_state.elf
 * (-DWANTS_PAGE_STATE) carries the note, so gmm builds the page state and the guest checks
 * that bootinfo.page_state_phys is set.
 */
#include "guest.h"

	.text
	.code64
	.globl _start
_start:
	test %rsi, %rsi
	jnz park
	mov %rdi, %rbx			/* struct bootinfo */
	movabs $BI_MAGIC, %rax
	cmp %rax, (%rbx)
	jne bad_bootinfo
	cmpl $1, BI_VERSION(%rbx)
	jne bad_bootinfo
	FIND_CONSOLE_PORT %rbx
	CONSOLE_PUTS64 hello, hello_len
#ifdef WANTS_PAGE_STATE
	cmpq $0, BI_PAGE_STATE_PHYS(%rbx)
	je bad_bootinfo
#else
	cmpq $0, BI_PAGE_STATE_PHYS(%rbx)
	jne bad_bootinfo
#endif
	CONSOLE_PUTS64 bi_ok, bi_ok_len
	lea BI_CMDLINE(%rbx), %rsi	/* echo "cmdline: <cmdline>\n" */
	push %rsi			/* the boot stack works */
	CONSOLE_PUTS64 cmd, cmd_len
	pop %rsi
	mov BI_CMDLINE_LEN(%rbx), %ecx
	CONSOLE_WRITE64
	CONSOLE_PUTS64 newline, 1
	EXIT 0
	jmp park
bad_bootinfo:
	PUTS64 bi_bad, bi_bad_len
	EXIT 3
park:
	cli
	hlt
	jmp park

	.code32
pvh_start:
	mov $hello, %esi
	mov $hello_len, %ecx
	mov $COM1, %dx
	rep outsb
	xor %eax, %eax
	mov $EXIT_PORT, %dx
	outl %eax, %dx
1:	hlt
	jmp 1b

	PVH_NOTE pvh_start
#ifdef WANTS_PAGE_STATE
	GMM_PAGE_STATE_NOTE
#endif

	.section .rodata
hello:	.ascii "hello from the gmm test guest\n"
	hello_len = . - hello
bi_ok:	.ascii "bootinfo v1 ok\n"
	bi_ok_len = . - bi_ok
bi_bad:	.ascii "bad bootinfo\n"
	bi_bad_len = . - bi_bad
cmd:	.ascii "cmdline: "
	cmd_len = . - cmd
newline: .ascii "\n"
