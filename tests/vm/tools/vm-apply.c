/* SPDX-License-Identifier: MIT */
/*
 * vm-apply: apply.c on the guest's real configfs, without the daemon:
 * build a profile's gadget, bind, unbind, remove, as the daemon does it.
 *
 *   vm-apply build PROFILE         load (gadgetd.conf's way), plan, build
 *   vm-apply up PROFILE UDC        build, then bind
 *   vm-apply bind UDC
 *   vm-apply unbind
 *   vm-apply bound                 the UDC our gadget is bound to, or nothing
 *   vm-apply remove [PROFILE]      remove the gadget (with the plan's mounts)
 *   vm-apply refresh N             N applier_refresh() calls; prints the
 *                                  mean time in microseconds
 *
 * The gadget is gadgetd.conf's (-c FILE, default the installed one).  A
 * refusal prints apply's one-line error on stderr and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apply.h"
#include "config.h"
#include "plan.h"
#include "util.h"

static int vm_apply_plan(const struct gadgetd_config *cfg, const char *name,
			 struct profile **p, struct plan *plan)
{
	struct plan_env env = { .gadget_name = cfg->gadget };
	struct diag_list diags;
	int r;

	diag_init(&diags);
	r = config_load_profile(cfg, name, p, &diags);
	if (r == 0)
		r = plan_build(*p, &env, plan, &diags);
	diag_print(&diags, stderr);
	diag_clear(&diags);
	return r;
}

static int vm_apply_fail(const char *verb, int r, const struct apply_error *err)
{
	fprintf(stderr, "vm-apply %s: %s\n", verb,
		err->message[0] ? err->message : strerror(-r));
	return 1;
}

int main(int argc, char **argv)
{
	const char *conf = CONFIG_DEFAULT_PATH;
	struct gadgetd_config cfg;
	struct apply_error err = { 0 };
	struct applier *a = NULL;
	struct diag_list diags;
	struct profile *p = NULL;
	struct plan plan = { 0 };
	bool planned = false;
	const char *verb;
	char *udc = NULL;
	int r, status = 1;

	if (argc > 2 && streq(argv[1], "-c")) {
		conf = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr,
			"usage: vm-apply [-c FILE] build|up|bind|unbind|"
			"bound|remove|refresh ...\n");
		return 2;
	}
	verb = argv[1];
	diag_init(&diags);
	config_init_defaults(&cfg);
	if (config_load(conf, false, &cfg, &diags) < 0) {
		diag_print(&diags, stderr);
		goto out;
	}
	r = applier_new(NULL, cfg.gadget, &a);
	if (r < 0) {
		fprintf(stderr, "vm-apply: applier_new: %s\n", strerror(-r));
		goto out;
	}

	if ((streq(verb, "build") || streq(verb, "up") ||
	     (streq(verb, "remove") && argc > 2)) &&
	    argc > 2) {
		if (vm_apply_plan(&cfg, argv[2], &p, &plan) < 0)
			goto out;
		planned = true;
	}

	if (streq(verb, "build") && planned) {
		r = applier_build(a, &plan, &err);
		status = r < 0 ? vm_apply_fail(verb, r, &err) : 0;
	} else if (streq(verb, "up") && planned && argc > 3) {
		r = applier_build(a, &plan, &err);
		if (r == 0)
			r = applier_bind(a, argv[3], &err);
		status = r < 0 ? vm_apply_fail(verb, r, &err) : 0;
	} else if (streq(verb, "bind") && argc > 2) {
		r = applier_bind(a, argv[2], &err);
		status = r < 0 ? vm_apply_fail(verb, r, &err) : 0;
	} else if (streq(verb, "unbind")) {
		r = applier_unbind(a, &err);
		status = r < 0 ? vm_apply_fail(verb, r, &err) : 0;
	} else if (streq(verb, "bound")) {
		r = applier_bound_udc(a, &udc);
		if (r == 0 && udc)
			printf("%s\n", udc);
		status = r < 0 ? vm_apply_fail(verb, r, &err) : 0;
	} else if (streq(verb, "remove")) {
		r = applier_remove(a, planned ? &plan : NULL, &err);
		status = r < 0 ? vm_apply_fail(verb, r, &err) : 0;
	} else if (streq(verb, "refresh") && argc > 2) {
		long n = strtol(argv[2], NULL, 10);
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++)
			if (applier_refresh(a) < 0)
				goto out;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("%ld\n", n > 0 ? ((t1.tv_sec - t0.tv_sec) * 1000000L +
					 (t1.tv_nsec - t0.tv_nsec) / 1000) /
						n
				      : 0);
		status = 0;
	} else {
		fprintf(stderr, "vm-apply: bad arguments for %s\n", verb);
		status = 2;
	}
out:
	free(udc);
	if (planned)
		plan_free(&plan);
	profile_free(p);
	applier_free(a);
	config_free(&cfg);
	diag_clear(&diags);
	return status;
}
