/* SPDX-License-Identifier: MIT */
/*
 * notify.c: the datagrams systemd would receive on $NOTIFY_SOCKET, on a
 * socket path and in the abstract namespace, and WATCHDOG_USEC /
 * WATCHDOG_PID as sd_watchdog_enabled(3) reads them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"
#include "testlib.h"

#if GADGETD_NOTIFY
/* A datagram socket bound where NOTIFY_SOCKET says. */
static int notify_listener(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(name);
	socklen_t sa_len;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@') {
		sa.sun_path[0] = '\0';
		sa_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				     len);
	} else {
		sa_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				     len + 1);
	}
	if (bind(fd, (struct sockaddr *)&sa, sa_len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The next datagram, or "" when none is waiting. */
static const char *notify_received(int fd, char *buf, size_t size)
{
	ssize_t n = recv(fd, buf, size - 1, 0);

	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static void test_messages(const char *name)
{
	char buf[512];
	int fd = notify_listener(name);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT_EQ(setenv("NOTIFY_SOCKET", name, 1), 0);

	notify_ready("bound: profile ecm-only, udc dummy_udc.0");
	CHECK_STR_EQ(
		notify_received(fd, buf, sizeof(buf)),
		"READY=1\nSTATUS=bound: profile ecm-only, udc dummy_udc.0");
	notify_status("configured: profile msd, udc dummy_udc.0");
	CHECK_STR_EQ(notify_received(fd, buf, sizeof(buf)),
		     "STATUS=configured: profile msd, udc dummy_udc.0");
	notify_watchdog();
	CHECK_STR_EQ(notify_received(fd, buf, sizeof(buf)), "WATCHDOG=1");
	notify_stopping();
	CHECK_STR_EQ(notify_received(fd, buf, sizeof(buf)), "STOPPING=1");
	CHECK_INT_EQ(notify_send("STATUS=x"), 1);
	CHECK_STR_EQ(notify_received(fd, buf, sizeof(buf)), "STATUS=x");
	/* Nothing more than was sent. */
	CHECK_STR_EQ(notify_received(fd, buf, sizeof(buf)), "");
	close(fd);
	unsetenv("NOTIFY_SOCKET");
}

static void test_no_socket(void)
{
	char path[] = "/tmp/gadgetd-test-notify-XXXXXX";
	char *sock = NULL;

	unsetenv("NOTIFY_SOCKET");
	CHECK_INT_EQ(notify_send("READY=1"), 0);
	CHECK_INT_EQ(setenv("NOTIFY_SOCKET", "", 1), 0);
	CHECK_INT_EQ(notify_send("READY=1"), 0);
	/* Neither a path nor an abstract name: systemd's vsock form. */
	CHECK_INT_EQ(setenv("NOTIFY_SOCKET", "vsock:2:1234", 1), 0);
	CHECK_INT_EQ(notify_send("READY=1"), -EAFNOSUPPORT);
	/* No one listening: an error, which notify_ready() ignores. */
	if (!mkdtemp(path) || asprintf(&sock, "%s/notify", path) < 0) {
		CHECK(!"temporary directory");
		return;
	}
	CHECK_INT_EQ(setenv("NOTIFY_SOCKET", sock, 1), 0);
	CHECK_INT_EQ(notify_send("READY=1"), -ENOENT);
	notify_ready("x");
	unsetenv("NOTIFY_SOCKET");
	free(sock);
	rmdir(path);
}

static void test_watchdog(void)
{
	char pid[32];

	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	CHECK_INT_EQ(notify_watchdog_usec(), 0);

	CHECK_INT_EQ(setenv("WATCHDOG_USEC", "30000000", 1), 0);
	CHECK_INT_EQ(notify_watchdog_usec(), 30000000);

	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	CHECK_INT_EQ(setenv("WATCHDOG_PID", pid, 1), 0);
	CHECK_INT_EQ(notify_watchdog_usec(), 30000000);
	/* Inherited by a child: the watchdog is not the child's. */
	snprintf(pid, sizeof(pid), "%ld", (long)getpid() + 1);
	CHECK_INT_EQ(setenv("WATCHDOG_PID", pid, 1), 0);
	CHECK_INT_EQ(notify_watchdog_usec(), 0);
	CHECK_INT_EQ(setenv("WATCHDOG_PID", "garbage", 1), 0);
	CHECK_INT_EQ(notify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_PID");

	CHECK_INT_EQ(setenv("WATCHDOG_USEC", "0", 1), 0);
	CHECK_INT_EQ(notify_watchdog_usec(), 0);
	CHECK_INT_EQ(setenv("WATCHDOG_USEC", "-5", 1), 0);
	CHECK_INT_EQ(notify_watchdog_usec(), 0);
	CHECK_INT_EQ(setenv("WATCHDOG_USEC", "30s", 1), 0);
	CHECK_INT_EQ(notify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_USEC");
}

#endif

int main(void)
{
	char path[] = "/tmp/gadgetd-test-notify-XXXXXX";
	char *sock = NULL, *abstract = NULL;

#if GADGETD_NOTIFY
	if (mkdtemp(path) && asprintf(&sock, "%s/notify", path) >= 0) {
		test_messages(sock);
		unlink(sock);
		rmdir(path);
	} else {
		CHECK(!"temporary directory");
	}
	if (asprintf(&abstract, "@gadgetd-test-notify-%ld", (long)getpid()) >=
	    0)
		test_messages(abstract);
	test_no_socket();
	test_watchdog();
#else
	/* Built out (GADGETD_SYSTEMD=off): silent whatever the environment. */
	(void)path;
	CHECK_INT_EQ(setenv("NOTIFY_SOCKET", "@gadgetd-test-notify", 1), 0);
	CHECK_INT_EQ(notify_send("READY=1"), 0);
	CHECK_INT_EQ(setenv("WATCHDOG_USEC", "30000000", 1), 0);
	CHECK_INT_EQ(notify_watchdog_usec(), 0);
#endif
	free(sock);
	free(abstract);
	return testlib_finish("test-notify");
}
