/* SPDX-License-Identifier: MIT */
/*
 * profile_write_ini(): one canonical text per profile, and reading that
 * text back gives the same profile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function/function.h"
#include "gadgetd/profile.h"
#include "testlib.h"
#include "util.h"

static char *write_to_string(const struct profile *p, int *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	*r = profile_write_ini(p, f);
	fclose(f);
	return text;
}

static struct profile *load_text(const char *path, const char *text)
{
	struct diag_list diags;
	struct profile *p = NULL;
	int r;

	diag_init(&diags);
	r = profile_load_ini_buffer(path, text, strlen(text), &p, &diags);
	if (r == 0)
		r = profile_validate(p, &diags);
	diag_print(&diags, stderr);
	CHECK_INT_EQ(r, 0);
	CHECK_INT_EQ(diags.n_errors, 0);
	diag_clear(&diags);
	if (r < 0) {
		profile_free(p);
		return NULL;
	}
	return p;
}

static const struct profile_function *find_function(const struct profile *p,
						    const char *name)
{
	for (size_t i = 0; i < p->n_functions; i++)
		if (streq(p->functions[i].name, name))
			return &p->functions[i];
	return NULL;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The values (not the lines) of two profiles are the same. */
static void check_same(const struct profile *a, const struct profile *b)
{
	CHECK_STR_EQ(a->description.value, b->description.value);
	CHECK_INT_EQ(a->gadget.vendor_id.value, b->gadget.vendor_id.value);
	CHECK_INT_EQ(a->gadget.device_class.value,
		     b->gadget.device_class.value);
	CHECK_INT_EQ(a->gadget.language.value, b->gadget.language.value);
	CHECK_STR_EQ(a->gadget.serial.value, b->gadget.serial.value);
	CHECK_STR_EQ(a->gadget.max_speed.value, b->gadget.max_speed.value);
	CHECK_INT_EQ(a->gadget.n_strings, b->gadget.n_strings);
	for (size_t i = 0; i < a->gadget.n_strings && i < b->gadget.n_strings;
	     i++) {
		const struct profile_gadget_strings *x = &a->gadget.strings[i];
		const struct profile_gadget_strings *y = &b->gadget.strings[i];

		CHECK_INT_EQ(x->language, y->language);
		CHECK_STR_EQ(or_empty(x->manufacturer.value),
			     or_empty(y->manufacturer.value));
		CHECK_STR_EQ(or_empty(x->product.value),
			     or_empty(y->product.value));
		CHECK_STR_EQ(or_empty(x->serial.value),
			     or_empty(y->serial.value));
	}
	CHECK_INT_EQ(a->n_configs, b->n_configs);
	for (size_t i = 0; i < a->n_configs && i < b->n_configs; i++) {
		const struct profile_config *x = &a->configs[i];
		const struct profile_config *y = &b->configs[i];

		CHECK_INT_EQ(x->id, y->id);
		CHECK_INT_EQ(x->max_power.value, y->max_power.value);
		CHECK_INT_EQ(x->self_powered.value, y->self_powered.value);
		CHECK_INT_EQ(x->self_powered.line != 0,
			     y->self_powered.line != 0);
		CHECK_INT_EQ(x->remote_wakeup.value, y->remote_wakeup.value);
		CHECK_INT_EQ(x->n_names, y->n_names);
		for (size_t j = 0; j < x->n_names && j < y->n_names; j++) {
			CHECK_INT_EQ(x->names[j].language,
				     y->names[j].language);
			CHECK_STR_EQ(x->names[j].name.value,
				     y->names[j].name.value);
		}
		CHECK_INT_EQ(x->n_functions, y->n_functions);
		for (size_t j = 0; j < x->n_functions && j < y->n_functions;
		     j++)
			CHECK_STR_EQ(a->functions[x->functions[j]].name,
				     b->functions[y->functions[j]].name);
	}
	CHECK_INT_EQ(a->n_functions, b->n_functions);
	for (size_t i = 0; i < a->n_functions && i < b->n_functions; i++) {
		const struct profile_function *x = &a->functions[i];
		const struct profile_function *y = &b->functions[i];

		CHECK_STR_EQ(x->name, y->name);
		CHECK_INT_EQ(x->type, y->type);
		if (function_type_is_network(x->type)) {
			CHECK_INT_EQ(x->u.net.dev_addr.is_auto,
				     y->u.net.dev_addr.is_auto);
			CHECK(memcmp(x->u.net.host_addr.addr,
				     y->u.net.host_addr.addr, 6) == 0);
			CHECK_INT_EQ(x->u.net.n_addresses,
				     y->u.net.n_addresses);
			CHECK_INT_EQ(x->u.net.link, y->u.net.link);
			CHECK_INT_EQ(x->u.net.ifupdown, y->u.net.ifupdown);
			CHECK_INT_EQ(x->u.net.dhcp.line != 0,
				     y->u.net.dhcp.line != 0);
		}
		if (x->type == FUNCTION_MASS_STORAGE) {
			CHECK_INT_EQ(x->u.ms.n_luns, y->u.ms.n_luns);
			for (int l = 0; l < x->u.ms.n_luns; l++) {
				CHECK_STR_EQ(x->u.ms.luns[l].file.value,
					     y->u.ms.luns[l].file.value);
				CHECK_INT_EQ(x->u.ms.luns[l].optional.value,
					     y->u.ms.luns[l].optional.value);
				CHECK_INT_EQ(x->u.ms.luns[l].ro.line != 0,
					     y->u.ms.luns[l].ro.line != 0);
			}
		}
		if (x->type == FUNCTION_HID) {
			CHECK_INT_EQ(x->u.hid.report_desc_len,
				     y->u.hid.report_desc_len);
			CHECK(x->u.hid.report_desc && y->u.hid.report_desc &&
			      memcmp(x->u.hid.report_desc, y->u.hid.report_desc,
				     x->u.hid.report_desc_len) == 0);
		}
		/* Every attribute of the type's schema. */
		for (size_t k = 0; k < function_type_info(x->type)->n_attrs;
		     k++) {
			CHECK_INT_EQ(x->values[k].line != 0,
				     y->values[k].line != 0);
			CHECK_INT_EQ(x->values[k].number, y->values[k].number);
			CHECK_STR_EQ(x->values[k].text ? x->values[k].text : "",
				     y->values[k].text ? y->values[k].text
						       : "");
		}
	}
	CHECK_INT_EQ(a->os_desc.defined, b->os_desc.defined);
	CHECK_INT_EQ(a->os_desc.vendor_code.value,
		     b->os_desc.vendor_code.value);
}

