/* SPDX-License-Identifier: MIT */
/*
 * udc_binding.c on a fake sysfs class directory and a fake usb_gadget
 * directory: which UDC the daemon binds to (auto or by name) and what it
 * says while it waits, the UDC a profile's endpoint budget is checked
 * against, moving off a UDC that is gone, and the kernel's grace to bind
 * a pending gadget.  The VM scenarios daemon-foreign-gadget,
 * kernel-udc-gone and daemon-udc-cycles run the same against the kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-configfs.h"
#include "testlib.h"
#include "udc_binding.h"
#include "util.h"

static char *root;
static char *class_dir;
static char *gadgets_dir;
static const char *events[8];
static int n_events;

static void put(const char *rel, const char *text)
{
	fake_write(root, rel, text);
}

static void record_event(void *data, const char *event)
{
	(void)data;
	if (n_events < 8)
		events[n_events] = event;
	n_events++;
}

static struct udc_binding *binding(struct event_loop *loop, const char *wanted)
{
	struct udc_binding *b = udc_binding_new(loop, class_dir, gadgets_dir,
						"ours", record_event, NULL);

	udc_binding_set_wanted(b, wanted);
	return b;
}

/* pick()'s three answers, compared with the expected ones (NULL: none). */
static void check_pick(struct udc_binding *b, const char *want_udc,
		       const char *want_watch, const char *want_why)
{
	char *watch, *why, *udc = udc_binding_pick(b, &watch, &why);

	if (want_udc)
		CHECK_STR_EQ(udc, want_udc);
	else
		CHECK(udc == NULL);
	if (want_watch)
		CHECK_STR_EQ(watch, want_watch);
	else
		CHECK(watch == NULL);
	if (want_why)
		CHECK_STR_EQ(why, want_why);
	else
		CHECK(why == NULL);
	free(udc);
	free(watch);
	free(why);
}

static void check_str_or_null(char *got, const char *want)
{
	if (want)
		CHECK_STR_EQ(got, want);
	else
		CHECK(got == NULL);
	free(got);
}

static void test_auto(void)
{
	struct udc_binding *b = binding(NULL, NULL);

	CHECK(udc_binding_auto(b));
	udc_binding_set_wanted(b, "");
	CHECK(udc_binding_auto(b));
	udc_binding_set_wanted(b, "auto");
	CHECK(udc_binding_auto(b));
	CHECK_STR_EQ(udc_binding_wanted(b), "auto");

	/* a.udc is g1's: the first free one by name is b.udc. */
	check_pick(b, "b.udc", NULL, NULL);
	check_str_or_null(udc_binding_expected(b), "b.udc");

	/* Both held: the first held one is watched for its unbind. */
	put("usb_gadget/g3/UDC", "b.udc");
	check_pick(
		b, NULL, "a.udc",
		"udc a.udc: held by gadget g1, waiting for it to be unbound");
	check_str_or_null(udc_binding_expected(b), NULL);
	put("usb_gadget/g3/UDC", "");

	/* Our own UDC attribute never holds one against us. */
	put("usb_gadget/ours/UDC", "b.udc");
	check_pick(b, "b.udc", NULL, NULL);
	put("usb_gadget/ours/UDC", "");
	udc_binding_free(b);
}

static void test_no_udc(void)
{
	char *empty = xasprintf("%s/empty", root);
	struct udc_binding *b;

	fake_mkdir(root, "empty");
	b = udc_binding_new(NULL, empty, gadgets_dir, "ours", record_event,
			    NULL);
	udc_binding_set_wanted(b, "auto");
	check_pick(b, NULL, NULL, "no UDC yet, waiting for one");
	check_str_or_null(udc_binding_expected(b), NULL);
	udc_binding_free(b);
	free(empty);
}

static void test_by_name(struct event_loop *loop)
{
	struct udc_binding *b = binding(loop, "c.udc");

	CHECK(!udc_binding_auto(b));
	check_pick(b, NULL, NULL, "udc c.udc: not present, waiting for it");
	/* The budget is the named UDC's, there or not. */
	check_str_or_null(udc_binding_expected(b), "c.udc");

	udc_binding_set_wanted(b, "a.udc");
	check_pick(
		b, NULL, "a.udc",
		"udc a.udc: held by gadget g1, waiting for it to be unbound");

	udc_binding_set_wanted(b, "b.udc");
	check_pick(b, "b.udc", NULL, NULL);

	/* Bound: the budget is the bound UDC's, whatever is wanted.  (A
	 * plain file cannot be watched for POLLPRI: the binding says so and
	 * does not count the UDC as running our gadget.) */
	udc_binding_set(b, xstrdup("a.udc"), NULL);
	CHECK_STR_EQ(udc_binding_bound(b), "a.udc");
	check_str_or_null(udc_binding_expected(b), "a.udc");
	CHECK(!udc_binding_runs_us(b));
	CHECK(udc_binding_fresh_state(b) == NULL);
	udc_binding_forget(b);
	CHECK(udc_binding_bound(b) == NULL);
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
	check_str_or_null(udc_binding_expected(b), "b.udc");
	udc_binding_free(b);
}

