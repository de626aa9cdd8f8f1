/* SPDX-License-Identifier: MIT */
/*
 * supervisor.c: the back-off (exact delays), what may run as root (exact
 * reasons), and a program's life: started, its exit noted, started again
 * when the timer fires, stopped.  The `program` keys' messages too.  The
 * VM scenario daemon-ffs-program runs the same with a FunctionFS daemon
 * and a host.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "event_loop.h"
#include "plan.h"
#include "profile-testlib.h"
#include "supervisor.h"
#include "testlib.h"
#include "util.h"

#define CHECK_REFUSED(text, ...)                                     \
	do {                                                         \
		struct diag_list d_;                                 \
		struct profile *p_ = profile_test_load((text), &d_); \
		CHECK(p_ == NULL);                                   \
		CHECK_DIAGS(&d_, __VA_ARGS__);                       \
		profile_free(p_);                                    \
		diag_clear(&d_);                                     \
	} while (0)

#define FFS_HEAD "[config 1]\nfunctions = ffs.x\n[function ffs.x]\n"

static void test_backoff(void)
{
	static const uint64_t quick[] = { 1000,	 2000,	4000,  8000,
					  16000, 30000, 30000, 30000 };
	unsigned int n = 0;

	/* Exits within the minute: doubling, then the cap. */
	for (size_t i = 0; i < sizeof(quick) / sizeof(quick[0]); i++)
		CHECK_INT_EQ(supervisor_backoff(&n, 5), quick[i]);
	CHECK_INT_EQ(n, 8);
	/* 59.999 s is not a minute yet. */
	CHECK_INT_EQ(supervisor_backoff(&n, 59999), 30000);
	/* A program that served for a minute starts afresh. */
	CHECK_INT_EQ(supervisor_backoff(&n, 60000), 1000);
	CHECK_INT_EQ(n, 1);
	CHECK_INT_EQ(supervisor_backoff(&n, 0), 2000);
	CHECK_INT_EQ(supervisor_backoff(&n, 3600000), 1000);
	/* A counter at its end stays there. */
	n = UINT32_MAX;
	CHECK_INT_EQ(supervisor_backoff(&n, 0), 30000);
	CHECK_INT_EQ(n, UINT32_MAX);
}

static void check_refusal(const char *path, const char *want)
{
	char *why = supervisor_refusal(path);

	if (want)
		CHECK_STR_EQ(why, want);
	else if (why)
		testlib_fail(__FILE__, __LINE__, "%s refused: %s", path, why);
	free(why);
}

