// SPDX-License-Identifier: MIT
/*
 * tests/libvirt/libvirt_guest.c - see libvirt_guest.h.
 *
 * State: one struct lvg_run_state per run holds everything a step set up (lock fd, staging
 * directory, saved /dev/kvm owner and mode, daemon PIDs, connection, domain), so the cleanup
 * step undoes exactly what was done, in reverse order: domain, connection, libvirtd,
 * virtlogd, /dev/kvm, staging directory, lock.
 *
 * Daemons: `virtlogd -d` and `libvirtd -d` return once the daemon is up (their parent waits
 * for the child's start-up status); the PID comes from the -p file in the staging directory.
 * Stopping is SIGTERM, then a wait until the process is gone or a zombie (its reaper is not
 * us), then SIGKILL.
 */
#define _GNU_SOURCE
#include "tests/libvirt/libvirt_guest.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define LVG_URI		   "qemu:///system"
#define LVG_LOCK	   "/run/lock/gmm-libvirt.lock"
#define LVG_STAGE_TEMPLATE "/var/lib/libvirt/gmm-guest-XXXXXX"
#define LVG_LIBVIRTD_SOCK  "/run/libvirt/libvirt-sock"
#define LVG_VIRTLOGD_SOCK  "/run/libvirt/virtlogd-sock"
#define LVG_QEMU_LOG_DIR   "/var/log/libvirt/qemu"
#define LVG_DAEMON_WAIT_S  15

struct lvg_run_state {
	int lock_fd;
	char stage[64];
	char kernel[128];
	char console[128];
	bool kvm_saved;
	struct stat kvm_orig;
	pid_t virtlogd;
	pid_t libvirtd;
	virConnectPtr conn;
	virDomainPtr dom;
	char name[64];
};

/* The first failure names the step; later ones (cleanup) are appended. */
static void lvg_fail(struct lvg_result *res, const char *step, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void lvg_fail(struct lvg_result *res, const char *step, const char *fmt, ...)
{
	size_t len = strlen(res->error);
	va_list ap;

	if (len + 4 >= sizeof(res->error))
		return;
	len += snprintf(res->error + len, sizeof(res->error) - len, "%s%s: ", len ? "; " : "",
			step);
	if (len >= sizeof(res->error))
		return;
	va_start(ap, fmt);
	vsnprintf(res->error + len, sizeof(res->error) - len, fmt, ap);
	va_end(ap);
}

static const char *virt_error(void)
{
	const char *m = virGetLastErrorMessage();

	return m ? m : "unknown libvirt error";
}

/* libvirt prints every error to stderr by default; the steps report them themselves. */
static void lvg_quiet(void *data, virErrorPtr err)
{
	(void)data;
	(void)err;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *read_text(const char *path, size_t max_tail)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;
	size_t n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	if (size < 0)
		size = 0;
	if (max_tail && (size_t)size > max_tail) {
		fseek(f, size - (long)max_tail, SEEK_SET);
		size = (long)max_tail;
	} else {
		fseek(f, 0, SEEK_SET);
	}
	buf = malloc((size_t)size + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, (size_t)size, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in, out, ret = 0;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		ret = -errno;
		goto err_close_in;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			ret = -EIO;
			break;
		}
	}
	if (n < 0)
		ret = -errno;
	if (fchmod(out, mode))
		ret = -errno;
	close(out);
err_close_in:
	close(in);
	return ret;
}

