/* SPDX-License-Identifier: MIT */
/*
 * Kernel uevents from the NETLINK_KOBJECT_UEVENT socket, without udev: the
 * daemon learns here that a UDC appeared, went away, or had a gadget bound
 * or unbound (the UDC core sends "change" for both).
 *
 * The daemon treats a uevent only as a reason to look at sysfs again; it
 * never trusts a message's content for a decision, so a lost or reordered
 * message costs nothing but the next rescan.
 */
#ifndef GADGETD_UEVENT_H
#define GADGETD_UEVENT_H

#include <stddef.h>

/* The kernel caps one uevent at UEVENT_BUFFER_SIZE (2048) bytes of
 * environment plus the "ACTION@DEVPATH" header. */
#define UEVENT_MSG_MAX 8192

/* Pointers into the message buffer; NULL when the key was absent. */
struct uevent {
	const char *action; /* add remove change bind unbind move online ... */
	const char *devpath; /* /devices/platform/dummy_udc.0/udc/dummy_udc.0 */
	const char *subsystem; /* "udc" */
	const char *devname;
	const char *devtype;
	const char *driver;
	unsigned long long seqnum;
	/* "gadget" subsystem: the UDC (the controller's name) the gadget
	 * device belongs to, "" otherwise. */
	char gadget_udc[128];
};

/*
 * Parse one kernel message: "ACTION@DEVPATH" then NUL-separated KEY=VALUE
 * strings.  buf must hold len bytes followed by a NUL (the receiver
 * guarantees it).  -EPROTO for udev's own "libudev" messages, -EBADMSG for
 * a message without ACTION, DEVPATH or SUBSYSTEM, or whose header
 * disagrees with them.
 */
int uevent_parse(const char *buf, size_t len, struct uevent *out);

/*
 * What a UDC-related event is about, for the daemon's rescan: the UDC name
 * of a "udc" subsystem event (the devpath's last component); for a
 * "gadget" subsystem event the UDC whose gadget device it is (the component
 * before: the controller, whose name the UDC takes); for a "module" "add"
 * the module's name, because the kernel sends it once the module's init is
 * done, and a UDC its driver registered can be bound only from then on
 * (udc.h).  NULL for anything else.
 */
const char *uevent_udc_name(const struct uevent *ev);

/* Open a non-blocking socket subscribed to the kernel's uevents. */
int uevent_open(int *fd);

/*
 * Read one message into buf (size >= UEVENT_MSG_MAX) and parse it.  Returns
 * 0, -EAGAIN when nothing is pending, -EPERM for a message that did not
 * come from the kernel, -ENOBUFS when the kernel dropped messages (rescan
 * everything), or a parse error.
 */
int uevent_receive(int fd, char *buf, size_t size, struct uevent *out);

#endif
