/* SPDX-License-Identifier: MIT */
/*
 * Applying a plan to configfs, all or nothing, and removing our gadget.
 *
 * Each op is carried out as its steps (plan_op_steps()) with plain
 * syscalls: mkdir, one write() per attribute, symlink, mount.  What apply
 * does is therefore exactly what `gadgetd plan` prints, and a refusal
 * names the kernel's own errno and the path of the step it refused.
 * Undoing (rollback, removal) runs steps backwards, also with plain
 * syscalls, in the kernel's reverse order.
 *
 * Ops used to be libusbgx calls (one call per op).  What libusbgx 0.2.0
 * cost, and why the steps are carried out directly instead:
 *
 *  1. usbg_init() parses every gadget under usb_gadget/ and fails as a
 *     whole (USBG_ERROR_NOT_SUPPORTED) when any of them has a function type
 *     it does not know (uvc, printer, uac1, ...), so it had to be opened on
 *     a private view: a temporary directory holding only a symlink to our
 *     gadget.
 *  2. It reads the tree, the UDC list included, only in usbg_init(): the
 *     view had to be re-read (usbg_cleanup() + usbg_init(), about 35
 *     syscalls) after making the gadget directory, after every rollback and
 *     whenever a UDC came or went, and each usbg_init() leaked its config
 *     labels.
 *  3. It loses errno (anything but ENOMEM EACCES EPERM EROFS ENOENT ENOTDIR
 *     EINVAL EIO EEXIST ENODEV EBUSY becomes USBG_ERROR_OTHER_ERROR; EPERM
 *     and EROFS read back as EACCES) and does not say which step of a call
 *     failed: every refusal was replayed with plain syscalls to report it.
 *  4. Its calls cost about twice the syscalls of the steps (fopen(3)'s
 *     fstat, a directory check before every string).  In the bench's VM
 *     (bench/README.md, qemu TCG) building the bench gadget took 6-7 ms
 *     through libusbgx plus 1 ms for the re-read, 3.5 ms as plain steps.
 *  5. Its typed structs do not cover what profiles set: no inquiry_string
 *     in usbg_f_ms_lun_attrs, a uint8_t bMaxPower (500 mA does not fit),
 *     an usbg_f_ms_attrs setter that removes lun.0; and the
 *     usbg_f_*_set_attr_val() functions changed from value to pointer
 *     between 0.2.0 and 0.3.0.
 *
 * libusbgx stays what `gadgetd export` reads a live gadget with (export.c)
 * and what defines the gadget-scheme syntax (profile_libconfig.c).
 *
 * Nothing of configfs is cached here: every call reads what it needs, so
 * UDCs and gadgets coming and going never leave a stale view.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "log.h"
#include "util.h"

struct applier {
	char *configfs;
	char *gadget_name;
	char *gadget_dir; /* CONFIGFS/usb_gadget/NAME */
};

/* ---- errors ---- */

static void apply_error_set(struct apply_error *err, int r, const char *verb,
			    const char *path)
{
	if (!err)
		return;
	err->err = r;
	snprintf(err->path, sizeof(err->path), "%s", path);
	snprintf(err->message, sizeof(err->message), "%s %s: %s", verb, path,
		 strerror(-r));
}

static char *apply_path(const struct applier *a, const char *rel)
{
	if (!rel || !*rel || streq(rel, "."))
		return xstrdup(a->gadget_dir);
	return xasprintf("%s/%s", a->gadget_dir, rel);
}

/* ---- the applier ---- */

bool applier_gadget_exists(struct applier *a)
{
	struct stat st;

	return stat(a->gadget_dir, &st) == 0 && S_ISDIR(st.st_mode);
}

int applier_refresh(struct applier *a)
{
	/* Nothing cached (see the top of this file). */
	(void)a;
	return 0;
}

int applier_new(const char *configfs, const char *gadget_name,
		struct applier **out)
{
	struct applier *a = xcalloc(1, sizeof(*a));

	a->configfs = xstrdup(configfs ? configfs : "/sys/kernel/config");
	a->gadget_name = xstrdup(gadget_name);
	a->gadget_dir = xasprintf("%s/usb_gadget/%s", a->configfs, gadget_name);
	*out = a;
	return 0;
}

void applier_free(struct applier *a)
{
	if (!a)
		return;
	free(a->configfs);
	free(a->gadget_name);
	free(a->gadget_dir);
	free(a);
}

/* ---- steps ---- */

static int apply_mkdir_p(const char *path)
{
	char *buf = xstrdup(path);
	int r = 0;

	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
			r = -errno;
			goto out;
		}
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		r = -errno;
out:
	free(buf);
	return r;
}

/* One write(): a configfs or sysfs store gets the whole value at once,
 * and replaces the old one (no O_TRUNC, which would only add a setattr
 * call in the kernel). */
