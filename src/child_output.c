/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child_output.h"
#include "log.h"
#include "util.h"

struct child_output {
	int fd;
	struct event_source *source;
	char *tag;
	child_output_closed_fn closed;
	void *data;
	char buf[512];
	size_t len;
};

static void child_output_flush(struct child_output *o, bool all)
{
	char *start = o->buf, *nl;

	while ((nl = memchr(start, '\n', o->len - (size_t)(start - o->buf)))) {
		*nl = '\0';
		if (nl > start)
			log_info("%s: %s", o->tag, start);
		start = nl + 1;
	}
	o->len -= (size_t)(start - o->buf);
	memmove(o->buf, start, o->len);
	/* A line longer than the buffer, or the rest at the end. */
	if (o->len && (all || o->len == sizeof(o->buf) - 1)) {
		o->buf[o->len] = '\0';
		log_info("%s: %s", o->tag, o->buf);
		o->len = 0;
	}
}

/* One read: >0 bytes logged, 0 at the end of file, <0 nothing now. */
static ssize_t child_output_read_once(struct child_output *o)
{
	ssize_t r = read(o->fd, o->buf + o->len, sizeof(o->buf) - 1 - o->len);

	if (r > 0) {
		o->len += (size_t)r;
		child_output_flush(o, false);
	}
	return r;
}

static void child_output_readable(struct event_source *source, int fd,
				  uint32_t events, void *data)
{
	struct child_output *o = data;
	ssize_t r;

	(void)source;
	(void)fd;
	(void)events;
	r = child_output_read_once(o);
	if (r > 0 || (r < 0 && (errno == EAGAIN || errno == EINTR)))
		return;
	child_output_flush(o, true);
	if (o->closed)
		o->closed(o->data, o);
	child_output_free(o);
}

struct child_output *child_output_new(struct event_loop *loop, int fd,
				      const char *tag,
				      child_output_closed_fn closed, void *data)
{
	struct child_output *o = xcalloc(1, sizeof(*o));

	(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	o->fd = fd;
	o->tag = xstrdup(tag);
	o->closed = closed;
	o->data = data;
	if (event_loop_add_io(loop, fd, EPOLLIN, child_output_readable, o,
			      &o->source) < 0) {
		o->source = NULL;
		child_output_free(o);
		return NULL;
	}
	return o;
}

void child_output_drain(struct child_output *o)
{
	if (o)
		while (child_output_read_once(o) > 0)
			;
}

void child_output_free(struct child_output *o)
{
	if (!o)
		return;
	child_output_flush(o, true);
	event_source_free(o->source);
	close(o->fd);
	free(o->tag);
	free(o);
}
