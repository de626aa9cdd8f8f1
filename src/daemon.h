/* SPDX-License-Identifier: MIT */
/*
 * The daemon: one context (struct daemon, private to daemon.c) holding all
 * of its state, the lifecycle (start, apply, switch, reload, up, down,
 * stop) and the states of gadgetd(8).  cli_daemon() (cli.h) is its entry point.
 */
#ifndef GADGETD_DAEMON_H
#define GADGETD_DAEMON_H

#include <stdbool.h>

enum daemon_state {
	DAEMON_WAITING_UDC, /* no usable UDC yet */
	DAEMON_BOUND, /* bound, the host has not configured it */
	DAEMON_CONFIGURED, /* the host selected a configuration */
	DAEMON_SUSPENDED,
	DAEMON_UNBOUND, /* after `down` */
	DAEMON_ERROR, /* nothing could be applied */
};

const char *daemon_state_name(enum daemon_state state);

/* What the daemon knows at one moment; the state follows from it alone. */
struct daemon_facts {
	bool built; /* our gadget exists in configfs */
	bool admin_down; /* `down` was asked and no `up` since */
	const char *bound_udc; /* our UDC attribute, NULL when empty */
	bool udc_present; /* bound_udc exists in /sys/class/udc */
	const char *udc_state; /* its state attribute, NULL if unknown */
};

enum daemon_state daemon_state_from_facts(const struct daemon_facts *f);

#endif
