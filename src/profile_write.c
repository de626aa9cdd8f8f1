/* SPDX-License-Identifier: MIT */
/*
 * Writing a profile as INI: what `gadgetd export` prints, and the way the
 * tests compare a libconfig profile with its INI twin.
 *
 * Only keys that are set are written, always in the same order (the order
 * of gadgetd.profile(5)), so that profile_load_ini(profile_write_ini(p))
 * gives p back and two equal profiles give the same text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function/function.h"
#include "gadgetd/profile.h"
#include "log.h"
#include "util.h"
#include "uvc.h"

struct writer {
	FILE *out;
	bool started; /* a section was written: the next needs a blank line */
	int err; /* first error, negative errno */
};

/*
 * The INI syntax has no quoting: a value runs to the end of the line,
 * loses surrounding white space, and a ';' after white space starts a
 * comment.  A string that cannot survive that is refused rather than
 * written as something else.
 */
static bool write_value_ok(const char *value)
{
	size_t len = strlen(value);

	if (len == 0)
		return false;
	if (value[0] == ' ' || value[0] == '\t' || value[len - 1] == ' ' ||
	    value[len - 1] == '\t')
		return false;
	for (const char *c = value; *c; c++) {
		if (*c == '\n' || *c == '\r')
			return false;
		if (*c == ';' && c > value && (c[-1] == ' ' || c[-1] == '\t'))
			return false;
	}
	return true;
}

static void write_line(struct writer *w, const char *key, const char *value)
{
	if (!write_value_ok(value)) {
		log_error("profile: the value of %s cannot be written in INI "
			  "syntax (white space at an end, a line break or "
			  "\" ;\"): \"%s\"",
			  key, value);
		if (!w->err)
			w->err = -EINVAL;
		return;
	}
	fprintf(w->out, "%s = %s\n", key, value);
}

static void write_str(struct writer *w, const char *key,
		      const struct profile_str *s)
{
	if (s->line && s->value)
		write_line(w, key, s->value);
}

static void write_bool(struct writer *w, const char *key,
		       const struct profile_bool *b)
{
	if (b->line)
		write_line(w, key, b->value ? "yes" : "no");
}

static void write_dec(struct writer *w, const char *key,
		      const struct profile_int *i)
{
	char buf[32];

	if (!i->line)
		return;
	snprintf(buf, sizeof(buf), "%ld", i->value);
	write_line(w, key, buf);
}

/* IDs, BCD versions and codes read best in hex, as in lsusb. */
static void write_hex(struct writer *w, const char *key,
		      const struct profile_int *i, int digits)
{
	char buf[32];

	if (!i->line)
		return;
	snprintf(buf, sizeof(buf), "0x%0*lx", digits, i->value);
	write_line(w, key, buf);
}

static void write_mac(struct writer *w, const char *key,
		      const struct profile_mac *m)
{
	char buf[32];

	if (!m->line)
		return;
	if (m->is_auto) {
		write_line(w, key, "auto");
		return;
	}
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", m->addr[0],
		 m->addr[1], m->addr[2], m->addr[3], m->addr[4], m->addr[5]);
	write_line(w, key, buf);
}

/* "[kind]" or "[kind name]" */
static void write_section(struct writer *w, const char *kind, const char *name)
{
	if (w->started)
		fputc('\n', w->out);
	w->started = true;
	if (name)
		fprintf(w->out, "[%s %s]\n", kind, name);
	else
		fprintf(w->out, "[%s]\n", kind);
}

static void write_gadget(struct writer *w, const struct profile_gadget *g)
{
	write_hex(w, "vendor_id", &g->vendor_id, 4);
	write_hex(w, "product_id", &g->product_id, 4);
	write_hex(w, "device_version", &g->device_version, 4);
	write_hex(w, "usb_version", &g->usb_version, 4);
	write_hex(w, "device_class", &g->device_class, 2);
	write_hex(w, "device_subclass", &g->device_subclass, 2);
	write_hex(w, "device_protocol", &g->device_protocol, 2);
	write_dec(w, "max_packet_size0", &g->max_packet_size0);
	write_hex(w, "language", &g->language, 3);
	write_str(w, "manufacturer", &g->manufacturer);
	write_str(w, "product", &g->product);
	write_str(w, "serial", &g->serial);
	for (size_t i = 0; i < g->n_strings; i++) {
		const struct profile_gadget_strings *st = &g->strings[i];
		char key[48];

		snprintf(key, sizeof(key), "strings.0x%x.manufacturer",
			 st->language);
		write_str(w, key, &st->manufacturer);
		snprintf(key, sizeof(key), "strings.0x%x.product",
			 st->language);
		write_str(w, key, &st->product);
		snprintf(key, sizeof(key), "strings.0x%x.serial", st->language);
		write_str(w, key, &st->serial);
	}
	write_str(w, "max_speed", &g->max_speed);
}

