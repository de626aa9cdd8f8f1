/* SPDX-License-Identifier: MIT */
/*
 * benchtime: the clock of the bench, inside the VM (busybox's date has
 * one-second resolution).  Times are CLOCK_MONOTONIC milliseconds from
 * just before the command is started.
 *
 *   benchtime run [--bound UDC GADGET] [--ready VID:PID] [--deadline S]
 *                 CMD [ARG...]
 *       cmd=MS: CMD exited (its status is benchtime's); with --bound also
 *       bound=MS: UDC runs configfs gadget GADGET (the UDC core sends a
 *       change uevent as the write to the gadget's UDC attribute returns);
 *       with --ready also ready=MS: the host has configured device VID:PID
 *       and a driver is bound to every interface of its configuration.
 *   benchtime term PID [--deadline S]
 *       cmd=MS: SIGTERM to PID until PID has exited (any process).
 *   benchtime reaction UDC GADGET [--deadline S] CMD [ARG...]
 *       cmd=MS udc=MS bound=MS: CMD (modprobe) exited, /sys/class/udc/UDC
 *       appeared, and the UDC runs configfs gadget GADGET (its `function`
 *       attribute names it).
 *
 * The command's output goes to the file BENCHTIME_LOG names, if set.
 *
 * Waiting is driven by the kernel's uevents (interface binds, the UDC's
 * add and change) and the command's pidfd, with a 20 ms re-check in case
 * an event says nothing we look for: the bench spends no CPU polling while
 * the program under test runs on the VM's one CPU.  Exit status: the
 * command's, or 1 when a deadline passed (with a message on stderr).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_RECHECK_MS 20
#define BENCH_USAGE (-2)
#define BENCH_USB_DEVICES "/sys/bus/usb/devices"

static double bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int bench_uevent_open(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int size = 1 << 20;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size,
				 sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void bench_uevent_drain(int fd)
{
	char buf[8192];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0 || errno == ENOBUFS)
		;
}

static int bench_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

static bool bench_attr_is(const char *dir, const char *attr, const char *want)
{
	char path[1024], value[128];

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	return bench_read(path, value, sizeof(value)) == 0 &&
	       strcmp(value, want) == 0;
}

/* The host side: device VID:PID configured, every interface of the active
 * configuration with a driver. */
static bool bench_host_ready(const char *vid, const char *pid)
{
	char dev[256], path[640], value[32], prefix[320];
	bool ready = false;
	struct dirent *e;
	DIR *d = opendir(BENCH_USB_DEVICES);
	long want = -1, bound = 0;

	if (!d)
		return false;
	dev[0] = '\0';
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, "usb", 3) == 0 ||
		    strchr(e->d_name, ':'))
			continue;
		snprintf(path, sizeof(path), BENCH_USB_DEVICES "/%s",
			 e->d_name);
		if (bench_attr_is(path, "idVendor", vid) &&
		    bench_attr_is(path, "idProduct", pid)) {
			snprintf(dev, sizeof(dev), "%s", e->d_name);
			break;
		}
	}
	if (!dev[0])
		goto out;
	snprintf(path, sizeof(path),
		 BENCH_USB_DEVICES "/%s/bConfigurationValue", dev);
	if (bench_read(path, value, sizeof(value)) < 0 || !value[0])
		goto out;
	snprintf(prefix, sizeof(prefix), "%s:%s.", dev, value);
	snprintf(path, sizeof(path), BENCH_USB_DEVICES "/%s/bNumInterfaces",
		 dev);
	if (bench_read(path, value, sizeof(value)) < 0)
		goto out;
	want = strtol(value, NULL, 10);
	rewinddir(d);
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), BENCH_USB_DEVICES "/%s/driver",
			 e->d_name);
		if (access(path, F_OK) == 0)
			bound++;
	}
	ready = want > 0 && bound == want;
out:
	closedir(d);
	return ready;
}