static void test_move(void)
{
	struct udc_binding *b = binding(NULL, "auto");

	/* Pending on a UDC that is gone, b.udc free: move there. */
	check_str_or_null(udc_binding_move_target(b, "gone.udc"), "b.udc");
	/* Present, or nothing bound: stay. */
	check_str_or_null(udc_binding_move_target(b, "a.udc"), NULL);
	check_str_or_null(udc_binding_move_target(b, NULL), NULL);
	/* Nothing free to move to. */
	put("usb_gadget/g3/UDC", "b.udc");
	check_str_or_null(udc_binding_move_target(b, "gone.udc"), NULL);
	put("usb_gadget/g3/UDC", "");
	/* A UDC by name is waited for, never left. */
	udc_binding_set_wanted(b, "gone.udc");
	check_str_or_null(udc_binding_move_target(b, "gone.udc"), NULL);
	udc_binding_free(b);
}

static void test_kernel_bind(struct event_loop *loop)
{
	struct udc_binding *b = binding(loop, "auto");

	n_events = 0;

	/* Not pending, or pending on a UDC that is gone: no grace. */
	CHECK(!udc_binding_kernel_bind_overdue(b, NULL));
	CHECK(!udc_binding_kernel_bind_overdue(b, "gone.udc"));
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);

	/* Pending on b.udc, which runs nothing: the grace starts. */
	put("class/udc/b.udc/function", "");
	CHECK(!udc_binding_kernel_bind_overdue(b, "b.udc"));
	CHECK_INT_EQ(event_loop_n_sources(loop), 1);
	/* A second sync in the grace neither ends it nor starts another. */
	CHECK(!udc_binding_kernel_bind_overdue(b, "b.udc"));
	CHECK_INT_EQ(event_loop_n_sources(loop), 1);

	/* The grace ends: one "rebind", then the daemon binds itself. */
	while (n_events == 0 && event_loop_iterate(loop, 2000) > 0)
		;
	CHECK_INT_EQ(n_events, 1);
	CHECK_STR_EQ(events[0], "rebind");
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
	CHECK(udc_binding_kernel_bind_overdue(b, "b.udc"));
	/* Once: the next sync starts a grace again. */
	CHECK(!udc_binding_kernel_bind_overdue(b, "b.udc"));
	CHECK_INT_EQ(event_loop_n_sources(loop), 1);

	/* The kernel bound it after all: the grace ends, no event. */
	put("class/udc/b.udc/function", "ours");
	CHECK(!udc_binding_kernel_bind_overdue(b, "b.udc"));
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);

	/* A stopped grace leaves nothing overdue. */
	put("class/udc/b.udc/function", "");
	CHECK(!udc_binding_kernel_bind_overdue(b, "b.udc"));
	udc_binding_kernel_bind_stop(b);
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
	CHECK(!udc_binding_kernel_bind_overdue(b, "b.udc"));
	CHECK_INT_EQ(n_events, 1);

	udc_binding_free(b);
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
	put("class/udc/b.udc/function", "");
}

int main(void)
{
	struct event_loop *loop;

	root = fake_configfs_new();
	if (!root || event_loop_new(&loop) < 0)
		return 1;
	class_dir = xasprintf("%s/class/udc", root);
	gadgets_dir = xasprintf("%s/usb_gadget", root);
	put("class/udc/b.udc/state", "not attached");
	put("class/udc/a.udc/state", "not attached");
	put("usb_gadget/g1/UDC", "a.udc");
	put("usb_gadget/g2/UDC", "gone.udc");
	put("usb_gadget/ours/UDC", "");

	test_auto();
	test_no_udc();
	test_by_name(loop);
	test_move();
	test_kernel_bind(loop);

	event_loop_free(loop);
	fake_configfs_free(root);
	free(class_dir);
	free(gadgets_dir);
	return testlib_finish("test-udc-binding");
}