static void test_canonical(void)
{
	char *input = testlib_read_file("unit/fixtures/write-all.ini", NULL);
	char *expected =
		testlib_read_file("unit/fixtures/write-all.expected.ini", NULL);
	struct profile *p, *q = NULL;
	const struct profile_function *f;
	char *text, *again;
	int r;

	CHECK(input && expected);
	if (!input || !expected)
		goto out;
	p = load_text("unit/fixtures/write-all.ini", input);
	if (!p)
		goto out;
	text = write_to_string(p, &r);
	CHECK_INT_EQ(r, 0);
	CHECK_STR_EQ(text, expected);

	/* The canonical text is a fixed point, and the profile it gives is
	 * the one it was written from.  (Same directory, so the relative
	 * report_desc_file is found again.) */
	q = load_text("unit/fixtures/written.ini", text);
	if (q) {
		again = write_to_string(q, &r);
		CHECK_INT_EQ(r, 0);
		CHECK_STR_EQ(again, text);
		free(again);
		check_same(p, q);
		f = find_function(q, "hid.kbd");
		CHECK(f && f->u.hid.report_desc_len == 23);
		f = find_function(q, "geth.usb4");
		CHECK(f && f->u.net.dev_addr.is_auto &&
		      f->u.net.dev_addr.line == 0);
	}
	free(text);
	profile_free(p);
	profile_free(q);
out:
	free(input);
	free(expected);
}

