/* SPDX-License-Identifier: MIT */
/*
 * gadgetd.conf: defaults, the shipped file, every error with its line,
 * profile lookup through profile_dirs, and [gadget] defaults merged under
 * a profile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "profile_catalog.h"
#include "profile-testlib.h"
#include "testlib.h"
#include "util.h"

static char *tmpdir;

static char *write_tmp(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

static void test_defaults(void)
{
	struct gadgetd_config cfg;
	struct diag_list diags;

	config_init_defaults(&cfg);
	CHECK_STR_EQ(cfg.profile, "ecm-only");
	CHECK_STR_EQ(cfg.udc, "auto");
	CHECK_STR_EQ(cfg.gadget, "gadgetd");
	CHECK_STR_EQ(cfg.socket, "/run/gadgetd/gadgetd.sock");
	CHECK_STR_EQ(cfg.profile_dirs[0],
		     GADGETD_SYSCONFDIR "/gadgetd/profiles");
	CHECK_STR_EQ(cfg.profile_dirs[1], GADGETD_DATADIR "/gadgetd/profiles");
	CHECK(cfg.profile_dirs[2] == NULL);
	CHECK_STR_EQ(cfg.hooks_dir, GADGETD_SYSCONFDIR "/gadgetd/hooks.d");
	CHECK(cfg.socket_group == NULL);
	CHECK(!cfg.keep_on_exit);
	CHECK(cfg.path == NULL);

	/* A missing file at the default path is fine, named with -c not. */
	diag_init(&diags);
	CHECK_INT_EQ(config_load("unit/fixtures/conf-missing.conf", false, &cfg,
				 &diags),
		     0);
	CHECK_INT_EQ(diags.n, 0);
	CHECK(cfg.path == NULL);
	CHECK_INT_EQ(config_load("unit/fixtures/conf-missing.conf", true, &cfg,
				 &diags),
		     -ENOENT);
	CHECK_DIAGS(&diags, "unit/fixtures/conf-missing.conf: No such file or "
			    "directory");
	diag_clear(&diags);
	config_free(&cfg);
}

static void test_shipped_conf(void)
{
	struct gadgetd_config cfg;
	struct diag_list diags;

	diag_init(&diags);
	config_init_defaults(&cfg);
	CHECK_INT_EQ(config_load("../etc/gadgetd.conf", true, &cfg, &diags), 0);
	diag_print(&diags, stderr);
	CHECK_INT_EQ(diags.n, 0);
	CHECK_STR_EQ(cfg.path, "../etc/gadgetd.conf");
	CHECK_STR_EQ(cfg.profile, "ecm-only");
	CHECK_STR_EQ(cfg.udc, "auto");
	CHECK_STR_EQ(cfg.gadget, "gadgetd");
	CHECK_STR_EQ(cfg.profile_dirs[0], "/etc/gadgetd/profiles");
	CHECK_STR_EQ(cfg.profile_dirs[1], "/usr/share/gadgetd/profiles");
	CHECK(cfg.profile_dirs[2] == NULL);
	CHECK_STR_EQ(cfg.socket, "/run/gadgetd/gadgetd.sock");
	CHECK(cfg.socket_group == NULL);
	CHECK_STR_EQ(cfg.hooks_dir, "/etc/gadgetd/hooks.d");
	CHECK(!cfg.keep_on_exit);
	CHECK_STR_EQ(cfg.gadget_defaults.serial.value, "auto");
	CHECK_STR_EQ(cfg.gadget_defaults.manufacturer.value, "gadgetd");
	CHECK(cfg.gadget_defaults.serial.line > 0);
	config_free(&cfg);
	diag_clear(&diags);
}