static int apply_write(const char *path, const void *value, size_t len)
{
	ssize_t n;
	int fd, r = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

/*
 * Carry out one step; on failure *verb and *path say what was refused
 * (path allocated either way).
 */
static int apply_step(const struct applier *a, const struct plan_step *st,
		      const char **verb, char **path)
{
	char *target;
	int r = 0;

	*path = st->kind == PLAN_STEP_MOUNT ? xstrdup(st->path)
					    : apply_path(a, st->path);
	switch (st->kind) {
	case PLAN_STEP_MKDIR:
		*verb = "mkdir";
		if (mkdir(*path, 0755) < 0)
			r = -errno;
		break;
	case PLAN_STEP_WRITE:
		*verb = "write";
		r = apply_write(*path, st->value, st->value_len);
		break;
	case PLAN_STEP_SYMLINK:
		*verb = "symlink";
		target = apply_path(a, st->value);
		if (symlink(target, *path) < 0)
			r = -errno;
		free(target);
		break;
	case PLAN_STEP_MOUNT:
		*verb = "mount functionfs on";
		r = apply_mkdir_p(*path);
		if (r == 0 &&
		    mount(st->value, *path, "functionfs", 0, NULL) < 0)
			r = -errno;
		break;
	case PLAN_STEP_WAIT:
	case PLAN_STEP_BIND:
		*verb = "skip";
		break;
	}
	return r;
}

static int apply_umount(const char *path)
{
	if (umount2(path, 0) == 0)
		return 0;
	/* A FunctionFS daemon still holds its endpoints: detach, so that
	 * the function can go; the daemon sees its files fail. */
	if (errno == EBUSY && umount2(path, MNT_DETACH) == 0)
		return 0;
	/* EINVAL: not mounted (any more). */
	return errno == EINVAL || errno == ENOENT ? 0 : -errno;
}

/* Undo one step; what is already gone counts as undone. */
static int apply_undo_step(const struct applier *a, const struct plan_step *st,
			   struct apply_error *err)
{
	const char *verb = NULL;
	char *path = st->kind == PLAN_STEP_MOUNT ? xstrdup(st->path)
						 : apply_path(a, st->path);
	int r = 0;

	switch (st->kind) {
	case PLAN_STEP_MKDIR:
		verb = "rmdir";
		if (rmdir(path) < 0 && errno != ENOENT)
			r = -errno;
		break;
	case PLAN_STEP_SYMLINK:
		verb = "unlink";
		if (unlink(path) < 0 && errno != ENOENT)
			r = -errno;
		break;
	case PLAN_STEP_MOUNT:
		verb = "umount";
		r = apply_umount(path);
		break;
	case PLAN_STEP_BIND:
		verb = "write '' to";
		r = apply_write(path, "\n", 1);
		if (r == -ENODEV || r == -ENOENT)
			r = 0;
		break;
	case PLAN_STEP_WRITE:
	case PLAN_STEP_WAIT:
		break;
	}
	if (r < 0) {
		log_warning("gadget %s: %s %s: %s", a->gadget_name, verb, path,
			    strerror(-r));
		if (err && err->err == 0)
			apply_error_set(err, r, verb, path);
	}
	free(path);
	return r;
}

/* Undo the first n steps, last first. */
static void apply_undo_steps(const struct applier *a,
			     const struct plan_steps *steps, size_t n)
{
	while (n-- > 0)
		apply_undo_step(a, &steps->items[n], NULL);
}

static void apply_undo_op(const struct applier *a, const struct plan *plan,
			  const struct plan_op *op)
{
	struct plan_steps steps;

	plan_op_steps(plan, op, &steps);
	apply_undo_steps(a, &steps, steps.n);
	plan_steps_free(&steps);
}

/* ---- building ---- */

/*
 * Carry out one op.  On a refusal err says what and why, the op's own
 * executed steps are undone, and *foreign says that the op's first
 * directory was there before (a gadget of that name: not ours to undo).
 */
static int apply_op(struct applier *a, const struct plan *plan,
		    const struct plan_op *op, struct apply_error *err,
		    bool *foreign)
{
	struct plan_steps steps;
	int r = 0;

	*foreign = false;
	plan_op_steps(plan, op, &steps);
	for (size_t i = 0; i < steps.n; i++) {
		const char *verb;
		char *path;

		r = apply_step(a, &steps.items[i], &verb, &path);
		if (r < 0) {
			apply_error_set(err, r, verb, path);
			*foreign = i == 0 && r == -EEXIST &&
				   op->kind == PLAN_GADGET_CREATE;
			apply_undo_steps(a, &steps, i);
		}
		free(path);
		if (r < 0)
			break;
	}
	plan_steps_free(&steps);
	return r;
}

int applier_build(struct applier *a, const struct plan *plan,
		  struct apply_error *err)
{
	struct apply_error scratch = { 0 };
	bool foreign = false;
	size_t done;
	int r = 0;

	if (!err)
		err = &scratch;
	memset(err, 0, sizeof(*err));
	for (done = 0; done < plan->n_ops; done++) {
		const struct plan_op *op = &plan->ops[done];

		if (op->kind == PLAN_FFS_WAIT || op->kind == PLAN_UDC_BIND)
			continue;
		r = apply_op(a, plan, op, err, &foreign);
		if (r < 0) {
			log_error("gadget %s: %s", a->gadget_name,
				  err->message);
			break;
		}
	}
	if (done == plan->n_ops)
		return 0;

	/* All or nothing: undo the executed prefix, last op first. */
	while (done-- > 0) {
		const struct plan_op *op = &plan->ops[done];

		if (op->kind != PLAN_FFS_WAIT && op->kind != PLAN_UDC_BIND)
			apply_undo_op(a, plan, op);
	}
	if (!foreign && applier_gadget_exists(a)) {
		struct apply_error rerr = { 0 };

		log_warning("gadget %s: rollback left it behind; removing it",
			    a->gadget_name);
		applier_remove(a, plan, &rerr);
	}
	return r;
}

/* ---- binding ---- */

int applier_bound_udc(struct applier *a, char **udc)
{
	char *path = apply_path(a, "UDC");
	char *text = NULL;
	int r;

	*udc = NULL;
	r = read_file_string(path, &text);
	free(path);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (*str_strip(text))
		*udc = xstrdup(str_strip(text));
	free(text);
	return 0;
}

int applier_bind(struct applier *a, const char *udc, struct apply_error *err)
{
	char *path = apply_path(a, "UDC");
	char *bound = NULL, *verb;
	int r;

	r = apply_write(path, udc, strlen(udc));
	if (r == -EBUSY && applier_bound_udc(a, &bound) == 0 &&
	    streq(bound, udc)) {
		/* The kernel bound the pending gadget itself when the UDC
		 * came back (KERNEL-NOTES). */
		log_debug("gadget %s: already bound to %s", a->gadget_name,
			  udc);
		r = 0;
	}
	if (r < 0) {
		verb = xasprintf("write %s to", udc);
		apply_error_set(err, r, verb, path);
		/* The daemon writes UDC only once no other gadget holds it
		 * and the kernel can take it (udc.c): EBUSY is then a
		 * function's bind() refusing, which the UDC core reports as
		 * "couldn't find an available UDC or it's busy" (uac2 on
		 * dummy_hcd: no endpoint for it). */
		if (r == -EBUSY && err)
			snprintf(
				err->message, sizeof(err->message),
				"%s %s: %s: a function refused to bind: see the kernel log",
				verb, path, strerror(-r));
		free(verb);
	}
	free(bound);
	free(path);
	return r;
}

int applier_unbind(struct applier *a, struct apply_error *err)
{
	char *path = apply_path(a, "UDC");
	char *bound = NULL;
	int r;

	r = applier_bound_udc(a, &bound);
	if (r < 0 || !bound)
		goto out;
	free(bound);
	bound = NULL;
	r = apply_write(path, "\n", 1);
	/* ENODEV: not bound (any more). */
	if (r == -ENODEV && applier_bound_udc(a, &bound) == 0 && !bound)
		r = 0;
out:
	if (r < 0)
		apply_error_set(err, r, "write '' to", path);
	free(bound);
	free(path);
	return r;
}

/* ---- removal ---- */

struct apply_remove {
	struct applier *a;
	struct apply_error *err;
	int r; /* the first failure */
};

static void remove_fail(struct apply_remove *rm, int r, const char *verb,
			const char *path)
{
	log_warning("gadget %s: %s %s: %s", rm->a->gadget_name, verb, path,
		    strerror(-r));
	if (rm->r == 0) {
		rm->r = r;
		apply_error_set(rm->err, r, verb, path);
	}
}

static void remove_rmdir(struct apply_remove *rm, const char *path)
{
	if (rmdir(path) < 0 && errno != ENOENT)
		remove_fail(rm, -errno, "rmdir", path);
}

enum remove_what { REMOVE_LINKS, REMOVE_DIRS };

/* Unlink the symlinks, or rmdir the subdirectories, of dir. */
static void remove_entries(struct apply_remove *rm, const char *dir,
			   enum remove_what what, const char *prefix)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;
		char *path;

		if (e->d_name[0] == '.' ||
		    (prefix && !str_starts_with(e->d_name, prefix)))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0) {
			if (what == REMOVE_LINKS && S_ISLNK(st.st_mode) &&
			    unlink(path) < 0)
				remove_fail(rm, -errno, "unlink", path);
			else if (what == REMOVE_DIRS && S_ISDIR(st.st_mode))
				remove_rmdir(rm, path);
		}
		free(path);
	}
	closedir(d);
}

