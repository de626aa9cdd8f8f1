/* SPDX-License-Identifier: MIT */
/*
 * The wait for FunctionFS functions' descriptors before a bind
 * (docs/daemon.md, FunctionFS).
 *
 * A FunctionFS function can be bound once its user-space daemon has written
 * its descriptors to ep0: FunctionFS then makes ep1, and binding before
 * fails.  It makes the ep files without telling inotify, so there is no
 * event to wait for: while the daemon waits, a timer fires every
 * FFS_WAIT_CHECK_MS, until the longest ready_timeout of the plan's
 * FunctionFS functions.  When a function's daemon goes away the kernel
 * unbinds the gadget (a uevent) before FunctionFS removes the ep files, so
 * a bind tried in between is refused: the wait then lasts until the ep
 * files have gone and come back.
 *
 * This module looks at the plan's mounts, owns the timer and says what
 * the daemon should do; the daemon binds, keeps the notice, and reads the
 * facts again when the timer says so.
 */
#ifndef GADGETD_FFS_WAIT_H
#define GADGETD_FFS_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "event_loop.h"
#include "plan.h"

#define FFS_WAIT_CHECK_MS 100

struct ffs_wait;

/* The plan's FunctionFS functions, as their mounts show them now. */
struct ffs_wait_look {
	const char *function; /* the first without descriptors; NULL: none */
	char *where; /* its ep1 */
	long timeout_s; /* the longest ready_timeout; 0: no such function */
};

/* Reads each PLAN_FFS_WAIT op's mount (plan_ffs_wait()); plan may be
 * NULL. */
void ffs_wait_look(const struct plan *plan, struct ffs_wait_look *look);
void ffs_wait_look_clear(struct ffs_wait_look *look);

enum ffs_wait_fact {
	FFS_WAIT_NONE, /* no FunctionFS function: not a refusal of theirs */
	FFS_WAIT_READY, /* every one has its descriptors: bind */
	FFS_WAIT_WAITING, /* not yet: the timer checks again */
	FFS_WAIT_GAVE_UP, /* after ready_timeout: until ffs_wait_again() */
};

struct ffs_wait_step {
	enum ffs_wait_fact fact;
	/* WAITING, GAVE_UP: what the daemon waits for, one line for its log
	 * and status; the caller frees it. */
	char *notice;
	/* The timer could not start: a negative errno, else 0. */
	int timer_error;
};

/* due(data) when the timer fires: look again, then ffs_wait_check(). */
typedef void (*ffs_wait_due_fn)(void *data);

struct ffs_wait *ffs_wait_new(struct event_loop *loop, ffs_wait_due_fn due,
			      void *data);
void ffs_wait_free(struct ffs_wait *w);

/* Before a bind: READY, or WAITING (and the timer runs), or GAVE_UP. */
struct ffs_wait_step ffs_wait_ready(struct ffs_wait *w,
				    const struct ffs_wait_look *look,
				    uint64_t now_ms);
/*
 * The kernel refused a bind that look said was ready: WAITING when the
 * plan has FunctionFS functions (the wait begins, for ep files that go
 * away and come back), else NONE.
 */
struct ffs_wait_step ffs_wait_refused(struct ffs_wait *w,
				      const struct ffs_wait_look *look,
				      uint64_t now_ms);
/*
 * The timer fired (due): READY once the descriptors are there (and, after
 * a refusal, were missing in between), GAVE_UP at the deadline, else
 * WAITING.  READY and GAVE_UP stop the timer.
 */
enum ffs_wait_fact ffs_wait_check(struct ffs_wait *w,
				  const struct ffs_wait_look *look,
				  uint64_t now_ms);

/* `up`, or a gadget built anew: a wait that gave up may wait again. */
void ffs_wait_again(struct ffs_wait *w);
/* Stop the timer (the gadget is gone). */
void ffs_wait_stop(struct ffs_wait *w);
/* The timer runs. */
bool ffs_wait_waiting(const struct ffs_wait *w);

#endif