/* Only what is set is written: an empty profile is an empty file, and a
 * profile with just a gadget section has just that. */
static void test_only_set_keys(void)
{
	struct diag_list diags;
	struct profile *p = profile_new("mini.ini");
	char *text;
	int r;

	diag_init(&diags);
	text = write_to_string(p, &r);
	CHECK_INT_EQ(r, 0);
	CHECK_STR_EQ(text, "");
	free(text);

	CHECK_INT_EQ(profile_begin_section(p, "gadget", 1, &diags), 0);
	CHECK_INT_EQ(profile_set_key(p, "product_id", "0x00ff", 2, &diags), 0);
	text = write_to_string(p, &r);
	CHECK_STR_EQ(text, "[gadget]\nproduct_id = 0x00ff\n");
	free(text);
	CHECK_INT_EQ(diags.n_errors, 0);
	diag_clear(&diags);
	profile_free(p);
}

/* A string INI cannot carry is refused, not written as something else
 * (" ; b" would be read back as a comment). */
static void test_refused_value(void)
{
	struct diag_list diags;
	struct profile *p = profile_new("bad.ini");
	char *text;
	int r;

	diag_init(&diags);
	profile_begin_section(p, "gadget", 1, &diags);
	profile_set_key(p, "manufacturer", "a ; b", 2, &diags);
	CHECK_INT_EQ(diags.n_errors, 0);
	text = write_to_string(p, &r);
	CHECK_INT_EQ(r, -EINVAL);
	CHECK(strstr(text, "a ; b") == NULL);
	free(text);

	profile_set_key(p, "product", " padded", 3, &diags);
	free(p->gadget.manufacturer.value);
	p->gadget.manufacturer.value = xstrdup("a;b");
	text = write_to_string(p, &r);
	CHECK_INT_EQ(r, -EINVAL);
	CHECK(strstr(text, "manufacturer = a;b\n") != NULL);
	free(text);
	diag_clear(&diags);
	profile_free(p);
}

/* A report descriptor is written bytes apart while that fits on an INI
 * line, packed up to PROFILE_REPORT_DESC_HEX_MAX bytes, and reads back
 * the same either way (spaced, 63 bytes made a 202-character line). */
static void test_report_desc_lines(void)
{
	static const size_t sizes[] = { 62, 63, PROFILE_REPORT_DESC_HEX_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		char *hex = xcalloc(sizes[i], 3), *input, *text, *line;
		struct profile *p, *q = NULL;
		int r;

		/* The input packed, as a spaced line would be too long. */
		for (size_t j = 0; j < sizes[i]; j++)
			sprintf(hex + 2 * j, "%02zx", j);
		input = xasprintf("[config 1]\nfunctions = hid.a\n"
				  "[function hid.a]\nreport_length = 8\n"
				  "report_desc = %s\n",
				  hex);
		p = load_text("desc.ini", input);
		text = p ? write_to_string(p, &r) : xstrdup("");
		line = strstr(text, "report_desc = ");
		CHECK(line != NULL);
		if (line)
			CHECK(strcspn(line, "\n") <= PROFILE_INI_LINE_MAX);
		CHECK(strstr(text, sizes[i] == 62 ? "= 00 01 02"
						  : "= 000102") != NULL);
		if (p)
			q = load_text("desc-written.ini", text);
		CHECK(q != NULL);
		if (p && q) {
			CHECK_INT_EQ(q->functions[0].u.hid.report_desc_len,
				     sizes[i]);
			CHECK(memcmp(q->functions[0].u.hid.report_desc,
				     p->functions[0].u.hid.report_desc,
				     sizes[i]) == 0);
		}
		profile_free(p);
		profile_free(q);
		free(text);
		free(input);
		free(hex);
	}
}

int main(void)
{
	test_canonical();
	test_only_set_keys();
	test_refused_value();
	test_report_desc_lines();
	return testlib_finish("test-write");
}
