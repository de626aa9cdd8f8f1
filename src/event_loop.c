/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "event_loop.h"
#include "util.h"

#define EVENT_LOOP_MAX_EVENTS 16

struct event_source {
	struct event_loop *loop;
	struct event_source *next; /* live list, then the dead list */
	int fd;
	bool is_timer; /* the fd is a timerfd this source owns */
	bool dead;
	event_io_fn io_fn;
	event_timer_fn timer_fn;
	void *data;
};

struct event_loop {
	int epoll_fd;
	struct event_source *sources;
	/* Freed at the end of a round: epoll_wait() may have returned events
	 * for a source that a callback earlier in the same round freed. */
	struct event_source *dead;
	size_t n_sources;
	bool quit;
	int quit_status;
};

int event_loop_new(struct event_loop **out)
{
	struct event_loop *loop;
	int fd;

	fd = epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0)
		return -errno;
	loop = xcalloc(1, sizeof(*loop));
	loop->epoll_fd = fd;
	*out = loop;
	return 0;
}

static void event_loop_reap(struct event_loop *loop)
{
	while (loop->dead) {
		struct event_source *s = loop->dead;

		loop->dead = s->next;
		free(s);
	}
}

void event_loop_free(struct event_loop *loop)
{
	if (!loop)
		return;
	while (loop->sources)
		event_source_free(loop->sources);
	event_loop_reap(loop);
	close(loop->epoll_fd);
	free(loop);
}

static int event_loop_add(struct event_loop *loop, int fd, uint32_t events,
			  struct event_source *s)
{
	struct epoll_event ev = { .events = events, .data.ptr = s };

	if (epoll_ctl(loop->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	s->loop = loop;
	s->fd = fd;
	s->next = loop->sources;
	loop->sources = s;
	loop->n_sources++;
	return 0;
}

int event_loop_add_io(struct event_loop *loop, int fd, uint32_t events,
		      event_io_fn fn, void *data, struct event_source **out)
{
	struct event_source *s = xcalloc(1, sizeof(*s));
	int r;

	s->io_fn = fn;
	s->data = data;
	r = event_loop_add(loop, fd, events, s);
	if (r < 0) {
		free(s);
		return r;
	}
	*out = s;
	return 0;
}

int event_source_set_events(struct event_source *s, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = s };

	if (epoll_ctl(s->loop->epoll_fd, EPOLL_CTL_MOD, s->fd, &ev) < 0)
		return -errno;
	return 0;
}

int event_loop_add_timer(struct event_loop *loop, uint64_t usec, bool periodic,
			 event_timer_fn fn, void *data,
			 struct event_source **out)
{
	struct itimerspec its = { 0 };
	struct event_source *s;
	int fd, r;

	/* A zero it_value would disarm the timer instead of firing now. */
	if (usec == 0)
		usec = 1;
	its.it_value.tv_sec = (time_t)(usec / 1000000);
	its.it_value.tv_nsec = (long)(usec % 1000000) * 1000;
	if (periodic)
		its.it_interval = its.it_value;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	s = xcalloc(1, sizeof(*s));
	s->is_timer = true;
	s->timer_fn = fn;
	s->data = data;
	r = event_loop_add(loop, fd, EPOLLIN, s);
	if (r < 0) {
		close(fd);
		free(s);
		return r;
	}
	*out = s;
	return 0;
}

void event_source_free(struct event_source *s)
{
	struct event_loop *loop;
	struct event_source **p;

	if (!s || s->dead)
		return;
	loop = s->loop;
	for (p = &loop->sources; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	epoll_ctl(loop->epoll_fd, EPOLL_CTL_DEL, s->fd, NULL);
	if (s->is_timer)
		close(s->fd);
	s->dead = true;
	s->next = loop->dead;
	loop->dead = s;
	loop->n_sources--;
}

static void event_source_dispatch(struct event_source *s, uint32_t events)
{
	if (s->is_timer) {
		uint64_t expirations;

		/* Drain the count so that a level-triggered timerfd does not
		 * fire again for the same expiry. */
		if (read(s->fd, &expirations, sizeof(expirations)) < 0)
			return;
		s->timer_fn(s, s->data);
		return;
	}
	s->io_fn(s, s->fd, events, s->data);
}

int event_loop_iterate(struct event_loop *loop, int timeout_ms)
{
	struct epoll_event events[EVENT_LOOP_MAX_EVENTS];
	int n, ran = 0;

	n = epoll_wait(loop->epoll_fd, events, EVENT_LOOP_MAX_EVENTS,
		       timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct event_source *s = events[i].data.ptr;

		if (s->dead)
			continue;
		event_source_dispatch(s, events[i].events);
		ran++;
	}
	event_loop_reap(loop);
	return ran;
}

int event_loop_run(struct event_loop *loop)
{
	loop->quit = false;
	while (!loop->quit) {
		int r = event_loop_iterate(loop, -1);

		if (r < 0)
			return r;
	}
	return loop->quit_status;
}

void event_loop_quit(struct event_loop *loop, int status)
{
	loop->quit = true;
	loop->quit_status = status;
}

size_t event_loop_n_sources(const struct event_loop *loop)
{
	return loop->n_sources;
}
