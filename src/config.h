/* SPDX-License-Identifier: MIT */
/*
 * The main config, gadgetd.conf: [daemon] settings and [gadget] defaults
 * merged under every profile.
 */
#ifndef GADGETD_CONFIG_H
#define GADGETD_CONFIG_H

#include <stdbool.h>

#include "gadgetd/diag.h"
#include "gadgetd/profile.h"

#define CONFIG_DEFAULT_PATH "/etc/gadgetd/gadgetd.conf"
#define CONFIG_DEFAULT_SOCKET "/run/gadgetd/gadgetd.sock"
#define CONFIG_DEFAULT_CONFIGFS "/sys/kernel/config"

struct gadgetd_config {
	char *path; /* file it came from, NULL for built-in defaults */
	char *profile; /* profile applied at start ("ecm-only") */
	char *udc; /* UDC name or "auto" */
	char *gadget; /* configfs directory name ("gadgetd") */
	char **profile_dirs; /* NULL-terminated, first match wins */
	char *socket;
	char *socket_group; /* NULL or "" = root only */
	char *hooks_dir;
	bool keep_on_exit;
	struct profile_gadget gadget_defaults; /* [gadget] */
};

/* Built-in defaults (gadgetd.conf(5)), no file read. */
void config_init_defaults(struct gadgetd_config *cfg);
/*
 * Read path over the defaults.  A missing file at the default path is not
 * an error (built-in defaults apply); a missing file named with -c is.
 */
int config_load(const char *path, bool must_exist, struct gadgetd_config *cfg,
		struct diag_list *diags);
void config_free(struct gadgetd_config *cfg);

/*
 * Find name (profile_catalog_find() in profile_dirs), load it, merge the
 * [gadget] defaults, validate.  The one way every verb loads a profile.
 */
int config_load_profile(const struct gadgetd_config *cfg, const char *name,
			struct profile **out, struct diag_list *diags);

#endif
