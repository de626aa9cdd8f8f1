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
#include <stddef.h>

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

/* Profiles larger than this are refused: a profile is a few kB. */
#define PROFILE_FILE_MAX ((size_t)1024 * 1024)

/*
 * Read a profile file (INI or libconfig) as read_regular_file() does: a
 * regular file only, without blocking, at most PROFILE_FILE_MAX bytes.
 * Problems go to diags as "path: message".  Returns 0 or a negative errno.
 */
int profile_read_file(const char *path, char **data, size_t *len,
		      struct diag_list *diags);

/*
 * Whether loading stopped at a cap (PROFILE_MAX_SECTIONS and the like):
 * the rest of the file was not looked at, so validation, which would
 * only report what is missing because of that, is skipped.
 */
bool profile_load_cut_short(const struct profile *p);

/*
 * The first control character of s (a byte below 0x20, or 0x7f; a tab
 * only when !allow_tab), or 0.  Profile strings and paths must have
 * none (gadgetd.profile(5), INI SYNTAX): they would reach configfs or a terminal.
 */
int profile_control_char(const char *s, bool allow_tab);

/* yes/no/true/false/on/off/1/0, any case. */
bool profile_parse_bool(const char *s, bool *out);

#endif
