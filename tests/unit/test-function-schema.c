/* SPDX-License-Identifier: MIT */
/*
 * The function types' schema (src/function/): every row of every type
 * loads, is written back as it was read, and becomes the configfs write
 * the row names; out-of-range values are refused with the one message of
 * their kind; the endpoints a type claims follow its attributes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint_budget.h"
#include "function/function.h"
#include "gadgetd/profile.h"
#include "plan.h"
#include "profile-testlib.h"
#include "testlib.h"
#include "util.h"
#include "uvc.h"

/* What a row is set to, and what the plan then writes. */
static void sample_value(const struct function_attr *a, char **value,
			 char **written)
{
	*value = NULL;
	*written = NULL;
	switch (a->kind) {
	case FUNCTION_ATTR_INT:
		*value = xasprintf("%ld", a->max);
		*written = xasprintf(a->flags & FUNCTION_ATTR_BARE_HEX ? "%02lx"
								       : "%ld",
				     a->max);
		break;
	case FUNCTION_ATTR_BOOL:
		*value = xstrdup("yes");
		*written = xstrdup("1");
		break;
	case FUNCTION_ATTR_STRING:
		*value = xstrdup("abc");
		*written = xstrdup("abc");
		break;
	case FUNCTION_ATTR_CHOICE:
		/* The last: not the kernel's default. */
		for (const char *const *c = a->choices; *c; c++)
			*value = (char *)*c;
		*value = xstrdup(*value);
		*written = xstrdup(*value);
		break;
	case FUNCTION_ATTR_IFNAME:
		*value = xstrdup("gadget%d");
		*written = xstrdup("gadget%d");
		break;
	}
}

static size_t str_count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* A profile with one function of type t that sets `key = value`. */
static char *one_function(const struct function_type_info *t, const char *key,
			  const char *value)
{
	return xasprintf(
		"[config 1]\nfunctions = %s.x\n[function %s.x]\n"
		"%s%s = %s\n",
		t->name, t->name,
		t->type == FUNCTION_HID && !streq(key, "report_length")
			? "report_length = 8\nreport_desc = 05 01\n"
		: t->type == FUNCTION_HID ? "report_desc = 05 01\n"
		: t->type == FUNCTION_UVC
			? "format.1 = yuyv\nformat.1.frames = 160x120@30\n"
			: "",
		key, value);
}

static const struct plan_step *find_write(const struct plan_steps *steps,
					  const char *path)
{
	for (size_t i = 0; i < steps->n; i++)
		if (steps->items[i].kind == PLAN_STEP_WRITE &&
		    streq(steps->items[i].path, path))
			return &steps->items[i];
	return NULL;
}

static void check_row(const struct function_type_info *t, size_t row)
{
	const struct function_attr *a = &t->attrs[row];
	struct plan_env env = { .board_id = "schema-test", .root = "/" };
	struct diag_list diags;
	struct profile *p, *again = NULL;
	struct plan plan;
	struct plan_steps steps;
	char *value = NULL, *written = NULL, *text, *path, *ini = NULL;
	size_t ini_len = 0;
	FILE *out;

	sample_value(a, &value, &written);
	text = one_function(t, a->key, value);
	p = profile_test_load(text, &diags);
	CHECK(p != NULL);
	CHECK_DIAGS(&diags, NULL);
	diag_clear(&diags);
	if (!p)
		goto out;
	/* The key is the last line of the text. */
	CHECK_INT_EQ(p->functions[0].values[row].line,
		     (int)str_count_lines(text));

	/* Written back and read again: the same value. */
	out = open_memstream(&ini, &ini_len);
	CHECK_INT_EQ(profile_write_ini(p, out), 0);
	fclose(out);
	again = profile_test_load(ini, &diags);
	CHECK(again != NULL);
	diag_clear(&diags);
	if (again) {
		const struct profile_value *x = &p->functions[0].values[row];
		const struct profile_value *y =
			&again->functions[0].values[row];

		CHECK(y->line != 0);
		CHECK_INT_EQ(x->number, y->number);
		CHECK_STR_EQ(x->text ? x->text : "", y->text ? y->text : "");
	}

	/* The plan writes it to the row's file. */
	CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), 0);
	diag_clear(&diags);
	path = xasprintf("functions/%s.x/%s", t->name, a->file);
	for (size_t i = 0; i < plan.n_ops; i++) {
		const struct plan_step *st;

		if (plan.ops[i].kind != PLAN_FUNCTION_CREATE)
			continue;
		plan_op_steps(&plan, &plan.ops[i], &steps);
		st = find_write(&steps, path);
		CHECK(st != NULL);
		if (st) {
			CHECK_STR_EQ(st->value, written);
			CHECK_INT_EQ(st->newline,
				     (a->flags & FUNCTION_ATTR_NEWLINE) != 0);
		}
		plan_steps_free(&steps);
	}
	plan_free(&plan);
	free(path);
