/* SPDX-License-Identifier: MIT */
/*
 * Profiles that adapt to the host (gadgetd.profile(5)
 * `fallback`): a profile with a fallback list is the head of a chain;
 * when, fallback_after seconds after the host configured the gadget, no
 * network function of the active profile has carrier on the gadget side
 * (the host's driver never selected its data interface), the next
 * profile of the chain is due.  One pass down the chain per host: the
 * last profile stays, and a host that goes makes the head due again.
 *
 * This module decides and keeps the chain; the daemon switches when it
 * is told a profile is due (fallback_due_fn), and applies profiles as
 * it always does.
 */
#ifndef GADGETD_FALLBACK_H
#define GADGETD_FALLBACK_H

#include <stdbool.h>
#include <stddef.h>

#include "event_loop.h"
#include "gadgetd/profile.h"

struct fallback;

/* The profile named is due: switch to it (event "fallback"). */
typedef void (*fallback_due_fn)(void *data, const char *profile);

struct fallback *fallback_new(struct event_loop *loop, const char *net_dir,
			      fallback_due_fn fn, void *data);
void fallback_free(struct fallback *f);
/* The calls below do nothing with a NULL f (a daemon tearing down). */

/*
 * Profile p was applied (borrowed until the next call; NULL: none is).
 * The next of the chain moves along it; any other profile starts a chain
 * of its own (none without a fallback list).
 */
void fallback_applied(struct fallback *f, const struct profile *p,
		      const char *gadget_dir);
/* Configured now or not: the time starts when the host configures it. */
void fallback_watch(struct fallback *f, bool configured);
/* The host went: the chain's head is due again (not at once: from the
 * event loop).  Only once the host configured the active profile: until
 * then a "went" is the daemon's own switch (the unbind shows in the UDC's
 * state, host presence in gadgetd(8)), not the end of a host session. */
void fallback_host_gone(struct fallback *f);

/* The daemon could not apply the profile that was due (why: its one-line
 * answer): the active one stays, and status says so. */
void fallback_refused(struct fallback *f, const char *profile, const char *why);

/* For status: the chain (NULL when none), where it stands, and why. */
const char *const *fallback_chain(const struct fallback *f, size_t *n);
const char *fallback_reason(const struct fallback *f);

#endif