/* Subdirectories of dir by name, for walking configs/ and functions/. */
static char **remove_list_dirs(const char *dir, size_t *n)
{
	struct dirent *e;
	char **names = NULL;
	DIR *d = opendir(dir);

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		struct stat st;
		char *path;

		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			names = xreallocarray(names, *n + 1, sizeof(*names));
			names[(*n)++] = xstrdup(e->d_name);
		}
		free(path);
	}
	closedir(d);
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* FunctionFS mounts of ffs.INSTANCE: the mount source is INSTANCE, and
 * FunctionFS instance names are unique in the kernel. */
static void remove_ffs_mounts(struct apply_remove *rm, const char *instance)
{
	char src[256], dir[PATH_MAX], type[64];
	FILE *f = fopen("/proc/self/mounts", "re");
	char line[PATH_MAX + 512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %4095s %63s", src, dir, type) != 3)
			continue;
		if (!streq(type, "functionfs") || !streq(src, instance))
			continue;
		/* /proc/self/mounts escapes blanks as \040: good enough for
		 * the paths FunctionFS is mounted on. */
		int r = apply_umount(dir);

		if (r < 0)
			remove_fail(rm, r, "umount", dir);
	}
	fclose(f);
}

static int remove_lun_compare(const void *x, const void *y)
{
	int a = atoi(*(char *const *)x + 4), b = atoi(*(char *const *)y + 4);

	return (a < b) - (a > b); /* highest first */
}

