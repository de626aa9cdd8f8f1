/* SPDX-License-Identifier: MIT */
/*
 * The plan: a validated profile as one ordered list of configfs
 * operations, and each operation as plain file-system steps.
 *
 * The order is the kernel's:
 *  - the gadget directory and its device descriptor, then its strings;
 *  - each function (mkdir loads its usb_f_* module; its attributes can only
 *    be written before it is linked into a configuration), then a mass
 *    storage function's LUNs (lun.0 comes with the function, lun.N is
 *    mkdir'ed), then what libusbgx 0.2.0 has no call for
 *    (lun.N/inquiry_string) or writes under a name the kernel does not
 *    have (Loopback's bulk_buflen);
 *  - RNDIS's and NCM's interface OS descriptor (a default group of the
 *    function);
 *  - FunctionFS mounts: the mount source is the instance name, which exists
 *    only once functions/ffs.INSTANCE does;
 *  - configurations, then the config -> function links in interface order
 *    (the kernel numbers interfaces in link order);
 *  - the gadget's OS descriptors and the os_desc -> config link, which needs
 *    the configuration;
 *  - waiting for FunctionFS daemons, and last the UDC bind, after which the
 *    kernel refuses most changes (EBUSY).
 *
 * Attribute values follow the rule "write what the profile sets", except
 * where libusbgx's typed structs write every field of a struct
 * (usbg_f_ms_lun_attrs, usbg_f_hid_attrs, usbg_f_net_attrs): there the
 * plan writes the kernel's defaults for what the profile leaves out, so
 * that the printed script shows exactly what apply writes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "function/function.h"
#include "identity.h"
#include "plan.h"
#include "util.h"
#include "uvc.h"

#define PLAN_DEFAULT_GADGET "gadgetd"
#define PLAN_DEFAULT_LANGUAGE 0x409
/* What `gadgetd plan` and the daemon use when a profile leaves the IDs out:
 * the Linux Foundation's Multifunction Composite Gadget, as the kernel's
 * own g_multi does. */
#define PLAN_DEFAULT_VENDOR 0x1d6b
#define PLAN_DEFAULT_PRODUCT 0x0104
#define PLAN_DEFAULT_USB 0x0200
#define PLAN_DEFAULT_FFS_TIMEOUT 10
/* The bMS_VendorCode most Windows OS-descriptor examples use. */
#define PLAN_DEFAULT_OS_VENDOR_CODE 0xcd
#define PLAN_DEFAULT_OS_SIGNATURE "MSFT100"

/* ---- building ---- */

static struct plan_op *plan_add(struct plan *plan, enum plan_op_kind kind)
{
	struct plan_op *op;

	plan->ops =
		xreallocarray(plan->ops, plan->n_ops + 1, sizeof(*plan->ops));
	op = &plan->ops[plan->n_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->lun = -1;
	op->profile_lun = -1;
	return op;
}

static size_t plan_function_index(const struct plan *plan,
				  const struct profile_function *f)
{
	return (size_t)(f - plan->profile->functions);
}

static int plan_language(const struct profile *p)
{
	return p->gadget.language.line ? (int)p->gadget.language.value
				       : PLAN_DEFAULT_LANGUAGE;
}

/* root stands for / (plan_env.root, tests). */
static bool plan_file_exists(const char *root, const char *path)
{
	struct stat st;
	char *full =
		xasprintf("%s%s", root && !streq(root, "/") ? root : "", path);
	bool exists = stat(full, &st) == 0;

	free(full);
	return exists;
}

/*
 * An optional LUN whose file is absent: a removable one stays, with no
 * medium (the host sees an empty drive and `msd insert` can fill it); a
 * fixed one is left out.  LUNs after a left-out one move down, because the
 * host numbers LUNs 0..max and a gap would read as a missing unit.  When
 * every LUN is left out the function has nothing to offer: that is an
 * error, since lun.0 always exists and cannot be removed.
 */
static int plan_mass_storage(struct plan *plan,
			     const struct profile_function *f, const char *root,
			     struct diag_list *diags)
{
	const struct profile *p = plan->profile;
	const struct profile_mass_storage *ms = &f->u.ms;
	size_t fi = plan_function_index(plan, f);
	int kept = 0;

	for (int i = 0; i < ms->n_luns; i++) {
		const struct profile_lun *lun = &ms->luns[i];
		const char *file = lun->file.value;
		int line = lun->file.line ? lun->file.line : lun->line;

		if (lun->optional.value && file && *file &&
		    !plan_file_exists(root, file)) {
			if (lun->removable.value) {
				plan->empty_luns[fi] |= 1u << i;
				diag_warning(diags, p->path, line,
					     "lun.%d of %s has no medium: %s "
					     "does not exist",
					     i, f->name, file);
			} else {
				plan->skipped_luns[fi] |= 1u << i;
				diag_warning(diags, p->path, line,
					     "lun.%d of %s skipped: %s does "
					     "not exist",
					     i, f->name, file);
				continue;
			}
		}
		if (kept != i)
			diag_warning(diags, p->path, lun->line,
				     "lun.%d of %s is lun.%d in configfs "
				     "(LUNs stay contiguous after a skipped "
				     "one)",
				     i, f->name, kept);

		struct plan_op *op = plan_add(plan, PLAN_LUN_CREATE);
		op->function = f;
		op->lun = kept;
		op->profile_lun = i;
		if (lun->inquiry_string.value) {
			op = plan_add(plan, PLAN_ATTR_WRITE);
			op->function = f;
			op->lun = kept;
			op->profile_lun = i;
			op->attr = xasprintf("lun.%d/inquiry_string", kept);
			op->value = xstrdup(lun->inquiry_string.value);
		}
		kept++;
	}
	if (ms->n_luns > 0 && kept == 0) {
		diag_error(diags, p->path, f->line,
			   "%s has no LUN left: every LUN is optional and its "
			   "file is absent (a removable LUN would stay, with "
			   "no medium)",
			   f->name);
		return -ENOENT;
	}
	return 0;
}

/*
 * NCM's interface OS descriptor (WINNCM makes Windows 10 load UsbNcm) as
 * plain writes: PLAN_INTERFACE_OS_DESC is the libusbgx call for
 * interface.rndis, the one the applier knows.
 */
static void plan_ncm_os_desc(struct plan *plan,
			     const struct profile_function *f)
{
	const struct profile_str *ids[] = {
		&f->u.net.os_desc_compatible_id,
		&f->u.net.os_desc_sub_compatible_id,
	};
	const char *const names[] = { "compatible_id", "sub_compatible_id" };

	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		struct plan_op *op;

		if (!ids[i]->value)
			continue;
		op = plan_add(plan, PLAN_ATTR_WRITE);
		op->function = f;
		op->attr = xasprintf("os_desc/interface.ncm/%s", names[i]);
		op->value = xstrdup(ids[i]->value);
	}
}

