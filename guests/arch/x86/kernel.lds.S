/* SPDX-License-Identifier: MIT */
/*
 * guests/arch/x86/kernel.lds.S - link the guest at the kernel map, load it at 1 MiB.
 *
 * Virtual addresses are in the kernel map (__START_KERNEL_map + physical); each section's load
 * address (AT, the ELF p_paddr) is its physical address, which both gmm's loader and QEMU's
 * PVH loader use. The notes (the PVH note for QEMU, the GMM page-state note for gmm,
 * include/abi/elf_note.h) go in one PT_NOTE segment.
 */
#include <abi/guest_layout.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(startup_64)

PHDRS {
	text PT_LOAD FLAGS(5);
	data PT_LOAD FLAGS(6);
	note PT_NOTE FLAGS(4);
}

SECTIONS {
	. = __START_KERNEL_map + GUEST_KERNEL_LOAD_PHYS;
	_text = .;
	.text : AT(ADDR(.text) - __START_KERNEL_map) {
		*(.head.text)
		*(.text .text.*)
	} :text
	.rodata : AT(ADDR(.rodata) - __START_KERNEL_map) {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__ktap_suites_start = .;
		KEEP(*(.ktap_suites))
		__ktap_suites_end = .;
	} :text
	.notes : AT(ADDR(.notes) - __START_KERNEL_map) {
		KEEP(*(.note.Xen))
		KEEP(*(.note.gmm))
	} :text :note
	. = ALIGN(4096);
	_etext = .;
	/*
	 * The per-CPU template (include/linux/percpu.h): page-aligned, so that alignments inside
	 * it hold in every CPU's unit too; the CPU header (guests/arch/x86/smp.c) comes first,
	 * at %gs:0.
	 */
	.data..percpu : AT(ADDR(.data..percpu) - __START_KERNEL_map) {
		__per_cpu_start = .;
		KEEP(*(.data..percpu..first))
		*(.data..percpu)
		__per_cpu_end = .;
	} :data
	. = ALIGN(4096);
	.data : AT(ADDR(.data) - __START_KERNEL_map) {
		*(.data .data.*)
	} :data
	.bss : AT(ADDR(.bss) - __START_KERNEL_map) {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		__bss_stop = .;
	} :data
	. = ALIGN(4096);
	_end = .;
	/DISCARD/ : {
		*(.eh_frame) *(.eh_frame_hdr) *(.comment) *(.note.GNU-stack) *(.note.gnu.*)
	}
}
