/* SPDX-License-Identifier: MIT */
/*
 * log.c: stderr is taken for the journal only when it is the stream
 * $JOURNAL_STREAM names, and then every line carries its syslog priority.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "testlib.h"

static void set_stream(unsigned long long dev, unsigned long long ino)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%llu:%llu", dev, ino);
	CHECK_INT_EQ(setenv("JOURNAL_STREAM", buf, 1), 0);
}

int main(void)
{
	char path[] = "/tmp/gadgetd-test-log-XXXXXX";
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	struct stat st;
	char *text;

	CHECK(fd >= 0 && saved >= 0);
	if (fd < 0 || saved < 0)
		return testlib_finish("test-log");
	CHECK_INT_EQ(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	CHECK_INT_EQ(fstat(fd, &st), 0);

	CHECK_INT_EQ(unsetenv("JOURNAL_STREAM"), 0);
	CHECK(!log_stderr_is_journal());
	set_stream((unsigned long long)st.st_dev,
		   (unsigned long long)st.st_ino);
	CHECK(log_stderr_is_journal());
	/* Another stream (stderr redirected by a shell): not the journal. */
	set_stream((unsigned long long)st.st_dev,
		   (unsigned long long)st.st_ino + 1);
	CHECK(!log_stderr_is_journal());
	CHECK_INT_EQ(setenv("JOURNAL_STREAM", "8:", 1), 0);
	CHECK(!log_stderr_is_journal());
	CHECK_INT_EQ(setenv("JOURNAL_STREAM", "x:1", 1), 0);
	CHECK(!log_stderr_is_journal());
	CHECK_INT_EQ(setenv("JOURNAL_STREAM", "1:2:3", 1), 0);
	CHECK(!log_stderr_is_journal());

	log_set_syslog_prefix(1);
	log_error("udc %s: gone", "dummy_udc.0");
	log_warning("reload: socket needs a restart");
	log_info("gadget gadgetd: configured");
	log_set_syslog_prefix(0);
	log_warning("plain");
	fflush(stderr);
	CHECK_INT_EQ(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	text = testlib_read_file(path, NULL);
	CHECK_STR_EQ(text, "<3>udc dummy_udc.0: gone\n"
			   "<4>reload: socket needs a restart\n"
			   "<6>gadget gadgetd: configured\n"
			   "gadgetd: warning: plain\n");
	free(text);
	close(fd);
	close(saved);
	unlink(path);
	return testlib_finish("test-log");
}
