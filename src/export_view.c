/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export_view.h"
#include "util.h"

/* Symlink view/rel to real/rel, by the real path (configfs's own links
 * are relative and would point nowhere from the view). */
static int view_link(const char *real, const char *view)
{
	char *target = realpath(real, NULL);
	int r = 0;

	if (!target)
		return -errno;
	if (symlink(target, view) < 0)
		r = -errno;
	free(target);
	return r;
}

static bool view_is_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool view_hidden(const struct export_view *v, const char *name)
{
	for (size_t i = 0; i < v->n_hidden; i++)
		if (streq(v->hidden[i], name))
			return true;
	return false;
}

/* A copy of the file or directory tree real at view: a configuration's
 * attributes and strings, where libusbgx takes every symlink for a
 * function's link. */
static int view_copy(const char *real, const char *view)
{
	struct dirent *e;
	DIR *d;
	int r;

	if (!view_is_dir(real)) {
		/* An attribute: a page at most. */
		char buf[4096];
		ssize_t n;
		int in = open(real, O_RDONLY | O_CLOEXEC), out;

		if (in < 0)
			return -errno;
		n = read(in, buf, sizeof(buf));
		r = n < 0 ? -errno : 0;
		close(in);
		if (r < 0)
			return r;
		out = open(view, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (out < 0)
			return -errno;
		if (write(out, buf, (size_t)n) != n)
			r = -EIO;
		if (close(out) < 0 && r == 0)
			r = -errno;
		return r;
	}
	if (mkdir(view, 0700) < 0)
		return -errno;
	d = opendir(real);
	if (!d)
		return -errno;
	r = 0;
	while (r == 0 && (e = readdir(d))) {
		char *from, *to;

		if (streq(e->d_name, ".") || streq(e->d_name, ".."))
			continue;
		from = xasprintf("%s/%s", real, e->d_name);
		to = xasprintf("%s/%s", view, e->d_name);
		r = view_copy(from, to);
		free(from);
		free(to);
	}
	closedir(d);
	return r;
}

/*
 * Each entry of real/ as a symlink in view/ (a copy when `copy`), except the subdirectories
 * `rebuild` names, which are made as directories for the caller to
 * fill, and links to a hidden function, which are left out.
 */
static int view_mirror(struct export_view *v, const char *real,
		       const char *view, const char *const *rebuild, bool copy)
{
	struct dirent *e;
	DIR *d = opendir(real);
	int r = 0;

	if (!d)
		return -errno;
	while (r == 0 && (e = readdir(d))) {
		char *from, *to, target[PATH_MAX];
		bool dir = false;
		ssize_t len;

		if (streq(e->d_name, ".") || streq(e->d_name, ".."))
			continue;
		for (const char *const *x = rebuild; x && *x; x++)
			dir = dir || streq(*x, e->d_name);
		from = xasprintf("%s/%s", real, e->d_name);
		to = xasprintf("%s/%s", view, e->d_name);
		len = readlink(from, target, sizeof(target) - 1);
		if (len >= 0) {
			const char *base;

			target[len] = '\0';
			base = strrchr(target, '/');
			if (view_hidden(v, base ? base + 1 : target)) {
				free(from);
				free(to);
				continue;
			}
		}
		if (dir && view_is_dir(from))
			r = mkdir(to, 0700) < 0 ? -errno : 0;
		else if (copy && len < 0)
			r = view_copy(from, to);
		else
			r = view_link(from, to);
		free(from);
		free(to);
	}
	closedir(d);
	return r;
}

int export_view_new(const char *gadget_dir, const char *name,
		    int (*hide)(const char *function), struct export_view *v)
{
	static const char *const gadget_rebuilt[] = { "functions", "configs",
						      NULL };
	const char *tmp = getenv("TMPDIR");
	char *gadgets = NULL, *view = NULL, *real = NULL, *sub = NULL;
	struct dirent *e;
	DIR *d;
	int r;

	memset(v, 0, sizeof(*v));
	v->root = xasprintf("%s/gadgetd-export-XXXXXX",
			    tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(v->root)) {
		r = -errno;
		free(v->root);
		v->root = NULL;
		return r;
	}
	gadgets = xasprintf("%s/usb_gadget", v->root);
	view = xasprintf("%s/%s", gadgets, name);
	if (mkdir(gadgets, 0700) < 0 || mkdir(view, 0700) < 0) {
		r = -errno;
		goto out;
	}

	/* The functions first: the configurations' links to hidden ones
	 * are left out below. */
	real = xasprintf("%s/functions", gadget_dir);
	d = opendir(real);
	if (!d) {
		r = -errno;
		goto out;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] != '.' && hide(e->d_name)) {
			v->hidden = xreallocarray(v->hidden, v->n_hidden + 1,
						  sizeof(*v->hidden));
			v->hidden[v->n_hidden++] = xstrdup(e->d_name);
		}
	}
	closedir(d);

	r = view_mirror(v, gadget_dir, view, gadget_rebuilt, false);
	if (r == 0) {
		sub = xasprintf("%s/functions", view);
		d = opendir(real);
		r = d ? 0 : -errno;
		while (d && r == 0 && (e = readdir(d))) {
			char *from, *to;

			if (e->d_name[0] == '.' || view_hidden(v, e->d_name))
				continue;
			from = xasprintf("%s/%s", real, e->d_name);
			to = xasprintf("%s/%s", sub, e->d_name);
			r = view_link(from, to);
			free(from);
			free(to);
		}
		if (d)
			closedir(d);
		free(sub);
		sub = NULL;
	}
	free(real);
	real = xasprintf("%s/configs", gadget_dir);
	d = r == 0 ? opendir(real) : NULL;
	while (d && r == 0 && (e = readdir(d))) {
		char *from, *to;

		if (e->d_name[0] == '.')
			continue;
		from = xasprintf("%s/%s", real, e->d_name);
		to = xasprintf("%s/configs/%s", view, e->d_name);
		r = mkdir(to, 0700) < 0 ? -errno : 0;
		if (r == 0)
			r = view_mirror(v, from, to, NULL, true);
		free(from);
		free(to);
	}
	if (d)
		closedir(d);
out:
	free(gadgets);
	free(view);
	free(real);
	free(sub);
	if (r < 0)
		export_view_free(v);
	return r;
}

static int view_remove_one(const char *path, const struct stat *st, int flag,
			   struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	/* Symlinks and the view's own directories: nothing of configfs. */
	(void)remove(path);
	return 0;
}

void export_view_free(struct export_view *v)
{
	if (v->root)
		(void)nftw(v->root, view_remove_one, 8, FTW_DEPTH | FTW_PHYS);
	for (size_t i = 0; i < v->n_hidden; i++)
		free(v->hidden[i]);
	free(v->hidden);
	free(v->root);
	memset(v, 0, sizeof(*v));
}
