/* SPDX-License-Identifier: MIT */
/*
 * Hooks: the executables in hooks_dir, run in name order on every state
 * change with GADGETD_EVENT, GADGETD_STATE, GADGETD_PROFILE and GADGETD_UDC
 * in their environment (and the event as their first argument).
 *
 * Hooks never block the daemon: each runs as a child process, one at a time
 * so that they see the changes in order; a hook that outlives its time limit
 * is killed with its process group.  Changes that come while hooks run are
 * queued (bounded: when a hook hangs, the oldest queued changes are dropped
 * with a warning rather than letting the queue grow).
 *
 * The daemon reaps children (SIGCHLD on its signalfd) and hands each exit
 * to hooks_child_exited().
 */
#ifndef GADGETD_HOOKS_H
#define GADGETD_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "event_loop.h"

#define HOOKS_TIMEOUT_MS 10000
#define HOOKS_QUEUE_MAX 32

struct hooks;

/* dir may be NULL or "" (no hooks). */
struct hooks *hooks_new(struct event_loop *loop, const char *dir,
			unsigned int timeout_ms);
void hooks_free(struct hooks *h);
void hooks_set_dir(struct hooks *h, const char *dir);

/* Queue one state change; NULL values are passed as empty strings. */
void hooks_run(struct hooks *h, const char *event, const char *state,
	       const char *profile, const char *udc);

/* A child exited (from waitpid): true when it was a hook. */
bool hooks_child_exited(struct hooks *h, pid_t pid, int status);

/* A hook is running or changes are queued. */
bool hooks_busy(const struct hooks *h);

/*
 * The executables of dir in the order they run: regular files with an
 * execute bit, not hidden, not editor backups ("~", ".dpkg-*", ".rpm*"),
 * sorted by name.  Only files owned by root and not writable by group or
 * others, in a directory of the same kind; the others are skipped with a
 * warning (they would run as root).  NULL-terminated; free each and the
 * array.
 */
char **hooks_list(const char *dir);

#endif