static bool gadget_has_keys(const struct profile_gadget *g)
{
	return g->vendor_id.line || g->product_id.line ||
	       g->device_version.line || g->usb_version.line ||
	       g->device_class.line || g->device_subclass.line ||
	       g->device_protocol.line || g->max_packet_size0.line ||
	       g->language.line || g->manufacturer.line || g->product.line ||
	       g->serial.line || g->n_strings || g->max_speed.line;
}

static void write_config(struct writer *w, const struct profile *p,
			 const struct profile_config *c)
{
	char id[16];

	snprintf(id, sizeof(id), "%d", c->id);
	write_section(w, "config", id);
	write_str(w, "name", &c->name);
	for (size_t i = 0; i < c->n_names; i++) {
		char key[24];

		snprintf(key, sizeof(key), "name.0x%x", c->names[i].language);
		write_str(w, key, &c->names[i].name);
	}
	write_dec(w, "max_power", &c->max_power);
	write_bool(w, "self_powered", &c->self_powered);
	write_bool(w, "remote_wakeup", &c->remote_wakeup);
	/* After validation the list is resolved into functions[]; before,
	 * only the names as loaded are there. */
	if (c->n_functions > 0) {
		fputs("functions =", w->out);
		for (size_t i = 0; i < c->n_functions; i++)
			fprintf(w->out, " %s",
				p->functions[c->functions[i]].name);
		fputc('\n', w->out);
	} else if (c->n_function_names > 0) {
		fputs("functions =", w->out);
		for (size_t i = 0; i < c->n_function_names; i++)
			fprintf(w->out, " %s", c->function_names[i]);
		fputc('\n', w->out);
	}
}

static void write_net(struct writer *w, const struct profile_net *n)
{
	if (n->n_addresses > 0) {
		fputs("address =", w->out);
		for (size_t i = 0; i < n->n_addresses; i++)
			fprintf(w->out, " %s", n->addresses[i].text);
		fputc('\n', w->out);
	}
	/* The policies' defaults are what an unset key means, so only the
	 * other value needs writing. */
	if (n->link == LINK_MANUAL)
		write_line(w, "link", "manual");
	if (n->ifupdown == IFUPDOWN_NO)
		write_line(w, "ifupdown", "no");
	write_bool(w, "dhcp", &n->dhcp);
	write_str(w, "os_desc.compatible_id", &n->os_desc_compatible_id);
	write_str(w, "os_desc.sub_compatible_id",
		  &n->os_desc_sub_compatible_id);
}

static void write_lun_key(struct writer *w, int lun, const char *name,
			  const char *value)
{
	char key[48];

	snprintf(key, sizeof(key), "lun.%d.%s", lun, name);
	write_line(w, key, value);
}

static void write_mass_storage(struct writer *w,
			       const struct profile_mass_storage *ms)
{
	for (int i = 0; i < ms->n_luns && i < PROFILE_MAX_LUNS; i++) {
		const struct profile_lun *l = &ms->luns[i];
		const struct {
			const char *name;
			const struct profile_bool *b;
		} bools[] = {
			{ "removable", &l->removable }, { "ro", &l->ro },
			{ "cdrom", &l->cdrom },		{ "nofua", &l->nofua },
			{ "optional", &l->optional },
		};

		if (!l->defined)
			continue;
		if (l->file.line && l->file.value)
			write_lun_key(w, i, "file", l->file.value);
		for (size_t k = 0; k < ARRAY_SIZE(bools); k++)
			if (bools[k].b->line)
				write_lun_key(w, i, bools[k].name,
					      bools[k].b->value ? "yes" : "no");
		if (l->inquiry_string.line && l->inquiry_string.value)
			write_lun_key(w, i, "inquiry_string",
				      l->inquiry_string.value);
		if (l->attach_line)
			write_lun_key(w, i, "attach",
				      l->attach_host_ready ? "host-ready"
							   : "always");
		if (l->attach_delay.line) {
			char delay[16];

			snprintf(delay, sizeof(delay), "%ld",
				 l->attach_delay.value);
			write_lun_key(w, i, "attach_delay", delay);
		}
	}
}

static void write_hid(struct writer *w, const struct profile_hid *h)
{
	/* A descriptor from a file is written as the file name, as the
	 * profile said it; it is relative to the profile's directory. */
	if (h->report_desc_file) {
		write_line(w, "report_desc_file", h->report_desc_file);
	} else if (h->report_desc && h->report_desc_len > 0) {
		/* Bytes apart while that fits on one INI line, else
		 * packed; longer than PROFILE_REPORT_DESC_HEX_MAX, the
		 * caller must use report_desc_file. */
		bool spaced =
			sizeof("report_desc =") - 1 + 3 * h->report_desc_len <=
			PROFILE_INI_LINE_MAX;

		fputs(spaced ? "report_desc =" : "report_desc = ", w->out);
		for (size_t i = 0; i < h->report_desc_len; i++)
			fprintf(w->out, spaced ? " %02x" : "%02x",
				h->report_desc[i]);
		fputc('\n', w->out);
	}
}

