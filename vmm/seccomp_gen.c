// SPDX-License-Identifier: MIT
/*
 * vmm/seccomp_gen.c - gmm's seccomp policy, compiled to BPF by libseccomp at build time.
 *
 * `seccomp_gen OUT.c` is a host tool run by the genrule //vmm:seccomp_bpf. It builds each
 * filter with Debian's libseccomp (seccomp_rule_add, argument comparisons, the arch check),
 * exports it with seccomp_export_bpf() and writes the programs as C arrays, plus a table of
 * system call names for the violation message. vmm/seccomp.c loads them at run time with
 * seccomp(2). Why at build time rather than in the VMM:
 *  - the gmm program is linked statically against musl (vmm/build_musl.sh), and Debian's
 *    libseccomp.a is built against glibc: `musl-gcc -static ... libseccomp.a` fails to link
 *    (undefined __fprintf_chk, glibc's fortified stdio);
 *  - speed: building and loading these rules with libseccomp at run time took 180-430 us on
 *    this project's machines (seccomp_init .. seccomp_load, glibc), a tenth of a 3 ms boot;
 *    loading a ready program takes one system call.
 * The policy is static (no fd numbers or addresses in it), so nothing is lost.
 *
 * Filters (the tables below say which call each allows, and why):
 *  - process: every thread of the VMM once set-up is done (the main thread, which runs vCPU 0
 *    and reports at the end, and the --watch-buddyinfo watcher), installed with TSYNC;
 *  - vcpu: stacked on top of it by each vCPU thread that the runner starts, narrower still.
 * Each comes in two variants: the plain one (gmm on musl, libgmm on glibc) and the sanitized
 * one (the same plus what ASan/UBSan's runtime calls), chosen when vmm/seccomp.c is compiled.
 * A call that no rule allows gets SECCOMP_RET_TRAP (vmm/seccomp.c reports it and exits); a
 * system call of another architecture (i386, x32) kills the process at once.
 * Invariant: a rule with argument values compares only the low 32 bits (mask 0xffffffff)
 * where the kernel's argument is a 32-bit int: musl's ioctl() takes an int request and
 * sign-extends it, so KVM_GET_REGS (0x8090ae81) arrives as 0xffffffff8090ae81.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PROC (1u << 0) /* allowed in the process filter */
#define VCPU (1u << 1) /* allowed in the vCPU filter */
#define SAN  (1u << 2) /* only in the sanitized variants */

#define MAX_VALUES 8
#define ANY	   -1 /* a rule on the call alone, any arguments */
#define LOW32	   0xffffffffull

struct rule {
	const char *name;
	unsigned int where; /* PROC, VCPU, SAN */
	int arg;	    /* ANY, or the argument that must match one of values[] */
	uint64_t mask;	    /* (arg & mask) == value */
	uint64_t values[MAX_VALUES];
	uint32_t action; /* 0: allow */
};

/* clang-format off */
#define ALLOW(name, where)		   { name, where, ANY, 0, { 0 }, 0 }
#define DENY(name, where, action)	   { name, where, ANY, 0, { 0 }, action }
#define ALLOW_IF(name, where, arg, mask, ...) { name, where, arg, mask, { __VA_ARGS__ }, 0 }
/* clang-format on */

/*
 * The system calls gmm makes after set-up, found by reading the code paths and by `strace -f`
 * of gmm (musl) and gmm_glibc (glibc, ASan) running the test guest with every option.
 */
static const struct rule rules[] = {
	/* vcpu_thread(): KVM_RUN; the DMA device's interrupts; the crash dump (gmm_vcpu_dump) */
	ALLOW_IF("ioctl", PROC | VCPU, 1, LOW32, KVM_RUN, KVM_SIGNAL_MSI, KVM_IRQ_LINE,
		 KVM_GET_REGS, KVM_GET_SREGS),
	/* the guest's console (console.c), gmm's messages on stderr (musl's stdio: writev) */
	ALLOW("write", PROC | VCPU),
	ALLOW("writev", PROC | VCPU),
	/* the runner's lock and condition variable, the watcher's timed wait, pthread_join */
	ALLOW("futex", PROC | VCPU),
	/* the DMA device's 64 MiB buffer at first use, musl's malloc, thread stacks: never
	 * executable memory. munmap: musl's free, a thread's stack after pthread_join. */
	ALLOW_IF("mmap", PROC | VCPU, 2, PROT_EXEC, 0),
	ALLOW("munmap", PROC | VCPU),
	ALLOW_IF("mprotect", PROC, 2, PROT_EXEC, 0),
	/* glibc: a thread's stack is given back with MADV_DONTNEED when the thread exits */
	ALLOW_IF("madvise", PROC | VCPU, 2, LOW32, MADV_DONTNEED),
	/* the kick (SIGUSR1) that stops a vCPU, the timeout timer (SIGUSR2); glibc's first
	 * pthread_create() in a process sets up its internal SIGCANCEL (32) and SIGSETXID (33).
	 * Never SIGSYS: the handler that reports a violation stays. */
	ALLOW_IF("rt_sigaction", PROC, 0, LOW32, SIGUSR1, SIGUSR2, 32, 33),
	ALLOW("rt_sigprocmask", PROC | VCPU),
	ALLOW("rt_sigreturn", PROC | VCPU),
	ALLOW("timer_create", PROC),
	ALLOW("timer_settime", PROC),
	ALLOW("timer_delete", PROC),
	ALLOW("gettid", PROC), /* musl's gettid(): the timer signals vCPU 0's thread */
	ALLOW("getpid", PROC), /* glibc's pthread_kill(): tgkill(getpid(), tid, SIGUSR1) */
	ALLOW_IF("tkill", PROC, 1, LOW32, SIGUSR1),  /* musl's pthread_kill() */
	ALLOW_IF("tgkill", PROC, 2, LOW32, SIGUSR1), /* glibc's pthread_kill() */
	/* starting the vCPU threads: threads only, never a new process */
	ALLOW_IF("clone", PROC, 0, CLONE_THREAD, CLONE_THREAD),
	/* glibc tries clone3 first (its flags are in memory, out of a filter's reach) and falls
	 * back to clone on ENOSYS */
	DENY("clone3", PROC, SCMP_ACT_ERRNO(ENOSYS)),
	ALLOW("set_robust_list", PROC),	     /* glibc: a new thread registers its robust futexes */
	ALLOW("rseq", PROC),		     /* glibc: ... and its restartable-sequence area */
	ALLOW("clock_gettime", PROC | VCPU), /* without the vDSO */
	/* --stats: peak RSS (getrusage), guest RAM resident (fstat of the memfd) */
	ALLOW("getrusage", PROC),
	ALLOW("fstat", PROC),
	ALLOW("newfstatat", PROC),
	/* a vCPU thread stacks the vCPU filter on the process filter (which can only narrow) */
	ALLOW_IF("seccomp", PROC, 0, LOW32, SECCOMP_SET_MODE_FILTER),
	ALLOW("exit", PROC | VCPU),
	ALLOW("exit_group", PROC | VCPU),

	/*
	 * ASan and UBSan's runtime (gmm_glibc and the tests under --config=asan): thread start
	 * (pthread_getattr_np, the alternate signal stack), the leak check at exit (a tracer
	 * thread that attaches to every thread with ptrace, lists /proc/self/task and reads
	 * /proc/self/maps) and the report (symbolizing: reading the binary; an external
	 * symbolizer cannot be started, execve fails with EPERM and the report goes on).
	 */
	ALLOW("madvise", PROC | VCPU | SAN),
	ALLOW("sigaltstack", PROC | VCPU | SAN),
	ALLOW("sched_yield", PROC | VCPU | SAN),
	ALLOW("sched_getaffinity", PROC | VCPU | SAN),
	ALLOW("getpid", VCPU | SAN),
	ALLOW("gettid", VCPU | SAN),
	ALLOW("getppid", PROC | VCPU | SAN),
	ALLOW("tgkill", PROC | VCPU | SAN),
	ALLOW("kill", PROC | VCPU | SAN),
	ALLOW_IF("rt_sigaction", PROC | VCPU | SAN, 0, LOW32, SIGABRT, SIGILL, SIGFPE, SIGSEGV,
		 SIGBUS, SIGXCPU, SIGXFSZ, SIGTRAP),
	ALLOW_IF("mprotect", VCPU | SAN, 2, PROT_EXEC, 0),
	ALLOW("prctl", PROC | VCPU | SAN),
	ALLOW("readlink", PROC | VCPU | SAN),
	ALLOW("open", PROC | VCPU | SAN),
	ALLOW("openat", PROC | VCPU | SAN),
	ALLOW("read", PROC | VCPU | SAN),
	ALLOW("pread64", PROC | VCPU | SAN),
	ALLOW("lseek", PROC | VCPU | SAN),
	ALLOW("close", PROC | VCPU | SAN),
	ALLOW("fstat", VCPU | SAN),
	ALLOW("newfstatat", VCPU | SAN),
	ALLOW("getdents", PROC | VCPU | SAN),
	ALLOW("getdents64", PROC | VCPU | SAN),
	ALLOW("ptrace", PROC | VCPU | SAN),
	ALLOW("wait4", PROC | VCPU | SAN),
	ALLOW("clone", PROC | VCPU | SAN),
	ALLOW("set_robust_list", VCPU | SAN),
	ALLOW("rseq", VCPU | SAN),
	ALLOW("pipe2", PROC | VCPU | SAN),
	ALLOW("dup2", PROC | VCPU | SAN),
	DENY("execve", PROC | VCPU | SAN, SCMP_ACT_ERRNO(EPERM)),
};

