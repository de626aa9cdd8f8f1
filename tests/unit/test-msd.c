/* SPDX-License-Identifier: MIT */
/*
 * msd insert/eject against a fake configfs: which attributes are written
 * in which order, what the kernel's refusals (played by a recording
 * writer) turn into, and that a refused insert puts ro back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake-configfs.h"
#include "gadgetd/diag.h"
#include "gadgetd/profile.h"
#include "msd.h"
#include "testlib.h"
#include "util.h"

static char *root;
static char *gadget;
static char writes[1024]; /* "ATTR=VALUE;" per write, ATTR without dir */
static const char *fail_attr; /* refuse writes to this attribute ... */
static int fail_errno; /* ... with this errno */

/* A fake attribute holds exactly the last value (configfs has no O_TRUNC). */
static int fake_store(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(value, f);
	return fclose(f) == 0 ? 0 : -errno;
}

/* Plays the kernel: records, refuses, and for forced_eject empties file. */
static int msd_test_write(const char *path, const char *value)
{
	const char *attr = strrchr(path, '/') + 1;
	size_t len = strlen(writes);

	snprintf(writes + len, sizeof(writes) - len, "%s=%s;", attr,
		 streq(value, "\n") ? "\\n" : value);
	if (fail_attr && streq(attr, fail_attr))
		return -fail_errno;
	if (streq(attr, "forced_eject")) {
		char *file =
			xasprintf("%.*s/file", (int)(attr - 1 - path), path);
		int r = fake_store(file, "");

		free(file);
		return r;
	}
	return fake_store(path, streq(value, "\n") ? "" : value);
}

static struct profile *msd_test_profile(const char *section)
{
	struct profile *p = profile_new("t.ini");
	struct diag_list diags;

	diag_init(&diags);
	CHECK_INT_EQ(profile_begin_section(p, "function ecm.usb0", 1, &diags),
		     0);
	if (section)
		CHECK_INT_EQ(profile_begin_section(p, section, 2, &diags), 0);
	diag_clear(&diags);
	return p;
}

static char *attr(const char *rel)
{
	char *path = xasprintf("%s/%s", gadget, rel), *v = NULL;

	if (read_file_string(path, &v) < 0)
		v = xstrdup("(absent)");
	free(path);
	return v;
}

/* Run one request; the body must be exactly one line. */
static enum control_status run_fd(bool insert, const struct profile *p, int lun,
				  const char *file, int fd, bool ro,
				  char **body)
{
	enum control_status st;
	size_t size = 0;
	FILE *out = open_memstream(body, &size);

	writes[0] = '\0';
	if (insert)
		st = msd_insert(gadget, p, lun, file, fd, ro, out);
	else
		st = msd_eject(gadget, p, lun, out);
	fclose(out);
	CHECK(size > 0 && (*body)[size - 1] == '\n');
	CHECK(strchr(*body, '\n') == *body + size - 1);
	return st;
}

static void fresh_lun(const char *file, const char *ro, bool forced)
{
	const char *l = "usb_gadget/g1/functions/mass_storage.disk/lun.0";
	char *rel;

	rel = xasprintf("%s/file", l);
	fake_write(root, rel, file);
	free(rel);
	rel = xasprintf("%s/ro", l);
	fake_write(root, rel, ro);
	free(rel);
	rel = xasprintf("%s/%s/forced_eject", root, l);
	if (forced)
		fake_write_raw("/", rel, "", 0);
	else
		unlink(rel);
	free(rel);
}

static enum control_status run(bool insert, const struct profile *p, int lun,
			       const char *file, bool ro, char **body)
{
	return run_fd(insert, p, lun, file, -1, ro, body);
}

#define LUN0 "functions/mass_storage.disk/lun.0/"

/* The client passed the file it opened: the kernel gets that file
 * through /proc/self/fd, read-only when the client could only read it. */
