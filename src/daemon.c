/* SPDX-License-Identifier: MIT */
/*
 * The daemon context, its lifecycle and its states.
 *
 * Everything the daemon knows lives in struct daemon.  The gadget's state is
 * never tracked by guessing from events: every event (uevent, POLLPRI on the
 * UDC's state attribute, a command) leads to daemon_sync(), which reads the
 * facts back from configfs and sysfs, binds when it should, and derives the
 * state from the facts (daemon_state_from_facts()).  A lost or reordered
 * event therefore costs nothing but the next sync.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "cli.h"
#include "config.h"
#include "control.h"
#include "daemon_state.h"
#include "endpoint_budget.h"
#include "event_loop.h"
#include "hooks.h"
#include "host_presence.h"
#include "ifupdown.h"
#include "json.h"
#include "link_check.h"
#include "log.h"
#include "msd.h"
#include "net.h"
#include "notify.h"
#include "plan.h"
#include "profile_catalog.h"
#include "status.h"
#include "udc.h"
#include "uevent.h"
#include "util.h"

struct daemon {
	/* Configuration */
	struct gadgetd_config cfg;
	const char *config_path; /* -c, NULL: the default path */
	char *configfs;
	char *gadgets_dir; /* configfs/usb_gadget */
	char *gadget_dir; /* gadgets_dir/<cfg.gadget> */
	const char *udc_class_dir;
	char *socket_path;
	const char *udc_option; /* --udc, wins over cfg.udc */
	char *profile_request; /* what `profile =`, --profile or switch named */

	/* Event sources */
	struct event_loop *loop;
	int signal_fd;
	struct event_source *signal_source;
	int uevent_fd;
	struct event_source *uevent_source;
	char *uevent_buf;
	int udc_fd; /* the watched UDC's state attribute */
	struct event_source *udc_source;
	char *watched_udc;
	char udc_state[UDC_STATE_MAX];
	/* The kernel leaves `state` as it was when a gadget is unbound
	 * ("configured" from the last host session): it means something
	 * only after a POLLPRI since we started watching or bound. */
	bool udc_state_fresh;
	struct event_source *watchdog;
	/* FunctionFS: a check every DAEMON_FFS_CHECK_MS while we wait for the
	 * user-space functions' descriptors, until ffs_deadline. */
	struct event_source *ffs_timer;
	/* Our gadget is pending on a UDC that is there but does not run it:
	 * the kernel gets DAEMON_KERNEL_BIND_GRACE_MS to bind it itself. */
	struct event_source *kernel_bind_timer;
	bool kernel_bind_overdue;
	uint64_t ffs_deadline_ms;
	bool ffs_gave_up;
	bool ffs_need_unready;
	struct control_server *control;
	struct hooks *hooks;
	/* Whether a host is attached, and from which source. */
	struct host_presence *host;

	/* The gadget */
	struct applier *applier;
	struct profile *profile; /* active; with plan, or both unset */
	struct plan plan;
	bool built;
	bool admin_down;
	/* The network functions' links, DHCP servers and ifup/ifdown. */
	struct net *net;
	/* Host-link check after "configured" (once per host session). */
	struct event_source *net_timer;
	/* `replug`: connects the UDC again after DAEMON_REPLUG_GAP_MS. */
	struct event_source *replug_timer;
	struct link_check link_check;
	bool net_checked;
	/* Last `link-event` from the ifupdown hook: "up IFACE"/"down IFACE". */
	char *link_event;
	/* The kernel refused our last bind: retry on a uevent or a command,
	 * not on the state changes the refusal itself may cause. */
	bool bind_refused;
	char *bound_udc;
	enum daemon_state state;
	bool state_known;
	/* What the last state announcement said. */
	char *announced_profile;
	char *announced_udc;
	char *error; /* the last failure, until the next successful apply */
	char *notice; /* why we wait (a UDC held by another gadget) */
};

static void daemon_set_text(char **field, const char *text)
{
	free(*field);
	*field = text ? xstrdup(text) : NULL;
}

static const char *daemon_profile_name(const struct daemon *d)
{
	return d->profile ? d->profile->name : NULL;
}

static const char *daemon_udc_wanted(const struct daemon *d)
{
	return d->udc_option ? d->udc_option : d->cfg.udc;
}

static bool daemon_udc_auto(const struct daemon *d)
{
	const char *w = daemon_udc_wanted(d);

	return !w || !*w || streq(w, "auto");
}

/* ---- the UDC state attribute ---- */

static void daemon_sync(struct daemon *d, const char *event);

static void daemon_unwatch_udc(struct daemon *d)
{
	event_source_free(d->udc_source);
	d->udc_source = NULL;
	if (d->udc_fd >= 0)
		close(d->udc_fd);
	d->udc_fd = -1;
	free(d->watched_udc);
	d->watched_udc = NULL;
	d->udc_state[0] = '\0';
}

static void daemon_udc_state_changed(struct event_source *source, int fd,
				     uint32_t events, void *data)
{
	struct daemon *d = data;
	int r;

	(void)source;
	(void)events;
	/* Reading re-arms POLLPRI; once the UDC is gone the attribute reads
	 * as an error (and would report POLLERR forever): stop watching. */
	r = udc_state_read(fd, d->udc_state, sizeof(d->udc_state));
	if (r < 0) {
		log_debug("udc %s: state attribute gone: %s", d->watched_udc,
			  strerror(-r));
		daemon_unwatch_udc(d);
	} else {
		log_debug("udc %s: state %s", d->watched_udc, d->udc_state);
		d->udc_state_fresh = true;
	}
	daemon_sync(d, "udc-state");
}

/* Watch udc's state (NULL: none).  Also refreshes d->udc_state. */
static void daemon_watch_udc(struct daemon *d, const char *udc)
{
	int r;

	if (udc && d->watched_udc && streq(udc, d->watched_udc)) {
		if (udc_state_read(d->udc_fd, d->udc_state,
				   sizeof(d->udc_state)) < 0)
			daemon_unwatch_udc(d);
		return;
	}
	daemon_unwatch_udc(d);
	d->udc_state_fresh = false;
	if (!udc)
		return;
	r = udc_state_open(d->udc_class_dir, udc, &d->udc_fd, d->udc_state,
			   sizeof(d->udc_state));
	if (r < 0) {
		d->udc_fd = -1;
		return;
	}
	/* Only EPOLLPRI: a sysfs attribute is always readable. */
	r = event_loop_add_io(d->loop, d->udc_fd, EPOLLPRI,
			      daemon_udc_state_changed, d, &d->udc_source);
	if (r < 0) {
		log_warning("udc %s: cannot watch its state: %s", udc,
			    strerror(-r));
		close(d->udc_fd);
		d->udc_fd = -1;
		d->udc_state[0] = '\0';
		return;
	}
	d->watched_udc = xstrdup(udc);
}

/* ---- states ---- */

/*
 * Announce the state (log, sd_notify STATUS=, hooks) when it, the profile
 * or the UDC changed since the last announcement: a switch between two
 * profiles that both end up configured is still a change for the hooks.
 */
static void daemon_set_state(struct daemon *d, enum daemon_state state,
			     const char *event)
{
	const char *udc = d->bound_udc, *profile = daemon_profile_name(d);
	char *status;

	/* A host attach or detach is announced even when the state stays
	 * (host_presence_update() named the event). */
	if (d->state_known && d->state == state &&
	    !str_starts_with(event, "host-") &&
	    streq(d->announced_profile ? d->announced_profile : "",
		  profile ? profile : "") &&
	    streq(d->announced_udc ? d->announced_udc : "", udc ? udc : ""))
		return;
	d->state = state;
	d->state_known = true;
	daemon_set_text(&d->announced_profile, profile);
	daemon_set_text(&d->announced_udc, udc);
	log_info("gadget %s: %s (profile %s, udc %s, %s)", d->cfg.gadget,
		 daemon_state_name(state), profile ? profile : "none",
		 udc ? udc : "none", event);
	status = xasprintf("%s: profile %s, udc %s", daemon_state_name(state),
			   profile ? profile : "none", udc ? udc : "none");
	notify_status(status);
	free(status);
	hooks_run(d->hooks, event, daemon_state_name(state), profile, udc);
}

