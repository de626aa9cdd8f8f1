/* SPDX-License-Identifier: MIT */
/*
 * msd insert/eject against a fake configfs: which attributes are written
 * in which order, what the kernel's refusals (played by a recording
 * writer) turn into, that a refused insert puts the LUN back, that a
 * change of type or access takes the old medium out first, and when the
 * host must enumerate again.
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

static bool replug; /* what the last insert said */
static const char *function; /* the request's FUNCTION, NULL: the first */
static bool want_rw, want_cdrom, want_disk;

/* Run one request; the body must be exactly one line. */
static enum msd_outcome run_fd(bool insert, const struct profile *p, int lun,
			       const char *file, int fd, bool ro, char **body)
{
	struct msd_insert_request req = {
		.function = function,
		.lun = lun,
		.file = file,
		.fd = fd,
		.ro = ro,
		.rw = want_rw,
		.cdrom = want_cdrom,
		.disk = want_disk,
	};
	enum msd_outcome st;
	size_t size = 0;
	FILE *out = open_memstream(body, &size);

	struct msd_target target = { .gadget_dir = gadget,
				     .write_fn = msd_test_write };

	writes[0] = '\0';
	replug = false;
	if (insert)
		st = msd_insert(&target, p, &req, &replug, out);
	else
		st = msd_eject(&target, p, function, lun, out);
	fclose(out);
	CHECK(size > 0 && (*body)[size - 1] == '\n');
	CHECK(strchr(*body, '\n') == *body + size - 1);
	return st;
}

static void fresh_lun_as(const char *file, const char *ro, bool forced,
			 const char *cdrom, const char *removable)
{
	const char *l = "usb_gadget/g1/functions/mass_storage.disk/lun.0";
	char *rel;

	rel = xasprintf("%s/file", l);
	fake_write(root, rel, file);
	free(rel);
	rel = xasprintf("%s/ro", l);
	fake_write(root, rel, ro);
	free(rel);
	rel = xasprintf("%s/cdrom", l);
	fake_write(root, rel, cdrom);
	free(rel);
	rel = xasprintf("%s/removable", l);
	fake_write(root, rel, removable);
	free(rel);
	rel = xasprintf("%s/%s/forced_eject", root, l);
	if (forced)
		fake_write_raw("/", rel, "", 0);
	else
		unlink(rel);
	free(rel);
}

/* A removable disk LUN. */
static void fresh_lun(const char *file, const char *ro, bool forced)
{
	fresh_lun_as(file, ro, forced, "0", "1");
}

