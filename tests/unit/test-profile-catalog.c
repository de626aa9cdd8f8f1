/* SPDX-License-Identifier: MIT */
/*
 * profile_catalog.c: which files are profiles and in which format, a
 * profile's name, and the listing of profile dirs (first dir wins per
 * name, .ini before .cfg before .scheme within one).  The lookup of a
 * PROFILE argument is tested with a real gadgetd.conf in test-config.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile_catalog.h"
#include "testlib.h"
#include "util.h"

static char *tmpdir;

static void touch(const char *rel)
{
	char *path = xasprintf("%s/%s", tmpdir, rel);
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f)
		fclose(f);
	free(path);
}

static void test_format_and_name(void)
{
	static const struct {
		const char *file;
		enum profile_format format;
		const char *name;
	} cases[] = {
		{ "ecm-only.ini", PROFILE_FORMAT_INI, "ecm-only" },
		{ "ecm.cfg", PROFILE_FORMAT_LIBCONFIG, "ecm" },
		/* gt names its gadget schemes *.scheme (gadgetd.profile(5)) */
		{ "ecm.scheme", PROFILE_FORMAT_LIBCONFIG, "ecm" },
		{ "ecm.txt", PROFILE_FORMAT_UNKNOWN, NULL },
		{ ".ini", PROFILE_FORMAT_UNKNOWN, NULL },
		{ ".hidden.ini", PROFILE_FORMAT_INI, NULL },
		{ "ini", PROFILE_FORMAT_UNKNOWN, NULL },
		{ "a.ini.bak", PROFILE_FORMAT_UNKNOWN, NULL },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *name = profile_catalog_name(cases[i].file);

		CHECK_INT_EQ(profile_catalog_format(cases[i].file),
			     cases[i].format);
		if (cases[i].name)
			CHECK_STR_EQ(name, cases[i].name);
		else
			CHECK(name == NULL);
		free(name);
	}
	CHECK_INT_EQ(profile_catalog_format("/etc/gadgetd/profiles/x.scheme"),
		     PROFILE_FORMAT_LIBCONFIG);
	CHECK(profile_catalog_is_path("./x.ini"));
	CHECK(profile_catalog_is_path("/x"));
	CHECK(!profile_catalog_is_path("x.ini"));
}

static void test_find_and_list(void)
{
	char *d1 = xasprintf("%s/d1", tmpdir), *d2 = xasprintf("%s/d2", tmpdir);
	char *missing = xasprintf("%s/none", tmpdir);
	char *dirs[] = { d1, missing, d2, NULL };
	struct profile_catalog_entry *e;
	char *path, *want;
	size_t n;

	CHECK_INT_EQ(mkdir(d1, 0755), 0);
	CHECK_INT_EQ(mkdir(d2, 0755), 0);
	touch("d1/gt.scheme");
	touch("d1/both.cfg");
	touch("d2/both.ini");
	touch("d2/gt.ini");
	touch("d2/notes.txt");
	touch("d2/.hidden.ini");

	CHECK_INT_EQ(profile_catalog_find(dirs, "gt", &path), 0);
	want = xasprintf("%s/gt.scheme", d1);
	CHECK_STR_EQ(path, want);
	free(want);
	free(path);
	CHECK_INT_EQ(profile_catalog_find(dirs, "gt.scheme", &path), 0);
	free(path);
	CHECK_INT_EQ(profile_catalog_find(dirs, "notes", &path), -ENOENT);
	CHECK(path == NULL);
	CHECK_INT_EQ(profile_catalog_find(dirs, "", &path), -ENOENT);

	profile_catalog_list(dirs, &e, &n);
	CHECK_INT_EQ(n, 2);
	if (n == 2) {
		CHECK_STR_EQ(e[0].name, "both");
		want = xasprintf("%s/both.cfg", d1);
		CHECK_STR_EQ(e[0].path, want);
		free(want);
		CHECK_STR_EQ(e[1].name, "gt");
		want = xasprintf("%s/gt.scheme", d1);
		CHECK_STR_EQ(e[1].path, want);
		free(want);
	}
	profile_catalog_entries_free(e, n);

	/* No dirs, or none readable: an empty list. */
	profile_catalog_list(NULL, &e, &n);
	CHECK_INT_EQ(n, 0);
	profile_catalog_entries_free(e, n);
	free(d1);
	free(d2);
	free(missing);
}

int main(void)
{
	char tmpl[] = "/tmp/gadgetd-test-catalog-XXXXXX";
	char *cmd;

	if (!mkdtemp(tmpl))
		return 1;
	tmpdir = tmpl;
	test_format_and_name();
	test_find_and_list();
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "test-profile-catalog: cannot remove %s\n",
			tmpdir);
	free(cmd);
	return testlib_finish("test-profile-catalog");
}
