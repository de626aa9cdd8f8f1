/* SPDX-License-Identifier: MIT */
/*
 * The libconfig profile loader: libusbgx's gadget-scheme syntax (what
 * usbg_export_gadget() writes and gt loads) plus an optional top-level
 * `gadgetd` group for what a scheme cannot say.
 *
 * This file is a translator and nothing more.  It walks the libconfig tree
 * and calls profile_begin_section() and profile_set_key() with the INI
 * section and key names and the value as text, so that both formats share
 * every type and range check and produce the same model.  The only checks
 * here are about the scheme's own structure (what is a group, a list, a
 * label) that the INI syntax has no equivalent of.
 *
 * docs/profile-libconfig.md describes the mapping.
 */
#include <errno.h>
#include <inttypes.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function/function.h"
#include "gadgetd/profile.h"
#include "profile_libconfig.h"
#include "profile_load.h"
#include "util.h"

/* A function label (the name of a group under `functions`, or
 * TYPE_INSTANCE for a function defined inline in a configuration) and
 * the configfs name it stands for. */
struct lc_label {
	char *label;
	char *name; /* "TYPE.INSTANCE" */
};

struct lc_ctx {
	const char *path; /* the profile, for messages */
	char *include_dir; /* where @include files are looked up */
	struct profile *p;
	struct diag_list *diags;
	size_t errors_before; /* diags->n_errors when loading started */

	struct lc_label *labels;
	size_t n_labels;

	/* gadgetd.functions and which of its entries a function claimed */
	const config_setting_t *extras;
	bool *extras_used;

	long language; /* the gadget strings' first language, -1 until seen */
	/* The profile reached a cap (profile_begin_section() said -E2BIG):
	 * later sections would be refused anyway, so they are not walked. */
	bool full;
};

/* A scheme setting's name and the INI key it becomes. */
struct lc_key {
	const char *scheme;
	const char *key;
};

/* Gadget attributes of the scheme and their INI keys. */
static const struct lc_key lc_gadget_attrs[] = {
	{ "bcdUSB", "usb_version" },
	{ "bDeviceClass", "device_class" },
	{ "bDeviceSubClass", "device_subclass" },
	{ "bDeviceProtocol", "device_protocol" },
	{ "bMaxPacketSize0", "max_packet_size0" },
	{ "idVendor", "vendor_id" },
	{ "idProduct", "product_id" },
	{ "bcdDevice", "device_version" },
};

static const struct lc_key lc_gadget_strings[] = {
	{ "manufacturer", "manufacturer" },
	{ "product", "product" },
	{ "serialnumber", "serial" },
};

static const struct lc_key lc_os_desc_attrs[] = {
	{ "use", "use" },
	{ "b_vendor_code", "vendor_code" },
	{ "qw_sign", "signature" },
	{ "config_id", "config" },
};

/* A configuration's strings. */
static const struct lc_key lc_config_string_keys[] = {
	{ "configuration", "name" },
};

/* LUN keys in attrs.luns; "filename" is what libusbgx before 0.2.0
 * wrote for "file". */
static const char *const lc_lun_attrs[] = { "file",  "ro",    "removable",
					    "cdrom", "nofua", "inquiry_string",
					    NULL };

static bool lc_in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (streq(*list, name))
			return true;
	return false;
}

static const char *lc_file(const struct lc_ctx *ctx, const config_setting_t *s,
			   char **owned)
{
	const char *file = s ? config_setting_source_file(s) : NULL;

	*owned = NULL;
	/* The main file is read from memory, so libconfig names only the
	 * files it included, and those as written in @include. */
	if (!file)
		return ctx->path;
	if (file[0] != '/' && ctx->include_dir &&
	    !streq(ctx->include_dir, ".")) {
		*owned = xasprintf("%s/%s", ctx->include_dir, file);
		return *owned;
	}
	return file;
}

static int lc_line(const config_setting_t *s)
{
	return s ? (int)config_setting_source_line(s) : 0;
}

static void lc_diag(struct lc_ctx *ctx, enum diag_severity severity,
		    const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void lc_diag(struct lc_ctx *ctx, enum diag_severity severity,
		    const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;
	char *msg, *owned;
	const char *file = lc_file(ctx, s, &owned);

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(ctx->diags, severity, file, lc_line(s), "%s", msg);
	free(msg);
	free(owned);
}

#define lc_error(ctx, s, ...) lc_diag((ctx), DIAG_ERROR, (s), __VA_ARGS__)
#define lc_warning(ctx, s, ...) lc_diag((ctx), DIAG_WARNING, (s), __VA_ARGS__)

/*
 * A scalar setting as the text an INI file would hold.  Integers keep the
 * base they were written in, so that messages quote what the user wrote
 * ("0x1d6b", not "7531").  Returns NULL for groups, lists and arrays.
 */
static char *lc_scalar_text(const config_setting_t *s)
{
	bool hex = config_setting_get_format(s) == CONFIG_FORMAT_HEX;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		if (hex)
			return xasprintf("0x%x",
					 (unsigned)config_setting_get_int(s));
		return xasprintf("%d", config_setting_get_int(s));
	case CONFIG_TYPE_INT64:
		if (hex)
			return xasprintf("0x%" PRIx64,
					 (uint64_t)config_setting_get_int64(s));
		return xasprintf("%lld", config_setting_get_int64(s));
	case CONFIG_TYPE_FLOAT:
		return xasprintf("%g", config_setting_get_float(s));
	case CONFIG_TYPE_STRING:
		return xstrdup(config_setting_get_string(s));
	case CONFIG_TYPE_BOOL:
		return xstrdup(config_setting_get_bool(s) ? "yes" : "no");
	default:
		return NULL;
	}
}

static const char *lc_name(const config_setting_t *s)
{
	const char *name = config_setting_name(s);

	return name ? name : "";
}

/* Set one INI key of the current section from a value at setting s. */
static void lc_set_text(struct lc_ctx *ctx, const config_setting_t *s,
			const char *key, const char *value)
{
	char *owned;
	const char *file = lc_file(ctx, s, &owned);
	char *saved = ctx->p->path;

	/* profile_set_key() names p->path in its messages; a key that
	 * came from an @include file must name that file. */
	if (owned || (file != ctx->path))
		ctx->p->path = (char *)file;
	profile_set_key(ctx->p, key, value, lc_line(s), ctx->diags);
	ctx->p->path = saved;
	free(owned);
}

