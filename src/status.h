/* SPDX-License-Identifier: MIT */
/*
 * What `gadgetd status` reports: the daemon's state plus what the kernel
 * says about the gadget's functions (network interface and link, mass
 * storage LUNs), read from configfs and sysfs at the time of the request.
 * Printed as one JSON line (docs/control-protocol.md) or as a few readable lines.
 */
#ifndef GADGETD_STATUS_H
#define GADGETD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gadgetd/profile.h"

#define STATUS_NET_DIR "/sys/class/net"

/* The program that serves a function (supervisor.h). */
struct status_program {
	char *path;
	long pid; /* 0: none (null) */
	char *state; /* running, waiting to restart, stopped, refused, ... */
	unsigned int restarts;
	/* The last exit: its status (exit_code >= 0) or the signal that
	 * killed it (exit_signal > 0); both -1: it has not exited. */
	int exit_code;
	int exit_signal;
	long long next_restart_ms; /* -1: none (null) */
	long long restart_delay_ms; /* the last back-off; -1: none (null) */
};

struct status_function {
	char *name; /* "ecm.usb0" */
	char *type; /* "ecm" */
	bool network;
	char *ifname; /* NULL until the kernel made the interface */
	bool link_up; /* IFF_UP on ifname */
	char *operstate;
	/* The DHCP server of a `dhcp = yes` function (net_dhcp_status()),
	 * else NULL. */
	char *dhcp;
	/* Its `program`, else NULL. */
	struct status_program *program;
};

struct status_lun {
	char *function;
	int lun;
	char *file; /* NULL: no medium */
	bool ro;
};

struct status {
	/* The daemon's side; each NULL prints as null. */
	const char *profile;
	const char *profile_path;
	const char *state;
	const char *udc;
	const char *udc_state;
	const char *error;
	const char *gadget;
	/* Last `link-event` from the ifupdown hook, "up IFACE" or "down
	 * IFACE" (NULL: none): shown as host_link on that interface. */
	const char *link_event;
	/* The daemon's host-carrier check on the network links after the
	 * host configured the device: "pending", "host-active",
	 * "reasserted" or NULL (none this host session). */
	const char *link_check;
	/* Host presence (host_presence.h): attached, none, or unknown (the
	 * board cannot tell, or no gadget is bound: null); its source and the
	 * link speed, each NULL for null. */
	enum status_host {
		STATUS_HOST_UNKNOWN,
		STATUS_HOST_NONE,
		STATUS_HOST_ATTACHED,
	} host;
	const char *host_source;
	/* The fallback chain (fallback.h; NULL: none) and why it stands
	 * where it does. */
	const char *const *fallback_chain;
	size_t n_fallback_chain;
	const char *fallback_reason;
	const char *host_speed;
	/* The kernel's side, from status_read_gadget(). */
	struct status_function *functions;
	size_t n_functions;
	struct status_lun *luns;
	size_t n_luns;
};

/*
 * Fill functions and LUNs for profile p from gadget_dir (configfs
 * usb_gadget/NAME) and net_dir (/sys/class/net).  A gadget that does not
 * exist gives the profile's functions without interfaces or LUNs.
 */
void status_read_gadget(struct status *st, const struct profile *p,
			const char *gadget_dir, const char *net_dir);
void status_clear(struct status *st);

void status_print_json(const struct status *st, FILE *out);
void status_print_text(const struct status *st, FILE *out);

#endif
