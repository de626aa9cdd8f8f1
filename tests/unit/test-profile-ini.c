/* SPDX-License-Identifier: MIT */
/*
 * The INI syntax as gadgetd reads it (inih behind a line-counting reader):
 * comments, BOM, CRLF, empty values, and every syntax error reported with
 * its line, not only the first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gadgetd/profile.h"
#include "fake-configfs.h"
#include "profile-testlib.h"
#include "profile_load.h"
#include "testlib.h"
#include "util.h"

#define VALID_TAIL "[config 1]\nfunctions = ecm.usb0\n[function ecm.usb0]\n"

static void test_comments_bom_crlf(void)
{
	static const char text[] = "\xef\xbb\xbf; comment\r\n"
				   "# another comment\r\n"
				   "[profile]\r\n"
				   "description = a;b ; inline comment\r\n"
				   "[gadget]    ; comment after a header\r\n"
				   "  vendor_id = 0x1d6b\t; idVendor\r\n"
				   "product = x # not a comment\r\n"
				   "serial =\r\n"
				   "\r\n"
				   "  [config 1]\r\n"
				   "functions = ecm.usb0\r\n"
				   "[function ecm.usb0]";
	struct diag_list diags;
	struct profile *p = profile_test_load(text, &diags);

	CHECK(p != NULL);
	CHECK_INT_EQ(diags.n, 0);
	if (p) {
		CHECK_STR_EQ(p->description.value, "a;b");
		CHECK_INT_EQ(p->description.line, 4);
		CHECK_INT_EQ(p->gadget.vendor_id.value, 0x1d6b);
		CHECK_INT_EQ(p->gadget.vendor_id.line, 6);
		CHECK_STR_EQ(p->gadget.product.value, "x # not a comment");
		/* An empty string is a value: "no serial number". */
		CHECK_STR_EQ(p->gadget.serial.value, "");
		CHECK_INT_EQ(p->gadget.serial.line, 8);
		CHECK_INT_EQ(p->n_configs, 1);
		CHECK_INT_EQ(p->configs[0].line, 10);
		CHECK_INT_EQ(p->n_functions, 1);
		CHECK_INT_EQ(p->functions[0].line, 12);
	}
	profile_free(p);
	diag_clear(&diags);
}

/* inih would read an indented line as the continuation of the previous
 * value; gadgetd reads it as a line of its own. */
static void test_no_continuation_lines(void)
{
	static const char text[] = "[profile]\n"
				   "description = first\n"
				   "    second = 2\n" VALID_TAIL;
	struct diag_list diags;
	struct profile *p = profile_test_load(text, &diags);

	CHECK(p == NULL);
	CHECK_DIAGS(&diags, "t.ini:3: unknown key 'second' in [profile]");
	diag_clear(&diags);
}

static void test_all_syntax_errors(void)
{
	static const char text[] = "[profile]\n"
				   "nonsense\n"
				   "[gadget\n"
				   "vendor_id = 1\n"
				   "[config 1] x\n"
				   "= 5\n"
				   "my key = 1\n"
				   "key:x = 1\n" VALID_TAIL;
	struct diag_list diags;
	struct profile *p = profile_test_load(text, &diags);

	CHECK(p == NULL);
	/* Line 4 belongs to the broken header of line 3: skipped, not
	 * reported against [profile]. */
	CHECK_DIAGS(&diags,
		    "t.ini:2: syntax error: expected 'key = value' or "
		    "'[section]'",
		    "t.ini:3: syntax error: missing ']' in section header",
		    "t.ini:5: syntax error: unexpected text after ']'",
		    "t.ini:6: syntax error: missing key before '='",
		    "t.ini:7: syntax error: invalid key 'my key': use letters, "
		    "digits, '_', '.' and '-'",
		    "t.ini:8: syntax error: invalid key 'key:x': use letters, "
		    "digits, '_', '.' and '-'");
	diag_clear(&diags);
}

