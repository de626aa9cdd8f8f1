/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fallback.h"
#include "log.h"
#include "util.h"

struct fallback {
	struct event_loop *loop;
	char *net_dir; /* /sys/class/net, or a test's */
	fallback_due_fn fn;
	void *data;

	/* The chain: its head, then the head's fallback list. */
	char *chain[1 + PROFILE_MAX_FALLBACK];
	size_t n_chain;
	size_t index; /* of the active profile */
	long after_s; /* the head's fallback_after */

	const struct profile *profile; /* the active one, borrowed */
	char *gadget_dir;
	struct event_source *timer;
	bool configured;
	bool host_seen; /* the host configured the active profile */
	char *due; /* what the timer hands to fn */
	char *reason;
};

static void fallback_set_reason(struct fallback *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fallback_set_reason(struct fallback *f, const char *fmt, ...)
{
	va_list ap;

	free(f->reason);
	va_start(ap, fmt);
	f->reason = xvasprintf(fmt, ap);
	va_end(ap);
}

static void fallback_stop_timer(struct fallback *f)
{
	event_source_free(f->timer);
	f->timer = NULL;
}

static void fallback_clear_chain(struct fallback *f)
{
	for (size_t i = 0; i < f->n_chain; i++)
		free(f->chain[i]);
	f->n_chain = 0;
	f->index = 0;
	free(f->reason);
	f->reason = NULL;
}

/* Whether the host's driver took up a network function: the gadget side
 * of its link has carrier (f_ecm, f_ncm: the data interface's alternate
 * setting 1 selected; f_rndis: the host's RNDIS driver initialised it). */
static const char *fallback_carrier(const struct fallback *f, char **ifname)
{
	const struct profile *p = f->profile;

	*ifname = NULL;
	for (size_t i = 0; p && i < p->n_functions; i++) {
		const struct profile_function *fn = &p->functions[i];
		char *path, *name = NULL, *carrier = NULL;
		bool up;

		if (!fn->used || !function_type_is_network(fn->type))
			continue;
		path = xasprintf("%s/functions/%s/ifname", f->gadget_dir,
				 fn->name);
		if (read_file_string(path, &name) < 0) {
			free(path);
			continue;
		}
		free(path);
		path = xasprintf("%s/%s/carrier", f->net_dir, name);
		up = read_file_string(path, &carrier) == 0 &&
		     streq(carrier, "1");
		free(path);
		free(carrier);
		if (up) {
			*ifname = name;
			return fn->name;
		}
		free(name);
	}
	return NULL;
}

static void fallback_due(struct event_source *source, void *data)
{
	struct fallback *f = data;
	const char *function;
	char *ifname, *due;

	(void)source;
	fallback_stop_timer(f);
	if (f->due) {
		/* A host went: the head again. */
		due = f->due;
		f->due = NULL;
		f->fn(f->data, due);
		free(due);
		return;
	}
	function = fallback_carrier(f, &ifname);
	if (function) {
		fallback_set_reason(f,
				    "%s: the host took up %s (%s has carrier)",
				    f->chain[f->index], function, ifname);
		log_info("fallback: %s", f->reason);
		free(ifname);
		return;
	}
	if (f->index + 1 >= f->n_chain) {
		fallback_set_reason(f,
				    "%s: the last of the chain; no network "
				    "function taken up in %ld s",
				    f->chain[f->index], f->after_s);
		log_warning("fallback: %s", f->reason);
		return;
	}
	fallback_set_reason(f,
			    "%s: no network function taken up in %ld s; "
			    "falling back to %s",
			    f->chain[f->index], f->after_s,
			    f->chain[f->index + 1]);
	log_info("fallback: %s", f->reason);
	f->fn(f->data, f->chain[f->index + 1]);
}

static void fallback_arm(struct fallback *f, uint64_t ms)
{
	int r;

	fallback_stop_timer(f);
	r = event_loop_add_timer(f->loop, ms * 1000, false, fallback_due, f,
				 &f->timer);
	if (r < 0) {
		f->timer = NULL;
		log_error("fallback: timer: %s", strerror(-r));
	}
}

void fallback_applied(struct fallback *f, const struct profile *p,
		      const char *gadget_dir)
{
	if (!f)
		return;
	fallback_stop_timer(f);
	f->profile = p;
	f->configured = false;
	f->host_seen = false;
	free(f->gadget_dir);
	f->gadget_dir = gadget_dir ? xstrdup(gadget_dir) : NULL;
	if (!p)
		return;
	if (f->n_chain && f->index + 1 < f->n_chain &&
	    streq(p->name, f->chain[f->index + 1])) {
		f->index++;
		return;
	}
	if (f->n_chain && streq(p->name, f->chain[0])) {
		f->index = 0;
		return;
	}
	/* The same profile again (reload): where the chain stands. */
	if (f->n_chain && streq(p->name, f->chain[f->index]))
		return;
	fallback_clear_chain(f);
	if (p->n_fallback == 0)
		return;
	f->chain[f->n_chain++] = xstrdup(p->name);
	for (size_t i = 0; i < p->n_fallback; i++)
		f->chain[f->n_chain++] = xstrdup(p->fallback[i]);
	f->after_s = p->fallback_after.line ? p->fallback_after.value
					    : PROFILE_DEFAULT_FALLBACK_AFTER;
}

void fallback_watch(struct fallback *f, bool configured)
{
	if (!f)
		return;
	if (configured)
		f->host_seen = true;
	if (configured == f->configured || f->n_chain == 0 || f->due)
		return;
	f->configured = configured;
	if (!configured) {
		fallback_stop_timer(f);
		return;
	}
	fallback_set_reason(f,
			    "%s: waiting %ld s for the host to take up a "
			    "network function",
			    f->chain[f->index], f->after_s);
	fallback_arm(f, (uint64_t)f->after_s * 1000);
}

void fallback_host_gone(struct fallback *f)
{
	if (!f)
		return;
	if (f->n_chain == 0 || f->index == 0)
		return;
	/* A switch of ours unbinds the gadget; where host presence comes
	 * from the UDC's state, that reads "not attached" (on usbip-vudc,
	 * whose unbind ends the connection, seen once the next profile was
	 * bound).  The host that was there has not gone until it configured
	 * what we switched to; a real unplug in that window is missed, and
	 * the next host continues the chain where it stands. */
	if (!f->host_seen) {
		log_debug("fallback: the host went before it configured %s: "
			  "taken for our own switch",
			  f->chain[f->index]);
		return;
	}
	free(f->due);
	f->due = xstrdup(f->chain[0]);
	fallback_set_reason(f, "the host went; %s again for the next one",
			    f->chain[0]);
	log_info("fallback: %s", f->reason);
	fallback_arm(f, 0);
}

void fallback_refused(struct fallback *f, const char *profile, const char *why)
{
	if (!f)
		return;
	if (f->n_chain == 0)
		return;
	fallback_set_reason(f, "%s: could not apply %s (%s); staying on %s",
			    f->chain[f->index], profile, why,
			    f->chain[f->index]);
	log_error("fallback: %s", f->reason);
}

const char *const *fallback_chain(const struct fallback *f, size_t *n)
{
	*n = f->n_chain;
	return f->n_chain ? (const char *const *)f->chain : NULL;
}

const char *fallback_reason(const struct fallback *f)
{
	return f->reason;
}

struct fallback *fallback_new(struct event_loop *loop, const char *net_dir,
			      fallback_due_fn fn, void *data)
{
	struct fallback *f = xcalloc(1, sizeof(*f));

	f->loop = loop;
	f->net_dir = xstrdup(net_dir);
	f->fn = fn;
	f->data = data;
	return f;
}

void fallback_free(struct fallback *f)
{
	if (!f)
		return;
	fallback_stop_timer(f);
	fallback_clear_chain(f);
	free(f->net_dir);
	free(f->gadget_dir);
	free(f->due);
	free(f);
}