static int bench_pidfd(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* The command's stdout and stderr go to BENCHTIME_LOG when set: a daemon
 * that stays in the background must not hold benchtime's caller's pipe. */
static pid_t bench_spawn(char **argv)
{
	const char *log = getenv("BENCHTIME_LOG");
	pid_t pid = fork();

	if (pid == 0) {
		if (log) {
			int fd = open(log,
				      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				      0644);

			if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
			    dup2(fd, STDERR_FILENO) < 0)
				_exit(127);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "benchtime: %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	return pid;
}

static double bench_deadline(int *argc, char ***argv, const char *opt,
			     double dflt)
{
	if (*argc >= 2 && strcmp((*argv)[0], opt) == 0) {
		double v = strtod((*argv)[1], NULL);

		*argc -= 2;
		*argv += 2;
		return v;
	}
	return dflt;
}

struct bench_wait {
	int uevent_fd;
	int pid_fd; /* -1 once the command exited */
	pid_t pid;
	int status;
	double t0, cmd_ms;
};

/* Wait for an event or BENCH_RECHECK_MS; records the command's exit. */
static void bench_wait_once(struct bench_wait *w)
{
	struct pollfd p[2] = { { .fd = w->uevent_fd, .events = POLLIN },
			       { .fd = w->pid_fd, .events = POLLIN } };

	if (poll(p, w->pid_fd >= 0 ? 2 : 1, BENCH_RECHECK_MS) <= 0)
		return;
	if (p[0].revents)
		bench_uevent_drain(w->uevent_fd);
	if (w->pid_fd >= 0 && p[1].revents) {
		w->cmd_ms = bench_now_ms() - w->t0;
		waitpid(w->pid, &w->status, 0);
		close(w->pid_fd);
		w->pid_fd = -1;
	}
}

static int bench_status(const struct bench_wait *w)
{
	if (WIFEXITED(w->status))
		return WEXITSTATUS(w->status);
	return 128 + (WIFSIGNALED(w->status) ? WTERMSIG(w->status) : 0);
}

static int bench_start(struct bench_wait *w, char **argv)
{
	memset(w, 0, sizeof(*w));
	w->uevent_fd = bench_uevent_open();
	if (w->uevent_fd < 0) {
		perror("benchtime: uevent socket");
		return -1;
	}
	w->t0 = bench_now_ms();
	w->pid = bench_spawn(argv);
	if (w->pid < 0) {
		perror("benchtime: fork");
		return -1;
	}
	w->pid_fd = bench_pidfd(w->pid);
	if (w->pid_fd < 0) {
		perror("benchtime: pidfd_open");
		return -1;
	}
	return 0;
}

static int bench_run(int argc, char **argv)
{
	char vid[16] = "", pid[16] = "", udc_dir[300] = "";
	double deadline, ready_ms = -1, bound_ms = -1;
	const char *gadget = NULL;
	struct bench_wait w;

	if (argc >= 3 && strcmp(argv[0], "--bound") == 0) {
		snprintf(udc_dir, sizeof(udc_dir), "/sys/class/udc/%s",
			 argv[1]);
		gadget = argv[2];
		argc -= 3;
		argv += 3;
	}
	if (argc >= 2 && strcmp(argv[0], "--ready") == 0) {
		if (sscanf(argv[1], "%15[0-9a-f]:%15[0-9a-f]", vid, pid) != 2)
			return BENCH_USAGE;
		argc -= 2;
		argv += 2;
	}
	deadline = bench_deadline(&argc, &argv, "--deadline", 30) * 1e3;
	if (argc < 1)
		return BENCH_USAGE;
	if (bench_start(&w, argv) < 0)
		return 1;
	for (;;) {
		bool waiting = w.pid_fd >= 0 || (vid[0] && ready_ms < 0) ||
			       (gadget && bound_ms < 0);

		if (!waiting)
			break;
		if (bench_now_ms() - w.t0 > deadline) {
			fprintf(stderr, "benchtime: %s: not %s after %.0f ms\n",
				argv[0],
				w.pid_fd >= 0		 ? "exited"
				: bound_ms < 0 && gadget ? "bound to the UDC"
							 : "ready on the host",
				deadline);
			return 1;
		}
		if (gadget && bound_ms < 0 &&
		    bench_attr_is(udc_dir, "function", gadget))
			bound_ms = bench_now_ms() - w.t0;
		if (vid[0] && ready_ms < 0 && bench_host_ready(vid, pid))
			ready_ms = bench_now_ms() - w.t0;
		if (w.pid_fd >= 0 || (vid[0] && ready_ms < 0) ||
		    (gadget && bound_ms < 0))
			bench_wait_once(&w);
	}
	printf("cmd=%.3f", w.cmd_ms);
	if (gadget)
		printf(" bound=%.3f", bound_ms);
	if (vid[0])
		printf(" ready=%.3f", ready_ms);
	putchar('\n');
	return bench_status(&w);
}

static int bench_term(int argc, char **argv)
{
	double t0, deadline;
	struct pollfd p;
	pid_t pid;
	int fd;

	if (argc < 1)
		return BENCH_USAGE;
	pid = (pid_t)strtol(argv[0], NULL, 10);
	argc--;
	argv++;
	deadline = bench_deadline(&argc, &argv, "--deadline", 30) * 1e3;
	fd = bench_pidfd(pid);
	if (fd < 0) {
		fprintf(stderr, "benchtime: pid %d: %s\n", (int)pid,
			strerror(errno));
		return 1;
	}
	p.fd = fd;
	p.events = POLLIN;
	t0 = bench_now_ms();
	if (kill(pid, SIGTERM) < 0) {
		perror("benchtime: kill");
		return 1;
	}
	if (poll(&p, 1, (int)deadline) != 1) {
		fprintf(stderr, "benchtime: pid %d: not gone after %.0f ms\n",
			(int)pid, deadline);
		return 1;
	}
	printf("cmd=%.3f\n", bench_now_ms() - t0);
	return 0;
}

static int bench_reaction(int argc, char **argv)
{
	double deadline, udc_ms = -1, bound_ms = -1;
	char dir[300];
	const char *udc, *gadget;
	struct bench_wait w;

	if (argc < 3)
		return BENCH_USAGE;
	udc = argv[0];
	gadget = argv[1];
	argc -= 2;
	argv += 2;
	deadline = bench_deadline(&argc, &argv, "--deadline", 30) * 1e3;
	if (argc < 1)
		return BENCH_USAGE;
	snprintf(dir, sizeof(dir), "/sys/class/udc/%s", udc);
	if (bench_start(&w, argv) < 0)
		return 1;
	while (w.pid_fd >= 0 || bound_ms < 0) {
		if (bench_now_ms() - w.t0 > deadline) {
			fprintf(stderr, "benchtime: udc %s: %s after %.0f ms\n",
				udc,
				udc_ms < 0 ? "not there"
					   : "does not run the gadget",
				deadline);
			return 1;
		}
		if (udc_ms < 0 && access(dir, F_OK) == 0)
			udc_ms = bench_now_ms() - w.t0;
		if (udc_ms >= 0 && bound_ms < 0 &&
		    bench_attr_is(dir, "function", gadget))
			bound_ms = bench_now_ms() - w.t0;
		if (w.pid_fd >= 0 || bound_ms < 0)
			bench_wait_once(&w);
	}
	printf("cmd=%.3f udc=%.3f bound=%.3f\n", w.cmd_ms, udc_ms, bound_ms);
	return bench_status(&w);
}

/*
 * The VM has one CPU.  A command that keeps running after the event
 * benchtime waits for (a daemon doing its post-bind bookkeeping after the
 * UDC write) would otherwise delay benchtime's wakeup until the scheduler
 * preempts it, a few milliseconds that belong to no figure.  As the
 * lowest real-time priority benchtime runs as soon as a uevent or the
 * command's exit wakes it; SCHED_RESET_ON_FORK keeps the command an
 * ordinary process.
 */
static void bench_observer_priority(void)
{
	struct sched_param sp = { .sched_priority = 1 };

	if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) < 0)
		perror("benchtime: SCHED_FIFO (figures may include wakeup "
		       "latency)");
}

int main(int argc, char **argv)
{
	int r = BENCH_USAGE;

	bench_observer_priority();

	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		r = bench_run(argc - 2, argv + 2);
	else if (argc >= 2 && strcmp(argv[1], "term") == 0)
		r = bench_term(argc - 2, argv + 2);
	else if (argc >= 2 && strcmp(argv[1], "reaction") == 0)
		r = bench_reaction(argc - 2, argv + 2);
	if (r == BENCH_USAGE) {
		fputs("usage: benchtime run [--bound UDC GADGET] [--ready VID:PID] "
		      "[--deadline S] CMD...\n"
		      "       benchtime term PID [--deadline S]\n"
		      "       benchtime reaction UDC GADGET [--deadline S] "
		      "CMD...\n",
		      stderr);
		r = 2;
	}
	return r;
}