/* Set an INI key from a scalar setting; `what` names the setting in the
 * message when it is not a scalar. */
static void lc_set(struct lc_ctx *ctx, const config_setting_t *s,
		   const char *key)
{
	char *text = lc_scalar_text(s);

	if (!text) {
		lc_error(ctx, s, "'%s' must be a single value, not a %s",
			 lc_name(s),
			 config_setting_is_group(s) ? "group" : "list");
		return;
	}
	lc_set_text(ctx, s, key, text);
	free(text);
}

static bool lc_begin(struct lc_ctx *ctx, const config_setting_t *s,
		     const char *section)
{
	char *owned;
	const char *file = lc_file(ctx, s, &owned);
	char *saved = ctx->p->path;
	int r;

	if (owned || (file != ctx->path))
		ctx->p->path = (char *)file;
	r = profile_begin_section(ctx->p, section, lc_line(s), ctx->diags);
	ctx->p->path = saved;
	free(owned);
	if (r == -E2BIG)
		ctx->full = true;
	return r >= 0;
}

static bool lc_expect(struct lc_ctx *ctx, const config_setting_t *s, int type,
		      const char *what)
{
	const char *kind;

	if (config_setting_type(s) == type)
		return true;
	/* libconfig's parenthesised lists and bracketed arrays are both
	 * sequences here. */
	if (type == CONFIG_TYPE_LIST &&
	    config_setting_type(s) == CONFIG_TYPE_ARRAY)
		return true;
	switch (type) {
	case CONFIG_TYPE_GROUP:
		kind = "a group { ... }";
		break;
	case CONFIG_TYPE_LIST:
		kind = "a list ( ... )";
		break;
	default:
		kind = "a string";
		break;
	}
	lc_error(ctx, s, "%s must be %s", what, kind);
	return false;
}

static const char *lc_string_member(struct lc_ctx *ctx,
				    const config_setting_t *group,
				    const char *member, const char *what)
{
	const config_setting_t *s = config_setting_get_member(group, member);

	if (!s) {
		lc_error(ctx, group, "%s has no '%s'", what, member);
		return NULL;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		lc_error(ctx, s, "'%s' of %s must be a string", member, what);
		return NULL;
	}
	return config_setting_get_string(s);
}

static bool lc_int_value(const config_setting_t *s, long long *value)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		*value = config_setting_get_int(s);
		return true;
	case CONFIG_TYPE_INT64:
		*value = config_setting_get_int64(s);
		return true;
	default:
		return false;
	}
}

static const char *lc_label_lookup(const struct lc_ctx *ctx, const char *label)
{
	for (size_t i = 0; i < ctx->n_labels; i++)
		if (streq(ctx->labels[i].label, label))
			return ctx->labels[i].name;
	return NULL;
}

static void lc_label_add(struct lc_ctx *ctx, const char *label,
			 const char *name)
{
	ctx->labels = xreallocarray(ctx->labels, ctx->n_labels + 1,
				    sizeof(*ctx->labels));
	ctx->labels[ctx->n_labels].label = xstrdup(label);
	ctx->labels[ctx->n_labels].name = xstrdup(name);
	ctx->n_labels++;
}

/* ---- gadgetd { functions { LABEL { ... } } } ---- */

static const config_setting_t *lc_extras_for(struct lc_ctx *ctx,
					     const char *label)
{
	int n;

	if (!ctx->extras)
		return NULL;
	n = config_setting_length(ctx->extras);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e =
			config_setting_get_elem(ctx->extras, (unsigned)i);

		if (streq(lc_name(e), label)) {
			ctx->extras_used[i] = true;
			return e;
		}
	}
	return NULL;
}

/* One LUN's keys from a group of attrs.luns or gadgetd's luns. */
static void lc_lun_keys(struct lc_ctx *ctx, const config_setting_t *lun,
			int index, bool from_scheme)
{
	int n = config_setting_length(lun);

	for (int i = 0; i < n; i++) {
		const config_setting_t *s =
			config_setting_get_elem(lun, (unsigned)i);
		const char *name = lc_name(s);
		char *key;

		if (streq(name, "filename"))
			name = "file";
		if (from_scheme && !lc_in_list(lc_lun_attrs, name)) {
			lc_error(ctx, s, "unknown key '%s' in LUN %d", name,
				 index);
			continue;
		}
		key = xasprintf("lun.%d.%s", index, name);
		lc_set(ctx, s, key);
		free(key);
	}
}

static int lc_list_length(struct lc_ctx *ctx, const config_setting_t *s,
			  const char *what)
{
	if (!s)
		return 0;
	if (!lc_expect(ctx, s, CONFIG_TYPE_LIST, what))
		return 0;
	return config_setting_length(s);
}

static const config_setting_t *lc_lun_group(struct lc_ctx *ctx,
					    const config_setting_t *list, int i)
{
	const config_setting_t *lun;

	if (!list || i >= config_setting_length(list))
		return NULL;
	lun = config_setting_get_elem(list, (unsigned)i);
	if (!lc_expect(ctx, lun, CONFIG_TYPE_GROUP, "a LUN"))
		return NULL;
	return lun;
}

/*
 * attrs.luns and gadgetd's luns describe the same LUNs by position; set
 * each LUN's keys from both before the next LUN, so LUNs are introduced
 * in increasing order as the model wants.
 */
static void lc_luns(struct lc_ctx *ctx, const config_setting_t *scheme_luns,
		    const config_setting_t *extra_luns)
{
	int n_scheme = lc_list_length(ctx, scheme_luns, "luns");
	int n_extra = lc_list_length(ctx, extra_luns, "luns");
	int n = n_scheme > n_extra ? n_scheme : n_extra;

	/* The keys of the first LUN past the cap get profile_set_key()'s
	 * message; the rest of a long list is not walked. */
	if (n > PROFILE_MAX_LUNS + 1)
		n = PROFILE_MAX_LUNS + 1;
	if (n_scheme == 0)
		scheme_luns = NULL;
	if (n_extra == 0)
		extra_luns = NULL;
	for (int i = 0; i < n; i++) {
		const config_setting_t *lun;

		lun = lc_lun_group(ctx, scheme_luns, i);
		if (lun)
			lc_lun_keys(ctx, lun, i, true);
		lun = lc_lun_group(ctx, extra_luns, i);
		if (lun)
			lc_lun_keys(ctx, lun, i, false);
	}
}

