/* SPDX-License-Identifier: MIT */
/*
 * The daemon context, its event sources, binding and its states.
 *
 * Everything the daemon knows lives in struct daemon (daemon_private.h) and
 * in the objects it holds.  The gadget's state is never tracked by guessing
 * from events: every event (uevent, POLLPRI on the UDC's state attribute, a
 * command, a timer) leads to daemon_sync(), which reads the facts back from
 * configfs and sysfs, binds when it should, and derives the state from the
 * facts (daemon_state_from_facts()).  A lost or reordered event therefore
 * costs nothing but the next sync.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "daemon_private.h"
#include "fallback.h"
#include "host_presence.h"
#include "log.h"
#include "msd_attach.h"
#include "notify.h"
#include "status.h"
#include "udc.h"
#include "uevent.h"
#include "util.h"

void daemon_set_text(char **field, const char *text)
{
	free(*field);
	*field = text ? xstrdup(text) : NULL;
}

const char *daemon_profile_name(const struct daemon *d)
{
	return d->profile ? d->profile->name : NULL;
}

const char *daemon_udc_wanted(const struct daemon *d)
{
	return d->udc_option ? d->udc_option : d->cfg.udc;
}

bool daemon_configured(const struct daemon *d)
{
	return d->state_known && d->state == DAEMON_CONFIGURED;
}

char *daemon_status_line(const struct daemon *d)
{
	const char *profile = daemon_profile_name(d),
		   *udc = udc_binding_bound(d->udc);

	return xasprintf("%s: profile %s, udc %s", daemon_state_name(d->state),
			 profile ? profile : "none", udc ? udc : "none");
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
	const char *udc = udc_binding_bound(d->udc),
		   *profile = daemon_profile_name(d);
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
	status = daemon_status_line(d);
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

/* ---- FunctionFS (ffs_wait.h) ---- */

static uint64_t daemon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The active plan, NULL without a profile. */
static const struct plan *daemon_plan(const struct daemon *d)
{
	return d->profile ? &d->plan : NULL;
}

/* What a step of the wait says we wait for. */
static void daemon_ffs_follow(struct daemon *d, struct ffs_wait_step *step)
{
	if (step->notice)
		daemon_set_notice(d, "%s", step->notice);
	if (step->timer_error < 0)
		log_warning("FunctionFS: cannot start the wait: %s",
			    strerror(-step->timer_error));
	free(step->notice);
	step->notice = NULL;
}

/* True when plan's FunctionFS functions are ready to bind. */
static bool daemon_ffs_ready(struct daemon *d, const struct plan *plan)
{
	struct ffs_wait_look look;
	struct ffs_wait_step step;

	ffs_wait_look(plan, &look);
	step = ffs_wait_ready(d->ffs, &look, daemon_now_ms());
	ffs_wait_look_clear(&look);
	daemon_ffs_follow(d, &step);
	return step.fact == FFS_WAIT_READY;
}

/*
 * The kernel refused to bind plan: true when that is FunctionFS functions'
 * daemon going away, and a wait for it to come back began.
 */
static bool daemon_ffs_refused(struct daemon *d, const struct plan *plan)
{
	struct ffs_wait_look look;
	struct ffs_wait_step step;

	ffs_wait_look(plan, &look);
	step = ffs_wait_refused(d->ffs, &look, daemon_now_ms());
	ffs_wait_look_clear(&look);
	daemon_ffs_follow(d, &step);
	return step.fact == FFS_WAIT_WAITING;
}

static void daemon_ffs_due(void *data)
{
	struct daemon *d = data;
	struct ffs_wait_look look;
	enum ffs_wait_fact fact;

	ffs_wait_look(daemon_plan(d), &look);
	fact = ffs_wait_check(d->ffs, &look, daemon_now_ms());
	ffs_wait_look_clear(&look);
	if (fact != FFS_WAIT_READY && fact != FFS_WAIT_GAVE_UP)
		return;
	d->bind_refused = false;
	daemon_sync(d, fact == FFS_WAIT_READY ? "ffs-ready" : "ffs-timeout");
}

/* ---- the functions' programs (supervisor.h) ---- */

/* A program came back after an exit: its function may be bound again, even
 * when the wait for its descriptors gave up meanwhile. */
static void daemon_program_restarted(void *data, const char *function)
{
	struct daemon *d = data;

	(void)function;
	ffs_wait_again(d->ffs);
	d->bind_refused = false;
	daemon_sync(d, "program-restart");
}

/* ---- binding (udc_binding.h) ---- */

char *daemon_apply_error_text(const struct apply_error *err, int r)
{
	return xstrdup(err->message[0] ? err->message : strerror(-r));
}

/*
 * The plan's deferred ops (plan_deferred_start()) in its order, up to its
 * PLAN_UDC_BIND: true when each one before the bind is done.  The
 * FunctionFS waits are one wait (ffs_wait.h), asked at the first of them.
 */
