// SPDX-License-Identifier: MIT
/*
 * vmm/vcpu.c - a vCPU's registers: the 64-bit boot state and the crash dump.
 *
 * The boot GDT has three 8-byte descriptors: 0 null, 0x08 64-bit code (L=1, DPL 0),
 * 0x10 flat data. KVM takes segment state from KVM_SET_SREGS, not from the GDT, but the guest
 * may reload segments (or iretq) before it installs its own GDT, so the table is real.
 */
#include <gmm/vm.h>

#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#define GDT_CODE64 0x00af9b000000ffffull /* P, DPL 0, code exec/read accessed, L, G */
#define GDT_DATA   0x00cf93000000ffffull /* P, DPL 0, data read/write accessed, D/B, G */
#define SEL_CODE   0x08
#define SEL_DATA   0x10

#define CR0_PE	       (1ull << 0)
#define CR0_MP	       (1ull << 1)
#define CR0_ET	       (1ull << 4)
#define CR0_NE	       (1ull << 5)
#define CR0_WP	       (1ull << 16)
#define CR0_PG	       (1ull << 31)
#define CR4_PAE	       (1ull << 5)
#define CR4_PGE	       (1ull << 7)
#define CR4_OSFXSR     (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define EFER_SCE       (1ull << 0)
#define EFER_LME       (1ull << 8)
#define EFER_LMA       (1ull << 10)
#define EFER_NXE       (1ull << 11)

uint16_t gmm_gdt_write(uint64_t *buf)
{
	if (!buf)
		return 0;
	buf[0] = 0;
	buf[1] = GDT_CODE64;
	buf[2] = GDT_DATA;
	return 3 * sizeof(uint64_t) - 1;
}

static struct kvm_segment flat_segment(uint16_t selector, uint8_t type, bool code)
{
	return (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = selector,
		.type = type,
		.present = 1,
		.dpl = 0,
		.db = code ? 0 : 1,
		.s = 1,
		.l = code ? 1 : 0,
		.g = 1,
	};
}

int gmm_vcpu_set_boot_state(struct gmm_vcpu *v, const struct gmm_vcpu_boot *b)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (!v || !b || v->fd < 0)
		return -EINVAL;
	if (ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		return -errno;
	sregs.cs = flat_segment(SEL_CODE, 0xb, true);
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = flat_segment(SEL_DATA, 0x3, false);
	sregs.gdt.base = b->gdt_base;
	sregs.gdt.limit = b->gdt_limit;
	sregs.idt.base = 0;
	sregs.idt.limit = 0;
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs.cr3 = b->cr3;
	sregs.cr4 = CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	sregs.efer = EFER_LME | EFER_LMA | EFER_NXE | EFER_SCE;
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs) < 0)
		return -errno;

	memset(&regs, 0, sizeof(regs));
	regs.rip = b->entry;
	regs.rdi = b->rdi;
	regs.rsi = b->rsi;
	regs.rsp = b->rsp;
	regs.rflags = 0x2; /* reserved bit 1; IF off */
	if (ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		return -errno;
	/*
	 * With the in-kernel local APIC, every vCPU but the first starts in wait-for-SIPI and
	 * KVM_RUN would just sleep; gmm starts them all at the entry instead. (The first is
	 * runnable from its creation: one vCPU ioctl fewer, each of which costs two MSR reads
	 * that trap where the host is itself a guest.)
	 */
	if (v->index != 0 && ioctl(v->fd, KVM_SET_MP_STATE, &mp) < 0)
		return -errno;
	return 0;
}

static void dump_segment(FILE *f, const char *name, const struct kvm_segment *s)
{
	fprintf(f,
		"  %-3s sel=%04x base=%016" PRIx64 " limit=%08x type=%x p=%u dpl=%u l=%u db=%u\n",
		name, s->selector, (uint64_t)s->base, s->limit, s->type, s->present, s->dpl, s->l,
		s->db);
}

void gmm_vcpu_dump(struct gmm_vcpu *v, void *out)
{
	FILE *f = out;
	struct kvm_sregs s;
	struct kvm_regs r;

	if (!v || !f)
		return;
	fprintf(f, "vCPU %u registers:\n", v->index);
	if (ioctl(v->fd, KVM_GET_REGS, &r) == 0) {
		fprintf(f, "  rip=%016llx rsp=%016llx rflags=%016llx\n", r.rip, r.rsp, r.rflags);
		fprintf(f, "  rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx\n", r.rax, r.rbx,
			r.rcx, r.rdx);
		fprintf(f, "  rsi=%016llx rdi=%016llx rbp=%016llx\n", r.rsi, r.rdi, r.rbp);
		fprintf(f, "  r8 =%016llx r9 =%016llx r10=%016llx r11=%016llx\n", r.r8, r.r9, r.r10,
			r.r11);
		fprintf(f, "  r12=%016llx r13=%016llx r14=%016llx r15=%016llx\n", r.r12, r.r13,
			r.r14, r.r15);
	}
	if (ioctl(v->fd, KVM_GET_SREGS, &s) == 0) {
		fprintf(f, "  cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx efer=%016llx\n",
			s.cr0, s.cr2, s.cr3, s.cr4, s.efer);
		dump_segment(f, "cs", &s.cs);
		dump_segment(f, "ss", &s.ss);
		dump_segment(f, "ds", &s.ds);
		fprintf(f, "  gdt=%016llx/%04x idt=%016llx/%04x\n", s.gdt.base, s.gdt.limit,
			s.idt.base, s.idt.limit);
	}
	fflush(f);
}