static void test_refusal(void)
{
	char dir[] = "/tmp/test-supervisor-XXXXXX", *file, *want;
	FILE *f;

	check_refusal("/bin/sh", NULL);
	check_refusal("/nonexistent/prog",
		      "/nonexistent/prog: No such file or directory");
	check_refusal("/", "/ is not a regular file");
	check_refusal("/etc/passwd", "/etc/passwd is not executable");
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	file = xasprintf("%s/prog", dir);
	f = fopen(file, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK_INT_EQ(chmod(file, 0755), 0);
	if (geteuid() != 0) {
		want = xasprintf("%s is owned by uid %u, not root", file,
				 (unsigned int)geteuid());
		check_refusal(file, want);
		free(want);
	} else {
		CHECK_INT_EQ(chmod(dir, 0755), 0);
		check_refusal(file, NULL);
		CHECK_INT_EQ(chmod(file, 0775), 0);
		want = xasprintf("%s is writable by its group", file);
		check_refusal(file, want);
		free(want);
		CHECK_INT_EQ(chmod(file, 0757), 0);
		want = xasprintf("%s is writable by others", file);
		check_refusal(file, want);
		free(want);
		/* Whoever may write its directory may swap it. */
		CHECK_INT_EQ(chmod(file, 0755), 0);
		CHECK_INT_EQ(chmod(dir, 0777), 0);
		want = xasprintf("%s is writable by others", dir);
		check_refusal(file, want);
		free(want);
		CHECK_INT_EQ(chown(file, 1, 1), 0);
		CHECK_INT_EQ(chmod(dir, 0755), 0);
		want = xasprintf("%s is owned by uid 1, not root", file);
		check_refusal(file, want);
		free(want);
	}
	unlink(file);
	rmdir(dir);
	free(file);
}

static void test_keys(void)
{
	struct diag_list diags;
	struct profile *p;

	CHECK_REFUSED(FFS_HEAD "program = usr/bin/adbd\n",
		      "t.ini:4: invalid program 'usr/bin/adbd' in 'program': "
		      "expected an absolute path (no PATH lookup)");
	CHECK_REFUSED(FFS_HEAD "program =\n",
		      "t.ini:4: invalid value '' for 'program': expected an "
		      "absolute path and its arguments");
	CHECK_REFUSED(FFS_HEAD "program = /a 1 2 3 4 5 6 7 8 9 10 11 12 13 14 "
			       "15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 "
			       "30 31 32\n",
		      "t.ini:4: too many words in 'program': at most 32 (the "
		      "path and its arguments)");
	CHECK_REFUSED(FFS_HEAD "program_restart = sometimes\n",
		      "t.ini:4: invalid value 'sometimes' for "
		      "'program_restart': expected yes, no, true, false, on, "
		      "off, 1 or 0");
	CHECK_REFUSED(FFS_HEAD "program = /a\nprogram = /b\n",
		      "t.ini:5: duplicate key 'program' in [function ffs.x] "
		      "(first on line 4)");

	/* Any function may name one; words split on spaces and tabs. */
	p = profile_test_load("[config 1]\nfunctions = acm.GS0 ffs.x\n"
			      "[function acm.GS0]\n"
			      "program = /usr/bin/getty  -L\tttyGS0\n"
			      "[function ffs.x]\nprogram_restart = no\n",
			      &diags);
	CHECK(p != NULL);
	CHECK_INT_EQ(diags.n, 0);
	diag_clear(&diags);
	if (!p)
		return;
	CHECK_STR_EQ(p->functions[0].program.argv[0], "/usr/bin/getty");
	CHECK_STR_EQ(p->functions[0].program.argv[1], "-L");
	CHECK_STR_EQ(p->functions[0].program.argv[2], "ttyGS0");
	CHECK(p->functions[0].program.argv[3] == NULL);
	CHECK_INT_EQ(p->functions[0].program.line, 4);
	CHECK(p->functions[1].program.argv == NULL);
	CHECK_INT_EQ(p->functions[1].program.restart.line, 6);
	CHECK(!p->functions[1].program.restart.value);
	profile_free(p);
}

/* The plan of a profile that loads without a word. */
static struct profile *load_plan(const char *text, struct plan *plan)
{
	struct plan_env env = { .gadget_name = "gadgetd",
				.board_id = "gadgetd-test-board" };
	struct diag_list diags;
	struct profile *p = profile_test_load(text, &diags);

	memset(plan, 0, sizeof(*plan));
	if (p && plan_build(p, &env, plan, &diags) < 0) {
		profile_free(p);
		p = NULL;
	}
	diag_print(&diags, stderr);
	CHECK(p != NULL);
	CHECK_INT_EQ(diags.n, 0);
	diag_clear(&diags);
	return p;
}

static int n_restarted;

static void count_restarted(void *data, const char *function)
{
	CHECK_STR_EQ(function, "ffs.x");
	(void)data;
	n_restarted++;
}

/* What status would show of the one program. */
static struct supervisor_info info_of(struct supervisor *s)
{
	struct supervisor_info info = { 0 };

	CHECK(supervisor_info(s, 0, &info));
	CHECK(!supervisor_info(s, 1, &info) || !"one program");
	return info;
}

static void test_life(struct event_loop *loop)
{
	struct supervisor *s =
		supervisor_new(loop, count_restarted, &n_restarted);
	struct supervisor_info info;
	struct profile *p;
	struct plan plan;
	int status;
	pid_t pid;

	p = load_plan("[config 1]\nfunctions = acm.GS0 ffs.x\n"
		      "[function ffs.x]\nprogram = /bin/sh -c exit\n"
		      "[function acm.GS0]\n",
		      &plan);
	if (!p)
		goto out;
	supervisor_set(s, &plan);
	info = info_of(s);
	CHECK_STR_EQ(info.function, "ffs.x");
	CHECK_STR_EQ(supervisor_state_name(info.state), "not started");
	/* After the bind: not this one. */
	supervisor_start(s, false, NULL);
	CHECK_INT_EQ(info_of(s).pid, 0);
	supervisor_start(s, true, NULL);
	info = info_of(s);
	pid = info.pid;
	CHECK(pid > 0);
	CHECK_STR_EQ(supervisor_state_name(info.state), "running");
	CHECK(!info.exited);
	CHECK_INT_EQ(info.next_restart_ms, -1);
	CHECK_INT_EQ(info.restart_delay_ms, -1);

	/* `sh -c exit` exits 0 at once: back in a second. */
	CHECK_INT_EQ(waitpid(pid, &status, 0), pid);
	CHECK(!supervisor_child_exited(s, pid + 100000, status));
	CHECK(supervisor_child_exited(s, pid, status));
	info = info_of(s);
	CHECK_STR_EQ(supervisor_state_name(info.state), "waiting to restart");
	CHECK_INT_EQ(info.pid, 0);
	CHECK(info.exited);
	CHECK_INT_EQ(info.exit_code, 0);
	CHECK_INT_EQ(info.exit_signal, 0);
	CHECK(info.next_restart_ms > 0 && info.next_restart_ms <= 1000);
	CHECK_INT_EQ(info.restart_delay_ms, 1000);
	CHECK_INT_EQ(info.restarts, 0);
	for (int i = 0; i < 20 && n_restarted == 0; i++)
		event_loop_iterate(loop, 200);
	CHECK_INT_EQ(n_restarted, 1);
	info = info_of(s);
	CHECK_INT_EQ(info.restarts, 1);
	CHECK(info.pid > 0 && info.pid != pid);
	pid = info.pid;

	/* The second quick exit waits twice as long. */
	CHECK_INT_EQ(waitpid(pid, &status, 0), pid);
	CHECK(supervisor_child_exited(s, pid, status));
	info = info_of(s);
	CHECK(info.next_restart_ms > 1000 && info.next_restart_ms <= 2000);
	CHECK_INT_EQ(info.restart_delay_ms, 2000);

	/* Stopped while waiting: no restart, idle again. */
	supervisor_stop(s);
	info = info_of(s);
	CHECK_STR_EQ(supervisor_state_name(info.state), "not started");
	CHECK_INT_EQ(info.next_restart_ms, -1);
	/* Only the output pipe's source was left, and it went. */
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
	supervisor_set(s, NULL);
	CHECK(!supervisor_info(s, 0, &info));
	plan_free(&plan);
	profile_free(p);

	/* A program that does not end by itself: SIGTERM, reaped. */
	p = load_plan("[config 1]\nfunctions = ffs.x\n"
		      "[function ffs.x]\nprogram = /bin/sleep 100\n",
		      &plan);
	if (!p)
		goto out;
	supervisor_set(s, &plan);
	supervisor_start(s, true, NULL);
	pid = info_of(s).pid;
	CHECK(pid > 0);
	supervisor_stop(s);
	CHECK(kill(pid, 0) < 0);
	CHECK_INT_EQ(info_of(s).pid, 0);
	plan_free(&plan);
	profile_free(p);
out:
	supervisor_free(s);
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
}

/* The uvc functions' video nodes: those under the UDC, by number. */
static void test_video_device(void)
{
	char tmpl[] = "/tmp/gadgetd-test-video-XXXXXX";
	char *root = mkdtemp(tmpl), *dev;
	static const struct {
		const char *node, *device;
	} nodes[] = {
		{ "video0", "devices/platform/vivid.0/v4l" },
		{ "video3", "devices/platform/dummy_udc.0/gadget.0" },
		{ "video1", "devices/platform/dummy_udc.0/gadget.0" },
		/* A UDC whose name starts with the other's is not it. */
		{ "video2", "devices/platform/dummy_udc.01/gadget.0" },
		/* Not a video node. */
		{ "vbi0", "devices/platform/dummy_udc.0/gadget.0" },
	};
	char *cmd;

	CHECK(root != NULL);
	if (!root)
		return;
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		cmd = xasprintf(
			"mkdir -p '%s/%s' '%s/class/video4linux/%s' && ln -s '%s/%s' '%s/class/video4linux/%s/device'",
			root, nodes[i].device, root, nodes[i].node, root,
			nodes[i].device, root, nodes[i].node);
		CHECK_INT_EQ(system(cmd), 0);
		free(cmd);
	}
	dev = supervisor_video_device(root, "dummy_udc.0", 0);
	CHECK_STR_EQ(dev, "/dev/video1");
	free(dev);
	dev = supervisor_video_device(root, "dummy_udc.0", 1);
	CHECK_STR_EQ(dev, "/dev/video3");
	free(dev);
	CHECK(supervisor_video_device(root, "dummy_udc.0", 2) == NULL);
	dev = supervisor_video_device(root, "dummy_udc.01", 0);
	CHECK_STR_EQ(dev, "/dev/video2");
	free(dev);
	CHECK(supervisor_video_device(root, "fe980000.usb", 0) == NULL);
	CHECK(supervisor_video_device("/nonexistent", "dummy_udc.0", 0) ==
	      NULL);
	cmd = xasprintf("rm -rf '%s'", root);
	CHECK_INT_EQ(system(cmd), 0);
	free(cmd);
}

