/* SPDX-License-Identifier: MIT */
/*
 * A UDC that is arriving: its class device exists before its gadget device
 * is on the gadget bus and before its driver's module is live, and binding
 * to it in between fails with EBUSY (seen in the VM at modprobe dummy_hcd).
 * udc.c must not offer it until both hold, and uevent.c must report the
 * events that end the wait: the gadget device's and the module's "add".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "udc.h"
#include "uevent.h"
#include "util.h"

#define MSG(s) s, sizeof(s) - 1

static int parse(const char *payload, size_t len, struct uevent *ev, char *buf)
{
	memcpy(buf, payload, len);
	buf[len] = '\0';
	return uevent_parse(buf, len, ev);
}

static void mkdir_in(const char *top, const char *rel)
{
	char *path = xasprintf("%s/%s", top, rel);

	if (mkdir(path, 0755) < 0)
		testlib_fail(__FILE__, __LINE__, "mkdir %s: %s", path,
			     strerror(errno));
	free(path);
}

/* top/rel, in a buffer that lives until the next call. */
static const char *xbuf(const char *top, const char *rel)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "%s/%s", top, rel);
	return buf;
}

static void put_text(const char *top, const char *rel, const char *text)
{
	FILE *f = fopen(xbuf(top, rel), "w");

	if (!f) {
		testlib_fail(__FILE__, __LINE__, "%s: %s", xbuf(top, rel),
			     strerror(errno));
		return;
	}
	fputs(text, f);
	fclose(f);
}

static void test_arriving(const char *top)
{
	char *class_dir = xasprintf("%s/class/udc", top);
	char *link = xasprintf("%s/class/udc/dummy_udc.0/device", top);
	char *gadgets = xasprintf("%s/usb_gadget", top);
	char **names = NULL;
	char *udc, *busy, *holder, *from, *to;

	/* sysfs: class/udc/NAME/device -> the controller, which holds the
	 * gadget device once it is registered. */
	mkdir_in(top, "devices");
	mkdir_in(top, "devices/dummy_udc.0");
	mkdir_in(top, "class");
	mkdir_in(top, "class/udc");
	mkdir_in(top, "class/udc/dummy_udc.0");
	mkdir_in(top, "usb_gadget");
	CHECK_INT_EQ(symlink("../../../devices/dummy_udc.0", link), 0);

	/* Class device only: not there yet for a binder. */
	CHECK(!udc_exists(class_dir, "dummy_udc.0"));
	CHECK_INT_EQ(udc_list(class_dir, &names), 0);
	CHECK(names[0] == NULL);
	udc_list_free(names);
	CHECK_INT_EQ(
		udc_find_free(class_dir, gadgets, "ours", &udc, &busy, &holder),
		-ENODEV);
	CHECK(udc == NULL && busy == NULL && holder == NULL);

	/* The gadget device's directory (6.1 names it gadget.N), before
	 * the device has joined the gadget bus: still not there. */
	mkdir_in(top, "devices/dummy_udc.0/gadget.0");
	CHECK(!udc_exists(class_dir, "dummy_udc.0"));
	/* On the bus (its subsystem link), but the driver's module is still
	 * in its init. */
	mkdir_in(top, "devices/dummy_udc.0/gadget.0/subsystem");
	mkdir_in(top, "module");
	mkdir_in(top, "module/dummy_hcd");
	mkdir_in(top, "devices/dummy_udc.0/driver");
	CHECK_INT_EQ(symlink("../../../module/dummy_hcd",
			     xbuf(top, "devices/dummy_udc.0/driver/module")),
		     0);
	put_text(top, "module/dummy_hcd/initstate", "coming\n");
	CHECK(!udc_exists(class_dir, "dummy_udc.0"));
	CHECK_INT_EQ(udc_list(class_dir, &names), 0);
	CHECK(names[0] == NULL);
	udc_list_free(names);

	/* Module live: bindable. */
	put_text(top, "module/dummy_hcd/initstate", "live\n");
	CHECK(udc_exists(class_dir, "dummy_udc.0"));
	CHECK_INT_EQ(udc_list(class_dir, &names), 0);
	CHECK_STR_EQ(names[0], "dummy_udc.0");
	CHECK(names[1] == NULL);
	udc_list_free(names);
	CHECK_INT_EQ(
		udc_find_free(class_dir, gadgets, "ours", &udc, &busy, &holder),
		0);
	CHECK_STR_EQ(udc, "dummy_udc.0");
	free(udc);

	/* Before 5.19 it was plain "gadget". */
	from = xasprintf("%s/devices/dummy_udc.0/gadget.0", top);
	to = xasprintf("%s/devices/dummy_udc.0/gadget", top);
	CHECK_INT_EQ(rename(from, to), 0);
	CHECK(udc_exists(class_dir, "dummy_udc.0"));
	free(from);
	free(to);

	free(class_dir);
	free(link);
	free(gadgets);
}

