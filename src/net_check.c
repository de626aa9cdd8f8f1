/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "link_check.h"
#include "log.h"
#include "net_check.h"
#include "util.h"

struct net_check {
	struct event_loop *loop;
	struct net *net;
	struct event_source *timer;
	struct link_check check;
	bool checked; /* over for this host session */
};

struct net_check *net_check_new(struct event_loop *loop, struct net *net)
{
	struct net_check *c = xcalloc(1, sizeof(*c));

	c->loop = loop;
	c->net = net;
	link_check_reset(&c->check);
	return c;
}

static void net_check_stop(struct net_check *c)
{
	event_source_free(c->timer);
	c->timer = NULL;
}

void net_check_free(struct net_check *c)
{
	if (!c)
		return;
	net_check_stop(c);
	free(c);
}

const char *net_check_outcome(const struct net_check *c)
{
	return c->check.outcome;
}

static void net_check_step(struct event_source *source, void *data);

/* Carry out what the check decided, up to its next timer or its end. */
static void net_check_follow(struct net_check *c, struct link_check_step step)
{
	struct link_check *lc = &c->check;
	int r;

	/* probes_sent() never asks for another probe at once. */
	if (step.action == LINK_CHECK_SEND_PROBE) {
		log_debug("network: link check: %s", step.why);
		step = link_check_probes_sent(lc, net_probe_send(c->net));
	}
	switch (step.action) {
	case LINK_CHECK_DONE:
		if (step.warn)
			log_warning("network: link check: %s", step.why);
		else
			log_info("network: link check: %s: %s", lc->outcome,
				 step.why);
		c->checked = true;
		return;
	case LINK_CHECK_REASSERT:
		log_info(
			"network: %s; re-asserting the link (%u of at most %d)",
			step.why, lc->reasserts, LINK_CHECK_REASSERTS);
		net_reassert(c->net);
		break;
	case LINK_CHECK_WAIT:
	case LINK_CHECK_SEND_PROBE:
		log_debug("network: link check: %s", step.why);
		break;
	}
	r = event_loop_add_timer(c->loop, step.wait_ms * 1000ULL, false,
				 net_check_step, c, &c->timer);
	if (r < 0) {
		log_error("network: link check: timer: %s", strerror(-r));
		c->timer = NULL;
		c->checked = true;
		lc->outcome = lc->reasserts ? "reasserted" : NULL;
	}
}

static void net_check_step(struct event_source *source, void *data)
{
	struct net_check *c = data;

	event_source_free(source);
	c->timer = NULL;
	/* Set down since (a re-assert's ifdown still running, an admin's
	 * link-event), or stopped with the profile: the link-event up
	 * starts it again. */
	if (!net_n_asserted(c->net)) {
		log_debug("network: link check: no link up to check");
		c->check.outcome = NULL;
		return;
	}
	net_check_follow(c, link_check_due(&c->check, net_probe_read(c->net)));
}

/*
 * A check that ended with host-inactive (no data interface selected in its
 * looks) is over too early for a host whose driver came later than that,
 * the first plug into a PC: check that host's link after all.
 */
void net_check_carrier(struct net_check *c, bool configured, const char *ifname)
{
	const char *outcome = c->check.outcome;

	if (!configured || c->timer || !outcome ||
	    !streq(outcome, "host-inactive"))
		return;
	log_info("network: %s: the host selected its data interface after "
		 "all; checking the link",
		 ifname);
	c->checked = false;
	net_check_follow(c, link_check_start(&c->check));
}

void net_check_watch(struct net_check *c, bool configured)
{
	/* A new host session gets the whole budget of re-asserts. */
	if (!configured)
		link_check_reset(&c->check);
	/* No link to check (none in the profile, or set down by a
	 * link-event: an admin's or our own re-assert's ifdown): the check
	 * starts again once one is up, with what is left of the budget. */
	if (!configured || !net_n_asserted(c->net)) {
		if (c->timer || c->check.outcome)
			log_debug("network: link check stopped: %s",
				  configured ? "no link up" : "not configured");
		net_check_stop(c);
		c->checked = false;
		c->check.outcome = NULL;
		return;
	}
	if (c->checked || c->timer)
		return;
	net_check_follow(c, link_check_start(&c->check));
}