static void daemon_set_notice(struct daemon *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Log a reason to wait once, not on every sync. */
static void daemon_set_notice(struct daemon *d, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	if (!d->notice || !streq(d->notice, text))
		log_warning("%s", text);
	free(d->notice);
	d->notice = text;
}

/* ---- FunctionFS ---- */

/* As plan.c's default, for profiles without ready_timeout. */
#define DAEMON_FFS_TIMEOUT_S 10
#define DAEMON_FFS_CHECK_MS 100

static uint64_t daemon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * The first FunctionFS function of plan whose user-space daemon has not
 * written its descriptors yet (FunctionFS makes ep1 then; binding before
 * fails), or NULL when all are ready.  *timeout_s: the longest wait any of
 * them allows.
 */
static const struct plan_op *daemon_ffs_pending(const struct plan *plan,
						long *timeout_s, char **where)
{
	const struct plan_op *pending = NULL;

	*timeout_s = 0;
	*where = NULL;
	for (size_t i = 0; plan && i < plan->n_ops; i++) {
		const struct plan_op *op = &plan->ops[i];
		const struct profile_ffs *ffs;
		char *mount, *ep1;
		bool ready;

		if (op->kind != PLAN_FFS_WAIT)
			continue;
		ffs = &op->function->u.ffs;
		if (ffs->ready_timeout.line &&
		    ffs->ready_timeout.value > *timeout_s)
			*timeout_s = ffs->ready_timeout.value;
		else if (!ffs->ready_timeout.line &&
			 DAEMON_FFS_TIMEOUT_S > *timeout_s)
			*timeout_s = DAEMON_FFS_TIMEOUT_S;
		mount = plan_op_path(plan, op);
		ep1 = xasprintf("%s/ep1", mount);
		ready = access(ep1, F_OK) == 0;
		free(mount);
		if (!ready && !pending) {
			pending = op;
			*where = ep1;
		} else {
			free(ep1);
		}
	}
	return pending;
}

static void daemon_ffs_stop(struct daemon *d)
{
	event_source_free(d->ffs_timer);
	d->ffs_timer = NULL;
}

static void daemon_ffs_check(struct event_source *source, void *data)
{
	struct daemon *d = data;
	char *where = NULL;
	long timeout_s;

	(void)source;
	if (daemon_ffs_pending(d->profile ? &d->plan : NULL, &timeout_s,
			       &where)) {
		d->ffs_need_unready = false;
	} else if (!d->ffs_need_unready) {
		daemon_ffs_stop(d);
		d->bind_refused = false;
		daemon_sync(d, "ffs-ready");
		return;
	}
	free(where);
	if (daemon_now_ms() >= d->ffs_deadline_ms) {
		d->ffs_gave_up = true;
		d->bind_refused = false;
		daemon_ffs_stop(d);
		daemon_sync(d, "ffs-timeout");
	}
}

/*
 * Check every DAEMON_FFS_CHECK_MS until the descriptors are there, for at
 * most timeout_s.  need_unready: the ep files seen now belong to a daemon
 * that went away; wait until they are gone and back.
 */
static void daemon_ffs_start(struct daemon *d, long timeout_s,
			     bool need_unready)
{
	int r;

	d->ffs_need_unready = need_unready;
	if (d->ffs_timer)
		return;
	d->ffs_deadline_ms = daemon_now_ms() + (uint64_t)timeout_s * 1000;
	r = event_loop_add_timer(d->loop, DAEMON_FFS_CHECK_MS * 1000ULL, true,
				 daemon_ffs_check, d, &d->ffs_timer);
	if (r < 0) {
		d->ffs_timer = NULL;
		log_warning("FunctionFS: cannot start the wait: %s",
			    strerror(-r));
	}
}

/*
 * True when plan's FunctionFS functions are ready to bind.  Otherwise a
 * notice says what is awaited and, until the profile's ready_timeout, a
 * timer checks again: FunctionFS creates its ep files without telling
 * inotify, so there is no event to wait for.
 */
static bool daemon_ffs_ready(struct daemon *d, const struct plan *plan)
{
	const struct plan_op *op;
	char *where = NULL;
	long timeout_s;

	op = daemon_ffs_pending(plan, &timeout_s, &where);
	if (!op) {
		daemon_ffs_stop(d);
		d->ffs_gave_up = false;
		return true;
	}
	if (d->ffs_gave_up) {
		daemon_set_notice(
			d,
			"%s: no descriptors from its daemon (%s) after %ld s; `gadgetd up` waits again",
			op->function->name, where, timeout_s);
	} else {
		daemon_set_notice(
			d,
			"%s: waiting for its daemon to write the descriptors (%s)",
			op->function->name, where);
		daemon_ffs_start(d, timeout_s, false);
	}
	free(where);
	return false;
}

/*
 * The kernel refused to bind a plan with FunctionFS functions that looked
 * ready: their daemon has just gone away.  The kernel unbinds the gadget
 * (a uevent) before FunctionFS removes the ep files, so a sync in between
 * sees stale ones.  Returns true when that is the case and a wait began.
 */
static bool daemon_ffs_refused(struct daemon *d, const struct plan *plan)
{
	char *where = NULL;
	long timeout_s;

	daemon_ffs_pending(plan, &timeout_s, &where);
	free(where);
	if (timeout_s == 0)
		return false;
	daemon_set_notice(
		d,
		"FunctionFS: the kernel refused the bind (a function's daemon went away?); waiting for the descriptors again");
	daemon_ffs_start(d, timeout_s, true);
	return true;
}

/* ---- binding ---- */

/* What the applier said the kernel refused, as one line. */
static char *daemon_apply_error_text(const struct apply_error *err, int r)
{
	return xstrdup(err->message[0] ? err->message : strerror(-r));
}

/* Our gadget is not bound (any more): nothing to watch or wait for. */
static void daemon_forget_udc(struct daemon *d)
{
	daemon_set_text(&d->bound_udc, NULL);
	daemon_watch_udc(d, NULL);
}

/*
 * The kernel binds a pending gadget while it registers the UDC, right after
 * the "add" uevent; when that bind fails ("udc X: failed to start G") it
 * says nothing more, so we give it this long and then bind ourselves.
 */
#define DAEMON_KERNEL_BIND_GRACE_MS 500

static void daemon_kernel_bind_stop(struct daemon *d)
{
	event_source_free(d->kernel_bind_timer);
	d->kernel_bind_timer = NULL;
	d->kernel_bind_overdue = false;
}

static void daemon_kernel_bind_due(struct event_source *source, void *data)
{
	struct daemon *d = data;

	event_source_free(source);
	d->kernel_bind_timer = NULL;
	d->kernel_bind_overdue = true;
	daemon_sync(d, "rebind");
}

/*
 * bound names a present UDC that does not run our gadget.  Returns true
 * when we should unbind and bind it ourselves now.
 */
static bool daemon_kernel_bind_overdue(struct daemon *d, const char *bound)
{
	int r;

	if (d->kernel_bind_overdue) {
		d->kernel_bind_overdue = false;
		log_warning(
			"udc %s: the kernel did not bind pending gadget %s; binding it again",
			bound, d->cfg.gadget);
		return true;
	}
	if (!d->kernel_bind_timer) {
		r = event_loop_add_timer(
			d->loop, DAEMON_KERNEL_BIND_GRACE_MS * 1000ULL, false,
			daemon_kernel_bind_due, d, &d->kernel_bind_timer);
		if (r < 0) {
			d->kernel_bind_timer = NULL;
			return true;
		}
	}
	return false;
}

/*
 * The UDC to bind to now, or NULL (with a notice saying why).  A UDC held
 * by another gadget is never taken: we wait for the kernel to tell us it
 * was unbound.  *watch names the UDC whose state changes may end the wait.
 */
static char *daemon_pick_udc(struct daemon *d, char **watch)
{
	char *udc = NULL, *busy = NULL, *holder = NULL;
	const char *wanted = daemon_udc_wanted(d);
	int r;

	*watch = NULL;
	if (daemon_udc_auto(d)) {
		r = udc_find_free(d->udc_class_dir, d->gadgets_dir,
				  d->cfg.gadget, &udc, &busy, &holder);
		if (r == 0)
			return udc;
		if (busy) {
			daemon_set_notice(
				d,
				"udc %s: held by gadget %s, waiting for it to be unbound",
				busy, holder);
			*watch = busy;
			free(holder);
		} else if (r == -ENODEV) {
			daemon_set_notice(d, "no UDC yet, waiting for one");
		} else {
			daemon_set_notice(d, "cannot list UDCs: %s",
					  strerror(-r));
		}
		return NULL;
	}
	if (!udc_exists(d->udc_class_dir, wanted)) {
		daemon_set_notice(d, "udc %s: not present, waiting for it",
				  wanted);
		return NULL;
	}
	r = udc_holder(d->gadgets_dir, wanted, d->cfg.gadget, &holder);
	if (r == 0 && holder) {
		daemon_set_notice(
			d,
			"udc %s: held by gadget %s, waiting for it to be unbound",
			wanted, holder);
		free(holder);
		*watch = xstrdup(wanted);
		return NULL;
	}
	return xstrdup(wanted);
}

/*
 * Bind our built gadget when it is unbound and should not be.  Returns 0
 * when bound or waiting for a UDC, a negative errno (message in *msg) when
 * the kernel refused the bind.  Sets d->bound_udc and the UDC watch.
 */
static int daemon_bind(struct daemon *d, const struct plan *plan, char **msg)
{
	struct apply_error err = { 0 };
	char *bound = NULL, *udc, *watch = NULL;
	int r;

	r = applier_bound_udc(d->applier, &bound);
	if (r < 0) {
		*msg = xasprintf("%s/UDC: %s", d->gadget_dir, strerror(-r));
		return r;
	}
	/* Pending on a UDC that is gone while another one is free: the
	 * kernel would wait for the old name, `udc = auto` should not. */
	if (bound && daemon_udc_auto(d) &&
	    !udc_exists(d->udc_class_dir, bound)) {
		char *other = NULL, *busy = NULL, *holder = NULL;

		if (udc_find_free(d->udc_class_dir, d->gadgets_dir,
				  d->cfg.gadget, &other, &busy, &holder) == 0 &&
		    !streq(other, bound)) {
			log_info("udc %s: gone; moving gadget %s to udc %s",
				 bound, d->cfg.gadget, other);
			if (applier_unbind(d->applier, &err) == 0) {
				free(bound);
				bound = NULL;
			}
		}
		free(other);
		free(busy);
		free(holder);
	}
	if (bound && udc_exists(d->udc_class_dir, bound) &&
	    !udc_runs_gadget(d->udc_class_dir, bound, d->cfg.gadget)) {
		if (daemon_kernel_bind_overdue(d, bound) &&
		    applier_unbind(d->applier, &err) == 0) {
			free(bound);
			bound = NULL;
		}
	} else {
		daemon_kernel_bind_stop(d);
	}
	if (!bound && !d->admin_down && !d->bind_refused &&
	    daemon_ffs_ready(d, plan)) {
		udc = daemon_pick_udc(d, &watch);
		if (udc) {
			r = applier_bind(d->applier, udc, &err);
			if (r < 0 && daemon_ffs_refused(d, plan)) {
				d->bind_refused = true;
				free(udc);
			} else if (r < 0) {
				d->bind_refused = true;
				*msg = daemon_apply_error_text(&err, r);
				free(udc);
				daemon_forget_udc(d);
				return r;
			} else {
				log_info("udc %s: bound gadget %s", udc,
					 d->cfg.gadget);
				bound = udc;
				d->udc_state_fresh = false;
			}
		}
	}
	if (bound && !udc_exists(d->udc_class_dir, bound))
		daemon_set_notice(d, "udc %s: gone, gadget %s pending on it",
				  bound, d->cfg.gadget);
	else if (bound)
		daemon_set_text(&d->notice, NULL);
	free(d->bound_udc);
	d->bound_udc = bound;
	daemon_watch_udc(d, bound ? bound : watch);
	free(watch);
	return 0;
}

/* Our UDC attribute names a UDC that is there and runs our gadget. */
static bool daemon_udc_runs_us(const struct daemon *d)
{
	return d->watched_udc && d->bound_udc &&
	       streq(d->watched_udc, d->bound_udc) &&
	       udc_runs_gadget(d->udc_class_dir, d->bound_udc, d->cfg.gadget);
}

/* ---- the host's view of the network links ---- */

static void daemon_net_stop(struct daemon *d)
{
	event_source_free(d->net_timer);
	d->net_timer = NULL;
}

/* ---- the host-link check (link_check.h) ---- */

static void daemon_net_step(struct event_source *source, void *data);

/* Carry out what the check decided, up to its next timer or its end. */
static void daemon_net_follow(struct daemon *d, struct link_check_step step)
{
	struct link_check *c = &d->link_check;
	int r;

	/* probes_sent() never asks for another probe at once. */
	if (step.action == LINK_CHECK_SEND_PROBE) {
		log_debug("network: link check: %s", step.why);
		step = link_check_probes_sent(c, net_probe_send(d->net));
	}
	switch (step.action) {
	case LINK_CHECK_DONE:
		if (step.warn)
			log_warning("network: link check: %s", step.why);
		else
			log_info("network: link check: %s: %s", c->outcome,
				 step.why);
		d->net_checked = true;
		return;
	case LINK_CHECK_REASSERT:
		log_info(
			"network: %s; re-asserting the link (%u of at most %d)",
			step.why, c->reasserts, LINK_CHECK_REASSERTS);
		net_reassert(d->net);
		break;
	case LINK_CHECK_WAIT:
	case LINK_CHECK_SEND_PROBE:
		log_debug("network: link check: %s", step.why);
		break;
	}
	r = event_loop_add_timer(d->loop, step.wait_ms * 1000ULL, false,
				 daemon_net_step, d, &d->net_timer);
	if (r < 0) {
		log_error("network: link check: timer: %s", strerror(-r));
		d->net_timer = NULL;
		d->net_checked = true;
		c->outcome = c->reasserts ? "reasserted" : NULL;
	}
}

static void daemon_net_step(struct event_source *source, void *data)
{
	struct daemon *d = data;

	event_source_free(source);
	d->net_timer = NULL;
	if (!d->profile || !net_n_asserted(d->net)) {
		/* Set down since (a re-assert's ifdown still running, an
		 * admin's link-event): the link-event up starts it again. */
		log_debug("network: link check: no link up to check");
		d->link_check.outcome = NULL;
		return;
	}
	daemon_net_follow(
		d, link_check_due(&d->link_check, net_probe_read(d->net)));
}

/*
 * The gadget side of a link got carrier: the host selected its data
 * interface.  A check that ended with host-inactive (no such interface in
 * its looks) is over too early for a host whose driver came later than
 * that, the first plug into a PC: check that host's link after all.
 */
static void daemon_net_carrier(void *data, const char *ifname)
{
	struct daemon *d = data;
	const char *outcome = d->link_check.outcome;

	if (!d->state_known || d->state != DAEMON_CONFIGURED || d->net_timer ||
	    !outcome || !streq(outcome, "host-inactive"))
		return;
	log_info("network: %s: the host selected its data interface after "
		 "all; checking the link",
		 ifname);
	d->net_checked = false;
	daemon_net_follow(d, link_check_start(&d->link_check));
}

static void daemon_net_watch(struct daemon *d, bool configured)
{
	/* A new host session gets the whole budget of re-asserts. */
	if (!configured)
		link_check_reset(&d->link_check);
	/* No link to check (none in the profile, or set down by a
	 * link-event: an admin's or our own re-assert's ifdown): the check
	 * starts again once one is up, with what is left of the budget. */
	if (!configured || !net_n_asserted(d->net)) {
		if (d->net_timer || d->link_check.outcome)
			log_debug("network: link check stopped: %s",
				  configured ? "no link up" : "not configured");
		daemon_net_stop(d);
		d->net_checked = false;
		d->link_check.outcome = NULL;
		return;
	}
	if (d->net_checked || d->net_timer)
		return;
	daemon_net_follow(d, link_check_start(&d->link_check));
}

/* Read the facts back, bind when we should, and derive the state. */
static void daemon_sync(struct daemon *d, const char *event)
{
	struct daemon_facts f = { 0 };
	enum daemon_state state;

	if (d->built) {
		char *msg = NULL;

		if (daemon_bind(d, d->profile ? &d->plan : NULL, &msg) < 0) {
			log_error("gadget %s: bind refused: %s", d->cfg.gadget,
				  msg);
			/* Not rebuilt: with Debian's 6.1 the refusal comes from
			 * a kernel that registers no netdev under this UDC any
			 * more, and a fresh ECM function then hits a BUG in
			 * register_netdevice (docs/daemon.md). */
			daemon_set_text(&d->error, msg);
			free(msg);
		}
	} else {
		daemon_forget_udc(d);
	}
	f.built = d->built;
	f.admin_down = d->admin_down;
	f.bound_udc = d->bound_udc;
	f.udc_present = daemon_udc_runs_us(d);
	f.udc_state = f.udc_present && d->udc_state_fresh ? d->udc_state : NULL;
	/* Host presence: the UDC's state or a cable source; a host that came
	 * or went renames the event to host-attach or host-detach. */
	f.no_host = host_presence_update(d->host,
					 f.udc_present ? d->bound_udc : NULL,
					 d->udc_state, d->udc_state_fresh,
					 &event) == HOST_DETACHED;
	/* The netdevs exist once the functions are bound to a UDC; set them
	 * up once per run so a working link is never bounced. */
	if (f.udc_present && d->profile && !net_started(d->net))
		net_start(d->net, d->profile, d->gadget_dir);
	else if (!f.udc_present)
		net_stop(d->net);
	state = daemon_state_from_facts(&f);
	/* The same derivation as the link-event handler's d->state. */
	daemon_net_watch(d, state == DAEMON_CONFIGURED);
	daemon_set_state(d, state, event);
}

/* ---- applying ---- */

/* Our gadget no longer exists in configfs. */
static void daemon_gadget_gone(struct daemon *d)
{
	d->built = false;
	daemon_forget_udc(d);
	daemon_ffs_stop(d);
	daemon_kernel_bind_stop(d);
}

/*
 * Build plan and bind it, all or nothing: when the kernel refuses any step,
 * bind included, nothing of the new gadget is left.  *msg: the one-line
 * reason (errno text and configfs path).
 */
static int daemon_apply(struct daemon *d, const struct plan *plan, char **msg)
{
	struct apply_error err = { 0 };
	int r;

	r = applier_build(d->applier, plan, &err);
	if (r < 0) {
		*msg = daemon_apply_error_text(&err, r);
		return r;
	}
	d->built = true;
	d->bind_refused = false;
	d->ffs_gave_up = false;
	r = daemon_bind(d, plan, msg);
	if (r < 0) {
		struct apply_error rerr = { 0 };

		if (applier_remove(d->applier, plan, &rerr) < 0)
			log_error(
				"gadget %s: removing it after the refused bind failed: %s",
				d->cfg.gadget, rerr.message);
		daemon_gadget_gone(d);
		return r;
	}
	return 0;
}

static void daemon_drop_profile(struct daemon *d)
{
	if (!d->profile)
		return;
	/* The links point into the profile. */
	net_stop(d->net);
	plan_free(&d->plan);
	memset(&d->plan, 0, sizeof(d->plan));
	profile_free(d->profile);
	d->profile = NULL;
}

/* Remove our gadget (whatever it holds).  0 or a negative errno. */
static int daemon_remove(struct daemon *d, char **msg)
{
	struct apply_error err = { 0 };
	int r;

	/* DHCP servers, ifdown and link down before the netdevs go. */
	net_stop(d->net);
	r = applier_remove(d->applier, d->profile ? &d->plan : NULL, &err);
	if (r < 0) {
		*msg = daemon_apply_error_text(&err, r);
		return r;
	}
	daemon_gadget_gone(d);
	return 0;
}

/* The log's level label says error or warning already: the lines carry
 * FILE:LINE without diag_format's "warning: ". */
static void daemon_log_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diags->n; i++) {
		const struct diag *item = &diags->items[i];
		enum log_level level = item->severity == DIAG_ERROR
					       ? LOG_LEVEL_ERROR
					       : LOG_LEVEL_WARNING;

		if (item->line > 0)
			log_msg(level, "%s:%d: %s", item->file, item->line,
				item->message);
		else
			log_msg(level, "%s: %s", item->file, item->message);
	}
}

