/* SPDX-License-Identifier: MIT */
/*
 * The libconfig loader: libusbgx gadget schemes, written by hand and by
 * libusbgx itself, load into the same profile as their INI twins, and
 * mistakes are reported with the .cfg file's line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <usbg/usbg.h>

/* LC_MAX_GROUP_SETTINGS in profile_libconfig.c */
#define LC_TEST_GROUP_MAX 256

#include "gadgetd/profile.h"
#include "profile_libconfig.h"
#include "testlib.h"
#include "util.h"

#include "fake-configfs.h"

static char *write_to_string(const struct profile *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int r = profile_write_ini(p, f);

	fclose(f);
	CHECK_INT_EQ(r, 0);
	return text;
}

/* Load and validate; diagnostics are printed to help when a check fails. */
static struct profile *load(const char *path)
{
	struct diag_list diags;
	struct profile *p = NULL;
	int r;

	diag_init(&diags);
	r = profile_load(path, &p, &diags);
	diag_print(&diags, stderr);
	CHECK_INT_EQ(r, 0);
	CHECK_INT_EQ(diags.n_errors, 0);
	diag_clear(&diags);
	return r == 0 ? p : NULL;
}

static void test_twin(void)
{
	struct profile *cfg = load("unit/fixtures/cfg-composite.cfg");
	struct profile *ini = load("unit/fixtures/cfg-composite.ini");
	const struct profile_function *f;
	char *a, *b;

	CHECK(cfg && ini);
	if (!cfg || !ini)
		goto out;

	/* Same model, compared through its one canonical text... */
	a = write_to_string(cfg);
	b = write_to_string(ini);
	CHECK_STR_EQ(a, b);
	free(a);
	free(b);

	/* ...and field by field where the translation does real work. */
	CHECK_STR_EQ(cfg->description.value,
		     "RNDIS for Windows in config 1, ECM and more in config 2");
	CHECK_INT_EQ(cfg->gadget.vendor_id.value, 0x1d6b);
	CHECK_INT_EQ(cfg->gadget.vendor_id.line, 10);
	CHECK_INT_EQ(cfg->gadget.language.value, 0x409);
	CHECK_STR_EQ(cfg->gadget.serial.value, "auto");
	CHECK_INT_EQ(cfg->n_configs, 2);
	CHECK_INT_EQ(cfg->n_functions, 6);
	if (cfg->n_configs == 2) {
		CHECK_INT_EQ(cfg->configs[0].max_power.value, 250);
		CHECK(!cfg->configs[0].self_powered.value);
		CHECK_INT_EQ(cfg->configs[1].max_power.value, 2);
		CHECK(cfg->configs[1].self_powered.value);
		CHECK_STR_EQ(cfg->configs[1].name.value, "ECM");
		CHECK_INT_EQ(cfg->configs[1].n_functions, 4);
	}
	if (cfg->n_functions == 6) {
		f = &cfg->functions[0];
		CHECK_STR_EQ(f->name, "rndis.usb0");
		CHECK_STR_EQ(f->u.net.os_desc_compatible_id.value, "RNDIS");
		CHECK_INT_EQ(f->u.net.n_addresses, 1);
		CHECK(f->u.net.dhcp.value);
		f = &cfg->functions[1];
		CHECK_STR_EQ(f->name, "ecm.usb1");
		CHECK(f->u.net.dev_addr.is_auto);
		CHECK_INT_EQ(f->u.net.n_addresses, 2);
		CHECK_INT_EQ(f->u.net.link, LINK_MANUAL);
		CHECK_INT_EQ(f->u.net.ifupdown, IFUPDOWN_NO);
		f = &cfg->functions[3];
		CHECK_STR_EQ(f->name, "mass_storage.0");
		CHECK_INT_EQ(f->u.ms.n_luns, 2);
		CHECK_STR_EQ(f->u.ms.luns[1].file.value, "/dev/nvme0n1");
		CHECK(f->u.ms.luns[1].optional.value);
		/* The line of a key from the gadgetd group is its own. */
		CHECK_INT_EQ(f->u.ms.luns[0].inquiry_string.line, 145);
		f = &cfg->functions[4];
		CHECK_INT_EQ(f->u.hid.report_desc_len, 7);
		f = &cfg->functions[5];
		CHECK_STR_EQ(f->name, "Loopback.lb");
		CHECK_INT_EQ(profile_function_value(f, "qlen")->number, 32);
	}
	CHECK(cfg->os_desc.use.value);
	CHECK_INT_EQ(cfg->os_desc.config.value, 1);
out:
	profile_free(cfg);
	profile_free(ini);
}

