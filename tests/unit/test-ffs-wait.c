/* SPDX-License-Identifier: MIT */
/*
 * ffs_wait.c: what a plan's FunctionFS mounts show (ep1 or not, the
 * longest ready_timeout), and every decision of the wait for descriptors,
 * with the notices the daemon logs and status shows, the timer and the
 * deadline.  The VM scenario daemon-ffs runs the same against the kernel
 * and a real FunctionFS daemon.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-configfs.h"
#include "ffs_wait.h"
#include "plan.h"
#include "profile-testlib.h"
#include "testlib.h"
#include "util.h"

#define WAITING_ADB \
	"ffs.adb: waiting for its daemon to write the descriptors (/x/adb/ep1)"
#define REFUSED                                                              \
	"FunctionFS: the kernel refused the bind (a function's daemon went " \
	"away?); waiting for the descriptors again"

static int n_due;

static void count_due(void *data)
{
	(void)data;
	n_due++;
}

static void check_step(struct ffs_wait_step step, enum ffs_wait_fact fact,
		       const char *notice)
{
	CHECK_INT_EQ(step.fact, fact);
	if (notice)
		CHECK_STR_EQ(step.notice, notice);
	else
		CHECK(step.notice == NULL);
	CHECK_INT_EQ(step.timer_error, 0);
	free(step.notice);
}

static bool plan_text(const char *text, struct plan *plan, struct profile **p)
{
	struct plan_env env = { .gadget_name = "gadgetd",
				.board_id = "gadgetd-test-board" };
	struct diag_list diags;
	int r = -1;

	*p = profile_test_load(text, &diags);
	if (*p)
		r = plan_build(*p, &env, plan, &diags);
	/* Nothing to say about either profile. */
	diag_print(&diags, stdout);
	CHECK_INT_EQ(diags.n, 0);
	diag_clear(&diags);
	return r == 0;
}

static void test_look(void)
{
	char *root = fake_configfs_new(), *text, *want;
	struct ffs_wait_look look;
	struct profile *p;
	struct plan plan;

	/* No plan, or no FunctionFS function in it: nothing to wait for. */
	ffs_wait_look(NULL, &look);
	CHECK(look.function == NULL && look.where == NULL);
	CHECK_INT_EQ(look.timeout_s, 0);
	if (plan_text("[config 1]\nfunctions = acm.GS0\n[function acm.GS0]\n",
		      &plan, &p)) {
		ffs_wait_look(&plan, &look);
		CHECK(look.function == NULL && look.where == NULL);
		CHECK_INT_EQ(look.timeout_s, 0);
		plan_free(&plan);
	}
	profile_free(p);

	text = xasprintf("[config 1]\n"
			 "functions = ffs.adb ffs.mtp\n"
			 "[function ffs.adb]\n"
			 "mountpoint = %s/adb\n"
			 "ready_timeout = 5\n"
			 "[function ffs.mtp]\n"
			 "mountpoint = %s/mtp\n",
			 root, root);
	if (!plan_text(text, &plan, &p)) {
		CHECK(!"the FunctionFS profile plans");
		profile_free(p);
		free(text);
		fake_configfs_free(root);
		return;
	}
	/* Neither has descriptors: the first is named; the longest wait is
	 * mtp's default, 10 s, as `gadgetd plan` prints it. */
	ffs_wait_look(&plan, &look);
	CHECK_STR_EQ(look.function, "ffs.adb");
	want = xasprintf("%s/adb/ep1", root);
	CHECK_STR_EQ(look.where, want);
	free(want);
	CHECK_INT_EQ(look.timeout_s, 10);
	ffs_wait_look_clear(&look);
	CHECK(look.function == NULL && look.where == NULL);

	fake_write(root, "adb/ep1", "");
	ffs_wait_look(&plan, &look);
	CHECK_STR_EQ(look.function, "ffs.mtp");
	want = xasprintf("%s/mtp/ep1", root);
	CHECK_STR_EQ(look.where, want);
	free(want);
	CHECK_INT_EQ(look.timeout_s, 10);
	ffs_wait_look_clear(&look);

	fake_write(root, "mtp/ep1", "");
	ffs_wait_look(&plan, &look);
	CHECK(look.function == NULL && look.where == NULL);
	CHECK_INT_EQ(look.timeout_s, 10);
	ffs_wait_look_clear(&look);

	plan_free(&plan);
	profile_free(p);
	free(text);
	fake_configfs_free(root);
}

static const struct ffs_wait_look pending = { .function = "ffs.adb",
					      .where = "/x/adb/ep1",
					      .timeout_s = 5 };
static const struct ffs_wait_look ready = { .timeout_s = 5 };
static const struct ffs_wait_look no_ffs = { 0 };

/* Descriptors late, then never: the wait gives up at its deadline and
 * waits again only after ffs_wait_again(). */