/* What a program finds in its environment: its function and the UDC. */
static void test_environment(struct event_loop *loop)
{
	char tmpl[] = "/tmp/gadgetd-test-env-XXXXXX";
	char *dir = mkdtemp(tmpl), *script, *out, *text = NULL, *ini;
	struct supervisor *s = supervisor_new(loop, NULL, NULL);
	struct profile *p;
	struct plan plan;
	FILE *f;
	int status;
	pid_t pid;

	CHECK(dir != NULL);
	if (!dir || geteuid() != 0) {
		/* A program must be root's to run: nothing to start. */
		supervisor_free(s);
		return;
	}
	script = xasprintf("%s/env.sh", dir);
	out = xasprintf("%s/env.out", dir);
	f = fopen(script, "w");
	CHECK(f != NULL);
	if (!f)
		goto out;
	fprintf(f,
		"#!/bin/sh\necho \"$GADGETD_FUNCTION $GADGETD_UDC ${GADGETD_VIDEO_DEVICE:-none}\" >'%s'\n",
		out);
	fclose(f);
	CHECK_INT_EQ(chmod(script, 0755), 0);
	ini = xasprintf("[config 1]\nfunctions = acm.GS0\n"
			"[function acm.GS0]\nprogram = %s\n"
			"program_restart = no\n",
			script);
	p = load_plan(ini, &plan);
	free(ini);
	if (!p)
		goto out;
	supervisor_set(s, &plan);
	supervisor_start(s, false, "dummy_udc.0");
	pid = info_of(s).pid;
	CHECK(pid > 0);
	CHECK_INT_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(supervisor_child_exited(s, pid, status));
	CHECK_INT_EQ(read_file_string(out, &text), 0);
	CHECK_STR_EQ(text, "acm.GS0 dummy_udc.0 none");
	free(text);
	supervisor_set(s, NULL);
	plan_free(&plan);
	profile_free(p);
out:
	supervisor_free(s);
	unlink(out);
	unlink(script);
	rmdir(dir);
	free(out);
	free(script);
}

int main(void)
{
	struct event_loop *loop;

	test_backoff();
	test_refusal();
	test_keys();
	if (event_loop_new(&loop) < 0) {
		CHECK(!"event loop");
		return testlib_finish("test-supervisor");
	}
	test_life(loop);
	test_video_device();
	test_environment(loop);
	event_loop_free(loop);
	return testlib_finish("test-supervisor");
}