/* gadgetd's `address` may be one string or a list of them. */
static void lc_address(struct lc_ctx *ctx, const config_setting_t *s)
{
	size_t len = 0;
	char *text;
	int n;

	if (!config_setting_is_list(s) && !config_setting_is_array(s)) {
		lc_set(ctx, s, "address");
		return;
	}
	n = config_setting_length(s);
	/* As with a configuration's functions: one past the cap is enough
	 * for the message. */
	if (n > PROFILE_MAX_ADDRESSES + 1)
		n = PROFILE_MAX_ADDRESSES + 1;
	for (int i = 0; i < n; i++) {
		const config_setting_t *e =
			config_setting_get_elem(s, (unsigned)i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			lc_error(ctx, e,
				 "address: each element must be a "
				 "string");
			return;
		}
		len += strlen(config_setting_get_string(e)) + 1;
	}
	text = xcalloc(1, len + 1);
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(text, " ");
		strcat(text, config_setting_get_string(
				     config_setting_get_elem(s, (unsigned)i)));
	}
	lc_set_text(ctx, s, "address", text);
	free(text);
}

/* Every key of a gadgetd function entry is an INI key of the function's
 * section, except `luns` (handled with the scheme's LUNs) and `address`
 * (which may be a list). */
/*
 * uvc's formats in the gadgetd group: a list of groups { format = "yuyv";
 * frames = "640x360@30 1280x720@10"; }, element N - 1 giving format.N
 * and format.N.frames (libconfig names cannot hold the INI keys' dots).
 */
static void lc_uvc_formats(struct lc_ctx *ctx, const config_setting_t *list)
{
	int n;

	if (!lc_expect(ctx, list, CONFIG_TYPE_LIST, "formats"))
		return;
	n = config_setting_length(list);
	for (int i = 0; i < n; i++) {
		const config_setting_t *g =
			config_setting_get_elem(list, (unsigned)i);
		int m;

		if (!lc_expect(ctx, g, CONFIG_TYPE_GROUP,
			       "an element of formats"))
			continue;
		m = config_setting_length(g);
		for (int j = 0; j < m; j++) {
			const config_setting_t *s =
				config_setting_get_elem(g, (unsigned)j);
			const char *name = lc_name(s);
			char *key;

			if (streq(name, "format")) {
				key = xasprintf("format.%d", i + 1);
			} else if (streq(name, "frames")) {
				key = xasprintf("format.%d.frames", i + 1);
			} else {
				lc_error(ctx, s,
					 "unknown key '%s' in formats: "
					 "expected format and frames",
					 name);
				continue;
			}
			lc_set(ctx, s, key);
			free(key);
		}
	}
}

static void lc_extra_keys(struct lc_ctx *ctx, const config_setting_t *extra)
{
	int n = config_setting_length(extra);

	for (int i = 0; i < n; i++) {
		const config_setting_t *s =
			config_setting_get_elem(extra, (unsigned)i);
		const char *name = lc_name(s);

		if (streq(name, "luns"))
			continue;
		if (streq(name, "address"))
			lc_address(ctx, s);
		else if (streq(name, "formats") && !config_setting_is_scalar(s))
			lc_uvc_formats(ctx, s);
		else
			lc_set(ctx, s, name);
	}
}

/* ---- functions ---- */

/* HID report descriptor: libusbgx writes a list of byte values. */
static void lc_report_desc(struct lc_ctx *ctx, const config_setting_t *s)
{
	uint8_t *bytes;
	char *text;
	int n;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		lc_set(ctx, s, "report_desc");
		return;
	}
	if (!lc_expect(ctx, s, CONFIG_TYPE_LIST, "report_desc"))
		return;
	n = config_setting_length(s);
	bytes = xcalloc((size_t)n + 1, 1);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e =
			config_setting_get_elem(s, (unsigned)i);
		long long byte;

		if (!lc_int_value(e, &byte) || byte < 0 || byte > 0xff) {
			lc_error(ctx, e,
				 "report_desc: element %d is not a byte "
				 "(0 to 0xff)",
				 i + 1);
			free(bytes);
			return;
		}
		bytes[i] = (uint8_t)byte;
	}
	text = hex_bytes_text(bytes, (size_t)n);
	lc_set_text(ctx, s, "report_desc", text);
	free(text);
	free(bytes);
}

/*
 * A scheme's attrs are the type's schema (src/function/), whose keys are
 * libusbgx's attribute names, and the few keys of gadgetd's own code that
 * libusbgx also exports (a network function's MAC addresses).  Read-only
 * attributes that usbg_export_gadget() writes (a network function's
 * ifname, a serial function's port_num, a HID function's dev) are
 * ignored, as libusbgx's own import ignores them.
 */
static bool lc_function_knows(const struct function_type_info *t,
			      const char *name)
{
	return function_attr_find(t, name, NULL) ||
	       (t->scheme_keys && lc_in_list(t->scheme_keys, name));
}

static void lc_function_attrs(struct lc_ctx *ctx, enum function_type type,
			      const config_setting_t *attrs,
			      const config_setting_t *extra_luns,
			      const char *fname)
{
	const struct function_type_info *t = function_type_info(type);
	const config_setting_t *luns = NULL;
	int n = attrs ? config_setting_length(attrs) : 0;

	for (int i = 0; i < n; i++) {
		const config_setting_t *s =
			config_setting_get_elem(attrs, (unsigned)i);
		const char *name = lc_name(s);

		if (t->scheme_read_only &&
		    lc_in_list(t->scheme_read_only, name))
			continue;
		if (type == FUNCTION_MASS_STORAGE && streq(name, "luns")) {
			luns = s;
			continue;
		}
		if (type == FUNCTION_HID && streq(name, "report_desc")) {
			lc_report_desc(ctx, s);
			continue;
		}
		/* libusbgx 0.3.0's uvc scheme (formats, config, frames of
		 * single attributes) has changed since and names what
		 * gadgetd derives; the formats go in the gadgetd group. */
		if (type == FUNCTION_UVC &&
		    (streq(name, "formats") || streq(name, "config"))) {
			lc_error(ctx, s,
				 "libusbgx's uvc '%s' in attrs of function "
				 "%s is not read: give the formats in "
				 "gadgetd.functions (formats = ( { format = "
				 "\"yuyv\"; frames = \"640x360@30\"; } ))",
				 name, fname);
			continue;
		}
		if (!lc_function_knows(t, name)) {
			lc_error(ctx, s,
				 "unknown key '%s' in attrs of "
				 "function %s",
				 name, fname);
			continue;
		}
		lc_set(ctx, s, name);
	}
	if (type == FUNCTION_MASS_STORAGE)
		lc_luns(ctx, luns, extra_luns);
	else if (extra_luns)
		lc_error(ctx, extra_luns, "function %s has no LUNs", fname);
}

