/* SPDX-License-Identifier: MIT */
/*
 * Reading a live gadget back into a profile.
 *
 * The gadget is walked through libusbgx and the profile is filled through
 * profile_set_key(), the way the file loaders fill it, so that an exported
 * profile passes exactly the checks a written one does.  Each key gets a
 * line number of its own, and a problem with it is reported against the
 * configfs attribute it came from.
 *
 * A function's attributes are read raw, row by row of its type's schema
 * (src/function/), as apply writes them.  Other raw reads cover what
 * libusbgx 0.2.0 gets wrong or lacks: MaxPower (its config attrs hold it
 * in a uint8_t, so 500 mA reads as 244), a LUN's inquiry_string, and the
 * order of a configuration's functions.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <usbg/function/hid.h>
#include <usbg/function/ms.h>
#include <usbg/function/net.h>
#include <usbg/usbg.h>

#include "config.h"
#include "export.h"
#include "export_view.h"
#include "function/function.h"
#include "usbgx.h"
#include "util.h"
#include "uvc.h"

/* fs/configfs/mount.c; <linux/magic.h> does not have it. */
#define EXPORT_CONFIGFS_MAGIC 0x62656570

struct export_ctx {
	struct profile *p;
	struct diag_list *diags;
	const char *mounts;
	char *dir; /* usb_gadget/<gadget>, absolute */
	char **paths; /* paths[line]: the configfs path a key came from */
	size_t n_paths;
	int language; /* of the exported strings, 0 = none */
	/* libusbgx reads the gadget through a view without the functions
	 * it has no type for (export_view.h), read raw instead. */
	struct export_view view;
};

static char *export_path(const struct export_ctx *ctx, const char *rel)
{
	return rel ? xasprintf("%s/%s", ctx->dir, rel) : xstrdup(ctx->dir);
}

/* A line number standing for one configfs path. */
static int export_line(struct export_ctx *ctx, const char *rel)
{
	ctx->paths = xreallocarray(ctx->paths, ctx->n_paths + 1,
				   sizeof(*ctx->paths));
	ctx->paths[ctx->n_paths] = export_path(ctx, rel);
	return (int)ctx->n_paths++;
}

/* Report what profile_set_key() and profile_validate() said against the
 * configfs paths their line numbers stand for. */
static void export_move_diags(struct export_ctx *ctx, struct diag_list *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct diag *d = &from->items[i];
		const char *file = ctx->dir;

		if (d->line > 0 && (size_t)d->line < ctx->n_paths)
			file = ctx->paths[d->line];
		diag_add(ctx->diags, d->severity, file, 0, "%s", d->message);
	}
	diag_clear(from);
}