static void test_long_lines(void)
{
	char *text, *desc = xmalloc(300);
	struct diag_list diags;
	struct profile *p;

	/* 185 characters of value plus "description = " is 199: the limit. */
	memset(desc, 'x', 185);
	desc[185] = '\0';
	text = xasprintf(
		"; %s%s%s\n[profile]\ndescription = %s ; %s\n" VALID_TAIL, desc,
		desc, desc, desc, desc);
	p = profile_test_load(text, &diags);
	CHECK(p != NULL);
	CHECK_INT_EQ(diags.n, 0);
	if (p)
		CHECK_INT_EQ(strlen(p->description.value), 185);
	profile_free(p);
	diag_clear(&diags);
	free(text);

	desc[185] = 'y';
	desc[186] = '\0';
	text = xasprintf(
		"[profile]\ndescription = %s\n[gadget]\nbad = 1\n" VALID_TAIL,
		desc);
	p = profile_test_load(text, &diags);
	CHECK(p == NULL);
	/* and the lines after it are still read */
	CHECK_DIAGS(&diags,
		    "t.ini:2: syntax error: line too long: 200 characters, "
		    "at most 199 without comments",
		    "t.ini:4: unknown key 'bad' in [gadget]");
	diag_clear(&diags);
	free(text);
	free(desc);
}

static void test_nul_byte(void)
{
	static const char text[] = "[profile]\ndescription = a\0b\n" VALID_TAIL;
	struct diag_list diags;
	struct profile *p = NULL;
	int r;

	diag_init(&diags);
	r = profile_load_ini_buffer("t.ini", text, sizeof(text) - 1, &p,
				    &diags);
	CHECK_INT_EQ(r, -EINVAL);
	CHECK(p == NULL);
	CHECK_DIAGS(&diags, "t.ini:2: syntax error: NUL byte in line");
	diag_clear(&diags);
}

static void test_sections(void)
{
	static const char text[] = "vendor_id = 1\n"
				   "[bogus]\n"
				   "foo = 1\n"
				   "[gadget]\n"
				   "[gadget]\n"
				   "vendor_id = 1\n" VALID_TAIL;
	struct diag_list diags;
	struct profile *p = profile_test_load(text, &diags);

	CHECK(p == NULL);
	/* Keys of a refused section are not reported again. */
	CHECK_DIAGS(&diags, "t.ini:1: key 'vendor_id' outside of any section",
		    "t.ini:2: unknown section [bogus]",
		    "t.ini:5: duplicate section [gadget] (first on line 4)");
	diag_clear(&diags);
}

static void test_empty_file(void)
{
	struct diag_list diags;
	struct profile *p = profile_test_load("", &diags);

	CHECK(p == NULL);
	CHECK_DIAGS(&diags, "t.ini: no [config N] section: a gadget needs at "
			    "least one configuration");
	diag_clear(&diags);
}

static void test_five_mistakes(void)
{
	struct diag_list diags;
	struct profile *p = NULL;
	int r;

	diag_init(&diags);
	r = profile_load("unit/fixtures/ini-five-mistakes.ini", &p, &diags);
	CHECK_INT_EQ(r, -EINVAL);
	CHECK(p == NULL);
	CHECK_INT_EQ(diags.n_errors, 5);
	CHECK_INT_EQ(diags.n_warnings, 0);
	/* Loading, then validation (check sorts them by line). */
	CHECK_DIAGS(&diags,
		    "unit/fixtures/ini-five-mistakes.ini:7: invalid value "
		    "'0x10000' for 'product_id': expected a number from 0 to "
		    "0xffff",
		    "unit/fixtures/ini-five-mistakes.ini:14: unknown key "
		    "'qmul' in [function ecm.usb0]",
		    "unit/fixtures/ini-five-mistakes.ini:15: invalid value "
		    "'02:00:00:00:00' for 'dev_addr': expected auto or a MAC "
		    "address like 02:00:00:00:00:01",
		    "unit/fixtures/ini-five-mistakes.ini:18: LUN keys out of "
		    "order: 'lun.1.file' before any key of LUN 0",
		    "unit/fixtures/ini-five-mistakes.ini:11: undefined "
		    "function 'acm.GS1' in [config 1]");
	diag_clear(&diags);
}

