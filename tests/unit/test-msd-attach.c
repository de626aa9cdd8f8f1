/* SPDX-License-Identifier: MIT */
/*
 * msd_attach.c against a fake configfs and a real event loop: a
 * host-ready LUN is built without its medium, gets it once the host is
 * ready and its attach_delay has passed (not before), loses it when the
 * host goes, and gets it again with the next host; a suspended host
 * (still ready) keeps it; LUNs with attach = always are not touched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event_loop.h"
#include "fake-configfs.h"
#include "gadgetd/profile.h"
#include "msd_attach.h"
#include "plan.h"
#include "profile-testlib.h"
#include "testlib.h"
#include "util.h"

#define LUN(n) "usb_gadget/g/functions/mass_storage.0/lun." #n "/"

static char *root;

static char *attr(const char *rel)
{
	char *path = xasprintf("%s/%s", root, rel), *v = NULL;

	if (read_file_string(path, &v) < 0)
		v = xstrdup("(absent)");
	free(path);
	return v;
}

static void check_attr(const char *rel, const char *want, int line)
{
	char *v = attr(rel);

	testlib_checks++;
	if (!streq(v, want))
		testlib_fail(__FILE__, line, "%s is \"%s\", want \"%s\"", rel,
			     v, want);
	free(v);
}

#define CHECK_ATTR(rel, want) check_attr((rel), (want), __LINE__)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Run the loop until lun.N/file is `want` or `ms` passed; the time it
 * took. */
static uint64_t wait_attr(struct event_loop *loop, const char *rel,
			  const char *want, uint64_t ms)
{
	uint64_t t0 = now_ms();

	for (;;) {
		char *v = attr(rel);
		bool done = streq(v, want);

		free(v);
		if (done || now_ms() - t0 > ms)
			return now_ms() - t0;
		event_loop_iterate(loop, 10);
	}
}

int main(void)
{
	static const char text[] =
		"[config 1]\nfunctions = mass_storage.0\n"
		"[function mass_storage.0]\n"
		"lun.0.file = /dev/null\n"
		"lun.1.file = /a.img\nlun.1.attach = host-ready\n"
		"lun.2.file = /b.img\nlun.2.attach = host-ready\n"
		"lun.2.attach_delay = 300\n";
	struct plan_env env = { .gadget_name = "g", .board_id = "x" };
	struct event_loop *loop = NULL;
	struct msd_attach *a;
	struct diag_list diags;
	struct profile *p;
	struct plan plan;
	struct plan_steps steps;
	char *gadget;
	uint64_t took;

	root = fake_configfs_new();
	gadget = xasprintf("%s/usb_gadget/g", root);
	for (int i = 0; i < 3; i++) {
		char *rel = xasprintf(
			"usb_gadget/g/functions/mass_storage.0/lun.%d/file", i);

		fake_write(root, rel, "");
		free(rel);
		rel = xasprintf("usb_gadget/g/functions/mass_storage.0/lun.%d/"
				"forced_eject",
				i);
		fake_write(root, rel, "");
		free(rel);
	}
	p = profile_test_load(text, &diags);
	CHECK(p != NULL);
	CHECK_DIAGS(&diags, NULL);
	diag_clear(&diags);
	CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), 0);
	diag_clear(&diags);

	/* The plan builds the host-ready LUNs without their file. */
	for (size_t i = 0; i < plan.n_ops; i++) {
		bool wrote_file = false;

		if (plan.ops[i].kind != PLAN_LUN_CREATE)
			continue;
		plan_op_steps(&plan, &plan.ops[i], &steps);
		for (size_t k = 0; k < steps.n; k++)
			wrote_file |=
				strstr(steps.items[k].path, "/file") != NULL;
		CHECK_INT_EQ(wrote_file, plan.ops[i].lun == 0);
		plan_steps_free(&steps);
	}

	CHECK_INT_EQ(event_loop_new(&loop), 0);
	a = msd_attach_new(loop);
	msd_attach_set_plan(a, &plan, gadget);
	CHECK_INT_EQ(msd_attach_count(a), 2);

	/* Not ready: nothing. */
	msd_attach_watch(a, false);
	CHECK_ATTR(LUN(1) "file", "");
	/* Ready: lun.1 at once, lun.2 after its 300 ms, not before. */
	msd_attach_watch(a, true);
	CHECK_ATTR(LUN(1) "file", "/a.img");
	CHECK_ATTR(LUN(2) "file", "");
	took = wait_attr(loop, LUN(2) "file", "/b.img", 2000);
	CHECK_ATTR(LUN(2) "file", "/b.img");
	CHECK(took >= 250);
	CHECK_ATTR(LUN(0) "file", "");
	/* Suspended is still ready: unchanged. */
	msd_attach_watch(a, true);
	CHECK_ATTR(LUN(1) "forced_eject", "");
	/* The host went: both out (forced_eject), lun.0 untouched. */
	msd_attach_watch(a, false);
	CHECK_ATTR(LUN(1) "forced_eject", "1");
	CHECK_ATTR(LUN(2) "forced_eject", "1");
	CHECK_ATTR(LUN(0) "forced_eject", "");
	/* The next host: in again. */
	fake_write(root, LUN(1) "file", "");
	msd_attach_watch(a, true);
	CHECK_ATTR(LUN(1) "file", "/a.img");
	/* A host gone before the delay: lun.2 never goes in. */
	fake_write(root, LUN(2) "file", "");
	msd_attach_watch(a, false);
	wait_attr(loop, LUN(2) "file", "/b.img", 500);
	CHECK_ATTR(LUN(2) "file", "");
	/* No plan (the gadget went): nothing is touched. */
	msd_attach_set_plan(a, NULL, NULL);
	msd_attach_watch(a, true);
	CHECK_INT_EQ(msd_attach_count(a), 0);

	msd_attach_free(a);
	event_loop_free(loop);
	plan_free(&plan);
	profile_free(p);
	free(gadget);
	fake_configfs_free(root);
	return testlib_finish("test-msd-attach");
}
