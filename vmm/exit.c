// SPDX-License-Identifier: MIT
/*
 * vmm/exit.c - the exit dispatcher: one KVM exit in, one action out.
 *
 * Port I/O: KVM puts count * size bytes at run + io.data_offset (string instructions give
 * count > 1); each element is one bus access. The offset comes from the kernel, but it is
 * checked against the mapping anyway, so a broken kvm_run cannot send the VMM outside it.
 * MMIO: up to 8 bytes inline in run->mmio.data. Everything else that is not an interruption
 * ends the run as a crash with a reason.
 */
#include <gmm/exit.h>

#include <inttypes.h>
#include <linux/kvm.h>
#include <stdio.h>

static enum gmm_exit_action exit_io(struct kvm_run *run, size_t run_size, struct gmm_bus *bus,
				    char *why, size_t whylen)
{
	uint64_t bytes = (uint64_t)run->io.size * run->io.count;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	bool is_write = run->io.direction == KVM_EXIT_IO_OUT;
	uint32_t i;

	if ((run->io.size != 1 && run->io.size != 2 && run->io.size != 4) ||
	    run->io.data_offset > run_size || bytes > run_size - run->io.data_offset) {
		snprintf(why, whylen, "malformed port I/O exit (port 0x%x size %u count %u)",
			 run->io.port, run->io.size, run->io.count);
		return GMM_EXIT_ACTION_CRASH;
	}
	for (i = 0; i < run->io.count; i++, data += run->io.size) {
		if (gmm_bus_access(bus, GMM_BUS_PIO, run->io.port, data, run->io.size, is_write) ==
		    GMM_BUS_STOP)
			return GMM_EXIT_ACTION_STOP;
	}
	return GMM_EXIT_ACTION_CONTINUE;
}

static enum gmm_exit_action exit_mmio(struct kvm_run *run, struct gmm_bus *bus, char *why,
				      size_t whylen)
{
	if (run->mmio.len == 0 || run->mmio.len > sizeof(run->mmio.data)) {
		snprintf(why, whylen, "malformed MMIO exit (0x%" PRIx64 " len %u)",
			 (uint64_t)run->mmio.phys_addr, run->mmio.len);
		return GMM_EXIT_ACTION_CRASH;
	}
	if (gmm_bus_access(bus, GMM_BUS_MMIO, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
			   run->mmio.is_write) == GMM_BUS_STOP)
		return GMM_EXIT_ACTION_STOP;
	return GMM_EXIT_ACTION_CONTINUE;
}

enum gmm_exit_action gmm_exit_dispatch(struct kvm_run *run, size_t run_size, struct gmm_bus *bus,
				       char *why, size_t whylen)
{
	if (!run || !bus || run_size < sizeof(*run)) {
		if (why && whylen)
			snprintf(why, whylen, "no kvm_run or no bus (bad arguments)");
		return GMM_EXIT_ACTION_CRASH;
	}
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return exit_io(run, run_size, bus, why, whylen);
	case KVM_EXIT_MMIO:
		return exit_mmio(run, bus, why, whylen);
	case KVM_EXIT_INTR:
		return GMM_EXIT_ACTION_CONTINUE; /* a signal; the caller checks why it was kicked */
	case KVM_EXIT_HLT:
		snprintf(why, whylen,
			 "hlt without an in-kernel irqchip: nothing can wake the vCPU");
		return GMM_EXIT_ACTION_CRASH;
	case KVM_EXIT_SHUTDOWN:
		snprintf(why, whylen, "shutdown (triple fault)");
		return GMM_EXIT_ACTION_CRASH;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(why, whylen, "VM entry failed (hardware reason 0x%" PRIx64 ")",
			 (uint64_t)run->fail_entry.hardware_entry_failure_reason);
		return GMM_EXIT_ACTION_CRASH;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(why, whylen, "KVM internal error (suberror %u)", run->internal.suberror);
		return GMM_EXIT_ACTION_CRASH;
	case KVM_EXIT_SYSTEM_EVENT:
		snprintf(why, whylen, "system event %u (%s)", run->system_event.type,
			 run->system_event.type == KVM_SYSTEM_EVENT_RESET ? "reset" : "shutdown");
		return GMM_EXIT_ACTION_CRASH;
	default:
		snprintf(why, whylen, "unexpected exit reason %u", run->exit_reason);
		return GMM_EXIT_ACTION_CRASH;
	}
}