static void test_files(void)
{
	struct diag_list diags;
	struct profile *p = NULL;
	int r;

	diag_init(&diags);
	r = profile_load_ini("unit/fixtures/ini-does-not-exist.ini", &p,
			     &diags);
	CHECK_INT_EQ(r, -ENOENT);
	CHECK(p == NULL);
	CHECK_DIAGS(&diags, "unit/fixtures/ini-does-not-exist.ini: No such "
			    "file or directory");
	diag_clear(&diags);

	r = profile_load("unit/fixtures/net-interfaces", &p, &diags);
	CHECK_INT_EQ(r, -EINVAL);
	CHECK_DIAGS(&diags, "unit/fixtures/net-interfaces: unknown profile "
			    "format: expected a .ini, .cfg or .scheme file");
	diag_clear(&diags);

	r = profile_load("unit/fixtures", &p, &diags);
	CHECK(r < 0);
	CHECK_INT_EQ(diags.n_errors, 1);
	diag_clear(&diags);

	/* The warning does not make it fail. */
	r = profile_load("unit/fixtures/ini-warning.ini", &p, &diags);
	CHECK_INT_EQ(r, 0);
	CHECK_DIAGS(&diags, "unit/fixtures/ini-warning.ini:7: warning: "
			    "function 'acm.GS0' is not used by any config");
	CHECK(p != NULL);
	if (p)
		CHECK_STR_EQ(p->name, "ini-warning");
	profile_free(p);
	diag_clear(&diags);
}

/*
 * Profiles are read as regular files only, without blocking, with a size
 * cap, in both formats: a FIFO hung the libconfig loader, /dev/zero ran
 * it out of memory, and the INI loader read either until its cap.
 */
static void test_special_files(void)
{
	static const char *const names[] = { "f.ini", "f.cfg", "z.ini",
					     "z.cfg" };
	char *root = fake_configfs_new();
	struct diag_list diags;
	struct profile *p = NULL;
	char *path, *want, *big;
	int r;

	diag_init(&diags);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		path = xasprintf("%s/%s", root, names[i]);
		if (names[i][0] == 'f')
			CHECK_INT_EQ(mkfifo(path, 0600), 0);
		else
			CHECK_INT_EQ(symlink("/dev/zero", path), 0);
		alarm(10);
		r = profile_load(path, &p, &diags);
		alarm(0);
		CHECK_INT_EQ(r, -EINVAL);
		CHECK(p == NULL);
		want = xasprintf("%s: not a regular file", path);
		CHECK_DIAGS(&diags, want);
		diag_clear(&diags);
		free(want);
		free(path);
	}

	/* One byte over the cap, in both formats. */
	big = xmalloc(PROFILE_FILE_MAX + 2);
	memset(big, '\n', PROFILE_FILE_MAX + 1);
	big[PROFILE_FILE_MAX + 1] = '\0';
	fake_write_raw(root, "big.ini", big, PROFILE_FILE_MAX + 1);
	fake_write_raw(root, "big.cfg", big, PROFILE_FILE_MAX + 1);
	free(big);
	for (int i = 0; i < 2; i++) {
		path = xasprintf("%s/big.%s", root, i ? "cfg" : "ini");
		r = profile_load(path, &p, &diags);
		CHECK_INT_EQ(r, -EFBIG);
		want = xasprintf("%s: file too large: at most 1048576 bytes",
				 path);
		CHECK_DIAGS(&diags, want);
		diag_clear(&diags);
		free(want);
		free(path);
	}
	fake_configfs_free(root);
}

int main(void)
{
	test_comments_bom_crlf();
	test_no_continuation_lines();
	test_all_syntax_errors();
	test_long_lines();
	test_nul_byte();
	test_sections();
	test_empty_file();
	test_five_mistakes();
	test_files();
	test_special_files();
	return testlib_finish("test-profile-ini");
}