/* The first error, for status's one-line `error`. */
static char *daemon_diags_summary(const struct diag_list *diags,
				  const char *name, int r)
{
	char line[1024];

	for (size_t i = 0; i < diags->n; i++) {
		if (diags->items[i].severity != DIAG_ERROR)
			continue;
		diag_format(&diags->items[i], line, sizeof(line));
		if (diags->n_errors > 1)
			return xasprintf("%s (and %zu more errors)", line,
					 diags->n_errors - 1);
		return xstrdup(line);
	}
	return xasprintf("profile %s: %s", name, strerror(-r));
}

/*
 * The UDC a profile is about to be bound to, for its endpoint budget: the
 * one bound now, else the one configured, else (udc = auto) the first free
 * one.  NULL when there is none yet: the budget is then not checked.
 */
static char *daemon_budget_udc(const struct daemon *d)
{
	char *udc = NULL, *busy = NULL, *holder = NULL;

	if (d->bound_udc)
		return xstrdup(d->bound_udc);
	if (!daemon_udc_auto(d))
		return xstrdup(daemon_udc_wanted(d));
	if (udc_find_free(d->udc_class_dir, d->gadgets_dir, d->cfg.gadget, &udc,
			  &busy, &holder) < 0)
		udc = NULL;
	free(busy);
	free(holder);
	return udc;
}

