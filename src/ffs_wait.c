/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <unistd.h>

#include "ffs_wait.h"
#include "util.h"

struct ffs_wait {
	struct event_loop *loop;
	ffs_wait_due_fn due;
	void *data;
	struct event_source *timer;
	uint64_t deadline_ms;
	bool gave_up;
	/* The ep files seen now belong to a daemon that went away: ready
	 * only once they have gone and come back. */
	bool need_unready;
};

void ffs_wait_look(const struct plan *plan, struct ffs_wait_look *look)
{
	*look = (struct ffs_wait_look){ 0 };
	for (size_t i = 0; plan && i < plan->n_ops; i++) {
		struct plan_ffs_wait wait;
		char *ep1;

		/* The mount and the timeout (its default included), as
		 * `gadgetd plan` prints them. */
		if (plan_ffs_wait(plan, &plan->ops[i], &wait) < 0)
			continue;
		if (wait.timeout_s > look->timeout_s)
			look->timeout_s = wait.timeout_s;
		ep1 = xasprintf("%s/ep1", wait.mount);
		if (!look->function && access(ep1, F_OK) < 0) {
			look->function = wait.function;
			look->where = ep1;
			ep1 = NULL;
		}
		free(ep1);
		plan_ffs_wait_clear(&wait);
	}
}

void ffs_wait_look_clear(struct ffs_wait_look *look)
{
	free(look->where);
	*look = (struct ffs_wait_look){ 0 };
}

struct ffs_wait *ffs_wait_new(struct event_loop *loop, ffs_wait_due_fn due,
			      void *data)
{
	struct ffs_wait *w = xcalloc(1, sizeof(*w));

	w->loop = loop;
	w->due = due;
	w->data = data;
	return w;
}

void ffs_wait_stop(struct ffs_wait *w)
{
	event_source_free(w->timer);
	w->timer = NULL;
}

void ffs_wait_free(struct ffs_wait *w)
{
	if (!w)
		return;
	ffs_wait_stop(w);
	free(w);
}

static void ffs_wait_due(struct event_source *source, void *data)
{
	struct ffs_wait *w = data;

	(void)source;
	w->due(w->data);
}

/* The timer, unless it runs already: its deadline is the first wait's. */
static int ffs_wait_start(struct ffs_wait *w, long timeout_s, bool need_unready,
			  uint64_t now_ms)
{
	int r;

	w->need_unready = need_unready;
	if (w->timer)
		return 0;
	w->deadline_ms = now_ms + (uint64_t)timeout_s * 1000;
	r = event_loop_add_timer(w->loop, FFS_WAIT_CHECK_MS * 1000ULL, true,
				 ffs_wait_due, w, &w->timer);
	if (r < 0)
		w->timer = NULL;
	return r;
}

struct ffs_wait_step ffs_wait_ready(struct ffs_wait *w,
				    const struct ffs_wait_look *look,
				    uint64_t now_ms)
{
	struct ffs_wait_step step = { 0 };

	if (!look->function) {
		ffs_wait_stop(w);
		w->gave_up = false;
		step.fact = FFS_WAIT_READY;
		return step;
	}
	if (w->gave_up) {
		step.fact = FFS_WAIT_GAVE_UP;
		step.notice = xasprintf(
			"%s: no descriptors from its daemon (%s) after %ld s; `gadgetd up` waits again",
			look->function, look->where, look->timeout_s);
		return step;
	}
	step.fact = FFS_WAIT_WAITING;
	step.notice = xasprintf(
		"%s: waiting for its daemon to write the descriptors (%s)",
		look->function, look->where);
	step.timer_error = ffs_wait_start(w, look->timeout_s, false, now_ms);
	return step;
}

struct ffs_wait_step ffs_wait_refused(struct ffs_wait *w,
				      const struct ffs_wait_look *look,
				      uint64_t now_ms)
{
	struct ffs_wait_step step = { 0 };

	if (look->timeout_s == 0) {
		step.fact = FFS_WAIT_NONE;
		return step;
	}
	step.fact = FFS_WAIT_WAITING;
	step.notice = xstrdup(
		"FunctionFS: the kernel refused the bind (a function's daemon went away?); waiting for the descriptors again");
	step.timer_error = ffs_wait_start(w, look->timeout_s, true, now_ms);
	return step;
}

enum ffs_wait_fact ffs_wait_check(struct ffs_wait *w,
				  const struct ffs_wait_look *look,
				  uint64_t now_ms)
{
	if (look->function) {
		w->need_unready = false;
	} else if (!w->need_unready) {
		ffs_wait_stop(w);
		return FFS_WAIT_READY;
	}
	if (now_ms >= w->deadline_ms) {
		w->gave_up = true;
		ffs_wait_stop(w);
		return FFS_WAIT_GAVE_UP;
	}
	return FFS_WAIT_WAITING;
}

void ffs_wait_again(struct ffs_wait *w)
{
	w->gave_up = false;
}

bool ffs_wait_waiting(const struct ffs_wait *w)
{
	return w->timer != NULL;
}
