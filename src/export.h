/* SPDX-License-Identifier: MIT */
/*
 * Reading a live configfs gadget, made by gadgetd or by any script, back
 * into a profile: what `gadgetd export` prints.
 */
#ifndef GADGETD_EXPORT_H
#define GADGETD_EXPORT_H

#include "gadgetd/diag.h"
#include "gadgetd/profile.h"

struct export_options {
	const char *configfs; /* NULL: /sys/kernel/config */
	/* Where FunctionFS mount points are found; NULL: /proc/self/mounts */
	const char *mounts;
};

/*
 * The gadget to export: `requested` when given (it must exist), else
 * `default_name` when it exists, else the only gadget there is.  With
 * none or several to choose from, the error in diags names them.
 * Returns 0 with *chosen allocated, or a negative errno.
 */
int export_choose_gadget(const char *configfs, const char *requested,
			 const char *default_name, char **chosen,
			 struct diag_list *diags);

/*
 * Read usb_gadget/<gadget> into a validated profile.  Values gadgetd
 * cannot express are errors in diags that name the configfs attribute.
 * Network addresses, link policies and other settings configfs does not
 * hold are left out.
 */
int export_gadget(const struct export_options *opts, const char *gadget,
		  struct profile **out, struct diag_list *diags);

#endif
