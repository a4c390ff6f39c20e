// SPDX-License-Identifier: MIT
/*
 * examples/minivmm.c - a VMM on the installed libgmm, built outside this repository's Bazel
 * tree: `make` here (Makefile: pkg-config --cflags --libs gmm). docs/embedding.md walks
 * through it.
 *
 *   minivmm KERNEL.elf [CMDLINE]
 *
 * One machine (64 MiB of RAM, one vCPU, the 16550, gmm's console port and the exit port),
 * described by a table and built by gmm_machine_create(); the kernel loaded by
 * gmm_machine_load(); its vCPUs started on the machine's runner. While the guest runs, this
 * thread reads the guest's buddy allocator state out of guest RAM every 100 ms and prints it
 * on stderr (a guest with the GMM page-state note only). The guest's console goes to stdout.
 * Exit status: the guest's verdict (0..63), 64 bad usage, 65 bad image, 69 no KVM,
 * 70 internal error, 71 guest crash, 72 timeout (60 s) - the statuses of the gmm program.
 */
#define _POSIX_C_SOURCE 200809L /* open() flags, mmap(), with -std=c11 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmm/exit_status.h>
#include <gmm/guest_page_state.h>
#include <gmm/loader.h>
#include <gmm/machine.h>
#include <gmm/version.h>

#define WATCH_MS   100u
#define TIMEOUT_MS 60000u

/* The whole kernel image, read-only: gmm reads each field once (vmm/loader.c). */
static const void *map_image(const char *path, size_t *size)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	*size = (size_t)st.st_size;
	return p;
}

/* What gmm_machine_create() reports when /dev/kvm cannot be used (gmm/machine.h). */
static int status_of_create_error(int ret)
{
	return ret == -ENOENT || ret == -EACCES || ret == -EPROTO ? GMM_EXIT_NO_KVM :
								    GMM_EXIT_INTERNAL;
}

static int status_of_result(const struct gmm_run_result *res)
{
	switch (res->outcome) {
	case GMM_RUN_GUEST_EXIT:
		return res->verdict > GMM_EXIT_VERDICT_MAX ? GMM_EXIT_VERDICT_MAX :
							     (int)res->verdict;
	case GMM_RUN_CRASH:
		fprintf(stderr, "minivmm: guest crashed on vCPU %u: %s\n", res->cpu, res->why);
		return GMM_EXIT_CRASH;
	case GMM_RUN_TIMEOUT:
		fprintf(stderr, "minivmm: guest still running after %u ms\n", TIMEOUT_MS);
		return GMM_EXIT_TIMEOUT;
	default:
		fprintf(stderr, "minivmm: KVM_RUN failed: %s\n", res->why);
		return GMM_EXIT_INTERNAL;
	}
}

static void print_buddyinfo(const struct gmm_machine *m)
{
	char buf[2048];

	/* One validated copy of the page state's header; 0 if the guest has broken it. */
	if (gmm_page_state_buddyinfo(&m->vm.mem, m->boot.page_state_phys, buf, sizeof(buf)))
		fprintf(stderr, "minivmm: buddyinfo:\n%s", buf);
}

int main(int argc, char **argv)
{
	static const struct gmm_machine_device devices[] = {
		{ .kind = GMM_DEVICE_SERIAL },
		{ .kind = GMM_DEVICE_CONSOLE_PORT },
		{ .kind = GMM_DEVICE_EXIT_PORT },
	};
	struct gmm_machine_config config = {
		.ram_bytes = 64ull << 20,
		.backing = GMM_MEM_BACKING_SHMEM,
		.nr_cpus = 1,
		.irqchip = GMM_VM_IRQCHIP_SPLIT,
		.console_fd = STDOUT_FILENO,
		.log = stderr,
		.devices = devices,
		.nr_devices = sizeof(devices) / sizeof(devices[0]),
	};
	static struct gmm_machine m; /* ~100 KiB of device state: not on the stack */
	struct gmm_elf_image notes;
	struct gmm_run_result res;
	unsigned int waited = 0;
	const void *image;
	char err[512];
	size_t size;
	int ret;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s KERNEL.elf [CMDLINE]   (libgmm %s)\n", argv[0],
			gmm_version());
		return GMM_EXIT_USAGE;
	}
	image = map_image(argv[1], &size);
	if (!image) {
		fprintf(stderr, "minivmm: cannot read %s: %s\n", argv[1], strerror(errno));
		return GMM_EXIT_BAD_IMAGE;
	}
	/* A guest that adopts gmm's page state: fault its page-frame array in while KVM builds. */
	if (gmm_elf_read_notes(image, size, &notes, err, sizeof(err))) {
		fprintf(stderr, "minivmm: %s: %s\n", argv[1], err);
		return GMM_EXIT_BAD_IMAGE;
	}
	if (notes.page_state_version)
		config.vm_flags |= GMM_VM_CREATE_PREFAULT_PAGE_STATE;

	ret = gmm_machine_create(&m, &config, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "minivmm: %s\n", err);
		gmm_machine_destroy(&m);
		return status_of_create_error(ret);
	}
	ret = gmm_machine_load(&m, image, size, argc > 2 ? argv[2] : NULL, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "minivmm: %s: %s\n", argv[1], err);
		gmm_machine_destroy(&m);
		return ret == -ENOEXEC ? GMM_EXIT_BAD_IMAGE : GMM_EXIT_INTERNAL;
	}

	/* Every vCPU on a thread of the runner's; this thread watches the guest's memory. */
	ret = gmm_runner_start(&m.runner, &m.vm, &m.bus, &m.exit_port, stderr);
	if (ret) {
		fprintf(stderr, "minivmm: cannot start the vCPUs: %s\n", strerror(-ret));
		gmm_machine_destroy(&m);
		return GMM_EXIT_INTERNAL;
	}
	while (!gmm_runner_wait(&m.runner, WATCH_MS) && (waited += WATCH_MS) < TIMEOUT_MS) {
		if (m.boot.page_state_phys)
			print_buddyinfo(&m);
	}
	gmm_runner_finish(&m.runner, &res); /* stops the guest if it is still running */
	gmm_console_flush(&m.console);
	if (m.boot.page_state_phys)
		print_buddyinfo(&m);
	gmm_machine_destroy(&m);
	return status_of_result(&res);
}
