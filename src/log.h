/* SPDX-License-Identifier: MIT */
/*
 * Logging.  Messages start lowercase, name the object they are about
 * ("udc dummy_udc.0: bound gadget gadgetd") and have no trailing period.
 * Output goes to stderr; under systemd or a supervisor that captures stderr
 * that is the journal/syslog.  The level is process-wide configuration set
 * once at start (-v), not mutable state of the daemon.
 */
#ifndef GADGETD_LOG_H
#define GADGETD_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Prefix lines with "<N>" syslog priorities (for the journal). */
void log_set_syslog_prefix(int enabled);
/* stderr is the journal stream systemd gave us ($JOURNAL_STREAM). */
bool log_stderr_is_journal(void);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

/* Log and return r (a negative errno) so callers can `return log_errno(...)`. */
int log_errno(int r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
