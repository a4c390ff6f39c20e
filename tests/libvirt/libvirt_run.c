// SPDX-License-Identifier: MIT
/*
 * tests/libvirt/libvirt_run.c - boot a guest ELF under QEMU through libvirt from the shell.
 *
 *   libvirt_run [--cmdline STR] [--mem MIB] [--timeout S] [--machine TYPE] [--print-xml] ELF
 *
 * Does everything lvg_run() does (daemons, /dev/kvm, staging, a transient domain, cleanup),
 * prints the guest's serial console to stdout and the failing step to stderr. --print-xml
 * prints the domain XML it would create and exits. Exit status: 0 when every step succeeded
 * (the guest's own verdict is in its KTAP output), 1 when a step failed, 2 on bad arguments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/libvirt/libvirt_guest.h"

static int usage(void)
{
	fprintf(stderr, "usage: libvirt_run [--cmdline STR] [--mem MIB] [--timeout S] "
			"[--machine TYPE] [--print-xml] ELF\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct lvg_config cfg = { 0 };
	struct lvg_result res;
	bool print_xml = false;
	int i, ret;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_value = i + 1 < argc;

		if (!strcmp(a, "--print-xml"))
			print_xml = true;
		else if (!strcmp(a, "--cmdline") && has_value)
			cfg.cmdline = argv[++i];
		else if (!strcmp(a, "--mem") && has_value)
			cfg.mem_mib = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(a, "--timeout") && has_value)
			cfg.timeout_s = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(a, "--machine") && has_value)
			cfg.machine = argv[++i];
		else if (a[0] == '-' || cfg.image)
			return usage();
		else
			cfg.image = a;
	}
	if (!cfg.image)
		return usage();
	if (print_xml) {
		char *xml = lvg_domain_xml(&cfg, "/var/lib/libvirt/gmm-guest-XXXXXX/guest.elf",
					   "/var/lib/libvirt/gmm-guest-XXXXXX/console.log");

		if (!xml)
			return 1;
		fputs(xml, stdout);
		free(xml);
		return 0;
	}
	ret = lvg_run(&cfg, &res);
	fputs(res.console, stdout);
	if (ret) {
		fprintf(stderr, "libvirt_run: %s\n", res.error);
		if (res.qemu_log[0])
			fprintf(stderr, "--- QEMU log ---\n%s\n", res.qemu_log);
	} else {
		fprintf(stderr, "libvirt_run: the domain shut off %.1f s after it was created%s\n",
			res.boot_to_off_s,
			res.started_daemons ? " (libvirtd started and stopped for this run)" : "");
	}
	lvg_result_free(&res);
	return ret ? 1 : 0;
}