/*
 * Load, validate and plan a profile, touching nothing.  On failure the
 * FILE:LINE lines go to out (when not NULL) and *msg is the summary.
 */
static int daemon_prepare(struct daemon *d, const char *name,
			  struct profile **p_out, struct plan *plan_out,
			  FILE *out, char **msg)
{
	struct plan_env env = { .gadget_name = d->cfg.gadget };
	struct diag_list diags;
	struct profile *p = NULL;
	int r;

	diag_init(&diags);
	r = config_load_profile(&d->cfg, name, &p, &diags);
	if (r == 0) {
		/* Before configfs is touched: a profile whose endpoints the
		 * UDC cannot give fails at bind with a bare ENODEV. */
		char *udc = daemon_budget_udc(d);

		if (udc && endpoint_budget_check(p, udc, &diags) == -E2BIG) {
			profile_free(p);
			p = NULL;
			r = -E2BIG;
		}
		free(udc);
	}
	if (r == 0) {
		memset(plan_out, 0, sizeof(*plan_out));
		r = plan_build(p, &env, plan_out, &diags);
		if (r < 0) {
			plan_free(plan_out);
			profile_free(p);
			p = NULL;
		}
	}
	daemon_log_diags(&diags);
	if (r < 0) {
		if (out)
			diag_print(&diags, out);
		*msg = daemon_diags_summary(&diags, name, r);
		if (out && diags.n_errors == 0)
			fprintf(out, "%s\n", *msg);
	}
	diag_clear(&diags);
	if (r == 0)
		*p_out = p;
	return r;
}

/*
 * Make (p, plan) the active profile: remove the current gadget, apply the
 * new one, and on a refusal apply the previous one again.  Takes p and plan
 * either way.  The result line goes to out.
 */
static enum control_status daemon_replace(struct daemon *d, struct profile *p,
					  struct plan *plan, const char *event,
					  FILE *out)
{
	struct profile *old = d->profile;
	struct plan old_plan = d->plan;
	bool had_gadget = d->built;
	char *msg = NULL, *msg2 = NULL;
	int r;

	if (d->built && daemon_remove(d, &msg) < 0) {
		log_error("gadget %s: cannot remove it: %s", d->cfg.gadget,
			  msg);
		fprintf(out, "cannot remove the current gadget: %s\n", msg);
		daemon_set_text(&d->error, msg);
		free(msg);
		plan_free(plan);
		profile_free(p);
		daemon_sync(d, event);
		return CONTROL_FAILED;
	}
	r = daemon_apply(d, plan, &msg);
	if (r == 0) {
		d->profile = p;
		d->plan = *plan;
		if (old) {
			plan_free(&old_plan);
			profile_free(old);
		}
		daemon_set_text(&d->error, NULL);
		daemon_sync(d, event);
		log_info("gadget %s: profile %s applied", d->cfg.gadget,
			 p->name);
		fprintf(out, "%s: %s%s%s\n", p->name,
			daemon_state_name(d->state), d->bound_udc ? " on " : "",
			d->bound_udc ? d->bound_udc : "");
		return CONTROL_OK;
	}

	log_error("gadget %s: applying profile %s failed: %s", d->cfg.gadget,
		  p->name, msg);
	fprintf(out, "%s: profile %s not applied: ", event, p->name);
	daemon_set_text(&d->error, msg);
	plan_free(plan);
	profile_free(p);
	if (old && had_gadget) {
		if (daemon_apply(d, &old_plan, &msg2) == 0) {
			daemon_sync(d, event);
			fprintf(out, "%s; previous profile %s %s again\n", msg,
				old->name,
				d->bound_udc ? "bound"
					     : "rebuilt (waiting for a UDC)");
		} else {
			log_error(
				"gadget %s: restoring profile %s failed too: %s",
				d->cfg.gadget, old->name, msg2);
			fprintf(out,
				"%s; restoring previous profile %s failed too: %s\n",
				msg, old->name, msg2);
			daemon_drop_profile(d);
			daemon_sync(d, event);
		}
	} else {
		/* Nothing was bound before: there is nothing to go back to,
		 * and a profile that never applied is not kept active. */
		if (old)
			daemon_drop_profile(d);
		daemon_sync(d, event);
		fprintf(out, "%s\n", msg);
	}
	free(msg);
	free(msg2);
	return CONTROL_FAILED;
}

static enum control_status daemon_switch(struct daemon *d, const char *name,
					 const char *event, FILE *out)
{
	struct profile *p;
	struct plan plan;
	char *msg = NULL;
	enum control_status st;

	if (daemon_prepare(d, name, &p, &plan, out, &msg) < 0) {
		/* Invalid: the running gadget is not touched, and `error`
		 * keeps describing the running gadget's last failure. */
		log_error("profile %s: not applied: %s", name, msg);
		free(msg);
		return CONTROL_FAILED;
	}
	d->admin_down = false;
	st = daemon_replace(d, p, &plan, event, out);
	if (st == CONTROL_OK)
		daemon_set_text(&d->profile_request, name);
	return st;
}