/* The diagnostics of loading text; returns the first as one line. */
static char *load_error(const char *text, int *n_errors)
{
	struct diag_list diags;
	struct profile *p = NULL;
	char line[1024];
	int r;

	diag_init(&diags);
	r = profile_load_libconfig_buffer("t.cfg", text, strlen(text), &p,
					  &diags);
	if (r == 0) {
		r = profile_validate(p, &diags);
		profile_free(p);
	}
	CHECK(r < 0);
	*n_errors = (int)diags.n_errors;
	line[0] = '\0';
	for (size_t i = 0; i < diags.n; i++) {
		if (diags.items[i].severity != DIAG_ERROR)
			continue;
		diag_format(&diags.items[i], line, sizeof(line));
		break;
	}
	diag_clear(&diags);
	return xstrdup(line);
}

static void check_error(const char *text, const char *want)
{
	int n;
	char *got = load_error(text, &n);

	CHECK_STR_EQ(got, want);
	CHECK_INT_EQ(n, 1);
	free(got);
}

/* Part of a valid scheme that error cases build on. */
#define BASE                                                   \
	"attrs = { idVendor = 0x1d6b; idProduct = 0x104; };\n" \
	"functions = { acm_GS0 = { instance = \"GS0\"; type = \"acm\"; }; };\n"

static void check_first(const struct diag_list *diags, const char *want)
{
	char line[1024] = "";

	if (diags->n)
		diag_format(&diags->items[0], line, sizeof(line));
	CHECK_STR_EQ(line, want);
}

