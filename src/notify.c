/* SPDX-License-Identifier: MIT */
/*
 * sd_notify(3) by hand.  The protocol is one AF_UNIX datagram of
 * newline-separated VAR=VALUE lines sent to the socket named by
 * $NOTIFY_SOCKET (a path, or '@' for the abstract namespace); systemd
 * knows the sender by the kernel's credentials of the datagram, so nothing
 * more is needed.  Linking libsystemd for this cost about 0.5 MiB of RSS
 * and several milliseconds of dynamic loading on every CLI call (bench/).
 *
 * The environment is left as it is (sd_notify's unset_environment = 0):
 * hooks and the DHCP server inherit NOTIFY_SOCKET, and systemd's default
 * NotifyAccess=main ignores what they might send.
 */
#include "notify.h"

#if GADGETD_NOTIFY
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int notify_send(const char *message)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len, msg_len = strlen(message);
	socklen_t sa_len;
	ssize_t n;
	int fd, r = 1;

	if (!name || !*name)
		return 0;
	len = strlen(name);
	/* systemd 253's "vsock:CID:PORT" is for VMs, not a board's init. */
	if (name[0] != '/' && name[0] != '@')
		return -EAFNOSUPPORT;
	if (len > sizeof(sa.sun_path) - (name[0] == '/'))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@') {
		/* Abstract: a leading NUL, and the length says where the
		 * name ends (no terminating NUL). */
		sa.sun_path[0] = '\0';
		sa_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				     len);
	} else {
		sa_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				     len + 1);
	}

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = sendto(fd, message, msg_len, MSG_NOSIGNAL, (struct sockaddr *)&sa,
		   sa_len);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != msg_len)
		r = -EMSGSIZE;
	close(fd);
	return r;
}

/* One VAR=VALUE line after an optional first one ("READY=1\n"). */
static void notify_send_status(const char *first, const char *status)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%sSTATUS=%s", first, status ? status : "");
	(void)notify_send(buf);
}

void notify_ready(const char *status)
{
	notify_send_status("READY=1\n", status);
}

void notify_status(const char *status)
{
	notify_send_status("", status);
}

void notify_stopping(void)
{
	(void)notify_send("STOPPING=1");
}

void notify_watchdog(void)
{
	(void)notify_send("WATCHDOG=1");
}

/* Decimal only, as systemd writes them; anything else counts as unset. */
static int notify_env_u64(const char *name, uint64_t *out)
{
	const char *s = getenv(name);
	char *end;
	uintmax_t v;

	if (!s || !*s)
		return -ENOENT;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoumax(s, &end, 10);
	if (errno || *end || v > UINT64_MAX)
		return -EINVAL;
	*out = (uint64_t)v;
	return 0;
}

uint64_t notify_watchdog_usec(void)
{
	uint64_t usec, pid;

	if (notify_env_u64("WATCHDOG_USEC", &usec) < 0 || usec == 0)
		return 0;
	/* WATCHDOG_PID names the process the watchdog is for: a child that
	 * inherited the environment is not it (sd_watchdog_enabled(3)). */
	switch (notify_env_u64("WATCHDOG_PID", &pid)) {
	case -ENOENT:
		break;
	case 0:
		if (pid == (uint64_t)getpid())
			break;
		return 0;
	default:
		return 0;
	}
	return usec;
}

#else

int notify_send(const char *message)
{
	(void)message;
	return 0;
}

void notify_ready(const char *status)
{
	(void)status;
}

void notify_status(const char *status)
{
	(void)status;
}

void notify_stopping(void)
{
}

void notify_watchdog(void)
{
}

uint64_t notify_watchdog_usec(void)
{
	return 0;
}

#endif
