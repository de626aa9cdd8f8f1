/* SPDX-License-Identifier: MIT */
/*
 * The host-link check's decisions, apart from what carries them out.
 *
 * A host can miss f_ecm's NetworkConnection and then keep NO-CARRIER for
 * good (docs/networking.md: Linux's usbnet loses a NetworkConnection(1)
 * that comes while it handles the (0) before it).  Only a new
 * NetworkConnection helps, which means setting the link down and up, and
 * that would bounce a host that has carrier: so the daemon asks the host
 * first.  What the host sent proves nothing: a Linux host has carrier from
 * the moment its netdev registers and sends at open (IPv6 DAD, router
 * solicitation), before the NetworkConnection(0) waiting for it takes the
 * carrier away, and its queue keeps draining until linkwatch deactivates
 * it up to a second later.  Only reading can: a host reads the gadget's
 * frames only while it has carrier.  LINK_CHECK_LOOK_MS after the host
 * configured the device (or after a re-assert) a probe frame goes out on
 * the links (link_probe.h): a host with carrier reads it within
 * LINK_CHECK_PROBE_MS.  A host reads one more way: in the moment it opens
 * its netdev, before it has handled the notifications waiting for it.  So
 * a read probe is confirmed by a second one, sent LINK_CHECK_SETTLE_MS
 * later, when a host that opened during the first has settled either way.
 * A probe left unread means no carrier, or a host that has not opened its
 * side: the links are re-asserted, and the check runs again,
 * LINK_CHECK_REASSERTS times at most per host session (a host that opens
 * later reads the notifications queued for it, and a
 * re-assert's can be missed the same way as the first ones).  A host that
 * never opens its side costs that many bounces, nobody listening to any of
 * them.  A host that has not selected the data interface of any link (no
 * carrier on the gadget side: nothing to probe, nothing it can have
 * missed) is looked at again, LINK_CHECK_IDLE_LOOKS times in all, then
 * left as host-inactive.
 *
 * The daemon reads what the host did, sends the probes, re-asserts and
 * arms one timer at a time; this module says what comes next.
 */
#ifndef GADGETD_LINK_CHECK_H
#define GADGETD_LINK_CHECK_H

#include <stdbool.h>

#define LINK_CHECK_LOOK_MS 1000
#define LINK_CHECK_PROBE_MS 250
#define LINK_CHECK_SETTLE_MS 250
#define LINK_CHECK_REASSERTS 3
#define LINK_CHECK_IDLE_LOOKS 5

enum link_check_phase {
	LINK_CHECK_WAITING, /* for the host to open, after configured/re-assert */
	LINK_CHECK_PROBING, /* for the host to read the first probe */
	LINK_CHECK_SETTLING, /* before the confirming probe */
	LINK_CHECK_CONFIRMING, /* for the host to read that one */
};

struct link_check {
	enum link_check_phase phase;
	unsigned int reasserts; /* this host session */
	unsigned int idle_looks; /* looks with no link to probe */
	/* For status: NULL (no check this session), "pending",
	 * "host-active", "reasserted" or "host-inactive". */
	const char *outcome;
};

enum link_check_action {
	LINK_CHECK_WAIT, /* arm the timer for wait_ms */
	LINK_CHECK_SEND_PROBE, /* send probes, then link_check_probes_sent() */
	LINK_CHECK_REASSERT, /* re-assert the links, arm the timer for
				wait_ms */
	LINK_CHECK_DONE, /* outcome set; no timer */
};

struct link_check_step {
	enum link_check_action action;
	unsigned int wait_ms;
	const char *why; /* for the log */
	bool warn; /* log it as a warning */
};

/* A new host session (the device configured again): all budgets anew. */
void link_check_reset(struct link_check *c);
/*
 * The check starts (configured, or a link up again after a link-event):
 * wait for the host to open its side.  Keeps what is left of the budgets.
 */
struct link_check_step link_check_start(struct link_check *c);
/* The timer came.  probe_read: the host read the last probe. */
struct link_check_step link_check_due(struct link_check *c, bool probe_read);
/* After LINK_CHECK_SEND_PROBE: how many links a probe went out on. */
struct link_check_step link_check_probes_sent(struct link_check *c,
					      unsigned int sent);

#endif
