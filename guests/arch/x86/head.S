/* SPDX-License-Identifier: MIT */
/*
 * guests/arch/x86/head.S - the guest's two entry points and its boot page tables.
 *
 * startup_64 (the ELF entry, used by gmm): the CPU is already in 64-bit long mode on page tables
 * gmm built (direct map, kernel map, identity map of low memory), %rdi = guest-physical
 * address of struct bootinfo, %rsi = the vCPU's index. gmm starts every vCPU here; the boot
 * CPU (index 0) loads our own GDT, switches to our stack and calls gmm_main(); the others go
 * to secondary_main() (guests/arch/x86/smp.c) on the stacks gmm gave them.
 *
 * pvh_start (the PVH entry, used by QEMU through the XEN_ELFNOTE_PHYS32_ENTRY note): 32-bit
 * protected mode, paging off, %ebx = guest-physical address of struct hvm_start_info. We
 * switch to long mode on the static tables below and call pvh_main().
 *
 * Boot page tables (static, in .data, filled in by the assembler and linker): one PDPT maps
 * physical [0, 4 GiB) with 2 MiB pages and is used twice, for the identity map (PML4 slot 0)
 * and for the direct map at PAGE_OFFSET (slot 273); the kernel map at __START_KERNEL_map
 * (slot 511, PDPT slot 510) maps physical [0, 1 GiB). The kernel runs at its link address in
 * the kernel map; symbol - __START_KERNEL_map is its physical address.
 */
#include <abi/guest_layout.h>

#define PHYS(sym) ((sym) - __START_KERNEL_map)
#define PDE_LARGE 0x83 /* present, writable, 2 MiB page */
#define PTE_TABLE 0x03 /* present, writable */
#define MSR_EFER 0xc0000080
#define MSR_GS_BASE 0xc0000101
#define EFER_LME 0x100
#define EFER_NXE 0x800
#define CR0_PE_PG 0x80000001
#define CR4_PAE 0x20
#define GDT_CS 0x08
#define GDT_DS 0x10

/* Load the data segments from our GDT; %fs and %gs are not used. Clobbers %eax. */
	.macro load_data_segments
	movl	$GDT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	.endm

/*
 * The boot CPU's %gs base: the per-CPU template, whose CPU header says CPU 0, so that
 * smp_processor_id() works from the first C function on. Clobbers %eax, %ecx, %edx.
 */
	.macro set_boot_gs_base
	movl	$MSR_GS_BASE, %ecx
	movabsq	$__per_cpu_start, %rax
	movq	%rax, %rdx
	shrq	$32, %rdx
	wrmsr
	.endm

	.section .head.text, "ax"
	.code64
	.globl startup_64
startup_64:
	cli
	cld
	testq	%rsi, %rsi		/* gmm starts every vCPU here, %rsi = its index */
	jnz	secondary_startup_64
	lgdt	gdt_desc64(%rip)
	movq	$boot_stack_top, %rsp
	pushq	$GDT_CS
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq				/* reload %cs from our GDT */
1:	load_data_segments
	set_boot_gs_base
	xorl	%ebp, %ebp
	/* %rdi still holds the boot info address */
	call	gmm_main
	jmp	halt_forever

/*
 * A secondary CPU (gmm's vCPU %rsi > 0): its stack is the one gmm gave it in low memory
 * (bootinfo.stacks_phys), which we reach through the direct map from here on, because the
 * identity map is gmm's and the kernel may change it. %gs is set by secondary_main()
 * (guests/arch/x86/smp.c), once the boot CPU has made the per-CPU units.
 */
secondary_startup_64:
	movabsq	$PAGE_OFFSET, %rax
	addq	%rax, %rsp
	lgdt	gdt_desc64(%rip)
	pushq	$GDT_CS
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:	load_data_segments
	xorl	%ebp, %ebp
	movl	%esi, %edi		/* the CPU's index */
	call	secondary_main
	jmp	halt_forever

	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	movl	%ebx, %esi		/* struct hvm_start_info, kept for pvh_main */
	movl	$PHYS(boot_stack_top), %esp
	movl	$PHYS(boot_pml4), %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PE_PG, %eax
	movl	%eax, %cr0
	lgdt	PHYS(gdt_desc32)
	ljmp	$GDT_CS, $PHYS(pvh_long)

	.code64
pvh_long:
	load_data_segments
	set_boot_gs_base
	movq	$boot_stack_top, %rsp	/* now in the kernel map */
	lgdt	gdt_desc64(%rip)
	movl	%esi, %edi		/* zero-extends: the start info's physical address */
	xorl	%ebp, %ebp
	movabsq	$pvh_main, %rax
	call	*%rax

	.globl halt_forever
halt_forever:
	cli
	hlt
	jmp	halt_forever

/* The PVH note QEMU looks for: type 18 (XEN_ELFNOTE_PHYS32_ENTRY), name "Xen". */
	.section .note.Xen, "a", @note
	.align	4
	.long	4			/* namesz */
	.long	4			/* descsz */
	.long	18			/* type */
	.asciz	"Xen"
	.align	4
	.long	PHYS(pvh_start)
	.align	4

	.section .data
	.align	16
gdt:
	.quad	0			/* null */
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code, DPL 0 */
	.quad	0x00cf92000000ffff	/* 0x10: data, DPL 0 */
gdt_end:
gdt_desc32:
	.word	gdt_end - gdt - 1
	.long	PHYS(gdt)
	.align	8
	.globl gdt_desc64
gdt_desc64:
	.word	gdt_end - gdt - 1
	.quad	gdt

	.align	4096
	.globl boot_pml4
boot_pml4:
	.quad	PHYS(boot_pdpt_low) + PTE_TABLE	/* 0: identity map */
	.fill	272, 8, 0
	.quad	PHYS(boot_pdpt_low) + PTE_TABLE	/* 273: PAGE_OFFSET, the direct map */
	.fill	237, 8, 0
	.quad	PHYS(boot_pdpt_kernel) + PTE_TABLE /* 511: __START_KERNEL_map */
boot_pdpt_low:
	.quad	PHYS(boot_pd) + PTE_TABLE
	.quad	PHYS(boot_pd) + 0x1000 + PTE_TABLE
	.quad	PHYS(boot_pd) + 0x2000 + PTE_TABLE
	.quad	PHYS(boot_pd) + 0x3000 + PTE_TABLE
	.fill	508, 8, 0
boot_pdpt_kernel:
	.fill	510, 8, 0
	.quad	PHYS(boot_pd) + PTE_TABLE	/* 510: the first GiB */
	.quad	0
boot_pd:				/* 2048 x 2 MiB = physical [0, 4 GiB) */
	.set	addr, 0
	.rept	2048
	.quad	addr + PDE_LARGE
	.set	addr, addr + 0x200000
	.endr

	.section .bss
	.align	4096
boot_stack:
	.skip	0x8000
	.globl boot_stack_top
boot_stack_top:

