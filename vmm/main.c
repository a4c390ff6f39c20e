// SPDX-License-Identifier: MIT
/*
 * vmm/main.c - the gmm program: `gmm run [options] KERNEL.elf`.
 *
 * The only place that exits the process; every failure becomes one of the documented statuses
 * of include/gmm/exit_status.h with one line on stderr saying why. The machine itself (guest
 * RAM, the VM, the bus, the devices) comes from the machine API (include/gmm/machine.h); this
 * file parses the command line, orders the work of a run and reports.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <abi/bootinfo.h>
#include <gmm/boot.h>
#include <gmm/bus.h>
#include <gmm/devices.h>
#include <gmm/dma.h>
#include <gmm/exit_status.h>
#include <gmm/guest_page_state.h>
#include <gmm/machine.h>
#include <gmm/seccomp.h>

#define DEFAULT_MEM (128ull << 20)
/* --watch-buddyinfo's floor: at most 100 snapshots a second reach the terminal */
#define WATCH_MIN_MS 10

static const char usage_text[] =
	"usage: gmm run [--mem SIZE] [--cpus N] [--timeout SECONDS] [--cmdline STR]\n"
	"               [--irqchip split|full] [--thp] [--buddyinfo] [--watch-buddyinfo MS]\n"
	"               [--dma-mask BITS] [--dma-strict] [--no-console-port] [--stats]\n"
	"               [--no-seccomp] [--dump-guest-memory] KERNEL.elf\n"
	"       gmm --help\n"
	"\n"
	"Boot a 64-bit ELF kernel under KVM: long mode at the ELF entry, %rdi = struct bootinfo.\n"
	"The guest's console goes to stdout: the serial port (COM1, a byte per VM exit) and\n"
	"gmm's console port (a message per VM exit, listed in the boot info; see\n"
	"include/abi/console_port.h). outl(verdict, 0xf4) ends the run.\n"
	"\n"
	"  --mem SIZE         guest RAM, bytes with optional K, M or G suffix (default 128M,\n"
	"                     2M .. 64G; above 3G the rest of RAM goes above 4 GiB)\n"
	"  --cpus N           vCPUs, 1..8 (default 1)\n"
	"  --timeout SECONDS  stop the guest after this long (decimals allowed; default: none)\n"
	"  --cmdline STR      kernel command line, passed in the boot info\n"
	"  --irqchip MODE     in-kernel irqchip: split (local APICs in KVM, default) or full\n"
	"                     (also PIC and IOAPIC; VM teardown then costs ~15 ms more)\n"
	"  --thp              back guest RAM with transparent huge pages (MADV_HUGEPAGE)\n"
	"  --buddyinfo        print the guest's buddy allocator state (buddyinfo) at the end\n"
	"  --watch-buddyinfo MS  print it every MS milliseconds (10 or more) while the\n"
	"                     guest runs\n"
	"                     (both need a guest with the GMM page-state ELF note: only for\n"
	"                     such a guest does gmm build the buddy page state in guest RAM)\n"
	"  --dma-mask BITS    DMA mask width of the DMA device (PCI 00:01.0, edu-compatible),\n"
	"                     12..64 (default 28, as QEMU's edu)\n"
	"  --dma-strict       refuse a DMA descriptor that runs from one allocated buddy block\n"
	"                     of the guest into another or into free memory, and log both\n"
	"  --no-console-port  offer the guest only the serial port (a guest that would use the\n"
	"                     console port falls back to COM1, as under QEMU)\n"
	"  --stats            print statistics at the end: guest RAM touched, peak RSS, and\n"
	"                     the time spent creating the VM, preparing the boot and running,\n"
	"                     and when the run ended (CLOCK_MONOTONIC); one\n"
	"                     'gmm-stats key=value ...' line on stderr, then the DMA device's\n"
	"                     and the console's counters\n"
	"  --no-seccomp       run without the sandbox (for debugging): by default, once the VM\n"
	"                     is set up, a seccomp filter allows only the system calls a run\n"
	"                     needs, and a forbidden one stops gmm with status 77\n"
	"  --dump-guest-memory  include guest RAM in a core dump of gmm (left out by default)\n"
	"\n"
	"Exit status:\n"
	"  0..63  the guest's verdict (the value written to port 0xf4; larger values give 63)\n"
	"  64     bad command line\n"
	"  65     kernel image unreadable or malformed\n"
	"  69     KVM unavailable (/dev/kvm missing or not accessible)\n"
	"  70     internal error of gmm or of a KVM call\n"
	"  71     guest crash (triple fault or shutdown; reason and registers on stderr)\n"
	"  72     timeout\n"
	"  77     a forbidden system call under the seccomp filter (named on stderr)\n";

struct options {
	uint64_t mem;
	unsigned int cpus;
	uint64_t timeout_ms;
	const char *cmdline;
	const char *kernel;
	enum gmm_vm_irqchip irqchip;
	uint64_t watch_ms;
	unsigned int dma_mask_bits;
	bool thp, buddyinfo, stats, dma_strict, no_console_port, no_seccomp, dump_guest_memory;
};

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -EINVAL;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	default:
		break;
	}
	if (*end || v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "gmm: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'gmm --help'.\n");
	return GMM_EXIT_USAGE;
}

/* Return: -1 to go on, or an exit status */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "cmdline", required_argument, NULL, 'l' },
		{ "thp", no_argument, NULL, 'H' },
		{ "irqchip", required_argument, NULL, 'i' },
		{ "buddyinfo", no_argument, NULL, 'b' },
		{ "watch-buddyinfo", required_argument, NULL, 'w' },
		{ "stats", no_argument, NULL, 's' },
		{ "dma-mask", required_argument, NULL, 'D' },
		{ "dma-strict", no_argument, NULL, 'S' },
		{ "no-console-port", no_argument, NULL, 'P' },
		{ "no-seccomp", no_argument, NULL, 'N' },
		{ "dump-guest-memory", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	double secs;
	unsigned long n;
	int c;

	*o = (struct options){ .mem = DEFAULT_MEM,
			       .cpus = 1,
			       .cmdline = "",
			       .dma_mask_bits = GMM_DMA_DEFAULT_MASK_BITS };
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "run") != 0)
		return usage_error("expected a command: 'run'%s", "");
	argc--;
	argv++;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_size(optarg, &o->mem) || o->mem < GMM_MEM_MIN_RAM ||
			    o->mem > GMM_MEM_MAX_RAM)
				return usage_error("--mem %s: want a size from 2M to 64G", optarg);
			break;
		case 'c':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || n < 1 || n > GMM_VM_MAX_CPUS)
				return usage_error("--cpus %s: want 1 to 8", optarg);
			o->cpus = (unsigned int)n;
			break;
		case 't':
			errno = 0;
			secs = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(secs > 0) || secs > 1e6)
				return usage_error("--timeout %s: want seconds > 0", optarg);
			o->timeout_ms = (uint64_t)(secs * 1000.0 + 0.5);
			if (!o->timeout_ms)
				o->timeout_ms = 1;
			break;
		case 'l':
			if (strlen(optarg) >= BOOTINFO_CMDLINE_MAX)
				return usage_error("--cmdline: longer than 1023 bytes%s", "");
			o->cmdline = optarg;
			break;
		case 'H':
			o->thp = true;
			break;
		case 'i':
			if (!strcmp(optarg, "split"))
				o->irqchip = GMM_VM_IRQCHIP_SPLIT;
			else if (!strcmp(optarg, "full"))
				o->irqchip = GMM_VM_IRQCHIP_FULL;
			else
				return usage_error("--irqchip %s: want split or full", optarg);
			break;
		case 'b':
			o->buddyinfo = true;
			break;
		case 'w':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || n < WATCH_MIN_MS || n > 3600000)
				return usage_error("--watch-buddyinfo %s: want 10 to 3600000 "
						   "milliseconds",
						   optarg);
			o->watch_ms = n;
			break;
		case 's':
			o->stats = true;
			break;
		case 'D':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || n < 12 || n > 64)
				return usage_error("--dma-mask %s: want 12 to 64 bits", optarg);
			o->dma_mask_bits = (unsigned int)n;
			break;
		case 'S':
			o->dma_strict = true;
			break;
		case 'P':
			o->no_console_port = true;
			break;
		case 'N':
			o->no_seccomp = true;
			break;
		case 'C':
			o->dump_guest_memory = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error("expected exactly one KERNEL.elf%s", "");
	o->kernel = argv[optind];
	return -1;
}

