/* SPDX-License-Identifier: MIT */
/*
 * The programs that serve functions (`program =`, docs/daemon.md,
 * Function programs): started, restarted with back-off when they die, and
 * stopped before their function goes.
 *
 * A FunctionFS function's program starts once its functionfs is mounted
 * and before the bind: its descriptors are what the bind waits for
 * (ffs_wait.h).  Any other function's program starts after the first
 * bind, when the kernel has made what it serves (f_uvc's /dev/videoN).
 *
 * Every program runs as root, so it must be a regular executable owned by
 * root that neither group nor others may write, in directories the same
 * holds for; else it is refused and never started.  It runs in its own
 * process group with stdin from /dev/null, stdout and stderr in gadgetd's
 * log (each line after the function's name), and no other descriptor of
 * the daemon's.
 *
 * This module owns its children and restart timers and returns facts; the
 * daemon reaps (SIGCHLD) and passes each exit here, and hears of a restart
 * through one callback, never from inside a call of its own.
 */
#ifndef GADGETD_SUPERVISOR_H
#define GADGETD_SUPERVISOR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "event_loop.h"
#include "plan.h"

/*
 * Back-off: a program that exits is started again after
 * SUPERVISOR_RESTART_MIN_MS, doubling while it keeps exiting within
 * SUPERVISOR_STABLE_MS of its start, up to SUPERVISOR_RESTART_MAX_MS.  One
 * second lets a daemon that crashed on a host's request come back before
 * most hosts give up on the device; 30 s caps what a broken program costs
 * (a fork and an exec) without leaving a fixed one down for long; a
 * program that served for a minute is taken as healthy again, so its next
 * crash is retried at once.  It never gives up: the function is useless
 * without its program, and the log says why it keeps exiting.
 */
#define SUPERVISOR_RESTART_MIN_MS 1000
#define SUPERVISOR_RESTART_MAX_MS 30000
#define SUPERVISOR_STABLE_MS 60000
/* SIGTERM, then SIGKILL after this long: a daemon closing its endpoints
 * takes milliseconds, and the daemon's loop waits meanwhile. */
#define SUPERVISOR_STOP_WAIT_MS 2000

/*
 * The delay before the next start of a program that exited after running
 * ran_ms, given *quick_exits (exits in a row within SUPERVISOR_STABLE_MS,
 * updated here).
 */
uint64_t supervisor_backoff(unsigned int *quick_exits, uint64_t ran_ms);

/* Why path may not run as root: NULL when it may, else one line for the
 * log (allocated). */
char *supervisor_refusal(const char *path);

enum supervisor_state {
	SUPERVISOR_IDLE, /* not started yet (after the bind, or no gadget) */
	SUPERVISOR_RUNNING,
	SUPERVISOR_WAITING, /* exited; started again when the timer fires */
	SUPERVISOR_STOPPED, /* exited with program_restart = no, or stopped */
	SUPERVISOR_REFUSED, /* not an executable root may trust, or no exec */
};

const char *supervisor_state_name(enum supervisor_state state);

/* One program, as status shows it. */
struct supervisor_info {
	const char *function;
	const char *path;
	pid_t pid; /* 0: none */
	enum supervisor_state state;
	unsigned int restarts;
	/* The last exit: exited with exit_code, or killed by exit_signal;
	 * neither: it has not exited. */
	bool exited;
	int exit_code;
	int exit_signal;
	int64_t next_restart_ms; /* WAITING: ms until the start; else -1 */
	/* The back-off chosen at the last exit; -1: none yet. */
	int64_t restart_delay_ms;
};

struct supervisor;

/* restarted(data, function): a program was started again after an exit
 * (its function may now be bound again). */
typedef void (*supervisor_restarted_fn)(void *data, const char *function);

struct supervisor *supervisor_new(struct event_loop *loop,
				  supervisor_restarted_fn restarted,
				  void *data);
/* Stops every program first. */
void supervisor_free(struct supervisor *s);

/* The programs of plan, all idle: its PLAN_FFS_WAIT ops' (plan_ffs_wait(),
 * in the plan's order), then those of its profile's other functions.
 * Stops and forgets the previous ones.  plan may be NULL, and s too
 * (nothing). */
void supervisor_set(struct supervisor *s, const struct plan *plan);
/*
 * Start the idle programs of FunctionFS functions (before_bind) or of
 * the others (after the bind to udc, which their environment names; NULL
 * keeps the last one).  Each program gets GADGETD_FUNCTION (its function),
 * GADGETD_UDC once a bind named it, and a uvc function's program
 * GADGETD_VIDEO_DEVICE (supervisor_video_device()).
 */
void supervisor_start(struct supervisor *s, bool before_bind, const char *udc);
/*
 * The board's video node of the nth uvc function (0: the first) bound to
 * udc: /dev/videoN for the nth, by number, of the video4linux devices
 * under sysfs_root whose device is below the UDC (f_uvc makes one at each
 * bind, as the configuration orders its functions).  NULL when there is
 * none; allocated.
 */
char *supervisor_video_device(const char *sysfs_root, const char *udc,
			      unsigned int nth);
/* SIGTERM to each program's group, SIGKILL after SUPERVISOR_STOP_WAIT_MS,
 * reaped here; the restart timers go.  Each is idle again. */
void supervisor_stop(struct supervisor *s);
/* A reaped child: true when it was one of ours (its exit is noted and,
 * with program_restart, its restart timer armed). */
bool supervisor_child_exited(struct supervisor *s, pid_t pid, int status);

/* The programs, in the profile's order; false past the last. */
bool supervisor_info(const struct supervisor *s, size_t i,
		     struct supervisor_info *out);

#endif