static void plan_resolve_mac(struct plan *plan,
			     const struct profile_function *f,
			     const struct profile_mac *mac,
			     const struct identity *id, const char *end,
			     uint8_t out[6], struct diag_list *diags)
{
	const struct profile *p = plan->profile;

	if (mac->line && !mac->is_auto) {
		memcpy(out, mac->addr, 6);
		return;
	}
	if (!id->board_id) {
		memset(out, 0, 6);
		diag_warning(diags, p->path, mac->line ? mac->line : f->line,
			     "%s_addr of %s left to the kernel, which picks a "
			     "new one at every boot: no board id "
			     "(/proc/device-tree/serial-number, "
			     "/sys/firmware/devicetree/base/serial-number or "
			     "/etc/machine-id)",
			     end, f->name);
		return;
	}
	identity_mac(id, f->name, end, out);
}

static void plan_resolve_identity(struct plan *plan, const struct plan_env *env,
				  struct diag_list *diags)
{
	const struct profile *p = plan->profile;
	struct identity id = { 0 };
	const char *serial = p->gadget.serial.value;

	if (env && env->board_id)
		identity_from_serial(env->board_id, &id);
	else
		identity_read(env ? env->root : NULL, &id);

	if (serial && streq(serial, "auto")) {
		plan->serial = identity_serial(&id);
		/* The line may be gadgetd.conf's ([gadget] defaults): name
		 * the profile only. */
		if (!plan->serial)
			diag_warning(diags, p->path, 0,
				     "serial = auto left out: no board id "
				     "(/proc/device-tree/serial-number, "
				     "/sys/firmware/devicetree/base/"
				     "serial-number or /etc/machine-id)");
	} else if (serial) {
		plan->serial = xstrdup(serial);
	}

	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *f = &p->functions[i];
		struct plan_function_identity *fid = &plan->identities[i];

		if (!f->used || !function_type_is_network(f->type))
			continue;
		plan_resolve_mac(plan, f, &f->u.net.dev_addr, &id, "dev",
				 fid->dev_addr, diags);
		plan_resolve_mac(plan, f, &f->u.net.host_addr, &id, "host",
				 fid->host_addr, diags);
		/* Equal derived addresses would need a 46-bit collision;
		 * keep the promise that the two ends differ anyway. */
		if (id.board_id &&
		    memcmp(fid->dev_addr, fid->host_addr, 6) == 0 &&
		    (!f->u.net.host_addr.line || f->u.net.host_addr.is_auto))
			fid->host_addr[5] ^= 0x01;
	}
	identity_free(&id);
}

static const struct profile_config *plan_config(const struct profile *p,
						long id)
{
	for (size_t i = 0; i < p->n_configs; i++)
		if (p->configs[i].id == id)
			return &p->configs[i];
	return NULL;
}

int plan_build(const struct profile *p, const struct plan_env *env,
	       struct plan *out, struct diag_list *diags)
{
	const char *name = env && env->gadget_name ? env->gadget_name
						   : PLAN_DEFAULT_GADGET;
	const struct profile_gadget *g = &p->gadget;
	struct plan_op *op;
	int r;

	memset(out, 0, sizeof(*out));
	out->profile = p;
	out->gadget_name = xstrdup(name);
	out->identities = xcalloc(p->n_functions ? p->n_functions : 1,
				  sizeof(*out->identities));
	out->skipped_luns = xcalloc(p->n_functions ? p->n_functions : 1,
				    sizeof(*out->skipped_luns));
	out->empty_luns = xcalloc(p->n_functions ? p->n_functions : 1,
				  sizeof(*out->empty_luns));
	plan_resolve_identity(out, env, diags);

	plan_add(out, PLAN_GADGET_CREATE);
	if (g->manufacturer.value || g->product.value || out->serial ||
	    g->n_strings)
		plan_add(out, PLAN_GADGET_STRINGS);

	/* A function no configuration uses would still load its module and
	 * make its device (usb0, ttyGS0) on the board: leave it out (the
	 * profile check already warned about it). */
	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *f = &p->functions[i];