/* Interface OS descriptors: libusbgx writes a list of groups, one per
 * interface; RNDIS and NCM have one each, named "rndis" and "ncm". */
static void lc_function_os_descs(struct lc_ctx *ctx,
				 const config_setting_t *list,
				 const char *fname, enum function_type type)
{
	const char *iface = function_type_info(type)->os_desc_interface;
	int n;

	if (!lc_expect(ctx, list, CONFIG_TYPE_LIST, "os_descs"))
		return;
	n = config_setting_length(list);
	for (int i = 0; i < n; i++) {
		const config_setting_t *g =
			config_setting_get_elem(list, (unsigned)i);
		int m;

		if (!lc_expect(ctx, g, CONFIG_TYPE_GROUP,
			       "an element of os_descs"))
			continue;
		m = config_setting_length(g);
		for (int j = 0; j < m; j++) {
			const config_setting_t *s =
				config_setting_get_elem(g, (unsigned)j);
			const char *name = lc_name(s);

			if (streq(name, "interface")) {
				if (!iface ||
				    config_setting_type(s) !=
					    CONFIG_TYPE_STRING ||
				    !streq(config_setting_get_string(s), iface))
					lc_error(ctx, s,
						 "function %s: only the "
						 "interfaces \"rndis\" (of "
						 "rndis) and \"ncm\" (of ncm) "
						 "have OS descriptors",
						 fname);
			} else if (streq(name, "compatible_id")) {
				lc_set(ctx, s, "os_desc.compatible_id");
			} else if (streq(name, "sub_compatible_id")) {
				lc_set(ctx, s, "os_desc.sub_compatible_id");
			} else {
				lc_error(ctx, s,
					 "unknown key '%s' in os_descs of "
					 "function %s",
					 name, fname);
			}
		}
	}
}

/*
 * One function definition: a group with type, instance, attrs and
 * os_descs.  `label` is its name under `functions`, or TYPE_INSTANCE
 * for a function defined inline in a configuration.
 */
static void lc_function(struct lc_ctx *ctx, const config_setting_t *def,
			const char *label, bool is_inline)
{
	const char *type_name, *instance;
	const config_setting_t *attrs = NULL, *os_descs = NULL, *extra;
	const config_setting_t *extra_luns = NULL;
	enum function_type type;
	char *section, *name, *gen_label = NULL;
	int n, c;

	if (ctx->full)
		return;
	type_name = lc_string_member(ctx, def, "type", "a function");
	instance = lc_string_member(ctx, def, "instance", "a function");
	if (!type_name || !instance)
		return;
	/* Refused here, as profile_begin_section() would, because the
	 * messages below name the function. */
	c = profile_control_char(type_name, false);
	if (!c)
		c = profile_control_char(instance, false);
	if (c) {
		lc_error(ctx, def,
			 "type or instance of a function contains a control "
			 "character (0x%02x)",
			 (unsigned int)c);
		return;
	}

	name = xasprintf("%s.%s", type_name, instance);
	if (is_inline) {
		gen_label = xasprintf("%s_%s", type_name, instance);
		label = gen_label;
	}
	/* Labels under `functions` are unique (libconfig refuses a name
	 * twice in a group); an inline function that repeats one is a
	 * duplicate function, which profile_begin_section() reports. */
	if (!lc_label_lookup(ctx, label))
		lc_label_add(ctx, label, name);

	n = config_setting_length(def);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s =
			config_setting_get_elem(def, (unsigned)i);
		const char *key = lc_name(s);

		if (streq(key, "type") || streq(key, "instance"))
			continue;
		if (streq(key, "attrs")) {
			if (lc_expect(ctx, s, CONFIG_TYPE_GROUP, "attrs"))
				attrs = s;
		} else if (streq(key, "os_descs")) {
			os_descs = s;
		} else {
			lc_error(ctx, s, "unknown key '%s' in function %s", key,
				 name);
		}
	}

	extra = lc_extras_for(ctx, label);
	section = xasprintf("function %s", name);
	if (!lc_begin(ctx, def, section))
		goto out;
	/* profile_begin_section() accepted the type, so it is known. */
	if (function_type_from_name(type_name, &type) < 0)
		goto out;
	if (extra)
		extra_luns = config_setting_get_member(extra, "luns");
	if (attrs || extra_luns)
		lc_function_attrs(ctx, type, attrs, extra_luns, name);
	if (os_descs)
		lc_function_os_descs(ctx, os_descs, name, type);
	if (extra)
		lc_extra_keys(ctx, extra);
out:
	free(section);
	free(name);
	free(gen_label);
}

static void lc_functions(struct lc_ctx *ctx, const config_setting_t *group)
{
	int n;

	if (!lc_expect(ctx, group, CONFIG_TYPE_GROUP, "functions"))
		return;
	n = config_setting_length(group);
	for (int i = 0; i < n && !ctx->full; i++) {
		const config_setting_t *def =
			config_setting_get_elem(group, (unsigned)i);

		if (!lc_expect(ctx, def, CONFIG_TYPE_GROUP,
			       "a function definition"))
			continue;
		lc_function(ctx, def, lc_name(def), false);
	}
}

/* ---- configs ---- */

static void lc_config_attrs(struct lc_ctx *ctx, const config_setting_t *attrs)
{
	int n;

	if (!lc_expect(ctx, attrs, CONFIG_TYPE_GROUP, "attrs"))
		return;
	n = config_setting_length(attrs);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s =
			config_setting_get_elem(attrs, (unsigned)i);
		const char *name = lc_name(s);
		long long bm;

		if (streq(name, "bMaxPower")) {
			/* configfs MaxPower holds mA, and libusbgx writes
			 * and reads it unchanged. */
			lc_set(ctx, s, "max_power");
		} else if (streq(name, "bmAttributes")) {
			if (!lc_int_value(s, &bm)) {
				lc_error(ctx, s,
					 "bmAttributes must be an integer");
				continue;
			}
			/* The kernel refuses anything but these bits (and
			 * bit 7 clear), so the two booleans say it all. */
			if (!(bm & 0x80) || (bm & ~0xe0LL)) {
				lc_error(ctx, s,
					 "bmAttributes 0x%llx: bit 7 must be "
					 "set and only 0x40 (self-powered) "
					 "and 0x20 (remote wakeup) may be "
					 "added",
					 bm);
				continue;
			}
			lc_set_text(ctx, s, "self_powered",
				    (bm & 0x40) ? "yes" : "no");
			lc_set_text(ctx, s, "remote_wakeup",
				    (bm & 0x20) ? "yes" : "no");
		} else {
			lc_error(ctx, s,
				 "unknown key '%s' in attrs of a "
				 "configuration",
				 name);
		}
	}
}

