/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile_catalog.h"
#include "util.h"

/* In lookup order within one directory. */
static const struct {
	const char *suffix;
	enum profile_format format;
} profile_suffixes[] = {
	{ ".ini", PROFILE_FORMAT_INI },
	{ ".cfg", PROFILE_FORMAT_LIBCONFIG },
	{ ".scheme", PROFILE_FORMAT_LIBCONFIG },
};

/* The length of s's profile suffix, 0 when it has none. */
static size_t profile_catalog_suffix_len(const char *s,
					 enum profile_format *format)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < ARRAY_SIZE(profile_suffixes); i++) {
		size_t m = strlen(profile_suffixes[i].suffix);

		if (n > m && streq(s + n - m, profile_suffixes[i].suffix)) {
			if (format)
				*format = profile_suffixes[i].format;
			return m;
		}
	}
	return 0;
}

enum profile_format profile_catalog_format(const char *path)
{
	enum profile_format format = PROFILE_FORMAT_UNKNOWN;

	profile_catalog_suffix_len(path, &format);
	return format;
}

char *profile_catalog_name(const char *file_name)
{
	size_t m = profile_catalog_suffix_len(file_name, NULL);

	if (file_name[0] == '.' || m == 0)
		return NULL;
	return xstrndup(file_name, strlen(file_name) - m);
}

bool profile_catalog_is_path(const char *profile)
{
	return strchr(profile, '/') != NULL;
}

int profile_catalog_find(char *const *dirs, const char *name, char **path)
{
	bool has_suffix = profile_catalog_suffix_len(name, NULL) > 0;

	*path = NULL;
	if (profile_catalog_is_path(name)) {
		*path = xstrdup(name);
		return 0;
	}
	if (!*name)
		return -ENOENT;
	for (char *const *dir = dirs; dir && *dir; dir++) {
		for (size_t i = 0; i < ARRAY_SIZE(profile_suffixes); i++) {
			char *candidate = xasprintf(
				"%s/%s%s", *dir, name,
				has_suffix ? "" : profile_suffixes[i].suffix);

			if (access(candidate, F_OK) == 0) {
				*path = candidate;
				return 0;
			}
			free(candidate);
			if (has_suffix)
				break;
		}
	}
	return -ENOENT;
}

static int profile_catalog_compare(const void *a, const void *b)
{
	return strcmp(((const struct profile_catalog_entry *)a)->name,
		      ((const struct profile_catalog_entry *)b)->name);
}

static bool profile_catalog_has(const struct profile_catalog_entry *entries,
				size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (streq(entries[i].name, name))
			return true;
	return false;
}

void profile_catalog_list(char *const *dirs,
			  struct profile_catalog_entry **entries, size_t *n)
{
	*entries = NULL;
	*n = 0;
	for (char *const *dir = dirs; dir && *dir; dir++) {
		struct dirent *e;
		DIR *d = opendir(*dir);

		/* The second default directory rarely exists. */
		if (!d)
			continue;
		while ((e = readdir(d))) {
			char *name = profile_catalog_name(e->d_name), *path;

			if (!name || profile_catalog_has(*entries, *n, name) ||
			    profile_catalog_find(dirs, name, &path) < 0) {
				free(name);
				continue;
			}
			*entries = xreallocarray(*entries, *n + 1,
						 sizeof(**entries));
			(*entries)[*n].name = name;
			(*entries)[*n].path = path;
			(*n)++;
		}
		closedir(d);
	}
	if (*n > 1)
		qsort(*entries, *n, sizeof(**entries), profile_catalog_compare);
}

void profile_catalog_entries_free(struct profile_catalog_entry *entries,
				  size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(entries[i].name);
		free(entries[i].path);
	}
	free(entries);
}
