/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "udc.h"
#include "udc_binding.h"
#include "util.h"

struct udc_binding {
	struct event_loop *loop;
	char *class_dir;
	char *gadgets_dir;
	char *gadget;
	char *wanted;
	udc_binding_event_fn fn;
	void *data;

	char *bound; /* what our UDC attribute names */

	int state_fd; /* the watched UDC's state attribute */
	struct event_source *state_source;
	char *watched;
	char state[UDC_STATE_MAX];
	/* The kernel leaves `state` as it was when a gadget is unbound
	 * ("configured" from the last host session): after we bound a
	 * gadget it means something only after a POLLPRI.  A pending gadget
	 * the kernel bound itself is on a UDC that just appeared, whose
	 * `state` has known nothing else. */
	bool state_fresh;
	bool bound_by_us; /* since the last udc_binding_set() */

	/* Our gadget is pending on a UDC that is there but does not run it:
	 * the kernel gets UDC_BINDING_GRACE_MS to bind it itself. */
	struct event_source *grace_timer;
	bool grace_over;
};

struct udc_binding *udc_binding_new(struct event_loop *loop,
				    const char *class_dir,
				    const char *gadgets_dir, const char *gadget,
				    udc_binding_event_fn fn, void *data)
{
	struct udc_binding *b = xcalloc(1, sizeof(*b));

	b->loop = loop;
	b->class_dir = xstrdup(class_dir);
	b->gadgets_dir = xstrdup(gadgets_dir);
	b->gadget = xstrdup(gadget);
	b->fn = fn;
	b->data = data;
	b->state_fd = -1;
	return b;
}

static void udc_binding_unwatch(struct udc_binding *b)
{
	event_source_free(b->state_source);
	b->state_source = NULL;
	if (b->state_fd >= 0)
		close(b->state_fd);
	b->state_fd = -1;
	free(b->watched);
	b->watched = NULL;
	b->state[0] = '\0';
}

void udc_binding_free(struct udc_binding *b)
{
	if (!b)
		return;
	udc_binding_unwatch(b);
	udc_binding_kernel_bind_stop(b);
	free(b->class_dir);
	free(b->gadgets_dir);
	free(b->gadget);
	free(b->wanted);
	free(b->bound);
	free(b);
}

void udc_binding_set_wanted(struct udc_binding *b, const char *wanted)
{
	free(b->wanted);
	b->wanted = wanted ? xstrdup(wanted) : NULL;
}

const char *udc_binding_wanted(const struct udc_binding *b)
{
	return b->wanted;
}

bool udc_binding_auto(const struct udc_binding *b)
{
	const char *w = b->wanted;

	return !w || !*w || streq(w, "auto");
}

bool udc_binding_exists(const struct udc_binding *b, const char *udc)
{
	return udc_exists(b->class_dir, udc);
}

/* ---- which UDC ---- */

char *udc_binding_pick(const struct udc_binding *b, char **watch, char **why)
{
	char *udc = NULL, *busy = NULL, *holder = NULL;
	int r;

	*watch = NULL;
	*why = NULL;
	if (udc_binding_auto(b)) {
		r = udc_find_free(b->class_dir, b->gadgets_dir, b->gadget, &udc,
				  &busy, &holder);
		if (r == 0)
			return udc;
		if (busy) {
			*why = xasprintf(
				"udc %s: held by gadget %s, waiting for it to be unbound",
				busy, holder);
			*watch = busy;
			free(holder);
		} else if (r == -ENODEV) {
			*why = xstrdup("no UDC yet, waiting for one");
		} else {
			*why = xasprintf("cannot list UDCs: %s", strerror(-r));
		}
		return NULL;
	}
	if (!udc_exists(b->class_dir, b->wanted)) {
		*why = xasprintf("udc %s: not present, waiting for it",
				 b->wanted);
		return NULL;
	}
	r = udc_holder(b->gadgets_dir, b->wanted, b->gadget, &holder);
	if (r == 0 && holder) {
		*why = xasprintf(
			"udc %s: held by gadget %s, waiting for it to be unbound",
			b->wanted, holder);
		free(holder);
		*watch = xstrdup(b->wanted);
		return NULL;
	}
	return xstrdup(b->wanted);
}

char *udc_binding_expected(const struct udc_binding *b)
{
	char *udc = NULL, *busy = NULL, *holder = NULL;

	if (b->bound)
		return xstrdup(b->bound);
	if (!udc_binding_auto(b))
		return xstrdup(b->wanted);
	if (udc_find_free(b->class_dir, b->gadgets_dir, b->gadget, &udc, &busy,
			  &holder) < 0)
		udc = NULL;
	free(busy);
	free(holder);
	return udc;
}

char *udc_binding_move_target(const struct udc_binding *b, const char *bound)
{
	char *other = NULL, *busy = NULL, *holder = NULL;

	if (!bound || !udc_binding_auto(b) || udc_exists(b->class_dir, bound))
		return NULL;
	if (udc_find_free(b->class_dir, b->gadgets_dir, b->gadget, &other,
			  &busy, &holder) != 0 ||
	    streq(other, bound)) {
		free(other);
		other = NULL;
	}
	free(busy);
	free(holder);
	return other;
}