static void export_diag(struct export_ctx *ctx, enum diag_severity severity,
			const char *rel, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void export_diag(struct export_ctx *ctx, enum diag_severity severity,
			const char *rel, const char *fmt, ...)
{
	va_list ap;
	char *path = export_path(ctx, rel);
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(ctx->diags, severity, path, 0, "%s", msg);
	free(msg);
	free(path);
}

#define export_error(ctx, rel, ...) \
	export_diag((ctx), DIAG_ERROR, (rel), __VA_ARGS__)
#define export_warning(ctx, rel, ...) \
	export_diag((ctx), DIAG_WARNING, (rel), __VA_ARGS__)

static bool export_begin(struct export_ctx *ctx, const char *rel,
			 const char *section)
{
	struct diag_list tmp;
	int r;

	diag_init(&tmp);
	r = profile_begin_section(ctx->p, section, export_line(ctx, rel), &tmp);
	export_move_diags(ctx, &tmp);
	return r >= 0;
}

static void export_set(struct export_ctx *ctx, const char *rel, const char *key,
		       const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void export_set(struct export_ctx *ctx, const char *rel, const char *key,
		       const char *fmt, ...)
{
	struct diag_list tmp;
	va_list ap;
	char *value;

	va_start(ap, fmt);
	value = xvasprintf(fmt, ap);
	va_end(ap);
	diag_init(&tmp);
	profile_set_key(ctx->p, key, value, export_line(ctx, rel), &tmp);
	export_move_diags(ctx, &tmp);
	free(value);
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* ---- the gadget ---- */

/* The gadget's strings in language lang: the plain keys (plain) or
 * strings.LANG.*. */
static void export_gadget_strings_lang(struct export_ctx *ctx, usbg_gadget *g,
				       int lang, bool plain)
{
	static const char *const files[] = { "manufacturer", "product",
					     "serialnumber" };
	static const char *const keys[] = { "manufacturer", "product",
					    "serial" };
	struct usbg_gadget_strs strs = { 0 };
	char rel[64], key[48];
	const char *values[3];
	int r;

	snprintf(rel, sizeof(rel), "strings/0x%x", lang);
	r = usbg_get_gadget_strs(g, lang, &strs);
	if (r != USBG_SUCCESS) {
		export_error(ctx, rel, "%s", usbg_strerror(r));
		return;
	}
	values[0] = strs.manufacturer;
	values[1] = strs.product;
	values[2] = strs.serial;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (!values[i] || !values[i][0])
			continue;
		snprintf(rel, sizeof(rel), "strings/0x%x/%s", lang, files[i]);
		if (plain)
			snprintf(key, sizeof(key), "%s", keys[i]);
		else
			snprintf(key, sizeof(key), "strings.0x%x.%s", lang,
				 keys[i]);
		export_set(ctx, rel, key, "%s", values[i]);
	}
	usbg_free_gadget_strs(&strs);
}

/* 0x409 (or the first language) gives the plain keys, every other
 * language strings.LANG.*. */
static void export_gadget_strings(struct export_ctx *ctx, usbg_gadget *g)
{
	int *langs = NULL;
	char rel[64];

	/* A gadget without strings/ has no strings to export. */
	if (usbg_get_gadget_strs_langs(g, &langs) != USBG_SUCCESS || !langs)
		return;
	for (int i = 0; langs[i]; i++)
		if (langs[i] == 0x409 || !ctx->language)
			ctx->language = langs[i];
	if (ctx->language) {
		snprintf(rel, sizeof(rel), "strings/0x%x", ctx->language);
		export_set(ctx, rel, "language", "0x%x", ctx->language);
		export_gadget_strings_lang(ctx, g, ctx->language, true);
	}
	for (int i = 0; langs[i]; i++)
		if (langs[i] != ctx->language)
			export_gadget_strings_lang(ctx, g, langs[i], false);
	free(langs);
}

/*
 * max_speed reads super-speed-plus on a new gadget (Linux 6.1; 5.10 and
 * older: super-speed), whatever the UDC can do: that is no cap, and a
 * profile without max_speed leaves it so.  Any other value is a cap
 * someone wrote and is kept.
 */
static void export_max_speed(struct export_ctx *ctx)
{
	char *path = export_path(ctx, "max_speed");
	char *speed = NULL;

	/* Kernels before the attribute came have nothing to keep. */
	if (read_file_string(path, &speed) == 0 &&
	    !streq(speed, "super-speed-plus") && !streq(speed, "UNKNOWN"))
		export_set(ctx, "max_speed", "max_speed", "%s", speed);
	free(speed);
	free(path);
}

static int export_gadget_attrs(struct export_ctx *ctx, usbg_gadget *g)
{
	struct usbg_gadget_attrs a;
	int r;

	r = usbg_get_gadget_attrs(g, &a);
	if (r != USBG_SUCCESS) {
		export_error(ctx, NULL, "reading the device attributes: %s",
			     usbg_strerror(r));
		return usbgx_errno(r);
	}
	if (!export_begin(ctx, NULL, "gadget"))
		return -EINVAL;
	/* Everything is written, defaults included: the exported profile
	 * must rebuild this gadget whatever gadgetd.conf's [gadget]
	 * defaults say. */
	export_set(ctx, "idVendor", "vendor_id", "0x%04x", a.idVendor);
	export_set(ctx, "idProduct", "product_id", "0x%04x", a.idProduct);
	export_set(ctx, "bcdDevice", "device_version", "0x%04x", a.bcdDevice);
	export_set(ctx, "bcdUSB", "usb_version", "0x%04x", a.bcdUSB);
	export_set(ctx, "bDeviceClass", "device_class", "0x%02x",
		   a.bDeviceClass);
	export_set(ctx, "bDeviceSubClass", "device_subclass", "0x%02x",
		   a.bDeviceSubClass);
	export_set(ctx, "bDeviceProtocol", "device_protocol", "0x%02x",
		   a.bDeviceProtocol);
	/* 0 until the gadget was first bound: the UDC's ep0 size is set
	 * at bind (composite_bind()), so there is nothing to keep. */
	if (a.bMaxPacketSize0)
		export_set(ctx, "bMaxPacketSize0", "max_packet_size0", "%u",
			   a.bMaxPacketSize0);
	export_gadget_strings(ctx, g);
	export_max_speed(ctx);
	return 0;
}

/* ---- functions ---- */

static void export_mac(struct export_ctx *ctx, const char *rel, const char *key,
		       const struct ether_addr *mac)
{
	const uint8_t *b = mac->ether_addr_octet;

	export_set(ctx, rel, key, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1],
		   b[2], b[3], b[4], b[5]);
}

/* iface: the interface OS descriptor's name (RNDIS and NCM have one),
 * or NULL. */
static void export_net(struct export_ctx *ctx, usbg_function *f,
		       const char *fdir, const char *iface)
{
	struct usbg_f_net_attrs a;
	struct usbg_function_os_desc od = { 0 };
	char *rel;
	int r;

	r = usbg_f_net_get_attrs(usbg_to_net_function(f), &a);
	if (r != USBG_SUCCESS) {
		export_error(ctx, fdir, "%s", usbg_strerror(r));
		return;
	}
	rel = xasprintf("%s/dev_addr", fdir);
	export_mac(ctx, rel, "dev_addr", &a.dev_addr);
	free(rel);
	rel = xasprintf("%s/host_addr", fdir);
	export_mac(ctx, rel, "host_addr", &a.host_addr);
	free(rel);
	usbg_f_net_cleanup_attrs(&a);

	/* Kernels without OS descriptor support have no os_desc/ here. */
	if (!iface || usbg_get_interf_os_desc(f, iface, &od) != USBG_SUCCESS)
		return;
	rel = xasprintf("%s/os_desc/interface.%s/compatible_id", fdir, iface);
	if (od.compatible_id && od.compatible_id[0])
		export_set(ctx, rel, "os_desc.compatible_id", "%s",
			   od.compatible_id);
	free(rel);
	rel = xasprintf("%s/os_desc/interface.%s/sub_compatible_id", fdir,
			iface);
	if (od.sub_compatible_id && od.sub_compatible_id[0])
		export_set(ctx, rel, "os_desc.sub_compatible_id", "%s",
			   od.sub_compatible_id);
	free(rel);
	usbg_free_interf_os_desc(&od);
}

static void export_lun(struct export_ctx *ctx, const char *fdir,
		       const struct usbg_f_ms_lun_attrs *l)
{
	char key[48], *rel, *path, *inquiry = NULL;
	const struct {
		const char *name;
		bool value;
	} bools[] = {
		{ "removable", l->removable },
		{ "ro", l->ro },
		{ "cdrom", l->cdrom },
		{ "nofua", l->nofua },
	};

	if (l->file && l->file[0]) {
		rel = xasprintf("%s/lun.%d/file", fdir, l->id);
		snprintf(key, sizeof(key), "lun.%d.file", l->id);
		export_set(ctx, rel, key, "%s", l->file);
		free(rel);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
		rel = xasprintf("%s/lun.%d/%s", fdir, l->id, bools[i].name);
		snprintf(key, sizeof(key), "lun.%d.%s", l->id, bools[i].name);
		export_set(ctx, rel, key, "%s", yes_no(bools[i].value));
		free(rel);
	}

	/* libusbgx 0.2.0 does not know inquiry_string.  The kernel keeps it
	 * padded with spaces to the 28 bytes of INQUIRY data and shows it
	 * so; written back, it pads it again, so the padding is not part of
	 * the value. */
	rel = xasprintf("%s/lun.%d/inquiry_string", fdir, l->id);
	path = export_path(ctx, rel);
	if (read_file_string(path, &inquiry) == 0) {
		size_t len = strlen(inquiry);

		while (len > 0 && inquiry[len - 1] == ' ')
			inquiry[--len] = '\0';
	}
	if (inquiry && inquiry[0]) {
		snprintf(key, sizeof(key), "lun.%d.inquiry_string", l->id);
		export_set(ctx, rel, key, "%s", inquiry);
	}
	free(inquiry);
	free(path);
	free(rel);
}

static void export_mass_storage(struct export_ctx *ctx, usbg_function *f,
				const char *fdir)
{
	struct usbg_f_ms_attrs a;
	int r;

	r = usbg_f_ms_get_attrs(usbg_to_ms_function(f), &a);
	if (r != USBG_SUCCESS) {
		export_error(ctx, fdir, "%s", usbg_strerror(r));
		return;
	}
	/* libusbgx sorts the LUNs by number. */
	for (int i = 0; i < a.nluns; i++)
		if (a.luns[i])
			export_lun(ctx, fdir, a.luns[i]);
	usbg_f_ms_cleanup_attrs(&a);
}

static void export_hid(struct export_ctx *ctx, usbg_function *f,
		       const char *fdir)
{
	struct usbg_f_hid_attrs a;
	char *rel, *hex;
	int r;

	r = usbg_f_hid_get_attrs(usbg_to_hid_function(f), &a);
	if (r != USBG_SUCCESS) {
		export_error(ctx, fdir, "%s", usbg_strerror(r));
		return;
	}
	if (a.report_desc.len > PROFILE_REPORT_DESC_HEX_MAX) {
		rel = xasprintf("%s/report_desc", fdir);
		export_error(ctx, rel,
			     "%u bytes do not fit on one INI line (at most %d "
			     "in hex): copy the file and name the copy in "
			     "report_desc_file",
			     a.report_desc.len, PROFILE_REPORT_DESC_HEX_MAX);
		free(rel);
	} else if (a.report_desc.len > 0) {
		hex = hex_bytes_text((const uint8_t *)a.report_desc.desc,
				     a.report_desc.len);
		rel = xasprintf("%s/report_desc", fdir);
		export_set(ctx, rel, "report_desc", "%s", hex);
		free(rel);
		free(hex);
	}
	usbg_f_hid_cleanup_attrs(&a);
}

/*
 * The attributes of the type's schema, read as the kernel shows them and
 * set through the same key checks as a file's.  An attribute this kernel
 * does not have (ENOENT) cannot have been set, and an empty string is the
 * kernel's default, not a value.
 */
static void export_schema_values(struct export_ctx *ctx,
				 enum function_type type, const char *fdir)
{
	const struct function_type_info *t = function_type_info(type);

	for (size_t i = 0; i < t->n_attrs; i++) {
		const struct function_attr *a = &t->attrs[i];
		char *rel, *path, *value = NULL;
		int r;

		/* The kernel shows the name it made (usb0), not the
		 * template that was written (usb%d). */
		if (a->kind == FUNCTION_ATTR_IFNAME)
			continue;
		rel = xasprintf("%s/%s", fdir, a->file);
		path = export_path(ctx, rel);
		r = read_file_string(path, &value);
		if (r < 0 && r != -ENOENT)
			export_error(ctx, rel, "%s", strerror(-r));
		else if (r == 0 && value[0])
			export_set(ctx, rel, a->key, "%s%s",
				   a->flags & FUNCTION_ATTR_BARE_HEX ? "0x"
								     : "",
				   value);
		free(value);
		free(path);
		free(rel);
	}
}

/* /proc/mounts escapes white space and backslashes as \ooo. */
static void export_unescape_mount(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' &&
		    r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 +
				      (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Where a FunctionFS instance is mounted: the mount's source is the
 * instance name. */
static void export_ffs(struct export_ctx *ctx, const char *instance,
		       const char *fdir)
{
	FILE *f = fopen(ctx->mounts, "re");
	char line[1024];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char source[256], target[512], type[64];

		if (sscanf(line, "%255s %511s %63s", source, target, type) != 3)
			continue;
		if (!streq(type, "functionfs"))
			continue;
		export_unescape_mount(source);
		if (!streq(source, instance))
			continue;
		export_unescape_mount(target);
		export_set(ctx, fdir, "mountpoint", "%s", target);
		break;
	}
	(void)fclose(f); /* read only: nothing to lose */
}

static int export_compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries of dir (links or directories, by `links`), sorted by name. */
static char **export_entries(const char *dir, bool links, size_t *n)
{
	struct dirent *e;
	char **names = NULL;
	DIR *d = opendir(dir);

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		char *path = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;

		if (e->d_name[0] != '.' && lstat(path, &st) == 0 &&
		    (links ? S_ISLNK(st.st_mode) : S_ISDIR(st.st_mode))) {
			names = xreallocarray(names, *n + 1, sizeof(*names));
			names[(*n)++] = xstrdup(e->d_name);
		}
		free(path);
	}
	closedir(d);
	if (*n > 1)
		qsort(names, *n, sizeof(*names), export_compare_names);
	return names;
}

static void export_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static long export_number(const char *path)
{
	char *text = NULL;
	long v = -1;

	if (read_file_string(path, &text) == 0)
		v = strtol(text, NULL, 0);
	free(text);
	return v;
}

/* One frame as format.N.frames has it ("640x360@30,15"), appended to
 * *text; false (reported) when the tree has what the syntax cannot say. */
static bool export_uvc_frame(struct export_ctx *ctx, const char *rel,
			     char **text)
{
	char *path = export_path(ctx, rel), *p, *list = NULL, *t;
	long w, h, def;
	bool ok = false;
	char *rates;

	p = xasprintf("%s/wWidth", path);
	w = export_number(p);
	free(p);
	p = xasprintf("%s/wHeight", path);
	h = export_number(p);
	free(p);
	p = xasprintf("%s/dwDefaultFrameInterval", path);
	def = export_number(p);
	free(p);
	p = xasprintf("%s/dwFrameInterval", path);
	if (read_file_string(p, &list) < 0)
		list = NULL;
	free(p);
	rates = xstrdup("");
	/* The default first, then the others in the kernel's order. */
	for (int pass = 0; list && pass < 2; pass++) {
		char *save = NULL, *copy = xstrdup(list);

		for (char *tok = strtok_r(copy, " \n", &save); tok;
		     tok = strtok_r(NULL, " \n", &save)) {
			long iv = strtol(tok, NULL, 0);
			unsigned int rate;

			if ((pass == 0) != (iv == def))
				continue;
			rate = iv > 0 ? (unsigned int)((10000000 + iv / 2) / iv)
				      : 0;
			if (!rate || (long)uvc_frame_interval(rate) != iv) {
				export_error(ctx, rel,
					     "frame interval %ld (100 ns) is "
					     "not a whole number of frames "
					     "per second",
					     iv);
				free(copy);
				goto out;
			}
			t = xasprintf("%s%s%u", rates, *rates ? "," : "", rate);
			free(rates);
			rates = t;
		}
		free(copy);
	}
	if (w <= 0 || h <= 0 || !*rates) {
		export_error(ctx, rel, "a frame without size or intervals");
		goto out;
	}
	t = xasprintf("%s%s%ldx%ld@%s", *text, **text ? " " : "", w, h, rates);
	free(*text);
	*text = t;
	ok = true;
out:
	free(rates);
	free(list);
	free(path);
	return ok;
}

/*
 * uvc's descriptor tree read back into format.N and format.N.frames:
 * the formats the streaming header links, in the order of their link
 * names, each with its frames by bFrameIndex.  What the profile derives
 * (buffer sizes, bit rates) or leaves to the kernel (the control
 * header, the units) is not read.
 */
static void export_uvc(struct export_ctx *ctx, const char *fdir)
{
	static const uint8_t yuy2[16] = { 'Y',	'U',  'Y',  '2',  0x00, 0x00,
					  0x10, 0x00, 0x80, 0x00, 0x00, 0xaa,
					  0x00, 0x38, 0x9b, 0x71 };
	char *hrel = xasprintf("%s/streaming/header", fdir);
	char *hpath = export_path(ctx, hrel);
	size_t n_headers, n_links = 0;
	char **headers = export_entries(hpath, false, &n_headers);
	char **links = NULL;
	char *dir = NULL;

	if (n_headers == 0)
		goto out;
	/* The speeds link one header each; gadgetd makes one. */
	dir = xasprintf("%s/%s", hpath, headers[0]);
	links = export_entries(dir, true, &n_links);
	for (size_t i = 0; i < n_links; i++) {
		char *link = xasprintf("%s/%s", dir, links[i]);
		char *target = realpath(link, NULL);
		char *frel, *text = xstrdup(""), key[40], *guid = NULL;
		const char *base;
		char *fmt_name;
		char **frames;
		size_t n_frames, len = 0;
		long *index;
		bool ok = true;

		free(link);
		if (!target)
			continue;
		/* .../streaming/uncompressed/NAME or .../mjpeg/NAME */
		base = strrchr(target, '/');
		*(char *)base = '\0';
		fmt_name = xstrdup(strrchr(target, '/') + 1);
		frel = xasprintf("%s/streaming/%s/%s", fdir, fmt_name,
				 base + 1);
		if (streq(fmt_name, "uncompressed")) {
			char *g =
				xasprintf("%s/%s/guidFormat", target, base + 1);

			if (read_regular_file(g, 64, &guid, &len) < 0)
				len = 0;
			free(g);
			if (len < 16 || memcmp(guid, yuy2, 16) != 0) {
				export_error(ctx, frel,
					     "an uncompressed format other "
					     "than YUYV (guidFormat)");
				ok = false;
			}
			free(guid);
		} else if (!streq(fmt_name, "mjpeg")) {
			ok = false;
		}
		*(char *)base = '/';
		frames = export_entries(target, false, &n_frames);
		index = xcalloc(n_frames ? n_frames : 1, sizeof(*index));
		for (size_t j = 0; j < n_frames; j++) {
			char *p = xasprintf("%s/%s/bFrameIndex", target,
					    frames[j]);

			index[j] = export_number(p);
			free(p);
		}
		/* By bFrameIndex, the order the host sees. */
		for (size_t j = 0; ok && j < n_frames; j++) {
			size_t best = j;

			for (size_t k = j + 1; k < n_frames; k++)
				if (index[k] < index[best])
					best = k;
			if (best != j) {
				char *t = frames[j];
				long x = index[j];

				frames[j] = frames[best];
				frames[best] = t;
				index[j] = index[best];
				index[best] = x;
			}
			char *rel = xasprintf("%s/%s", frel, frames[j]);

			ok = export_uvc_frame(ctx, rel, &text);
			free(rel);
		}
		if (ok) {
			snprintf(key, sizeof(key), "format.%zu", i + 1);
			export_set(ctx, frel, key, "%s",
				   streq(fmt_name, "mjpeg") ? "mjpeg" : "yuyv");
			snprintf(key, sizeof(key), "format.%zu.frames", i + 1);
			export_set(ctx, frel, key, "%s", text);
		}
		free(index);
		export_free_names(frames, n_frames);
		free(text);
		free(fmt_name);
		free(frel);
		free(target);
	}
out:
	export_free_names(links, n_links);
	export_free_names(headers, n_headers);
	free(dir);
	free(hpath);
	free(hrel);
}

/* A function's section; f is NULL for one libusbgx cannot read. */
static void export_function_named(struct export_ctx *ctx, const char *type_name,
				  const char *instance, usbg_function *f)
{
	enum function_type type;
	char *fdir, *section;

	fdir = xasprintf("functions/%s.%s", type_name, instance);
	if (function_type_from_name(type_name, &type) < 0) {
		export_error(ctx, fdir, "gadgetd does not support %s functions",
			     type_name);
		free(fdir);
		return;
	}
	section = xasprintf("function %s.%s", type_name, instance);
	if (!export_begin(ctx, fdir, section))
		goto out;

	export_schema_values(ctx, type, fdir);
	/* Then the keys gadgetd acts on itself. */
	if (function_type_is_network(type) && f)
		export_net(ctx, f, fdir,
			   function_type_info(type)->os_desc_interface);
	else if (type == FUNCTION_MASS_STORAGE && f)
		export_mass_storage(ctx, f, fdir);
	else if (type == FUNCTION_HID && f)
		export_hid(ctx, f, fdir);
	else if (type == FUNCTION_FFS)
		export_ffs(ctx, instance, fdir);
	else if (type == FUNCTION_UVC)
		export_uvc(ctx, fdir);
out:
	free(section);
	free(fdir);
}

static void export_function(struct export_ctx *ctx, usbg_function *f)
{
	usbg_function_type utype = usbg_get_function_type(f);
	const char *type_name = usbg_get_function_type_str(utype);

	export_function_named(ctx, type_name ? type_name : "?",
			      usbg_get_function_instance(f), f);
}

/* A function the view left out (TYPE.INSTANCE). */
static void export_function_raw(struct export_ctx *ctx, const char *name)
{
	char *type_name = xstrdup(name);
	char *dot = strchr(type_name, '.');

	if (dot) {
		*dot = '\0';
		export_function_named(ctx, type_name, dot + 1, NULL);
	}
	free(type_name);
}

/* ---- configurations ---- */

/*
 * The functions linked into a configuration, in interface order: the
 * kernel adds functions to a configuration in the order they were linked.
 * configfs lists a directory's user-made entries newest first, so on
 * configfs the links read backwards give that order.  libusbgx 0.2.0
 * sorts them by name instead, which is why this reads the directory
 * itself.  Anywhere else (a copy of the tree, the tests' fake configfs)
 * there is no creation order to recover and names are sorted.
 */
static int export_config_links(const char *cdir, char ***out, size_t *n_out)
{
	struct statfs sfs;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	bool on_configfs;
	DIR *d;

	d = opendir(cdir);
	if (!d)
		return -errno;
	on_configfs = fstatfs(dirfd(d), &sfs) == 0 &&
		      sfs.f_type == EXPORT_CONFIGFS_MAGIC;
	while ((de = readdir(d))) {
		char *link = xasprintf("%s/%s", cdir, de->d_name);
		char target[PATH_MAX];
		ssize_t len = readlink(link, target, sizeof(target) - 1);
		const char *base;

		free(link);
		if (len < 0)
			continue; /* not a link: an attribute or strings/ */
		target[len] = '\0';
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(base);
	}
	closedir(d);

	if (on_configfs) {
		for (size_t i = 0; i < n / 2; i++) {
			char *t = names[i];

			names[i] = names[n - 1 - i];
			names[n - 1 - i] = t;
		}
	} else if (n > 1) {
		qsort(names, n, sizeof(*names), export_compare_names);
	}
	*out = names;
	*n_out = n;
	return 0;
}

static bool export_has_function(const struct export_ctx *ctx, usbg_gadget *g,
				const char *name)
{
	usbg_function *f;

	for (size_t i = 0; i < ctx->view.n_hidden; i++)
		if (streq(ctx->view.hidden[i], name))
			return true;
	usbg_for_each_function(f, g)
	{
		const char *t =
			usbg_get_function_type_str(usbg_get_function_type(f));
		const char *i = usbg_get_function_instance(f);
		size_t tl = t ? strlen(t) : 0;

		if (t && strncmp(name, t, tl) == 0 && name[tl] == '.' &&
		    streq(name + tl + 1, i))
			return true;
	}
	return false;
}

static void export_config(struct export_ctx *ctx, usbg_gadget *g,
			  usbg_config *c)
{
	struct usbg_config_attrs a;
	struct usbg_config_strs strs = { 0 };
	int id = usbg_get_config_id(c);
	char *cdir, *section, *rel, *path, *max_power = NULL, *functions;
	char *key;
	int *langs = NULL;
	char **links = NULL;
	size_t n_links = 0, len;
	int r;

	cdir = xasprintf("configs/%s.%d", usbg_get_config_label(c), id);
	section = xasprintf("config %d", id);
	if (!export_begin(ctx, cdir, section))
		goto out;

	/* The gadget's language (0x409 when it has no strings) gives
	 * name, every other language name.LANG. */
	if (usbg_get_config_strs_langs(c, &langs) == USBG_SUCCESS && langs) {
		int plain = ctx->language ? ctx->language : 0x409;

		for (int i = 0; langs[i]; i++) {
			if (usbg_get_config_strs(c, langs[i], &strs) !=
			    USBG_SUCCESS)
				continue;
			rel = xasprintf("%s/strings/0x%x/configuration", cdir,
					langs[i]);
			key = langs[i] == plain
				      ? xstrdup("name")
				      : xasprintf("name.0x%x", langs[i]);
			if (strs.configuration && strs.configuration[0])
				export_set(ctx, rel, key, "%s",
					   strs.configuration);
			free(key);
			free(rel);
			usbg_free_config_strs(&strs);
		}
		free(langs);
	}

	rel = xasprintf("%s/MaxPower", cdir);
	path = export_path(ctx, rel);
	r = read_file_string(path, &max_power);
	if (r < 0)
		export_error(ctx, rel, "%s", strerror(-r));
	else
		export_set(ctx, rel, "max_power", "%s", max_power);
	free(max_power);
	free(path);
	free(rel);

	rel = xasprintf("%s/bmAttributes", cdir);
	r = usbg_get_config_attrs(c, &a);
	if (r != USBG_SUCCESS) {
		export_error(ctx, rel, "%s", usbg_strerror(r));
	} else if (!(a.bmAttributes & 0x80) || (a.bmAttributes & 0x1f)) {
		export_error(ctx, rel,
			     "0x%02x has bits other than self-powered (0x40) "
			     "and remote wakeup (0x20)",
			     a.bmAttributes);
	} else {
		export_set(ctx, rel, "self_powered", "%s",
			   yes_no(a.bmAttributes & 0x40));
		export_set(ctx, rel, "remote_wakeup", "%s",
			   yes_no(a.bmAttributes & 0x20));
	}
	free(rel);

	path = export_path(ctx, cdir);
	r = export_config_links(path, &links, &n_links);
	free(path);
	if (r < 0) {
		export_error(ctx, cdir, "%s", strerror(-r));
		goto out;
	}
	len = 1;
	for (size_t i = 0; i < n_links; i++)
		len += strlen(links[i]) + 1;
	functions = xcalloc(1, len);
	for (size_t i = 0; i < n_links; i++) {
		if (!export_has_function(ctx, g, links[i])) {
			rel = xasprintf("%s/%s", cdir, links[i]);
			export_error(ctx, rel,
				     "links to %s, which is not a function of "
				     "this gadget",
				     links[i]);
			free(rel);
			continue;
		}
		if (functions[0])
			strcat(functions, " ");
		strcat(functions, links[i]);
	}
	if (functions[0])
		export_set(ctx, cdir, "functions", "%s", functions);
	free(functions);
out:
	for (size_t i = 0; i < n_links; i++)
		free(links[i]);
	free(links);
	free(section);
	free(cdir);
}

static void export_os_desc(struct export_ctx *ctx, usbg_gadget *g)
{
	struct usbg_gadget_os_descs od = { 0 };
	usbg_config *linked;

	/* Kernels without OS descriptor support have no os_desc/. */
	if (usbg_get_gadget_os_descs(g, &od) != USBG_SUCCESS)
		return;
	linked = usbg_get_os_desc_binding(g);
	if (!od.use && !linked)
		goto out;
	if (!export_begin(ctx, "os_desc", "os_desc"))
		goto out;
	export_set(ctx, "os_desc/use", "use", "%s", yes_no(od.use));
	export_set(ctx, "os_desc/b_vendor_code", "vendor_code", "0x%02x",
		   od.b_vendor_code);
	if (od.qw_sign && od.qw_sign[0])
		export_set(ctx, "os_desc/qw_sign", "signature", "%s",
			   od.qw_sign);
	if (linked) {
		char *rel = xasprintf("os_desc/%s.%d",
				      usbg_get_config_label(linked),
				      usbg_get_config_id(linked));

		export_set(ctx, rel, "config", "%d",
			   usbg_get_config_id(linked));
		free(rel);
	}
out:
	usbg_free_gadget_os_desc(&od);
}

static void export_no_gadget_dir(const char *dir, int err,
				 struct diag_list *diags)
{
	diag_error(diags, dir, 0, "%s%s", strerror(-err),
		   err == -ENOENT ? " (is configfs mounted and libcomposite "
				    "loaded?)"
				  : "");
}

/* usbg_init() on root, its own lines on stderr dropped (libusbgx 0.2.0
 * prints debugging lines when it cannot parse the tree). */
static int export_usbg_quiet(const char *root, usbg_state **s)
{
	int saved, devnull, r;

	(void)fflush(stderr);
	saved = dup(STDERR_FILENO);
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && devnull >= 0)
		dup2(devnull, STDERR_FILENO);
	r = usbg_init(root, s);
	(void)fflush(stderr);
	if (saved >= 0 && devnull >= 0)
		dup2(saved, STDERR_FILENO);
	if (saved >= 0)
		close(saved);
	if (devnull >= 0)
		close(devnull);
	if (r != USBG_SUCCESS)
		*s = NULL;
	return r;
}

