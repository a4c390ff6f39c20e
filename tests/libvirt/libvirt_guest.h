/* SPDX-License-Identifier: MIT */
/*
 * tests/libvirt/libvirt_guest.h - boot a guest image under QEMU/KVM through libvirt's C API.
 *
 * lvg_run() does what an operator does on a host without systemd, one named step at a time:
 *
 *   lock       serialise runs of this program on the host (flock on /run/lock/gmm-libvirt.lock)
 *   stage      copy the image into a 0755 directory under /var/lib/libvirt that libvirt-qemu
 *              can traverse (the caller's files may sit under a 0700 home); the console file
 *              and the daemons' PID files go there too
 *   kvm        make /dev/kvm root:kvm 0660, as udev does, so QEMU (user libvirt-qemu, group
 *              kvm) can open it
 *   daemons    start virtlogd and libvirtd (-d, own PID files) unless qemu:///system answers
 *   connect    virConnectOpen("qemu:///system")
 *   create     virDomainCreateXML(): a transient domain, PVH boot of the ELF with the edu and
 *              isa-debug-exit devices added through <qemu:commandline>
 *   wait       poll until the domain shuts itself off (the guest wrote its verdict to port
 *              0xf4, QEMU exited) or the timeout passes
 *   destroy    virDomainDestroy() if it still runs
 *   console    read the serial console file libvirt wrote
 *   cleanup    stop the daemons it started, restore /dev/kvm, remove the staging directory
 *              and the domain's QEMU log
 *
 * Everything a step set up is undone even when a later step fails. The first failure is
 * recorded as "<step>: <why>" in lvg_result.error; cleanup failures are appended.
 */
#ifndef GMM_TESTS_LIBVIRT_LIBVIRT_GUEST_H
#define GMM_TESTS_LIBVIRT_LIBVIRT_GUEST_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lvg_config {
	const char *image;	/* the guest ELF (PVH note) */
	const char *cmdline;	/* kernel command line, or NULL */
	const char *name;	/* domain name; NULL: "gmm-selftest-<pid>" */
	unsigned int mem_mib;	/* guest RAM; 0: 32 */
	unsigned int timeout_s; /* from create to shut-off; 0: 120 */
	const char *machine;	/* QEMU machine type; NULL: "pc" (SeaBIOS, then PVH) */
};

struct lvg_result {
	bool finished; /* the domain shut itself off before the timeout */
	bool timed_out;
	bool started_daemons; /* libvirtd was not running; this run started and stopped it */
	bool changed_kvm;     /* /dev/kvm was not usable by group kvm; this run fixed it */
	int libvirtd_pid;     /* the daemons this run started (and stopped), or 0 */
	int virtlogd_pid;
	double boot_to_off_s; /* wall-clock from virDomainCreateXML to shut-off */
	char *console;	      /* malloc'ed serial console text ("" if none) */
	char *qemu_log;	      /* malloc'ed tail of the domain's QEMU log ("" if none) */
	char *xml;	      /* malloc'ed domain XML that was created */
	char error[2048];     /* "" on success, else "<step>: <why>[; cleanup: ...]" */
};

/**
 * lvg_domain_xml - the domain XML lvg_run() creates.
 * @cfg: the run's configuration (image ignored)
 * @kernel: path of the staged kernel image
 * @console: path of the serial console file
 *
 * Return: a malloc'ed string, or NULL when out of memory.
 */
char *lvg_domain_xml(const struct lvg_config *cfg, const char *kernel, const char *console);

/**
 * lvg_run - boot @cfg->image under QEMU through libvirt and collect its console.
 * @cfg: what to boot
 * @res: filled in; release with lvg_result_free()
 *
 * Return: 0 if every step succeeded (the guest's own verdict is in its console), else -1 with
 * @res->error naming the step and the reason.
 */
int lvg_run(const struct lvg_config *cfg, struct lvg_result *res);

void lvg_result_free(struct lvg_result *res);

#ifdef __cplusplus
}
#endif

#endif /* GMM_TESTS_LIBVIRT_LIBVIRT_GUEST_H */