static void test_values(void)
{
	struct gadgetd_config cfg;
	struct diag_list diags;
	char *path = write_tmp("values.conf", "[daemon]\n"
					      "profile = /opt/p/custom.ini\n"
					      "udc = fe980000.usb\n"
					      "gadget = g1\n"
					      "profile_dirs = /a  b\n"
					      "socket = /tmp/s.sock\n"
					      "socket_group = netdev\n"
					      "hooks_dir = /h\n"
					      "keep_on_exit = yes\n"
					      "[gadget]\n"
					      "vendor_id = 0x1234\n"
					      "language = 0x407\n");
	char *rel = xasprintf("%s/b", tmpdir);

	diag_init(&diags);
	config_init_defaults(&cfg);
	CHECK_INT_EQ(config_load(path, true, &cfg, &diags), 0);
	CHECK_INT_EQ(diags.n, 0);
	CHECK_STR_EQ(cfg.profile, "/opt/p/custom.ini");
	CHECK_STR_EQ(cfg.udc, "fe980000.usb");
	CHECK_STR_EQ(cfg.gadget, "g1");
	CHECK_STR_EQ(cfg.profile_dirs[0], "/a");
	/* relative to the config file's directory */
	CHECK_STR_EQ(cfg.profile_dirs[1], rel);
	CHECK(cfg.profile_dirs[2] == NULL);
	CHECK_STR_EQ(cfg.socket, "/tmp/s.sock");
	CHECK_STR_EQ(cfg.socket_group, "netdev");
	CHECK_STR_EQ(cfg.hooks_dir, "/h");
	CHECK(cfg.keep_on_exit);
	CHECK_INT_EQ(cfg.gadget_defaults.vendor_id.value, 0x1234);
	CHECK_INT_EQ(cfg.gadget_defaults.vendor_id.line, 11);
	CHECK_INT_EQ(cfg.gadget_defaults.language.value, 0x407);
	config_free(&cfg);
	diag_clear(&diags);
	unlink(path);
	free(path);
	free(rel);
}

static void test_errors(void)
{
	struct gadgetd_config cfg;
	struct diag_list diags;
	char *path = write_tmp("bad.conf", "[daemon]\n"
					   "profile =\n"
					   "udc = dummy udc\n"
					   "gadget = ../x\n"
					   "socket = run/s.sock\n"
					   "keep_on_exit = perhaps\n"
					   "keep_on_exit = no\n"
					   "pidfile = /run/x.pid\n"
					   "[gadget]\n"
					   "vendor_id = 0x10000\n"
					   "qmult = 5\n"
					   "strings.0x407.product = x\n"
					   "[daemon]\n"
					   "[hooks]\n"
					   "x = 1\n"
					   "broken line\n");
	char *want[12];

	want[0] = xasprintf("%s:2: invalid value '' for 'profile': expected a "
			    "profile name or path",
			    path);
	want[1] = xasprintf("%s:3: invalid value 'dummy udc' for 'udc': "
			    "expected auto or a UDC name from /sys/class/udc",
			    path);
	want[2] = xasprintf("%s:4: invalid value '../x' for 'gadget': expected "
			    "a configfs directory name: 1 to 64 letters, "
			    "digits, '_', '.' or '-'",
			    path);
	want[3] = xasprintf("%s:5: invalid value 'run/s.sock' for 'socket': "
			    "expected an absolute path of at most 107 "
			    "characters",
			    path);
	want[4] = xasprintf("%s:6: invalid value 'perhaps' for 'keep_on_exit': "
			    "expected yes, no, true, false, on, off, 1 or 0",
			    path);
	want[5] = xasprintf("%s:7: duplicate key 'keep_on_exit' in [daemon] "
			    "(first on line 6)",
			    path);
	want[6] = xasprintf("%s:8: unknown key 'pidfile' in [daemon]", path);
	/* [gadget] takes exactly what a profile's [gadget] takes */
	want[7] = xasprintf("%s:10: invalid value '0x10000' for 'vendor_id': "
			    "expected a number from 0 to 0xffff",
			    path);
	want[8] = xasprintf("%s:11: unknown key 'qmult' in [gadget]", path);
	/* defaults are merged key by key: no other languages */
	want[9] = xasprintf("%s:12: unknown key 'strings.0x407.product' in "
			    "[gadget]: strings in other languages belong in a "
			    "profile",
			    path);
	want[10] = xasprintf("%s:13: duplicate section [daemon] (first on "
			     "line 1)",
			     path);
	want[11] = NULL;

	diag_init(&diags);
	config_init_defaults(&cfg);
	CHECK_INT_EQ(config_load(path, true, &cfg, &diags), -EINVAL);
	/* the last two lines: an unknown section and a syntax error */
	CHECK_INT_EQ(diags.n, 13);
	if (diags.n == 13) {
		char *unknown = xasprintf("%s:14: unknown section [hooks]: "
					  "expected [daemon] or [gadget]",
					  path);
		char *syntax = xasprintf("%s:16: syntax error: expected 'key = "
					 "value' or '[section]'",
					 path);
		char buf[512];

		diags.n = 11;
		profile_test_check_diags(&diags, (const char *const *)want,
					 __FILE__, __LINE__);
		diags.n = 13;
		diag_format(&diags.items[11], buf, sizeof(buf));
		CHECK_STR_EQ(buf, unknown);
		diag_format(&diags.items[12], buf, sizeof(buf));
		CHECK_STR_EQ(buf, syntax);
		free(unknown);
		free(syntax);
	}
	/* what was valid still applies; the refused values keep defaults */
	CHECK_STR_EQ(cfg.profile, "ecm-only");
	CHECK_STR_EQ(cfg.gadget, "gadgetd");
	CHECK(!cfg.keep_on_exit);
	config_free(&cfg);
	diag_clear(&diags);
	for (int i = 0; want[i]; i++)
		free(want[i]);
	unlink(path);
	free(path);
}

