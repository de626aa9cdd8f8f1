/* SPDX-License-Identifier: MIT */
/*
 * The daemon's family of files and the context they share (docs/design.md,
 * The daemon):
 *
 *   daemon.c          the context, its event sources, binding, daemon_sync()
 *                     and the state announcement
 *   daemon_profile.c  the profile lifecycle: prepare, apply, replace,
 *                     switch, reload, remove, the first apply at start
 *   daemon_control.c  the control verbs
 *   daemon_cli.c      `gadgetd daemon`: options, pid file, --background
 *
 * What has a state of its own lives in its own object, which returns facts
 * and never calls back into the daemon but through one event callback:
 * the UDC (udc_binding.h), the FunctionFS wait (ffs_wait.h), the
 * functions' programs (supervisor.h), the
 * host-link check (net_check.h), the links (net.h) and the hooks (hooks.h).
 */
#ifndef GADGETD_DAEMON_PRIVATE_H
#define GADGETD_DAEMON_PRIVATE_H

#include <stdbool.h>
#include <stdio.h>

#include "apply.h"
#include "config.h"
#include "control.h"
#include "daemon_state.h"
#include "event_loop.h"
#include "ffs_wait.h"
#include "hooks.h"
#include "net.h"
#include "net_check.h"
#include "plan.h"
#include "supervisor.h"
#include "udc_binding.h"

struct daemon {
	/* Configuration (daemon_cli.c; reload replaces cfg) */
	struct gadgetd_config cfg;
	const char *config_path; /* -c, NULL: the default path */
	char *configfs;
	char *gadgets_dir; /* configfs/usb_gadget */
	char *gadget_dir; /* gadgets_dir/<cfg.gadget> */
	char *socket_path;
	const char *udc_option; /* --udc, wins over cfg.udc */
	char *profile_request; /* what `profile =`, --profile or switch named */

	/* Event sources (daemon.c) */
	struct event_loop *loop;
	int signal_fd;
	struct event_source *signal_source;
	int uevent_fd;
	struct event_source *uevent_source;
	char *uevent_buf;
	struct event_source *watchdog;
	struct control_server *control;
	struct hooks *hooks;
	/* Whether a host is attached, and from which source. */
	struct host_presence *host;

	/* The pieces with a state of their own */
	struct udc_binding *udc; /* which UDC, its state, the kernel's bind */
	struct ffs_wait *ffs; /* FunctionFS descriptors before a bind */
	struct supervisor *programs; /* the functions' programs */
	struct net *net; /* the network functions' links, DHCP, ifupdown */
	struct net_check *net_check; /* the host-link check */
	struct msd_attach *msd_attach; /* attach = host-ready media */
	struct fallback *fallback; /* profiles that adapt to the host */

	/* The gadget (daemon.c, daemon_profile.c) */
	struct applier *applier;
	struct profile *profile; /* active; with plan, or both unset */
	struct plan plan;
	bool built;
	bool admin_down;
	/* The kernel refused our last bind: retry on a uevent or a command,
	 * not on the state changes the refusal itself may cause. */
	bool bind_refused;
	enum daemon_state state;
	bool state_known;
	/* What the last state announcement said. */
	char *announced_profile;
	char *announced_udc;
	char *error; /* the last failure, until the next successful apply */
	char *notice; /* why we wait (a UDC held by another gadget) */

	/* daemon_control.c */
	/* Last `link-event` from the ifupdown hook: "up IFACE"/"down IFACE". */
	char *link_event;
	/* `replug`: connects the UDC again after DAEMON_REPLUG_GAP_MS. */
	struct event_source *replug_timer;
};

/* daemon.c */
void daemon_set_text(char **field, const char *text);
const char *daemon_profile_name(const struct daemon *d);
/* --udc, else `udc =` of gadgetd.conf. */
const char *daemon_udc_wanted(const struct daemon *d);
/* "STATE: profile P, udc U", as sd_notify's STATUS= says it. */
char *daemon_status_line(const struct daemon *d);
/* Read the facts back, bind when we should, and derive the state. */
void daemon_sync(struct daemon *d, const char *event);
/*
 * Bind our built gadget when it is unbound and should not be.  Returns 0
 * when bound or waiting for a UDC, a negative errno (message in *msg) when
 * the kernel refused the bind.
 */
int daemon_bind(struct daemon *d, const struct plan *plan, char **msg);
/* Our gadget no longer exists in configfs. */
void daemon_gadget_gone(struct daemon *d);
/* What the applier said the kernel refused, as one line. */
char *daemon_apply_error_text(const struct apply_error *err, int r);
/* The device is configured now (the state last derived). */
bool daemon_configured(const struct daemon *d);
/*
 * The event sources, the control socket, the applier, then the first
 * apply.  0, or -1 after logging what failed.
 */
int daemon_start(struct daemon *d);
void daemon_free(struct daemon *d);

/* daemon_profile.c */
/* Remove our gadget (whatever it holds).  0 or a negative errno. */
int daemon_remove(struct daemon *d, char **msg);
void daemon_drop_profile(struct daemon *d);
/* The first error, for status's one-line `error`. */
char *daemon_diags_summary(const struct diag_list *diags, const char *name,
			   int r);
enum control_status daemon_switch(struct daemon *d, const char *name,
				  const char *event, FILE *out);
enum control_status daemon_reload(struct daemon *d, FILE *out);
/* The first apply: the configured profile, after cleaning a leftover. */
void daemon_start_gadget(struct daemon *d);

/* daemon_control.c */
void daemon_handle_request(const struct control_request *req,
			   const struct control_peer *peer,
			   struct control_reply *reply, void *data);

#endif