		if (!f->used)
			continue;
		op = plan_add(out, PLAN_FUNCTION_CREATE);
		op->function = f;
		if (f->type == FUNCTION_MASS_STORAGE) {
			r = plan_mass_storage(out, f, env ? env->root : NULL,
					      diags);
			if (r < 0)
				goto fail;
		}
	}
	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *f = &p->functions[i];

		if (!f->used || !(f->u.net.os_desc_compatible_id.value ||
				  f->u.net.os_desc_sub_compatible_id.value))
			continue;
		if (f->type == FUNCTION_RNDIS) {
			op = plan_add(out, PLAN_INTERFACE_OS_DESC);
			op->function = f;
		} else if (f->type == FUNCTION_NCM) {
			plan_ncm_os_desc(out, f);
		}
	}
	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *f = &p->functions[i];

		if (f->used && f->type == FUNCTION_FFS) {
			op = plan_add(out, PLAN_FFS_MOUNT);
			op->function = f;
		}
	}

	for (size_t i = 0; i < p->n_configs; i++) {
		op = plan_add(out, PLAN_CONFIG_CREATE);
		op->config = &p->configs[i];
	}
	for (size_t i = 0; i < p->n_configs; i++) {
		const struct profile_config *c = &p->configs[i];

		for (size_t j = 0; j < c->n_functions; j++) {
			op = plan_add(out, PLAN_CONFIG_ADD_FUNCTION);
			op->config = c;
			op->function = &p->functions[c->functions[j]];
		}
	}

	if (p->os_desc.defined && p->os_desc.use.value && p->n_configs > 0) {
		const struct profile_config *c =
			p->os_desc.config.line
				? plan_config(p, p->os_desc.config.value)
				: &p->configs[0];

		if (!c) {
			/* profile_validate() refuses this already. */
			diag_error(diags, p->path, p->os_desc.config.line,
				   "[os_desc] links [config %ld], which is not "
				   "defined",
				   p->os_desc.config.value);
			r = -EINVAL;
			goto fail;
		}
		plan_add(out, PLAN_OS_DESC);
		op = plan_add(out, PLAN_OS_DESC_CONFIG);
		op->config = c;
	}

	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *f = &p->functions[i];

		if (f->used && f->type == FUNCTION_FFS) {
			op = plan_add(out, PLAN_FFS_WAIT);
			op->function = f;
		}
	}
	plan_add(out, PLAN_UDC_BIND);
	return 0;

fail:
	plan_free(out);
	return r;
}

void plan_free(struct plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->n_ops; i++) {
		free(plan->ops[i].attr);
		free(plan->ops[i].value);
	}
	free(plan->ops);
	free(plan->gadget_name);
	free(plan->serial);
	free(plan->identities);
	free(plan->skipped_luns);
	free(plan->empty_luns);
	memset(plan, 0, sizeof(*plan));
}

/* ---- steps ---- */

static const char *plan_ffs_mountpoint(const struct profile_function *f,
				       char **buf)
{
	*buf = NULL;
	if (f->u.ffs.mountpoint.value)
		return f->u.ffs.mountpoint.value;
	*buf = xasprintf("/dev/usb-ffs/%s", f->instance);
	return *buf;
}

static long plan_ffs_timeout(const struct profile_function *f)
{
	return f->u.ffs.ready_timeout.line ? f->u.ffs.ready_timeout.value
					   : PLAN_DEFAULT_FFS_TIMEOUT;
}

bool plan_op_deferred(const struct plan_op *op)
{
	return op->kind == PLAN_FFS_WAIT || op->kind == PLAN_UDC_BIND;
}

size_t plan_deferred_start(const struct plan *plan)
{
	size_t i = plan->n_ops;

	while (i > 0 && plan_op_deferred(&plan->ops[i - 1]))
		i--;
	return i;
}

int plan_ffs_wait(const struct plan *plan, const struct plan_op *op,
		  struct plan_ffs_wait *out)
{
	const struct profile_function *f = op->function;
	char *buf;

	(void)plan;
	*out = (struct plan_ffs_wait){ 0 };
	if (op->kind != PLAN_FFS_WAIT)
		return -EINVAL;
	out->function = f->name;
	out->mount = xstrdup(plan_ffs_mountpoint(f, &buf));
	free(buf);
	out->timeout_s = plan_ffs_timeout(f);
	out->program = f->program.argv;
	return 0;
}

void plan_ffs_wait_clear(struct plan_ffs_wait *w)
{
	free(w->mount);
	*w = (struct plan_ffs_wait){ 0 };
}

char *plan_op_path(const struct plan *plan, const struct plan_op *op)
{
	const struct profile_function *f = op->function;
	char *buf, *path;

	switch (op->kind) {
	case PLAN_GADGET_CREATE:
		return xstrdup(".");
	case PLAN_GADGET_STRINGS:
		return xasprintf("strings/0x%x", plan_language(plan->profile));
	case PLAN_FUNCTION_CREATE:
		return xasprintf("functions/%s", f->name);
	case PLAN_LUN_CREATE:
		return xasprintf("functions/%s/lun.%d", f->name, op->lun);
	case PLAN_ATTR_WRITE:
		return xasprintf("functions/%s/%s", f->name, op->attr);
	case PLAN_INTERFACE_OS_DESC:
		return xasprintf("functions/%s/os_desc/interface.rndis",
				 f->name);
	case PLAN_FFS_MOUNT:
	case PLAN_FFS_WAIT:
		path = xstrdup(plan_ffs_mountpoint(f, &buf));
		free(buf);
		return path;
	case PLAN_CONFIG_CREATE:
		return xasprintf("configs/c.%d", op->config->id);
	case PLAN_CONFIG_ADD_FUNCTION:
		return xasprintf("configs/c.%d/%s", op->config->id, f->name);
	case PLAN_OS_DESC:
		return xstrdup("os_desc");
	case PLAN_OS_DESC_CONFIG:
		return xasprintf("os_desc/c.%d", op->config->id);
	case PLAN_UDC_BIND:
		return xstrdup("UDC");
	}
	return xstrdup("?");
}

static void step_add(struct plan_steps *s, enum plan_step_kind kind, char *path,
		     char *value, size_t value_len)
{
	struct plan_step *st;

	s->items = xreallocarray(s->items, s->n + 1, sizeof(*s->items));
	st = &s->items[s->n++];
	st->kind = kind;
	st->path = path;
	st->value = value;
	st->value_len = value_len;
	st->newline = false;
	st->lines = false;
}

static void step_mkdir(struct plan_steps *s, char *path)
{
	step_add(s, PLAN_STEP_MKDIR, path, NULL, 0);
}