/* Map the kernel file read-only. Return: 0 or an exit status. */
static int map_kernel(const char *path, void **image, size_t *size)
{
	struct stat st;
	const char *why = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "gmm: cannot read kernel image %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return GMM_EXIT_BAD_IMAGE;
	}
	if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_size <= 0)
		why = "empty file";
	else if ((uint64_t)st.st_size > GMM_ELF_MAX_FILE_SIZE)
		why = "larger than 256 MiB";
	if (why) {
		fprintf(stderr, "gmm: kernel image %s: %s\n", path, why);
		close(fd);
		return GMM_EXIT_BAD_IMAGE;
	}
	*size = (size_t)st.st_size;
	*image = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (*image == MAP_FAILED) {
		fprintf(stderr, "gmm: cannot map kernel image %s: %s\n", path, strerror(errno));
		return GMM_EXIT_BAD_IMAGE;
	}
	return 0;
}

/* VmHWM, the peak RSS: getrusage() rather than /proc/self/status, which the sandbox cannot open */
static long vm_hwm_kib(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) < 0 ? -1 : ru.ru_maxrss;
}

/*
 * --watch-buddyinfo: a thread that reads the page state of the running guest. Read once:
 * gmm_page_state_buddyinfo() works on one validated copy of the header (the guest may be
 * changing it meanwhile), and what it prints holds no guest bytes but numbers and the zone
 * names it checked. The interval has a floor (WATCH_MIN_MS) so the terminal is not flooded.
 */
struct watcher {
	const struct gmm_mem *mem;
	uint64_t state_phys;
	uint64_t interval_ms;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	pthread_t thread;
};

