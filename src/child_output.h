/* SPDX-License-Identifier: MIT */
/*
 * A child's stdout and stderr, through one pipe, logged line by line after
 * a tag (`dnsmasq: ...`, `ffs.mtp: ...`) until the pipe's end of file.  A
 * line longer than the buffer is logged in pieces; what is left at the end
 * of file is logged as a line of its own.  Used for the DHCP servers and
 * ifupdown commands (net.c) and the functions' programs (supervisor.c).
 */
#ifndef GADGETD_CHILD_OUTPUT_H
#define GADGETD_CHILD_OUTPUT_H

#include <stdbool.h>

#include "event_loop.h"

struct child_output;

/* The pipe reached its end of file and everything was logged: the owner
 * forgets o, which is freed when this returns. */
typedef void (*child_output_closed_fn)(void *data, struct child_output *o);

/*
 * Watch fd, the pipe's read end (taken over: closed when o is freed, or
 * here on failure; made non-blocking).  NULL when the loop cannot watch it.
 */
struct child_output *child_output_new(struct event_loop *loop, int fd,
				      const char *tag,
				      child_output_closed_fn closed,
				      void *data);
/* Log what the pipe holds now as whole lines: a child that exited has
 * written its last words before the news of its exit is logged. */
void child_output_drain(struct child_output *o);
/* Log everything still held (a partial line too), then free; NULL is
 * nothing.  closed is not called. */
void child_output_free(struct child_output *o);

#endif
