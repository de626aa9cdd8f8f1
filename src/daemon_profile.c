/* SPDX-License-Identifier: MIT */
/*
 * The daemon's profile lifecycle (daemon_private.h): a profile is loaded,
 * validated and planned before configfs is touched, then applied all or
 * nothing; a switch or a reload that the kernel refuses applies the
 * previous profile again (docs/daemon.md, Applying, switching, rolling
 * back; Reload).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_private.h"
#include "endpoint_budget.h"
#include "fallback.h"
#include "log.h"
#include "msd_attach.h"
#include "util.h"

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
	msd_attach_set_plan(d->msd_attach, plan, d->gadget_dir);
	ffs_wait_again(d->ffs);
	/* FunctionFS is mounted: its programs write the descriptors the
	 * bind waits for. */
	supervisor_set(d->programs, plan);
	supervisor_start(d->programs, true, NULL);
	r = daemon_bind(d, plan, msg);
	if (r < 0) {
		struct apply_error rerr = { 0 };

		supervisor_set(d->programs, NULL);
		if (applier_remove(d->applier, plan, &rerr) < 0)
			log_error(
				"gadget %s: removing it after the refused bind failed: %s",
				d->cfg.gadget, rerr.message);
		daemon_gadget_gone(d);
		return r;
	}
	return 0;
}

void daemon_drop_profile(struct daemon *d)
{
	if (!d->profile)
		return;
	/* The links point into the profile, and so do the media. */
	net_stop(d->net);
	supervisor_set(d->programs, NULL);
	msd_attach_set_plan(d->msd_attach, NULL, NULL);
	fallback_applied(d->fallback, NULL, NULL);
	plan_free(&d->plan);
	memset(&d->plan, 0, sizeof(d->plan));
	profile_free(d->profile);
	d->profile = NULL;
}

/* Remove our gadget (whatever it holds).  0 or a negative errno. */
int daemon_remove(struct daemon *d, char **msg)
{
	struct apply_error err = { 0 };
	int r;

	/* DHCP servers, ifdown and link down before the netdevs go; the
	 * functions' programs before their functionfs is unmounted. */
	net_stop(d->net);
	supervisor_set(d->programs, NULL);
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
char *daemon_diags_summary(const struct diag_list *diags, const char *name,
			   int r)
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
		char *udc = udc_binding_expected(d->udc);

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
	const char *udc;
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
		fallback_applied(d->fallback, p, d->gadget_dir);
		if (old) {
			plan_free(&old_plan);
			profile_free(old);
		}
		daemon_set_text(&d->error, NULL);
		daemon_sync(d, event);
		log_info("gadget %s: profile %s applied", d->cfg.gadget,
			 p->name);
		udc = udc_binding_bound(d->udc);
		fprintf(out, "%s: %s%s%s\n", p->name,
			daemon_state_name(d->state), udc ? " on " : "",
			udc ? udc : "");
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
			fallback_applied(d->fallback, old, d->gadget_dir);
			daemon_sync(d, event);
			fprintf(out, "%s; previous profile %s %s again\n", msg,
				old->name,
				udc_binding_bound(d->udc)
					? "bound"
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

enum control_status daemon_switch(struct daemon *d, const char *name,
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

/* The functions' programs, which the plan's text shows only for
 * FunctionFS, the same in both. */
static bool daemon_programs_same(const struct profile *a,
				 const struct profile *b)
{
	if (a->n_functions != b->n_functions)
		return false;
	for (size_t i = 0; i < a->n_functions; i++) {
		const struct profile_program *x = &a->functions[i].program,
					     *y = &b->functions[i].program;

		if (!streq(x->text ? x->text : "", y->text ? y->text : "") ||
		    x->restart.line != y->restart.line ||
		    x->restart.value != y->restart.value)
			return false;
	}
	return true;
}

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
enum control_status daemon_reload(struct daemon *d, FILE *out)
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
	udc_binding_set_wanted(d->udc, daemon_udc_wanted(d));
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
	same = old_text && new_text && streq(old_text, new_text) &&
	       daemon_programs_same(d->profile, p);
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

/* The first apply: the configured profile, after cleaning a leftover. */
void daemon_start_gadget(struct daemon *d)
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
