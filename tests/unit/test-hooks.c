/* SPDX-License-Identifier: MIT */
/*
 * hooks.c with real executables in a temporary hooks_dir: which files run
 * and in what order, the environment they get, changes queued behind a
 * running hook, and the time limit killing a hook and its children.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "event_loop.h"
#include "hooks.h"
#include "testlib.h"
#include "util.h"

static char *tmpdir;

static char *put(const char *name, mode_t mode, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	if (!f) {
		testlib_fail(__FILE__, __LINE__, "%s: %s", path,
			     strerror(errno));
		return path;
	}
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

/* What the daemon does: reap children, hand them to hooks. */
static void pump_until_idle(struct event_loop *loop, struct hooks *h,
			    int max_ms)
{
	for (int waited = 0; hooks_busy(h) && waited < max_ms; waited += 10) {
		int status;
		pid_t pid;

		event_loop_iterate(loop, 10);
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			hooks_child_exited(h, pid, status);
	}
}

static void test_list(void)
{
	char **list;

	list = hooks_list(tmpdir);
	CHECK(list[0] && str_starts_with(list[0], tmpdir));
	CHECK(list[0] && strstr(list[0], "/10-first"));
	CHECK(list[1] && strstr(list[1], "/20-second"));
	CHECK(list[1] && list[2] == NULL);
	for (char **p = list; *p; p++)
		free(*p);
	free(list);

	list = hooks_list(NULL);
	CHECK(list[0] == NULL);
	free(list);
	list = hooks_list("/nonexistent/hooks.d");
	CHECK(list[0] == NULL);
	free(list);
}

/* Hooks run as root: only root's files that nobody else may write, in a
 * directory of the same kind (gadgetd.conf(5)). */
static void test_list_untrusted(void)
{
	char *group_writable = put("11-group-writable", 0775, "#!/bin/sh\n");
	char *others = put("12-others", 0755, "#!/bin/sh\n");
	char **list;
	size_t n = 0;

	CHECK_INT_EQ(chown(others, 65534, 65534), 0);
	list = hooks_list(tmpdir);
	for (char **p = list; *p; p++, n++) {
		CHECK(!strstr(*p, "11-group-writable"));
		CHECK(!strstr(*p, "12-others"));
		free(*p);
	}
	free(list);
	CHECK_INT_EQ(n, 2);

	/* A directory others may write: none of its hooks. */
	CHECK_INT_EQ(chmod(tmpdir, 0777), 0);
	list = hooks_list(tmpdir);
	CHECK(list[0] == NULL);
	free(list);
	CHECK_INT_EQ(chmod(tmpdir, 0700), 0);

	unlink(group_writable);
	unlink(others);
	free(group_writable);
	free(others);
}

static void test_run(struct event_loop *loop)
{
	struct hooks *h = hooks_new(loop, tmpdir, 5000);
	char *log = xasprintf("%s/log", tmpdir), *text = NULL;

	setenv("GADGETD_STATE", "stale", 1);
	hooks_run(h, "start", "bound", "ecm-only", "dummy_udc.0");
	/* Queued behind the first change, run in order. */
	hooks_run(h, "udc-state", "configured", "ecm-only", "dummy_udc.0");
	hooks_run(h, "udc-remove", "waiting-udc", NULL, NULL);
	CHECK(hooks_busy(h));
	pump_until_idle(loop, h, 5000);
	CHECK(!hooks_busy(h));
	CHECK_INT_EQ(read_file_string(log, &text), 0);
	CHECK_STR_EQ(
		text,
		"first start bound ecm-only dummy_udc.0 start\n"
		"second\n"
		"first udc-state configured ecm-only dummy_udc.0 udc-state\n"
		"second\n"
		"first udc-remove waiting-udc   udc-remove\n"
		"second");
	free(text);
	unsetenv("GADGETD_STATE");
	unlink(log);
	free(log);
	hooks_free(h);
}

static void test_no_dir(struct event_loop *loop)
{
	struct hooks *h = hooks_new(loop, "", 5000);

	hooks_run(h, "start", "bound", "x", "y");
	CHECK(!hooks_busy(h));
	hooks_free(h);
}