/* The attributes of the type's schema, in its order. */
static void write_schema_values(struct writer *w,
				const struct profile_function *f)
{
	const struct function_type_info *t = function_type_info(f->type);

	for (size_t i = 0; i < t->n_attrs; i++) {
		const struct function_attr *a = &t->attrs[i];
		const struct profile_value *v = &f->values[i];
		char buf[32];

		if (!v->line)
			continue;
		switch (a->kind) {
		case FUNCTION_ATTR_INT:
			snprintf(buf, sizeof(buf), "%ld", v->number);
			write_line(w, a->key, buf);
			break;
		case FUNCTION_ATTR_BOOL:
			write_line(w, a->key, v->number ? "yes" : "no");
			break;
		case FUNCTION_ATTR_STRING:
		case FUNCTION_ATTR_CHOICE:
		case FUNCTION_ATTR_IFNAME:
			if (v->text)
				write_line(w, a->key, v->text);
			break;
		}
	}
}

/* The words as the daemon runs them, one space apart. */
static void write_program(struct writer *w, const struct profile_program *p)
{
	char *text;

	if (p->line && p->argv) {
		text = xstrdup(p->argv[0]);
		for (size_t i = 1; p->argv[i]; i++) {
			char *more = xasprintf("%s %s", text, p->argv[i]);

			free(text);
			text = more;
		}
		write_line(w, "program", text);
		free(text);
	}
	write_bool(w, "program_restart", &p->restart);
}

static void write_uvc(struct writer *w, const struct profile_uvc *u)
{
	for (size_t i = 0; i < PROFILE_UVC_MAX_FORMATS; i++) {
		const struct profile_uvc_format *fmt = &u->formats[i];
		char key[32], *frames;

		if (fmt->encoding == PROFILE_UVC_NONE)
			continue;
		snprintf(key, sizeof(key), "format.%zu", i + 1);
		write_line(w, key, uvc_encoding_name(fmt->encoding));
		snprintf(key, sizeof(key), "format.%zu.frames", i + 1);
		frames = uvc_frames_text(fmt);
		write_line(w, key, frames);
		free(frames);
	}
}

static void write_function(struct writer *w, const struct profile_function *f)
{
	write_section(w, "function", f->name);
	/* The MAC addresses are gadgetd's (auto), but configfs attributes
	 * too, written before the others as the plan does. */
	if (function_type_is_network(f->type)) {
		write_mac(w, "dev_addr", &f->u.net.dev_addr);
		write_mac(w, "host_addr", &f->u.net.host_addr);
	}
	write_schema_values(w, f);
	/* Then the keys gadgetd acts on itself. */
	if (function_type_is_network(f->type)) {
		write_net(w, &f->u.net);
	} else if (f->type == FUNCTION_MASS_STORAGE) {
		write_mass_storage(w, &f->u.ms);
	} else if (f->type == FUNCTION_HID) {
		write_hid(w, &f->u.hid);
	} else if (f->type == FUNCTION_FFS) {
		write_str(w, "mountpoint", &f->u.ffs.mountpoint);
		write_dec(w, "ready_timeout", &f->u.ffs.ready_timeout);
	} else if (f->type == FUNCTION_UVC) {
		write_uvc(w, &f->u.uvc);
	}
	write_program(w, &f->program);
}

static void write_os_desc(struct writer *w, const struct profile_os_desc *o)
{
	write_section(w, "os_desc", NULL);
	write_bool(w, "use", &o->use);
	write_hex(w, "vendor_code", &o->vendor_code, 2);
	write_str(w, "signature", &o->signature);
	write_dec(w, "config", &o->config);
}

int profile_write_ini(const struct profile *p, FILE *out)
{
	struct writer w = { .out = out };

	if ((p->description.line && p->description.value) || p->n_fallback ||
	    p->fallback_after.line) {
		write_section(&w, "profile", NULL);
		write_str(&w, "description", &p->description);
		if (p->n_fallback > 0) {
			fputs("fallback =", w.out);
			for (size_t i = 0; i < p->n_fallback; i++)
				fprintf(w.out, " %s", p->fallback[i]);
			fputc('\n', w.out);
		}
		write_dec(&w, "fallback_after", &p->fallback_after);
	}
	if (gadget_has_keys(&p->gadget)) {
		write_section(&w, "gadget", NULL);
		write_gadget(&w, &p->gadget);
	}
	for (size_t i = 0; i < p->n_configs; i++)
		write_config(&w, p, &p->configs[i]);
	for (size_t i = 0; i < p->n_functions; i++)
		write_function(&w, &p->functions[i]);
	if (p->os_desc.defined)
		write_os_desc(&w, &p->os_desc);

	if (fflush(out) != 0 || ferror(out))
		return w.err ? w.err : -EIO;
	return w.err;
}