static void test_find_profile(void)
{
	struct gadgetd_config cfg;
	struct diag_list diags;
	char *d1 = xasprintf("%s/d1", tmpdir), *d2 = xasprintf("%s/d2", tmpdir);
	char *conf, *path, *want;
	int r;

	CHECK_INT_EQ(mkdir(d1, 0755), 0);
	CHECK_INT_EQ(mkdir(d2, 0755), 0);
	free(write_tmp("d1/only-cfg.cfg", ""));
	free(write_tmp("d2/only-cfg.ini", ""));
	free(write_tmp("d2/both.cfg", ""));
	free(write_tmp("d2/both.ini", ""));
	conf = write_tmp("dirs.conf", "[daemon]\nprofile_dirs = d1 d2\n");

	diag_init(&diags);
	config_init_defaults(&cfg);
	CHECK_INT_EQ(config_load(conf, true, &cfg, &diags), 0);

	/* first directory wins, .ini before .cfg within one */
	CHECK_INT_EQ(profile_catalog_find(cfg.profile_dirs, "only-cfg", &path),
		     0);
	want = xasprintf("%s/only-cfg.cfg", d1);
	CHECK_STR_EQ(path, want);
	free(want);
	free(path);
	CHECK_INT_EQ(profile_catalog_find(cfg.profile_dirs, "both", &path), 0);
	want = xasprintf("%s/both.ini", d2);
	CHECK_STR_EQ(path, want);
	free(want);
	free(path);
	/* a path is a path, found or not */
	CHECK_INT_EQ(profile_catalog_find(cfg.profile_dirs, "x/none", &path),
		     0);
	CHECK_STR_EQ(path, "x/none");
	free(path);
	/* anything without a '/' is a name, looked up in profile_dirs only,
	 * also with its suffix (a daemon started elsewhere, a client of
	 * another user: no current directory means anything) */
	CHECK(profile_catalog_is_path("x/none"));
	CHECK(profile_catalog_is_path("./both.ini"));
	CHECK(!profile_catalog_is_path("both.ini"));
	CHECK_INT_EQ(profile_catalog_find(cfg.profile_dirs, "none.ini", &path),
		     -ENOENT);
	CHECK(path == NULL);
	CHECK_INT_EQ(profile_catalog_find(cfg.profile_dirs, "both.ini", &path),
		     0);
	want = xasprintf("%s/both.ini", d2);
	CHECK_STR_EQ(path, want);
	free(want);
	free(path);
	CHECK_INT_EQ(profile_catalog_find(cfg.profile_dirs, "both.cfg", &path),
		     0);
	want = xasprintf("%s/both.cfg", d2);
	CHECK_STR_EQ(path, want);
	free(want);
	free(path);
	r = profile_catalog_find(cfg.profile_dirs, "none", &path);
	CHECK_INT_EQ(r, -ENOENT);
	CHECK(path == NULL);

	/* an unknown name, said once */
	{
		struct profile *p = NULL;
		char *msg = xasprintf("none: no such profile in %s %s", d1, d2);

		CHECK_INT_EQ(config_load_profile(&cfg, "none", &p, &diags),
			     -ENOENT);
		CHECK(p == NULL);
		CHECK_INT_EQ(diags.n, 1);
		if (diags.n == 1) {
			char buf[512];

			diag_format(&diags.items[0], buf, sizeof(buf));
			CHECK_STR_EQ(buf, msg);
		}
		free(msg);
	}

	config_free(&cfg);
	diag_clear(&diags);
	free(conf);
	free(d1);
	free(d2);
}

