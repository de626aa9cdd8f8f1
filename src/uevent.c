/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "uevent.h"
#include "util.h"

/* Group 1 carries the kernel's own messages; udev re-broadcasts on 2. */
#define UEVENT_GROUP_KERNEL 1u

static const char *uevent_value(const char *field, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(field, key, n) == 0 && field[n] == '=')
		return field + n + 1;
	return NULL;
}

/* /devices/platform/dummy_udc.0/gadget.0 -> dummy_udc.0 */
static void uevent_gadget_udc(struct uevent *ev)
{
	const char *last = strrchr(ev->devpath, '/'), *parent;
	size_t n;

	if (!last || last == ev->devpath)
		return;
	for (parent = last - 1; parent > ev->devpath && *parent != '/';)
		parent--;
	parent++;
	n = (size_t)(last - parent);
	if (n == 0 || n >= sizeof(ev->gadget_udc))
		return;
	memcpy(ev->gadget_udc, parent, n);
	ev->gadget_udc[n] = '\0';
}

int uevent_parse(const char *buf, size_t len, struct uevent *out)
{
	const char *end = buf + len, *p, *at, *v;
	size_t header_action_len;

	memset(out, 0, sizeof(*out));
	if (len == 0 || buf[len] != '\0')
		return -EBADMSG;
	/* udev's messages start with "libudev\0" and a binary header. */
	if (len >= 8 && memcmp(buf, "libudev", 8) == 0)
		return -EPROTO;
	at = memchr(buf, '@', strnlen(buf, len));
	if (!at || at == buf)
		return -EBADMSG;
	header_action_len = (size_t)(at - buf);

	for (p = buf + strlen(buf) + 1; p < end; p += strlen(p) + 1) {
		if ((v = uevent_value(p, "ACTION")))
			out->action = v;
		else if ((v = uevent_value(p, "DEVPATH")))
			out->devpath = v;
		else if ((v = uevent_value(p, "SUBSYSTEM")))
			out->subsystem = v;
		else if ((v = uevent_value(p, "DEVNAME")))
			out->devname = v;
		else if ((v = uevent_value(p, "DEVTYPE")))
			out->devtype = v;
		else if ((v = uevent_value(p, "DRIVER")))
			out->driver = v;
		else if ((v = uevent_value(p, "SEQNUM")))
			out->seqnum = strtoull(v, NULL, 10);
	}
	if (!out->action || !out->devpath || !out->subsystem || !*out->action ||
	    !*out->devpath)
		return -EBADMSG;
	/* The header repeats ACTION and DEVPATH; a message whose header
	 * disagrees is not one the kernel wrote. */
	if (strlen(out->action) != header_action_len ||
	    strncmp(buf, out->action, header_action_len) != 0 ||
	    strcmp(at + 1, out->devpath) != 0)
		return -EBADMSG;
	if (strcmp(out->subsystem, "gadget") == 0)
		uevent_gadget_udc(out);
	return 0;
}

const char *uevent_udc_name(const struct uevent *ev)
{
	const char *slash;

	if (ev->subsystem && strcmp(ev->subsystem, "gadget") == 0)
		return ev->gadget_udc[0] ? ev->gadget_udc : NULL;
	if (ev->subsystem && strcmp(ev->subsystem, "module") == 0) {
		if (strcmp(ev->action, "add") != 0)
			return NULL;
		slash = strrchr(ev->devpath, '/');
		return slash && slash[1] ? slash + 1 : NULL;
	}
	if (!ev->subsystem || strcmp(ev->subsystem, "udc") != 0)
		return NULL;
	slash = strrchr(ev->devpath, '/');
	if (!slash || !slash[1])
		return NULL;
	return slash + 1;
}

int uevent_open(int *out)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = UEVENT_GROUP_KERNEL,
	};
	int fd, r, size = 1024 * 1024;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	/* Module loading sends bursts of uevents (one per device, driver,
	 * kobject); a roomy buffer makes ENOBUFS rare.  FORCE needs
	 * CAP_NET_ADMIN, the plain one is the fallback. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size,
				 sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	*out = fd;
	return 0;
}

int uevent_receive(int fd, char *buf, size_t size, struct uevent *out)
{
	struct sockaddr_nl addr;
	struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
	struct msghdr msg = {
		.msg_name = &addr,
		.msg_namelen = sizeof(addr),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	/* Only the kernel (port 0) sends on group 1; anything else is a
	 * forgery by a local process. */
	if (msg.msg_namelen != sizeof(addr) || addr.nl_pid != 0)
		return -EPERM;
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	buf[n] = '\0';
	return uevent_parse(buf, (size_t)n, out);
}
