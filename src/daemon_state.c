/* SPDX-License-Identifier: MIT */
/*
 * The states of gadgetd(8) (STATES), derived from facts read back from configfs and
 * sysfs, never from a sequence of events (see daemon.c).
 */
#include <stddef.h>

#include "daemon_state.h"
#include "util.h"

static const char *const daemon_state_names[] = {
	[DAEMON_WAITING_UDC] = "waiting-udc", [DAEMON_BOUND] = "bound",
	[DAEMON_CONFIGURED] = "configured",   [DAEMON_SUSPENDED] = "suspended",
	[DAEMON_UNBOUND] = "unbound",	      [DAEMON_ERROR] = "error",
	[DAEMON_NO_HOST] = "no-host",
};

const char *daemon_state_name(enum daemon_state state)
{
	return daemon_state_names[state];
}

enum daemon_state daemon_state_from_facts(const struct daemon_facts *f)
{
	if (!f->built)
		return DAEMON_ERROR;
	if (!f->bound_udc)
		return f->admin_down ? DAEMON_UNBOUND : DAEMON_WAITING_UDC;
	/* Pending on a UDC that went away: the kernel binds it again by
	 * itself when the UDC returns (docs/daemon.md). */
	if (!f->udc_present)
		return DAEMON_WAITING_UDC;
	/* Before the UDC's state: a driver may leave "configured" after the
	 * cable went, where a cable source knows better. */
	if (f->no_host)
		return DAEMON_NO_HOST;
	if (f->udc_state && streq(f->udc_state, "configured"))
		return DAEMON_CONFIGURED;
	if (f->udc_state && streq(f->udc_state, "suspended"))
		return DAEMON_SUSPENDED;
	return DAEMON_BOUND;
}
