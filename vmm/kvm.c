// SPDX-License-Identifier: MIT
/*
 * vmm/kvm.c - /dev/kvm, the VM file descriptor, the irqchip, CPUID, the vCPU fds, and the
 * interrupts a device model sends (MSI messages, IOAPIC lines).
 *
 * Resource order and its unwinding are in include/gmm/vm.h. Every fd starts at -1 and every
 * pointer at NULL, so gmm_vm_destroy() can clean up any partial state left by a failure.
 */
#define _GNU_SOURCE
#include <gmm/vm.h>

#include <gmm/guest_page_state.h>

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Three pages KVM needs on Intel for real-mode emulation; just below the BIOS area, in the PCI
 * hole, never RAM. */
#define KVM_TSS_ADDR	  0xfffbd000ul
#define CPUID_MAX_ENTRIES 256

static void vm_reset(struct gmm_vm *vm)
{
	unsigned int i;

	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = -1;
	vm->vm_fd = -1;
	vm->mem.memfd = -1;
	for (i = 0; i < GMM_VM_MAX_CPUS; i++)
		vm->vcpus[i].fd = -1;
}

int gmm_vm_open_kvm(struct gmm_vm *vm, char *err, size_t errlen)
{
	int version;

	if (!vm)
		return -EINVAL;
	if (!err)
		errlen = 0;
	vm_reset(vm);
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot open /dev/kvm: %s (%s)", strerror(e),
			 e == ENOENT ?
				 "KVM is not available: no kvm module loaded, or not a "
				 "virtualisation-capable host" :
			 e == EACCES || e == EPERM ?
				 "this user may not use KVM: add it to the group owning /dev/kvm" :
				 "KVM is not usable here");
		return -e;
	}
	version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		snprintf(err, errlen, "/dev/kvm speaks KVM API version %d, gmm needs %d", version,
			 KVM_API_VERSION);
		close(vm->kvm_fd);
		vm->kvm_fd = -1;
		return -EPROTO;
	}
	return 0;
}

/* CPUID as KVM supports it, with this vCPU's APIC ID in leaves 1 and 0xb. */
static int vcpu_set_cpuid(struct gmm_vm *vm, struct gmm_vcpu *v)
{
	struct kvm_cpuid2 *c = vm->cpuid;
	unsigned int i;

	for (i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == 1)
			e->ebx = (e->ebx & 0x00ffffffu) | (v->index << 24);
		else if (e->function == 0xb || e->function == 0x1f)
			e->edx = v->index;
	}
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0)
		return -errno;
	return 0;
}

static int vcpu_create(struct gmm_vm *vm, unsigned int index)
{
	struct gmm_vcpu *v = &vm->vcpus[index];
	void *run;

	v->index = index;
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)index);
	if (v->fd < 0)
		return -errno;
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (run == MAP_FAILED)
		return -errno;
	v->run = run;
	v->run_size = vm->run_size;
	return 0;
}

/*
 * KVM_GET_SUPPORTED_CPUID runs on a thread of its own while the VM is built and the kernel
 * loaded: it executes CPUID on the host many times, and where the host is itself a guest
 * (this project's machines) every CPUID traps to the outer hypervisor: 0.5 ms when idle,
 * 3-6 ms under load, the largest single cost of a boot.
 */
static void *cpuid_thread(void *p)
{
	struct gmm_vm *vm = p;

	vm->cpuid_err = ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, vm->cpuid) < 0 ? -errno : 0;
	return NULL;
}

int gmm_vm_apply_cpuid(struct gmm_vm *vm, char *err, size_t errlen)
{
	unsigned int i;
	int ret;

	if (!err)
		errlen = 0;
	if (!vm || !vm->cpuid) {
		snprintf(err, errlen, "no VM: gmm_vm_apply_cpuid() comes after gmm_vm_create()");
		return -EINVAL;
	}
	if (vm->cpuid_pending) {
		pthread_join(vm->cpuid_thread, NULL);
		vm->cpuid_pending = false;
		if (vm->cpuid_err) {
			snprintf(err, errlen, "KVM_GET_SUPPORTED_CPUID failed: %s",
				 strerror(-vm->cpuid_err));
			return vm->cpuid_err;
		}
	}
	if (vm->cpuid_applied)
		return 0;
	for (i = 0; i < vm->nr_cpus; i++) {
		ret = vcpu_set_cpuid(vm, &vm->vcpus[i]);
		if (ret) {
			snprintf(err, errlen, "KVM_SET_CPUID2 on vCPU %u failed: %s", i,
				 strerror(-ret));
			return ret;
		}
	}
	vm->cpuid_applied = true;
	return 0;
}