static bool daemon_deferred_ready(struct daemon *d, const struct plan *plan)
{
	if (!plan)
		return daemon_ffs_ready(d, NULL);
	for (size_t i = plan_deferred_start(plan); i < plan->n_ops; i++) {
		switch (plan->ops[i].kind) {
		case PLAN_FFS_WAIT:
			if (!daemon_ffs_ready(d, plan))
				return false;
			/* The others were part of that look. */
			while (i + 1 < plan->n_ops &&
			       plan->ops[i + 1].kind == PLAN_FFS_WAIT)
				i++;
			break;
		case PLAN_UDC_BIND:
			return true;
		default:
			break;
		}
	}
	return false;
}

static void daemon_udc_event(void *data, const char *event)
{
	daemon_sync(data, event);
}

int daemon_bind(struct daemon *d, const struct plan *plan, char **msg)
{
	struct apply_error err = { 0 };
	char *bound = NULL, *udc, *other, *watch = NULL, *why = NULL;
	int r;

	r = applier_bound_udc(d->applier, &bound);
	if (r < 0) {
		*msg = xasprintf("%s/UDC: %s", d->gadget_dir, strerror(-r));
		return r;
	}
	/* Pending on a UDC that is gone while another one is free: the
	 * kernel would wait for the old name, `udc = auto` should not. */
	other = udc_binding_move_target(d->udc, bound);
	if (other) {
		log_info("udc %s: gone; moving gadget %s to udc %s", bound,
			 d->cfg.gadget, other);
		if (applier_unbind(d->applier, &err) == 0) {
			free(bound);
			bound = NULL;
		}
		free(other);
	}
	if (udc_binding_kernel_bind_overdue(d->udc, bound) &&
	    applier_unbind(d->applier, &err) == 0) {
		free(bound);
		bound = NULL;
	}
	if (!bound && !d->admin_down && !d->bind_refused &&
	    daemon_deferred_ready(d, plan)) {
		udc = udc_binding_pick(d->udc, &watch, &why);
		if (why)
			daemon_set_notice(d, "%s", why);
		free(why);
		if (udc) {
			udc_binding_watch_before_bind(d->udc, udc);
			r = applier_bind(d->applier, udc, &err);
			if (r < 0 && daemon_ffs_refused(d, plan)) {
				d->bind_refused = true;
				free(udc);
			} else if (r < 0) {
				d->bind_refused = true;
				*msg = daemon_apply_error_text(&err, r);
				free(udc);
				udc_binding_forget(d->udc);
				return r;
			} else {
				log_info("udc %s: bound gadget %s", udc,
					 d->cfg.gadget);
				bound = udc;
				udc_binding_bound_by_us(d->udc);
				/* What they serve exists now (f_uvc's
				 * /dev/videoN). */
				supervisor_start(d->programs, false, udc);
			}
		}
	}
	if (bound && !udc_binding_exists(d->udc, bound))
		daemon_set_notice(d, "udc %s: gone, gadget %s pending on it",
				  bound, d->cfg.gadget);
	else if (bound)
		daemon_set_text(&d->notice, NULL);
	udc_binding_set(d->udc, bound, watch);
	free(watch);
	return 0;
}

/* ---- the host-link check (net_check.h) ---- */

static void daemon_net_carrier(void *data, const char *ifname)
{
	struct daemon *d = data;

	net_check_carrier(d->net_check, daemon_configured(d), ifname);
}

