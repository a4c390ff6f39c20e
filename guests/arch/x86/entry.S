/* SPDX-License-Identifier: MIT */
/*
 * guests/arch/x86/entry.S - the 256 interrupt entry stubs and their common path.
 *
 * Each stub pushes an error code (0 where the CPU pushes none) and its vector, then jumps to
 * isr_common, which saves every general register so the stack holds a struct pt_regs
 * (guests/arch/x86/traps.h), calls x86_handle_trap(regs) and returns with iretq.
 * Vectors with a CPU error code: 8, 10-14, 17, 21, 29, 30.
 */
	.altmacro
	.text

	.macro make_isr n
	.align	16
isr_\n:
	.if (\n == 8) || (\n == 10) || (\n == 11) || (\n == 12) || (\n == 13) || (\n == 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	pushq	$0
	.endif
	pushq	$\n
	jmp	isr_common
	.endm

	.set	vec, 0
	.rept	256
	make_isr %vec
	.set	vec, vec + 1
	.endr

isr_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	cld
	call	x86_handle_trap
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp	/* vector and error code */
	iretq

	.macro isr_addr n
	.quad	isr_\n
	.endm

	.section .rodata
	.align	8
	.globl isr_table
isr_table:
	.set	vec, 0
	.rept	256
	isr_addr %vec
	.set	vec, vec + 1
	.endr