static void test_gadget_uevent(void)
{
	static char buf[UEVENT_MSG_MAX];
	struct uevent ev;

	CHECK_INT_EQ(
		parse(MSG("add@/devices/platform/dummy_udc.0/gadget.0\0"
			  "ACTION=add\0"
			  "DEVPATH=/devices/platform/dummy_udc.0/gadget.0\0"
			  "SUBSYSTEM=gadget\0"
			  "SEQNUM=2412\0"),
		      &ev, buf),
		0);
	CHECK_STR_EQ(ev.subsystem, "gadget");
	CHECK_STR_EQ(uevent_udc_name(&ev), "dummy_udc.0");

	CHECK_INT_EQ(
		parse(MSG("bind@/devices/platform/soc/fe980000.usb/gadget.1\0"
			  "ACTION=bind\0"
			  "DEVPATH=/devices/platform/soc/fe980000.usb/gadget.1\0"
			  "SUBSYSTEM=gadget\0"
			  "DRIVER=configfs-gadget.gadgetd\0"
			  "SEQNUM=17\0"),
		      &ev, buf),
		0);
	CHECK_STR_EQ(uevent_udc_name(&ev), "fe980000.usb");

	/* The gadget's own children are other subsystems: no UDC. */
	CHECK_INT_EQ(
		parse(MSG("add@/devices/platform/dummy_udc.0/gadget.0/net/usb0\0"
			  "ACTION=add\0"
			  "DEVPATH=/devices/platform/dummy_udc.0/gadget.0/net/usb0\0"
			  "SUBSYSTEM=net\0"
			  "SEQNUM=2413\0"),
		      &ev, buf),
		0);
	CHECK(uevent_udc_name(&ev) == NULL);

	/* A module done with its init; its removal and other objects are
	 * nothing to rescan for. */
	CHECK_INT_EQ(parse(MSG("add@/module/dummy_hcd\0"
			       "ACTION=add\0"
			       "DEVPATH=/module/dummy_hcd\0"
			       "SUBSYSTEM=module\0"
			       "SEQNUM=2420\0"),
			   &ev, buf),
		     0);
	CHECK_STR_EQ(uevent_udc_name(&ev), "dummy_hcd");
	CHECK_INT_EQ(parse(MSG("remove@/module/dummy_hcd\0"
			       "ACTION=remove\0"
			       "DEVPATH=/module/dummy_hcd\0"
			       "SUBSYSTEM=module\0"
			       "SEQNUM=2421\0"),
			   &ev, buf),
		     0);
	CHECK(uevent_udc_name(&ev) == NULL);

	/* A gadget devpath without a parent names nothing. */
	CHECK_INT_EQ(parse(MSG("add@/gadget.0\0"
			       "ACTION=add\0"
			       "DEVPATH=/gadget.0\0"
			       "SUBSYSTEM=gadget\0"),
			   &ev, buf),
		     0);
	CHECK(uevent_udc_name(&ev) == NULL);
}

int main(void)
{
	char tmpl[] = "/tmp/gadgetd-test-udc-ready-XXXXXX";
	char *cmd;

	if (!mkdtemp(tmpl))
		return 1;
	test_arriving(tmpl);
	test_gadget_uevent();

	cmd = xasprintf("rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		printf("test-udc-ready: could not remove %s\n", tmpl);
	free(cmd);
	return testlib_finish("test-udc-ready");
}