static void *watch_buddyinfo(void *p)
{
	struct watcher *w = p;
	static char buf[4096];
	bool invalid = false; /* the last snapshot found no valid state: say so only once */
	struct timespec t;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_sec += (time_t)(w->interval_ms / 1000);
		t.tv_nsec += (long)(w->interval_ms % 1000) * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		while (!w->stop && pthread_cond_timedwait(&w->wake, &w->lock, &t) != ETIMEDOUT)
			;
		if (w->stop)
			break;
		if (gmm_page_state_buddyinfo(w->mem, w->state_phys, buf, sizeof(buf))) {
			fputs(buf, stderr);
			invalid = false;
		} else if (!invalid) {
			fprintf(stderr, "gmm: --watch-buddyinfo: %s", buf);
			invalid = true;
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int watcher_start(struct watcher *w, const struct gmm_mem *mem, uint64_t state_phys,
			 uint64_t interval_ms)
{
	pthread_condattr_t ca;

	*w = (struct watcher){ .mem = mem, .state_phys = state_phys, .interval_ms = interval_ms };
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	return -pthread_create(&w->thread, NULL, watch_buddyinfo, w);
}

static void watcher_stop(struct watcher *w)
{
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000;
}

static int report(const struct gmm_run_result *res, const struct options *o)
{
	switch (res->outcome) {
	case GMM_RUN_GUEST_EXIT:
		if (res->verdict > GMM_EXIT_VERDICT_MAX) {
			fprintf(stderr, "gmm: guest verdict %u does not fit in 0..63, exiting 63\n",
				res->verdict);
			return GMM_EXIT_VERDICT_MAX;
		}
		return (int)res->verdict;
	case GMM_RUN_CRASH:
		fprintf(stderr, "gmm: guest crashed on vCPU %u: %s\n", res->cpu, res->why);
		return GMM_EXIT_CRASH;
	case GMM_RUN_TIMEOUT:
		fprintf(stderr, "gmm: timeout: the guest was still running after %.3f s\n",
			(double)o->timeout_ms / 1000.0);
		return GMM_EXIT_TIMEOUT;
	default:
		fprintf(stderr, "gmm: vCPU %u: %s\n", res->cpu, res->why);
		return GMM_EXIT_INTERNAL;
	}
}

/* --stats: one line per part, key=value (bench/boot_bench.c and the tests read the keys) */
static void print_stats(const struct gmm_machine *m, uint64_t resident, uint64_t create_us,
			uint64_t prepare_us, uint64_t run_us, uint64_t ended_us)
{
	const struct gmm_pci_host *pci = &m->pci;

	fprintf(stderr,
		"gmm-stats guest_resident_kib=%" PRIu64 " vmhwm_kib=%ld create_us=%" PRIu64
		" prepare_us=%" PRIu64 " run_us=%" PRIu64 " ended_mono_us=%" PRIu64 "\n",
		resident >> 10, vm_hwm_kib(), create_us, prepare_us, run_us, ended_us);
	fprintf(stderr,
		"gmm-dma commands=%" PRIu64 " sg_commands=%" PRIu64 " errors=%" PRIu64
		" strict_refusals=%" PRIu64 " bytes=%" PRIu64 " irqs=%" PRIu64 " bar_exits=%" PRIu64
		" pci_config_exits=%" PRIu64 "\n",
		m->dma.stats.commands, m->dma.stats.sg_commands, m->dma.stats.errors,
		m->dma.stats.strict_refusals, m->dma.stats.bytes, m->dma.stats.irqs,
		m->dma.stats.mmio, pci->cfg_accesses);
	fprintf(stderr,
		"gmm-console bytes=%" PRIu64 " dropped=%" PRIu64 " port_messages=%" PRIu64
		" port_refused=%" PRIu64 "\n",
		m->console.written, m->console.dropped, m->console_port.messages,
		m->console_port.refused);
	fprintf(stderr,
		"gmm-pci msi_sent=%" PRIu64 " intx_changes=%" PRIu64 " irq_masked=%" PRIu64
		" undeliverable_msi_failed=%" PRIu64 " undeliverable_msi_no_vcpu=%" PRIu64
		" undeliverable_no_intx=%" PRIu64 " undeliverable_intx_failed=%" PRIu64 "\n",
		pci->msi_sent, pci->intx_changes, pci->irq_masked,
		pci->irq_undeliverable[GMM_PCI_IRQ_MSI_FAILED],
		pci->irq_undeliverable[GMM_PCI_IRQ_MSI_UNDELIVERED],
		pci->irq_undeliverable[GMM_PCI_IRQ_NO_INTX],
		pci->irq_undeliverable[GMM_PCI_IRQ_INTX_FAILED]);
}

/*
 * The machine of a gmm run: the serial port and the console port writing to stdout, the exit
 * port, the DMA device on PCI. The boot info lists the devices in this order.
 */
static int create_machine(struct gmm_machine *m, const struct options *o, unsigned int vm_flags,
			  char *err, size_t errlen)
{
	struct gmm_machine_device devices[GMM_MACHINE_MAX_DEVICES];
	unsigned int n = 0;
	struct gmm_machine_config c = {
		.ram_bytes = o->mem,
		.backing = o->thp ? GMM_MEM_BACKING_THP : GMM_MEM_BACKING_SHMEM,
		.nr_cpus = o->cpus,
		.irqchip = o->irqchip,
		.vm_flags = vm_flags,
		.console_fd = STDOUT_FILENO,
		.log = stderr,
		.devices = devices,
	};

	devices[n++] = (struct gmm_machine_device){ .kind = GMM_DEVICE_SERIAL };
	if (!o->no_console_port)
		devices[n++] = (struct gmm_machine_device){ .kind = GMM_DEVICE_CONSOLE_PORT };
	devices[n++] = (struct gmm_machine_device){ .kind = GMM_DEVICE_EXIT_PORT };
	devices[n++] = (struct gmm_machine_device){ .kind = GMM_DEVICE_DMA,
						    .dma_mask_bits = o->dma_mask_bits,
						    .dma_strict = o->dma_strict };
	c.nr_devices = n;
	return gmm_machine_create(m, &c, err, errlen);
}

/* A bad image: if KVM is unusable as well, that is what gmm reports (status 69), as always. */
static int bad_image_status(const char *why)
{
	struct gmm_vm vm;
	char err[512];

	if (gmm_vm_open_kvm(&vm, err, sizeof(err))) {
		fprintf(stderr, "gmm: %s\n", err);
		return GMM_EXIT_NO_KVM;
	}
	gmm_vm_destroy(&vm);
	fprintf(stderr, "gmm: bad kernel image: %s\n", why);
	return GMM_EXIT_BAD_IMAGE;
}

static int run(const struct options *o)
{
	static struct gmm_machine m; /* static: no 30 KiB stack frame */
	struct gmm_elf_image notes;
	struct gmm_run_result res;
	struct watcher watcher;
	uint64_t t_start = now_us(), t_created = 0, t_prepared = 0, t_ran = 0, resident = 0;
	char err[512];
	size_t size;
	void *image;
	int status, ret;

	status = map_kernel(o->kernel, &image, &size);
	if (status)
		return status;
	/* the notes before the VM: it is created with the page-state prefault hint they give */
	if (gmm_elf_read_notes(image, size, &notes, err, sizeof(err)))
		return bad_image_status(err);
	ret = create_machine(&m, o,
			     notes.page_state_version ? GMM_VM_CREATE_PREFAULT_PAGE_STATE : 0, err,
			     sizeof(err));
	if (ret) {
		fprintf(stderr, "gmm: %s\n", err);
		return ret == -ENODEV ? GMM_EXIT_NO_KVM : GMM_EXIT_INTERNAL;
	}

	t_created = now_us();
	ret = gmm_machine_load(&m, image, size, o->cmdline, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "gmm: %s%s\n", ret == -ENOEXEC ? "bad kernel image: " : "", err);
		status = ret == -ENOEXEC ? GMM_EXIT_BAD_IMAGE : GMM_EXIT_INTERNAL;
		goto out;
	}

	if (!m.boot.page_state_phys && (o->buddyinfo || o->watch_ms || o->dma_strict)) {
		fprintf(stderr,
			"gmm: %s needs the guest's buddy page state, and %s has no GMM page-state "
			"ELF note, so gmm built none (include/abi/elf_note.h)\n",
			o->buddyinfo ? "--buddyinfo" : o->watch_ms ? "--watch-buddyinfo" : "--dma-strict",
			o->kernel);
		status = GMM_EXIT_USAGE;
		goto out;
	}
	if (o->watch_ms &&
	    watcher_start(&watcher, &m.vm.mem, m.boot.page_state_phys, o->watch_ms)) {
		fprintf(stderr, "gmm: cannot start the buddyinfo watcher\n");
		status = GMM_EXIT_INTERNAL;
		goto out;
	}
	if (o->dump_guest_memory)
		gmm_mem_set_dumpable(&m.vm.mem, true);
	if (!o->no_seccomp && gmm_seccomp_install(err, sizeof(err))) {
		fprintf(stderr, "gmm: %s\n", err);
		status = GMM_EXIT_INTERNAL;
		goto out;
	}
	t_prepared = now_us();
	ret = gmm_machine_run(&m, o->timeout_ms, &res);
	if (o->watch_ms)
		watcher_stop(&watcher);
	t_ran = now_us();
	if (ret) {
		fprintf(stderr, "gmm: cannot run the vCPUs: %s\n", strerror(-ret));
		status = GMM_EXIT_INTERNAL;
		goto out;
	}
	status = report(&res, o);

	if (m.console.dropped)
		fprintf(stderr, "gmm: console output rate-limited: %" PRIu64 " bytes dropped\n",
			m.console.dropped);
	if (o->buddyinfo) {
		static char buf[4096];

		gmm_page_state_buddyinfo(&m.vm.mem, m.boot.page_state_phys, buf, sizeof(buf));
		fputs(buf, stderr);
	}
	resident = gmm_mem_resident_bytes(&m.vm.mem);
out:
	/*
	 * No gmm_machine_destroy(): gmm exits right after this, and process exit releases the VM,
	 * the vCPUs, guest RAM and every mapping anyway (the same kernel work); doing it here
	 * first cost ~0.15 ms more per run (docs/vmm.md, "Boot time"). Output is not at stake:
	 * gmm_machine_run() flushed the console and stdio is flushed by exit().
	 */
	if (o->stats && t_ran)
		print_stats(&m, resident, t_created - t_start, t_prepared - t_created,
			    t_ran - t_prepared, t_ran);
	return status;
}

int main(int argc, char **argv)
{
	struct options o;
	int status = parse_args(argc, argv, &o);

	if (status >= 0)
		return status;
	/* a console reader that went away must not kill the VM: console output is dropped */
	signal(SIGPIPE, SIG_IGN);
	return run(&o);
}
