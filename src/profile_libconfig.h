/* SPDX-License-Identifier: MIT */
/* The libconfig (gadget-scheme) loader beyond profile.h's API. */
#ifndef GADGETD_PROFILE_LIBCONFIG_H
#define GADGETD_PROFILE_LIBCONFIG_H

#include "gadgetd/diag.h"
#include "gadgetd/profile.h"

/*
 * Like profile_load_libconfig(), but *out is set whenever the file parsed
 * as libconfig, errors in the scheme or not, so that validation can report
 * every other problem in the same run (as profile_load_unvalidated() does
 * for INI).  Returns 0 when there was no error, else a negative errno.
 */
int profile_libconfig_parse(const char *path, struct profile **out,
			    struct diag_list *diags);

#endif