/* ---- reload ---- */

static char *daemon_plan_text(const struct plan *plan)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	plan_print_sh(plan, f);
	/* A memory stream that could not grow has lost part of the text:
	 * no text, rather than a wrong one to compare. */
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/*
 * Re-read gadgetd.conf and the active profile.  Settings that only a
 * restart can change (gadget, socket) are kept with a warning.  When the
 * active profile's plan changed (its file, or the [gadget] defaults under
 * it), it is applied again, with the same rollback as a switch.
 */
static enum control_status daemon_reload(struct daemon *d, FILE *out)
{
	struct gadgetd_config cfg;
	struct diag_list diags;
	struct profile *p;
	struct plan plan;
	char *msg = NULL, *old_text, *new_text;
	enum control_status st = CONTROL_OK;
	bool same;
	int r;

	config_init_defaults(&cfg);
	diag_init(&diags);
	r = config_load(d->config_path ? d->config_path : CONFIG_DEFAULT_PATH,
			d->config_path != NULL, &cfg, &diags);
	daemon_log_diags(&diags);
	if (r < 0) {
		diag_print(&diags, out);
		if (diags.n_errors == 0)
			fprintf(out, "%s: %s\n",
				d->config_path ? d->config_path
					       : CONFIG_DEFAULT_PATH,
				strerror(-r));
		fprintf(out, "reload: configuration not changed\n");
		diag_clear(&diags);
		config_free(&cfg);
		return CONTROL_FAILED;
	}
	diag_clear(&diags);
	if (!streq(cfg.gadget, d->cfg.gadget))
		log_warning(
			"reload: gadget name %s -> %s needs a restart; keeping %s",
			d->cfg.gadget, cfg.gadget, d->cfg.gadget);
	if (!streq(cfg.socket, d->cfg.socket))
		log_warning("reload: socket %s -> %s needs a restart",
			    d->cfg.socket, cfg.socket);
	/* Keep the ones that need a restart, so that the running daemon keeps
	 * describing what it really uses. */
	free(cfg.gadget);
	cfg.gadget = xstrdup(d->cfg.gadget);
	free(cfg.socket);
	cfg.socket = xstrdup(d->cfg.socket);
	config_free(&d->cfg);
	d->cfg = cfg;
	hooks_set_dir(d->hooks, d->cfg.hooks_dir);
	control_server_set_group(d->control, d->cfg.socket_group);
	log_info("reload: %s read",
		 d->config_path ? d->config_path : CONFIG_DEFAULT_PATH);

	if (!d->profile_request) {
		fprintf(out, "configuration reloaded\n");
		return CONTROL_OK;
	}
	if (daemon_prepare(d, d->profile_request, &p, &plan, out, &msg) < 0) {
		fprintf(out,
			"reload: profile %s is invalid now; the running gadget is kept\n",
			d->profile_request);
		free(msg);
		return CONTROL_FAILED;
	}
	if (!d->profile || !d->built) {
		/* Nothing is applied (the last attempt failed): try again. */
		return daemon_replace(d, p, &plan, "reload", out);
	}
	old_text = daemon_plan_text(&d->plan);
	new_text = daemon_plan_text(&plan);
	same = old_text && new_text && streq(old_text, new_text);
	free(old_text);
	free(new_text);
	if (same) {
		plan_free(&plan);
		profile_free(p);
		fprintf(out, "configuration reloaded; profile %s unchanged\n",
			d->profile->name);
		return CONTROL_OK;
	}
	log_info("reload: profile %s changed, applying it again",
		 d->profile->name);
	st = daemon_replace(d, p, &plan, "reload", out);
	return st;
}

/* ---- the control verbs ---- */

static void daemon_status(struct daemon *d, bool json, FILE *out)
{
	struct status st = { 0 };

	st.profile = daemon_profile_name(d);
	st.profile_path = d->profile ? d->profile->path : NULL;
	st.gadget = d->cfg.gadget;
	st.state = d->state_known ? daemon_state_name(d->state) : NULL;
	st.udc = d->bound_udc;
	st.udc_state = daemon_udc_runs_us(d) && d->udc_state_fresh
			       ? d->udc_state
			       : NULL;
	st.error = d->error ? d->error : d->notice;
	st.link_event = d->link_event;
	st.link_check = d->link_check.outcome;
	/* Host presence, as the last sync left it. */
	st.host = host_presence_attached(d->host) == HOST_UNKNOWN
			  ? STATUS_HOST_UNKNOWN
		  : host_presence_attached(d->host) == HOST_ATTACHED
			  ? STATUS_HOST_ATTACHED
			  : STATUS_HOST_NONE;
	st.host_source = host_presence_source(d->host);
	st.host_speed = host_presence_speed(d->host);
	if (d->built)
		status_read_gadget(&st, d->profile, d->gadget_dir,
				   STATUS_NET_DIR);
	/* status_read_gadget() lists the profile's functions in order. */
	for (size_t i = 0; d->profile && i < st.n_functions; i++) {
		const char *dhcp =
			net_dhcp_status(d->net, &d->profile->functions[i]);

		st.functions[i].dhcp = dhcp ? xstrdup(dhcp) : NULL;
	}
	if (json)
		status_print_json(&st, out);
	else
		status_print_text(&st, out);
	status_clear(&st);
}

/* Profiles in profile_dirs, by name (profile_catalog_list()). */
static void daemon_list(struct daemon *d, bool json, FILE *out)
{
	struct profile_catalog_entry *items;
	size_t n;

	profile_catalog_list(d->cfg.profile_dirs, &items, &n);
	if (json)
		fputs("{\"profiles\":[", out);
	for (size_t i = 0; i < n; i++) {
		struct diag_list diags;
		struct profile *p = NULL;
		char *err = NULL;
		bool active;
		int r;

		diag_init(&diags);
		r = config_load_profile(&d->cfg, items[i].path, &p, &diags);
		if (r < 0)
			err = daemon_diags_summary(&diags, items[i].name, r);
		active = d->profile && streq(d->profile->path, items[i].path);
		if (json) {
			fputs(i ? ",{\"name\":" : "{\"name\":", out);
			json_write_string(out, items[i].name);
			fputs(",\"path\":", out);
			json_write_string(out, items[i].path);
			fprintf(out, ",\"active\":%s,\"valid\":%s,\"error\":",
				active ? "true" : "false",
				r < 0 ? "false" : "true");
			json_write_string(out, err);
			fputs(",\"description\":", out);
			json_write_string(out, p ? p->description.value : NULL);
			fputc('}', out);
		} else {
			fprintf(out, "%c %-20s %s%s%s\n", active ? '*' : ' ',
				items[i].name, items[i].path,
				err ? "  invalid: " : "", err ? err : "");
			/* Which host a profile is for, at the console. */
			if (p && p->description.value)
				fprintf(out, "  %-20s %s\n", "",
					p->description.value);
		}
		free(err);
		profile_free(p);
		diag_clear(&diags);
	}
	if (json)
		fputs("]}\n", out);
	profile_catalog_entries_free(items, n);
}

static enum control_status daemon_up(struct daemon *d, FILE *out)
{
	d->admin_down = false;
	d->bind_refused = false;
	d->ffs_gave_up = false;
	if (!d->built) {
		const char *name = d->profile_request;

		if (!name) {
			fprintf(out, "no profile to apply\n");
			return CONTROL_FAILED;
		}
		/* Nothing applied (it failed before): try the profile
		 * again, from its file, which may have been fixed. */
		return daemon_switch(d, name, "up", out);
	}
	daemon_sync(d, "up");
	if (d->bind_refused) {
		fprintf(out, "%s\n", d->error ? d->error : "bind refused");
		return CONTROL_FAILED;
	}
	fprintf(out, "%s: %s%s%s\n", daemon_profile_name(d),
		daemon_state_name(d->state), d->bound_udc ? " on " : "",
		d->bound_udc ? d->bound_udc : "");
	return CONTROL_OK;
}

/* Stop the links and unbind; what the kernel refused goes to out, after
 * prefix. */
static int daemon_unbind(struct daemon *d, const char *prefix, FILE *out)
{
	struct apply_error err = { 0 };
	int r;

	net_stop(d->net);
	r = applier_unbind(d->applier, &err);
	if (r < 0) {
		char *msg = daemon_apply_error_text(&err, r);

		fprintf(out, "%s%s\n", prefix, msg);
		free(msg);
	}
	return r;
}

static enum control_status daemon_down(struct daemon *d, FILE *out)
{
	if (!d->built) {
		fprintf(out, "no gadget to unbind (state %s)\n",
			daemon_state_name(d->state));
		return CONTROL_FAILED;
	}
	if (daemon_unbind(d, "", out) < 0)
		return CONTROL_FAILED;
	d->admin_down = true;
	log_info("gadget %s: unbound on request", d->cfg.gadget);
	daemon_sync(d, "down");
	fprintf(out, "%s: %s\n", daemon_profile_name(d),
		daemon_state_name(d->state));
	return CONTROL_OK;
}

