/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