static void test_errors(void)
{
	char *got;
	int n;

	check_error("attrs = {\n  idVendor = ;\n};\n", "t.cfg:2: syntax error");
	check_error("attrs = { a = 1; };\nattrs = { b = 2; };\n",
		    "t.cfg:2: duplicate setting name");
	check_error(BASE "udc = \"dummy_udc.0\";\n",
		    "t.cfg:3: unknown key 'udc'");
	/* The gadgetd group takes a function's program, checked as in INI. */
	check_error(BASE "configs = ( { id = 1;\n"
			 "  functions = ( \"acm_GS0\" ); } );\n"
			 "gadgetd = { functions = { acm_GS0 = {\n"
			 "  program = \"getty ttyGS0\"; }; }; };\n",
		    "t.cfg:6: invalid program 'getty' in 'program': expected "
		    "an absolute path (no PATH lookup)");
	check_error("attrs = {\n  idVendr = 0x1d6b;\n};\n",
		    "t.cfg:2: unknown key 'idVendr' in attrs of the gadget");
	check_error(BASE "strings = ( { lang = 0x409;\n"
			 "  produkt = \"x\"; } );\n",
		    "t.cfg:4: unknown key 'produkt' in strings of the gadget");
	check_error(BASE "configs = ( { id = 1;\n"
			 "  strings = ( { lang = 0x409;\n"
			 "    configuratoin = \"c\"; } );\n"
			 "  functions = ( \"acm_GS0\" ); } );\n",
		    "t.cfg:5: unknown key 'configuratoin' in strings of a "
		    "configuration");
	check_error(BASE "os_descs = {\n  b_vendor = 1;\n};\n",
		    "t.cfg:4: unknown key 'b_vendor' in os_descs");
	check_error(BASE "configs = ( { id = 1;\n"
			 "  functions = ( \"acm_GS1\" ); } );\n",
		    "t.cfg:4: no function labelled 'acm_GS1'");
	check_error(BASE "configs = ( { id = 1;\n"
			 "  attrs = { bmAttributes = 0x40; };\n"
			 "  functions = ( \"acm_GS0\" ); } );\n",
		    "t.cfg:4: bmAttributes 0x40: bit 7 must be set and only "
		    "0x40 (self-powered) and 0x20 (remote wakeup) may be "
		    "added");
	check_error(BASE "configs = ( { functions = ( \"acm_GS0\" ); } );\n",
		    "t.cfg:3: a configuration has no 'id'");
	check_error("functions = {\n  acm_GS0 = { instance = \"GS0\"; };\n};\n",
		    "t.cfg:2: a function has no 'type'");
	check_error("functions = {\n"
		    "  ecm_usb0 = { instance = \"usb0\"; type = \"ecm\";\n"
		    "    attrs = { qmult = 5; mtu = 1500; }; };\n};\n",
		    "t.cfg:3: unknown key 'mtu' in attrs of function ecm.usb0");
	check_error(BASE "strings = (\n"
			 "  { lang = 0x407; product = \"a\"; },\n"
			 "  { lang = 0x409; product = \"b\"; },\n"
			 "  { lang = 0x409; product = \"c\"; }\n);\n",
		    "t.cfg:6: duplicate key 'strings.0x409.product' in "
		    "[gadget] (first on line 5)");
	check_error(BASE "strings = (\n"
			 "  { lang = 0x10000; product = \"a\"; }\n);\n",
		    "t.cfg:4: lang must be a USB language id from 0x1 to "
		    "0xffff");
	check_error(BASE "configs = ( { id = 1;\n"
			 "  strings = ( { lang = 0x407;\n"
			 "    configuration = \"\\n\"; } );\n"
			 "  functions = ( \"acm_GS0\" ); } );\n",
		    "t.cfg:5: value of 'name.0x407' contains a control "
		    "character (0x0a)");
	check_error(BASE "gadgetd = { functions = {\n"
			 "  ecm_usb0 = { address = \"192.168.7.2/24\"; };\n"
			 "}; };\n",
		    "t.cfg:4: gadgetd.functions: no function labelled "
		    "'ecm_usb0'");
	check_error(BASE "gadgetd = { descripton = \"x\"; };\n",
		    "t.cfg:3: unknown key 'descripton' in gadgetd");
	check_error(
		"functions = { hid_0 = { instance = \"0\"; type = \"hid\";\n"
		"  attrs = { report_desc = ( 5, 1, 256 ); }; }; };\n",
		"t.cfg:2: report_desc: element 3 is not a byte (0 to "
		"0xff)");
	/* Interface OS descriptors: "rndis" for rndis, "ncm" for ncm. */
	check_error("functions = {\n"
		    "  ncm_usb0 = { instance = \"usb0\"; type = \"ncm\";\n"
		    "    os_descs = ( { interface = \"rndis\";\n"
		    "      compatible_id = \"WINNCM\"; } ); };\n};\n",
		    "t.cfg:3: function ncm.usb0: only the interfaces "
		    "\"rndis\" (of rndis) and \"ncm\" (of ncm) have OS "
		    "descriptors");
	{
		static const char ok[] =
			"functions = { ncm_usb0 = { instance = \"usb0\";\n"
			"  type = \"ncm\"; os_descs = ( { interface = \"ncm\";\n"
			"  compatible_id = \"WINNCM\"; } ); }; };\n"
			"configs = ( { id = 1; functions = ( \"ncm_usb0\" ); } "
			");\n";
		struct diag_list d;
		struct profile *p = NULL;

		diag_init(&d);
		CHECK_INT_EQ(profile_load_libconfig_buffer("t.cfg", ok,
							   strlen(ok), &p, &d),
			     0);
		CHECK_INT_EQ(d.n, 0);
		if (p && p->n_functions == 1)
			CHECK_STR_EQ(p->functions[0]
					     .u.net.os_desc_compatible_id.value,
				     "WINNCM");
		profile_free(p);
		diag_clear(&d);
	}

	/* Value checks are profile_set_key()'s: the message is shared with
	 * INI, the place is the .cfg file's. */
	got = load_error(BASE "configs = ( { id = 1;\n"
			      "  attrs = { bMaxPower = 0x1000; };\n"
			      "  functions = ( \"acm_GS0\" ); } );\n",
			 &n);
	CHECK(str_starts_with(got, "t.cfg:4: "));
	CHECK_INT_EQ(n, 1);
	free(got);
	got = load_error("functions = {\n"
			 "  ecm_usb0 = { instance = \"usb0\"; type = \"ecm\";\n"
			 "    attrs = { dev_addr = \"02:00:00:00:00\"; }; };\n"
			 "};\n",
			 &n);
	CHECK(str_starts_with(got, "t.cfg:3: "));
	free(got);
	/* A function type gadgetd does not know is refused where it is
	 * defined. */
	got = load_error(
		"functions = {\n"
		"  x = { instance = \"0\"; type = \"phonet\"; };\n};\n",
		&n);
	CHECK(str_starts_with(got, "t.cfg:2: "));
	free(got);
}