/* A strings group's lang: a USB language id, as profile_set_key() takes
 * it in strings.LANG.* keys. */
static bool lc_language(struct lc_ctx *ctx, const config_setting_t *lang,
			long *out)
{
	long long value;

	if (!lc_int_value(lang, &value)) {
		lc_error(ctx, lang, "lang must be an integer");
		return false;
	}
	if (value < 1 || value > 0xffff) {
		lc_error(ctx, lang,
			 "lang must be a USB language id from 0x1 to 0xffff");
		return false;
	}
	*out = (long)value;
	return true;
}

/* Setting s under the key map says; anything else is unknown in where. */
static void lc_set_mapped(struct lc_ctx *ctx, const config_setting_t *s,
			  const struct lc_key *map, size_t n_map,
			  const char *where)
{
	const char *name = lc_name(s);

	for (size_t k = 0; k < n_map; k++) {
		if (streq(map[k].scheme, name)) {
			lc_set(ctx, s, map[k].key);
			return;
		}
	}
	lc_error(ctx, s, "unknown key '%s' in %s", name, where);
}

/*
 * A scheme `strings` list: groups of one language each (`lang`) whose
 * other settings map through map.  The gadget's first language is the
 * profile's language key (gadget) and its strings the plain keys; every
 * other language goes to strings.LANG.KEY (gadget) or KEY.LANG (a
 * configuration's name.LANG).
 */
static void lc_strings(struct lc_ctx *ctx, const config_setting_t *list,
		       const struct lc_key *map, size_t n_map,
		       const char *where, bool gadget)
{
	int n;

	if (!lc_expect(ctx, list, CONFIG_TYPE_LIST, "strings"))
		return;
	n = config_setting_length(list);
	for (int i = 0; i < n; i++) {
		const config_setting_t *g =
			config_setting_get_elem(list, (unsigned)i);
		const config_setting_t *lang;
		long id;
		bool plain;
		int m;

		if (!lc_expect(ctx, g, CONFIG_TYPE_GROUP,
			       "an element of strings"))
			continue;
		lang = config_setting_get_member(g, "lang");
		if (!lang) {
			lc_error(ctx, g, "strings have no 'lang'");
			continue;
		}
		if (!lc_language(ctx, lang, &id))
			continue;
		if (gadget && ctx->language < 0) {
			ctx->language = id;
			lc_set(ctx, lang, "language");
		}
		plain = id == (ctx->language < 0 ? 0x409 : ctx->language);
		m = config_setting_length(g);
		for (int j = 0; j < m; j++) {
			const config_setting_t *s =
				config_setting_get_elem(g, (unsigned)j);
			const char *name = lc_name(s);
			size_t k;
			char *key;

			if (streq(name, "lang"))
				continue;
			if (plain) {
				lc_set_mapped(ctx, s, map, n_map, where);
				continue;
			}
			for (k = 0; k < n_map; k++)
				if (streq(map[k].scheme, name))
					break;
			if (k == n_map) {
				lc_error(ctx, s, "unknown key '%s' in %s", name,
					 where);
				continue;
			}
			key = gadget ? xasprintf("strings.0x%lx.%s", id,
						 map[k].key)
				     : xasprintf("%s.0x%lx", map[k].key, id);
			lc_set(ctx, s, key);
			free(key);
		}
	}
}

/* A string of the scheme that messages would quote, refused with a
 * control character as profile_set_key() refuses values. */
static bool lc_control_char(struct lc_ctx *ctx, const config_setting_t *s,
			    const char *text, const char *what)
{
	int c = profile_control_char(text, false);

	if (c)
		lc_error(ctx, s, "%s contains a control character (0x%02x)",
			 what, (unsigned int)c);
	return c != 0;
}

/*
 * A binding is a function label, or a group with `function` (a label or
 * an inline definition) and an optional `name` for the link.  Returns
 * the function's configfs name, or NULL after an error.  Inline
 * definitions are collected in *inline_defs, to be opened as function
 * sections once the configuration's section is complete.
 */
static char *lc_binding(struct lc_ctx *ctx, const config_setting_t *b,
			const config_setting_t ***inline_defs, size_t *n_inline)
{
	const config_setting_t *fn = b, *link_name = NULL;
	const char *label;
	char *name;

	if (config_setting_is_group(b)) {
		int n = config_setting_length(b);

		fn = NULL;
		for (int i = 0; i < n; i++) {
			const config_setting_t *s =
				config_setting_get_elem(b, (unsigned)i);

			if (streq(lc_name(s), "function"))
				fn = s;
			else if (streq(lc_name(s), "name"))
				link_name = s;
			else
				lc_error(ctx, s,
					 "unknown key '%s' in a function "
					 "binding",
					 lc_name(s));
		}
		if (!fn) {
			lc_error(ctx, b, "function binding has no 'function'");
			return NULL;
		}
	}

	if (config_setting_is_group(fn)) {
		const char *type =
			lc_string_member(ctx, fn, "type", "an inline function");
		const char *inst = lc_string_member(ctx, fn, "instance",
						    "an inline function");

		if (!type || !inst)
			return NULL;
		/* Its section is opened once the configuration's is
		 * complete. */
		*inline_defs = xreallocarray(*inline_defs, *n_inline + 1,
					     sizeof(const config_setting_t *));
		(*inline_defs)[(*n_inline)++] = fn;
		name = xasprintf("%s.%s", type, inst);
	} else if (config_setting_type(fn) == CONFIG_TYPE_STRING) {
		label = config_setting_get_string(fn);
		if (lc_control_char(ctx, fn, label, "function label"))
			return NULL;
		if (!lc_label_lookup(ctx, label)) {
			lc_error(ctx, fn, "no function labelled '%s'", label);
			return NULL;
		}
		name = xstrdup(lc_label_lookup(ctx, label));
	} else {
		lc_error(ctx, fn,
			 "a function binding must be a label string "
			 "or a group");
		return NULL;
	}

	if (link_name) {
		if (config_setting_type(link_name) != CONFIG_TYPE_STRING)
			lc_error(ctx, link_name,
				 "'name' of a function binding must be a "
				 "string");
		else if (!lc_control_char(ctx, link_name,
					  config_setting_get_string(link_name),
					  "binding name") &&
			 !streq(config_setting_get_string(link_name), name))
			lc_warning(ctx, link_name,
				   "binding name '%s' is not kept: gadgetd "
				   "links %s under its own name",
				   config_setting_get_string(link_name), name);
	}
	return name;
}