void daemon_sync(struct daemon *d, const char *event)
{
	struct daemon_facts f = { 0 };
	enum daemon_state state;

	if (d->built) {
		char *msg = NULL;

		if (daemon_bind(d, daemon_plan(d), &msg) < 0) {
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
		udc_binding_forget(d->udc);
	}
	f.built = d->built;
	f.admin_down = d->admin_down;
	f.bound_udc = udc_binding_bound(d->udc);
	f.udc_present = udc_binding_runs_us(d->udc);
	f.udc_state = f.udc_present ? udc_binding_fresh_state(d->udc) : NULL;
	/* Host presence: the UDC's state or a cable source; a host that came
	 * or went renames the event to host-attach or host-detach. */
	f.no_host = host_presence_update(
			    d->host, f.udc_present ? f.bound_udc : NULL,
			    udc_binding_state(d->udc), f.udc_state != NULL,
			    &event) == HOST_DETACHED;
	/* The netdevs exist once the functions are bound to a UDC; set them
	 * up once per run so a working link is never bounced. */
	if (f.udc_present && d->profile && !net_started(d->net))
		net_start(d->net, d->profile, d->gadget_dir);
	else if (!f.udc_present)
		net_stop(d->net);
	state = daemon_state_from_facts(&f);
	/* The same derivation as the link-event handler's d->state. */
	net_check_watch(d->net_check, state == DAEMON_CONFIGURED);
	/* A suspended host keeps its media. */
	msd_attach_watch(d->msd_attach, state == DAEMON_CONFIGURED ||
						state == DAEMON_SUSPENDED);
	/* A host that went: the next one starts from the chain's head. */
	if (streq(event, "host-detach"))
		fallback_host_gone(d->fallback);
	fallback_watch(d->fallback, state == DAEMON_CONFIGURED);
	daemon_set_state(d, state, event);
}

void daemon_gadget_gone(struct daemon *d)
{
	d->built = false;
	msd_attach_set_plan(d->msd_attach, NULL, NULL);
	udc_binding_forget(d->udc);
	ffs_wait_stop(d->ffs);
	udc_binding_kernel_bind_stop(d->udc);
}

/* ---- profiles that adapt to the host (fallback.h) ---- */

static void daemon_fallback_due(void *data, const char *profile)
{
	struct daemon *d = data;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return;
	if (daemon_switch(d, profile, "fallback", out) != CONTROL_OK) {
		(void)fclose(out);
		text[strcspn(text, "\n")] = '\0';
		fallback_refused(d->fallback, profile, text);
	} else {
		(void)fclose(out); /* no client; daemon_switch logged it */
	}
	free(text);
}

/* ---- signals, uevents, watchdog ---- */

static void daemon_stop(struct daemon *d)
{
	char *msg = NULL;

	notify_stopping();
	if (d->built && d->cfg.keep_on_exit) {
		log_info("gadget %s: left %s (keep_on_exit)", d->cfg.gadget,
			 udc_binding_bound(d->udc) ? "bound" : "in configfs");
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
		    !net_child_exited(d->net, pid, status) &&
		    !supervisor_child_exited(d->programs, pid, status))
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

int daemon_start(struct daemon *d)
{
	uint64_t watchdog_usec;
	int r;

	r = event_loop_new(&d->loop);
	if (r < 0) {
		log_errno(r, "epoll");
		return -1;
	}
	d->udc = udc_binding_new(d->loop, UDC_CLASS_DIR, d->gadgets_dir,
				 d->cfg.gadget, daemon_udc_event, d);
	udc_binding_set_wanted(d->udc, daemon_udc_wanted(d));
	d->ffs = ffs_wait_new(d->loop, daemon_ffs_due, d);
	d->programs = supervisor_new(d->loop, daemon_program_restarted, d);
	r = daemon_open_signals(d);
	if (r < 0) {
		log_errno(r, "signalfd");
		return -1;
	}
	d->net = net_new(d->loop, NULL);
	net_set_carrier_fn(d->net, daemon_net_carrier, d);
	d->net_check = net_check_new(d->loop, d->net);
	d->msd_attach = msd_attach_new(d->loop);
	d->fallback =
		fallback_new(d->loop, STATUS_NET_DIR, daemon_fallback_due, d);
	d->hooks = hooks_new(d->loop, d->cfg.hooks_dir, HOOKS_TIMEOUT_MS);
	/* Reads the cable sources once; uevents keep it current. */
	d->host = host_presence_new(HOST_PRESENCE_SYSFS);
	r = control_server_new(d->loop, d->socket_path, d->cfg.socket_group,
			       daemon_handle_request, d, &d->control);
	if (r == -EADDRINUSE) {
		log_error("control socket %s: another gadgetd answers on it",
			  d->socket_path);
		return -1;
	}
	if (r < 0) {
		log_errno(r, "control socket %s", d->socket_path);
		return -1;
	}
	r = daemon_open_uevents(d);
	if (r < 0) {
		log_errno(r, "uevent netlink socket");
		return -1;
	}
	r = applier_new(d->configfs, d->cfg.gadget, &d->applier);
	if (r < 0) {
		log_errno(
			r,
			"configfs %s (is configfs mounted and libcomposite loaded?)",
			d->gadgets_dir);
		return -1;
	}
	log_info("gadget %s: starting with profile %s, udc %s, socket %s",
		 d->cfg.gadget,
		 d->profile_request ? d->profile_request : "(none)",
		 udc_binding_wanted(d->udc), d->socket_path);

	daemon_start_gadget(d);

	watchdog_usec = notify_watchdog_usec();
	if (watchdog_usec) {
		/* Half the interval, as sd_watchdog_enabled(3) advises. */
		r = event_loop_add_timer(d->loop, watchdog_usec / 2, true,
					 daemon_watchdog, d, &d->watchdog);
		if (r < 0)
			log_warning("watchdog timer: %s", strerror(-r));
	}
	return 0;
}

void daemon_free(struct daemon *d)
{
	/* Before the gadget's functionfs can go, and no child left behind
	 * (keep_on_exit included). */
	supervisor_free(d->programs);
	d->programs = NULL;
	udc_binding_free(d->udc);
	d->udc = NULL;
	control_server_free(d->control);
	/* After the socket: an ifdown it finishes calls link-event. */
	net_free(d->net);
	d->net = NULL;
	hooks_free(d->hooks);
	host_presence_free(d->host);
	d->host = NULL;
	event_source_free(d->signal_source);
	event_source_free(d->uevent_source);
	event_source_free(d->watchdog);
	ffs_wait_free(d->ffs);
	d->ffs = NULL;
	net_check_free(d->net_check);
	d->net_check = NULL;
	msd_attach_free(d->msd_attach);
	d->msd_attach = NULL;
	fallback_free(d->fallback);
	d->fallback = NULL;
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
	free(d->announced_profile);
	free(d->announced_udc);
	free(d->error);
	free(d->notice);
	free(d->link_event);
}