static enum msd_outcome run(bool insert, const struct profile *p, int lun,
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
		     MSD_DONE);
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
		     MSD_DONE);
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
		     MSD_DONE);
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
		     MSD_REFUSED);
	CHECK_STR_EQ(
		body,
		"msd insert: /home/bob/f: not a regular file or block device\n");
	free(body);
	close(fd);
	unlink(fifo);
	free(fifo);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK_INT_EQ(run_fd(true, p, 0, "/tmp", fd, false, &body), MSD_REFUSED);
	CHECK_STR_EQ(body,
		     "msd insert: /tmp: not a regular file or block device\n");
	free(body);
	close(fd);
	fd = open(img, O_WRONLY | O_CLOEXEC);
	CHECK_INT_EQ(run_fd(true, p, 0, "/home/bob/disk.img", fd, false, &body),
		     MSD_REFUSED);
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
	int fd;

	/* Empty LUN, ro 0 -> 1: ro first, then file. */
	fresh_lun("", "0", true);
	CHECK_INT_EQ(run(true, p, 0, img, true, &body), MSD_DONE);
	v = xasprintf("ro=1;file=%s;", img);
	CHECK_STR_EQ(writes, v);
	free(v);
	v = attr(LUN0 "file");
	CHECK_STR_EQ(v, img);
	free(v);
	free(body);

	/* ro unchanged: only file (the kernel refuses ro with a medium in). */
	CHECK_INT_EQ(run(true, p, 0, img, true, &body), MSD_DONE);
	v = xasprintf("file=%s;", img);
	CHECK_STR_EQ(writes, v);
	free(v);
	free(body);

	/* The host prevented removal: file EBUSY, ro goes back. */
	fresh_lun("", "0", true);
	fail_attr = "file";
	fail_errno = EBUSY;
	CHECK_INT_EQ(run(true, p, 0, img, true, &body), MSD_REFUSED);
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
	CHECK_INT_EQ(run(true, p, 0, img, true, &body), MSD_REFUSED);
	CHECK(strstr(body, "/lun.0/file: Invalid argument\n") != NULL);
	v = attr(LUN0 "ro");
	CHECK_STR_EQ(v, "0");
	free(v);
	free(body);

	/* The kernel's ETOOSMALL (525) has no libc text: say it. */
	fail_errno = 525;
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), MSD_REFUSED);
	CHECK(strstr(body,
		     "/lun.0/file: too small to be a medium (ETOOSMALL)\n") !=
	      NULL);
	free(body);

	/* ro to change while a medium is in: the medium out first (the
	 * kernel changes ro only without one), then ro, then the new one;
	 * a removable LUN's host sees it from the sense data. */
	fail_attr = NULL;
	fresh_lun("/old.img", "1", true);
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), MSD_DONE);
	v = xasprintf("forced_eject=1;ro=0;file=%s;", img);
	CHECK_STR_EQ(writes, v);
	free(v);
	CHECK(!replug);
	free(body);

	/* A fixed disk's host reads write protection when it enumerates. */
	fresh_lun_as("/old.img", "0", true, "0", "0");
	CHECK_INT_EQ(run(true, p, 0, img, true, &body), MSD_DONE);
	v = xasprintf("forced_eject=1;ro=1;file=%s;", img);
	CHECK_STR_EQ(writes, v);
	free(v);
	CHECK(replug);
	v = xasprintf("lun.0: %s (read-only); the host enumerates the gadget "
		      "again to see it\n",
		      img);
	CHECK_STR_EQ(body, v);
	free(v);
	free(body);

	/* Disk to cdrom: cdrom makes the kernel set ro; the host reads the
	 * type (INQUIRY) only when it enumerates. */
	fresh_lun("/old.img", "0", true);
	want_cdrom = true;
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), MSD_DONE);
	v = xasprintf("forced_eject=1;cdrom=1;file=%s;", img);
	CHECK_STR_EQ(writes, v);
	free(v);
	CHECK(replug);
	v = xasprintf("lun.0: %s (cdrom, read-only); the host enumerates the "
		      "gadget again to see it\n",
		      img);
	CHECK_STR_EQ(body, v);
	free(v);
	free(body);
	want_cdrom = false;

	/* A cdrom stays one, read-only: --rw needs --disk. */
	fresh_lun_as("/old.iso", "1", true, "1", "1");
	want_rw = true;
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), MSD_BAD_REQUEST);
	CHECK_STR_EQ(body, "msd insert: lun.0 is a cdrom, which is read-only: "
			   "add --disk to make it a disk\n");
	CHECK_STR_EQ(writes, "");
	free(body);
	/* Cdrom back to a read-write disk: cdrom off leaves ro set. */
	want_disk = true;
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), MSD_DONE);
	v = xasprintf("forced_eject=1;cdrom=0;ro=0;file=%s;", img);
	CHECK_STR_EQ(writes, v);
	free(v);
	CHECK(replug);
	free(body);

	/* Refused half-way: what was changed goes back, the old medium in
	 * again. */
	fresh_lun_as("/old.iso", "1", true, "1", "1");
	fail_attr = "file";
	fail_errno = EINVAL;
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), MSD_REFUSED);
	/* (cdrom = 1 sets ro again in the kernel.) */
	v = xasprintf("forced_eject=1;cdrom=0;ro=0;file=%s;cdrom=1;"
		      "file=/old.iso;",
		      img);
	CHECK_STR_EQ(writes, v);
	free(v);
	CHECK(!replug);
	free(body);
	fail_attr = NULL;
	want_rw = want_disk = false;

	/* --rw for a file the client could only read. */
	fresh_lun("", "0", true);
	want_rw = true;
	fd = open(img, O_RDONLY | O_CLOEXEC);
	CHECK_INT_EQ(run_fd(true, p, 0, "/home/bob/disk.img", fd, false, &body),
		     MSD_REFUSED);
	CHECK_STR_EQ(body, "msd insert: /home/bob/disk.img: --rw, but you may "
			   "not write it\n");
	CHECK_STR_EQ(writes, "");
	free(body);
	close(fd);
	want_rw = false;

	/* The function by name or instance; one the profile lacks. */
	fresh_lun("", "0", true);
	function = "mass_storage.disk";
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), MSD_DONE);
	free(body);
	function = "disk";
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), MSD_DONE);
	free(body);
	function = "cd";
	CHECK_INT_EQ(run(true, p, 0, img, false, &body), MSD_REFUSED);
	CHECK_STR_EQ(body, "msd insert: profile t has no mass_storage "
			   "function cd\n");
	free(body);
	function = NULL;

	/* Checked before anything is written. */
	CHECK_INT_EQ(run(true, p, 0, "rel.img", false, &body), MSD_BAD_REQUEST);
	CHECK(strstr(body, "rel.img: not an absolute path") != NULL);
	free(body);
	CHECK_INT_EQ(run(true, p, 0, "/nonexistent/x.img", false, &body),
		     MSD_REFUSED);
	CHECK_STR_EQ(
		body,
		"msd insert: /nonexistent/x.img: No such file or directory\n");
	free(body);
	CHECK_INT_EQ(run(true, p, 0, "/tmp", false, &body), MSD_REFUSED);
	CHECK(strstr(body, "Is a directory") != NULL);
	free(body);
	/* An absent LUN (an optional one that was skipped). */
	CHECK_INT_EQ(run(true, p, 3, img, false, &body), MSD_REFUSED);
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
	CHECK_INT_EQ(run(false, p, 0, NULL, false, &body), MSD_DONE);
	CHECK_STR_EQ(writes, "forced_eject=1;");
	CHECK_STR_EQ(body, "lun.0: ejected /a.img\n");
	v = attr(LUN0 "file");
	CHECK_STR_EQ(v, "");
	free(v);
	free(body);

	/* Nothing in: nothing written. */
	CHECK_INT_EQ(run(false, p, 0, NULL, false, &body), MSD_DONE);
	CHECK_STR_EQ(writes, "");
	CHECK_STR_EQ(body, "lun.0: no medium\n");
	free(body);

	/* No forced_eject: an empty file, which the host may refuse. */
	fresh_lun("/a.img", "0", false);
	fail_attr = "file";
	fail_errno = EBUSY;
	CHECK_INT_EQ(run(false, p, 0, NULL, false, &body), MSD_REFUSED);
	CHECK_STR_EQ(writes, "file=\\n;");
	CHECK(strstr(body,
		     "/lun.0/file: Device or resource busy: the host holds the medium") !=
	      NULL);
	v = attr(LUN0 "file");
	CHECK_STR_EQ(v, "/a.img");
	free(v);
	free(body);
	fail_attr = NULL;
	CHECK_INT_EQ(run(false, p, 0, NULL, false, &body), MSD_DONE);
	CHECK_STR_EQ(writes, "file=\\n;");
	v = attr(LUN0 "file");
	CHECK_STR_EQ(v, "");
	free(v);
	free(body);

	CHECK_INT_EQ(run(false, p, 1, NULL, false, &body), MSD_REFUSED);
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

	p = msd_test_profile("function mass_storage.disk");
	test_insert(p, img);
	test_insert_passed(p, img);
	test_eject(p);

	no_ms = msd_test_profile(NULL);
	CHECK_INT_EQ(run(false, no_ms, 0, NULL, false, &body), MSD_REFUSED);
	CHECK_STR_EQ(body,
		     "msd eject: profile t has no mass_storage function\n");
	free(body);

	profile_free(p);
	profile_free(no_ms);
	free(img);
	free(gadget);
	fake_configfs_free(root);
	return testlib_finish("msd");
}