static void lc_config_functions(struct lc_ctx *ctx,
				const config_setting_t *list,
				const config_setting_t ***inline_defs,
				size_t *n_inline)
{
	size_t len = 1;
	char *text = xstrdup("");
	int n;

	if (!lc_expect(ctx, list, CONFIG_TYPE_LIST, "functions"))
		goto out;
	n = config_setting_length(list);
	/* One past the cap is enough for profile_set_key() to say "too
	 * many"; a list of thousands is not walked. */
	if (n > PROFILE_MAX_CONFIG_FUNCTIONS + 1)
		n = PROFILE_MAX_CONFIG_FUNCTIONS + 1;
	for (int i = 0; i < n; i++) {
		char *name = lc_binding(
			ctx, config_setting_get_elem(list, (unsigned)i),
			inline_defs, n_inline);

		if (!name)
			continue;
		len += strlen(name) + 1;
		text = xreallocarray(text, len, 1);
		if (text[0])
			strcat(text, " ");
		strcat(text, name);
		free(name);
	}
	lc_set_text(ctx, list, "functions", text);
out:
	free(text);
}

static void lc_config(struct lc_ctx *ctx, const config_setting_t *c)
{
	const config_setting_t *id, *attrs = NULL, *strings = NULL;
	const config_setting_t *functions = NULL;
	const config_setting_t **inline_defs = NULL;
	size_t n_inline = 0;
	long long id_value;
	char *section;
	int n;

	id = config_setting_get_member(c, "id");
	if (!id) {
		lc_error(ctx, c, "a configuration has no 'id'");
		return;
	}
	if (!lc_int_value(id, &id_value)) {
		lc_error(ctx, id, "id must be an integer");
		return;
	}

	n = config_setting_length(c);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s =
			config_setting_get_elem(c, (unsigned)i);
		const char *name = lc_name(s);

		if (streq(name, "attrs"))
			attrs = s;
		else if (streq(name, "strings"))
			strings = s;
		else if (streq(name, "functions"))
			functions = s;
		else if (!streq(name, "id") && !streq(name, "name"))
			/* `name` is libusbgx's label, the "c" of
			 * configs/c.1: not visible to the host, and
			 * gadgetd always uses "c". */
			lc_error(ctx, s, "unknown key '%s' in a configuration",
				 name);
	}

	section = xasprintf("config %lld", id_value);
	if (lc_begin(ctx, id, section)) {
		if (attrs)
			lc_config_attrs(ctx, attrs);
		if (strings)
			lc_strings(ctx, strings, lc_config_string_keys,
				   ARRAY_SIZE(lc_config_string_keys),
				   "strings of a configuration", false);
		if (functions)
			lc_config_functions(ctx, functions, &inline_defs,
					    &n_inline);
	}
	free(section);

	for (size_t i = 0; i < n_inline; i++)
		lc_function(ctx, inline_defs[i], NULL, true);
	free(inline_defs);
}

static void lc_configs(struct lc_ctx *ctx, const config_setting_t *list)
{
	int n;

	if (!lc_expect(ctx, list, CONFIG_TYPE_LIST, "configs"))
		return;
	n = config_setting_length(list);
	for (int i = 0; i < n && !ctx->full; i++) {
		const config_setting_t *c =
			config_setting_get_elem(list, (unsigned)i);

		if (lc_expect(ctx, c, CONFIG_TYPE_GROUP, "a configuration"))
			lc_config(ctx, c);
	}
}

/* ---- the gadget ---- */

static void lc_gadget(struct lc_ctx *ctx, const config_setting_t *attrs,
		      const config_setting_t *strings)
{
	const config_setting_t *first = attrs ? attrs : strings;

	if (attrs && strings &&
	    config_setting_source_line(strings) <
		    config_setting_source_line(attrs))
		first = strings;
	if (!lc_begin(ctx, first, "gadget"))
		return;

	if (attrs && lc_expect(ctx, attrs, CONFIG_TYPE_GROUP, "attrs")) {
		int n = config_setting_length(attrs);

		for (int i = 0; i < n; i++)
			lc_set_mapped(
				ctx,
				config_setting_get_elem(attrs, (unsigned)i),
				lc_gadget_attrs, ARRAY_SIZE(lc_gadget_attrs),
				"attrs of the gadget");
	}
	if (strings)
		lc_strings(ctx, strings, lc_gadget_strings,
			   ARRAY_SIZE(lc_gadget_strings),
			   "strings of the gadget", true);
}

static void lc_os_descs(struct lc_ctx *ctx, const config_setting_t *group)
{
	int n;

	if (!lc_expect(ctx, group, CONFIG_TYPE_GROUP, "os_descs"))
		return;
	if (!lc_begin(ctx, group, "os_desc"))
		return;
	n = config_setting_length(group);
	for (int i = 0; i < n; i++)
		lc_set_mapped(ctx, config_setting_get_elem(group, (unsigned)i),
			      lc_os_desc_attrs, ARRAY_SIZE(lc_os_desc_attrs),
			      "os_descs");
}

/* The gadgetd group: `description` and `functions`; the function
 * entries are applied with their functions. */
