/* SPDX-License-Identifier: MIT */
/*
 * vm-udc-watch: when a UDC's state changed, to the microsecond, for
 * measuring how long gadgetd takes from the kernel's change to its hook
 * (daemon-host-presence).  It watches the state attribute the way the
 * daemon does (POLLPRI after a read), beside it.
 *
 *   vm-udc-watch UDC SECONDS   prints "ready", then "T STATE" at each
 *                              change, for SECONDS
 *   vm-udc-watch now           prints T now
 *
 * T is CLOCK_BOOTTIME in seconds with six decimals: /proc/uptime's clock,
 * so hooks and the scenario can stamp their own lines with `now`.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double vm_udc_watch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int vm_udc_watch_read(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	if (n < 0)
		return -errno;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

int main(int argc, char **argv)
{
	char path[256], state[64];
	double until;
	int fd;

	if (argc == 2 && strcmp(argv[1], "now") == 0) {
		printf("%.6f\n", vm_udc_watch_now());
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: vm-udc-watch UDC SECONDS | now\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/sys/class/udc/%s/state", argv[1]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || vm_udc_watch_read(fd, state, sizeof(state)) < 0) {
		fprintf(stderr, "vm-udc-watch: %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	until = vm_udc_watch_now() + atof(argv[2]);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		double left = until - vm_udc_watch_now();
		struct pollfd p = { .fd = fd, .events = POLLPRI };
		int r;

		if (left <= 0)
			return 0;
		r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno != EINTR)
			return 1;
		if (r <= 0)
			continue;
		if (vm_udc_watch_read(fd, state, sizeof(state)) < 0)
			return 1;
		printf("%.6f %s\n", vm_udc_watch_now(), state);
		fflush(stdout);
	}
}