/*
 * How long `replug` leaves the host without the device: long enough for a
 * hub to see the disconnect (USB 2.0 asks at least 2.5 us of SE0; hubs
 * debounce for 100 ms), short enough that nobody notices the wait.
 */
#define DAEMON_REPLUG_GAP_MS 200

static void daemon_replug_connect(struct event_source *source, void *data)
{
	struct daemon *d = data;
	int r;

	event_source_free(source);
	d->replug_timer = NULL;
	if (!d->bound_udc)
		return;
	r = udc_soft_connect(d->udc_class_dir, d->bound_udc, true);
	if (r < 0)
		log_warning("udc %s: replug: soft_connect connect: %s",
			    d->bound_udc, strerror(-r));
	else
		log_info("udc %s: replug: connected again", d->bound_udc);
}

/*
 * The host sees the device go and come back, as at a cable pull, and
 * enumerates it again.  Through the UDC's soft_connect (the pull-up off,
 * DAEMON_REPLUG_GAP_MS, on again), which leaves the gadget bound; a UDC
 * without it, or whose soft_connect does not re-enumerate
 * (udc_soft_connect_reenumerates()), gets an unbind and a bind instead.
 */
static enum control_status daemon_replug(struct daemon *d, FILE *out)
{
	char *udc;
	int r, soft = -EOPNOTSUPP;
	bool reenumerates;

	if (!d->built || !d->bound_udc || d->admin_down) {
		fprintf(out, "replug: no gadget bound (state %s)\n",
			daemon_state_name(d->state));
		return CONTROL_FAILED;
	}
	if (d->replug_timer) {
		fprintf(out, "replug: %s is being replugged already\n",
			d->bound_udc);
		return CONTROL_FAILED;
	}
	reenumerates = udc_soft_connect_reenumerates(d->bound_udc);
	if (reenumerates)
		soft = udc_soft_connect(d->udc_class_dir, d->bound_udc, false);
	if (soft == 0) {
		r = event_loop_add_timer(
			d->loop, DAEMON_REPLUG_GAP_MS * 1000ULL, false,
			daemon_replug_connect, d, &d->replug_timer);
		if (r < 0) {
			d->replug_timer = NULL;
			udc_soft_connect(d->udc_class_dir, d->bound_udc, true);
			fprintf(out, "replug: timer: %s\n", strerror(-r));
			return CONTROL_FAILED;
		}
		log_info("udc %s: replug: disconnected", d->bound_udc);
		fprintf(out, "%s: disconnected, connecting again in %d ms\n",
			d->bound_udc, DAEMON_REPLUG_GAP_MS);
		return CONTROL_OK;
	}
	log_info("udc %s: replug: %s%s; unbinding and binding instead",
		 d->bound_udc,
		 reenumerates ? "soft_connect: "
			      : "its soft_connect does not re-enumerate",
		 reenumerates ? strerror(-soft) : "");
	udc = xstrdup(d->bound_udc);
	if (daemon_unbind(d, "replug: ", out) < 0) {
		free(udc);
		return CONTROL_FAILED;
	}
	/* Not admin_down: the sync binds it again at once. */
	daemon_sync(d, "replug");
	if (!d->bound_udc || d->bind_refused) {
		fprintf(out, "replug: %s\n",
			d->error ? d->error : "bind refused");
		free(udc);
		return CONTROL_FAILED;
	}
	fprintf(out, "%s: unbound and bound again (%s%s)\n", udc,
		reenumerates ? "soft_connect: "
			     : "its soft_connect does not re-enumerate",
		reenumerates ? strerror(-soft) : "");
	free(udc);
	return CONTROL_OK;
}

static enum control_status daemon_msd(struct daemon *d,
				      const struct control_request *req,
				      const struct control_peer *peer,
				      FILE *out)
{
	if (!d->built || !d->profile) {
		fprintf(out, "%s: no gadget is built\n",
			control_verb_name(req->verb));
		return CONTROL_FAILED;
	}
	if (req->verb == CONTROL_MSD_INSERT)
		return msd_insert(d->gadget_dir, d->profile, req->lun,
				  req->file, peer->passed_fd, req->ro, out);
	return msd_eject(d->gadget_dir, d->profile, req->lun, out);
}

/*
 * What only root may ask (gadgetd.conf(5), socket_group): a profile by path
 * (a group member names profiles from profile_dirs, which root keeps),
 * a medium the daemon opens itself by name (a member passes the file it
 * opened), and link-event (the ifupdown hooks, run as root).  NULL when
 * the request is allowed.
 */
static const char *daemon_root_only(const struct control_request *req,
				    const struct control_peer *peer)
{
	if (peer->uid == 0)
		return NULL;
	switch (req->verb) {
	case CONTROL_SWITCH:
		return profile_catalog_is_path(req->profile)
			       ? "a profile path needs root; name a profile from profile_dirs"
			       : NULL;
	case CONTROL_MSD_INSERT:
		return peer->passed_fd < 0
			       ? "a file named by path needs root; pass the opened file (the gadgetd client does)"
			       : NULL;
	case CONTROL_LINK_EVENT:
		return "it needs root";
	default:
		return NULL;
	}
}

static void daemon_handle_request(const struct control_request *req,
				  const struct control_peer *peer,
				  struct control_reply *reply, void *data)
{
	struct daemon *d = data;
	const char *denied;

	if (control_verb_changes(req->verb))
		log_info("control: %s%s%s from pid %d uid %u",
			 control_verb_name(req->verb), req->profile ? " " : "",
			 req->profile ? req->profile : "", (int)peer->pid,
			 (unsigned int)peer->uid);
	denied = daemon_root_only(req, peer);
	if (denied) {
		fprintf(reply->body, "permission denied: %s: %s (uid %u)\n",
			control_verb_name(req->verb), denied,
			(unsigned int)peer->uid);
		reply->status = CONTROL_DENIED;
		return;
	}
	if (req->verb == CONTROL_SWITCH &&
	    profile_catalog_is_path(req->profile) && req->profile[0] != '/') {
		/* The daemon works in "/"; the client sends absolute paths. */
		fprintf(reply->body, "switch: %s: not an absolute path\n",
			req->profile);
		reply->status = CONTROL_USAGE;
		return;
	}
	switch (req->verb) {
	case CONTROL_STATUS:
		daemon_status(d, req->json, reply->body);
		reply->status = CONTROL_OK;
		break;
	case CONTROL_LIST:
		daemon_list(d, req->json, reply->body);
		reply->status = CONTROL_OK;
		break;
	case CONTROL_SWITCH:
		reply->status =
			daemon_switch(d, req->profile, "switch", reply->body);
		break;
	case CONTROL_RELOAD:
		reply->status = daemon_reload(d, reply->body);
		break;
	case CONTROL_UP:
		reply->status = daemon_up(d, reply->body);
		break;
	case CONTROL_DOWN:
		reply->status = daemon_down(d, reply->body);
		break;
	case CONTROL_REPLUG:
		reply->status = daemon_replug(d, reply->body);
		break;
	case CONTROL_MSD_INSERT:
	case CONTROL_MSD_EJECT:
		reply->status = daemon_msd(d, req, peer, reply->body);
		break;
	case CONTROL_LINK_EVENT:
		if (!req->iface || !*req->iface) {
			fprintf(reply->body, "link-event: no interface\n");
			reply->status = CONTROL_USAGE;
			break;
		}
		log_info("link-event: %s %s", req->up ? "up" : "down",
			 req->iface);
		free(d->link_event);
		d->link_event =
			xasprintf("%s %s", req->up ? "up" : "down", req->iface);
		net_link_event(d->net, req->iface, req->up);
		/* A link set up again gets its host checked again (an
		 * admin's ifup can be missed like the first notification). */
		daemon_net_watch(d, d->state_known &&
					    d->state == DAEMON_CONFIGURED);
		reply->status = CONTROL_OK;
		break;
	}
}

/* ---- signals, uevents, watchdog ---- */

static void daemon_stop(struct daemon *d)
{
	char *msg = NULL;

	notify_stopping();
	if (d->built && d->cfg.keep_on_exit) {
		log_info("gadget %s: left %s (keep_on_exit)", d->cfg.gadget,
			 d->bound_udc ? "bound" : "in configfs");
	} else if (d->built || applier_gadget_exists(d->applier)) {
		if (daemon_remove(d, &msg) < 0) {
			log_error("gadget %s: teardown failed: %s",
				  d->cfg.gadget, msg);
			free(msg);
		} else {
			log_info("gadget %s: removed", d->cfg.gadget);
		}
	}
	event_loop_quit(d->loop, EXIT_OK);
}

