/* SPDX-License-Identifier: MIT */
/*
 * event_loop.c: io sources, one-shot and periodic timers, freeing sources
 * from inside callbacks (their own and others'), and quitting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event_loop.h"
#include "testlib.h"
#include "util.h"

struct counter {
	int calls;
	struct event_source *self;
	struct event_source *victim; /* freed by the first callback */
	struct event_loop *loop;
	int quit_after;
};

static void on_io(struct event_source *s, int fd, uint32_t events, void *data)
{
	struct counter *c = data;
	char buf[16];

	(void)s;
	CHECK(events & EPOLLIN);
	if (read(fd, buf, sizeof(buf)) < 0)
		CHECK(!"read");
	c->calls++;
	if (c->victim) {
		event_source_free(c->victim);
		c->victim = NULL;
	}
}

static void on_timer(struct event_source *s, void *data)
{
	struct counter *c = data;

	c->calls++;
	if (c->quit_after && c->calls == c->quit_after) {
		event_source_free(s);
		event_loop_quit(c->loop, 42);
	}
}

int main(void)
{
	struct event_loop *loop;
	struct event_source *a, *b, *t;
	struct counter ca = { 0 }, cb = { 0 }, ct = { 0 };
	int pa[2], pb[2];

	CHECK_INT_EQ(event_loop_new(&loop), 0);
	if (pipe(pa) < 0 || pipe(pb) < 0)
		return 1;

	CHECK_INT_EQ(event_loop_add_io(loop, pa[0], EPOLLIN, on_io, &ca, &a),
		     0);
	CHECK_INT_EQ(event_loop_add_io(loop, pb[0], EPOLLIN, on_io, &cb, &b),
		     0);
	CHECK_INT_EQ(event_loop_n_sources(loop), 2);
	/* Both readable in the same round; whichever runs first frees the
	 * other, which then must not run. */
	ca.victim = b;
	cb.victim = a;
	CHECK_INT_EQ(write(pa[1], "x", 1), 1);
	CHECK_INT_EQ(write(pb[1], "y", 1), 1);
	CHECK_INT_EQ(event_loop_iterate(loop, 100), 1);
	CHECK_INT_EQ(ca.calls + cb.calls, 1);
	CHECK_INT_EQ(event_loop_n_sources(loop), 1);
	/* Nothing pending: a zero timeout returns at once. */
	CHECK_INT_EQ(event_loop_iterate(loop, 0), 0);
	event_source_free(ca.calls ? a : b);
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);

	/* A periodic timer that quits the loop from its third call. */
	ct.loop = loop;
	ct.quit_after = 3;
	CHECK_INT_EQ(event_loop_add_timer(loop, 5000, true, on_timer, &ct, &t),
		     0);
	CHECK_INT_EQ(event_loop_run(loop), 42);
	CHECK_INT_EQ(ct.calls, 3);
	CHECK_INT_EQ(event_loop_n_sources(loop), 0);

	/* A one-shot timer fires once. */
	memset(&ct, 0, sizeof(ct));
	CHECK_INT_EQ(event_loop_add_timer(loop, 1000, false, on_timer, &ct, &t),
		     0);
	for (int i = 0; i < 5; i++)
		event_loop_iterate(loop, 20);
	CHECK_INT_EQ(ct.calls, 1);
	event_source_free(t);
	event_source_free(NULL);

	close(pa[0]);
	close(pa[1]);
	close(pb[0]);
	close(pb[1]);
	event_loop_free(loop);
	return testlib_finish("test-event-loop");
}