int applier_remove(struct applier *a, const struct plan *plan,
		   struct apply_error *err)
{
	struct apply_remove rm = { .a = a, .err = err };
	char *dir, *sub;
	char **names;
	size_t n;

	if (err)
		memset(err, 0, sizeof(*err));
	if (!applier_gadget_exists(a))
		goto out;

	if (applier_unbind(a, err) < 0)
		rm.r = err ? err->err : -EIO;

	dir = apply_path(a, "os_desc");
	remove_entries(&rm, dir, REMOVE_LINKS, NULL);
	free(dir);

	dir = apply_path(a, "configs");
	names = remove_list_dirs(dir, &n);
	for (size_t i = 0; i < n; i++) {
		sub = xasprintf("%s/%s", dir, names[i]);
		remove_entries(&rm, sub, REMOVE_LINKS, NULL);
		free(sub);
	}
	for (size_t i = 0; i < n; i++) {
		sub = xasprintf("%s/%s/strings", dir, names[i]);
		remove_entries(&rm, sub, REMOVE_DIRS, NULL);
		free(sub);
		sub = xasprintf("%s/%s", dir, names[i]);
		remove_rmdir(&rm, sub);
		free(sub);
	}
	free_names(names, n);
	free(dir);

	/* The plan's mounts, and those of a gadget left by a killed daemon
	 * (found by instance name). */
	for (size_t i = 0; plan && i < plan->n_ops; i++) {
		if (plan->ops[i].kind == PLAN_FFS_MOUNT) {
			char *mp = plan_op_path(plan, &plan->ops[i]);
			int r = apply_umount(mp);

			if (r < 0)
				remove_fail(&rm, r, "umount", mp);
			free(mp);
		}
	}
	dir = apply_path(a, "functions");
	names = remove_list_dirs(dir, &n);
	for (size_t i = 0; i < n; i++) {
		if (str_starts_with(names[i], "ffs."))
			remove_ffs_mounts(&rm, names[i] + 4);
	}
	for (size_t i = 0; i < n; i++) {
		sub = xasprintf("%s/%s", dir, names[i]);
		if (str_starts_with(names[i], "mass_storage.")) {
			size_t nluns;
			char **luns = remove_list_dirs(sub, &nluns);

			/* lun.0 goes with the function; the others first,
			 * highest first. */
			if (nluns > 1)
				qsort(luns, nluns, sizeof(*luns),
				      remove_lun_compare);
			for (size_t j = 0; j < nluns; j++) {
				if (!str_starts_with(luns[j], "lun.") ||
				    streq(luns[j], "lun.0"))
					continue;
				char *lun = xasprintf("%s/%s", sub, luns[j]);

				remove_rmdir(&rm, lun);
				free(lun);
			}
			free_names(luns, nluns);
		}
		remove_rmdir(&rm, sub);
		free(sub);
	}
	free_names(names, n);
	free(dir);

	dir = apply_path(a, "strings");
	remove_entries(&rm, dir, REMOVE_DIRS, NULL);
	free(dir);

	remove_rmdir(&rm, a->gadget_dir);
out:
	return rm.r;
}