static void test_timeout(struct event_loop *loop)
{
	struct ffs_wait *w = ffs_wait_new(loop, count_due, NULL);

	check_step(ffs_wait_ready(w, &pending, 1000), FFS_WAIT_WAITING,
		   WAITING_ADB);
	CHECK(ffs_wait_waiting(w));
	CHECK_INT_EQ(event_loop_n_sources(loop), 1);
	/* Asked again while it waits: the same timer and deadline. */
	check_step(ffs_wait_ready(w, &pending, 3000), FFS_WAIT_WAITING,
		   WAITING_ADB);
	CHECK_INT_EQ(event_loop_n_sources(loop), 1);

	/* The timer fires every FFS_WAIT_CHECK_MS: the owner looks again. */
	n_due = 0;
	while (n_due == 0 && event_loop_iterate(loop, 2000) > 0)
		;
	CHECK_INT_EQ(n_due, 1);
	CHECK_INT_EQ(ffs_wait_check(w, &pending, 5999), FFS_WAIT_WAITING);
	CHECK(ffs_wait_waiting(w));
	/* 5 s after the first wait, not after the second. */
	CHECK_INT_EQ(ffs_wait_check(w, &pending, 6000), FFS_WAIT_GAVE_UP);
	CHECK(!ffs_wait_waiting(w));
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);

	/* Given up: no timer, until `up` or a new apply. */
	check_step(
		ffs_wait_ready(w, &pending, 7000), FFS_WAIT_GAVE_UP,
		"ffs.adb: no descriptors from its daemon (/x/adb/ep1) after 5 s; `gadgetd up` waits again");
	CHECK(!ffs_wait_waiting(w));
	ffs_wait_again(w);
	check_step(ffs_wait_ready(w, &pending, 8000), FFS_WAIT_WAITING,
		   WAITING_ADB);
	CHECK(ffs_wait_waiting(w));
	CHECK_INT_EQ(ffs_wait_check(w, &pending, 12999), FFS_WAIT_WAITING);

	/* The descriptors come: ready at the next check, the timer stops. */
	CHECK_INT_EQ(ffs_wait_check(w, &ready, 13000), FFS_WAIT_READY);
	CHECK(!ffs_wait_waiting(w));
	check_step(ffs_wait_ready(w, &ready, 13001), FFS_WAIT_READY, NULL);
	ffs_wait_free(w);
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
}

/* Ready at once, or no FunctionFS function at all: no timer. */
static void test_ready(struct event_loop *loop)
{
	struct ffs_wait *w = ffs_wait_new(loop, count_due, NULL);

	check_step(ffs_wait_ready(w, &ready, 0), FFS_WAIT_READY, NULL);
	check_step(ffs_wait_ready(w, &no_ffs, 0), FFS_WAIT_READY, NULL);
	CHECK(!ffs_wait_waiting(w));
	/* A refusal with no FunctionFS function is not theirs. */
	check_step(ffs_wait_refused(w, &no_ffs, 0), FFS_WAIT_NONE, NULL);
	CHECK(!ffs_wait_waiting(w));

	/* A wait that ends with the gadget. */
	check_step(ffs_wait_ready(w, &pending, 0), FFS_WAIT_WAITING,
		   WAITING_ADB);
	ffs_wait_stop(w);
	CHECK(!ffs_wait_waiting(w));
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
	/* Ready after a wait gave up: it is over. */
	check_step(ffs_wait_ready(w, &pending, 0), FFS_WAIT_WAITING,
		   WAITING_ADB);
	CHECK_INT_EQ(ffs_wait_check(w, &pending, 5000), FFS_WAIT_GAVE_UP);
	check_step(ffs_wait_ready(w, &ready, 5001), FFS_WAIT_READY, NULL);
	check_step(ffs_wait_ready(w, &pending, 5002), FFS_WAIT_WAITING,
		   WAITING_ADB);
	ffs_wait_free(w);
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
}

/* A function's daemon went away: the ep files still there are stale, so
 * ready means gone and back. */
static void test_refused(struct event_loop *loop)
{
	struct ffs_wait *w = ffs_wait_new(loop, count_due, NULL);

	check_step(ffs_wait_refused(w, &ready, 0), FFS_WAIT_WAITING, REFUSED);
	CHECK(ffs_wait_waiting(w));
	CHECK_INT_EQ(ffs_wait_check(w, &ready, 100), FFS_WAIT_WAITING);
	CHECK_INT_EQ(ffs_wait_check(w, &pending, 200), FFS_WAIT_WAITING);
	CHECK_INT_EQ(ffs_wait_check(w, &pending, 300), FFS_WAIT_WAITING);
	CHECK_INT_EQ(ffs_wait_check(w, &ready, 400), FFS_WAIT_READY);
	CHECK(!ffs_wait_waiting(w));

	/* Stale files that never go: given up at the deadline. */
	check_step(ffs_wait_refused(w, &ready, 1000), FFS_WAIT_WAITING,
		   REFUSED);
	CHECK_INT_EQ(ffs_wait_check(w, &ready, 5999), FFS_WAIT_WAITING);
	CHECK_INT_EQ(ffs_wait_check(w, &ready, 6000), FFS_WAIT_GAVE_UP);
	CHECK(!ffs_wait_waiting(w));
	ffs_wait_again(w);

	/* A sync that sees the files gone while it waits asks ready(): that
	 * wait is an ordinary one, ready as soon as they are back. */
	check_step(ffs_wait_refused(w, &ready, 7000), FFS_WAIT_WAITING,
		   REFUSED);
	check_step(ffs_wait_ready(w, &pending, 7100), FFS_WAIT_WAITING,
		   WAITING_ADB);
	CHECK_INT_EQ(ffs_wait_check(w, &ready, 7200), FFS_WAIT_READY);
	ffs_wait_free(w);
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
}

int main(void)
{
	struct event_loop *loop;

	test_look();
	if (event_loop_new(&loop) < 0) {
		CHECK(!"event loop");
		return testlib_finish("test-ffs-wait");
	}
	test_timeout(loop);
	test_ready(loop);
	test_refused(loop);
	event_loop_free(loop);
	return testlib_finish("test-ffs-wait");
}