/* Functions the view leaves out: the types libusbgx 0.2.0 has none for,
 * and those gadgetd does not know (reported when exported). */
static int export_view_hides(const char *function)
{
	const char *dot = strchr(function, '.');
	enum function_type type;
	char *type_name;
	int hide;

	if (!dot)
		return 0;
	type_name = xstrndup(function, (size_t)(dot - function));
	hide = function_type_from_name(type_name, &type) < 0 ||
	       function_type_info(type)->usbg_type == FUNCTION_NO_USBG_TYPE;
	free(type_name);
	return hide;
}

/*
 * usbg_init(), with its failures said in one line.  When it refuses the
 * tree for a function type it does not know (one of ours: printer, uvc,
 * ...; or another gadget's), the gadget is read through a view without
 * those functions (export_view.h).
 */
static int export_usbg_init(struct export_ctx *ctx, const char *configfs,
			    const char *gadget, usbg_state **s,
			    struct diag_list *diags)
{
	char *dir = xasprintf("%s/usb_gadget", configfs);
	struct stat st;
	int r;

	*s = NULL;
	if (stat(dir, &st) < 0) {
		r = -errno;
		export_no_gadget_dir(dir, r, diags);
		free(dir);
		return r;
	}

	r = export_usbg_quiet(configfs, s);
	if (r == USBG_ERROR_NOT_SUPPORTED && stat(ctx->dir, &st) == 0 &&
	    export_view_new(ctx->dir, gadget, export_view_hides, &ctx->view) ==
		    0)
		r = export_usbg_quiet(ctx->view.root, s);
	if (r != USBG_SUCCESS) {
		diag_error(diags, dir, 0,
			   "libusbgx cannot read the gadgets here: %s%s",
			   usbg_strerror(r),
			   r == USBG_ERROR_NOT_SUPPORTED
				   ? " (a gadget has a function type "
				     "libusbgx does not know)"
				   : "");
		r = usbgx_errno(r);
	}
	free(dir);
	return r;
}

