/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/vm.h - a KVM virtual machine: /dev/kvm, the VM, its vCPUs, its RAM.
 *
 * Resource order (created in this order, destroyed in reverse): /dev/kvm fd, the CPUID fetch
 * (a thread), guest RAM (and a thread faulting in where the page state will go), VM fd, TSS
 * area, memslots, in-kernel irqchip, vCPU fds and their
 * kvm_run mappings; CPUID is applied to the vCPUs by gmm_vm_apply_cpuid() before their registers.
 * (Memslots before the irqchip: registering them afterwards costs milliseconds, see kvm.c.)
 * The irqchip must exist before the first vCPU (KVM's rule). With it (split or full), the local
 * APIC is in the kernel, so `hlt` is handled there and no longer exits to user space: a halted
 * vCPU waits for an interrupt.
 */
#ifndef GMM_GMM_VM_H
#define GMM_GMM_VM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmm/guest_mem.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GMM_VM_MAX_CPUS	   8
#define GMM_VM_IOAPIC_PINS 24

/* Which interrupt controllers KVM emulates in the kernel (see vmm/kvm.c for the costs). */
enum gmm_vm_irqchip {
	GMM_VM_IRQCHIP_SPLIT = 0, /* local APICs in the kernel; PIC and IOAPIC not emulated */
	GMM_VM_IRQCHIP_FULL = 1,  /* local APICs, PIC and IOAPIC in the kernel */
};

struct kvm_run;
struct kvm_cpuid2;

struct gmm_vcpu {
	int fd;
	unsigned int index;
	struct kvm_run *run;
	size_t run_size;
};

/* The long-mode entry state of one vCPU (see include/abi/bootinfo.h). */
struct gmm_vcpu_boot {
	uint64_t entry; /* %rip */
	uint64_t rdi;	/* boot info */
	uint64_t rsi;	/* vCPU index */
	uint64_t rsp;
	uint64_t cr3;
	uint64_t gdt_base; /* a GDT with the flat 64-bit code and data segments of vm.c */
	uint16_t gdt_limit;
};

struct gmm_vm {
	int kvm_fd;
	int vm_fd;
	size_t run_size;
	struct gmm_mem mem;
	unsigned int nr_cpus;
	struct gmm_vcpu vcpus[GMM_VM_MAX_CPUS];
	struct kvm_cpuid2 *cpuid; /* KVM_GET_SUPPORTED_CPUID, adjusted per vCPU */
	pthread_t cpuid_thread;	  /* fetching it while the VM is built (see kvm.c) */
	bool cpuid_pending;	  /* cpuid_thread not joined yet */
	bool cpuid_applied;	  /* KVM_SET_CPUID2 done on every vCPU */
	int cpuid_err;
};

/**
 * gmm_vm_open_kvm - open /dev/kvm and check the API version
 * @vm: receives kvm_fd (everything else is reset)
 * @err: receives a sentence naming /dev/kvm and the reason on failure
 * @errlen: its size
 * Return: 0 or a negative errno (-ENOENT no device, -EACCES no permission, -EPROTO version,
 * -EINVAL for a NULL @vm). @err may be NULL, here and in the other gmm_vm_*() functions.
 */
int gmm_vm_open_kvm(struct gmm_vm *vm, char *err, size_t errlen);

/**
 * gmm_vm_create - a VM with @nr_cpus vCPUs and @ram_bytes of RAM on an opened /dev/kvm
 * @vm: after gmm_vm_open_kvm()
 * @nr_cpus: 1 .. GMM_VM_MAX_CPUS
 * @ram_bytes: see gmm_mem_layout()
 * @backing: enum gmm_mem_backing
 * @irqchip: enum gmm_vm_irqchip
 * @flags: VM_CREATE_* hints
 * @err: receives the reason on failure
 * @errlen: its size
 * Return: 0 or a negative errno; on failure gmm_vm_destroy() is still the way to clean up.
 * -EINVAL, before anything is made, for a NULL @vm, a bad @nr_cpus or @irqchip, or a @vm that
 * gmm_vm_open_kvm() did not just open (never opened, or already created).
 */
int gmm_vm_create(struct gmm_vm *vm, unsigned int nr_cpus, uint64_t ram_bytes,
		  enum gmm_mem_backing backing, enum gmm_vm_irqchip irqchip, unsigned int flags,
		  char *err, size_t errlen);

/*
 * gmm_vm_create() flag: the kernel will carry the GMM page-state note (gmm_elf_read_notes()), so start
 * faulting in the page-state area on a thread right after guest RAM exists, while KVM builds
 * the VM; gmm_boot_prepare() waits for it. Only an optimisation: without it gmm_boot_prepare() starts
 * the same thing later, with less to overlap.
 */
#define GMM_VM_CREATE_PREFAULT_PAGE_STATE 0x1u

/**
 * gmm_vm_apply_cpuid - give every vCPU the CPUID KVM supports (with its own APIC ID)
 * @vm: after gmm_vm_create(), which started fetching KVM_GET_SUPPORTED_CPUID in the background
 * @err: the reason on failure
 * @errlen: its size
 *
 * Waits for that fetch. Must come before gmm_vcpu_set_boot_state(): KVM checks EFER and CR4
 * against the guest's CPUID. Idempotent.
 * Return: 0 or a negative errno; -EINVAL for a NULL @vm or one gmm_vm_create() did not make.
 */
int gmm_vm_apply_cpuid(struct gmm_vm *vm, char *err, size_t errlen);

/** gmm_vm_tsc_khz - the guest's TSC frequency (KVM_GET_TSC_KHZ), 0 if unknown or there is no VM */
uint64_t gmm_vm_tsc_khz(const struct gmm_vm *vm);

/**
 * gmm_vm_signal_msi - deliver an MSI message to the VM's local APICs (KVM_SIGNAL_MSI)
 * @ctx: the struct gmm_vm (the gmm_pci_msi_fn shape, for gmm_pci_host_init())
 * @addr: the message address
 * @data: the message data
 * Return: 0 when a vCPU took it, -ENXIO when none did (the message's address or data), -EINVAL
 * for a NULL @ctx or one without a VM, or the ioctl's negative errno.
 */
int gmm_vm_signal_msi(void *ctx, uint64_t addr, uint32_t data);

/**
 * gmm_vm_set_irq_line - drive a pin of the in-kernel IOAPIC and PIC (KVM_IRQ_LINE)
 * @ctx: the struct gmm_vm (the gmm_pci_intx_fn shape); needs GMM_VM_IRQCHIP_FULL
 * @line: the pin, 0 .. GMM_VM_IOAPIC_PINS - 1
 * @level: the line's new level
 * Return: 0, -EINVAL for a NULL @ctx, one without a VM or a @line out of range, or the ioctl's
 * negative errno.
 */
int gmm_vm_set_irq_line(void *ctx, unsigned int line, bool level);

/**
 * gmm_vm_destroy - close everything gmm_vm_open_kvm()/gmm_vm_create() made; safe on partial state
 * @vm: the VM; NULL, a zeroed struct and a destroyed one are accepted (nothing to close)
 */
void gmm_vm_destroy(struct gmm_vm *vm);

/** gmm_gdt_write - the boot GDT (null, 64-bit code, data) into @buf of 3 entries; its limit */
uint16_t gmm_gdt_write(uint64_t *buf);

/**
 * gmm_vcpu_set_boot_state - put a vCPU in 64-bit long mode at @b->entry
 * @v: the vCPU
 * @b: registers
 *
 * CR0 = PE|MP|ET|NE|WP|PG, CR4 = PAE|PGE|OSFXSR|OSXMMEXCPT, EFER = LME|LMA|NXE|SCE, flat
 * segments from the boot GDT, interrupts off, no IDT.
 * Return: 0 or a negative errno.
 */
int gmm_vcpu_set_boot_state(struct gmm_vcpu *v, const struct gmm_vcpu_boot *b);

/**
 * gmm_vcpu_dump - print the vCPU's registers (general, segment, control) to @out
 * @v: the vCPU
 * @out: a FILE *, as void * so this header needs no <stdio.h>
 */
void gmm_vcpu_dump(struct gmm_vcpu *v, void *out);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_VM_H */
