// SPDX-License-Identifier: MIT
/*
 * guests/arch/x86/apic.c - see apic.h. Register offsets from the Intel SDM, vol. 3, 11.4.
 */
#include "guests/arch/x86/apic.h"

#include <abi/guest_layout.h>
#include <linux/errno.h>
#include <linux/io.h>

#include "guests/arch/x86/processor.h"

#define APIC_ID 0x20
#define APIC_TPR 0x80
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_SVR_ENABLE 0x100u
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define APIC_ICR_SELF (1u << 18) /* destination shorthand: self */
#define APIC_ICR_BUSY (1u << 12) /* delivery status: send pending */
#define APIC_ICR_ASSERT (1u << 14)

static volatile uint32_t *apic;

static uint32_t apic_read(unsigned int reg)
{
	return apic[reg / 4];
}

static void apic_write(unsigned int reg, uint32_t v)
{
	apic[reg / 4] = v;
}

int apic_init(void)
{
	void *base = ioremap(APIC_DEFAULT_PHYS_BASE, 4096);

	if (!base)
		return -ENOMEM;
	apic = base;
	apic_enable_this_cpu();
	return 0;
}

void apic_enable_this_cpu(void)
{
	apic_write(APIC_TPR, 0);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
}

void apic_send_ipi(uint32_t dest_apic_id, uint8_t vector)
{
	while (apic_read(APIC_ICR_LOW) & APIC_ICR_BUSY)
		cpu_relax();
	apic_write(APIC_ICR_HIGH, dest_apic_id << 24);
	apic_write(APIC_ICR_LOW, APIC_ICR_ASSERT | vector); /* fixed, physical destination */
}

bool apic_enabled(void)
{
	return apic != NULL;
}

uint32_t apic_version(void)
{
	return apic ? apic_read(0x30) : 0;
}

uint32_t apic_id(void)
{
	return apic ? apic_read(APIC_ID) >> 24 : 0;
}

void apic_self_ipi(uint8_t vector)
{
	unsigned int spins = 0;

	apic_write(APIC_ICR_HIGH, 0);
	apic_write(APIC_ICR_LOW, APIC_ICR_SELF | vector);
	while ((apic_read(APIC_ICR_LOW) & APIC_ICR_BUSY) && ++spins < 1000000)
		cpu_relax();
}

void apic_eoi(void)
{
	if (apic)
		apic_write(APIC_EOI, 0);
}