int export_gadget(const struct export_options *opts, const char *gadget,
		  struct profile **out, struct diag_list *diags)
{
	const char *configfs = opts && opts->configfs ? opts->configfs
						      : CONFIG_DEFAULT_CONFIGFS;
	struct export_ctx ctx = { 0 };
	struct diag_list tmp;
	size_t errors_before = diags->n_errors;
	usbg_state *s = NULL;
	usbg_gadget *g;
	usbg_function *f;
	usbg_config *c;
	int r;

	*out = NULL;
	ctx.diags = diags;
	ctx.mounts = opts && opts->mounts ? opts->mounts : "/proc/self/mounts";
	ctx.dir = xasprintf("%s/usb_gadget/%s", configfs, gadget);
	ctx.paths = xcalloc(1, sizeof(*ctx.paths));
	ctx.paths[0] = xstrdup(ctx.dir);
	ctx.n_paths = 1;

	r = export_usbg_init(&ctx, configfs, gadget, &s, diags);
	if (r < 0)
		goto out;
	g = usbg_get_gadget(s, gadget);
	if (!g) {
		diag_error(diags, ctx.dir, 0, "%s", strerror(ENOENT));
		r = -ENOENT;
		goto out;
	}

	ctx.p = profile_new(ctx.dir);
	r = export_gadget_attrs(&ctx, g);
	if (r < 0)
		goto out;
	usbg_for_each_function(f, g)
	{
		export_function(&ctx, f);
	}
	for (size_t i = 0; i < ctx.view.n_hidden; i++)
		export_function_raw(&ctx, ctx.view.hidden[i]);
	usbg_for_each_config(c, g)
	{
		export_config(&ctx, g, c);
	}
	export_os_desc(&ctx, g);

