/* SPDX-License-Identifier: MIT */
/*
 * The host-link check carried out (docs/networking.md): link_check.h
 * decides, this module follows its steps on the gadget's links (net.h's
 * probes and re-asserts) with one timer at a time, once per host session.
 *
 * The daemon says when the device is configured or not (a new host
 * session) and when a link got carrier; status shows the outcome.
 */
#ifndef GADGETD_NET_CHECK_H
#define GADGETD_NET_CHECK_H

#include <stdbool.h>

#include "event_loop.h"
#include "net.h"

struct net_check;

struct net_check *net_check_new(struct event_loop *loop, struct net *net);
void net_check_free(struct net_check *c);

/*
 * The device is configured (or not) now.  Not configured: the next host
 * session gets all the budgets anew.  Configured with a link up: the
 * check starts, unless it ran or runs this session.  No link up (none in
 * the profile, or set down by a link-event): it stops, and starts again
 * once one is up, with what is left of the budgets.
 */
void net_check_watch(struct net_check *c, bool configured);
/*
 * The gadget side of ifname got carrier: the host selected its data
 * interface.  A check that ended with host-inactive while configured
 * starts again.
 */
void net_check_carrier(struct net_check *c, bool configured,
		       const char *ifname);
/* For status: NULL (no check), "pending", "host-active", "reasserted"
 * or "host-inactive". */
const char *net_check_outcome(const struct net_check *c);

#endif
