/* SPDX-License-Identifier: MIT */
/*
 * guests/arch/x86/apic.h - the local APIC (xAPIC, memory-mapped through ioremap()).
 *
 * apic_init() maps the APIC page uncached into the vmalloc area and software-enables it with
 * spurious vector APIC_SPURIOUS_VECTOR. apic_self_ipi() raises a fixed interrupt on this CPU,
 * which is how tests get real interrupt context without a device. apic_eoi() acknowledges
 * the interrupt being handled (x86_handle_trap() calls it for every vector >= 32).
 */
#ifndef GMM_GUESTS_ARCH_X86_APIC_H
#define GMM_GUESTS_ARCH_X86_APIC_H

#include <stdbool.h>
#include <stdint.h>

#define APIC_SPURIOUS_VECTOR 0xff

/* Return: 0, or a negative errno if the APIC page cannot be mapped. */
int apic_init(void);
bool apic_enabled(void);
uint32_t apic_id(void);
uint32_t apic_version(void);
void apic_self_ipi(uint8_t vector);
/* The same mapping reaches each CPU's own APIC: a secondary enables its own with this. */
void apic_enable_this_cpu(void);
/* A fixed interrupt @vector to the CPU with APIC ID @dest_apic_id (smp.c's calls). */
void apic_send_ipi(uint32_t dest_apic_id, uint8_t vector);
void apic_eoi(void);

#endif /* GMM_GUESTS_ARCH_X86_APIC_H */
