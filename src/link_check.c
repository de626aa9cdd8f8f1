/* SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "link_check.h"

static struct link_check_step link_check_wait(struct link_check *c,
					      enum link_check_phase phase,
					      unsigned int ms, const char *why)
{
	c->phase = phase;
	c->outcome = "pending";
	return (struct link_check_step){ .action = LINK_CHECK_WAIT,
					 .wait_ms = ms,
					 .why = why };
}

static struct link_check_step link_check_done(struct link_check *c,
					      const char *outcome,
					      const char *why, bool warn)
{
	c->outcome = outcome;
	return (struct link_check_step){ .action = LINK_CHECK_DONE,
					 .why = why,
					 .warn = warn };
}

/* The host has carrier: what status calls it depends on how we got here. */
static struct link_check_step link_check_active(struct link_check *c,
						const char *why)
{
	return link_check_done(c, c->reasserts ? "reasserted" : "host-active",
			       why, false);
}

static struct link_check_step link_check_reassert(struct link_check *c,
						  const char *why)
{
	if (c->reasserts == LINK_CHECK_REASSERTS)
		return link_check_done(
			c, "reasserted",
			"the host still reads nothing after the last re-assert; leaving the link as it is",
			true);
	c->reasserts++;
	c->phase = LINK_CHECK_WAITING;
	c->outcome = "pending";
	return (struct link_check_step){ .action = LINK_CHECK_REASSERT,
					 .wait_ms = LINK_CHECK_LOOK_MS,
					 .why = why };
}

void link_check_reset(struct link_check *c)
{
	*c = (struct link_check){ .phase = LINK_CHECK_WAITING };
}

struct link_check_step link_check_start(struct link_check *c)
{
	return link_check_wait(c, LINK_CHECK_WAITING, LINK_CHECK_LOOK_MS,
			       "started");
}

struct link_check_step link_check_due(struct link_check *c, bool probe_read)
{
	switch (c->phase) {
	case LINK_CHECK_WAITING:
	case LINK_CHECK_SETTLING:
		return (struct link_check_step){
			.action = LINK_CHECK_SEND_PROBE,
			.why = c->phase == LINK_CHECK_WAITING
				       ? "probing"
				       : "confirming with a second probe",
		};
	case LINK_CHECK_PROBING:
		if (!probe_read)
			return link_check_reassert(
				c, "the host did not read a probe");
		return link_check_wait(
			c, LINK_CHECK_SETTLING, LINK_CHECK_SETTLE_MS,
			"the host read a probe; a second one follows");
	case LINK_CHECK_CONFIRMING:
		if (!probe_read)
			return link_check_reassert(
				c,
				"the host read a probe but not the one after it");
		return link_check_active(c, "the host read two probes");
	}
	return link_check_done(c, NULL, "lost its phase", true);
}

struct link_check_step link_check_probes_sent(struct link_check *c,
					      unsigned int sent)
{
	bool first = c->phase == LINK_CHECK_WAITING;

	if (sent)
		return link_check_wait(
			c, first ? LINK_CHECK_PROBING : LINK_CHECK_CONFIRMING,
			LINK_CHECK_PROBE_MS, "probe sent");
	/* No link with carrier on the gadget side: the host has selected
	 * none of their data interfaces (its driver is still loading, or it
	 * has none, or it took another configuration).  Nothing to
	 * re-assert for; look again while a driver may still come, and its
	 * selecting the interface sends the notifications a host can miss. */
	if (first && ++c->idle_looks < LINK_CHECK_IDLE_LOOKS)
		return link_check_wait(c, LINK_CHECK_WAITING,
				       LINK_CHECK_LOOK_MS,
				       "the host drives none of the links yet");
	return link_check_done(c, "host-inactive",
			       "the host drives none of the links", false);
}