static int add_rule(scmp_filter_ctx ctx, const struct rule *r)
{
	uint32_t action = r->action ? r->action : SCMP_ACT_ALLOW;
	int nr = seccomp_syscall_resolve_name(r->name);
	unsigned int i;
	int ret;

	if (nr == __NR_SCMP_ERROR) {
		fprintf(stderr, "seccomp_gen: unknown system call %s\n", r->name);
		return -EINVAL;
	}
	if (r->arg == ANY)
		return seccomp_rule_add(ctx, action, nr, 0);
	/* the list of values ends at the first 0 after the first entry ({ 0 } is one value) */
	for (i = 0; i < MAX_VALUES && (i == 0 || r->values[i]); i++) {
		struct scmp_arg_cmp cmp = {
			.arg = (unsigned int)r->arg,
			.op = SCMP_CMP_MASKED_EQ,
			.datum_a = r->mask,
			.datum_b = r->values[i],
		};

		ret = seccomp_rule_add_array(ctx, action, nr, 1, &cmp);
		if (ret)
			return ret;
	}
	return 0;
}

/* Build one filter and write it as `const struct sock_filter NAME[]` and its length. */
static int emit_filter(FILE *out, const char *name, unsigned int which, bool sanitized)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	struct sock_filter_insn {
		uint16_t code;
		uint8_t jt, jf;
		uint32_t k;
	} insn;
	FILE *bpf = NULL;
	size_t i, n = 0;
	int ret = -ENOMEM;

	if (!ctx)
		return -ENOMEM;
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/*
	 * A binary tree of system call numbers rather than a chain: loading a filter, the kernel
	 * runs it for every system call number of both x86 ABIs to fill its action cache, so its
	 * cost grows with the path length (a chain of 87 instructions took ~100 us to load here,
	 * the tree ~70 us); the path of KVM_RUN gets shorter too.
	 */
	if (!ret)
		ret = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (i = 0; !ret && i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct rule *r = &rules[i];

		if ((r->where & which) && (sanitized || !(r->where & SAN)))
			ret = add_rule(ctx, r);
	}
	if (ret)
		goto out;
	bpf = tmpfile();
	if (!bpf || seccomp_export_bpf(ctx, fileno(bpf)) || fseek(bpf, 0, SEEK_SET)) {
		ret = -EIO;
		goto out;
	}
	fprintf(out, "const struct sock_filter %s[] = {\n", name);
	while (fread(&insn, sizeof(insn), 1, bpf) == 1) {
		fprintf(out, "\t{ 0x%04x, %u, %u, 0x%08x },\n", insn.code, insn.jt, insn.jf,
			insn.k);
		n++;
	}
	fprintf(out, "};\nconst unsigned short %s_len = %zu;\n\n", name, n);
	ret = n ? 0 : -EIO;
out:
	if (bpf)
		fclose(bpf);
	seccomp_release(ctx);
	return ret;
}

/* The names of x86-64's system calls, for "forbidden system call 41 (socket)". */
static void emit_names(FILE *out)
{
	const int max = 512;
	int nr;

	fprintf(out, "const char *const gmm_seccomp_syscall_names[] = {\n");
	for (nr = 0; nr < max; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);

		fprintf(out, "\t\"%s\",\n", name ? name : "");
		free(name);
	}
	fprintf(out, "};\nconst unsigned int gmm_seccomp_nr_syscall_names = %d;\n", max);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned int which;
		bool sanitized;
	} filters[] = {
		{ "gmm_seccomp_bpf_process", PROC, false },
		{ "gmm_seccomp_bpf_vcpu", VCPU, false },
		{ "gmm_seccomp_bpf_process_sanitized", PROC, true },
		{ "gmm_seccomp_bpf_vcpu_sanitized", VCPU, true },
	};
	unsigned int i;
	FILE *out;

	if (argc != 2) {
		fprintf(stderr, "usage: seccomp_gen OUT.c\n");
		return 2;
	}
	out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	fprintf(out,
		"/* Generated by vmm/seccomp_gen.c with libseccomp %u.%u.%u: do not edit. */\n"
		"#include \"vmm/seccomp_bpf.h\"\n\n",
		seccomp_version()->major, seccomp_version()->minor, seccomp_version()->micro);
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		int ret = emit_filter(out, filters[i].name, filters[i].which, filters[i].sanitized);

		if (ret) {
			fprintf(stderr, "seccomp_gen: %s: %s\n", filters[i].name, strerror(-ret));
			fclose(out);
			return 1;
		}
	}
	emit_names(out);
	return fclose(out) ? 1 : 0;
}
