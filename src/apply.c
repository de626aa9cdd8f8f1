/* SPDX-License-Identifier: MIT */
/*
 * Applying a plan through libusbgx, all or nothing, and removing our
 * gadget.
 *
 * Each op is carried out with the libusbgx call that does it, its
 * arguments taken from the op's steps (plan_op_steps()), so what apply
 * writes is what `gadgetd plan` prints.  Undoing (rollback, removal) uses
 * plain syscalls in the kernel's reverse order.
 *
 * What libusbgx 0.2.0 made us work around:
 *
 *  1. usbg_init() parses every gadget under usb_gadget/ and fails as a
 *     whole (USBG_ERROR_NOT_SUPPORTED) when any of them has a function type
 *     it does not know (uvc, printer, uac1, ...): one foreign gadget would
 *     stop us.  libusbgx is therefore opened on a private view: a temporary
 *     directory whose usb_gadget/ holds only a symlink to our gadget.  For
 *     the same reason the gadget directory itself is made with mkdir(2) (in
 *     the view libusbgx would make it in the temporary directory), and the
 *     view is re-read after that.
 *  2. It reads the UDC list once, in usbg_init(): applier_refresh() is
 *     usbg_cleanup() + usbg_init() on the view: 2.3 ms for our ecm-only
 *     gadget measured in the VM test bed (TCG, sanitized build;
 *     apply-udc-back), logged at debug level.  Each usbg_init() leaks
 *     libusbgx's config labels (a few bytes per configuration), so the
 *     refresh is done on events (build, UDC change), never on a timer,
 *     and only where libusbgx's view can be stale: not after a build that
 *     went through (libusbgx made every object itself), not while no
 *     gadget exists (the next build reads it once it has made the
 *     directory).  A full re-read of the bench gadget (ECM + ACM + mass
 *     storage) is about 60 syscalls, a tenth of what gadgetd's apply
 *     costs the kernel (bench/).
 *  3. It loses errno: anything but ENOMEM EACCES EPERM EROFS ENOENT ENOTDIR
 *     EINVAL EIO EEXIST ENODEV EBUSY becomes USBG_ERROR_OTHER_ERROR (EISDIR,
 *     ENOSPC, ERANGE, ...), EPERM/EROFS read back as EACCES, and a call that
 *     makes a directory and writes attributes does not say which step
 *     failed.  After a refusal the op's steps are replayed with plain
 *     syscalls, which gives the real errno and the path; only when the
 *     replay succeeds is libusbgx's code mapped to an errno.
 *  4. Its typed function attributes cover a few of the kernel's (none of
 *     uac2's c_sync or hid's no_out_endpoint, Loopback's under a name the
 *     kernel does not have): functions are made bare with
 *     usbg_create_function() and their attributes written as the plan
 *     says (src/function/ holds the one table per type).
 *  5. usbg_f_ms_lun_attrs has no inquiry_string: that is a PLAN_ATTR_WRITE,
 *     a plain write.  usbg_f_ms_attrs cannot be used to create a function:
 *     its setter removes every LUN not listed, lun.0 included, which the
 *     kernel refuses; LUNs are made one by one with usbg_f_ms_create_lun().
 *  6. usbg_config_attrs.bMaxPower is a uint8_t (500 mA does not fit): the
 *     configuration is made without attributes and MaxPower is set with
 *     usbg_set_config_max_power(), which takes an int.
 *  7. usbg_rm_gadget() needs a gadget libusbgx can parse and a fresh
 *     cache, does not unbind or unmount FunctionFS first, and does not
 *     remove extra LUNs in every version: removal walks the configfs tree
 *     itself.
 *  8. It prints its own errors on stderr ("usbg_create_function()
 *     duplicate function name"); there is no way to turn that off.
 *  9. It has no type for printer, SourceSink, uac1 and uvc (0.3.0 has
 *     uvc; gadgetd builds it the same way with both), and usbg_init()
 *     refuses a gadget that has one (workaround 1 only keeps other
 *     gadgets out of its view).  Such a gadget is applied with the plan's
 *     steps as plain syscalls, as apply_diagnose() replays them: the same
 *     effect, since libusbgx's calls are those steps.
 * 10. usbg_gadget_attr has no max_speed (Linux 4.x's gadget attribute):
 *     it is a plain write among the gadget's attributes.
 *
 * Calls that changed between 0.2.0 and 0.3.0 are avoided: typed structs
 * are zero-initialised so that fields added later
 * (usbg_f_ms_lun_attrs.inquiry_string) stay NULL.
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
#include <time.h>
#include <unistd.h>

#include <usbg/function/ms.h>
#include <usbg/usbg.h>

#include "apply.h"
#include "function/function.h"
#include "log.h"
#include "usbgx.h"
#include "util.h"

#define APPLY_CONFIG_LABEL "c" /* configs/c.N */