out:
	profile_free(again);
	profile_free(p);
	free(ini);
	free(text);
	free(value);
	free(written);
}

static void test_every_row(void)
{
	size_t rows = 0;

	for (int i = 0; i < FUNCTION_TYPE_COUNT; i++) {
		const struct function_type_info *t =
			function_type_info((enum function_type)i);

		CHECK(t != NULL);
		CHECK_INT_EQ(t->type, i);
		for (size_t r = 0; r < t->n_attrs; r++, rows++)
			check_row(t, r);
	}
	/* A row added without this count changing is a row without a
	 * test of its own in the tests below. */
	CHECK_INT_EQ(rows, 80);
}

/* Out of range: the message of its kind, as for every other key. */
static void test_refused(void)
{
	struct diag_list diags;
	struct profile *p;

	p = profile_test_load("[config 1]\nfunctions = uac2.x\n"
			      "[function uac2.x]\nc_sync = sometimes\n"
			      "p_hs_bint = 5\nc_volume_min = -32769\n"
			      "p_chmask = 0x100000000\n"
			      "function_name = 0123456789012345678901234567890"
			      "12\n",
			      &diags);
	CHECK(p == NULL);
	CHECK_DIAGS(&diags,
		    "t.ini:4: invalid value 'sometimes' for 'c_sync': "
		    "expected async or adaptive",
		    "t.ini:5: invalid value '5' for 'p_hs_bint': expected a "
		    "number from 0 to 4",
		    "t.ini:6: invalid value '-32769' for 'c_volume_min': "
		    "expected a number from -32768 to 32767",
		    "t.ini:7: invalid value '0x100000000' for 'p_chmask': "
		    "expected a number from 0 to 0xffffffff",
		    "t.ini:8: value of 'function_name' is too long: 33 "
		    "characters, at most 31");
	diag_clear(&diags);

	p = profile_test_load("[config 1]\nfunctions = ecm.x ncm.y rndis.z\n"
			      "[function ecm.x]\nifname = usb0\n"
			      "[function ncm.y]\nifname = usb%d%d\n"
			      "[function rndis.z]\nifname = a/b%d\n"
			      "class = 0x100\n",
			      &diags);
	CHECK(p == NULL);
	CHECK_DIAGS(&diags,
		    "t.ini:4: invalid value 'usb0' for 'ifname': expected an "
		    "interface name template of at most 15 characters with "
		    "one %d, e.g. usb%d",
		    "t.ini:6: invalid value 'usb%d%d' for 'ifname': expected "
		    "an interface name template of at most 15 characters "
		    "with one %d, e.g. usb%d",
		    "t.ini:8: invalid value 'a/b%d' for 'ifname': expected an "
		    "interface name template of at most 15 characters with "
		    "one %d, e.g. usb%d",
		    "t.ini:9: invalid value '0x100' for 'class': expected a "
		    "number from 0 to 0xff");
	diag_clear(&diags);

	/* A type with no table has no keys at all. */
	p = profile_test_load("[config 1]\nfunctions = acm.x\n"
			      "[function acm.x]\nqmult = 5\n",
			      &diags);
	CHECK(p == NULL);
	CHECK_DIAGS(&diags, "t.ini:4: unknown key 'qmult' in [function "
			    "acm.x]: acm has no keys");
	diag_clear(&diags);
}

static struct endpoint_need need_of(const char *body)
{
	struct diag_list diags;
	struct profile *p = profile_test_load(body, &diags);
	struct endpoint_need n = { 0 };

	CHECK(p != NULL);
	CHECK_DIAGS(&diags, NULL);
	diag_clear(&diags);
	if (p)
		n = endpoint_budget_function(&p->functions[0]);
	profile_free(p);
	return n;
}