static void daemon_reap_children(struct daemon *d)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (!hooks_child_exited(d->hooks, pid, status) &&
		    !net_child_exited(d->net, pid, status))
			log_debug("child %d exited (status 0x%x)", (int)pid,
				  status);
	}
}

static void daemon_signal(struct event_source *source, int fd, uint32_t events,
			  void *data)
{
	struct daemon *d = data;
	struct signalfd_siginfo si;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	(void)source;
	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("signal %s: stopping", si.ssi_signo == SIGTERM
								? "SIGTERM"
								: "SIGINT");
			daemon_stop(d);
			return;
		case SIGHUP:
			log_info("signal SIGHUP: reloading");
			out = open_memstream(&text, &len);
			if (!out)
				break;
			daemon_reload(d, out);
			(void)fclose(out); /* only the client's copy; logged */
			free(text);
			text = NULL;
			break;
		case SIGCHLD:
			daemon_reap_children(d);
			break;
		default:
			break;
		}
	}
}

static void daemon_uevent(struct event_source *source, int fd, uint32_t events,
			  void *data)
{
	struct daemon *d = data;
	bool udc_changed = false, rescan = false, cable = false;
	const char *event = NULL;
	struct uevent ev;
	int r;

	(void)source;
	(void)events;
	for (;;) {
		const char *udc;

		r = uevent_receive(fd, d->uevent_buf, UEVENT_MSG_MAX, &ev);
		if (r == -EAGAIN || r == -EINTR)
			break;
		if (r == -ENOBUFS) {
			/* Messages were lost: look at everything again. */
			log_debug("uevent: receive buffer overflowed");
			rescan = true;
			/* The host presence sources too. */
			host_presence_rescan(d->host);
			continue;
		}
		if (r < 0) {
			if (r != -EPROTO)
				log_debug("uevent: ignored: %s", strerror(-r));
			if (r == -EBADF || r == -ENOTSOCK)
				break;
			continue;
		}
		/* An extcon, typec or power_supply change: host presence. */
		if (host_presence_uevent(d->host, ev.subsystem))
			cable = true;
		udc = uevent_udc_name(&ev);
		if (!udc)
			continue;
		log_debug("uevent: udc %s %s", udc, ev.action);
		if (streq(ev.action, "add") || streq(ev.action, "remove"))
			udc_changed = true;
		event = streq(ev.action, "add")	     ? "udc-add"
			: streq(ev.action, "remove") ? "udc-remove"
						     : "udc-change";
		rescan = true;
	}
	if (!rescan) {
		/* Host presence only: the verdict may have changed. */
		if (cable)
			daemon_sync(d, "cable");
		return;
	}
	if (udc_changed || !event) {
		/* libusbgx read the UDC list once, in usbg_init(). */
		r = applier_refresh(d->applier);
		if (r < 0)
			log_warning("udc: refreshing libusbgx's UDC list: %s",
				    strerror(-r));
	}
	/* A UDC came, went, or had a gadget (un)bound: a refused bind may
	 * work now. */
	d->bind_refused = false;
	daemon_sync(d, event ? event : "rescan");
}

static void daemon_watchdog(struct event_source *source, void *data)
{
	(void)source;
	(void)data;
	notify_watchdog();
}

/* ---- start and stop ---- */

static int daemon_open_signals(struct daemon *d)
{
	sigset_t mask;
	int r;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	d->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->signal_fd < 0)
		return -errno;
	r = event_loop_add_io(d->loop, d->signal_fd, EPOLLIN, daemon_signal, d,
			      &d->signal_source);
	return r;
}

static int daemon_open_uevents(struct daemon *d)
{
	int r;

	r = uevent_open(&d->uevent_fd);
	if (r < 0) {
		d->uevent_fd = -1;
		return r;
	}
	d->uevent_buf = xmalloc(UEVENT_MSG_MAX);
	return event_loop_add_io(d->loop, d->uevent_fd, EPOLLIN, daemon_uevent,
				 d, &d->uevent_source);
}

static void daemon_free(struct daemon *d)
{
	daemon_unwatch_udc(d);
	control_server_free(d->control);
	/* After the socket: an ifdown it finishes calls link-event. */
	net_free(d->net);
	d->net = NULL;
	hooks_free(d->hooks);
	host_presence_free(d->host);
	event_source_free(d->signal_source);
	event_source_free(d->uevent_source);
	event_source_free(d->watchdog);
	daemon_ffs_stop(d);
	daemon_kernel_bind_stop(d);
	daemon_net_stop(d);
	event_source_free(d->replug_timer);
	if (d->signal_fd >= 0)
		close(d->signal_fd);
	if (d->uevent_fd >= 0)
		close(d->uevent_fd);
	event_loop_free(d->loop);
	daemon_drop_profile(d);
	if (d->applier)
		applier_free(d->applier);
	config_free(&d->cfg);
	free(d->uevent_buf);
	free(d->configfs);
	free(d->gadgets_dir);
	free(d->gadget_dir);
	free(d->socket_path);
	free(d->profile_request);
	free(d->bound_udc);
	free(d->announced_profile);
	free(d->announced_udc);
	free(d->error);
	free(d->notice);
	free(d->link_event);
}

/* The first apply: the configured profile, after cleaning a leftover. */
static void daemon_start_gadget(struct daemon *d)
{
	struct profile *p;
	struct plan plan;
	char *msg = NULL, *text = NULL;
	size_t len = 0;
	FILE *out;

	if (applier_gadget_exists(d->applier)) {
		/* Ours by name, left by a daemon that was killed (or kept on
		 * exit): it matches no plan we hold, so remove it whole and
		 * build it again from the profile. */
		log_info(
			"gadget %s: left over from an earlier run, removing it",
			d->cfg.gadget);
		if (daemon_remove(d, &msg) < 0) {
			log_error("gadget %s: cannot remove the leftover: %s",
				  d->cfg.gadget, msg);
			daemon_set_text(&d->error, msg);
			free(msg);
			daemon_sync(d, "start");
			return;
		}
	}
	if (!d->profile_request) {
		daemon_set_text(&d->error, "no profile configured");
		daemon_sync(d, "start");
		return;
	}
	if (daemon_prepare(d, d->profile_request, &p, &plan, NULL, &msg) < 0) {
		daemon_set_text(&d->error, msg);
		free(msg);
		daemon_sync(d, "start");
		return;
	}
	out = open_memstream(&text, &len);
	if (!out) {
		plan_free(&plan);
		profile_free(p);
		return;
	}
	daemon_replace(d, p, &plan, "start", out);
	(void)fclose(out); /* no client at start; logged */
	free(text);
}

/*
 * The pid file is locked (flock) for as long as this daemon runs: a second
 * daemon given the same file stops before it touches anything, and only
 * the daemon that holds the lock writes or removes the file (gadgetd(8)).
 * The lock belongs to the open file, so it passes to the --background
 * child with the descriptor.  O_NOFOLLOW: never written through a link.
 */
static int daemon_lock_pidfile(const char *path, int *fd_out)
{
	struct stat st;
	int fd, r;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
		  0644);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		r = errno == EWOULDBLOCK ? -EADDRINUSE : -errno;
		goto fail;
	}
	*fd_out = fd;
	return 0;
fail:
	close(fd);
	return r;
}

/* A reader may see the file empty for an instant, never a wrong pid. */
static int daemon_write_pid(int fd, pid_t pid)
{
	char text[32];
	int n = snprintf(text, sizeof(text), "%d\n", (int)pid);

	if (ftruncate(fd, 0) < 0)
		return -errno;
	if (pwrite(fd, text, (size_t)n, 0) != n)
		return -EIO;
	return 0;
}

static void daemon_usage(FILE *out)
{
	fputs("usage: gadgetd [GLOBAL OPTIONS] daemon [--pidfile FILE] [--background]\n"
	      "                                      [--profile NAME] [--udc NAME]\n"
	      "\n"
	      "Run the daemon: build the gadget from the profile, bind it to the UDC\n"
	      "and keep it bound; serve the client verbs on the control socket.\n"
	      "\n"
	      "  --pidfile FILE   write the daemon's process id to FILE\n"
	      "  --background     fork once the gadget is applied and the socket is ready\n"
	      "  --profile NAME   profile to apply at start (default: profile= of gadgetd.conf)\n"
	      "  --udc NAME       UDC to bind to (default: udc= of gadgetd.conf)\n",
	      out);
}

struct daemon_args {
	const char *pidfile;
	bool background;
	const char *profile;
	const char *udc;
};

