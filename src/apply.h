/* SPDX-License-Identifier: MIT */
/*
 * Applying a plan to configfs through libusbgx, all-or-nothing, and
 * removing the one gadget gadgetd owns.  Nothing here knows about the
 * daemon's states; the daemon decides when to build (daemon_profile.c),
 * bind (daemon.c) and tear down.
 */
#ifndef GADGETD_APPLY_H
#define GADGETD_APPLY_H

#include <stdbool.h>

#include "plan.h"

/* What the kernel refused, for the one-line error and status's `error`. */
struct apply_error {
	int err; /* negative errno */
	char path[512]; /* configfs path that was refused (absolute) */
	char message
		[768]; /* "mkdir .../functions/rndis.usb0: No such device" */
};

struct applier;

/* Opens libusbgx on configfs (default /sys/kernel/config).  gadget_name is
 * the only directory under usb_gadget/ this applier ever touches. */
int applier_new(const char *configfs, const char *gadget_name,
		struct applier **out);
void applier_free(struct applier *a);

/* libusbgx reads the UDC list once in usbg_init(); call this when UDCs
 * come and go so that its view matches /sys/class/udc again. */
int applier_refresh(struct applier *a);

/* True when usb_gadget/<gadget_name> exists (a leftover or our own). */
bool applier_gadget_exists(struct applier *a);

/*
 * Build the gadget from plan: every op before plan_deferred_start(plan);
 * the caller carries out the rest (the FunctionFS wait, the bind).  On a refusal the executed
 * prefix is undone in reverse, err says what failed, and the gadget
 * directory does not exist afterwards.
 */
int applier_build(struct applier *a, const struct plan *plan,
		  struct apply_error *err);

/*
 * Bind the built gadget to udc.  When the kernel already bound it (a
 * pending gadget whose UDC came back) the write fails with EBUSY; that
 * counts as success if reading UDC back gives udc.
 */
int applier_bind(struct applier *a, const char *udc, struct apply_error *err);
int applier_unbind(struct applier *a, struct apply_error *err);

/* The UDC name our gadget's UDC attribute holds, or NULL (unbound). */
int applier_bound_udc(struct applier *a, char **udc);

/*
 * Remove usb_gadget/<gadget_name> entirely in the kernel's reverse order
 * (unbind, os_desc link, config links, config strings, configs, functions,
 * gadget strings, gadget), whatever state it is in: our own teardown and
 * the cleanup of a gadget left by a killed daemon.  Unmounts FunctionFS
 * mounts the plan made when plan is not NULL.
 */
int applier_remove(struct applier *a, const struct plan *plan,
		   struct apply_error *err);

#endif
