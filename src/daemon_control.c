/* SPDX-License-Identifier: MIT */
/*
 * The daemon's control verbs (docs/control-protocol.md): one request from
 * the control socket, its answer written to the reply's body.  What only
 * root may ask is decided here, before any verb runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_private.h"
#include "fallback.h"
#include "host_presence.h"
#include "json.h"
#include "log.h"
#include "msd.h"
#include "profile_catalog.h"
#include "status.h"
#include "udc.h"
#include "util.h"

/* Each supervised program on its function's entry. */
static void daemon_status_programs(struct daemon *d, struct status *st)
{
	struct supervisor_info info;

	for (size_t k = 0; supervisor_info(d->programs, k, &info); k++) {
		for (size_t i = 0; i < st->n_functions; i++) {
			struct status_program *p;

			if (!streq(st->functions[i].name, info.function))
				continue;
			p = xcalloc(1, sizeof(*p));
			p->path = xstrdup(info.path);
			p->pid = info.pid;
			p->state = xstrdup(supervisor_state_name(info.state));
			p->restarts = info.restarts;
			p->exit_code = -1;
			p->exit_signal = -1;
			if (info.exited && info.exit_signal)
				p->exit_signal = info.exit_signal;
			else if (info.exited)
				p->exit_code = info.exit_code;
			p->next_restart_ms = info.next_restart_ms;
			p->restart_delay_ms = info.restart_delay_ms;
			st->functions[i].program = p;
		}
	}
}

static void daemon_status(struct daemon *d, bool json, FILE *out)
{
	struct status st = { 0 };

	st.profile = daemon_profile_name(d);
	st.profile_path = d->profile ? d->profile->path : NULL;
	st.gadget = d->cfg.gadget;
	st.state = d->state_known ? daemon_state_name(d->state) : NULL;
	st.udc = udc_binding_bound(d->udc);
	st.udc_state = udc_binding_runs_us(d->udc)
			       ? udc_binding_fresh_state(d->udc)
			       : NULL;
	st.error = d->error ? d->error : d->notice;
	st.link_event = d->link_event;
	st.link_check = net_check_outcome(d->net_check);
	/* Host presence, as the last sync left it. */
	st.host = host_presence_attached(d->host) == HOST_UNKNOWN
			  ? STATUS_HOST_UNKNOWN
		  : host_presence_attached(d->host) == HOST_ATTACHED
			  ? STATUS_HOST_ATTACHED
			  : STATUS_HOST_NONE;
	st.host_source = host_presence_source(d->host);
	st.host_speed = host_presence_speed(d->host);
	st.fallback_chain = fallback_chain(d->fallback, &st.n_fallback_chain);
	st.fallback_reason = fallback_reason(d->fallback);
	if (d->built)
		status_read_gadget(&st, d->profile, d->gadget_dir,
				   STATUS_NET_DIR);
	/* status_read_gadget() lists the profile's functions in order. */
	for (size_t i = 0; d->profile && i < st.n_functions; i++) {
		const char *dhcp =
			net_dhcp_status(d->net, &d->profile->functions[i]);

		st.functions[i].dhcp = dhcp ? xstrdup(dhcp) : NULL;
	}
	daemon_status_programs(d, &st);
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
	const char *udc;

	d->admin_down = false;
	d->bind_refused = false;
	ffs_wait_again(d->ffs);
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
	udc = udc_binding_bound(d->udc);
	fprintf(out, "%s: %s%s%s\n", daemon_profile_name(d),
		daemon_state_name(d->state), udc ? " on " : "", udc ? udc : "");
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
	if (!udc_binding_bound(d->udc))
		return;
	r = udc_binding_soft_connect(d->udc, true);
	if (r < 0)
		log_warning("udc %s: replug: soft_connect connect: %s",
			    udc_binding_bound(d->udc), strerror(-r));
	else
		log_info("udc %s: replug: connected again",
			 udc_binding_bound(d->udc));
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
	const char *bound = udc_binding_bound(d->udc);
	char *udc;
	int r, soft = -EOPNOTSUPP;
	bool reenumerates;

	if (!d->built || !bound || d->admin_down) {
		fprintf(out, "replug: no gadget bound (state %s)\n",
			daemon_state_name(d->state));
		return CONTROL_FAILED;
	}
	if (d->replug_timer) {
		fprintf(out, "replug: %s is being replugged already\n", bound);
		return CONTROL_FAILED;
	}
	reenumerates = udc_soft_connect_reenumerates(bound);
	if (reenumerates)
		soft = udc_binding_soft_connect(d->udc, false);
	if (soft == 0) {
		r = event_loop_add_timer(
			d->loop, DAEMON_REPLUG_GAP_MS * 1000ULL, false,
			daemon_replug_connect, d, &d->replug_timer);
		if (r < 0) {
			d->replug_timer = NULL;
			udc_binding_soft_connect(d->udc, true);
			fprintf(out, "replug: timer: %s\n", strerror(-r));
			return CONTROL_FAILED;
		}
		log_info("udc %s: replug: disconnected", bound);
		fprintf(out, "%s: disconnected, connecting again in %d ms\n",
			bound, DAEMON_REPLUG_GAP_MS);
		return CONTROL_OK;
	}
	log_info("udc %s: replug: %s%s; unbinding and binding instead", bound,
		 reenumerates ? "soft_connect: "
			      : "its soft_connect does not re-enumerate",
		 reenumerates ? strerror(-soft) : "");
	udc = xstrdup(bound);
	if (daemon_unbind(d, "replug: ", out) < 0) {
		free(udc);
		return CONTROL_FAILED;
	}
	/* Not admin_down: the sync binds it again at once. */
	daemon_sync(d, "replug");
	if (!udc_binding_bound(d->udc) || d->bind_refused) {
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
	struct msd_target target = { .gadget_dir = d->gadget_dir };
	enum msd_outcome outcome;
	bool replug = false;

	if (!d->built || !d->profile) {
		fprintf(out, "%s: no gadget is built\n",
			control_verb_name(req->verb));
		return CONTROL_FAILED;
	}
	if (req->verb == CONTROL_MSD_INSERT) {
		struct msd_insert_request insert = {
			.function = req->function,
			.lun = req->lun,
			.file = req->file,
			.fd = peer->passed_fd,
			.ro = req->ro,
			.rw = req->rw,
			.cdrom = req->cdrom,
			.disk = req->disk,
		};

		outcome =
			msd_insert(&target, d->profile, &insert, &replug, out);
	} else {
		outcome = msd_eject(&target, d->profile, req->function,
				    req->lun, out);
	}
	if (outcome == MSD_BAD_REQUEST)
		return CONTROL_USAGE;
	if (outcome != MSD_DONE)
		return CONTROL_FAILED;
	/* A new type or a fixed disk's protection: the host sees it when it
	 * enumerates again (gadgetd(8), msd insert: eject, change, replug). */
	return replug ? daemon_replug(d, out) : CONTROL_OK;
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

void daemon_handle_request(const struct control_request *req,
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
		net_check_watch(d->net_check, daemon_configured(d));
		reply->status = CONTROL_OK;
		break;
	}
}