static void test_load_profile(void)
{
	struct gadgetd_config cfg;
	struct diag_list diags;
	struct profile *p = NULL;

	diag_init(&diags);
	config_init_defaults(&cfg);
	CHECK_INT_EQ(
		config_load("unit/fixtures/conf-dirs.conf", true, &cfg, &diags),
		0);
	CHECK_STR_EQ(cfg.profile, "ncm");
	CHECK_STR_EQ(cfg.profile_dirs[1], "unit/fixtures/../../../profiles");

	/* by name, through the second directory, defaults merged */
	CHECK_INT_EQ(config_load_profile(&cfg, "ncm", &p, &diags), 0);
	diag_print(&diags, stderr);
	CHECK_INT_EQ(diags.n, 0);
	if (p) {
		CHECK_STR_EQ(p->name, "ncm");
		CHECK_STR_EQ(p->path,
			     "unit/fixtures/../../../profiles/ncm.ini");
		CHECK_STR_EQ(p->gadget.manufacturer.value, "Test Boards");
		CHECK_STR_EQ(p->gadget.serial.value, "0123456789");
		/* the profile's own product_id wins over the default */
		CHECK_INT_EQ(p->gadget.product_id.value, 0x0104);
	}
	profile_free(p);
	p = NULL;

	/* errors from loading and from validation, all of them */
	CHECK_INT_EQ(config_load_profile(&cfg,
					 "unit/fixtures/ini-five-mistakes.ini",
					 &p, &diags),
		     -EINVAL);
	CHECK(p == NULL);
	CHECK_INT_EQ(diags.n_errors, 5);
	diag_clear(&diags);

	/* A .cfg with a loading error is still validated in the same run:
	 * the unused function's warning shows up next to the errors. */
	{
		char *cfgfile = write_tmp(
			"bad.cfg",
			"attrs = { idVendor = 0x10000; };\n"
			"configs = ( { id = 1; name = \"c\"; functions = ( "
			"{ name = \"ecm.usb0\"; function = \"ecm_usb9\"; } ); "
			"} );\n"
			"functions = { ecm_usb0 = { instance = \"usb0\"; "
			"type = \"ecm\"; }; };\n");

		CHECK_INT_EQ(config_load_profile(&cfg, cfgfile, &p, &diags),
			     -EINVAL);
		CHECK(p == NULL);
		CHECK_INT_EQ(diags.n_errors, 2);
		CHECK_INT_EQ(diags.n_warnings, 1);
		free(cfgfile);
	}
	config_free(&cfg);
	diag_clear(&diags);
}

int main(void)
{
	char template[] = "/tmp/gadgetd-test-config.XXXXXX";
	char *cmd;

	tmpdir = mkdtemp(template);
	CHECK(tmpdir != NULL);
	if (!tmpdir)
		return testlib_finish("test-config");

	test_defaults();
	test_shipped_conf();
	test_values();
	test_errors();
	test_find_profile();
	test_load_profile();

	cmd = xasprintf("rm -rf '%s'", tmpdir);
	CHECK_INT_EQ(system(cmd), 0);
	free(cmd);
	return testlib_finish("test-config");
}