static void lc_gadgetd(struct lc_ctx *ctx, const config_setting_t *group)
{
	int n;

	if (!lc_expect(ctx, group, CONFIG_TYPE_GROUP, "gadgetd"))
		return;
	n = config_setting_length(group);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s =
			config_setting_get_elem(group, (unsigned)i);
		const char *name = lc_name(s);

		if (streq(name, "description")) {
			if (lc_begin(ctx, s, "profile"))
				lc_set(ctx, s, "description");
		} else if (streq(name, "functions")) {
			if (!lc_expect(ctx, s, CONFIG_TYPE_GROUP,
				       "gadgetd.functions"))
				continue;
			ctx->extras = s;
			ctx->extras_used =
				xcalloc((size_t)config_setting_length(s) + 1,
					sizeof(bool));
			for (int j = 0; j < config_setting_length(s); j++)
				lc_expect(
					ctx,
					config_setting_get_elem(s, (unsigned)j),
					CONFIG_TYPE_GROUP,
					"an entry of gadgetd.functions");
		} else {
			lc_error(ctx, s, "unknown key '%s' in gadgetd", name);
		}
	}
}

static void lc_translate(struct lc_ctx *ctx, const config_setting_t *root)
{
	const config_setting_t *attrs = NULL, *strings = NULL;
	const config_setting_t *functions = NULL, *configs = NULL;
	const config_setting_t *os_descs = NULL, *gadgetd = NULL;
	int n = config_setting_length(root);

	for (int i = 0; i < n; i++) {
		const config_setting_t *s =
			config_setting_get_elem(root, (unsigned)i);
		const char *name = lc_name(s);

		if (streq(name, "attrs"))
			attrs = s;
		else if (streq(name, "strings"))
			strings = s;
		else if (streq(name, "functions"))
			functions = s;
		else if (streq(name, "configs"))
			configs = s;
		else if (streq(name, "os_descs"))
			os_descs = s;
		else if (streq(name, "gadgetd"))
			gadgetd = s;
		else
			lc_error(ctx, s, "unknown key '%s'", name);
	}

	/* Sections in the order an INI profile has them: [profile],
	 * [gadget], functions, configurations, [os_desc]. */
	if (gadgetd)
		lc_gadgetd(ctx, gadgetd);
	if (attrs || strings)
		lc_gadget(ctx, attrs, strings);
	if (functions)
		lc_functions(ctx, functions);
	if (configs)
		lc_configs(ctx, configs);
	if (os_descs)
		lc_os_descs(ctx, os_descs);

	if (ctx->extras) {
		int m = config_setting_length(ctx->extras);

		for (int i = 0; i < m; i++)
			if (!ctx->extras_used[i])
				lc_error(ctx,
					 config_setting_get_elem(ctx->extras,
								 (unsigned)i),
					 "gadgetd.functions: no function "
					 "labelled '%s'",
					 lc_name(config_setting_get_elem(
						 ctx->extras, (unsigned)i)));
	}
}

/* ---- what libconfig is given ---- */

/*
 * libconfig 1.5 looks for a duplicate name among a group's members each
 * time it adds one: linear per setting, quadratic per group, seconds for
 * the tens of thousands a 1 MiB file holds.  So a group's settings are
 * counted before libconfig sees the text.  The largest group of a valid
 * profile is `functions` (PROFILE_MAX_FUNCTIONS labels); twice that
 * leaves the profile's own caps to speak first, with their message.
 */
#define LC_MAX_GROUP_SETTINGS (2 * PROFILE_MAX_FUNCTIONS)
/* libconfig's MAX_INCLUDE_DEPTH: it opens no deeper @include. */
#define LC_MAX_INCLUDE_DEPTH 10

/* One open group (or list) of the text being scanned. */
struct lc_scan_level {
	bool group;
	unsigned int settings;
};

struct lc_scan {
	struct lc_ctx *ctx;
	struct lc_scan_level *levels; /* levels[0] is the root group */
	size_t depth, cap;
	size_t total; /* bytes of the profile and its @include files */
};

/* The name a message gives an @include file, as lc_file() does. */
static char *lc_include_name(const struct lc_ctx *ctx, const char *file)
{
	if (file[0] != '/' && !streq(ctx->include_dir, "."))
		return xasprintf("%s/%s", ctx->include_dir, file);
	return xstrdup(file);
}

static int lc_scan_text(struct lc_scan *sc, const char *file, const char *text,
			int include_depth);

/*
 * `@include "name"` at line start: read the file as libconfig will open
 * it (the include directory joined with the name, even an absolute
 * one), as a regular file within what is left of the size cap, and scan
 * it in place, since its settings land in the group around it.
 * libconfig reads it again itself (1.5 has no hook to hand it the
 * text); what it then finds is only what was checked here unless the
 * file is replaced in between.
 */
static int lc_scan_include(struct lc_scan *sc, const char *file, int line,
			   const char *name, int include_depth)
{
	struct lc_ctx *ctx = sc->ctx;
	char *path = xasprintf("%s/%s", ctx->include_dir, name);
	char *shown = lc_include_name(ctx, name);
	char *data = NULL;
	size_t len = 0;
	int r;

	/* libconfig refuses the next level itself, without opening it. */
	if (include_depth >= LC_MAX_INCLUDE_DEPTH) {
		r = 0;
		goto out;
	}
	r = read_regular_file(path, PROFILE_FILE_MAX - sc->total, &data, &len);
	if (r == -EFBIG) {
		diag_error(ctx->diags, file, line,
			   "@include '%s': the profile and its @include files "
			   "are larger than %zu bytes",
			   shown, PROFILE_FILE_MAX);
		goto out;
	}
	if (r < 0) {
		diag_error(ctx->diags, file, line,
			   "cannot read @include file '%s': %s", shown,
			   r == -EINVAL ? READ_REGULAR_FILE_NOT_REGULAR
					: strerror(-r));
		goto out;
	}
	sc->total += len;
	if (memchr(data, '\0', len)) {
		diag_error(ctx->diags, shown, 0,
			   "the file contains a NUL byte");
		r = -EINVAL;
		goto out;
	}
	r = lc_scan_text(sc, shown, data, include_depth + 1);
out:
	free(data);
	free(shown);
	free(path);
	return r;
}

/* A setting (= or :) in the innermost group or list. */
static int lc_scan_setting(struct lc_scan *sc, const char *file, int line)
{
	struct lc_scan_level *level = &sc->levels[sc->depth];

	if (!level->group || ++level->settings <= LC_MAX_GROUP_SETTINGS)
		return 0;
	diag_error(sc->ctx->diags, file, line,
		   "too many settings in one group: at most %d",
		   LC_MAX_GROUP_SETTINGS);
	return -E2BIG;
}