static void test_insert_passed(const struct profile *p, const char *img)
{
	char *body, *v, *fifo;
	int fd;

	fresh_lun("", "0", true);
	fd = open(img, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_INT_EQ(run_fd(true, p, 0, "/home/bob/disk.img", fd, false, &body),
		     CONTROL_OK);
	v = xasprintf("file=/proc/self/fd/%d;", fd);
	CHECK_STR_EQ(writes, v);
	free(v);
	CHECK_STR_EQ(body, "lun.0: /home/bob/disk.img\n");
	free(body);
	close(fd);

	/* Opened read-only: ro, whatever the request said. */
	fresh_lun("", "0", true);
	fd = open(img, O_RDONLY | O_CLOEXEC);
	CHECK_INT_EQ(run_fd(true, p, 0, "/home/bob/disk.img", fd, false, &body),
		     CONTROL_OK);
	v = xasprintf("ro=1;file=/proc/self/fd/%d;", fd);
	CHECK_STR_EQ(writes, v);
	free(v);
	CHECK_STR_EQ(
		body,
		"lun.0: /home/bob/disk.img (read-only: you may not write it)\n");
	free(body);
	/* Asked for read-only: said so plainly. */
	fresh_lun("", "0", true);
	CHECK_INT_EQ(run_fd(true, p, 0, "/home/bob/disk.img", fd, true, &body),
		     CONTROL_OK);
	CHECK_STR_EQ(body, "lun.0: /home/bob/disk.img (read-only)\n");
	free(body);
	close(fd);

	/* What the kernel cannot take is refused before anything is
	 * written: a FIFO (which could block the kernel's open), a
	 * directory, a file open for writing only. */
	fresh_lun("", "0", true);
	fifo = xasprintf("%s/fifo", root);
	CHECK_INT_EQ(mkfifo(fifo, 0600), 0);
	fd = open(fifo, O_RDWR | O_CLOEXEC);
	CHECK_INT_EQ(run_fd(true, p, 0, "/home/bob/f", fd, false, &body),
		     CONTROL_FAILED);
	CHECK_STR_EQ(
		body,
		"msd insert: /home/bob/f: not a regular file or block device\n");
	free(body);
	close(fd);
	unlink(fifo);
	free(fifo);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK_INT_EQ(run_fd(true, p, 0, "/tmp", fd, false, &body),
		     CONTROL_FAILED);
	CHECK_STR_EQ(body,
		     "msd insert: /tmp: not a regular file or block device\n");
	free(body);
	close(fd);
	fd = open(img, O_WRONLY | O_CLOEXEC);
	CHECK_INT_EQ(run_fd(true, p, 0, "/home/bob/disk.img", fd, false, &body),
		     CONTROL_FAILED);
	CHECK_STR_EQ(
		body,
		"msd insert: /home/bob/disk.img: not opened for reading\n");
	free(body);
	close(fd);
	CHECK_STR_EQ(writes, "");
}

static void test_insert(const struct profile *p, const char *img)
{
	char *body, *v;

	/* Empty LUN, ro 0 -> 1: ro first, then file. */
	fresh_lun("", "0", true);
	CHECK_INT_EQ(run(true, p, 0, img, true, &body), CONTROL_OK);
	v = xasprintf("ro=1;file=%s;", img);
	CHECK_STR_EQ(writes, v);
	free(v);
	v = attr(LUN0 "file");
	CHECK_STR_EQ(v, img);
	free(v);
	free(body);

	/* ro unchanged: only file (the kernel refuses ro with a medium in). */
	CHECK_INT_EQ(run(true, p, 0, img, true, &body), CONTROL_OK);
	v = xasprintf("file=%s;", img);
	CHECK_STR_EQ(writes, v);
	free(v);
	free(body);

	/* The host prevented removal: file EBUSY, ro goes back. */
	fresh_lun("", "0", true);
	fail_attr = "file";
	fail_errno = EBUSY;
	CHECK_INT_EQ(run(true, p, 0, img, true, &body), CONTROL_FAILED);
	v = xasprintf("ro=1;file=%s;ro=0;", img);
	CHECK_STR_EQ(writes, v);
	free(v);
	CHECK(strstr(body,
		     "/lun.0/file: Device or resource busy: the host holds the medium") !=
	      NULL);
	CHECK(strstr(body, "gadgetd msd eject 0") != NULL);
	v = attr(LUN0 "ro");
	CHECK_STR_EQ(v, "0");
	free(v);
	free(body);

	/* Any other refusal restores ro too, and names the path. */
	fail_errno = EINVAL;
	CHECK_INT_EQ(run(true, p, 0, img, true, &body), CONTROL_FAILED);
	CHECK(strstr(body, "/lun.0/file: Invalid argument\n") != NULL);
	v = attr(LUN0 "ro");
	CHECK_STR_EQ(v, "0");
	free(v);
	free(body);

	/* The kernel's ETOOSMALL (525) has no libc text: say it. */
	fail_errno = 525;
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), CONTROL_FAILED);
	CHECK(strstr(body,
		     "/lun.0/file: too small to be a medium (ETOOSMALL)\n") !=
	      NULL);
	free(body);

	/* ro to change while a medium is in: EBUSY on ro, file untouched. */
	fresh_lun("/old.img", "1", true);
	fail_attr = "ro";
	fail_errno = EBUSY;
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), CONTROL_FAILED);
	CHECK_STR_EQ(writes, "ro=0;");
	CHECK(strstr(body, "LUN 0 has a medium (/old.img)") != NULL);
	CHECK(strstr(body, "msd eject 0") != NULL);
	v = attr(LUN0 "file");
	CHECK_STR_EQ(v, "/old.img");
	free(v);
	free(body);
	fail_attr = NULL;

	/* Checked before anything is written. */
	CHECK_INT_EQ(run(true, p, 0, "rel.img", false, &body), CONTROL_USAGE);
	CHECK(strstr(body, "rel.img: not an absolute path") != NULL);
	free(body);
	CHECK_INT_EQ(run(true, p, 0, "/nonexistent/x.img", false, &body),
		     CONTROL_FAILED);
	CHECK_STR_EQ(
		body,
		"msd insert: /nonexistent/x.img: No such file or directory\n");
	free(body);
	CHECK_INT_EQ(run(true, p, 0, "/tmp", false, &body), CONTROL_FAILED);
	CHECK(strstr(body, "Is a directory") != NULL);
	free(body);
	/* An absent LUN (an optional one that was skipped). */
	CHECK_INT_EQ(run(true, p, 3, img, false, &body), CONTROL_FAILED);
	CHECK(strstr(body, "mass_storage.disk has no LUN 3: ") != NULL);
	CHECK(strstr(body,
		     "functions/mass_storage.disk/lun.3: No such file or directory\n") !=
	      NULL);
	free(body);
	CHECK_STR_EQ(writes, "");
}