/* ---- the kernel's own bind ---- */

void udc_binding_kernel_bind_stop(struct udc_binding *b)
{
	event_source_free(b->grace_timer);
	b->grace_timer = NULL;
	b->grace_over = false;
}

static void udc_binding_grace_due(struct event_source *source, void *data)
{
	struct udc_binding *b = data;

	event_source_free(source);
	b->grace_timer = NULL;
	b->grace_over = true;
	b->fn(b->data, "rebind");
}

bool udc_binding_kernel_bind_overdue(struct udc_binding *b, const char *bound)
{
	int r;

	if (!bound || !udc_exists(b->class_dir, bound) ||
	    udc_runs_gadget(b->class_dir, bound, b->gadget)) {
		udc_binding_kernel_bind_stop(b);
		return false;
	}
	if (b->grace_over) {
		b->grace_over = false;
		log_warning(
			"udc %s: the kernel did not bind pending gadget %s; binding it again",
			bound, b->gadget);
		return true;
	}
	if (!b->grace_timer) {
		r = event_loop_add_timer(
			b->loop, UDC_BINDING_GRACE_MS * 1000ULL, false,
			udc_binding_grace_due, b, &b->grace_timer);
		if (r < 0) {
			b->grace_timer = NULL;
			return true;
		}
	}
	return false;
}

/* ---- the state attribute ---- */

static void udc_binding_state_changed(struct event_source *source, int fd,
				      uint32_t events, void *data)
{
	struct udc_binding *b = data;
	int r;

	(void)source;
	(void)events;
	/* Reading re-arms POLLPRI; once the UDC is gone the attribute reads
	 * as an error (and would report POLLERR forever): stop watching. */
	r = udc_state_read(fd, b->state, sizeof(b->state));
	if (r < 0) {
		log_debug("udc %s: state attribute gone: %s", b->watched,
			  strerror(-r));
		udc_binding_unwatch(b);
	} else {
		log_debug("udc %s: state %s", b->watched, b->state);
		b->state_fresh = true;
	}
	b->fn(b->data, "udc-state");
}

/*
 * Watch udc's state (NULL: none); fresh says whether what it reads now
 * can be trusted.  An attribute already watched is not read again here:
 * a read takes the kernel's pending notification (kernfs counts them per
 * open file), and a change made between a bind and this call would then
 * never reach udc_binding_state_changed().
 */
static void udc_binding_watch(struct udc_binding *b, const char *udc,
			      bool fresh)
{
	int r;

	if (udc && b->watched && streq(udc, b->watched))
		return;
	udc_binding_unwatch(b);
	b->state_fresh = fresh;
	if (!udc)
		return;
	r = udc_state_open(b->class_dir, udc, &b->state_fd, b->state,
			   sizeof(b->state));
	if (r < 0) {
		b->state_fd = -1;
		return;
	}
	/* Only EPOLLPRI: a sysfs attribute is always readable. */
	r = event_loop_add_io(b->loop, b->state_fd, EPOLLPRI,
			      udc_binding_state_changed, b, &b->state_source);
	if (r < 0) {
		log_warning("udc %s: cannot watch its state: %s", udc,
			    strerror(-r));
		close(b->state_fd);
		b->state_fd = -1;
		b->state[0] = '\0';
		return;
	}
	b->watched = xstrdup(udc);
}

void udc_binding_set(struct udc_binding *b, char *bound, const char *watch)
{
	free(b->bound);
	b->bound = bound;
	/* A new watch of a UDC we did not bind: the kernel bound our
	 * pending gadget when the UDC (a new device) appeared. */
	udc_binding_watch(
		b, bound ? bound : watch,
		bound && !b->bound_by_us &&
			udc_runs_gadget(b->class_dir, bound, b->gadget));
	b->bound_by_us = false;
}

void udc_binding_watch_before_bind(struct udc_binding *b, const char *udc)
{
	udc_binding_watch(b, udc, false);
}

void udc_binding_forget(struct udc_binding *b)
{
	udc_binding_set(b, NULL, NULL);
}

void udc_binding_bound_by_us(struct udc_binding *b)
{
	b->state_fresh = false;
	b->bound_by_us = true;
}

const char *udc_binding_bound(const struct udc_binding *b)
{
	return b->bound;
}

bool udc_binding_runs_us(const struct udc_binding *b)
{
	return b->watched && b->bound && streq(b->watched, b->bound) &&
	       udc_runs_gadget(b->class_dir, b->bound, b->gadget);
}

const char *udc_binding_state(const struct udc_binding *b)
{
	return b->watched ? b->state : NULL;
}

const char *udc_binding_fresh_state(const struct udc_binding *b)
{
	return b->state_fresh ? b->state : NULL;
}

int udc_binding_soft_connect(const struct udc_binding *b, bool connect)
{
	if (!b->bound)
		return -ENODEV;
	return udc_soft_connect(b->class_dir, b->bound, connect);
}