static void lc_scan_open(struct lc_scan *sc, bool group)
{
	if (sc->depth + 1 == sc->cap) {
		sc->cap *= 2;
		sc->levels =
			xreallocarray(sc->levels, sc->cap, sizeof(*sc->levels));
	}
	sc->depth++;
	sc->levels[sc->depth].group = group;
	sc->levels[sc->depth].settings = 0;
}

/*
 * libconfig's lexical structure, as far as counting needs it: strings
 * (with backslash escapes), # and // comments to the end of the line,
 * block comments, groups { }, lists ( ) and arrays [ ], and @include at
 * the start of a line.  Syntax errors are left to libconfig.
 */
static int lc_scan_text(struct lc_scan *sc, const char *file, const char *text,
			int include_depth)
{
	const char *c = text;
	bool line_start = true;
	int line = 1, r = 0;

	while (*c && r == 0) {
		if (line_start) {
			const char *t = c + strspn(c, " \t");

			line_start = false;
			if (str_starts_with(t, "@include") &&
			    strspn(t + 8, " \t") > 0) {
				const char *q = t + 8 + strspn(t + 8, " \t");
				const char *end;
				char *name;

				if (*q != '"')
					goto next;
				for (end = q + 1; *end && *end != '"'; end++)
					if (*end == '\\' && end[1])
						end++;
				/* Unescaped like libconfig's: \\ and \". */
				name = xstrndup(q + 1, (size_t)(end - q - 1));
				for (char *from = name, *to = name;; from++) {
					if (*from == '\\' && from[1])
						from++;
					if (!(*to++ = *from))
						break;
				}
				r = lc_scan_include(sc, file, line, name,
						    include_depth);
				free(name);
				c = *end ? end + 1 : end;
				continue;
			}
		}
next:
		switch (*c) {
		case '\n':
			line++;
			line_start = true;
			break;
		case '"':
			for (c++; *c && *c != '"'; c++) {
				if (*c == '\\' && c[1])
					c++;
				if (*c == '\n')
					line++;
			}
			if (!*c)
				return 0;
			break;
		case '#':
			c += strcspn(c, "\n");
			continue;
		case '/':
			if (c[1] == '/') {
				c += strcspn(c, "\n");
				continue;
			}
			if (c[1] == '*') {
				for (c += 2;
				     *c && !(c[0] == '*' && c[1] == '/'); c++)
					if (*c == '\n')
						line++;
				if (!*c)
					return 0;
				c++;
			}
			break;
		case '{':
			lc_scan_open(sc, true);
			break;
		case '(':
		case '[':
			lc_scan_open(sc, false);
			break;
		case '}':
		case ')':
		case ']':
			if (sc->depth > 0)
				sc->depth--;
			break;
		case '=':
		case ':':
			r = lc_scan_setting(sc, file, line);
			break;
		default:
			break;
		}
		c++;
	}
	return r;
}

/* Whether libconfig may be given text: every group small enough, every
 * @include file a regular one within the size cap.  Reports why not. */
static int lc_scan(struct lc_ctx *ctx, const char *text, size_t len)
{
	struct lc_scan sc = {
		.ctx = ctx,
		.cap = 16,
		.total = len,
	};
	int r;

	sc.levels = xcalloc(sc.cap, sizeof(*sc.levels));
	sc.levels[0].group = true;
	r = lc_scan_text(&sc, ctx->path, text, 0);
	free(sc.levels);
	return r;
}

static char *lc_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/*
 * With keep_on_error, *out is the profile as far as it could be built
 * even when there were errors (not when the file did not parse), so that
 * validation can report the rest too.
 */
static int lc_load(const char *path, const char *data, size_t len,
		   bool keep_on_error, struct profile **out,
		   struct diag_list *diags)
{
	struct lc_ctx ctx = { 0 };
	config_t cfg;
	char *text = NULL;
	const char *nul;
	int r = 0;

	*out = NULL;
	ctx.path = path;
	ctx.diags = diags;
	ctx.errors_before = diags->n_errors;
	ctx.language = -1;
	ctx.include_dir = lc_dirname(path);

	config_init(&cfg);
	/* libconfig reads NUL-terminated text; a NUL inside would silently
	 * end the file early. */
	nul = memchr(data, '\0', len);
	if (nul) {
		int line = 1;

		for (const char *c = data; c < nul; c++)
			if (*c == '\n')
				line++;
		diag_error(diags, path, line, "the file contains a NUL byte");
		r = -EINVAL;
		goto out;
	}
	text = xstrndup(data, len);
	r = lc_scan(&ctx, text, len);
	if (r < 0)
		goto out;
	config_set_include_dir(&cfg, ctx.include_dir);
	if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		const char *file = config_error_file(&cfg);
		char *joined = NULL;

		if (file && file[0] != '/' && !streq(ctx.include_dir, "."))
			file = joined =
				xasprintf("%s/%s", ctx.include_dir, file);
		diag_error(diags, file ? file : path, config_error_line(&cfg),
			   "%s", config_error_text(&cfg));
		free(joined);
		r = -EINVAL;
		goto out;
	}

	ctx.p = profile_new(path);
	lc_translate(&ctx, config_root_setting(&cfg));
	if (diags->n_errors > ctx.errors_before) {
		r = -EINVAL;
		if (!keep_on_error)
			goto out;
	}
	*out = ctx.p;
	ctx.p = NULL;
out:
	profile_free(ctx.p);
	for (size_t i = 0; i < ctx.n_labels; i++) {
		free(ctx.labels[i].label);
		free(ctx.labels[i].name);
	}
	free(ctx.labels);
	free(ctx.extras_used);
	free(ctx.include_dir);
	free(text);
	config_destroy(&cfg);
	return r;
}

int profile_load_libconfig_buffer(const char *path, const char *data,
				  size_t len, struct profile **out,
				  struct diag_list *diags)
{
	return lc_load(path, data, len, false, out, diags);
}

static int lc_load_file(const char *path, bool keep_on_error,
			struct profile **out, struct diag_list *diags)
{
	char *data;
	size_t len;
	int r;

	*out = NULL;
	r = profile_read_file(path, &data, &len, diags);
	if (r < 0)
		return r;
	r = lc_load(path, data, len, keep_on_error, out, diags);
	free(data);
	return r;
}

int profile_load_libconfig(const char *path, struct profile **out,
			   struct diag_list *diags)
{
	return lc_load_file(path, false, out, diags);
}

int profile_libconfig_parse(const char *path, struct profile **out,
			    struct diag_list *diags)
{
	return lc_load_file(path, true, out, diags);
}
