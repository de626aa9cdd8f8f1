/* SPDX-License-Identifier: MIT */
/*
 * The profile model and its key schema.  Both loaders (INI and libconfig)
 * feed every section and key through profile_begin_section() and
 * profile_set_key(), so every single-value check lives here once and the
 * same mistake reads the same in both formats.  Checks that need the whole
 * profile live in profile_validate.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "function/function.h"
#include "gadgetd/profile.h"
#include "profile_load.h"
#include "util.h"
#include "uvc.h"

/* USB string descriptors hold at most 126 UTF-16 units; configfs refuses
 * longer strings (USB_MAX_STRING_LEN). */
#define PROFILE_USB_STRING_MAX 126
/* SCSI INQUIRY vendor (8) + product (16) + revision (4). */
#define PROFILE_INQUIRY_MAX 28
/* configfs attributes are one page; a report descriptor larger than that
 * cannot be written. */
#define PROFILE_REPORT_DESC_MAX 4096
#define PROFILE_INSTANCE_MAX 32
#define PROFILE_PATH_MAX 4095

/* ---- loader state ---- */

struct profile_loader_key {
	char *key;
	int line;
};

enum profile_loader_state {
	LOADER_NO_SECTION, /* before the first section */
	LOADER_IN_SECTION,
	LOADER_REFUSED, /* the current section was refused: skip its keys */
};

struct profile_loader {
	enum profile_loader_state state;
	enum profile_section section;
	size_t index; /* configs[] or functions[] */
	char *section_name; /* "function ecm.usb0", for messages */
	struct profile_loader_key *keys; /* keys of the current section */
	size_t n_keys;
	size_t cap_keys;
	int profile_line; /* header lines, for duplicate sections */
	int gadget_line;
	int lun; /* LUN whose keys come now; -1 before lun.0 */
	size_t n_sections; /* headers seen, accepted or not */
	bool full; /* a cap was reached: refuse every later section */
};

static struct profile_loader *profile_loader(struct profile *p)
{
	if (!p->loader) {
		p->loader = xcalloc(1, sizeof(*p->loader));
		p->loader->lun = -1;
	}
	return p->loader;
}

static void loader_reset_section(struct profile_loader *l)
{
	for (size_t i = 0; i < l->n_keys; i++)
		free(l->keys[i].key);
	l->n_keys = 0;
	free(l->section_name);
	l->section_name = NULL;
	l->lun = -1;
}

static void loader_free(struct profile_loader *l)
{
	if (!l)
		return;
	loader_reset_section(l);
	free(l->keys);
	free(l);
}

bool profile_load_cut_short(const struct profile *p)
{
	return p->loader && p->loader->full;
}

/* ---- model ---- */

struct profile *profile_new(const char *path)
{
	struct profile *p = xcalloc(1, sizeof(*p));
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	p->path = xstrdup(path);
	p->name = dot && dot != base ? xstrndup(base, (size_t)(dot - base))
				     : xstrdup(base);
	return p;
}

static void profile_function_free(struct profile_function *f)
{
	const struct function_type_info *t = function_type_info(f->type);

	free(f->instance);
	free(f->name);
	for (size_t i = 0; f->values && i < t->n_attrs; i++)
		free(f->values[i].text);
	free(f->values);
	free(f->program.text);
	for (size_t i = 0; f->program.argv && f->program.argv[i]; i++)
		free(f->program.argv[i]);
	free(f->program.argv);
	if (function_type_is_network(f->type)) {
		struct profile_net *net = &f->u.net;

		for (size_t i = 0; i < net->n_addresses; i++)
			free(net->addresses[i].text);
		free(net->os_desc_compatible_id.value);
		free(net->os_desc_sub_compatible_id.value);
		return;
	}
	switch (f->type) {
	case FUNCTION_MASS_STORAGE:
		for (size_t i = 0; i < PROFILE_MAX_LUNS; i++) {
			free(f->u.ms.luns[i].file.value);
			free(f->u.ms.luns[i].inquiry_string.value);
		}
		break;
	case FUNCTION_HID:
		free(f->u.hid.report_desc);
		free(f->u.hid.report_desc_file);
		break;
	case FUNCTION_FFS:
		free(f->u.ffs.mountpoint.value);
		break;
	default:
		break;
	}
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->path);
	free(p->description.value);
	for (size_t i = 0; i < p->n_fallback; i++)
		free(p->fallback[i]);
	free(p->gadget.manufacturer.value);
	free(p->gadget.product.value);
	free(p->gadget.serial.value);
	free(p->gadget.max_speed.value);
	for (size_t i = 0; i < p->gadget.n_strings; i++) {
		free(p->gadget.strings[i].manufacturer.value);
		free(p->gadget.strings[i].product.value);
		free(p->gadget.strings[i].serial.value);
	}
	for (size_t i = 0; i < p->n_configs; i++) {
		free(p->configs[i].name.value);
		for (size_t j = 0; j < p->configs[i].n_names; j++)
			free(p->configs[i].names[j].name.value);
		for (size_t j = 0; j < p->configs[i].n_function_names; j++)
			free(p->configs[i].function_names[j]);
	}
	free(p->configs);
	for (size_t i = 0; i < p->n_functions; i++)
		profile_function_free(&p->functions[i]);
	free(p->functions);
	free(p->os_desc.signature.value);
	loader_free(p->loader);
	free(p);
}

/* ---- sections ---- */

static bool profile_instance_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PROFILE_INSTANCE_MAX)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