static void test_endpoints(void)
{
	struct endpoint_need n;

	/* hid's OUT reports over ep0: no interrupt OUT endpoint. */
	n = need_of("[config 1]\nfunctions = hid.x\n[function hid.x]\n"
		    "report_length = 8\nreport_desc = 05 01\n"
		    "no_out_endpoint = yes\n");
	CHECK_INT_EQ(n.in.n[ENDPOINT_INT], 1);
	CHECK_INT_EQ(n.out.n[ENDPOINT_INT], 0);

	/* uac2 capture, adaptive: no feedback endpoint; without controls
	 * no interrupt endpoint; playback off. */
	n = need_of("[config 1]\nfunctions = uac2.x\n[function uac2.x]\n"
		    "p_chmask = 0\nc_sync = adaptive\nc_mute_present = no\n"
		    "c_volume_present = no\n");
	CHECK_INT_EQ(n.out.n[ENDPOINT_ISO], 1);
	CHECK_INT_EQ(n.in.n[ENDPOINT_ISO], 0);
	CHECK_INT_EQ(n.in.n[ENDPOINT_INT], 0);

	/* Playback's controls alone give the interrupt endpoint. */
	n = need_of("[config 1]\nfunctions = uac2.x\n[function uac2.x]\n"
		    "c_chmask = 0\np_volume_present = no\n");
	CHECK_INT_EQ(n.in.n[ENDPOINT_ISO], 1);
	CHECK_INT_EQ(n.out.n[ENDPOINT_ISO], 0);
	CHECK_INT_EQ(n.in.n[ENDPOINT_INT], 1);

	/* uvc: the control interrupt and the video isochronous endpoint. */
	n = need_of("[config 1]\nfunctions = uvc.x\n[function uvc.x]\n"
		    "format.1 = mjpeg\nformat.1.frames = 640x360@30\n");
	CHECK_INT_EQ(n.in.n[ENDPOINT_ISO], 1);
	CHECK_INT_EQ(n.in.n[ENDPOINT_INT], 1);
	CHECK_INT_EQ(n.in.n[ENDPOINT_BULK] + n.out.n[ENDPOINT_BULK] +
			     n.out.n[ENDPOINT_INT] + n.out.n[ENDPOINT_ISO],
		     0);
}

