/* SPDX-License-Identifier: MIT */
/*
 * Profile loading internals shared by the loaders and gadgetd.conf:
 * loading without validating, for callers that have something to do in
 * between (gadgetd.conf's [gadget] defaults are merged before validation),
 * and the value syntax both files share.
 */
#ifndef GADGETD_PROFILE_LOAD_H
#define GADGETD_PROFILE_LOAD_H

#include <stdbool.h>

#include "gadgetd/diag.h"
#include "gadgetd/profile.h"

/*
 * Load path by its extension (.ini or .cfg).  Problems go to diags.
 * Unlike profile_load_ini(), *out is set whenever a profile could be built
 * at all, errors or not, so that validation can still report what else is
 * wrong: all problems of a file in one run.  Returns 0 when the file
 * loaded without errors, else a negative errno.
 */
int profile_load_unvalidated(const char *path, struct profile **out,
			     struct diag_list *diags);

/* yes/no/true/false/on/off/1/0, any case. */
bool profile_parse_bool(const char *s, bool *out);

#endif
