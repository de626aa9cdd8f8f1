/* SPDX-License-Identifier: MIT */
/*
 * uevent.c: parsing NETLINK_KOBJECT_UEVENT payloads as the kernel sends
 * them (samples of what the UDC core sends on dummy_hcd load, unload and
 * gadget bind), refusing udev's and malformed ones; and, where the kernel
 * lets us, one synthetic uevent received on a real socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "uevent.h"
#include "util.h"

#define MSG(s) s, sizeof(s) - 1

/* The buffer the receiver fills: the payload, then a NUL. */
static int parse(const char *payload, size_t len, struct uevent *ev, char *buf)
{
	memcpy(buf, payload, len);
	buf[len] = '\0';
	return uevent_parse(buf, len, ev);
}

static void test_udc_events(void)
{
	static char buf[UEVENT_MSG_MAX];
	struct uevent ev;

	CHECK_INT_EQ(
		parse(MSG("add@/devices/platform/dummy_udc.0/udc/dummy_udc.0\0"
			  "ACTION=add\0"
			  "DEVPATH=/devices/platform/dummy_udc.0/udc/dummy_udc.0\0"
			  "SUBSYSTEM=udc\0"
			  "SEQNUM=2411\0"),
		      &ev, buf),
		0);
	CHECK_STR_EQ(ev.action, "add");
	CHECK_STR_EQ(ev.subsystem, "udc");
	CHECK_STR_EQ(ev.devpath,
		     "/devices/platform/dummy_udc.0/udc/dummy_udc.0");
	CHECK_INT_EQ(ev.seqnum, 2411);
	CHECK(ev.devname == NULL);
	CHECK_STR_EQ(uevent_udc_name(&ev), "dummy_udc.0");

	CHECK_INT_EQ(
		parse(MSG("change@/devices/platform/fe980000.usb/udc/fe980000.usb\0"
			  "ACTION=change\0"
			  "DEVPATH=/devices/platform/fe980000.usb/udc/fe980000.usb\0"
			  "SUBSYSTEM=udc\0"
			  "USB_UDC_NAME=fe980000.usb\0"
			  "USB_UDC_DRIVER=g1\0"
			  "SEQNUM=7\0"),
		      &ev, buf),
		0);
	CHECK_STR_EQ(ev.action, "change");
	CHECK_STR_EQ(uevent_udc_name(&ev), "fe980000.usb");

	/* Another subsystem: parsed, but no UDC. */
	CHECK_INT_EQ(parse(MSG("add@/devices/virtual/net/usb0\0"
			       "ACTION=add\0"
			       "DEVPATH=/devices/virtual/net/usb0\0"
			       "SUBSYSTEM=net\0"
			       "INTERFACE=usb0\0"
			       "IFINDEX=5\0"
			       "SEQNUM=8\0"),
			   &ev, buf),
		     0);
	CHECK_STR_EQ(ev.subsystem, "net");
	CHECK(uevent_udc_name(&ev) == NULL);

	/* Device nodes and drivers. */
	CHECK_INT_EQ(
		parse(MSG("bind@/devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0\0"
			  "ACTION=bind\0"
			  "DEVPATH=/devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0\0"
			  "SUBSYSTEM=usb\0"
			  "DEVTYPE=usb_interface\0"
			  "DRIVER=cdc_ether\0"
			  "SEQNUM=9\0"),
		      &ev, buf),
		0);
	CHECK_STR_EQ(ev.devtype, "usb_interface");
	CHECK_STR_EQ(ev.driver, "cdc_ether");
}

static void test_refused(void)
{
	static char buf[UEVENT_MSG_MAX];
	struct uevent ev;

	/* udev's re-broadcast: magic and a binary header. */
	CHECK_INT_EQ(
		parse(MSG("libudev\0\xfe\xed\xca\xfe\x28\0\0\0"), &ev, buf),
		-EPROTO);
	CHECK_INT_EQ(parse(MSG("add@/devices/x\0"
			       "DEVPATH=/devices/x\0"
			       "SUBSYSTEM=udc\0"),
			   &ev, buf),
		     -EBADMSG);
	CHECK_INT_EQ(parse(MSG("add@/devices/x\0"
			       "ACTION=add\0"
			       "DEVPATH=/devices/x\0"),
			   &ev, buf),
		     -EBADMSG);
	/* Header and keys disagree. */
	CHECK_INT_EQ(parse(MSG("remove@/devices/x\0"
			       "ACTION=add\0"
			       "DEVPATH=/devices/x\0"
			       "SUBSYSTEM=udc\0"),
			   &ev, buf),
		     -EBADMSG);
	CHECK_INT_EQ(parse(MSG("add@/devices/y\0"
			       "ACTION=add\0"
			       "DEVPATH=/devices/x\0"
			       "SUBSYSTEM=udc\0"),
			   &ev, buf),
		     -EBADMSG);
	/* No header at all. */
	CHECK_INT_EQ(parse(MSG("ACTION=add\0"
			       "DEVPATH=/devices/x\0"
			       "SUBSYSTEM=udc\0"),
			   &ev, buf),
		     -EBADMSG);
	CHECK_INT_EQ(parse(MSG("@/devices/x\0"), &ev, buf), -EBADMSG);
	CHECK_INT_EQ(parse("", 0, &ev, buf), -EBADMSG);
	/* A last string without its NUL is still bounded by the receiver's
	 * terminator. */
	CHECK_INT_EQ(parse(MSG("add@/devices/x\0"
			       "ACTION=add\0"
			       "DEVPATH=/devices/x\0"
			       "SUBSYSTEM=udc"),
			   &ev, buf),
		     0);
	CHECK_STR_EQ(ev.subsystem, "udc");
	/* A devpath ending in '/' names no UDC. */
	CHECK_INT_EQ(parse(MSG("add@/devices/x/\0"
			       "ACTION=add\0"
			       "DEVPATH=/devices/x/\0"
			       "SUBSYSTEM=udc\0"),
			   &ev, buf),
		     0);
	CHECK(uevent_udc_name(&ev) == NULL);
}

/*
 * A synthetic "change" written to a device's uevent file comes back on the
 * socket.  Needs root in the initial network namespace; skipped otherwise.
 */
static void test_socket(void)
{
	static char buf[UEVENT_MSG_MAX];
	struct pollfd pfd = { .events = POLLIN };
	struct uevent ev;
	bool seen = false;
	int fd, r;

	r = uevent_open(&fd);
	if (r < 0) {
		printf("test-uevent: no uevent socket (%s), skipping\n",
		       strerror(-r));
		return;
	}
	CHECK_INT_EQ(uevent_receive(fd, buf, sizeof(buf), &ev), -EAGAIN);
	if (write_file_string("/sys/devices/virtual/mem/null/uevent",
			      "change") < 0) {
		printf("test-uevent: cannot trigger a uevent, skipping\n");
		close(fd);
		return;
	}
	pfd.fd = fd;
	while (!seen && poll(&pfd, 1, 2000) == 1) {
		while (uevent_receive(fd, buf, sizeof(buf), &ev) == 0) {
			if (streq(ev.subsystem, "mem") &&
			    streq(ev.action, "change") &&
			    streq(ev.devpath, "/devices/virtual/mem/null"))
				seen = true;
		}
	}
	if (!seen)
		printf("test-uevent: no uevent arrived (network namespace?), skipping\n");
	close(fd);
}

int main(void)
{
	test_udc_events();
	test_refused();
	test_socket();
	return testlib_finish("test-uevent");
}
