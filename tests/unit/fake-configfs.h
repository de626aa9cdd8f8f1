/* SPDX-License-Identifier: MIT */
/*
 * A fake configfs for tests: a temporary directory with usb_gadget/<g>/...
 * made of plain directories, attribute files and symlinks.  libusbgx reads
 * it like the real thing, since configfs is all files to it.
 *
 * Header-only (static functions) so that each test binary, built from one
 * test-*.c, can use it.
 */
#ifndef GADGETD_TEST_FAKE_CONFIGFS_H
#define GADGETD_TEST_FAKE_CONFIGFS_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline void fake_mkdir_p(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

/* A new empty fake configfs root; the caller frees the string. */
static inline char *fake_configfs_new(void)
{
	char tmpl[] = "/tmp/gadgetd-test-XXXXXX";
	char *root, *dir;

	if (!mkdtemp(tmpl))
		return NULL;
	root = strdup(tmpl);
	if (asprintf(&dir, "%s/usb_gadget", root) < 0)
		abort();
	fake_mkdir_p(dir);
	free(dir);
	return root;
}

static inline void fake_mkdir(const char *root, const char *rel)
{
	char *path;

	if (asprintf(&path, "%s/%s", root, rel) < 0)
		abort();
	fake_mkdir_p(path);
	free(path);
}

/* Write an attribute as the kernel shows it: the value and a newline. */
static inline void fake_write_raw(const char *root, const char *rel,
				  const void *data, size_t len)
{
	char *path, *slash;
	FILE *f;

	if (asprintf(&path, "%s/%s", root, rel) < 0)
		abort();
	slash = strrchr(path, '/');
	*slash = '\0';
	fake_mkdir_p(path);
	*slash = '/';
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		abort();
	}
	fwrite(data, 1, len, f);
	fclose(f);
	free(path);
}

static inline void fake_write(const char *root, const char *rel,
			      const char *value)
{
	char *text;

	if (asprintf(&text, "%s\n", value) < 0)
		abort();
	fake_write_raw(root, rel, text, strlen(text));
	free(text);
}

/* ln -s ROOT/TARGET ROOT/LINK */
static inline void fake_link(const char *root, const char *target,
			     const char *link)
{
	char *t, *l;

	if (asprintf(&t, "%s/%s", root, target) < 0 ||
	    asprintf(&l, "%s/%s", root, link) < 0)
		abort();
	if (symlink(t, l) < 0) {
		perror(l);
		abort();
	}
	free(t);
	free(l);
}

static inline int fake_rm_one(const char *path, const struct stat *st, int flag,
			      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void fake_configfs_free(char *root)
{
	if (!root)
		return;
	nftw(root, fake_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

/* What every gadget directory has, as a fresh mkdir in configfs shows. */
static inline void fake_gadget(const char *root, const char *name)
{
	char rel[256];
	static const struct {
		const char *attr, *value;
	} attrs[] = {
		{ "idVendor", "0x1d6b" },
		{ "idProduct", "0x0104" },
		{ "bcdDevice", "0x0100" },
		{ "bcdUSB", "0x0200" },
		{ "bDeviceClass", "0x00" },
		{ "bDeviceSubClass", "0x00" },
		{ "bDeviceProtocol", "0x00" },
		{ "bMaxPacketSize0", "0x40" },
		{ "UDC", "" },
		/* libusbgx 0.2.0's usbg_init() fails without os_desc/ */
		{ "os_desc/use", "0" },
		{ "os_desc/b_vendor_code", "0x00" },
		{ "os_desc/qw_sign", "" },
	};

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		snprintf(rel, sizeof(rel), "usb_gadget/%s/%s", name,
			 attrs[i].attr);
		fake_write(root, rel, attrs[i].value);
	}
	snprintf(rel, sizeof(rel), "usb_gadget/%s/functions", name);
	fake_mkdir(root, rel);
	snprintf(rel, sizeof(rel), "usb_gadget/%s/configs", name);
	fake_mkdir(root, rel);
	snprintf(rel, sizeof(rel), "usb_gadget/%s/strings", name);
	fake_mkdir(root, rel);
}

/*
 * libusbgx 0.2.0 leaks each configuration's label in usbg_init(); that is
 * its bug, not ours, so LeakSanitizer is told to ignore leaks from it.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libusbgx.so\n";
}

#endif
