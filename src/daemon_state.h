/* SPDX-License-Identifier: MIT */
/*
 * The daemon's states (gadgetd(8), STATES), derived from facts read back
 * from configfs and sysfs alone.  The daemon itself (daemon.c) has no
 * header: cli_daemon() (cli.h) is its entry point.
 */
#ifndef GADGETD_DAEMON_STATE_H
#define GADGETD_DAEMON_STATE_H

#include <stdbool.h>

enum daemon_state {
	DAEMON_WAITING_UDC, /* no usable UDC yet */
	DAEMON_BOUND, /* bound, the host has not configured it */
	DAEMON_CONFIGURED, /* the host selected a configuration */
	DAEMON_SUSPENDED,
	DAEMON_UNBOUND, /* after `down` */
	DAEMON_ERROR, /* nothing could be applied */
	DAEMON_NO_HOST, /* bound, and the board says no host is attached */
};

const char *daemon_state_name(enum daemon_state state);

/* What the daemon knows at one moment; the state follows from it alone. */
struct daemon_facts {
	bool built; /* our gadget exists in configfs */
	bool admin_down; /* `down` was asked and no `up` since */
	const char *bound_udc; /* our UDC attribute, NULL when empty */
	bool udc_present; /* bound_udc exists in /sys/class/udc */
	const char *udc_state; /* its state attribute, NULL if unknown */
	/* A host presence source says nothing is attached (host_presence.h);
	 * false also where the board cannot tell. */
	bool no_host;
};

enum daemon_state daemon_state_from_facts(const struct daemon_facts *f);

#endif