/*
 * The in-kernel irqchip, after the memslots and before the vCPUs (KVM's rule). Measured on this
 * project's hosts (docs/vmm.md): with the full irqchip (PIC + IOAPIC + local APICs in the
 * kernel), a memslot registered after it costs 3-8 ms and closing the VM 12-18 ms, because every
 * in-kernel PIC/IOAPIC bus device is unregistered behind an SRCU grace period; with the split
 * irqchip (local APICs in the kernel, PIC/IOAPIC left to user space) closing takes 0.2 ms. Both
 * keep `hlt` and the APIC timer in the kernel; MSIs (KVM_SIGNAL_MSI) reach the local APIC in
 * both.
 *
 * Also measured and rejected: KVM_REGISTER_COALESCED_MMIO for the UART's transmit port
 * (writes buffered in a ring instead of one exit each) saves ~0.4 ms of exits for a guest that
 * prints 60 bytes, but closing a VM with a coalesced zone costs 14-18 ms (7.5 ms to unregister
 * it first): every I/O-bus device removal waits for an SRCU grace period.
 */
static int vm_create_irqchip(struct gmm_vm *vm, enum gmm_vm_irqchip irqchip)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_SPLIT_IRQCHIP,
				      .args = { GMM_VM_IOAPIC_PINS } };

	if (irqchip == GMM_VM_IRQCHIP_FULL)
		return ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0 ? -errno : 0;
	return ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0 ? -errno : 0;
}

int gmm_vm_create(struct gmm_vm *vm, unsigned int nr_cpus, uint64_t ram_bytes,
		  enum gmm_mem_backing backing, enum gmm_vm_irqchip irqchip, unsigned int flags,
		  char *err, size_t errlen)
{
	unsigned int i;
	int size, ret;

	if (!err)
		errlen = 0;
	if (!vm) {
		snprintf(err, errlen, "no struct gmm_vm");
		return -EINVAL;
	}
	if (nr_cpus == 0 || nr_cpus > GMM_VM_MAX_CPUS) {
		snprintf(err, errlen, "%u vCPUs: gmm supports 1 to %d", nr_cpus, GMM_VM_MAX_CPUS);
		return -EINVAL;
	}
	if (irqchip != GMM_VM_IRQCHIP_SPLIT && irqchip != GMM_VM_IRQCHIP_FULL) {
		snprintf(err, errlen, "irqchip %d: neither split nor full", (int)irqchip);
		return -EINVAL;
	}
	/* a created VM (cpuid) or one never opened (kvm_fd -1, or 0 == vm_fd in a zeroed struct) */
	if (vm->cpuid || vm->kvm_fd < 0 || vm->kvm_fd == vm->vm_fd) {
		snprintf(err, errlen, "gmm_vm_create() needs a VM gmm_vm_open_kvm() just opened");
		return -EINVAL;
	}
	vm->cpuid =
		calloc(1, sizeof(*vm->cpuid) + CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2));
	if (!vm->cpuid) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	vm->cpuid->nent = CPUID_MAX_ENTRIES;
	ret = pthread_create(&vm->cpuid_thread, NULL, cpuid_thread, vm);
	if (ret) {
		snprintf(err, errlen, "cannot start a thread: %s", strerror(ret));
		return -ret;
	}
	vm->cpuid_pending = true;

	ret = gmm_mem_create(&vm->mem, ram_bytes, backing);
	if (ret) {
		snprintf(err, errlen, "cannot create %llu bytes of guest RAM: %s",
			 (unsigned long long)ram_bytes, strerror(-ret));
		return ret;
	}
	/* the page state is the one large thing gmm_boot_prepare() writes: overlap its faults */
	if (flags & GMM_VM_CREATE_PREFAULT_PAGE_STATE)
		gmm_page_state_prefault(&vm->mem);

	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "KVM_CREATE_VM on /dev/kvm failed: %s", strerror(-ret));
		return ret;
	}
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size <= 0) {
		ret = size < 0 ? -errno : -EINVAL;
		snprintf(err, errlen, "KVM_GET_VCPU_MMAP_SIZE failed");
		return ret;
	}
	vm->run_size = (size_t)size;

	/* only needed (and only effective) on Intel; harmless elsewhere */
	ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR);

	ret = gmm_mem_register(&vm->mem, vm->vm_fd);
	if (ret) {
		snprintf(err, errlen, "KVM_SET_USER_MEMORY_REGION failed: %s", strerror(-ret));
		return ret;
	}
	ret = vm_create_irqchip(vm, irqchip);
	if (ret) {
		snprintf(err, errlen, "creating the in-kernel irqchip failed: %s", strerror(-ret));
		return ret;
	}

	for (i = 0; i < nr_cpus; i++) {
		ret = vcpu_create(vm, i);
		if (ret) {
			snprintf(err, errlen, "cannot create vCPU %u: %s", i, strerror(-ret));
			return ret;
		}
		vm->nr_cpus = i + 1;
	}
	return 0;
}

