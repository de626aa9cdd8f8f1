/* SPDX-License-Identifier: MIT */
/*
 * udc.c on a fake sysfs class directory and a fake usb_gadget directory:
 * listing, who holds which UDC (pending gadgets included), `udc = auto`'s
 * choice, and reading the state attribute back through an open fd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "udc.h"
#include "util.h"

static char *tmpdir;

static void put(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, rel);
	FILE *f;

	/* Parents first. */
	for (char *p = path + strlen(tmpdir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	f = fopen(path, "w");
	if (!f)
		testlib_fail(__FILE__, __LINE__, "%s: %s", path,
			     strerror(errno));
	else {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

static void test_list(const char *class_dir)
{
	char **names = NULL;
	char *missing = xasprintf("%s/nothing", tmpdir);

	CHECK_INT_EQ(udc_list(class_dir, &names), 0);
	CHECK_STR_EQ(names[0], "a.udc");
	CHECK_STR_EQ(names[1], "b.udc");
	CHECK(names[2] == NULL);
	udc_list_free(names);
	CHECK(udc_exists(class_dir, "b.udc"));
	CHECK(!udc_exists(class_dir, "c.udc"));

	/* No UDC driver loaded yet: an empty list, not an error. */
	CHECK_INT_EQ(udc_list(missing, &names), 0);
	CHECK(names[0] == NULL);
	udc_list_free(names);
	free(missing);
}

static void test_holders(const char *class_dir, const char *gadgets)
{
	char *holder, *udc, *busy, *busy_holder;

	CHECK_INT_EQ(udc_holder(gadgets, "a.udc", "ours", &holder), 0);
	CHECK_STR_EQ(holder, "g1");
	free(holder);
	/* Our own gadget never counts as a holder. */
	CHECK_INT_EQ(udc_holder(gadgets, "b.udc", "ours", &holder), 0);
	CHECK(holder == NULL);
	CHECK_INT_EQ(udc_holder(gadgets, "b.udc", NULL, &holder), 0);
	CHECK_STR_EQ(holder, "ours");
	free(holder);
	/* Pending on a UDC that is gone still holds its name. */
	CHECK_INT_EQ(udc_holder(gadgets, "gone.udc", "ours", &holder), 0);
	CHECK_STR_EQ(holder, "g2");
	free(holder);

	CHECK_INT_EQ(udc_find_free(class_dir, gadgets, "ours", &udc, &busy,
				   &busy_holder),
		     0);
	CHECK_STR_EQ(udc, "b.udc");
	CHECK(busy == NULL && busy_holder == NULL);
	free(udc);

	/* Another gadget takes b.udc too: nothing is free, and the first
	 * busy one is named. */
	put("usb_gadget/g3/UDC", "b.udc\n");
	CHECK_INT_EQ(udc_find_free(class_dir, gadgets, "ours", &udc, &busy,
				   &busy_holder),
		     -ENODEV);
	CHECK(udc == NULL);
	CHECK_STR_EQ(busy, "a.udc");
	CHECK_STR_EQ(busy_holder, "g1");
	free(busy);
	free(busy_holder);
	/* The foreign gadget unbinds (writes an empty UDC). */
	put("usb_gadget/g1/UDC", "\n");
	CHECK_INT_EQ(udc_find_free(class_dir, gadgets, "ours", &udc, &busy,
				   &busy_holder),
		     0);
	CHECK_STR_EQ(udc, "a.udc");
	free(udc);
}

static void test_no_udc(const char *gadgets)
{
	char *empty = xasprintf("%s/empty", tmpdir);
	char *udc, *busy, *busy_holder;

	mkdir(empty, 0755);
	CHECK_INT_EQ(udc_find_free(empty, gadgets, "ours", &udc, &busy,
				   &busy_holder),
		     -ENODEV);
	CHECK(udc == NULL && busy == NULL && busy_holder == NULL);
	rmdir(empty);
	free(empty);
}

static void test_state(const char *class_dir)
{
	char state[UDC_STATE_MAX];
	int fd;

	CHECK_INT_EQ(
		udc_state_open(class_dir, "a.udc", &fd, state, sizeof(state)),
		0);
	CHECK_STR_EQ(state, "not attached");
	put("class/udc/a.udc/state", "configured\n");
	CHECK_INT_EQ(udc_state_read(fd, state, sizeof(state)), 0);
	CHECK_STR_EQ(state, "configured");
	close(fd);
	CHECK_INT_EQ(
		udc_state_open(class_dir, "c.udc", &fd, state, sizeof(state)),
		-ENOENT);
}

static void test_runs(const char *class_dir)
{
	/* No function attribute, or an empty one: nothing runs there. */
	CHECK(!udc_runs_gadget(class_dir, "a.udc", "g1"));
	put("class/udc/a.udc/function", "\n");
	CHECK(!udc_runs_gadget(class_dir, "a.udc", "g1"));
	put("class/udc/a.udc/function", "g1\n");
	CHECK(udc_runs_gadget(class_dir, "a.udc", "g1"));
	CHECK(!udc_runs_gadget(class_dir, "a.udc", "gadgetd"));
	CHECK(!udc_runs_gadget(class_dir, "c.udc", "g1"));
}

int main(void)
{
	char tmpl[] = "/tmp/gadgetd-test-udc-XXXXXX";
	char *class_dir, *gadgets, *cmd;

	if (!mkdtemp(tmpl))
		return 1;
	tmpdir = tmpl;
	class_dir = xasprintf("%s/class/udc", tmpdir);
	gadgets = xasprintf("%s/usb_gadget", tmpdir);
	put("class/udc/b.udc/state", "not attached\n");
	put("class/udc/a.udc/state", "not attached\n");
	put("usb_gadget/g1/UDC", "a.udc\n");
	put("usb_gadget/g2/UDC", "gone.udc\n");
	put("usb_gadget/ours/UDC", "b.udc\n");
	put("usb_gadget/unbound/UDC", "\n");

	test_list(class_dir);
	test_holders(class_dir, gadgets);
	test_no_udc(gadgets);
	test_state(class_dir);
	test_runs(class_dir);

	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("test-udc: could not remove %s\n", tmpdir);
	free(cmd);
	free(class_dir);
	free(gadgets);
	return testlib_finish("test-udc");
}
