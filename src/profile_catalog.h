/* SPDX-License-Identifier: MIT */
/*
 * The profile catalog: which files are profiles, in which format, what a
 * profile's name is, and how a PROFILE argument (a name or a path) finds
 * its file in profile_dirs.  Every verb that lists or finds profiles
 * (check, plan, list, switch, the daemon's start) asks here, so that the
 * suffixes and the lookup order live in one place.
 *
 * Suffixes: .ini (INI), .cfg and .scheme (libconfig, libusbgx's gadget
 * scheme; .scheme is what gt names them).  A name is the file name without
 * its suffix; the first profile dir that has a file of that name wins, and
 * within one dir .ini before .cfg before .scheme.
 */
#ifndef GADGETD_PROFILE_CATALOG_H
#define GADGETD_PROFILE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

enum profile_format {
	PROFILE_FORMAT_UNKNOWN,
	PROFILE_FORMAT_INI,
	PROFILE_FORMAT_LIBCONFIG,
};

/* By the file's suffix. */
enum profile_format profile_catalog_format(const char *path);

/*
 * A profile's name from its file name (no directory): the name without
 * its suffix, allocated; NULL for a file that is no profile (hidden, no
 * known suffix, nothing before the suffix).
 */
char *profile_catalog_name(const char *file_name);

/*
 * A PROFILE argument with a '/' is a path to a profile file; anything
 * else is a name, looked up only in the profile dirs (a non-root client
 * may name only those: gadgetd.conf(5), socket_group).
 */
bool profile_catalog_is_path(const char *profile);

/*
 * Resolve a PROFILE argument: a path is used as is; a name is looked up in
 * each of dirs (NULL-terminated) in turn, with each suffix (a name that
 * carries its suffix, "ecm-only.ini", as that file only).  Returns 0 with
 * *path allocated, or -ENOENT.
 */
int profile_catalog_find(char *const *dirs, const char *name, char **path);

struct profile_catalog_entry {
	char *name;
	char *path; /* where profile_catalog_find() finds the name */
};

/*
 * Every profile name in dirs, once, sorted by name, with the file that
 * name finds (the first dir's).  A dir that cannot be read is skipped.
 * Free with profile_catalog_entries_free().
 */
void profile_catalog_list(char *const *dirs,
			  struct profile_catalog_entry **entries, size_t *n);
void profile_catalog_entries_free(struct profile_catalog_entry *entries,
				  size_t n);

#endif