/* Takes ownership of path; formats the value. */
static void step_write(struct plan_steps *s, char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void step_write(struct plan_steps *s, char *path, const char *fmt, ...)
{
	va_list ap;
	char *value;

	va_start(ap, fmt);
	value = xvasprintf(fmt, ap);
	va_end(ap);
	step_add(s, PLAN_STEP_WRITE, path, value, strlen(value));
}

enum plan_int_format { PLAN_DEC, PLAN_HEX };

/* As libusbgx writes them: decimal, or 0x%x (usbg_set_gadget_attr()). */
static void step_write_long(struct plan_steps *s, char *path, long v,
			    enum plan_int_format format)
{
	switch (format) {
	case PLAN_DEC:
		step_write(s, path, "%ld", v);
		break;
	case PLAN_HEX:
		step_write(s, path, "0x%lx", v);
		break;
	}
}

/* Takes ownership of path; nothing is written when the profile leaves
 * the value out. */
static void step_write_int(struct plan_steps *s, char *path,
			   const struct profile_int *v,
			   enum plan_int_format format)
{
	if (v->line)
		step_write_long(s, path, v->value, format);
	else
		free(path);
}

static const char *plan_bool(bool b)
{
	return b ? "1" : "0";
}

static void plan_mac_text(const uint8_t mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

static bool plan_mac_known(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	return memcmp(mac, zero, 6) != 0;
}

/* usbg_set_gadget_attr() writes 0x%x, unpadded. */
static void plan_gadget_steps(const struct plan *plan, struct plan_steps *s)
{
	const struct profile_gadget *g = &plan->profile->gadget;

	step_mkdir(s, xstrdup(""));
	step_write_long(s, xstrdup("idVendor"),
			g->vendor_id.line ? g->vendor_id.value
					  : (long)PLAN_DEFAULT_VENDOR,
			PLAN_HEX);
	step_write_long(s, xstrdup("idProduct"),
			g->product_id.line ? g->product_id.value
					   : (long)PLAN_DEFAULT_PRODUCT,
			PLAN_HEX);
	step_write_int(s, xstrdup("bcdDevice"), &g->device_version, PLAN_HEX);
	step_write_long(s, xstrdup("bcdUSB"),
			g->usb_version.line ? g->usb_version.value
					    : (long)PLAN_DEFAULT_USB,
			PLAN_HEX);
	step_write_int(s, xstrdup("bDeviceClass"), &g->device_class, PLAN_HEX);
	step_write_int(s, xstrdup("bDeviceSubClass"), &g->device_subclass,
		       PLAN_HEX);
	step_write_int(s, xstrdup("bDeviceProtocol"), &g->device_protocol,
		       PLAN_HEX);
	step_write_int(s, xstrdup("bMaxPacketSize0"), &g->max_packet_size0,
		       PLAN_HEX);
	/* Read by the composite driver at bind only: any time before the
	 * UDC is written. */
	if (g->max_speed.value)
		step_write(s, xstrdup("max_speed"), "%s", g->max_speed.value);
}

static void plan_strings_steps(const struct plan *plan, struct plan_steps *s)
{
	const struct profile_gadget *g = &plan->profile->gadget;
	char *dir = xasprintf("strings/0x%x", plan_language(plan->profile));

	if (g->manufacturer.value || g->product.value || plan->serial)
		step_mkdir(s, xstrdup(dir));
	if (g->manufacturer.value)
		step_write(s, xasprintf("%s/manufacturer", dir), "%s",
			   g->manufacturer.value);
	if (g->product.value)
		step_write(s, xasprintf("%s/product", dir), "%s",
			   g->product.value);
	if (plan->serial)
		step_write(s, xasprintf("%s/serialnumber", dir), "%s",
			   plan->serial);
	free(dir);
	for (size_t i = 0; i < g->n_strings; i++) {
		const struct profile_gadget_strings *st = &g->strings[i];
		const char *serial = st->serial.value;

		if (serial && streq(serial, "auto"))
			serial = plan->serial;
		dir = xasprintf("strings/0x%x", st->language);
		step_mkdir(s, xstrdup(dir));
		if (st->manufacturer.value)
			step_write(s, xasprintf("%s/manufacturer", dir), "%s",
				   st->manufacturer.value);
		if (st->product.value)
			step_write(s, xasprintf("%s/product", dir), "%s",
				   st->product.value);
		if (serial)
			step_write(s, xasprintf("%s/serialnumber", dir), "%s",
				   serial);
		free(dir);
	}
}

static void plan_mac_steps(const struct plan *plan,
			   const struct profile_function *f, const char *dir,
			   struct plan_steps *s)
{
	const struct plan_function_identity *id =
		&plan->identities[plan_function_index(plan, f)];
	char mac[18];

	if (plan_mac_known(id->dev_addr)) {
		plan_mac_text(id->dev_addr, mac);
		step_write(s, xasprintf("%s/dev_addr", dir), "%s", mac);
	}
	if (plan_mac_known(id->host_addr)) {
		plan_mac_text(id->host_addr, mac);
		step_write(s, xasprintf("%s/host_addr", dir), "%s", mac);
	}
}

/* The attributes of the type's schema, in its order: what the profile
 * set, or the row's default.  An empty string writes nothing, so the
 * kernel's default stays (midi's id). */
static void plan_schema_steps(const struct profile_function *f, const char *dir,
			      struct plan_steps *s)
{
	const struct function_type_info *t = function_type_info(f->type);

	for (size_t i = 0; i < t->n_attrs; i++) {
		const struct function_attr *a = &t->attrs[i];
		const struct profile_value *v = &f->values[i];
		char *path = xasprintf("%s/%s", dir, a->file);

		if (!v->line && !(a->flags & FUNCTION_ATTR_DEFAULT)) {
			free(path);
			continue;
		}
		switch (a->kind) {
		case FUNCTION_ATTR_INT:
			step_write(s, path,
				   a->flags & FUNCTION_ATTR_BARE_HEX ? "%02lx"
								     : "%ld",
				   v->line ? v->number : a->def);
			break;
		case FUNCTION_ATTR_BOOL:
			step_write(s, path, "%s",
				   plan_bool(v->line ? v->number : a->def));
			break;
		case FUNCTION_ATTR_STRING:
		case FUNCTION_ATTR_CHOICE:
		case FUNCTION_ATTR_IFNAME:
			if (!v->text || !*v->text) {
				free(path);
				break;
			}
			step_write(s, path, "%s", v->text);
			s->items[s->n - 1].newline =
				a->flags & FUNCTION_ATTR_NEWLINE;
			break;
		}
	}
}

/*
 * uvc's descriptor tree, from its formats and frames (src/uvc.h), in the
 * order f_uvc accepts it: a format's frames are written before the format
 * is linked into the streaming header (a linked format's attributes are
 * EBUSY), and the headers are linked into the speeds' class directories
 * once they are complete (the link copies the descriptors).  Undone
 * backwards, the links go before what they point to.
 */
static void plan_uvc_steps(const struct profile_function *f, const char *dir,
			   struct plan_steps *s)
{
	static const char *const control_speeds[] = { "fs", "ss" };
	static const char *const streaming_speeds[] = { "fs", "hs", "ss" };
	const struct profile_uvc *u = &f->u.uvc;
	char *header = xasprintf("%s/control/header/" UVC_HEADER, dir);

	step_mkdir(s, xstrdup(header));
	for (size_t i = 0; i < ARRAY_SIZE(control_speeds); i++)
		step_add(s, PLAN_STEP_SYMLINK,
			 xasprintf("%s/control/class/%s/" UVC_HEADER, dir,
				   control_speeds[i]),
			 xstrdup(header), 0);
	free(header);

	for (size_t i = 0; i < PROFILE_UVC_MAX_FORMATS; i++) {
		const struct profile_uvc_format *fmt = &u->formats[i];
		char *fdir;

		if (fmt->encoding == PROFILE_UVC_NONE)
			continue;
		fdir = xasprintf("%s/streaming/%s/f%zu", dir,
				 uvc_encoding_dir(fmt->encoding), i + 1);
		step_mkdir(s, xstrdup(fdir));
		for (size_t j = 0; j < fmt->n_frames; j++) {
			const struct profile_uvc_frame *fr = &fmt->frames[j];
			char *frdir = xasprintf("%s/%ux%u", fdir, fr->width,
						fr->height);
			char *list = xstrdup("");

			step_mkdir(s, xstrdup(frdir));
			step_write(s, xasprintf("%s/wWidth", frdir), "%u",
				   fr->width);
			step_write(s, xasprintf("%s/wHeight", frdir), "%u",
				   fr->height);
			step_write(s,
				   xasprintf("%s/dwMaxVideoFrameBufferSize",
					     frdir),
				   "%" PRIu32, uvc_frame_buffer_size(fr));
			step_write(s, xasprintf("%s/dwMinBitRate", frdir),
				   "%" PRIu32,
				   uvc_bit_rate(fr, uvc_rate_min(fr)));
			step_write(s, xasprintf("%s/dwMaxBitRate", frdir),
				   "%" PRIu32,
				   uvc_bit_rate(fr, uvc_rate_max(fr)));
			step_write(
				s,
				xasprintf("%s/dwDefaultFrameInterval", frdir),
				"%" PRIu32, uvc_frame_interval(fr->rates[0]));
			for (size_t k = 0; k < fr->n_rates; k++) {
				char *t = xasprintf(
					"%s%s%" PRIu32, list, k ? "\n" : "",
					uvc_frame_interval(fr->rates[k]));

				free(list);
				list = t;
			}
			step_write(s, xasprintf("%s/dwFrameInterval", frdir),
				   "%s", list);
			s->items[s->n - 1].lines = true;
			free(list);
			free(frdir);
		}
		free(fdir);
	}

	header = xasprintf("%s/streaming/header/" UVC_HEADER, dir);
	step_mkdir(s, xstrdup(header));
	for (size_t i = 0; i < PROFILE_UVC_MAX_FORMATS; i++) {
		const struct profile_uvc_format *fmt = &u->formats[i];

		if (fmt->encoding == PROFILE_UVC_NONE)
			continue;
		step_add(s, PLAN_STEP_SYMLINK,
			 xasprintf("%s/f%zu", header, i + 1),
			 xasprintf("%s/streaming/%s/f%zu", dir,
				   uvc_encoding_dir(fmt->encoding), i + 1),
			 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(streaming_speeds); i++)
		step_add(s, PLAN_STEP_SYMLINK,
			 xasprintf("%s/streaming/class/%s/" UVC_HEADER, dir,
				   streaming_speeds[i]),
			 xstrdup(header), 0);
	free(header);
}

static void plan_function_steps(const struct plan *plan,
				const struct profile_function *f,
				struct plan_steps *s)
{
	char *dir = xasprintf("functions/%s", f->name);

	step_mkdir(s, xstrdup(dir));
	if (function_type_is_network(f->type))
		plan_mac_steps(plan, f, dir, s);
	plan_schema_steps(f, dir, s);
	if (f->type == FUNCTION_HID) {
		const struct profile_hid *hid = &f->u.hid;
		char *desc = xmalloc(hid->report_desc_len + 1);

		memcpy(desc, hid->report_desc, hid->report_desc_len);
		desc[hid->report_desc_len] = '\0';
		step_add(s, PLAN_STEP_WRITE, xasprintf("%s/report_desc", dir),
			 desc, hid->report_desc_len);
	}
	if (f->type == FUNCTION_UVC)
		plan_uvc_steps(f, dir, s);
	free(dir);
}

/* usbg_f_ms_lun_attrs writes all five, in this order; the defaults are the
 * kernel's for a new LUN (removable, no medium).  ro comes before file:
 * the kernel refuses ro while a medium is open (EBUSY). */
static void plan_lun_steps(const struct plan *plan, const struct plan_op *op,
			   struct plan_steps *s)
{
	const struct profile_function *f = op->function;
	const struct profile_lun *lun = &f->u.ms.luns[op->profile_lun];
	size_t fi = plan_function_index(plan, f);
	bool empty = plan->empty_luns[fi] & (1u << op->profile_lun);
	char *dir = xasprintf("functions/%s/lun.%d", f->name, op->lun);

	if (op->lun > 0)
		step_mkdir(s, xstrdup(dir));
	step_write(s, xasprintf("%s/cdrom", dir), "%s",
		   plan_bool(lun->cdrom.value));
	/* cdrom = 1 makes the kernel set ro, and ro = 0 written after it
	 * would clear it again: a cdrom LUN is read-only. */
	step_write(s, xasprintf("%s/ro", dir), "%s",
		   plan_bool(lun->ro.value || lun->cdrom.value));
	step_write(s, xasprintf("%s/nofua", dir), "%s",
		   plan_bool(lun->nofua.value));
	step_write(
		s, xasprintf("%s/removable", dir), "%s",
		plan_bool(lun->removable.line ? lun->removable.value : true));
	/* attach = host-ready: the daemon puts the medium in once the host
	 * is ready for it (msd_attach.c). */
	if (lun->file.value && *lun->file.value && !empty &&
	    !lun->attach_host_ready)
		step_write(s, xasprintf("%s/file", dir), "%s", lun->file.value);
	free(dir);
}

static void plan_config_steps(const struct plan *plan,
			      const struct profile_config *c,
			      struct plan_steps *s)
{
	char *dir = xasprintf("configs/c.%d", c->id);
	int attrs = 0x80;

	step_mkdir(s, xstrdup(dir));
	step_write_int(s, xasprintf("%s/MaxPower", dir), &c->max_power,
		       PLAN_DEC);
	/* Bit 7 is reserved and must be one (USB 2.0, 9.6.3). */
	if (c->self_powered.value)
		attrs |= 0x40;
	if (c->remote_wakeup.value)
		attrs |= 0x20;
	step_write(s, xasprintf("%s/bmAttributes", dir), "0x%02x", attrs);
	if (c->name.value) {
		char *lang = xasprintf("%s/strings/0x%x", dir,
				       plan_language(plan->profile));

		step_mkdir(s, xstrdup(lang));
		step_write(s, xasprintf("%s/configuration", lang), "%s",
			   c->name.value);
		free(lang);
	}
	for (size_t i = 0; i < c->n_names; i++) {
		char *lang =
			xasprintf("%s/strings/0x%x", dir, c->names[i].language);

		step_mkdir(s, xstrdup(lang));
		step_write(s, xasprintf("%s/configuration", lang), "%s",
			   c->names[i].name.value);
		free(lang);
	}
	free(dir);
}

static void plan_os_desc_steps(const struct plan *plan, struct plan_steps *s)
{
	const struct profile_os_desc *od = &plan->profile->os_desc;

	step_write(s, xstrdup("os_desc/qw_sign"), "%s",
		   od->signature.value ? od->signature.value
				       : PLAN_DEFAULT_OS_SIGNATURE);
	step_write(s, xstrdup("os_desc/b_vendor_code"), "0x%02lx",
		   od->vendor_code.line ? od->vendor_code.value
					: (long)PLAN_DEFAULT_OS_VENDOR_CODE);
	step_write(s, xstrdup("os_desc/use"), "1");
}

void plan_op_steps(const struct plan *plan, const struct plan_op *op,
		   struct plan_steps *out)
{
	const struct profile_function *f = op->function;
	char *buf = NULL;

	memset(out, 0, sizeof(*out));
	switch (op->kind) {
	case PLAN_GADGET_CREATE:
		plan_gadget_steps(plan, out);
		break;
	case PLAN_GADGET_STRINGS:
		plan_strings_steps(plan, out);
		break;
	case PLAN_FUNCTION_CREATE:
		plan_function_steps(plan, f, out);
		break;
	case PLAN_LUN_CREATE:
		plan_lun_steps(plan, op, out);
		break;
	case PLAN_ATTR_WRITE:
		step_write(out, xasprintf("functions/%s/%s", f->name, op->attr),
			   "%s", op->value);
		break;
	case PLAN_INTERFACE_OS_DESC: {
		const struct profile_net *net = &f->u.net;
		char *dir = xasprintf("functions/%s/os_desc/interface.rndis",
				      f->name);

		if (net->os_desc_compatible_id.value)
			step_write(out, xasprintf("%s/compatible_id", dir),
				   "%s", net->os_desc_compatible_id.value);
		if (net->os_desc_sub_compatible_id.value)
			step_write(out, xasprintf("%s/sub_compatible_id", dir),
				   "%s", net->os_desc_sub_compatible_id.value);
		free(dir);
		break;
	}
	case PLAN_FFS_MOUNT:
		step_add(out, PLAN_STEP_MOUNT,
			 xstrdup(plan_ffs_mountpoint(f, &buf)),
			 xstrdup(f->instance), strlen(f->instance));
		break;
	case PLAN_CONFIG_CREATE:
		plan_config_steps(plan, op->config, out);
		break;
	case PLAN_CONFIG_ADD_FUNCTION:
		step_add(out, PLAN_STEP_SYMLINK,
			 xasprintf("configs/c.%d/%s", op->config->id, f->name),
			 xasprintf("functions/%s", f->name), 0);
		break;
	case PLAN_OS_DESC:
		plan_os_desc_steps(plan, out);
		break;
	case PLAN_OS_DESC_CONFIG:
		step_add(out, PLAN_STEP_SYMLINK,
			 xasprintf("os_desc/c.%d", op->config->id),
			 xasprintf("configs/c.%d", op->config->id), 0);
		break;
	case PLAN_FFS_WAIT: {
		char *value = xasprintf("%ld", plan_ffs_timeout(f));

		step_add(out, PLAN_STEP_WAIT,
			 xstrdup(plan_ffs_mountpoint(f, &buf)), value,
			 strlen(value));
		break;
	}
	case PLAN_UDC_BIND:
		step_add(out, PLAN_STEP_BIND, xstrdup("UDC"), NULL, 0);
		break;
	}
	free(buf);
	for (size_t i = 0; i < out->n; i++)
		if (out->items[i].value &&
		    out->items[i].kind == PLAN_STEP_SYMLINK)
			out->items[i].value_len = strlen(out->items[i].value);
}

void plan_steps_free(struct plan_steps *steps)
{
	for (size_t i = 0; i < steps->n; i++) {
		free(steps->items[i].path);
		free(steps->items[i].value);
	}
	free(steps->items);
	memset(steps, 0, sizeof(*steps));
}

/* ---- printing as sh ---- */

static bool sh_safe_char(char c, const char *extra)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("_./-", c) ||
	       (c && strchr(extra, c));
}

/* One sh word standing for s exactly. */
static void sh_quote(FILE *out, const char *s)
{
	const char *p;

	for (p = s; *p && sh_safe_char(*p, ",:+=@%"); p++)
		;
	if (*s && !*p) {
		fputs(s, out);
		return;
	}
	fputc('\'', out);
	for (p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", out);
		else
			fputc(*p, out);
	}
	fputc('\'', out);
}

/* "$G/rel" as one sh word; the gadget directory itself for "". */
static void sh_path(FILE *out, const char *rel)
{
	const char *p;

	if (!*rel) {
		fputs("\"$G\"", out);
		return;
	}
	for (p = rel; *p && sh_safe_char(*p, ""); p++)
		;
	if (!*p) {
		fprintf(out, "\"$G/%s\"", rel);
		return;
	}
	fputs("\"$G\"/", out);
	sh_quote(out, rel);
}

static bool plan_value_is_text(const struct plan_step *st)
{
	for (size_t i = 0; i < st->value_len; i++) {
		unsigned char c = (unsigned char)st->value[i];

		if (c < 0x20 || c >= 0x7f)
			return false;
	}
	return true;
}

static void sh_write(FILE *out, const struct plan_step *st)
{
	/* A list (st->lines) is echoed as one quoted word over several
	 * lines. */
	if (!st->lines && !plan_value_is_text(st)) {
		/* A report descriptor: bytes as octal escapes, which every
		 * printf(1) understands. */
		fputs("printf '", out);
		for (size_t i = 0; i < st->value_len; i++)
			fprintf(out, "\\%03o", (unsigned char)st->value[i]);
		fputs("' > ", out);
	} else if (!st->lines &&
		   (st->value[0] == '-' || strchr(st->value, '\\'))) {
		/* echo would take it for an option or an escape. */
		fputs("printf '%s\\n' ", out);
		sh_quote(out, st->value);
		fputs(" > ", out);
	} else {
		fputs("echo ", out);
		sh_quote(out, st->value);
		fputs(" > ", out);
	}
	sh_path(out, st->path);
	fputc('\n', out);
}

static void sh_step(FILE *out, const struct plan *plan,
		    const struct plan_op *op, const struct plan_step *st)
{
	switch (st->kind) {
	case PLAN_STEP_MKDIR:
		fputs("mkdir ", out);
		sh_path(out, st->path);
		fputc('\n', out);
		break;
	case PLAN_STEP_WRITE:
		sh_write(out, st);
		break;
	case PLAN_STEP_SYMLINK:
		fputs("ln -s ", out);
		sh_path(out, st->value);
		fputc(' ', out);
		sh_path(out, st->path);
		fputc('\n', out);
		break;
	case PLAN_STEP_MOUNT:
		fputs("mkdir -p ", out);
		sh_quote(out, st->path);
		fputs("\nmount -t functionfs ", out);
		sh_quote(out, st->value);
		fputc(' ', out);
		sh_quote(out, st->path);
		fputc('\n', out);
		break;
	case PLAN_STEP_WAIT: {
		long timeout = strtol(st->value, NULL, 10);

		const struct profile_program *prog = &op->function->program;

		/* The program writes the descriptors (gadgetd supervises
		 * it; this script only starts it). */
		for (size_t k = 0; prog->argv && prog->argv[k]; k++) {
			if (k)
				fputc(' ', out);
			sh_quote(out, prog->argv[k]);
		}
		if (prog->argv)
			fputs(" &\n", out);
		/* FunctionFS makes ep1... once the daemon has written its
		 * descriptors to ep0; binding before that fails. */
		fputs("i=0\nwhile [ ! -e ", out);
		sh_quote(out, st->path);
		fprintf(out,
			"/ep1 ]; do\n"
			"\t[ $i -lt %ld ] || { echo \"%s: no descriptors "
			"after %ld s\" >&2; exit 1; }\n"
			"\tsleep 0.1\n"
			"\ti=$((i + 1))\n"
			"done\n",
			timeout * 10, op->function->name, timeout);
		break;
	}
	case PLAN_STEP_BIND:
		fputs("echo \"$UDC\" > ", out);
		sh_path(out, st->path);
		fputc('\n', out);
		break;
	}
	(void)plan;
}

/* The comment line naming an op in the scripts. */
static void sh_describe(FILE *out, const struct plan *plan,
			const struct plan_op *op, bool teardown)
{
	const struct profile_function *f = op->function;
	const struct profile_config *c = op->config;
	char *path;

	fputs("# ", out);
	switch (op->kind) {
	case PLAN_GADGET_CREATE:
		fprintf(out, "gadget %s: device descriptor\n",
			plan->gadget_name);
		break;
	case PLAN_GADGET_STRINGS:
		fprintf(out, "gadget strings, language 0x%04x",
			plan_language(plan->profile));
		for (size_t i = 0; i < plan->profile->gadget.n_strings; i++)
			fprintf(out, i ? ", 0x%04x" : " (also 0x%04x",
				plan->profile->gadget.strings[i].language);
		fputs(plan->profile->gadget.n_strings ? ")\n" : "\n", out);
		break;
	case PLAN_FUNCTION_CREATE:
		fprintf(out, "function %s\n", f->name);
		break;
	case PLAN_LUN_CREATE:
		fprintf(out, "%s lun.%d", f->name, op->lun);
		if (op->lun != op->profile_lun)
			fprintf(out, " (the profile's lun.%d)",
				op->profile_lun);
		fputc('\n', out);
		break;
	case PLAN_ATTR_WRITE:
		if (f->type == FUNCTION_NCM)
			fprintf(out, "%s: interface OS descriptor\n", f->name);
		else
			fprintf(out, "%s %s (%s)\n", f->name, op->attr,
				f->type == FUNCTION_LOOPBACK
					? "libusbgx 0.2.0 names it buflen"
					: "libusbgx 0.2.0 has no call for it");
		break;
	case PLAN_INTERFACE_OS_DESC:
		fprintf(out, "%s: interface OS descriptor\n", f->name);
		break;
	case PLAN_FFS_MOUNT:
		fprintf(out, "%s: mount its FunctionFS\n", f->name);
		break;
	case PLAN_CONFIG_CREATE:
		fprintf(out, "configuration c.%d\n", c->id);
		break;
	case PLAN_CONFIG_ADD_FUNCTION:
		fprintf(out, "c.%d: %s\n", c->id, f->name);
		break;
	case PLAN_OS_DESC:
		fputs("Microsoft OS descriptors\n", out);
		break;
	case PLAN_OS_DESC_CONFIG:
		fprintf(out, "Microsoft OS descriptors: configuration c.%d\n",
			c->id);
		break;
	case PLAN_FFS_WAIT:
		path = plan_op_path(plan, op);
		fprintf(out,
			"%s: wait for the descriptors of the daemon on %s\n",
			f->name, path);
		free(path);
		break;
	case PLAN_UDC_BIND:
		fputs(teardown ? "unbind from the UDC\n" : "bind to the UDC\n",
		      out);
		break;
	}
}

static void sh_prologue(const struct plan *plan, FILE *out)
{
	fputs("set -e\nCONFIGFS=${CONFIGFS:-/sys/kernel/config}\nG=", out);
	fputs("\"$CONFIGFS/usb_gadget/", out);
	/* The name comes from gadgetd.conf: one double-quoted word. */
	for (const char *p = plan->gadget_name; *p; p++) {
		if (strchr("\"$`\\", *p))
			fputc('\\', out);
		fputc(*p, out);
	}
	fputs("\"\n", out);
}

void plan_print_sh(const struct plan *plan, FILE *out)
{
	fprintf(out,
		"#!/bin/sh\n"
		"# gadgetd plan of profile %s: build usb_gadget/%s in "
		"configfs and bind it.\n"
		"# CONFIGFS and UDC can be set in the environment.\n",
		plan->profile->name, plan->gadget_name);
	sh_prologue(plan, out);
	fputs("UDC=${UDC:-$(ls /sys/class/udc | head -n 1)}\n"
	      "[ -n \"$UDC\" ] || { echo \"no UDC in /sys/class/udc\" >&2; "
	      "exit 1; }\n",
	      out);
	for (size_t i = 0; i < plan->n_ops; i++) {
		const struct plan_op *op = &plan->ops[i];
		struct plan_steps steps;

		plan_op_steps(plan, op, &steps);
		fputc('\n', out);
		sh_describe(out, plan, op, false);
		for (size_t j = 0; j < steps.n; j++)
			sh_step(out, plan, op, &steps.items[j]);
		plan_steps_free(&steps);
	}
}

/* The undo of one step, or nothing for writes and waits. */
static bool sh_undo_step(FILE *out, const struct plan_step *st)
{
	switch (st->kind) {
	case PLAN_STEP_MKDIR:
		fputs("rmdir ", out);
		sh_path(out, st->path);
		fputc('\n', out);
		return true;
	case PLAN_STEP_SYMLINK:
		fputs("rm ", out);
		sh_path(out, st->path);
		fputc('\n', out);
		return true;
	case PLAN_STEP_MOUNT:
		fputs("umount ", out);
		sh_quote(out, st->path);
		fputc('\n', out);
		return true;
	case PLAN_STEP_BIND:
		/* Unbinding an unbound gadget fails (ENODEV). */
		fputs("[ -z \"$(cat ", out);
		sh_path(out, st->path);
		fputs(")\" ] || echo '' > ", out);
		sh_path(out, st->path);
		fputc('\n', out);
		return true;
	case PLAN_STEP_WRITE:
	case PLAN_STEP_WAIT:
		break;
	}
	return false;
}

void plan_print_teardown_sh(const struct plan *plan, FILE *out)
{
	fprintf(out,
		"#!/bin/sh\n"
		"# gadgetd teardown of profile %s: remove usb_gadget/%s "
		"from configfs,\n"
		"# the plan's steps undone in reverse order.\n",
		plan->profile->name, plan->gadget_name);
	sh_prologue(plan, out);
	for (size_t i = plan->n_ops; i-- > 0;) {
		const struct plan_op *op = &plan->ops[i];
		struct plan_steps steps;
		bool any = false;

		plan_op_steps(plan, op, &steps);
		for (size_t j = 0; j < steps.n; j++)
			if (steps.items[j].kind != PLAN_STEP_WRITE &&
			    steps.items[j].kind != PLAN_STEP_WAIT)
				any = true;
		if (any) {
			fputc('\n', out);
			sh_describe(out, plan, op, true);
			for (size_t j = steps.n; j-- > 0;)
				sh_undo_step(out, &steps.items[j]);
		}
		plan_steps_free(&steps);
	}
}