static void append(char **text, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void append(char **text, const char *fmt, ...)
{
	va_list ap;
	char *more, *both;

	va_start(ap, fmt);
	more = xvasprintf(fmt, ap);
	va_end(ap);
	both = xasprintf("%s%s", *text ? *text : "", more);
	free(more);
	free(*text);
	*text = both;
}

/* n functions acm_N under `functions`, one a line from line 2. */
static char *functions_group(int n)
{
	char *text = xstrdup("functions = {\n");

	for (int i = 0; i < n; i++)
		append(&text,
		       "  acm_%d = { type = \"acm\"; instance = \"%d\"; };\n",
		       i, i);
	append(&text, "};\n");
	return text;
}

/*
 * The profile's caps hold for this loader too, with their message, once,
 * and without walking what follows; a group too large for libconfig to
 * parse in reasonable time is refused before libconfig sees it (SPEC
 * 7.1: 27,000 functions in 1 MiB took ten seconds to refuse).
 */
static void test_caps(void)
{
	char *text = functions_group(PROFILE_MAX_FUNCTIONS + 1);

	/* The 129th function is on line 130. */
	append(&text,
	       "configs = ( { id = 1; functions = ( \"acm_0\" ); } );\n");
	check_error(text, "t.cfg:130: too many functions: at most 128 "
			  "[function] sections; later sections are ignored");
	free(text);

	text = functions_group(LC_TEST_GROUP_MAX + 1);
	check_error(text, "t.cfg:258: too many settings in one group: at "
			  "most 256");
	free(text);

	text = functions_group(1);
	append(&text, "configs = (\n");
	for (int i = 1; i <= PROFILE_MAX_CONFIGS + 100; i++)
		append(&text, "  %s{ id = %d; functions = ( \"acm_0\" ); }\n",
		       i > 1 ? ", " : "", i);
	append(&text, ");\n");
	check_error(text, "t.cfg:13: too many configurations: at most 8 "
			  "[config N] sections; later sections are ignored");
	free(text);

	/* One error for the first LUN past the cap, none for the rest. */
	text = xstrdup("functions = { ms = { type = \"mass_storage\";\n"
		       "  instance = \"0\"; attrs = { luns = (\n");
	for (int i = 0; i < 1000; i++)
		append(&text, "    %s{ file = \"/dev/sd%d\"; }\n",
		       i ? ", " : "", i);
	append(&text, "  ); }; }; };\n"
		      "configs = ( { id = 1; functions = ( \"ms\" ); } );\n");
	check_error(text, "t.cfg:19: invalid LUN number in 'lun.16.file': "
			  "expected 0 to 15");
	free(text);

	/* A configuration's functions: one past the cap is reported. */
	text = functions_group(40);
	append(&text, "configs = ( { id = 1; functions = (");
	for (int i = 0; i < 40; i++)
		append(&text, "%s\"acm_%d\"", i ? ", " : " ", i);
	append(&text, " ); } );\n");
	check_error(text, "t.cfg:43: too many functions in [config 1]: at "
			  "most 16");
	free(text);
}

/*
 * libconfig's escapes make control characters easy to write; they are
 * refused at their line as in INI, and in the scheme's own strings that
 * messages would quote.
 */
static void test_control_characters(void)
{
	check_error(BASE "strings = ( { lang = 0x409;\n"
			 "  product = \"a\\nb\"; } );\n",
		    "t.cfg:4: value of 'product' contains a control character "
		    "(0x0a)");
	check_error("functions = { ms = { type = \"mass_storage\";\n"
		    "  instance = \"0\"; attrs = { luns = (\n"
		    "    { file = \"/a\"; inquiry_string = \"\\x1b[2J\"; }\n"
		    "  ); }; }; };\n"
		    "configs = ( { id = 1; functions = ( \"ms\" ); } );\n",
		    "t.cfg:3: value of 'lun.0.inquiry_string' contains a "
		    "control character (0x1b)");
	check_error(
		"functions = { ecm_usb0 = { type = \"ecm\";\n"
		"  instance = \"usb0\"; }; };\n"
		"gadgetd = { functions = { ecm_usb0 = {\n"
		"  address = ( \"10.0.0.1/24\", \"a\\r\" ); }; }; };\n"
		"configs = ( { id = 1; functions = ( \"ecm_usb0\" ); } );\n",
		"t.cfg:4: value of 'address' contains a control character "
		"(0x0d)");
	check_error("functions = {\n"
		    "  x = { type = \"acm\"; instance = \"a\\nb\"; };\n};\n",
		    "t.cfg:2: type or instance of a function contains a "
		    "control character (0x0a)");
	check_error(BASE "configs = ( { id = 1;\n"
			 "  functions = ( \"acm_GS0\\t\" ); } );\n",
		    "t.cfg:4: function label contains a control character "
		    "(0x09)");
}

/*
 * An @include file is read as a regular file within the profile's size
 * cap before libconfig opens it: a FIFO hung the loader.
 */
static void test_include_special_files(void)
{
	char *root = fake_configfs_new();
	char *path = xasprintf("%s/p.cfg", root);
	char *fifo = xasprintf("%s/f.scheme", root);
	char *zero = xasprintf("%s/z.scheme", root);
	char *want, *big;
	struct diag_list diags;
	struct profile *p = NULL;
	int r;

	CHECK_INT_EQ(mkfifo(fifo, 0600), 0);
	CHECK_INT_EQ(symlink("/dev/zero", zero), 0);
	fake_write(root, "p.cfg", "attrs = {\n@include \"f.scheme\"\n};");
	diag_init(&diags);
	alarm(10);
	r = profile_load(path, &p, &diags);
	alarm(0);
	CHECK(r < 0);
	want = xasprintf("%s:2: cannot read @include file '%s': not a "
			 "regular file",
			 path, fifo);
	CHECK_INT_EQ(diags.n, 1);
	check_first(&diags, want);
	free(want);
	diag_clear(&diags);

	fake_write(root, "p.cfg", "attrs = {\n  @include \"z.scheme\"\n};");
	r = profile_load(path, &p, &diags);
	CHECK(r < 0);
	want = xasprintf("%s:2: cannot read @include file '%s': not a "
			 "regular file",
			 path, zero);
	check_first(&diags, want);
	free(want);
	diag_clear(&diags);

	/* Its settings count in the group around the @include. */
	big = functions_group(300);
	fake_write(root, "g.scheme", big + strlen("functions = {\n"));
	fake_write(root, "p.cfg", "functions = {\n@include \"g.scheme\"\n");
	r = profile_load(path, &p, &diags);
	CHECK(r < 0);
	want = xasprintf("%s/g.scheme:257: too many settings in one group: "
			 "at most 256",
			 root);
	check_first(&diags, want);
	free(want);
	diag_clear(&diags);
	free(big);

	free(zero);
	free(fifo);
	free(path);
	fake_configfs_free(root);
}

static void test_embedded_nul(void)
{
	static const char text[] = "attrs = { idVendor = 1; };\n\0junk";
	struct diag_list diags;
	struct profile *p = NULL;
	char line[256] = "";
	int r;

	diag_init(&diags);
	r = profile_load_libconfig_buffer("t.cfg", text, sizeof(text) - 1, &p,
					  &diags);
	CHECK_INT_EQ(r, -EINVAL);
	CHECK(p == NULL);
	if (diags.n)
		diag_format(&diags.items[0], line, sizeof(line));
	CHECK_STR_EQ(line, "t.cfg:2: the file contains a NUL byte");
	diag_clear(&diags);
}

/* @include files are read from the profile's directory, and a problem in
 * one names that file. */
static void test_include(void)
{
	char *root = fake_configfs_new();
	char *path, *buf, *want;
	struct diag_list diags;
	struct profile *p = NULL;
	int r;

	fake_write(root, "acm.scheme", "instance = \"GS0\";\ntype = \"acm\";");
	fake_write(
		root, "p.cfg",
		"functions = { acm_GS0 = {\n  @include \"acm.scheme\"\n}; };\n"
		"configs = ( { id = 1; functions = ( \"acm_GS0\" ); } );");
	path = xasprintf("%s/p.cfg", root);
	diag_init(&diags);
	r = profile_load(path, &p, &diags);
	diag_print(&diags, stderr);
	CHECK_INT_EQ(r, 0);
	CHECK(p && p->n_functions == 1);
	profile_free(p);
	p = NULL;
	diag_clear(&diags);

	fake_write(root, "acm.scheme",
		   "instance = \"GS0\";\ntype = \"acm\";\nattrs = { x = 1; };");
	r = profile_load(path, &p, &diags);
	CHECK(r < 0);
	buf = xcalloc(1, 512);
	if (diags.n)
		diag_format(&diags.items[0], buf, 512);
	want = xasprintf("%s/acm.scheme:3: unknown key 'x' in attrs of "
			 "function acm.GS0",
			 root);
	CHECK_STR_EQ(buf, want);
	free(want);
	diag_clear(&diags);

	fake_write(root, "acm.scheme", "instance = ;");
	r = profile_load(path, &p, &diags);
	CHECK(r < 0);
	if (diags.n)
		diag_format(&diags.items[0], buf, 512);
	want = xasprintf("%s/acm.scheme:1: syntax error", root);
	CHECK_STR_EQ(buf, want);
	free(want);
	diag_clear(&diags);

	free(buf);
	free(path);
	fake_configfs_free(root);
}

/* profile_libconfig_parse() keeps what it built despite errors, so that
 * validation reports the rest in the same run. */
static void test_parse_keeps_profile(void)
{
	char *root = fake_configfs_new();
	char *path = xasprintf("%s/p.cfg", root);
	struct diag_list diags;
	struct profile *p = NULL;
	int r;

	fake_write(root, "p.cfg",
		   "attrs = { idVendr = 0x1d6b; };\n"
		   "functions = { acm_GS0 = { instance = \"GS0\"; "
		   "type = \"acm\"; }; };\n"
		   "configs = ( { id = 1; functions = ( \"acm_GS0\" ); } );\n"
		   "os_descs = { use = 1; config_id = 3; };");
	diag_init(&diags);
	r = profile_libconfig_parse(path, &p, &diags);
	CHECK(r < 0);
	CHECK(p != NULL);
	CHECK_INT_EQ(diags.n_errors, 1);
	if (p) {
		profile_validate(p, &diags);
		CHECK_INT_EQ(diags.n_errors, 2);
		if (diags.n == 2)
			CHECK_INT_EQ(diags.items[1].line, 4);
	}
	profile_free(p);
	diag_clear(&diags);

	/* Not libconfig at all: nothing to validate. */
	fake_write(root, "p.cfg", "attrs = {");
	r = profile_libconfig_parse(path, &p, &diags);
	CHECK(r < 0);
	CHECK(p == NULL);
	diag_clear(&diags);
	free(path);
	fake_configfs_free(root);
}

#define G "usb_gadget/g1/"

/*
 * What real libusbgx 0.2.0 writes: usbg_export_gadget() of a gadget in a
 * fake configfs tree.  (Its export of a MIDI function crashes in 0.2.0,
 * so there is none here.)
 */
static void test_libusbgx_export(void)
{
	char *root = fake_configfs_new();
	char *scheme_path = NULL;
	usbg_state *s = NULL;
	usbg_gadget *g;
	struct profile *p;
	FILE *f;
	int r;

	fake_gadget(root, "g1");
	fake_write(root, G "strings/0x409/manufacturer", "Example");
	fake_write(root, G "strings/0x409/product", "Exported gadget");
	fake_write(root, G "strings/0x409/serialnumber", "0001");
	fake_write(root, G "functions/ecm.usb0/dev_addr", "02:00:00:00:00:01");
	fake_write(root, G "functions/ecm.usb0/host_addr", "02:00:00:00:00:02");
	fake_write(root, G "functions/ecm.usb0/ifname", "usb0");
	fake_write(root, G "functions/ecm.usb0/qmult", "5");
	fake_write(root, G "functions/rndis.usb1/dev_addr",
		   "02:00:00:00:00:03");
	fake_write(root, G "functions/rndis.usb1/host_addr",
		   "02:00:00:00:00:04");
	fake_write(root, G "functions/rndis.usb1/ifname", "usb1");
	fake_write(root, G "functions/rndis.usb1/qmult", "5");
	fake_write(root,
		   G
		   "functions/rndis.usb1/os_desc/interface.rndis/compatible_id",
		   "RNDIS");
	fake_write(root,
		   G "functions/rndis.usb1/os_desc/interface.rndis/"
		     "sub_compatible_id",
		   "5162001");
	fake_write(root, G "functions/acm.GS0/port_num", "0");
	fake_write(root, G "functions/mass_storage.0/stall", "1");
	fake_write(root, G "functions/mass_storage.0/lun.0/file", "/dev/sda");
	fake_write(root, G "functions/mass_storage.0/lun.0/ro", "1");
	fake_write(root, G "functions/mass_storage.0/lun.0/removable", "1");
	fake_write(root, G "functions/mass_storage.0/lun.0/cdrom", "0");
	fake_write(root, G "functions/mass_storage.0/lun.0/nofua", "0");
	fake_write(root, G "functions/hid.kbd/protocol", "1");
	fake_write(root, G "functions/hid.kbd/subclass", "1");
	fake_write(root, G "functions/hid.kbd/report_length", "8");
	fake_write(root, G "functions/hid.kbd/dev", "240:0");
	fake_write_raw(root, G "functions/hid.kbd/report_desc",
		       "\x05\x01\x09\x06", 4);
	fake_write(root, G "functions/uac2.a/c_chmask", "3");
	fake_write(root, G "functions/uac2.a/c_srate", "48000");
	fake_write(root, G "functions/uac2.a/c_ssize", "2");
	fake_write(root, G "functions/uac2.a/p_chmask", "3");
	fake_write(root, G "functions/uac2.a/p_srate", "48000");
	fake_write(root, G "functions/uac2.a/p_ssize", "2");
	fake_write(root, G "functions/Loopback.lb/buflen", "4096");
	fake_write(root, G "functions/Loopback.lb/qlen", "32");
	fake_mkdir(root, G "functions/ffs.adb");
	fake_write(root, G "configs/c.1/MaxPower", "250");
	fake_write(root, G "configs/c.1/bmAttributes", "0x80");
	fake_write(root, G "configs/c.1/strings/0x409/configuration", "RNDIS");
	fake_link(root, G "functions/rndis.usb1", G "configs/c.1/rndis.usb1");
	fake_link(root, G "functions/mass_storage.0",
		  G "configs/c.1/mass_storage.0");
	fake_write(root, G "configs/c.2/MaxPower", "100");
	fake_write(root, G "configs/c.2/bmAttributes", "0xc0");
	fake_write(root, G "configs/c.2/strings/0x409/configuration", "ECM");
	fake_link(root, G "functions/ecm.usb0", G "configs/c.2/ecm.usb0");
	fake_link(root, G "functions/acm.GS0", G "configs/c.2/acm.GS0");
	fake_link(root, G "functions/hid.kbd", G "configs/c.2/hid.kbd");
	fake_link(root, G "functions/uac2.a", G "configs/c.2/uac2.a");
	fake_link(root, G "functions/Loopback.lb", G "configs/c.2/Loopback.lb");
	fake_link(root, G "functions/ffs.adb", G "configs/c.2/ffs.adb");
	fake_write(root, G "os_desc/use", "1");
	fake_write(root, G "os_desc/b_vendor_code", "0xcd");
	fake_write(root, G "os_desc/qw_sign", "MSFT100");
	fake_link(root, G "configs/c.1", G "os_desc/c.1");

	r = usbg_init(root, &s);
	CHECK_INT_EQ(r, USBG_SUCCESS);
	if (r != USBG_SUCCESS)
		goto out;
	g = usbg_get_gadget(s, "g1");
	CHECK(g != NULL);
	scheme_path = xasprintf("%s/exported.cfg", root);
	f = fopen(scheme_path, "w");
	CHECK(f != NULL);
	if (!g || !f)
		goto out;
	r = usbg_export_gadget(g, f);
	fclose(f);
	CHECK_INT_EQ(r, USBG_SUCCESS);

	p = load(scheme_path);
	CHECK(p != NULL);
	if (p) {
		CHECK_INT_EQ(p->gadget.product_id.value, 0x104);
		CHECK_INT_EQ(p->gadget.max_packet_size0.value, 64);
		CHECK_STR_EQ(p->gadget.product.value, "Exported gadget");
		CHECK_INT_EQ(p->n_functions, 8);
		CHECK_INT_EQ(p->n_configs, 2);
		if (p->n_configs == 2) {
			CHECK_INT_EQ(p->configs[0].max_power.value, 250);
			CHECK_INT_EQ(p->configs[0].n_functions, 2);
			CHECK_INT_EQ(p->configs[1].n_functions, 6);
			CHECK(p->configs[1].self_powered.value);
		}
		CHECK(p->os_desc.use.value);
		CHECK_INT_EQ(p->os_desc.vendor_code.value, 0xcd);
		for (size_t i = 0; i < p->n_functions; i++) {
			const struct profile_function *fn = &p->functions[i];

			if (fn->type == FUNCTION_RNDIS)
				CHECK_STR_EQ(
					fn->u.net.os_desc_compatible_id.value,
					"RNDIS");
			if (fn->type == FUNCTION_MASS_STORAGE) {
				CHECK(fn->u.ms.luns[0].ro.value);
				CHECK_STR_EQ(fn->u.ms.luns[0].file.value,
					     "/dev/sda");
			}
			if (fn->type == FUNCTION_HID)
				CHECK_INT_EQ(fn->u.hid.report_desc_len, 4);
		}
		profile_free(p);
	}
out:
	if (s)
		usbg_cleanup(s);
	free(scheme_path);
	fake_configfs_free(root);
}

/* Every language of a scheme loads: the gadget's first is the plain
 * keys' (language), the others strings.LANG.* and name.LANG. */
static void test_languages(void)
{
	static const char text[] = BASE
		"strings = (\n"
		"  { lang = 0x409; manufacturer = \"Example\";\n"
		"    product = \"Gadget\"; },\n"
		"  { lang = 0x407; manufacturer = \"Beispiel\";\n"
		"    product = \"Geraet\"; serialnumber = \"42\"; }\n);\n"
		"configs = ( { id = 1;\n"
		"  strings = ( { lang = 0x409; configuration = \"Serial\"; },\n"
		"    { lang = 0x407; configuration = \"Seriell\"; } );\n"
		"  functions = ( \"acm_GS0\" ); } );\n";
	struct diag_list diags;
	struct profile *p = NULL;
	char *ini;
	int r;

	diag_init(&diags);
	r = profile_load_libconfig_buffer("t.cfg", text, strlen(text), &p,
					  &diags);
	if (r == 0)
		r = profile_validate(p, &diags);
	diag_print(&diags, stderr);
	CHECK_INT_EQ(r, 0);
	diag_clear(&diags);
	if (!p)
		return;
	CHECK_INT_EQ(p->gadget.language.value, 0x409);
	CHECK_STR_EQ(p->gadget.product.value, "Gadget");
	CHECK_INT_EQ(p->gadget.n_strings, 1);
	CHECK_INT_EQ(p->gadget.strings[0].language, 0x407);
	CHECK_STR_EQ(p->gadget.strings[0].product.value, "Geraet");
	CHECK_STR_EQ(p->gadget.strings[0].serial.value, "42");
	CHECK_INT_EQ(p->configs[0].n_names, 1);
	CHECK_STR_EQ(p->configs[0].name.value, "Serial");
	CHECK_STR_EQ(p->configs[0].names[0].name.value, "Seriell");
	ini = write_to_string(p);
	CHECK(strstr(ini, "strings.0x407.manufacturer = Beispiel\n"
			  "strings.0x407.product = Geraet\n"
			  "strings.0x407.serial = 42\n") != NULL);
	CHECK(strstr(ini, "name = Serial\nname.0x407 = Seriell\n") != NULL);
	free(ini);
	profile_free(p);
}

int main(void)
{
	test_twin();
	test_languages();
	test_errors();
	test_embedded_nul();
	test_caps();
	test_control_characters();
	test_include_special_files();
	test_include();
	test_parse_keeps_profile();
	test_libusbgx_export();
	return testlib_finish("test-libconfig");
}
