/* SPDX-License-Identifier: MIT */
/*
 * Checks that need the whole profile: references between sections,
 * OS descriptors, and what a function needs before the kernel can bind
 * it.  Single values were checked by profile_set_key() as they came.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "function/function.h"
#include "gadgetd/profile.h"
#include "profile_load.h"
#include "util.h"
#include "uvc.h"

static struct profile_function *find_function(struct profile *p,
					      const char *name, size_t *index)
{
	for (size_t i = 0; i < p->n_functions; i++) {
		if (streq(p->functions[i].name, name)) {
			*index = i;
			return &p->functions[i];
		}
	}
	return NULL;
}

/* Whether an error was already reported at path:line (do not pile a
 * consequence on top of it). */
static bool has_error_at(const struct diag_list *diags, const char *path,
			 int line)
{
	for (size_t i = 0; i < diags->n; i++) {
		const struct diag *d = &diags->items[i];

		if (d->severity == DIAG_ERROR && d->line == line &&
		    streq(d->file, path))
			return true;
	}
	return false;
}

static void validate_config(struct profile *p, struct profile_config *c,
			    struct diag_list *diags)
{
	int line = c->functions_line ? c->functions_line : c->line;

	c->n_functions = 0;
	for (size_t i = 0; i < c->n_function_names; i++) {
		struct profile_function *f;
		size_t index;

		f = find_function(p, c->function_names[i], &index);
		if (!f) {
			diag_error(diags, p->path, line,
				   "undefined function '%s' in [config %d]",
				   c->function_names[i], c->id);
			continue;
		}
		f->used = true;
		c->functions[c->n_functions++] = index;
		/* Windows' RNDIS driver binds only when RNDIS holds the
		 * first interfaces (an IAD at interface 0). */
		if (f->type == FUNCTION_RNDIS && i > 0)
			diag_warning(diags, p->path, line,
				     "'%s' is not the first function of "
				     "[config %d]: Windows expects RNDIS first",
				     f->name, c->id);
	}
	if (c->n_function_names == 0 && !has_error_at(diags, p->path, line))
		diag_error(diags, p->path, line, "[config %d] has no functions",
			   c->id);
}

