/* SPDX-License-Identifier: MIT */
/*
 * include/abi/pci_regs.h - PCI configuration space offsets and bits, with Linux's names.
 *
 * Only what gmm's PCI model (vmm/devices/pci.c) and the guest driver (guests/drivers/) use:
 * the type-0 header, configuration mechanism #1 and the MSI capability.
 */
#ifndef GMM_ABI_PCI_REGS_H
#define GMM_ABI_PCI_REGS_H

/* Configuration mechanism #1: address at 0xcf8, data at 0xcfc..0xcff */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA	   0xcfc
#define PCI_CONFIG_ENABLE  0x80000000u
/* the 0xcf8 value of bus 0, @devfn, register @reg (dword-aligned) */
#define PCI_CONFIG_ADDR(devfn, reg) (PCI_CONFIG_ENABLE | ((unsigned int)(devfn) << 8) | ((reg) & 0xfc))
#define PCI_DEVFN(slot, func)	    ((((slot) & 0x1f) << 3) | ((func) & 0x07))
#define PCI_SLOT(devfn)		    (((devfn) >> 3) & 0x1f)

#define PCI_CFG_SPACE_SIZE 256

#define PCI_VENDOR_ID	    0x00 /* 16 bits */
#define PCI_DEVICE_ID	    0x02
#define PCI_COMMAND	    0x04
#define PCI_COMMAND_IO	    0x1
#define PCI_COMMAND_MEMORY  0x2
#define PCI_COMMAND_MASTER  0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS	    0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_REVISION_ID	    0x08
#define PCI_CLASS_PROG	    0x09 /* 24 bits: prog-if, subclass, class */
#define PCI_HEADER_TYPE	    0x0e
#define PCI_BASE_ADDRESS_0  0x10 /* six 32-bit BARs */
#define PCI_BASE_ADDRESS_MEM_MASK (~0x0fu)
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE  0x3c
#define PCI_INTERRUPT_PIN   0x3d

#define PCI_CLASS_BRIDGE_HOST 0x060000u
#define PCI_CLASS_OTHERS      0xff0000u

/* MSI capability (64-bit address form) */
#define PCI_CAP_ID_MSI	      0x05
#define PCI_MSI_FLAGS	      2 /* 16 bits */
#define PCI_MSI_FLAGS_ENABLE  0x0001
#define PCI_MSI_FLAGS_64BIT   0x0080
#define PCI_MSI_ADDRESS_LO    4
#define PCI_MSI_ADDRESS_HI    8
#define PCI_MSI_DATA_64	      12
#define PCI_MSI_CAP_SIZE_64   14

/* x86 MSI message: address 0xfee00000 | destination APIC ID << 12, data = vector (fixed) */
#define MSI_ADDR_BASE_X86 0xfee00000u
#define MSI_ADDR_DEST_SHIFT 12

#endif /* GMM_ABI_PCI_REGS_H */
