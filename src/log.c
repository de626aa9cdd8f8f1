/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/*
 * The only file-scope state outside the daemon context: logging must work
 * before the context exists (argument parsing) and from every module.
 */
static enum log_level current_level = LOG_LEVEL_INFO;
static int syslog_prefix;

void log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level log_get_level(void)
{
	return current_level;
}

void log_set_syslog_prefix(int enabled)
{
	syslog_prefix = enabled;
}

/*
 * systemd sets JOURNAL_STREAM to "DEVICE:INODE" of the stream it connected
 * to the journal (systemd.exec(5)).  Only when stderr is still that very
 * stream does a "<N>" prefix reach journald as a priority: a client run
 * from a unit's shell with its stderr redirected, or a hook that inherited
 * the variable, writes elsewhere and keeps the plain "gadgetd: " form.
 */
bool log_stderr_is_journal(void)
{
	const char *s = getenv("JOURNAL_STREAM");
	uintmax_t dev, ino;
	struct stat st;
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	dev = strtoumax(s, &end, 10);
	if (errno || end == s || *end != ':')
		return false;
	s = end + 1;
	ino = strtoumax(s, &end, 10);
	if (errno || end == s || *end)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (uintmax_t)st.st_dev == dev && (uintmax_t)st.st_ino == ino;
}

static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	/* syslog priorities: err=3 warning=4 info=6 debug=7 */
	static const int priority[] = { 3, 4, 6, 7 };
	static const char *const label[] = { "error: ", "warning: ", "", "" };
	char buf[1024];

	if (level > current_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (syslog_prefix)
		fprintf(stderr, "<%d>%s\n", priority[level], buf);
	else
		fprintf(stderr, "gadgetd: %s%s\n", label[level], buf);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

int log_errno(int r, const char *fmt, ...)
{
	char buf[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(LOG_LEVEL_ERROR, "%s: %s", buf, strerror(r < 0 ? -r : r));
	return r;
}