/* Decimal digits only, no sign, no leading '+'; false on overflow. */
static bool parse_decimal(const char *s, long max, long *out)
{
	long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

static int begin_config(struct profile *p, struct profile_loader *l,
			const char *arg, int line, struct diag_list *diags)
{
	struct profile_config *c;
	long id;

	if (!parse_decimal(arg, PROFILE_MAX_CONFIG_ID, &id) || id < 1) {
		diag_error(diags, p->path, line,
			   "invalid section [config %s]: expected [config N] "
			   "with N from 1 to 255",
			   arg);
		return -EINVAL;
	}
	for (size_t i = 0; i < p->n_configs; i++) {
		if (p->configs[i].id == id) {
			diag_error(diags, p->path, line,
				   "duplicate section [config %ld] (first on "
				   "line %d)",
				   id, p->configs[i].line);
			return -EEXIST;
		}
	}
	if (p->n_configs == PROFILE_MAX_CONFIGS) {
		diag_error(diags, p->path, line,
			   "too many configurations: at most %d [config N] "
			   "sections; later sections are ignored",
			   PROFILE_MAX_CONFIGS);
		l->full = true;
		return -E2BIG;
	}
	p->configs = xreallocarray(p->configs, p->n_configs + 1,
				   sizeof(*p->configs));
	c = &p->configs[p->n_configs];
	memset(c, 0, sizeof(*c));
	c->id = (int)id;
	c->line = line;
	l->section = PROFILE_SECTION_CONFIG;
	l->index = p->n_configs++;
	l->section_name = xasprintf("config %ld", id);
	return 0;
}

/* Split "TYPE.INSTANCE" at the first dot; *type_out is allocated. */
static int split_function_name(const char *text, enum function_type *type,
			       char **type_out, const char **instance)
{
	const char *dot = strchr(text, '.');

	*type_out = NULL;
	if (!dot || dot == text)
		return -EINVAL;
	*type_out = xstrndup(text, (size_t)(dot - text));
	*instance = dot + 1;
	if (function_type_from_name(*type_out, type) < 0)
		return -ENOENT;
	if (!profile_instance_valid(*instance))
		return -EINVAL;
	return 0;
}

static int begin_function(struct profile *p, struct profile_loader *l,
			  const char *arg, int line, struct diag_list *diags)
{
	struct profile_function *f;
	enum function_type type;
	const char *instance = NULL;
	char *type_text, *name;
	int r;

	r = split_function_name(arg, &type, &type_text, &instance);
	if (r == -ENOENT) {
		char *list = function_type_list();

		diag_error(diags, p->path, line,
			   "unknown function type '%s' in [function %s]: "
			   "expected one of %s",
			   type_text, arg, list);
		free(list);
		free(type_text);
		return r;
	}
	free(type_text);
	if (r < 0 && !instance) {
		diag_error(diags, p->path, line,
			   "invalid section [function %s]: expected "
			   "[function TYPE.INSTANCE]",
			   arg);
		return r;
	}
	if (r < 0) {
		diag_error(diags, p->path, line,
			   "invalid function instance '%s' in [function %s]: "
			   "use 1 to %d letters, digits, '_' or '-'",
			   instance, arg, PROFILE_INSTANCE_MAX);
		return r;
	}

	name = xasprintf("%s.%s", function_type_configfs_name(type), instance);
	for (size_t i = 0; i < p->n_functions; i++) {
		if (streq(p->functions[i].name, name)) {
			diag_error(diags, p->path, line,
				   "duplicate section [function %s] (first on "
				   "line %d)",
				   name, p->functions[i].line);
			free(name);
			return -EEXIST;
		}
	}
	if (p->n_functions == (size_t)PROFILE_MAX_FUNCTIONS) {
		diag_error(diags, p->path, line,
			   "too many functions: at most %d [function] "
			   "sections; later sections are ignored",
			   PROFILE_MAX_FUNCTIONS);
		free(name);
		l->full = true;
		return -E2BIG;
	}
	p->functions = xreallocarray(p->functions, p->n_functions + 1,
				     sizeof(*p->functions));
	f = &p->functions[p->n_functions];
	memset(f, 0, sizeof(*f));
	f->type = type;
	f->instance = xstrdup(instance);
	f->name = name;
	f->line = line;
	f->values = xcalloc(function_type_info(type)->n_attrs + 1,
			    sizeof(*f->values));
	if (function_type_is_network(type)) {
		f->u.net.link = LINK_AUTO;
		f->u.net.ifupdown = IFUPDOWN_AUTO;
		f->u.net.dev_addr.is_auto = true;
		f->u.net.host_addr.is_auto = true;
	}
	l->section = PROFILE_SECTION_FUNCTION;
	l->index = p->n_functions++;
	l->section_name = xasprintf("function %s", name);
	return 0;
}

/* A one-of-a-kind section: [profile], [gadget], [os_desc]. */
static int begin_single(struct profile *p, struct profile_loader *l,
			enum profile_section section, const char *name,
			int *first_line, int line, struct diag_list *diags)
{
	if (*first_line) {
		diag_error(diags, p->path, line,
			   "duplicate section [%s] (first on line %d)", name,
			   *first_line);
		return -EEXIST;
	}
	*first_line = line;
	l->section = section;
	l->section_name = xstrdup(name);
	return 0;
}

int profile_begin_section(struct profile *p, const char *section, int line,
			  struct diag_list *diags)
{
	struct profile_loader *l = profile_loader(p);
	char *copy = xstrdup(section);
	char *text = str_strip(copy);
	char *arg = text + strcspn(text, " \t");
	int r, c;

	if (*arg) {
		*arg++ = '\0';
		arg += strspn(arg, " \t");
	}
	loader_reset_section(l);
	l->state = LOADER_REFUSED;
	c = profile_control_char(section, false);

	/* Past a cap nothing more is looked at, so that a file of 50,000
	 * section headers costs no more than reading it. */
	if (l->full) {
		r = -E2BIG;
	} else if (++l->n_sections > PROFILE_MAX_SECTIONS) {
		diag_error(diags, p->path, line,
			   "too many sections: at most %d; later sections "
			   "are ignored",
			   PROFILE_MAX_SECTIONS);
		l->full = true;
		r = -E2BIG;
	} else if (c) {
		/* Not quoted: the name would be shown with it. */
		diag_error(diags, p->path, line,
			   "section name contains a control character "
			   "(0x%02x)",
			   (unsigned int)c);
		r = -EINVAL;
	} else if (streq(text, "profile") && !*arg) {
		r = begin_single(p, l, PROFILE_SECTION_PROFILE, "profile",
				 &l->profile_line, line, diags);
	} else if (streq(text, "gadget") && !*arg) {
		r = begin_single(p, l, PROFILE_SECTION_GADGET, "gadget",
				 &l->gadget_line, line, diags);
	} else if (streq(text, "os_desc") && !*arg) {
		r = begin_single(p, l, PROFILE_SECTION_OS_DESC, "os_desc",
				 &p->os_desc.line, line, diags);
		if (r == 0)
			p->os_desc.defined = true;
	} else if (streq(text, "config")) {
		r = begin_config(p, l, arg, line, diags);
	} else if (streq(text, "function")) {
		r = begin_function(p, l, arg, line, diags);
	} else {
		diag_error(diags, p->path, line, "unknown section [%s]",
			   section);
		r = -EINVAL;
	}
	if (r == 0)
		l->state = LOADER_IN_SECTION;
	free(copy);
	return r;
}

/* ---- values ---- */

struct key_ctx {
	struct profile *p;
	struct profile_loader *l;
	const char *key;
	const char *value;
	int line;
	struct diag_list *diags;
	void *base; /* the struct the section's keys live in */
};

static void key_error(struct key_ctx *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void key_error(struct key_ctx *k, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_error(k->diags, k->p->path, k->line, "%s", msg);
	free(msg);
}

static void key_invalid(struct key_ctx *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The one shape of a type error: the value, the key, what it takes. */
static void key_invalid(struct key_ctx *k, const char *fmt, ...)
{
	va_list ap;
	char *expected;

	va_start(ap, fmt);
	expected = xvasprintf(fmt, ap);
	va_end(ap);
	key_error(k, "invalid value '%s' for '%s': expected %s", k->value,
		  k->key, expected);
	free(expected);
}

/*
 * Numbers are decimal or hexadecimal with 0x.  No octal: a leading zero
 * ("0100" for bcdDevice) means what it says in decimal, not 64.
 */
static bool parse_number(const char *s, long *out)
{
	bool negative = false;
	unsigned long v = 0;
	int base = 10;

	if (*s == '-') {
		negative = true;
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return false;
		v = v * (unsigned long)base + (unsigned long)d;
		if (v > 0xffffffffUL)
			return false;
	}
	*out = negative ? -(long)v : (long)v;
	return true;
}

bool profile_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

enum key_kind {
	KEY_INT,
	KEY_BOOL,
	KEY_STR,
	KEY_SPECIAL,
};

#define KEY_HEX 0x1 /* show the range in hex */
#define KEY_ASCII 0x2 /* printable ASCII, no spaces */
#define KEY_ABSPATH 0x4 /* an absolute path */
#define KEY_NONEMPTY 0x8
#define KEY_LIST 0x10 /* items separated by spaces or tabs */

struct key_def {
	const char *name;
	enum key_kind kind;
	size_t offset; /* of the profile_int/bool/str in the section's struct */
	long min,
		max; /* KEY_INT range; KEY_STR: max = length limit (0: none) */
	unsigned flags;
	void (*set)(struct key_ctx *k);
};

static void set_int(struct key_ctx *k, const struct key_def *def,
		    struct profile_int *v)
{
	long n;

	if (!parse_number(k->value, &n) || n < def->min || n > def->max) {
		if (def->flags & KEY_HEX)
			key_invalid(k, "a number from %#lx to %#lx", def->min,
				    def->max);
		else
			key_invalid(k, "a number from %ld to %ld", def->min,
				    def->max);
		return;
	}
	v->value = n;
	v->line = k->line;
}

static void set_bool(struct key_ctx *k, struct profile_bool *v)
{
	bool b;

	if (!profile_parse_bool(k->value, &b)) {
		key_invalid(k, "yes, no, true, false, on, off, 1 or 0");
		return;
	}
	v->value = b;
	v->line = k->line;
}

static bool string_ok(struct key_ctx *k, const struct key_def *def)
{
	size_t len = strlen(k->value);

	if ((def->flags & KEY_NONEMPTY) && len == 0) {
		key_error(k, "'%s' needs a value", k->key);
		return false;
	}
	if (def->max && len > (size_t)def->max) {
		key_error(k,
			  "value of '%s' is too long: %zu characters, at "
			  "most %ld",
			  k->key, len, def->max);
		return false;
	}
	if (def->flags & KEY_ASCII) {
		for (const char *s = k->value; *s; s++) {
			if (*s <= ' ' || *s > '~') {
				key_invalid(k, "printable ASCII characters "
					       "without spaces");
				return false;
			}
		}
	}
	if ((def->flags & KEY_ABSPATH) && k->value[0] != '/') {
		key_invalid(k, "an absolute path");
		return false;
	}
	return true;
}

static void set_str(struct key_ctx *k, const struct key_def *def,
		    struct profile_str *v)
{
	if (!string_ok(k, def))
		return;
	free(v->value);
	v->value = xstrdup(k->value);
	v->line = k->line;
}

static void set_max_packet_size0(struct key_ctx *k)
{
	struct profile_gadget *g = k->base;
	long n;

	if (!parse_number(k->value, &n) ||
	    (n != 8 && n != 16 && n != 32 && n != 64)) {
		key_invalid(k, "8, 16, 32 or 64");
		return;
	}
	g->max_packet_size0.value = n;
	g->max_packet_size0.line = k->line;
}

/* A whitespace-separated list: returns the next token or NULL. */
static char *next_token(char **cursor)
{
	char *s = *cursor + strspn(*cursor, " \t");
	char *end;

	if (!*s)
		return NULL;
	end = s + strcspn(s, " \t");
	if (*end)
		*end++ = '\0';
	*cursor = end;
	return s;
}

static void set_functions(struct key_ctx *k)
{
	struct profile_config *c = k->base;
	char *list = xstrdup(k->value);
	char *cursor = list, *tok;

	c->functions_line = k->line;
	while ((tok = next_token(&cursor))) {
		enum function_type type;
		const char *instance = NULL;
		char *type_text, *name;
		bool twice = false;
		int r;

		r = split_function_name(tok, &type, &type_text, &instance);
		if (r == -ENOENT) {
			char *types = function_type_list();

			key_error(k,
				  "unknown function type '%s' in 'functions': "
				  "expected one of %s",
				  type_text, types);
			free(types);
		} else if (r < 0)
			key_error(k,
				  "invalid function '%s' in 'functions': "
				  "expected TYPE.INSTANCE",
				  tok);
		free(type_text);
		if (r < 0)
			continue;

		name = xasprintf("%s.%s", function_type_configfs_name(type),
				 instance);
		for (size_t i = 0; i < c->n_function_names; i++)
			twice |= streq(c->function_names[i], name);
		if (twice) {
			key_error(k,
				  "function '%s' listed twice in [config %d]",
				  name, c->id);
			free(name);
			continue;
		}
		if (c->n_function_names == PROFILE_MAX_CONFIG_FUNCTIONS) {
			key_error(k,
				  "too many functions in [config %d]: at "
				  "most %d",
				  c->id, PROFILE_MAX_CONFIG_FUNCTIONS);
			free(name);
			break;
		}
		c->function_names[c->n_function_names++] = name;
	}
	free(list);
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		char hex[3] = { 0 };
		char *end;

		if (!s[0] || !s[1])
			return -EINVAL;
		hex[0] = s[0];
		hex[1] = s[1];
		if (strspn(hex, "0123456789abcdefABCDEF") != 2)
			return -EINVAL;
		mac[i] = (uint8_t)strtoul(hex, &end, 16);
		s += 2;
		if (i < 5 && *s++ != ':')
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

static void set_mac(struct key_ctx *k, struct profile_mac *mac)
{
	static const uint8_t zero[6];
	uint8_t addr[6];

	if (streq(k->value, "auto")) {
		mac->is_auto = true;
		mac->line = k->line;
		return;
	}
	if (parse_mac(k->value, addr) < 0) {
		key_invalid(k, "auto or a MAC address like 02:00:00:00:00:01");
		return;
	}
	/* The kernel takes a multicast or zero address without complaint,
	 * and the host then drops every frame. */
	if ((addr[0] & 1) || memcmp(addr, zero, 6) == 0) {
		key_invalid(k, "a unicast MAC address (first byte even, not "
			       "all zero)");
		return;
	}
	mac->is_auto = false;
	memcpy(mac->addr, addr, 6);
	mac->line = k->line;
}

static void set_dev_addr(struct key_ctx *k)
{
	set_mac(k, &((struct profile_net *)k->base)->dev_addr);
}

static void set_host_addr(struct key_ctx *k)
{
	set_mac(k, &((struct profile_net *)k->base)->host_addr);
}

static int parse_address(const char *text, struct ip_address *a)
{
	const char *slash = strchr(text, '/');
	char *addr;
	long prefix = 0;
	int r = 0;

	if (!slash)
		return -EINVAL;
	addr = xstrndup(text, (size_t)(slash - text));
	a->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(a->family, addr, a->addr) != 1 ||
	    !parse_decimal(slash + 1, 128, &prefix) || prefix < 1 ||
	    prefix > (a->family == AF_INET ? 32 : 128))
		r = -EINVAL;
	a->prefix_len = (int)prefix;
	free(addr);
	return r;
}

static void set_address(struct key_ctx *k)
{
	struct profile_net *net = k->base;
	struct ip_address parsed[PROFILE_MAX_ADDRESSES];
	char *list = xstrdup(k->value);
	char *cursor = list, *tok;
	size_t n = 0;
	bool ok = true;

	memset(parsed, 0, sizeof(parsed));
	while (ok && (tok = next_token(&cursor))) {
		struct ip_address a;

		memset(&a, 0, sizeof(a));
		if (parse_address(tok, &a) < 0) {
			key_error(k,
				  "invalid address '%s' in 'address': "
				  "expected IPv4 or IPv6 address/prefix, "
				  "e.g. 192.168.7.2/24",
				  tok);
			ok = false;
		} else if (n == PROFILE_MAX_ADDRESSES) {
			key_error(k,
				  "too many addresses in 'address': at "
				  "most %d",
				  PROFILE_MAX_ADDRESSES);
			ok = false;
		} else {
			a.text = xstrdup(tok);
			parsed[n++] = a;
		}
	}
	if (ok && n == 0) {
		key_invalid(k, "IPv4 or IPv6 address/prefix, e.g. "
			       "192.168.7.2/24");
		ok = false;
	}
	if (!ok) {
		for (size_t i = 0; i < n; i++)
			free(parsed[i].text);
		free(list);
		return;
	}
	for (size_t i = 0; i < net->n_addresses; i++)
		free(net->addresses[i].text);
	memcpy(net->addresses, parsed, sizeof(parsed));
	net->n_addresses = n;
	net->addresses_line = k->line;
	free(list);
}

static void set_link(struct key_ctx *k)
{
	struct profile_net *net = k->base;

	if (streq(k->value, "auto"))
		net->link = LINK_AUTO;
	else if (streq(k->value, "manual"))
		net->link = LINK_MANUAL;
	else
		key_invalid(k, "auto or manual");
}

static void set_ifupdown(struct key_ctx *k)
{
	struct profile_net *net = k->base;
	bool b;

	if (streq(k->value, "auto"))
		net->ifupdown = IFUPDOWN_AUTO;
	else if (streq(k->value, "no") ||
		 (profile_parse_bool(k->value, &b) && !b))
		net->ifupdown = IFUPDOWN_NO;
	else
		key_invalid(k, "auto or no");
}

static bool report_desc_conflict(struct key_ctx *k, struct profile_hid *hid)
{
	if (!hid->report_desc_line)
		return false;
	key_error(k,
		  "'%s' conflicts with the report descriptor set on line "
		  "%d: set either report_desc or report_desc_file",
		  k->key, hid->report_desc_line);
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void set_report_desc(struct key_ctx *k)
{
	struct profile_hid *hid = k->base;
	uint8_t *buf = xmalloc(strlen(k->value) / 2 + 1);
	size_t n = 0;
	const char *s = k->value;

	if (report_desc_conflict(k, hid))
		goto out;
	/* Set even when refused below: validation then knows a descriptor
	 * was given and does not report it missing as well. */
	hid->report_desc_line = k->line;
	for (;;) {
		int hi, lo;

		s += strspn(s, " \t");
		if (!*s)
			break;
		hi = hex_digit(s[0]);
		lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (lo < 0) {
			n = 0;
			break;
		}
		buf[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	if (n == 0) {
		key_error(k, "invalid value for 'report_desc': expected "
			     "hexadecimal bytes, e.g. 05 01 09 06");
		goto out;
	}
	if (n > PROFILE_REPORT_DESC_MAX) {
		key_error(k, "'report_desc' is too long: %zu bytes, at most %d",
			  n, PROFILE_REPORT_DESC_MAX);
		goto out;
	}
	hid->report_desc = buf;
	hid->report_desc_len = n;
	hid->report_desc_line = k->line;
	buf = NULL;
out:
	free(buf);
}

/* Read at load time so that a missing descriptor is a profile error with
 * its line, not a failure halfway through applying. */
static void set_report_desc_file(struct key_ctx *k)
{
	struct profile_hid *hid = k->base;
	char *buf = NULL;
	char *path = NULL;
	size_t n = 0;
	int r;

	if (report_desc_conflict(k, hid))
		return;
	hid->report_desc_line = k->line; /* as in set_report_desc() */
	if (!k->value[0]) {
		key_error(k, "'report_desc_file' needs a value");
		return;
	}
	if (k->value[0] == '/') {
		path = xstrdup(k->value);
	} else {
		const char *slash = strrchr(k->p->path, '/');

		path = slash ? xasprintf("%.*s/%s", (int)(slash - k->p->path),
					 k->p->path, k->value)
			     : xstrdup(k->value);
	}
	r = read_regular_file(path, PROFILE_REPORT_DESC_MAX, &buf, &n);
	if (r == -EFBIG) {
		key_error(k, "report_desc_file '%s' is larger than %d bytes",
			  path, PROFILE_REPORT_DESC_MAX);
		goto out;
	}
	if (r < 0) {
		key_error(k, "cannot read report_desc_file '%s': %s", path,
			  r == -EINVAL ? READ_REGULAR_FILE_NOT_REGULAR
				       : strerror(-r));
		goto out;
	}
	if (n == 0) {
		key_error(k, "report_desc_file '%s' is empty", path);
		goto out;
	}
	hid->report_desc = (uint8_t *)buf;
	hid->report_desc_len = n;
	hid->report_desc_line = k->line;
	hid->report_desc_file = xstrdup(k->value);
	buf = NULL;
out:
	free(buf);
	free(path);
}

static void set_lun_attach(struct key_ctx *k)
{
	struct profile_lun *lun = k->base;

	if (streq(k->value, "always")) {
		lun->attach_host_ready = false;
	} else if (streq(k->value, "host-ready")) {
		lun->attach_host_ready = true;
	} else {
		key_invalid(k, "always or host-ready");
		return;
	}
	lun->attach_line = k->line;
}

static bool choice_ok(struct key_ctx *k, const char *const *choices);

/* The configfs gadget attribute max_speed (usb_speed_string()). */
static void set_max_speed(struct key_ctx *k)
{
	static const char *const speeds[] = {
		"low-speed",   "full-speed",	   "high-speed",
		"super-speed", "super-speed-plus", NULL,
	};
	struct profile_gadget *g = k->base;

	if (!choice_ok(k, speeds))
		return;
	free(g->max_speed.value);
	g->max_speed.value = xstrdup(k->value);
	g->max_speed.line = k->line;
}

#define INT_KEY(s, field, lo, hi, fl)                                 \
	{                                                             \
#field, KEY_INT, offsetof(s, field), lo, hi, fl, NULL \
	}
#define BOOL_KEY(s, field)                                          \
	{                                                           \
#field, KEY_BOOL, offsetof(s, field), 0, 0, 0, NULL \
	}
#define STR_KEY(s, field, max, fl)                                    \
	{                                                             \
#field, KEY_STR, offsetof(s, field), 0, max, fl, NULL \
	}
#define SPECIAL_KEY(name, fn)                     \
	{                                         \
		name, KEY_SPECIAL, 0, 0, 0, 0, fn \
	}
#define LIST_KEY(name, fn)                               \
	{                                                \
		name, KEY_SPECIAL, 0, 0, 0, KEY_LIST, fn \
	}

/* fallback = NAME [NAME...]: profile names (a path would let a member's
 * switch name any file), not this profile, each once. */
static void set_fallback(struct key_ctx *k)
{
	struct profile *p = k->base;
	char *list = xstrdup(k->value);
	char *cursor = list, *tok;

	p->fallback_line = k->line;
	while ((tok = next_token(&cursor))) {
		bool twice = false;

		if (strchr(tok, '/') || tok[0] == '.') {
			key_error(k,
				  "invalid profile name '%s' in 'fallback': "
				  "expected names of profiles, not paths",
				  tok);
			continue;
		}
		if (streq(tok, p->name)) {
			key_error(k, "'fallback' names this profile (%s)", tok);
			continue;
		}
		for (size_t i = 0; i < p->n_fallback; i++)
			twice |= streq(p->fallback[i], tok);
		if (twice) {
			key_error(k, "profile '%s' listed twice in 'fallback'",
				  tok);
			continue;
		}
		if (p->n_fallback == PROFILE_MAX_FALLBACK) {
			key_error(k,
				  "too many profiles in 'fallback': at most %d",
				  PROFILE_MAX_FALLBACK);
			break;
		}
		p->fallback[p->n_fallback++] = xstrdup(tok);
	}
	if (p->n_fallback == 0 && !*str_strip(list))
		key_invalid(k, "one or more profile names");
	free(list);
}

static const struct key_def profile_keys[] = {
	STR_KEY(struct profile, description, 0, 0),
	LIST_KEY("fallback", set_fallback),
	INT_KEY(struct profile, fallback_after, 1, 300, 0),
	{ 0 },
};

static const struct key_def gadget_keys[] = {
	INT_KEY(struct profile_gadget, vendor_id, 0, 0xffff, KEY_HEX),
	INT_KEY(struct profile_gadget, product_id, 0, 0xffff, KEY_HEX),
	INT_KEY(struct profile_gadget, device_version, 0, 0xffff, KEY_HEX),
	INT_KEY(struct profile_gadget, usb_version, 0, 0xffff, KEY_HEX),
	INT_KEY(struct profile_gadget, device_class, 0, 0xff, KEY_HEX),
	INT_KEY(struct profile_gadget, device_subclass, 0, 0xff, KEY_HEX),
	INT_KEY(struct profile_gadget, device_protocol, 0, 0xff, KEY_HEX),
	SPECIAL_KEY("max_packet_size0", set_max_packet_size0),
	INT_KEY(struct profile_gadget, language, 0, 0xffff, KEY_HEX),
	STR_KEY(struct profile_gadget, manufacturer, PROFILE_USB_STRING_MAX, 0),
	STR_KEY(struct profile_gadget, product, PROFILE_USB_STRING_MAX, 0),
	STR_KEY(struct profile_gadget, serial, PROFILE_USB_STRING_MAX, 0),
	SPECIAL_KEY("max_speed", set_max_speed),
	{ 0 },
};

static const struct key_def config_keys[] = {
	STR_KEY(struct profile_config, name, PROFILE_USB_STRING_MAX, 0),
	/* USB 2 bus power; configfs MaxPower is in mA. */
	INT_KEY(struct profile_config, max_power, 0, 500, 0),
	BOOL_KEY(struct profile_config, self_powered),
	BOOL_KEY(struct profile_config, remote_wakeup),
	LIST_KEY("functions", set_functions),
	{ 0 },
};

static const struct key_def os_desc_keys[] = {
	BOOL_KEY(struct profile_os_desc, use),
	INT_KEY(struct profile_os_desc, vendor_code, 0, 0xff, KEY_HEX),
	/* qwSignature is 7 UTF-16 characters ("MSFT100"). */
	STR_KEY(struct profile_os_desc, signature, 7, KEY_ASCII),
	INT_KEY(struct profile_os_desc, config, 1, 255, 0),
	{ 0 },
};

static const struct key_def net_keys[] = {
	SPECIAL_KEY("dev_addr", set_dev_addr),
	SPECIAL_KEY("host_addr", set_host_addr),
	LIST_KEY("address", set_address),
	SPECIAL_KEY("link", set_link),
	SPECIAL_KEY("ifupdown", set_ifupdown),
	BOOL_KEY(struct profile_net, dhcp),
	{ 0 },
};

/* The interface OS descriptor of RNDIS and NCM:
 * os_desc/interface.{rndis,ncm}/{compatible,sub_compatible}_id, 8 bytes
 * each. */
static const struct key_def interface_os_desc_keys[] = {
	{ "os_desc.compatible_id", KEY_STR,
	  offsetof(struct profile_net, os_desc_compatible_id), 0, 8, KEY_ASCII,
	  NULL },
	{ "os_desc.sub_compatible_id", KEY_STR,
	  offsetof(struct profile_net, os_desc_sub_compatible_id), 0, 8,
	  KEY_ASCII, NULL },
	{ 0 },
};

static const struct key_def lun_keys[] = {
	STR_KEY(struct profile_lun, file, PROFILE_PATH_MAX, 0),
	BOOL_KEY(struct profile_lun, ro),
	BOOL_KEY(struct profile_lun, removable),
	BOOL_KEY(struct profile_lun, cdrom),
	BOOL_KEY(struct profile_lun, nofua),
	/* The kernel pads or cuts it to the 28 bytes of INQUIRY data. */
	{ "inquiry_string", KEY_STR,
	  offsetof(struct profile_lun, inquiry_string), 0, PROFILE_INQUIRY_MAX,
	  0, NULL },
	BOOL_KEY(struct profile_lun, optional),
	SPECIAL_KEY("attach", set_lun_attach),
	/* At most a minute: host firmware waits seconds, not longer. */
	INT_KEY(struct profile_lun, attach_delay, 0, 60000, 0),
	{ 0 },
};

static const struct key_def hid_keys[] = {
	LIST_KEY("report_desc", set_report_desc),
	SPECIAL_KEY("report_desc_file", set_report_desc_file),
	{ 0 },
};

static const struct key_def ffs_keys[] = {
	STR_KEY(struct profile_ffs, mountpoint, PROFILE_PATH_MAX, KEY_ABSPATH),
	INT_KEY(struct profile_ffs, ready_timeout, 1, 600, 0),
	{ 0 },
};

/*
 * program = /abs/path [args...]: split here, once, so that the daemon
 * exec()s exactly the words the profile shows (no shell quoting, no PATH).
 */
static void set_program(struct key_ctx *k)
{
	struct profile_program *prog = k->base;
	char *list, *cursor, *tok;
	char **argv;
	size_t n = 0;

	if (strlen(k->value) > PROFILE_PROGRAM_MAX_LEN) {
		key_error(k,
			  "value of '%s' is too long: %zu characters, at "
			  "most %d",
			  k->key, strlen(k->value), PROFILE_PROGRAM_MAX_LEN);
		return;
	}
	list = xstrdup(k->value);
	cursor = list;
	argv = xcalloc(PROFILE_PROGRAM_MAX_ARGS + 1, sizeof(*argv));
	while ((tok = next_token(&cursor))) {
		if (n == PROFILE_PROGRAM_MAX_ARGS) {
			key_error(k,
				  "too many words in 'program': at most %d "
				  "(the path and its arguments)",
				  PROFILE_PROGRAM_MAX_ARGS);
			goto fail;
		}
		argv[n++] = xstrdup(tok);
	}
	if (n == 0) {
		key_invalid(k, "an absolute path and its arguments");
		goto fail;
	}
	if (argv[0][0] != '/') {
		key_error(k,
			  "invalid program '%s' in 'program': expected an "
			  "absolute path (no PATH lookup)",
			  argv[0]);
		goto fail;
	}
	free(list);
	free(prog->text);
	prog->text = xstrdup(k->value);
	for (size_t i = 0; prog->argv && prog->argv[i]; i++)
		free(prog->argv[i]);
	free(prog->argv);
	prog->argv = argv;
	prog->line = k->line;
	return;
fail:
	for (size_t i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	free(list);
}

/* Keys of every [function ...] section. */
static const struct key_def function_program_keys[] = {
	LIST_KEY("program", set_program),
	{ "program_restart", KEY_BOOL,
	  offsetof(struct profile_program, restart), 0, 0, 0, NULL },
	{ 0 },
};

static const struct key_def *find_key(const struct key_def *table,
				      const char *key)
{
	for (; table && table->name; table++)
		if (streq(table->name, key))
			return table;
	return NULL;
}

int profile_control_char(const char *s, bool allow_tab)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f)
			return c;
	}
	return 0;
}

/*
 * A newline or an escape sequence written to configfs, or shown back in a
 * message, is never what was meant; libconfig's "\n" escapes make them
 * easy to write.  Checked before any check that quotes the value.  A tab
 * only separates the items of a list.
 */
static bool value_has_control_char(struct key_ctx *k, bool is_list)
{
	int c = profile_control_char(k->value, is_list);

	if (c)
		key_error(k,
			  "value of '%s' contains a control character (0x%02x)",
			  k->key, (unsigned int)c);
	return c != 0;
}

static void apply_key(struct key_ctx *k, const struct key_def *def)
{
	void *field = (char *)k->base + def->offset;

	if (value_has_control_char(k, def->flags & KEY_LIST))
		return;

	switch (def->kind) {
	case KEY_INT:
		set_int(k, def, field);
		break;
	case KEY_BOOL:
		set_bool(k, field);
		break;
	case KEY_STR:
		set_str(k, def, field);
		break;
	case KEY_SPECIAL:
		def->set(k);
		break;
	}
}

/* Returns false when key was already set in this section (reported). */
static bool loader_note_key(struct key_ctx *k)
{
	struct profile_loader *l = k->l;

	for (size_t i = 0; i < l->n_keys; i++) {
		if (streq(l->keys[i].key, k->key)) {
			key_error(k,
				  "duplicate key '%s' in [%s] (first on "
				  "line %d)",
				  k->key, l->section_name, l->keys[i].line);
			return false;
		}
	}
	if (l->n_keys == l->cap_keys) {
		l->cap_keys = l->cap_keys ? 2 * l->cap_keys : 16;
		l->keys = xreallocarray(l->keys, l->cap_keys, sizeof(*l->keys));
	}
	l->keys[l->n_keys].key = xstrdup(k->key);
	l->keys[l->n_keys].line = k->line;
	l->n_keys++;
	return true;
}

static void unknown_key(struct key_ctx *k)
{
	key_error(k, "unknown key '%s' in [%s]", k->key, k->l->section_name);
}

/*
 * lun.N.ATTR.  LUNs are introduced in increasing order with no gap
 * (lun.0 first, then lun.1, ...) and each LUN's keys stay together: the
 * kernel numbers LUNs densely, so a gap would shift every later LUN.
 */
static void set_lun_key(struct key_ctx *k)
{
	struct profile_mass_storage *ms = k->base;
	const struct key_def *def;
	struct profile_lun *lun;
	const char *s = k->key + strlen("lun.");
	const char *dot = strchr(s, '.');
	char *num;
	long n = 0;
	bool ok;

	if (!dot) {
		unknown_key(k);
		return;
	}
	num = xstrndup(s, (size_t)(dot - s));
	ok = parse_decimal(num, 1000, &n);
	free(num);
	def = find_key(lun_keys, dot + 1);
	if (!ok || !def) {
		unknown_key(k);
		return;
	}
	if (n >= PROFILE_MAX_LUNS) {
		key_error(k, "invalid LUN number in '%s': expected 0 to %d",
			  k->key, PROFILE_MAX_LUNS - 1);
		return;
	}
	if (n > k->l->lun + 1) {
		key_error(k,
			  "LUN keys out of order: '%s' before any key of "
			  "LUN %d",
			  k->key, k->l->lun + 1);
		return;
	}
	if (n < k->l->lun) {
		key_error(k, "LUN keys out of order: '%s' after keys of LUN %d",
			  k->key, k->l->lun);
		return;
	}
	if (!loader_note_key(k))
		return;
	lun = &ms->luns[n];
	if (n == k->l->lun + 1) {
		k->l->lun = (int)n;
		lun->defined = true;
		lun->line = k->line;
		ms->n_luns = (int)n + 1;
	}
	k->base = lun;
	apply_key(k, def);
}

/* "async or adaptive" */
static bool choice_ok(struct key_ctx *k, const char *const *choices)
{
	size_t n = 0, len = 0;
	char *list;

	for (const char *const *c = choices; *c; c++, n++) {
		if (streq(k->value, *c))
			return true;
		len += strlen(*c) + 4;
	}
	list = xcalloc(1, len + 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(list, i + 1 == n ? " or " : ", ");
		strcat(list, choices[i]);
	}
	key_invalid(k, "%s", list);
	free(list);
	return false;
}

/*
 * The kernel takes an interface name template with exactly one %d, so
 * that a second gadget's interface cannot fail to register with EEXIST
 * (gether_set_ifname()), of at most IFNAMSIZ - 1 characters, without
 * '/', ':' or white space (dev_valid_name()).
 */
static bool ifname_template_ok(struct key_ctx *k)
{
	const char *pct = strchr(k->value, '%');

	if (strlen(k->value) > 15 || strpbrk(k->value, "/: \t") || !pct ||
	    pct[1] != 'd' || strchr(pct + 2, '%')) {
		key_invalid(k, "an interface name template of at most 15 "
			       "characters with one %%d, e.g. usb%%d");
		return false;
	}
	return true;
}

/* A row of the function type's schema: the same checks and messages as
 * the keys above, into the function's values[]. */
static void set_function_attr(struct key_ctx *k, const struct function_attr *a,
			      struct profile_value *v)
{
	struct key_def def = {
		.name = a->key,
		.min = a->min,
		.max = a->max,
		.flags = (a->flags & FUNCTION_ATTR_HEX ? KEY_HEX : 0) |
			 (a->flags & FUNCTION_ATTR_ASCII ? KEY_ASCII : 0),
	};
	struct profile_int number = { 0 };
	struct profile_bool flag = { 0 };
	struct profile_str text = { 0 };

	if (value_has_control_char(k, false))
		return;
	switch (a->kind) {
	case FUNCTION_ATTR_INT:
		set_int(k, &def, &number);
		v->number = number.value;
		v->line = number.line;
		break;
	case FUNCTION_ATTR_BOOL:
		set_bool(k, &flag);
		v->number = flag.value;
		v->line = flag.line;
		break;
	case FUNCTION_ATTR_STRING:
		set_str(k, &def, &text);
		break;
	case FUNCTION_ATTR_CHOICE:
		if (choice_ok(k, a->choices))
			set_str(k, &def, &text);
		break;
	case FUNCTION_ATTR_IFNAME:
		if (ifname_template_ok(k))
			set_str(k, &def, &text);
		break;
	}
	if (text.line) {
		free(v->text);
		v->text = text.value;
		v->line = text.line;
	}
}

static const struct key_def *function_keys(enum function_type type,
					   const struct key_def **extra)
{
	*extra = NULL;
	switch (type) {
	case FUNCTION_RNDIS:
	case FUNCTION_NCM:
		*extra = interface_os_desc_keys;
		return net_keys;
	case FUNCTION_ECM:
	case FUNCTION_EEM:
	case FUNCTION_SUBSET:
		return net_keys;
	case FUNCTION_HID:
		return hid_keys;
	case FUNCTION_FFS:
		return ffs_keys;
	default:
		return NULL;
	}
}

/*
 * A USB language id (LANGID) as the strings/ directory names it: 0x and
 * one to four hex digits, not 0 (string descriptor 0 lists the
 * languages).  Returns the id, or -1.
 */
static long parse_language(const char *s, size_t len)
{
	long v = 0;

	if (len < 3 || len > 6 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	for (size_t i = 2; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v ? v : -1;
}

/* The language of PREFIX.LANG[.REST] keys; reported when invalid. */
static long key_language(struct key_ctx *k, const char *lang, size_t len)
{
	long v = parse_language(lang, len);

	if (v < 0)
		key_error(k,
			  "invalid language '%.*s' in '%s': expected a USB "
			  "language id from 0x1 to 0xffff, e.g. 0x407",
			  (int)len, lang, k->key);
	return v;
}

/* The slot of language lang among n used ones, a new one when there is
 * room; NULL (reported) when the cap is reached. */
static size_t language_slot(struct key_ctx *k, const int *langs, size_t stride,
			    size_t n, long lang, bool *is_new)
{
	for (size_t i = 0; i < n; i++) {
		if (*(const int *)((const char *)langs + i * stride) == lang) {
			*is_new = false;
			return i;
		}
	}
	*is_new = true;
	if (n == PROFILE_MAX_LANGUAGES)
		key_error(k,
			  "'%s': too many string languages in [%s], at most "
			  "%d besides the plain keys'",
			  k->key, k->l->section_name, PROFILE_MAX_LANGUAGES);
	return n;
}

/* strings.LANG.manufacturer, .product, .serial in [gadget]. */
static void set_gadget_strings_key(struct key_ctx *k)
{
	static const struct key_def keys[] = {
		STR_KEY(struct profile_gadget_strings, manufacturer,
			PROFILE_USB_STRING_MAX, 0),
		STR_KEY(struct profile_gadget_strings, product,
			PROFILE_USB_STRING_MAX, 0),
		STR_KEY(struct profile_gadget_strings, serial,
			PROFILE_USB_STRING_MAX, 0),
		{ 0 },
	};
	struct profile_gadget *g = k->base;
	const char *lang = k->key + strlen("strings.");
	const char *dot = strchr(lang, '.');
	const struct key_def *def = dot ? find_key(keys, dot + 1) : NULL;
	struct profile_gadget_strings *st;
	char *canonical;
	const char *key = k->key;
	size_t i;
	bool is_new;
	long id;

	if (!def) {
		unknown_key(k);
		return;
	}
	id = key_language(k, lang, (size_t)(dot - lang));
	if (id < 0)
		return;
	/* strings.0x0407.product and strings.0x407.product are one key. */
	canonical = xasprintf("strings.0x%lx.%s", id, def->name);
	k->key = canonical;
	if (!loader_note_key(k))
		goto out;
	i = language_slot(k, &g->strings[0].language, sizeof(g->strings[0]),
			  g->n_strings, id, &is_new);
	if (i == PROFILE_MAX_LANGUAGES)
		goto out;
	st = &g->strings[i];
	if (is_new) {
		st->language = (int)id;
		st->line = k->line;
		g->n_strings++;
	}
	k->base = st;
	apply_key(k, def);
out:
	k->key = key;
	free(canonical);
}

/* name.LANG in [config N]. */
static void set_config_name_key(struct key_ctx *k)
{
	static const struct key_def def = STR_KEY(
		struct profile_config_string, name, PROFILE_USB_STRING_MAX, 0);
	struct profile_config *c = k->base;
	const char *lang = k->key + strlen("name.");
	char *canonical;
	const char *key = k->key;
	size_t i;
	bool is_new;
	long id;

	id = key_language(k, lang, strlen(lang));
	if (id < 0)
		return;
	canonical = xasprintf("name.0x%lx", id);
	k->key = canonical;
	if (!loader_note_key(k))
		goto out;
	i = language_slot(k, &c->names[0].language, sizeof(c->names[0]),
			  c->n_names, id, &is_new);
	if (i == PROFILE_MAX_LANGUAGES)
		goto out;
	if (is_new) {
		c->names[i].language = (int)id;
		c->n_names++;
	}
	k->base = &c->names[i];
	apply_key(k, &def);
out:
	k->key = key;
	free(canonical);
}

/* format.N and format.N.frames in [function uvc.*] (src/uvc.h). */
static void set_uvc_key(struct key_ctx *k)
{
	struct profile_uvc *u = k->base;
	char *error = NULL;
	int r;

	if (value_has_control_char(k, true) || !loader_note_key(k))
		return;
	r = uvc_set_key(u, k->key, k->value, k->line, &error);
	if (r == -ENOENT)
		unknown_key(k);
	else if (r < 0)
		key_error(k, "%s", error);
	free(error);
}

int profile_set_key(struct profile *p, const char *key, const char *value,
		    int line, struct diag_list *diags)
{
	struct profile_loader *l = profile_loader(p);
	const struct key_def *table = NULL, *extra = NULL, *def;
	const struct function_type_info *schema;
	struct profile_function *f;
	size_t row = 0;
	struct key_ctx k = {
		.p = p,
		.l = l,
		.key = key,
		.value = value,
		.line = line,
		.diags = diags,
	};
	size_t errors = diags->n_errors;

	if (l->state == LOADER_REFUSED)
		return -EINVAL;
	if (l->state == LOADER_NO_SECTION) {
		key_error(&k, "key '%s' outside of any section", key);
		return -EINVAL;
	}

	switch (l->section) {
	case PROFILE_SECTION_PROFILE:
		table = profile_keys;
		k.base = p;
		break;
	case PROFILE_SECTION_GADGET:
		table = gadget_keys;
		k.base = &p->gadget;
		if (str_starts_with(key, "strings.")) {
			set_gadget_strings_key(&k);
			return diags->n_errors > errors ? -EINVAL : 0;
		}
		break;
	case PROFILE_SECTION_CONFIG:
		table = config_keys;
		k.base = &p->configs[l->index];
		if (str_starts_with(key, "name.")) {
			set_config_name_key(&k);
			return diags->n_errors > errors ? -EINVAL : 0;
		}
		break;
	case PROFILE_SECTION_OS_DESC:
		table = os_desc_keys;
		k.base = &p->os_desc;
		break;
	case PROFILE_SECTION_FUNCTION:
		f = &p->functions[l->index];
		def = find_key(function_program_keys, key);
		if (def) {
			k.base = &f->program;
			if (!loader_note_key(&k))
				return -EEXIST;
			apply_key(&k, def);
			return diags->n_errors > errors ? -EINVAL : 0;
		}
		table = function_keys(f->type, &extra);
		k.base = &f->u;
		if (f->type == FUNCTION_MASS_STORAGE &&
		    str_starts_with(key, "lun.")) {
			set_lun_key(&k);
			return diags->n_errors > errors ? -EINVAL : 0;
		}
		if (f->type == FUNCTION_UVC &&
		    str_starts_with(key, "format.")) {
			set_uvc_key(&k);
			return diags->n_errors > errors ? -EINVAL : 0;
		}
		schema = function_type_info(f->type);
		if (!table && schema->n_attrs == 0) {
			key_error(&k,
				  "unknown key '%s' in [%s]: %s has no "
				  "keys",
				  key, l->section_name,
				  function_type_configfs_name(f->type));
			return -EINVAL;
		}
		if (!find_key(table, key) && !find_key(extra, key) &&
		    function_attr_find(schema, key, &row)) {
			if (!loader_note_key(&k))
				return -EEXIST;
			set_function_attr(&k, &schema->attrs[row],
					  &f->values[row]);
			return diags->n_errors > errors ? -EINVAL : 0;
		}
		break;
	}

	def = find_key(table, key);
	if (!def)
		def = find_key(extra, key);
	if (!def) {
		unknown_key(&k);
		return -EINVAL;
	}
	if (!loader_note_key(&k))
		return -EEXIST;
	apply_key(&k, def);
	return diags->n_errors > errors ? -EINVAL : 0;
}

const struct profile_value *
profile_function_value(const struct profile_function *f, const char *key)
{
	size_t row;

	if (!function_attr_find(function_type_info(f->type), key, &row))
		return NULL;
	return &f->values[row];
}