static bool socket_answers(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

/* Run "<prog> -d -p <pidfile>" and return the daemon's PID, or -errno with @why filled. */
static pid_t start_daemon(const char *prog, const char *pidfile, char *why, size_t why_len)
{
	int status;
	pid_t pid = fork();
	char *text;
	long daemon_pid;

	if (pid < 0) {
		snprintf(why, why_len, "fork: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		execlp(prog, prog, "-d", "-p", pidfile, (char *)NULL);
		fprintf(stderr, "exec %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		snprintf(why, why_len, "waitpid: %s", strerror(errno));
		return -ECHILD;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(why, why_len, "`%s -d` failed (status %d%s)", prog,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFEXITED(status) && WEXITSTATUS(status) == 127 ? ", not installed?" : "");
		return -EIO;
	}
	text = read_text(pidfile, 0);
	daemon_pid = text ? strtol(text, NULL, 10) : 0;
	free(text);
	if (daemon_pid <= 1) {
		snprintf(why, why_len, "%s started but wrote no PID to %s", prog, pidfile);
		return -EIO;
	}
	return (pid_t)daemon_pid;
}

static bool process_gone(pid_t pid)
{
	char path[64], *stat;
	bool zombie = false;

	if (kill(pid, 0) && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	stat = read_text(path, 0);
	if (!stat)
		return true;
	/* "pid (comm) S ...": the state follows the last ')' */
	if (strrchr(stat, ')'))
		zombie = strrchr(stat, ')')[2] == 'Z';
	free(stat);
	return zombie;
}

static int stop_daemon(pid_t pid)
{
	double deadline = now_s() + LVG_DAEMON_WAIT_S;

	if (kill(pid, SIGTERM) && errno == ESRCH)
		return 0;
	while (!process_gone(pid)) {
		if (now_s() > deadline) {
			kill(pid, SIGKILL);
			return -ETIMEDOUT;
		}
		usleep(20000);
	}
	return 0;
}

static void xml_escape(char *out, size_t size, const char *in)
{
	size_t o = 0;

	for (; *in && o + 7 < size; in++) {
		const char *rep = NULL;

		switch (*in) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '\'':
			rep = "&apos;";
			break;
		case '"':
			rep = "&quot;";
			break;
		}
		if (rep) {
			memcpy(out + o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
}

char *lvg_domain_xml(const struct lvg_config *cfg, const char *kernel, const char *console)
{
	char name[256], k[512], c[512], cmd[1024], *xml;
	int n;

	xml_escape(name, sizeof(name), cfg->name ? cfg->name : "gmm-selftest");
	xml_escape(k, sizeof(k), kernel);
	xml_escape(c, sizeof(c), console);
	xml_escape(cmd, sizeof(cmd), cfg->cmdline ? cfg->cmdline : "");
	n = asprintf(&xml,
		     "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
		     "  <name>%s</name>\n"
		     "  <memory unit='MiB'>%u</memory>\n"
		     "  <vcpu>1</vcpu>\n"
		     "  <os>\n"
		     "    <type arch='x86_64' machine='%s'>hvm</type>\n"
		     "    <kernel>%s</kernel>\n"
		     "    <cmdline>%s</cmdline>\n"
		     "  </os>\n"
		     "  <on_poweroff>destroy</on_poweroff>\n"
		     "  <on_reboot>destroy</on_reboot>\n"
		     "  <on_crash>destroy</on_crash>\n"
		     "  <devices>\n"
		     "    <serial type='file'>\n"
		     "      <source path='%s'/>\n"
		     "      <target port='0'/>\n"
		     "    </serial>\n"
		     "    <controller type='usb' model='none'/>\n"
		     "    <memballoon model='none'/>\n"
		     "  </devices>\n"
		     "  <qemu:commandline>\n"
		     "    <qemu:arg value='-device'/>\n"
		     "    <qemu:arg value='isa-debug-exit,iobase=0xf4,iosize=4'/>\n"
		     "    <qemu:arg value='-device'/>\n"
		     "    <qemu:arg value='edu'/>\n"
		     "  </qemu:commandline>\n"
		     "</domain>\n",
		     name, cfg->mem_mib ? cfg->mem_mib : 32, cfg->machine ? cfg->machine : "pc", k,
		     cmd, c);
	return n < 0 ? NULL : xml;
}

/* lock: one run at a time on this host, so one run's cleanup cannot stop another's daemon. */
static int step_lock(struct lvg_run_state *st, struct lvg_result *res)
{
	st->lock_fd = open(LVG_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (st->lock_fd < 0) {
		lvg_fail(res, "lock", "open %s: %s", LVG_LOCK, strerror(errno));
		return -1;
	}
	if (flock(st->lock_fd, LOCK_EX)) {
		lvg_fail(res, "lock", "flock %s: %s", LVG_LOCK, strerror(errno));
		return -1;
	}
	return 0;
}

static int step_stage(struct lvg_run_state *st, const struct lvg_config *cfg,
		      struct lvg_result *res)
{
	int err;

	snprintf(st->stage, sizeof(st->stage), "%s", LVG_STAGE_TEMPLATE);
	if (!mkdtemp(st->stage)) {
		lvg_fail(res, "stage", "mkdtemp %s: %s (is libvirt-daemon-system installed?)",
			 LVG_STAGE_TEMPLATE, strerror(errno));
		st->stage[0] = '\0';
		return -1;
	}
	/* libvirt-qemu must traverse it to open the kernel */
	if (chmod(st->stage, 0755)) {
		lvg_fail(res, "stage", "chmod %s: %s", st->stage, strerror(errno));
		return -1;
	}
	snprintf(st->kernel, sizeof(st->kernel), "%s/guest.elf", st->stage);
	snprintf(st->console, sizeof(st->console), "%s/console.log", st->stage);
	err = copy_file(cfg->image, st->kernel, 0644);
	if (err) {
		lvg_fail(res, "stage", "copy %s to %s: %s", cfg->image, st->kernel, strerror(-err));
		return -1;
	}
	return 0;
}

static int step_kvm(struct lvg_run_state *st, struct lvg_result *res)
{
	struct group *kvm = getgrnam("kvm");
	struct stat s;

	if (!kvm) {
		lvg_fail(res, "kvm", "no group 'kvm' (libvirt-daemon-system creates it)");
		return -1;
	}
	if (stat("/dev/kvm", &s)) {
		lvg_fail(res, "kvm", "/dev/kvm: %s", strerror(errno));
		return -1;
	}
	if (s.st_gid == kvm->gr_gid && (s.st_mode & 0060) == 0060)
		return 0;
	st->kvm_orig = s;
	if (chown("/dev/kvm", 0, kvm->gr_gid) || chmod("/dev/kvm", 0660)) {
		lvg_fail(res, "kvm", "make /dev/kvm root:kvm 0660 for QEMU's user: %s",
			 strerror(errno));
		chown("/dev/kvm", s.st_uid, s.st_gid);
		return -1;
	}
	st->kvm_saved = true;
	res->changed_kvm = true;
	return 0;
}

/* Start daemon @name with its pid file in the stage folder; 0 and *@pid, or -1 (recorded). */
static int start_stage_daemon(struct lvg_run_state *st, struct lvg_result *res, const char *name,
			      pid_t *pid)
{
	char why[256], pidfile[160];

	snprintf(pidfile, sizeof(pidfile), "%s/%s.pid", st->stage, name);
	*pid = start_daemon(name, pidfile, why, sizeof(why));
	if (*pid < 0) {
		lvg_fail(res, "daemons", "%s: %s", name, why);
		return -1;
	}
	return 0;
}

static int step_daemons(struct lvg_run_state *st, struct lvg_result *res)
{
	if (socket_answers(LVG_LIBVIRTD_SOCK))
		return 0;
	if (!socket_answers(LVG_VIRTLOGD_SOCK)) {
		if (start_stage_daemon(st, res, "virtlogd", &st->virtlogd))
			return -1;
		res->virtlogd_pid = (int)st->virtlogd;
	}
	if (start_stage_daemon(st, res, "libvirtd", &st->libvirtd))
		return -1;
	res->libvirtd_pid = (int)st->libvirtd;
	res->started_daemons = true;
	return 0;
}

static int step_connect(struct lvg_run_state *st, struct lvg_result *res)
{
	double deadline = now_s() + LVG_DAEMON_WAIT_S;

	/* a freshly started libvirtd may take a moment to accept */
	while (!(st->conn = virConnectOpen(LVG_URI))) {
		if (now_s() > deadline) {
			lvg_fail(res, "connect", "virConnectOpen(%s): %s", LVG_URI, virt_error());
			return -1;
		}
		usleep(100000);
	}
	return 0;
}

static void read_qemu_log(struct lvg_run_state *st, struct lvg_result *res, bool remove)
{
	char path[256], *text;

	snprintf(path, sizeof(path), "%s/%s.log", LVG_QEMU_LOG_DIR, st->name);
	text = read_text(path, 4096);
	if (text) {
		free(res->qemu_log);
		res->qemu_log = text;
	}
	if (remove)
		unlink(path);
}

static int step_create(struct lvg_run_state *st, const struct lvg_config *cfg,
		       struct lvg_result *res)
{
	struct lvg_config named = *cfg;

	named.name = st->name;
	res->xml = lvg_domain_xml(&named, st->kernel, st->console);
	if (!res->xml) {
		lvg_fail(res, "create", "out of memory for the domain XML");
		return -1;
	}
	st->dom = virDomainCreateXML(st->conn, res->xml, 0);
	if (!st->dom) {
		read_qemu_log(st, res, false);
		lvg_fail(res, "create", "virDomainCreateXML: %s", virt_error());
		return -1;
	}
	return 0;
}

static int step_wait(struct lvg_run_state *st, const struct lvg_config *cfg, struct lvg_result *res)
{
	unsigned int timeout = cfg->timeout_s ? cfg->timeout_s : 120;
	double start = now_s(), deadline = start + timeout;
	virErrorPtr err;
	int active;

	for (;;) {
		active = virDomainIsActive(st->dom);
		if (active == 0)
			break;
		if (active < 0) {
			/* a transient domain is gone once it shut off */
			err = virGetLastError();
			if (err && err->code == VIR_ERR_NO_DOMAIN)
				break;
			lvg_fail(res, "wait", "virDomainIsActive: %s", virt_error());
			return -1;
		}
		if (now_s() > deadline) {
			res->timed_out = true;
			lvg_fail(res, "wait", "the guest did not shut off within %u s", timeout);
			return -1;
		}
		usleep(50000);
	}
	res->finished = true;
	res->boot_to_off_s = now_s() - start;
	return 0;
}

static void step_destroy(struct lvg_run_state *st, struct lvg_result *res)
{
	virErrorPtr err;

	if (!st->dom)
		return;
	if (!res->finished && virDomainDestroy(st->dom)) {
		err = virGetLastError();
		if (!err ||
		    (err->code != VIR_ERR_NO_DOMAIN && err->code != VIR_ERR_OPERATION_INVALID))
			lvg_fail(res, "destroy", "virDomainDestroy: %s", virt_error());
	}
	virDomainFree(st->dom);
	st->dom = NULL;
}

static void step_console(struct lvg_run_state *st, struct lvg_result *res)
{
	if (!st->console[0])
		return;
	res->console = read_text(st->console, 0);
	if (!res->console && !res->error[0])
		lvg_fail(res, "console", "read %s: %s", st->console, strerror(errno));
}

static void step_cleanup(struct lvg_run_state *st, struct lvg_result *res)
{
	char path[160];

	if (st->conn) {
		virConnectClose(st->conn);
		st->conn = NULL;
	}
	if (st->libvirtd > 0 && stop_daemon(st->libvirtd))
		lvg_fail(res, "cleanup", "libvirtd (pid %d) ignored SIGTERM", (int)st->libvirtd);
	if (st->virtlogd > 0 && stop_daemon(st->virtlogd))
		lvg_fail(res, "cleanup", "virtlogd (pid %d) ignored SIGTERM", (int)st->virtlogd);
	if (st->kvm_saved && (chown("/dev/kvm", st->kvm_orig.st_uid, st->kvm_orig.st_gid) ||
			      chmod("/dev/kvm", st->kvm_orig.st_mode & 07777)))
		lvg_fail(res, "cleanup", "restore /dev/kvm: %s", strerror(errno));
	if (st->name[0])
		read_qemu_log(st, res, true);
	if (st->stage[0]) {
		const char *files[] = { "guest.elf", "console.log", "virtlogd.pid",
					"libvirtd.pid" };

		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", st->stage, files[i]);
			unlink(path);
		}
		if (rmdir(st->stage))
			lvg_fail(res, "cleanup", "rmdir %s: %s", st->stage, strerror(errno));
	}
	if (st->lock_fd >= 0)
		close(st->lock_fd);
}

int lvg_run(const struct lvg_config *cfg, struct lvg_result *res)
{
	struct lvg_run_state st = { .lock_fd = -1 };

	memset(res, 0, sizeof(*res));
	virSetErrorFunc(NULL, lvg_quiet);
	if (cfg->name)
		snprintf(st.name, sizeof(st.name), "%s", cfg->name);
	else
		snprintf(st.name, sizeof(st.name), "gmm-selftest-%d", (int)getpid());
	if (step_lock(&st, res) || step_stage(&st, cfg, res) || step_kvm(&st, res) ||
	    step_daemons(&st, res) || step_connect(&st, res) || step_create(&st, cfg, res))
		goto cleanup;
	step_wait(&st, cfg, res);
cleanup:
	step_destroy(&st, res);
	step_console(&st, res);
	step_cleanup(&st, res);
	if (!res->console)
		res->console = strdup("");
	if (!res->qemu_log)
		res->qemu_log = strdup("");
	return res->error[0] ? -1 : 0;
}

void lvg_result_free(struct lvg_result *res)
{
	free(res->console);
	free(res->qemu_log);
	free(res->xml);
	res->console = res->qemu_log = res->xml = NULL;
}