void gmm_vm_destroy(struct gmm_vm *vm)
{
	unsigned int i;

	if (!vm)
		return;
	/* two open fds cannot be equal: kvm_fd == vm_fd is a reset (-1) or zeroed (0) struct */
	if (vm->kvm_fd == vm->vm_fd && !vm->cpuid && !vm->cpuid_pending) {
		vm_reset(vm);
		return;
	}
	if (vm->cpuid_pending)
		pthread_join(vm->cpuid_thread, NULL);
	for (i = 0; i < GMM_VM_MAX_CPUS; i++) {
		if (vm->vcpus[i].run)
			munmap(vm->vcpus[i].run, vm->vcpus[i].run_size);
		if (vm->vcpus[i].fd >= 0)
			close(vm->vcpus[i].fd);
	}
	free(vm->cpuid);
	gmm_mem_destroy(&vm->mem);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm_reset(vm);
}

int gmm_vm_signal_msi(void *ctx, uint64_t addr, uint32_t data)
{
	const struct gmm_vm *vm = ctx;
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr,
		.address_hi = (uint32_t)(addr >> 32),
		.data = data,
	};
	int ret;

	if (!vm || vm->vm_fd < 0)
		return -EINVAL;
	ret = ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi);

	/* KVM: > 0 delivered, 0 no vCPU took it (the message's address or data), < 0 error */
	return ret < 0 ? -errno : ret == 0 ? -ENXIO : 0;
}

/* INTx: only with the full irqchip (the in-kernel IOAPIC); with split there is no pin. */
int gmm_vm_set_irq_line(void *ctx, unsigned int line, bool level)
{
	const struct gmm_vm *vm = ctx;
	struct kvm_irq_level irq = { .irq = line, .level = level };

	if (!vm || vm->vm_fd < 0 || line >= GMM_VM_IOAPIC_PINS)
		return -EINVAL;
	return ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq) < 0 ? -errno : 0;
}

uint64_t gmm_vm_tsc_khz(const struct gmm_vm *vm)
{
	int khz;

	if (!vm || vm->vm_fd < 0 || vm->vm_fd == vm->kvm_fd) /* no VM, or a zeroed struct */
		return 0;
	/* the VM-wide ioctl (Linux 6.0, KVM_CAP_VM_TSC_CONTROL) needs no vCPU load */
	khz = ioctl(vm->vm_fd, KVM_GET_TSC_KHZ, 0);

	if (khz <= 0 && vm->nr_cpus)
		khz = ioctl(vm->vcpus[0].fd, KVM_GET_TSC_KHZ, 0);

	return khz > 0 ? (uint64_t)khz : 0;
}