	if (diags->n_errors > errors_before) {
		r = -EINVAL;
		goto out;
	}
	diag_init(&tmp);
	r = profile_validate(ctx.p, &tmp);
	export_move_diags(&ctx, &tmp);
	if (r < 0 || diags->n_errors > errors_before) {
		r = r < 0 ? r : -EINVAL;
		goto out;
	}
	*out = ctx.p;
	ctx.p = NULL;
	r = 0;
out:
	if (s)
		usbg_cleanup(s);
	export_view_free(&ctx.view);
	profile_free(ctx.p);
	for (size_t i = 0; i < ctx.n_paths; i++)
		free(ctx.paths[i]);
	free(ctx.paths);
	free(ctx.dir);
	return r;
}

static int export_list(const char *dir, char ***out, size_t *n_out)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		struct stat st;
		char *path;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
		free(path);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), export_compare_names);
	*out = names;
	*n_out = n;
	return 0;
}

int export_choose_gadget(const char *configfs, const char *requested,
			 const char *default_name, char **chosen,
			 struct diag_list *diags)
{
	char *dir, *path, **names = NULL, *list = NULL;
	size_t n = 0;
	struct stat st;
	int r;

	*chosen = NULL;
	if (!configfs)
		configfs = CONFIG_DEFAULT_CONFIGFS;
	dir = xasprintf("%s/usb_gadget", configfs);

	if (requested) {
		path = xasprintf("%s/%s", dir, requested);
		r = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -ENOENT;
		if (r < 0)
			diag_error(diags, path, 0, "no such gadget");
		else
			*chosen = xstrdup(requested);
		free(path);
		goto out;
	}

	r = export_list(dir, &names, &n);
	if (r < 0) {
		export_no_gadget_dir(dir, r, diags);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (default_name && streq(names[i], default_name))
			*chosen = xstrdup(default_name);
	if (!*chosen && n == 1)
		*chosen = xstrdup(names[0]);
	if (*chosen) {
		r = 0;
		goto out;
	}

	r = -ENOENT;
	if (n == 0) {
		diag_error(diags, dir, 0, "there is no gadget to export");
		goto out;
	}
	list = xstrdup("");
	for (size_t i = 0; i < n; i++) {
		char *next = xasprintf("%s%s%s", list, i ? " " : "", names[i]);

		free(list);
		list = next;
	}
	diag_error(diags, dir, 0, "no gadget named %s; name one of: %s",
		   default_name ? default_name : "gadgetd", list);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(list);
	free(dir);
	return r;
}