static int compare_configs(const void *a, const void *b)
{
	const struct profile_config *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static const struct profile_config *find_config(const struct profile *p,
						long id)
{
	for (size_t i = 0; i < p->n_configs; i++)
		if (p->configs[i].id == id)
			return &p->configs[i];
	return NULL;
}

static void validate_os_desc(struct profile *p, struct diag_list *diags)
{
	const struct profile_os_desc *od = &p->os_desc;
	long linked;

	if (!od->defined || p->n_configs == 0)
		return;
	if (od->config.line) {
		linked = od->config.value;
		if (!find_config(p, linked)) {
			diag_error(diags, p->path, od->config.line,
				   "[os_desc] links [config %ld], which is not "
				   "defined",
				   linked);
			return;
		}
	} else {
		/* The plan links the first configuration, the one Windows
		 * takes. */
		linked = p->configs[0].id;
	}
	if (!od->use.value)
		return;

	/* Windows reads the OS descriptors of the linked configuration
	 * only; an RNDIS function elsewhere never gets its driver. */
	for (size_t i = 0; i < p->n_configs; i++) {
		const struct profile_config *c = &p->configs[i];

		if (c->id == linked)
			continue;
		for (size_t j = 0; j < c->n_functions; j++) {
			const struct profile_function *f =
				&p->functions[c->functions[j]];

			if (f->type != FUNCTION_RNDIS)
				continue;
			diag_error(diags, p->path, c->functions_line,
				   "'%s' is in [config %d] but [os_desc] links "
				   "[config %ld]: Windows reads OS descriptors "
				   "from that config only",
				   f->name, c->id, linked);
		}
	}
}

static void validate_net(struct profile *p, const struct profile_function *f,
			 struct diag_list *diags)
{
	const struct profile_net *net = &f->u.net;
	bool ipv4 = false;

	if (net->dev_addr.line && net->host_addr.line &&
	    !net->dev_addr.is_auto && !net->host_addr.is_auto &&
	    memcmp(net->dev_addr.addr, net->host_addr.addr, 6) == 0)
		diag_error(diags, p->path, net->host_addr.line,
			   "host_addr is the same as dev_addr in [function %s]",
			   f->name);

	for (size_t i = 0; i < net->n_addresses; i++)
		ipv4 |= net->addresses[i].family == AF_INET;
	if (net->dhcp.value && !ipv4)
		diag_error(diags, p->path, net->dhcp.line,
			   "'dhcp' needs an IPv4 'address' in [function %s] to "
			   "serve leases from",
			   f->name);
}

static void validate_hid(struct profile *p, const struct profile_function *f,
			 struct diag_list *diags)
{
	/* f_hid binds without them, and the host then fails to enumerate
	 * the interface.  report_desc_line is also set when the key was
	 * given but refused (reported already). */
	if (!f->u.hid.report_desc_line)
		diag_error(diags, p->path, f->line,
			   "[function %s] has no report descriptor: set "
			   "report_desc or report_desc_file",
			   f->name);
}

/* The schema's required attributes (hid's report_length). */
static void validate_required_attrs(struct profile *p,
				    const struct profile_function *f,
				    struct diag_list *diags)
{
	const struct function_type_info *t = function_type_info(f->type);

	for (size_t i = 0; i < t->n_attrs; i++)
		if ((t->attrs[i].flags & FUNCTION_ATTR_REQUIRED) &&
		    !f->values[i].line)
			diag_error(diags, p->path, f->line,
				   "[function %s] needs %s", f->name,
				   t->attrs[i].key);
}

/* The kernel's f_mass_storage sets ro when cdrom is set, and a later
 * ro = 0 clears it again; plan.c writes ro = 1 for a cdrom LUN, so an
 * explicit ro = no there is ignored, and said so. */
static void validate_mass_storage(const struct profile *p,
				  const struct profile_function *f,
				  struct diag_list *diags)
{
	for (int i = 0; i < f->u.ms.n_luns; i++) {
		const struct profile_lun *lun = &f->u.ms.luns[i];

		if (lun->defined && lun->cdrom.value && lun->ro.line &&
		    !lun->ro.value)
			diag_warning(diags, p->path, lun->ro.line,
				     "lun.%d.ro = no is ignored: a cdrom LUN "
				     "is read-only",
				     i);
		/* f_mass_storage gives a fixed LUN no way to be without a
		 * medium (it refuses the bind). */
		if (lun->defined && lun->attach_host_ready &&
		    lun->removable.line && !lun->removable.value)
			diag_error(diags, p->path, lun->attach_line,
				   "lun.%d.attach = host-ready needs a "
				   "removable LUN (lun.%d.removable = no on "
				   "line %d)",
				   i, i, lun->removable.line);
		if (lun->defined && lun->attach_host_ready &&
		    !(lun->file.value && *lun->file.value))
			diag_error(diags, p->path, lun->attach_line,
				   "lun.%d.attach = host-ready needs "
				   "lun.%d.file: there is no medium to attach",
				   i, i);
		if (lun->defined && lun->attach_delay.line &&
		    !lun->attach_host_ready)
			diag_warning(diags, p->path, lun->attach_delay.line,
				     "lun.%d.attach_delay is ignored without "
				     "lun.%d.attach = host-ready",
				     i, i);
	}
}

/* strings.LANG.* and name.LANG in the plain keys' language would write
 * the same configfs file twice. */
static void validate_languages(struct profile *p, struct diag_list *diags)
{
	const struct profile_gadget *g = &p->gadget;
	int plain = g->language.line ? (int)g->language.value : 0x409;

	for (size_t i = 0; i < g->n_strings; i++)
		if (g->strings[i].language == plain)
			diag_error(diags, p->path, g->strings[i].line,
				   "strings.0x%x.* are in the language of the "
				   "plain keys (language = 0x%x): use "
				   "manufacturer, product and serial",
				   plain, plain);
	for (size_t i = 0; i < p->n_configs; i++) {
		const struct profile_config *c = &p->configs[i];

		for (size_t j = 0; j < c->n_names; j++)
			if (c->names[j].language == plain)
				diag_error(diags, p->path,
					   c->names[j].name.line,
					   "name.0x%x is in the language of "
					   "the plain keys (language = 0x%x): "
					   "use name",
					   plain, plain);
	}
}

int profile_validate(struct profile *p, struct diag_list *diags)
{
	size_t errors = diags->n_errors;

	/* Loading reported the cap; "no [config N]" or an undefined
	 * function would only be about the part that was not read. */
	if (profile_load_cut_short(p))
		return -E2BIG;
	if (p->n_configs == 0)
		diag_error(diags, p->path, 0,
			   "no [config N] section: a gadget needs at least "
			   "one configuration");

	for (size_t i = 0; i < p->n_configs; i++)
		validate_config(p, &p->configs[i], diags);
	validate_languages(p, diags);
	if (p->n_configs > 1)
		qsort(p->configs, p->n_configs, sizeof(*p->configs),
		      compare_configs);

	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *f = &p->functions[i];

		if (!f->used)
			diag_warning(diags, p->path, f->line,
				     "function '%s' is not used by any config",
				     f->name);
		if (function_type_is_network(f->type))
			validate_net(p, f, diags);
		else if (f->type == FUNCTION_HID)
			validate_hid(p, f, diags);
		else if (f->type == FUNCTION_MASS_STORAGE)
			validate_mass_storage(p, f, diags);
		else if (f->type == FUNCTION_UVC)
			uvc_validate(f, p->path, diags);
		validate_required_attrs(p, f, diags);
		/* f_obex deactivates the gadget at bind and activates it when
		 * its tty is opened while the host has the data interface
		 * selected, which cannot happen off the bus (Linux 6.1;
		 * func-obex in the VM test bed). */
		if (f->used && f->type == FUNCTION_OBEX)
			diag_warning(diags, p->path, f->line,
				     "%s keeps the whole gadget off the bus: "
				     "the kernel's f_obex waits for an OBEX "
				     "server the host must enumerate first "
				     "(with Linux 6.1 the host never sees this "
				     "gadget)",
				     f->name);
	}
	validate_os_desc(p, diags);

	return diags->n_errors > errors ? -EINVAL : 0;
}

static void merge_int(struct profile_int *to, const struct profile_int *from)
{
	if (!to->line && from->line)
		*to = *from;
}

static void merge_str(struct profile_str *to, const struct profile_str *from)
{
	if (!to->value && from->value) {
		to->value = xstrdup(from->value);
		to->line = from->line;
	}
}

void profile_merge_gadget_defaults(struct profile *p,
				   const struct profile_gadget *defaults)
{
	struct profile_gadget *g = &p->gadget;

	merge_int(&g->vendor_id, &defaults->vendor_id);
	merge_int(&g->product_id, &defaults->product_id);
	merge_int(&g->device_version, &defaults->device_version);
	merge_int(&g->usb_version, &defaults->usb_version);
	merge_int(&g->device_class, &defaults->device_class);
	merge_int(&g->device_subclass, &defaults->device_subclass);
	merge_int(&g->device_protocol, &defaults->device_protocol);
	merge_int(&g->max_packet_size0, &defaults->max_packet_size0);
	merge_int(&g->language, &defaults->language);
	merge_str(&g->manufacturer, &defaults->manufacturer);
	merge_str(&g->product, &defaults->product);
	merge_str(&g->serial, &defaults->serial);
	merge_str(&g->max_speed, &defaults->max_speed);
}