static void test_time_limit(struct event_loop *loop)
{
	char tmpl[] = "/tmp/gadgetd-test-hooks-slow-XXXXXX";
	char *saved = tmpdir, *slow, *done, *child_pid_file, *text = NULL;
	struct timespec t0, t1;
	struct hooks *h;
	double elapsed;

	if (!mkdtemp(tmpl))
		return;
	tmpdir = tmpl;
	child_pid_file = xasprintf("%s/child.pid", tmpdir);
	done = xasprintf("%s/done", tmpdir);
	/* The hook starts a grandchild and hangs: both must go. */
	free(put("10-slow", 0755,
		 "#!/bin/sh\n"
		 "sleep 30 &\n"
		 "echo $! > \"$(dirname \"$0\")/child.pid\"\n"
		 "sleep 30\n"
		 "echo not-killed >> \"$(dirname \"$0\")/done\"\n"));
	slow = xasprintf("%s/10-slow", tmpdir);
	h = hooks_new(loop, tmpdir, 200);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	hooks_run(h, "start", "bound", "p", "u");
	hooks_run(h, "udc-state", "configured", "p", "u");
	pump_until_idle(loop, h, 5000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	elapsed = (double)(t1.tv_sec - t0.tv_sec) +
		  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK(!hooks_busy(h));
	/* Two changes, 200 ms each, far below the hooks' own 30 s. */
	CHECK(elapsed > 0.35 && elapsed < 3.0);
	CHECK(access(done, F_OK) < 0);
	if (read_file_string(child_pid_file, &text) == 0) {
		pid_t child = (pid_t)atoi(text);
		bool gone = false;

		/* Gone, or a zombie waiting for init to reap it. */
		for (int i = 0; i < 100 && !gone; i++) {
			char *stat = xasprintf("/proc/%d/stat", (int)child), *s;

			if (kill(child, 0) < 0) {
				gone = true;
			} else if (read_file_string(stat, &s) == 0) {
				gone = strstr(s, ") Z ") != NULL;
				free(s);
			}
			free(stat);
			if (!gone)
				usleep(10000);
		}
		CHECK(gone);
		free(text);
	} else {
		CHECK(!"the slow hook never wrote its child's pid");
	}
	hooks_free(h);
	{
		char *cmd = xasprintf("rm -rf '%s'", tmpdir);

		if (system(cmd) != 0)
			printf("test-hooks: could not remove %s\n", tmpdir);
		free(cmd);
	}
	free(slow);
	free(done);
	free(child_pid_file);
	tmpdir = saved;
}

int main(void)
{
	char tmpl[] = "/tmp/gadgetd-test-hooks-XXXXXX";
	struct event_loop *loop;
	char *cmd;

	if (geteuid() != 0) {
		printf("test-hooks: not root, skipping (hooks run only when root owns them)\n");
		return 0;
	}
	if (!mkdtemp(tmpl))
		return 1;
	tmpdir = tmpl;
	free(put("10-first", 0755,
		 "#!/bin/sh\n"
		 "echo \"first $GADGETD_EVENT $GADGETD_STATE $GADGETD_PROFILE "
		 "$GADGETD_UDC $1\" >> \"$(dirname \"$0\")/log\"\n"));
	free(put("20-second", 0755,
		 "#!/bin/sh\necho second >> \"$(dirname \"$0\")/log\"\n"));
	free(put("15-not-executable", 0644,
		 "#!/bin/sh\necho bad >> \"$(dirname \"$0\")/log\"\n"));
	free(put(".hidden", 0755,
		 "#!/bin/sh\necho bad >> \"$(dirname \"$0\")/log\"\n"));
	free(put("30-backup~", 0755,
		 "#!/bin/sh\necho bad >> \"$(dirname \"$0\")/log\"\n"));
	free(put("40-x.dpkg-old", 0755,
		 "#!/bin/sh\necho bad >> \"$(dirname \"$0\")/log\"\n"));

	if (event_loop_new(&loop) < 0)
		return 1;
	test_list();
	test_list_untrusted();
	test_run(loop);
	test_no_dir(loop);
	test_time_limit(loop);
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);
	event_loop_free(loop);

	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("test-hooks: could not remove %s\n", tmpdir);
	free(cmd);
	return testlib_finish("test-hooks");
}