/* uvc's formats: what a profile says, and every mistake at its line. */
static void test_uvc_formats(void)
{
	struct diag_list diags;
	struct profile *p, *again = NULL;
	char *ini = NULL;
	size_t ini_len = 0;
	FILE *out;

	p = profile_test_load("[config 1]\nfunctions = uvc.x\n"
			      "[function uvc.x]\n"
			      "format.1 = yuyv\n"
			      "format.1.frames = 640x360@30,15  1280x720@7\n"
			      "format.2 = mjpeg\n"
			      "format.2.frames = 1920x1080@60,30\n",
			      &diags);
	CHECK(p != NULL);
	CHECK_DIAGS(&diags, NULL);
	if (p) {
		const struct profile_uvc *u = &p->functions[0].u.uvc;
		const struct profile_uvc_frame *fr = &u->formats[0].frames[1];

		CHECK_INT_EQ(u->formats[0].encoding, PROFILE_UVC_YUYV);
		CHECK_INT_EQ(u->formats[0].n_frames, 2);
		CHECK_INT_EQ(u->formats[0].frames[0].n_rates, 2);
		CHECK_INT_EQ(u->formats[0].frames[0].rates[1], 15);
		CHECK_INT_EQ(fr->width, 1280);
		CHECK_INT_EQ(fr->height, 720);
		CHECK_INT_EQ(uvc_frame_interval(fr->rates[0]), 1428571);
		CHECK_INT_EQ(uvc_frame_buffer_size(fr), 1843200);
		CHECK_INT_EQ(u->formats[1].encoding, PROFILE_UVC_MJPEG);
		CHECK_INT_EQ(u->formats[1].line, 6);
		CHECK_INT_EQ(u->formats[1].frames_line, 7);

		/* Written back and read again: the same formats. */
		out = open_memstream(&ini, &ini_len);
		CHECK_INT_EQ(profile_write_ini(p, out), 0);
		fclose(out);
		CHECK(strstr(ini, "format.1.frames = 640x360@30,15 "
				  "1280x720@7\n") != NULL);
		again = profile_test_load(ini, &diags);
		CHECK(again != NULL);
		CHECK_DIAGS(&diags, NULL);
		if (again)
			CHECK(memcmp(&again->functions[0]
					      .u.uvc.formats[1]
					      .frames,
				     &u->formats[1].frames,
				     sizeof(u->formats[1].frames)) == 0);
	}
	profile_free(again);
	profile_free(p);
	free(ini);
	diag_clear(&diags);

	p = profile_test_load(
		"[config 1]\nfunctions = uvc.x\n[function uvc.x]\n"
		"format.1 = h264\n"
		"format.1.frames = 640x360\n"
		"format.2.frames = 640x360@30 640x360@15\n"
		"format.5 = yuyv\n"
		"format.3 = yuyv\n"
		"format.x = yuyv\n"
		"format.4.frames = 65535x65535@30\n"
		"format.1 = mjpeg\n"
		"format.1.frames = 10x10@1,1 10x10@0 0x10@5 10x10@1001\n",
		&diags);
	CHECK(p == NULL);
	CHECK_DIAGS(&diags,
		    "t.ini:4: invalid value 'h264' for 'format.1': expected "
		    "yuyv or mjpeg",
		    "t.ini:5: 'format.1.frames': invalid frame '640x360': "
		    "expected frames as WIDTHxHEIGHT@RATE[,RATE...] separated "
		    "by spaces, e.g. 640x360@30,15 1280x720@10",
		    "t.ini:6: 'format.2.frames': frame size 640x360 listed "
		    "twice",
		    "t.ini:7: invalid format number in 'format.5': expected "
		    "1 to 4",
		    "t.ini:9: unknown key 'format.x' in [function uvc.x]",
		    "t.ini:10: 'format.4.frames': frame '65535x65535@30' is "
		    "too large: 65535x65535 at 30 fps is more than 2^32 - 1 "
		    "bits per second (dwMaxBitRate)",
		    "t.ini:11: duplicate key 'format.1' in [function uvc.x] "
		    "(first on line 4)",
		    "t.ini:12: duplicate key 'format.1.frames' in [function "
		    "uvc.x] (first on line 5)");
	diag_clear(&diags);

	/* Each frame mistake on its own. */
	static const struct {
		const char *frames, *message;
	} bad[] = {
		{ "10x10@1,1", "frame rate 1 listed twice in '10x10@1,1'" },
		{ "10x10@0", "invalid frame rate '0' in '10x10@0': expected "
			     "frames per second from 1 to 1000" },
		{ "10x10@1001", "invalid frame rate '1001' in '10x10@1001': "
				"expected frames per second from 1 to 1000" },
		{ "0x10@5", "invalid frame '0x10@5': expected frames as "
			    "WIDTHxHEIGHT@RATE[,RATE...] separated by spaces, "
			    "e.g. 640x360@30,15 1280x720@10" },
		{ "10x10@1,2,3,4,5,6,7", "too many frame rates in "
					 "'10x10@1,2,3,4,5,6,7': at most 6" },
		{ "1x1@1 2x1@1 3x1@1 4x1@1 5x1@1 6x1@1 7x1@1 8x1@1 9x1@1 "
		  "10x1@1 11x1@1",
		  "too many frames: at most 10 a format" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *text = xasprintf("[config 1]\nfunctions = uvc.x\n"
				       "[function uvc.x]\nformat.1 = yuyv\n"
				       "format.1.frames = %s\n",
				       bad[i].frames);
		char *want = xasprintf("t.ini:5: 'format.1.frames': %s",
				       bad[i].message);

		p = profile_test_load(text, &diags);
		CHECK(p == NULL);
		CHECK_DIAGS(&diags, want);
		diag_clear(&diags);
		profile_free(p);
		free(text);
		free(want);
	}

	/* What needs the whole section, once every key loaded. */
	p = profile_test_load("[config 1]\nfunctions = uvc.x\n"
			      "[function uvc.x]\n"
			      "format.2.frames = 10x10@1\n"
			      "format.3 = yuyv\n"
			      "format.4 = yuyv\n"
			      "format.4.frames = 10x10@1\n",
			      &diags);
	CHECK(p == NULL);
	CHECK_DIAGS(&diags,
		    "t.ini:4: format.2.frames of uvc.x without format.2 (yuyv "
		    "or mjpeg)",
		    "t.ini:5: format.3 of uvc.x has no frames: add "
		    "format.3.frames, e.g. 640x360@30",
		    "t.ini:5: format.3 of uvc.x without format.2: formats are "
		    "numbered from 1 without a gap");
	diag_clear(&diags);

	/* No format at all: said at the section. */
	p = profile_test_load("[config 1]\nfunctions = uvc.x\n"
			      "[function uvc.x]\nstreaming_maxburst = 2\n",
			      &diags);
	CHECK(p == NULL);
	CHECK_DIAGS(&diags, "t.ini:3: uvc.x has no video format: add "
			    "format.1 = yuyv and format.1.frames = 640x360@30");
	diag_clear(&diags);
}

/* uvc in libconfig: the formats in the gadgetd group; libusbgx's own uvc
 * scheme refused at its line. */
static void test_uvc_libconfig(void)
{
	static const char scheme[] =
		"functions = {\n"
		"  cam = { instance = \"x\"; type = \"uvc\";\n"
		"    attrs = { streaming_maxpacket = 3072; }; };\n"
		"};\n"
		"configs = ( { id = 1; name = \"c\"; functions = (\n"
		"  { name = \"uvc.x\"; function = \"cam\"; } ); } );\n"
		"gadgetd = { functions = { cam = { formats = (\n"
		"  { format = \"yuyv\"; frames = \"640x360@30\"; },\n"
		"  { format = \"mjpeg\"; frames = \"1280x720@30,15\"; } );\n"
		"}; }; };\n";
	static const char refused[] =
		"functions = {\n"
		"  cam = { instance = \"x\"; type = \"uvc\";\n"
		"    attrs = { formats = { uncompressed = { frames = ( ); }; };\n"
		"      }; };\n"
		"};\n"
		"configs = ( { id = 1; name = \"c\"; functions = (\n"
		"  { name = \"uvc.x\"; function = \"cam\"; } ); } );\n";
	struct diag_list diags;
	struct profile *p = NULL;

	diag_init(&diags);
	CHECK_INT_EQ(profile_load_libconfig_buffer("t.cfg", scheme,
						   strlen(scheme), &p, &diags),
		     0);
	CHECK_DIAGS(&diags, NULL);
	if (p) {
		const struct profile_uvc *u = &p->functions[0].u.uvc;

		CHECK_INT_EQ(u->formats[1].encoding, PROFILE_UVC_MJPEG);
		CHECK_INT_EQ(u->formats[1].frames_line, 9);
		CHECK_INT_EQ(u->formats[1].frames[0].rates[1], 15);
	}
	profile_free(p);
	p = NULL;
	diag_clear(&diags);

	CHECK(profile_load_libconfig_buffer("t.cfg", refused, strlen(refused),
					    &p, &diags) < 0);
	CHECK(diags.n > 0 &&
	      str_starts_with(diags.items[0].message,
			      "libusbgx's uvc 'formats' in attrs of function "
			      "uvc.x is not read") &&
	      diags.items[0].line == 3);
	profile_free(p);
	diag_clear(&diags);
}

/* A gadget scheme's attrs: the same rows; read-only ifname ignored as
 * libusbgx's import does. */
static void test_scheme(void)
{
	static const char scheme[] =
		"attrs = { idVendor = 0x1d6b; idProduct = 0x0104; };\n"
		"functions = {\n"
		"  audio = { instance = \"x\"; type = \"uac2\";\n"
		"    attrs = { c_sync = \"adaptive\"; req_number = 4; }; };\n"
		"  net = { instance = \"usb0\"; type = \"rndis\";\n"
		"    attrs = { ifname = \"usb0\"; class = 0xe0; }; };\n"
		"};\n"
		"configs = ( { id = 1; name = \"c\"; functions = (\n"
		"  { name = \"uac2.x\"; function = \"audio\"; },\n"
		"  { name = \"rndis.usb0\"; function = \"net\"; } ); } );\n";
	struct diag_list diags;
	struct profile *p = NULL;

	diag_init(&diags);
	CHECK_INT_EQ(profile_load_libconfig_buffer("t.cfg", scheme,
						   strlen(scheme), &p, &diags),
		     0);
	CHECK_DIAGS(&diags, NULL);
	if (p && p->n_functions == 2) {
		CHECK_STR_EQ(profile_function_value(&p->functions[0], "c_sync")
				     ->text,
			     "adaptive");
		CHECK_INT_EQ(
			profile_function_value(&p->functions[0], "req_number")
				->number,
			4);
		CHECK_INT_EQ(profile_function_value(&p->functions[1], "ifname")
				     ->line,
			     0);
		CHECK_INT_EQ(profile_function_value(&p->functions[1], "class")
				     ->number,
			     0xe0);
	}
	CHECK(!p ||
	      profile_function_value(&p->functions[0], "no_such") == NULL);
	profile_free(p);
	diag_clear(&diags);
}

int main(void)
{
	test_every_row();
	test_refused();
	test_endpoints();
	test_scheme();
	test_uvc_formats();
	test_uvc_libconfig();
	return testlib_finish("test-function-schema");
}