static int daemon_parse_args(int argc, char **argv, struct daemon_args *a)
{
	static const struct option options[] = {
		{ "pidfile", required_argument, NULL, 'p' },
		{ "background", no_argument, NULL, 'b' },
		{ "profile", required_argument, NULL, 'P' },
		{ "udc", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'p':
			a->pidfile = optarg;
			break;
		case 'b':
			a->background = true;
			break;
		case 'P':
			a->profile = optarg;
			break;
		case 'u':
			a->udc = optarg;
			break;
		case 'h':
			daemon_usage(stdout);
			return EXIT_OK;
		default:
			daemon_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gadgetd daemon: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	return -1;
}

/*
 * --background: fork at once, and let the parent wait until the child says
 * it is ready (socket listening, first apply done) so that whatever starts
 * gadgetd next finds it answering.  Forking first keeps every child process
 * (hooks) a child of the process that reaps them.  Returns the write end of
 * the readiness pipe in the child; the parent never returns.
 */
static int daemon_background(int pidfile_fd)
{
	int pipefd[2], status;
	char byte;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(pipefd[1]);
		if (read(pipefd[0], &byte, 1) == 1)
			_exit(EXIT_OK);
		/* The child exited before it was ready: pass its status on. */
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
			_exit(WEXITSTATUS(status));
		_exit(EXIT_FAILED);
	}
	close(pipefd[0]);
	setsid();
	if (pidfile_fd >= 0) {
		int r = daemon_write_pid(pidfile_fd, getpid());

		if (r < 0)
			log_warning("pidfile: %s", strerror(-r));
	}
	return pipefd[1];
}

/*
 * --background, once ready: let go of a pipe or socket on stdout and
 * stderr, so that `$(gadgetd daemon --background)` or a boot script reading
 * our output does not wait for the daemon to exit.  Startup errors have
 * been seen by then.  A terminal (the console) or a regular file (the init
 * script's log) is kept: log.c writes to stderr only, there is no syslog.
 */
static void daemon_detach_output(void)
{
	static const int fds[] = { STDOUT_FILENO, STDERR_FILENO };
	struct stat sb;
	int null_fd;

	(void)fflush(stdout);
	(void)fflush(stderr);
	null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null_fd < 0)
		return;
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fstat(fds[i], &sb) == 0 &&
		    (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode)))
			dup2(null_fd, fds[i]);
	close(null_fd);
}

int cli_daemon(const struct cli_options *opts, int argc, char **argv)
{
	struct daemon_args args = { 0 };
	struct daemon d = { .signal_fd = -1, .uevent_fd = -1, .udc_fd = -1 };
	struct diag_list diags;
	uint64_t watchdog_usec;
	int r, status = EXIT_FAILED, ready_fd = -1, null_fd, pidfile_fd = -1;
	char *pidfile = NULL, *config_path = NULL;

	r = daemon_parse_args(argc, argv, &args);
	if (r >= 0)
		return r;

	/* Every path the daemon keeps, absolute: it works in "/" (below). */
	r = args.pidfile ? path_absolute(args.pidfile, &pidfile) : 0;
	if (r == 0 && opts->config_path)
		r = path_absolute(opts->config_path, &config_path);
	if (r < 0) {
		log_errno(r, "current directory");
		free(pidfile);
		return EXIT_FAILED;
	}
	config_init_defaults(&d.cfg);
	diag_init(&diags);
	d.config_path = config_path;
	r = config_load(config_path ? config_path : CONFIG_DEFAULT_PATH,
			config_path != NULL, &d.cfg, &diags);
	diag_print(&diags, stderr);
	diag_clear(&diags);
	if (r < 0) {
		config_free(&d.cfg);
		free(pidfile);
		free(config_path);
		return EXIT_FAILED;
	}
	d.udc_option = args.udc;
	if (args.profile && profile_catalog_is_path(args.profile)) {
		r = path_absolute(args.profile, &d.profile_request);
		if (r < 0) {
			log_errno(r, "--profile %s", args.profile);
			goto out;
		}
	} else {
		d.profile_request =
			xstrdup(args.profile ? args.profile : d.cfg.profile);
	}
	d.configfs = xstrdup(opts->configfs ? opts->configfs
					    : CONFIG_DEFAULT_CONFIGFS);
	d.gadgets_dir = xasprintf("%s/usb_gadget", d.configfs);
	d.gadget_dir = xasprintf("%s/%s", d.gadgets_dir, d.cfg.gadget);
	d.udc_class_dir = UDC_CLASS_DIR;
	if (opts->socket_path) {
		r = path_absolute(opts->socket_path, &d.socket_path);
		if (r < 0) {
			log_errno(r, "socket %s", opts->socket_path);
			goto out;
		}
	} else {
		d.socket_path = xstrdup(d.cfg.socket);
	}
	/* Nothing resolves against the directory we were started in: a
	 * client's relative path means nothing here. */
	if (chdir("/") < 0) {
		log_errno(-errno, "chdir /");
		goto out;
	}
	if (pidfile) {
		r = daemon_lock_pidfile(pidfile, &pidfile_fd);
		if (r == -EADDRINUSE) {
			log_error("pidfile %s: locked by another gadgetd",
				  pidfile);
			goto out;
		}
		if (r < 0) {
			log_errno(r, "pidfile %s", pidfile);
			goto out;
		}
	}

	if (args.background) {
		ready_fd = daemon_background(pidfile_fd);
		if (ready_fd < 0) {
			log_errno(ready_fd, "--background: fork");
			goto out;
		}
		null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null_fd >= 0) {
			dup2(null_fd, STDIN_FILENO);
			close(null_fd);
		}
	} else if (pidfile_fd >= 0) {
		r = daemon_write_pid(pidfile_fd, getpid());
		if (r < 0)
			log_warning("pidfile %s: %s", pidfile, strerror(-r));
	}
	/* A client that hangs up before reading its answer must not kill
	 * the daemon (send() also says MSG_NOSIGNAL; hooks reset it). */
	(void)signal(SIGPIPE, SIG_IGN);

	r = event_loop_new(&d.loop);
	if (r < 0) {
		log_errno(r, "epoll");
		goto out;
	}
	r = daemon_open_signals(&d);
	if (r < 0) {
		log_errno(r, "signalfd");
		goto out;
	}
	d.net = net_new(d.loop, NULL);
	net_set_carrier_fn(d.net, daemon_net_carrier, &d);
	d.hooks = hooks_new(d.loop, d.cfg.hooks_dir, HOOKS_TIMEOUT_MS);
	/* Reads the cable sources once; uevents keep it current. */
	d.host = host_presence_new(HOST_PRESENCE_SYSFS);
	r = control_server_new(d.loop, d.socket_path, d.cfg.socket_group,
			       daemon_handle_request, &d, &d.control);
	if (r == -EADDRINUSE) {
		log_error("control socket %s: another gadgetd answers on it",
			  d.socket_path);
		goto out;
	}
	if (r < 0) {
		log_errno(r, "control socket %s", d.socket_path);
		goto out;
	}
	r = daemon_open_uevents(&d);
	if (r < 0) {
		log_errno(r, "uevent netlink socket");
		goto out;
	}
	r = applier_new(d.configfs, d.cfg.gadget, &d.applier);
	if (r < 0) {
		log_errno(
			r,
			"configfs %s (is configfs mounted and libcomposite loaded?)",
			d.gadgets_dir);
		goto out;
	}
	log_info("gadget %s: starting with profile %s, udc %s, socket %s",
		 d.cfg.gadget, d.profile_request ? d.profile_request : "(none)",
		 daemon_udc_wanted(&d), d.socket_path);

	daemon_start_gadget(&d);

	watchdog_usec = notify_watchdog_usec();
	if (watchdog_usec) {
		/* Half the interval, as sd_watchdog_enabled(3) advises. */
		r = event_loop_add_timer(d.loop, watchdog_usec / 2, true,
					 daemon_watchdog, &d, &d.watchdog);
		if (r < 0)
			log_warning("watchdog timer: %s", strerror(-r));
	}
	{
		char *st = xasprintf(
			"%s: profile %s, udc %s", daemon_state_name(d.state),
			daemon_profile_name(&d) ? daemon_profile_name(&d)
						: "none",
			d.bound_udc ? d.bound_udc : "none");
		notify_ready(st);
		free(st);
	}
	if (ready_fd >= 0) {
		if (write(ready_fd, "1", 1) < 0)
			log_warning("--background: %s", strerror(errno));
		close(ready_fd);
		ready_fd = -1;
		daemon_detach_output();
	}

	r = event_loop_run(d.loop);
	status = r < 0 ? EXIT_FAILED : r;
	if (r < 0)
		log_errno(r, "event loop");
out:
	if (ready_fd >= 0)
		close(ready_fd);
	daemon_free(&d);
	/* Ours: we hold its lock.  Removed before the lock goes, so that a
	 * daemon that takes the lock next writes a file of its own. */
	if (pidfile_fd >= 0) {
		unlink(pidfile);
		close(pidfile_fd);
	}
	free(pidfile);
	free(config_path);
	return status;
}
