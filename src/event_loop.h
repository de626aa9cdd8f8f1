/* SPDX-License-Identifier: MIT */
/*
 * The daemon's one event loop: epoll over file descriptors, each watched by
 * a small source with a callback.  Timers are timerfds that exist only while
 * something is pending, so an idle daemon sleeps in epoll_wait() forever.
 *
 * A source may be freed from any callback, including its own: the loop
 * defers the free to the end of the current round.
 */
#ifndef GADGETD_EVENT_LOOP_H
#define GADGETD_EVENT_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h> /* EPOLLIN & co for callers */

struct event_loop;
struct event_source;

/* events: the EPOLL* bits that fired. */
typedef void (*event_io_fn)(struct event_source *source, int fd,
			    uint32_t events, void *data);
typedef void (*event_timer_fn)(struct event_source *source, void *data);

int event_loop_new(struct event_loop **out);
/* Frees every source left; fds of io sources stay open (the caller's). */
void event_loop_free(struct event_loop *loop);

/* Watch fd for events (EPOLLIN, EPOLLPRI, ...).  fd stays the caller's. */
int event_loop_add_io(struct event_loop *loop, int fd, uint32_t events,
		      event_io_fn fn, void *data, struct event_source **out);
int event_source_set_events(struct event_source *source, uint32_t events);

/*
 * Call fn once after usec microseconds (periodic: every usec).  The timerfd
 * belongs to the source.
 */
int event_loop_add_timer(struct event_loop *loop, uint64_t usec, bool periodic,
			 event_timer_fn fn, void *data,
			 struct event_source **out);

/* Stop watching and free; NULL is fine.  Safe inside callbacks. */
void event_source_free(struct event_source *source);

/*
 * One round: wait up to timeout_ms (-1: no limit) and dispatch what fired.
 * Returns the number of callbacks run or a negative errno (EINTR is 0).
 */
int event_loop_iterate(struct event_loop *loop, int timeout_ms);
/* Iterate until event_loop_quit(); returns the status given to it. */
int event_loop_run(struct event_loop *loop);
void event_loop_quit(struct event_loop *loop, int status);

/* Sources alive (for tests: nothing left behind). */
size_t event_loop_n_sources(const struct event_loop *loop);

#endif