struct applier {
	char *configfs;
	char *gadget_name;
	char *gadget_dir; /* CONFIGFS/usb_gadget/NAME */
	char *view; /* the private view libusbgx is opened on */
	char *view_gadgets;
	char *view_link; /* view/usb_gadget/NAME -> gadget_dir */
	usbg_state *state;
	/* The gadget has a function libusbgx 0.2.0 has no type for
	 * (printer, SourceSink, uac1, uvc): usbg_init() cannot read it, so every
	 * op is carried out with plain configfs calls (workaround 9). */
	bool raw;
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

/* ---- the view libusbgx sees ---- */

static bool apply_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool applier_gadget_exists(struct applier *a)
{
	return apply_is_dir(a->gadget_dir);
}

int applier_refresh(struct applier *a)
{
	struct timespec t0, t1;
	struct stat st;
	bool linked, exists;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (a->state) {
		usbg_cleanup(a->state);
		a->state = NULL;
	}
	if (a->raw)
		return 0;
	linked = lstat(a->view_link, &st) == 0;
	exists = applier_gadget_exists(a);
	if (exists && !linked && symlink(a->gadget_dir, a->view_link) < 0)
		return log_errno(-errno, "libusbgx view %s: %m", a->view_link);
	if (!exists && linked && unlink(a->view_link) < 0)
		return log_errno(-errno, "libusbgx view %s: %m", a->view_link);

	r = usbg_init(a->view, &a->state);
	if (r == USBG_ERROR_NOT_SUPPORTED && exists) {
		/* Our gadget has a function type libusbgx does not know:
		 * workaround 9. */
		a->state = NULL;
		a->raw = true;
		log_debug("gadget %s: a function libusbgx does not know: "
			  "plain configfs calls",
			  a->gadget_name);
		return 0;
	}
	if (r != USBG_SUCCESS) {
		a->state = NULL;
		return log_errno(usbgx_errno(r),
				 "gadget %s: libusbgx cannot read it: %s",
				 a->gadget_name, usbg_strerror(r));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_debug("gadget %s: libusbgx state re-read in %ld us", a->gadget_name,
		  (long)((t1.tv_sec - t0.tv_sec) * 1000000 +
			 (t1.tv_nsec - t0.tv_nsec) / 1000));
	return 0;
}

/* Drop libusbgx's view of a gadget that is gone; the next build or bind
 * reads it again. */
static int applier_forget(struct applier *a)
{
	struct stat st;

	if (a->state) {
		usbg_cleanup(a->state);
		a->state = NULL;
	}
	if (lstat(a->view_link, &st) == 0 && unlink(a->view_link) < 0)
		return log_errno(-errno, "libusbgx view %s: %m", a->view_link);
	return 0;
}

int applier_new(const char *configfs, const char *gadget_name,
		struct applier **out)
{
	const char *tmp = getenv("TMPDIR");
	struct applier *a = xcalloc(1, sizeof(*a));
	char *view;

	a->configfs = xstrdup(configfs ? configfs : "/sys/kernel/config");
	a->gadget_name = xstrdup(gadget_name);
	a->gadget_dir = xasprintf("%s/usb_gadget/%s", a->configfs, gadget_name);
	view = xasprintf("%s/gadgetd-usbg-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(view)) {
		int r = -errno;

		log_error("libusbgx view %s: %s", view, strerror(-r));
		free(view);
		applier_free(a);
		return r;
	}
	a->view = view;
	a->view_gadgets = xasprintf("%s/usb_gadget", view);
	a->view_link = xasprintf("%s/%s", a->view_gadgets, gadget_name);
	if (mkdir(a->view_gadgets, 0700) < 0) {
		int r = -errno;

		log_error("libusbgx view %s: %s", a->view_gadgets,
			  strerror(-r));
		applier_free(a);
		return r;
	}
	/* A gadget libusbgx cannot read (a leftover with a function it does
	 * not know) must not stop us: applier_remove() works without it.
	 * Without a gadget there is nothing to read yet. */
	if (applier_gadget_exists(a))
		applier_refresh(a);
	*out = a;
	return 0;
}

void applier_free(struct applier *a)
{
	if (!a)
		return;
	if (a->state)
		usbg_cleanup(a->state);
	if (a->view_link)
		unlink(a->view_link);
	if (a->view_gadgets)
		rmdir(a->view_gadgets);
	if (a->view)
		rmdir(a->view);
	free(a->configfs);
	free(a->gadget_name);
	free(a->gadget_dir);
	free(a->view);
	free(a->view_gadgets);
	free(a->view_link);
	free(a);
}

/* ---- plain steps ---- */

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

/*
 * Carry out one step with plain syscalls; on failure *verb and *path say
 * what was refused (path allocated).
 */
static int apply_step_raw(const struct applier *a, const struct plan_step *st,
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
		if (st->newline) {
			char *line = xasprintf("%s\n", st->value);

			r = write_file_string(*path, line);
			free(line);
		} else {
			r = write_file_bytes(*path, st->value, st->value_len);
		}
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
		r = write_file_bytes(path, "\n", 1);
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

static int apply_undo_op(const struct applier *a, const struct plan *plan,
			 const struct plan_op *op, struct apply_error *err)
{
	struct plan_steps steps;
	int r = 0;

	plan_op_steps(plan, op, &steps);
	for (size_t i = steps.n; i-- > 0;) {
		int q = apply_undo_step(a, &steps.items[i], err);

		if (q < 0 && r == 0)
			r = q;
	}
	plan_steps_free(&steps);
	return r;
}

/* ---- steps to libusbgx arguments ---- */

static const struct plan_step *step_find(const struct plan_steps *steps,
					 const char *attr)
{
	for (size_t i = 0; i < steps->n; i++) {
		const struct plan_step *st = &steps->items[i];
		const char *slash;

		if (st->kind != PLAN_STEP_WRITE)
			continue;
		slash = strrchr(st->path, '/');
		if (streq(slash ? slash + 1 : st->path, attr))
			return st;
	}
	return NULL;
}

static long step_long(const struct plan_step *st)
{
	return strtol(st->value, NULL, 0);
}

static bool step_bool(const struct plan_steps *steps, const char *attr)
{
	const struct plan_step *st = step_find(steps, attr);

	return st && streq(st->value, "1");
}

static const char *step_text(const struct plan_steps *steps, const char *attr)
{
	const struct plan_step *st = step_find(steps, attr);

	return st ? st->value : "";
}

/* "strings/0x409/manufacturer" -> 0x409 */
static int step_language(const struct plan_step *st)
{
	const char *s = strstr(st->path, "strings/");

	return s ? (int)strtol(s + strlen("strings/"), NULL, 16) : LANG_US_ENG;
}

static int apply_function_type(enum function_type type, usbg_function_type *out)
{
	const struct function_type_info *t = function_type_info(type);

	if (!t || t->usbg_type == FUNCTION_NO_USBG_TYPE)
		return -EOPNOTSUPP;
	*out = (usbg_function_type)t->usbg_type;
	return 0;
}

static usbg_gadget *apply_gadget(struct applier *a)
{
	return a->state ? usbg_get_gadget(a->state, a->gadget_name) : NULL;
}

static usbg_function *apply_function(struct applier *a,
				     const struct profile_function *f)
{
	usbg_gadget *g = apply_gadget(a);
	usbg_function_type type;

	if (!g || apply_function_type(f->type, &type) < 0)
		return NULL;
	return usbg_get_function(g, type, f->instance);
}

static int apply_gadget_create(struct applier *a,
			       const struct plan_steps *steps, int *usbg_r)
{
	usbg_gadget *g;
	int r;

	/* mkdir(2) in the real configfs: see workaround 1. */
	if (mkdir(a->gadget_dir, 0755) < 0)
		return -errno;
	r = applier_refresh(a);
	if (r < 0)
		return r;
	g = apply_gadget(a);
	if (!g)
		return -ENOENT;
	for (size_t i = 0; i < steps->n; i++) {
		const struct plan_step *st = &steps->items[i];
		int attr;

		if (st->kind != PLAN_STEP_WRITE)
			continue;
		/* libusbgx 0.2.0 has no max_speed: see workaround 10. */
		if (streq(st->path, "max_speed")) {
			const char *verb;
			char *path;

			r = apply_step_raw(a, st, &verb, &path);
			free(path);
			if (r < 0)
				return r;
			continue;
		}
		attr = usbg_lookup_gadget_attr(st->path);
		if (attr < 0)
			return -EINVAL;
		*usbg_r = usbg_set_gadget_attr(g, (usbg_gadget_attr)attr,
					       (int)step_long(st));
		if (*usbg_r != USBG_SUCCESS)
			return usbgx_errno(*usbg_r);
	}
	return 0;
}

static int apply_gadget_strings(struct applier *a,
				const struct plan_steps *steps, int *usbg_r)
{
	usbg_gadget *g = apply_gadget(a);

	if (!g)
		return -ENOENT;
	for (size_t i = 0; i < steps->n; i++) {
		const struct plan_step *st = &steps->items[i];
		const char *name;
		int str;

		if (st->kind != PLAN_STEP_WRITE)
			continue;
		name = strrchr(st->path, '/') + 1;
		str = usbg_lookup_gadget_str(name);
		if (str < 0)
			return -EINVAL;
		/* Makes strings/LANG first when it is not there. */
		*usbg_r = usbg_set_gadget_str(g, (usbg_gadget_str)str,
					      step_language(st), st->value);
		if (*usbg_r != USBG_SUCCESS)
			return usbgx_errno(*usbg_r);
	}
	return 0;
}

/*
 * libusbgx makes the directory, so that its view of the gadget holds the
 * function; the attributes are the plan's writes, as plain writes of the
 * text `gadgetd plan` prints: libusbgx's typed setters would only turn
 * the numbers back into the same text (and lose the errno), and 0.2.0 has
 * setters for few of the kernel's attributes.
 */
static int apply_function_create(struct applier *a,
				 const struct profile_function *pf,
				 const struct plan_steps *steps, int *usbg_r)
{
	usbg_gadget *g = apply_gadget(a);
	usbg_function_type type;
	usbg_function *f = NULL;
	int r;

	if (!g)
		return -ENOENT;
	r = apply_function_type(pf->type, &type);
	if (r < 0)
		return r;
	*usbg_r = usbg_create_function(g, type, pf->instance, NULL, &f);
	if (*usbg_r != USBG_SUCCESS)
		return usbgx_errno(*usbg_r);
	for (size_t i = 0; i < steps->n; i++) {
		const struct plan_step *st = &steps->items[i];
		const char *verb;
		char *path;

		if (st->kind != PLAN_STEP_WRITE)
			continue;
		r = apply_step_raw(a, st, &verb, &path);
		free(path);
		if (r < 0)
			return r;
	}
	return 0;
}

static int apply_lun_create(struct applier *a, const struct plan_op *op,
			    const struct plan_steps *steps, int *usbg_r)
{
	usbg_function *f = apply_function(a, op->function);
	struct usbg_f_ms_lun_attrs lun = { 0 };
	usbg_f_ms *mf;

	if (!f)
		return -ENOENT;
	mf = usbg_to_ms_function(f);
	lun.id = op->lun;
	lun.cdrom = step_bool(steps, "cdrom");
	lun.ro = step_bool(steps, "ro");
	lun.nofua = step_bool(steps, "nofua");
	lun.removable = step_bool(steps, "removable");
	/* "" writes nothing: no medium. */
	lun.file = step_text(steps, "file");
	if (op->lun == 0)
		*usbg_r = usbg_f_ms_set_lun_attrs(mf, 0, &lun);
	else
		*usbg_r = usbg_f_ms_create_lun(mf, op->lun, &lun);
	return usbgx_errno(*usbg_r);
}

static int apply_interface_os_desc(struct applier *a, const struct plan_op *op,
				   const struct plan_steps *steps, int *usbg_r)
{
	usbg_function *f = apply_function(a, op->function);
	struct usbg_function_os_desc desc = {
		.compatible_id = (char *)step_text(steps, "compatible_id"),
		.sub_compatible_id =
			(char *)step_text(steps, "sub_compatible_id"),
	};

	if (!f)
		return -ENOENT;
	*usbg_r = usbg_set_interf_os_desc(f, "rndis", &desc);
	return usbgx_errno(*usbg_r);
}

static int apply_config_create(struct applier *a, const struct plan_op *op,
			       const struct plan_steps *steps, int *usbg_r)
{
	usbg_gadget *g = apply_gadget(a);
	usbg_config *c = NULL;
	const struct plan_step *st;

	if (!g)
		return -ENOENT;
	/* No usbg_config_attrs: see workaround 6. */
	*usbg_r = usbg_create_config(g, op->config->id, APPLY_CONFIG_LABEL,
				     NULL, NULL, &c);
	if (*usbg_r == USBG_SUCCESS && (st = step_find(steps, "MaxPower")))
		*usbg_r = usbg_set_config_max_power(c, (int)step_long(st));
	if (*usbg_r == USBG_SUCCESS && (st = step_find(steps, "bmAttributes")))
		*usbg_r = usbg_set_config_bm_attrs(c, (int)step_long(st));
	/* One configuration string per language (name, name.LANG). */
	for (size_t i = 0; i < steps->n && *usbg_r == USBG_SUCCESS; i++) {
		st = &steps->items[i];
		if (st->kind == PLAN_STEP_WRITE &&
		    streq(strrchr(st->path, '/') + 1, "configuration"))
			*usbg_r = usbg_set_config_string(c, step_language(st),
							 st->value);
	}
	return usbgx_errno(*usbg_r);
}

static int apply_config_add_function(struct applier *a,
				     const struct plan_op *op, int *usbg_r)
{
	usbg_gadget *g = apply_gadget(a);
	usbg_config *c = g ? usbg_get_config(g, op->config->id, NULL) : NULL;
	usbg_function *f = apply_function(a, op->function);

	if (!c || !f)
		return -ENOENT;
	*usbg_r = usbg_add_config_function(c, op->function->name, f);
	return usbgx_errno(*usbg_r);
}

static int apply_os_desc(struct applier *a, const struct plan_steps *steps,
			 int *usbg_r)
{
	usbg_gadget *g = apply_gadget(a);
	struct usbg_gadget_os_descs od = { 0 };

	if (!g)
		return -ENOENT;
	od.use = step_bool(steps, "use");
	od.b_vendor_code =
		(uint8_t)step_long(step_find(steps, "b_vendor_code"));
	od.qw_sign = (char *)step_text(steps, "qw_sign");
	*usbg_r = usbg_set_gadget_os_descs(g, &od);
	return usbgx_errno(*usbg_r);
}

static int apply_os_desc_config(struct applier *a, const struct plan_op *op,
				int *usbg_r)
{
	usbg_gadget *g = apply_gadget(a);
	usbg_config *c = g ? usbg_get_config(g, op->config->id, NULL) : NULL;

	if (!c)
		return -ENOENT;
	*usbg_r = usbg_set_os_desc_config(g, c);
	return usbgx_errno(*usbg_r);
}

/* The steps with plain syscalls; the refused one, if any, in err (may be
 * NULL), its index in *failed. */
static int apply_raw_steps(struct applier *a, const struct plan_steps *steps,
			   struct apply_error *err, size_t *failed)
{
	for (size_t i = 0; i < steps->n; i++) {
		const char *verb;
		char *path;
		int r = apply_step_raw(a, &steps->items[i], &verb, &path);

		if (r < 0) {
			if (err)
				apply_error_set(err, r, verb, path);
			if (failed)
				*failed = i;
			free(path);
			return r;
		}
		free(path);
	}
	return 0;
}

static int apply_op(struct applier *a, const struct plan *plan,
		    const struct plan_op *op, const struct plan_steps *steps,
		    int *usbg_r)
{
	(void)plan;
	*usbg_r = USBG_SUCCESS;
	switch (op->kind) {
	case PLAN_GADGET_CREATE:
		return apply_gadget_create(a, steps, usbg_r);
	case PLAN_GADGET_STRINGS:
		return apply_gadget_strings(a, steps, usbg_r);
	case PLAN_FUNCTION_CREATE:
		return apply_function_create(a, op->function, steps, usbg_r);
	case PLAN_LUN_CREATE:
		return apply_lun_create(a, op, steps, usbg_r);
	case PLAN_INTERFACE_OS_DESC:
		return apply_interface_os_desc(a, op, steps, usbg_r);
	case PLAN_CONFIG_CREATE:
		return apply_config_create(a, op, steps, usbg_r);
	case PLAN_CONFIG_ADD_FUNCTION:
		return apply_config_add_function(a, op, usbg_r);
	case PLAN_OS_DESC:
		return apply_os_desc(a, steps, usbg_r);
	case PLAN_OS_DESC_CONFIG:
		return apply_os_desc_config(a, op, usbg_r);
	case PLAN_ATTR_WRITE:
	case PLAN_FFS_MOUNT:
		/* No libusbgx call for these. */
		return apply_raw_steps(a, steps, NULL, NULL);
	case PLAN_FFS_WAIT:
	case PLAN_UDC_BIND:
		break;
	}
	return 0;
}

/*
 * After a refused op: replay its steps with plain syscalls to learn which
 * step the kernel refuses and why (workaround 3).  Fills err.  Returns
 * true when the op's first directory was already there before the op (not
 * ours to undo).
 */
static bool apply_diagnose(struct applier *a, const struct plan *plan,
			   const struct plan_op *op,
			   const struct plan_steps *steps, int r, int usbg_r,
			   struct apply_error *err)
{
	bool foreign = false;

	for (size_t i = 0; i < steps->n; i++) {
		const struct plan_step *st = &steps->items[i];
		const char *verb;
		char *path;
		int q = apply_step_raw(a, st, &verb, &path);

		/* A directory libusbgx made before failing later on. */
		if (q == -EEXIST && st->kind == PLAN_STEP_MKDIR &&
		    (op->kind != PLAN_GADGET_CREATE || r != -EEXIST)) {
			free(path);
			continue;
		}
		if (q < 0) {
			apply_error_set(err, q, verb, path);
			foreign = i == 0 && q == -EEXIST;
			free(path);
			return foreign;
		}
		free(path);
	}

	/* The replay went through: report what libusbgx said. */
	char *rel = plan_op_path(plan, op);
	char *path =
		op->kind == PLAN_FFS_MOUNT ? xstrdup(rel) : apply_path(a, rel);

	apply_error_set(err, r, "configure", path);
	if (usbg_r != USBG_SUCCESS)
		snprintf(err->message, sizeof(err->message),
			 "configure %s: %s (libusbgx: %s)", path, strerror(-r),
			 usbg_strerror(usbg_r));
	free(rel);
	free(path);
	return false;
}

/* Whether libusbgx can read the gadget the plan makes (workaround 9). */
static bool apply_plan_is_raw(const struct plan *plan)
{
	for (size_t i = 0; i < plan->n_ops; i++) {
		const struct profile_function *f = plan->ops[i].function;

		if (plan->ops[i].kind == PLAN_FUNCTION_CREATE &&
		    function_type_info(f->type)->usbg_type ==
			    FUNCTION_NO_USBG_TYPE)
			return true;
	}
	return false;
}

int applier_build(struct applier *a, const struct plan *plan,
		  struct apply_error *err)
{
	struct apply_error scratch = { 0 };
	size_t done, deferred = plan_deferred_start(plan);
	int r = 0;

	if (!err)
		err = &scratch;
	memset(err, 0, sizeof(*err));
	a->raw = apply_plan_is_raw(plan);
	if (a->raw && a->state) {
		usbg_cleanup(a->state);
		a->state = NULL;
	}
	/* The plan's tail (the wait for FunctionFS descriptors, the bind)
	 * is the daemon's. */
	for (done = 0; done < deferred; done++) {
		const struct plan_op *op = &plan->ops[done];
		struct plan_steps steps;
		int usbg_r = USBG_SUCCESS;
		bool foreign;

		plan_op_steps(plan, op, &steps);
		if (a->raw) {
			/* The refused step is known: a replay would stop at
			 * the links already made instead (EEXIST). */
			size_t failed = 0;

			r = apply_raw_steps(a, &steps, err, &failed);
			foreign = r == -EEXIST && failed == 0 &&
				  steps.items[0].kind == PLAN_STEP_MKDIR;
		} else {
			r = apply_op(a, plan, op, &steps, &usbg_r);
		}
		if (r == 0) {
			plan_steps_free(&steps);
			continue;
		}
		if (!a->raw)
			foreign = apply_diagnose(a, plan, op, &steps, r, usbg_r,
						 err);
		log_error("gadget %s: %s", a->gadget_name, err->message);
		/* The refused op may have done part of its steps. */
		if (!foreign)
			apply_undo_op(a, plan, op, NULL);
		plan_steps_free(&steps);
		break;
	}
	if (done == deferred)
		goto out;

	/* All or nothing: undo the executed prefix, last op first. */
	while (done-- > 0)
		apply_undo_op(a, plan, &plan->ops[done], NULL);
	if (applier_gadget_exists(a) && err->err != -EEXIST) {
		struct apply_error rerr = { 0 };

		log_warning("gadget %s: rollback left it behind; removing it",
			    a->gadget_name);
		applier_remove(a, plan, &rerr);
	}
	r = err->err ? err->err : r;
	/* libusbgx's cache has objects that the rollback removed.  After a
	 * build that went through it is exact: libusbgx made every configfs
	 * object, and raw steps only write attributes and mount FunctionFS
	 * outside configfs. */
	if (applier_gadget_exists(a))
		applier_refresh(a);
	else
		applier_forget(a);
out:
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
	usbg_gadget *g = apply_gadget(a);
	usbg_udc *u = a->state ? usbg_get_udc(a->state, udc) : NULL;
	int r;

	/* A UDC that came after usbg_init(): see workaround 2. */
	if (!u || !g) {
		applier_refresh(a);
		g = apply_gadget(a);
		u = a->state ? usbg_get_udc(a->state, udc) : NULL;
	}
	if (g && u) {
		r = usbgx_errno(usbg_enable_gadget(g, u));
		/* Learn the real errno (workaround 3); the write is
		 * idempotent. */
		if (r < 0)
			r = write_file_bytes(path, udc, strlen(udc));
	} else {
		/* libusbgx does not list it (yet): the kernel says why. */
		r = write_file_bytes(path, udc, strlen(udc));
	}
	if (r == -EBUSY && applier_bound_udc(a, &bound) == 0 &&
	    streq(bound, udc)) {
		/* The kernel bound the pending gadget itself when the UDC
		 * came back (docs/daemon.md). */
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
		 * dummy_hcd: no isochronous endpoint for it). */
		if (r == -EBUSY && err)
			(void)snprintf(err->message, sizeof(err->message),
				       "%s %s: %s: a function refused to bind: "
				       "see the kernel log",
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
	usbg_gadget *g = apply_gadget(a);
	int r;

	r = applier_bound_udc(a, &bound);
	if (r < 0 || !bound)
		goto out;
	free(bound);
	bound = NULL;
	r = g ? usbgx_errno(usbg_disable_gadget(g)) : -ENOENT;
	if (r < 0)
		r = write_file_bytes(path, "\n", 1);
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
	(void)fclose(f); /* read only: nothing to lose */
}

/* The subdirectories of each subdirectory of dir, then those. */
static void remove_dirs_twice(struct apply_remove *rm, const char *dir)
{
	size_t n;
	char **names = remove_list_dirs(dir, &n);

	for (size_t i = 0; i < n; i++) {
		char *sub = xasprintf("%s/%s", dir, names[i]);

		remove_entries(rm, sub, REMOVE_DIRS, NULL);
		free(sub);
	}
	free_names(names, n);
	remove_entries(rm, dir, REMOVE_DIRS, NULL);
}

/*
 * uvc's descriptor tree (the plan's, or any a program made the same
 * way): the speeds' links to the headers first, then the headers with
 * their links to the formats, the formats with their frames, and the
 * control header.  The directories the kernel made itself (the default
 * units and terminals, color_matching/default) go with the function.
 */
static void remove_uvc_tree(struct apply_remove *rm, const char *fdir)
{
	static const char *const classes[] = {
		"streaming/class/fs", "streaming/class/hs",
		"streaming/class/ss", "control/class/fs",
		"control/class/ss",
	};
	static const char *const formats[] = { "streaming/uncompressed",
					       "streaming/mjpeg" };
	char *dir;
	char **names;
	size_t n;

	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		dir = xasprintf("%s/%s", fdir, classes[i]);
		remove_entries(rm, dir, REMOVE_LINKS, NULL);
		free(dir);
	}
	dir = xasprintf("%s/streaming/header", fdir);
	names = remove_list_dirs(dir, &n);
	for (size_t i = 0; i < n; i++) {
		char *sub = xasprintf("%s/%s", dir, names[i]);

		remove_entries(rm, sub, REMOVE_LINKS, NULL);
		remove_rmdir(rm, sub);
		free(sub);
	}
	free_names(names, n);
	free(dir);
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		dir = xasprintf("%s/%s", fdir, formats[i]);
		remove_dirs_twice(rm, dir);
		free(dir);
	}
	dir = xasprintf("%s/control/header", fdir);
	remove_entries(rm, dir, REMOVE_DIRS, NULL);
	free(dir);
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
		if (str_starts_with(names[i], "uvc."))
			remove_uvc_tree(&rm, sub);
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
	if (applier_gadget_exists(a))
		applier_refresh(a);
	else
		applier_forget(a);
	return rm.r;
}