static void test_eject(const struct profile *p)
{
	char *body, *v;

	fresh_lun("/a.img", "0", true);
	CHECK_INT_EQ(run(false, p, 0, NULL, false, &body), CONTROL_OK);
	CHECK_STR_EQ(writes, "forced_eject=1;");
	CHECK_STR_EQ(body, "lun.0: ejected /a.img\n");
	v = attr(LUN0 "file");
	CHECK_STR_EQ(v, "");
	free(v);
	free(body);

	/* Nothing in: nothing written. */
	CHECK_INT_EQ(run(false, p, 0, NULL, false, &body), CONTROL_OK);
	CHECK_STR_EQ(writes, "");
	CHECK_STR_EQ(body, "lun.0: no medium\n");
	free(body);

	/* No forced_eject: an empty file, which the host may refuse. */
	fresh_lun("/a.img", "0", false);
	fail_attr = "file";
	fail_errno = EBUSY;
	CHECK_INT_EQ(run(false, p, 0, NULL, false, &body), CONTROL_FAILED);
	CHECK_STR_EQ(writes, "file=\\n;");
	CHECK(strstr(body,
		     "/lun.0/file: Device or resource busy: the host holds the medium") !=
	      NULL);
	v = attr(LUN0 "file");
	CHECK_STR_EQ(v, "/a.img");
	free(v);
	free(body);
	fail_attr = NULL;
	CHECK_INT_EQ(run(false, p, 0, NULL, false, &body), CONTROL_OK);
	CHECK_STR_EQ(writes, "file=\\n;");
	v = attr(LUN0 "file");
	CHECK_STR_EQ(v, "");
	free(v);
	free(body);

	CHECK_INT_EQ(run(false, p, 1, NULL, false, &body), CONTROL_FAILED);
	CHECK(strstr(body, "lun.1: No such file or directory") != NULL);
	free(body);
}

int main(void)
{
	struct profile *p, *no_ms;
	char *img, *body;

	root = fake_configfs_new();
	CHECK(root != NULL);
	gadget = xasprintf("%s/usb_gadget/g1", root);
	img = xasprintf("%s/disk.img", root);
	fake_write(root, "disk.img", "data");
	msd_set_write_fn(msd_test_write);

	p = msd_test_profile("function mass_storage.disk");
	test_insert(p, img);
	test_insert_passed(p, img);
	test_eject(p);

	no_ms = msd_test_profile(NULL);
	CHECK_INT_EQ(run(false, no_ms, 0, NULL, false, &body), CONTROL_FAILED);
	CHECK_STR_EQ(body,
		     "msd eject: profile t has no mass_storage function\n");
	free(body);

	msd_set_write_fn(NULL);
	profile_free(p);
	profile_free(no_ms);
	free(img);
	free(gadget);
	fake_configfs_free(root);
	return testlib_finish("msd");
}
