/* SPDX-License-Identifier: MIT */
/*
 * apply.c against a fake kernel: this test binary defines mkdir(),
 * rmdir(), mount() and umount2(), which take the place of libc's for
 * apply.c and for libusbgx (the executable's symbols come first), and make
 * a temporary directory behave like configfs: mkdir of a gadget, function,
 * LUN, configuration or strings directory makes the attribute files and
 * default groups the kernel makes, rmdir removes them with the directory
 * and refuses what the kernel refuses (ENOTEMPTY for a directory with
 * links or user-made directories, EPERM for a default group).  A function
 * type can be made "missing" (mkdir fails with ENOENT, as when the module
 * is absent), and a LUN's `file` can be made a directory, so that writing
 * it fails with an errno libusbgx 0.2.0 loses (EISDIR).
 *
 * The same binary run as `test-apply --fake-mkdir PATH...` is the fake
 * kernel for the sh script `gadgetd plan` prints, so that the script and
 * the applier can be run on two fake trees and compared.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <usbg/usbg.h>

#include "apply.h"
#include "config.h"
#include "plan.h"
#include "testlib.h"

/* Paths here are short temporary directories; GCC cannot know that. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* ---- the fake kernel ---- */

static char fake_root[PATH_MAX]; /* realpath of the fake configfs */
static const char *fake_missing_type; /* mkdir functions/TYPE.* -> ENOENT */
/* mkdir of a path ending so -> EINVAL (a value the kernel refuses) */
static const char *fake_refuse_mkdir;
static bool fake_lun_file_is_dir;
static char **fake_mounts;
static size_t fake_n_mounts;

static int sys_mkdir(const char *path, mode_t mode)
{
	return (int)syscall(SYS_mkdirat, AT_FDCWD, path, mode);
}

static int sys_rmdir(const char *path)
{
	return (int)syscall(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR);
}

/* path relative to the fake root, or NULL when it is elsewhere. */
static const char *fake_rel(const char *path, char buf[PATH_MAX])
{
	char dir[PATH_MAX], real[PATH_MAX];
	char *slash;
	size_t n;

	if (!fake_root[0])
		return NULL;
	snprintf(dir, sizeof(dir), "%s", path);
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	slash = strrchr(dir, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	if (!realpath(*dir ? dir : "/", real))
		return NULL;
	snprintf(buf, PATH_MAX, "%s/%s", real, slash + 1);
	n = strlen(fake_root);
	if (strncmp(buf, fake_root, n) != 0 || buf[n] != '/')
		return NULL;
	return buf + n + 1;
}

/* Default groups are listed in ROOT/.defaults, so that the sh side (other
 * processes) knows them too. */
static void fake_default_add(const char *abs)
{
	char list[PATH_MAX];
	FILE *f;

	snprintf(list, sizeof(list), "%s/.defaults", fake_root);
	f = fopen(list, "a");
	if (!f)
		abort();
	fprintf(f, "%s\n", abs);
	fclose(f);
}

static bool fake_is_default(const char *abs)
{
	char list[PATH_MAX], line[PATH_MAX];
	bool found = false;
	FILE *f;

	snprintf(list, sizeof(list), "%s/.defaults", fake_root);
	f = fopen(list, "r");
	while (f && !found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		found = strcmp(line, abs) == 0;
	}
	if (f)
		fclose(f);
	return found;
}

static void fake_file(const char *dir, const char *name, const char *value)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	fprintf(f, "%s\n", value);
	fclose(f);
}

static void fake_group(const char *dir, const char *name, char *out)
{
	snprintf(out, PATH_MAX, "%s/%s", dir, name);
	sys_mkdir(out, 0755);
	fake_default_add(out);
}

static void fake_lun(const char *dir)
{
	static const char *const attrs[] = {
		"ro",	 "0", "removable",	"1", "cdrom",	     "0",
		"nofua", "0", "inquiry_string", "",  "forced_eject", "0",
		NULL
	};
	char sub[PATH_MAX];

	for (int i = 0; attrs[i]; i += 2)
		fake_file(dir, attrs[i], attrs[i + 1]);
	if (fake_lun_file_is_dir)
		fake_group(dir, "file", sub);
	else
		fake_file(dir, "file", "");
}

/* Component by component: "*" is any one component, "lun.*" any that
 * starts with "lun.". */
static bool fake_match(const char *rel, const char *pattern)
{
	while (*rel && *pattern) {
		size_t r = strcspn(rel, "/"), p = strcspn(pattern, "/");

		if (pattern[p - 1] == '*') {
			if (r < p - 1 || strncmp(rel, pattern, p - 1) != 0)
				return false;
		} else if (r != p || strncmp(rel, pattern, p) != 0) {
			return false;
		}
		rel += r;
		pattern += p;
		if (*rel != *pattern)
			return false;
		if (*rel)
			rel++, pattern++;
	}
	return !*rel && !*pattern;
}

/* What configfs makes when a directory is made under usb_gadget/. */
static void fake_populate(const char *abs, const char *rel)
{
	const char *name = strrchr(rel, '/') + 1;
	char sub[PATH_MAX];

	if (fake_match(rel, "usb_gadget/*")) {
		static const char *const attrs[] = { "UDC",
						     "",
						     "idVendor",
						     "0x0000",
						     "idProduct",
						     "0x0000",
						     "bcdDevice",
						     "0x0601",
						     "bcdUSB",
						     "0x0200",
						     "bDeviceClass",
						     "0x00",
						     "bDeviceSubClass",
						     "0x00",
						     "bDeviceProtocol",
						     "0x00",
						     "bMaxPacketSize0",
						     "0x40",
						     "max_speed",
						     "super-speed-plus",
						     NULL };

		for (int i = 0; attrs[i]; i += 2)
			fake_file(abs, attrs[i], attrs[i + 1]);
		fake_group(abs, "functions", sub);
		fake_group(abs, "configs", sub);
		fake_group(abs, "strings", sub);
		fake_group(abs, "os_desc", sub);
		fake_file(sub, "use", "0");
		fake_file(sub, "b_vendor_code", "0x00");
		fake_file(sub, "qw_sign", "");
	} else if (fake_match(rel, "usb_gadget/*/strings/*")) {
		fake_file(abs, "manufacturer", "");
		fake_file(abs, "product", "");
		fake_file(abs, "serialnumber", "");
	} else if (fake_match(rel, "usb_gadget/*/configs/*")) {
		fake_file(abs, "MaxPower", "2");
		fake_file(abs, "bmAttributes", "0x80");
		fake_group(abs, "strings", sub);
	} else if (fake_match(rel, "usb_gadget/*/configs/*/strings/*")) {
		fake_file(abs, "configuration", "");
	} else if (fake_match(
			   rel,
			   "usb_gadget/*/functions/uvc.*/control/header/*") ||
		   fake_match(
			   rel,
			   "usb_gadget/*/functions/uvc.*/streaming/header/*")) {
		fake_file(abs, "bcdUVC", "0x0100");
	} else if (
		fake_match(
			rel,
			"usb_gadget/*/functions/uvc.*/streaming/uncompressed/*") ||
		fake_match(rel,
			   "usb_gadget/*/functions/uvc.*/streaming/mjpeg/*")) {
		fake_file(abs, "bDefaultFrameIndex", "1");
	} else if (fake_match(rel,
			      "usb_gadget/*/functions/uvc.*/streaming/*/*/*")) {
		static const char *const frame[] = {
			"wWidth",
			"wHeight",
			"dwMinBitRate",
			"dwMaxBitRate",
			"dwMaxVideoFrameBufferSize",
			"dwDefaultFrameInterval",
			"dwFrameInterval",
			NULL
		};

		for (int i = 0; frame[i]; i++)
			fake_file(abs, frame[i], "0");
	} else if (fake_match(rel, "usb_gadget/*/functions/uvc.*")) {
		/* f_uvc's default groups (uvc_configfs.c, Linux 6.1). */
		static const char *const groups[] = {
			"control",
			"control/header",
			"control/class",
			"control/class/fs",
			"control/class/ss",
			"control/processing",
			"control/processing/default",
			"control/terminal",
			"control/terminal/camera",
			"control/terminal/camera/default",
			"control/terminal/output",
			"control/terminal/output/default",
			"streaming",
			"streaming/header",
			"streaming/uncompressed",
			"streaming/mjpeg",
			"streaming/color_matching",
			"streaming/color_matching/default",
			"streaming/class",
			"streaming/class/fs",
			"streaming/class/hs",
			"streaming/class/ss",
			NULL
		};

		for (int i = 0; groups[i]; i++)
			fake_group(abs, groups[i], sub);
		fake_file(abs, "function_name", "UVC Camera");
		fake_file(abs, "streaming_interval", "1");
		fake_file(abs, "streaming_maxburst", "0");
		fake_file(abs, "streaming_maxpacket", "1024");
	} else if (fake_match(rel, "usb_gadget/*/functions/*/lun.*")) {
		fake_lun(abs);
	} else if (fake_match(rel, "usb_gadget/*/functions/*")) {
		if (!strncmp(name, "ecm.", 4) || !strncmp(name, "ncm.", 4) ||
		    !strncmp(name, "eem.", 4) || !strncmp(name, "geth.", 5) ||
		    !strncmp(name, "rndis.", 6)) {
			fake_file(abs, "dev_addr", "aa:bb:cc:dd:ee:01");
			fake_file(abs, "host_addr", "aa:bb:cc:dd:ee:02");
			fake_file(abs, "qmult", "5");
			fake_file(abs, "ifname", "usb0");
		}
		if (!strncmp(name, "rndis.", 6) || !strncmp(name, "ncm.", 4)) {
			char iface[PATH_MAX];

			fake_group(abs, "os_desc", sub);
			fake_group(sub,
				   name[0] == 'r' ? "interface.rndis"
						  : "interface.ncm",
				   iface);
			fake_file(iface, "compatible_id", "");
			fake_file(iface, "sub_compatible_id", "");
		} else if (!strncmp(name, "mass_storage.", 13)) {
			fake_file(abs, "stall", "1");
			fake_group(abs, "lun.0", sub);
			fake_lun(sub);
		} else if (!strncmp(name, "hid.", 4)) {
			fake_file(abs, "protocol", "0");
			fake_file(abs, "subclass", "0");
			fake_file(abs, "report_length", "0");
			fake_file(abs, "report_desc", "");
			fake_file(abs, "dev", "240:0");
		} else if (!strncmp(name, "midi.", 5)) {
			fake_file(abs, "index", "-1");
			fake_file(abs, "id", "");
			fake_file(abs, "in_ports", "1");
			fake_file(abs, "out_ports", "1");
			fake_file(abs, "buflen", "512");
			fake_file(abs, "qlen", "32");
		} else if (!strncmp(name, "Loopback.", 9)) {
			fake_file(abs, "bulk_buflen", "4096");
			fake_file(abs, "qlen", "32");
		} else if (!strncmp(name, "uac2.", 5)) {
			fake_file(abs, "c_chmask", "3");
			fake_file(abs, "c_srate", "64000");
			fake_file(abs, "c_ssize", "2");
			fake_file(abs, "p_chmask", "3");
			fake_file(abs, "p_srate", "48000");
			fake_file(abs, "p_ssize", "2");
		} else if (!strncmp(name, "acm.", 4) ||
			   !strncmp(name, "gser.", 5)) {
			fake_file(abs, "port_num", "0");
		}
	}
}

int mkdir(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	const char *rel = fake_rel(path, buf);
	size_t n;

	if (rel && fake_missing_type &&
	    fake_match(rel, "usb_gadget/*/functions/*")) {
		const char *name = strrchr(rel, '/') + 1;

		n = strlen(fake_missing_type);
		if (!strncmp(name, fake_missing_type, n) && name[n] == '.') {
			errno = ENOENT;
			return -1;
		}
	}
	n = fake_refuse_mkdir ? strlen(fake_refuse_mkdir) : 0;
	if (rel && n && strlen(rel) >= n &&
	    !strcmp(rel + strlen(rel) - n, fake_refuse_mkdir)) {
		errno = EINVAL;
		return -1;
	}
	if (sys_mkdir(path, mode) < 0)
		return -1;
	if (rel)
		fake_populate(buf, rel);
	return 0;
}

/* Whether configfs would let dir go: only attribute files and default
 * groups (holding the same) inside. */
static int fake_removable(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int r = 0;

	if (!d)
		return -errno;
	while (r == 0 && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) < 0 || S_ISLNK(st.st_mode))
			r = -ENOTEMPTY;
		else if (S_ISDIR(st.st_mode))
			r = fake_is_default(path) ? fake_removable(path)
						  : -ENOTEMPTY;
	}
	closedir(d);
	return r;
}

static void fake_remove_tree(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			fake_remove_tree(path);
		else
			unlink(path);
	}
	if (d)
		closedir(d);
	sys_rmdir(dir);
}

int rmdir(const char *path)
{
	char buf[PATH_MAX];
	const char *rel = fake_rel(path, buf);
	int r;

	if (!rel)
		return sys_rmdir(path);
	if (fake_is_default(buf)) {
		errno = EPERM;
		return -1;
	}
	r = fake_removable(buf);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	fake_remove_tree(buf);
	return 0;
}

int mount(const char *source, const char *target, const char *type,
	  unsigned long flags, const void *data)
{
	(void)flags;
	(void)data;
	if (strcmp(type, "functionfs") != 0 || !*source) {
		errno = ENODEV;
		return -1;
	}
	fake_mounts =
		realloc(fake_mounts, (fake_n_mounts + 1) * sizeof(char *));
	fake_mounts[fake_n_mounts++] = strdup(target);
	fake_file(target, "ep0", "");
	return 0;
}

int umount2(const char *target, int flags)
{
	(void)flags;
	for (size_t i = 0; i < fake_n_mounts; i++) {
		if (strcmp(fake_mounts[i], target) == 0) {
			char ep0[PATH_MAX];

			snprintf(ep0, sizeof(ep0), "%s/ep0", target);
			unlink(ep0);
			free(fake_mounts[i]);
			fake_mounts[i] = fake_mounts[--fake_n_mounts];
			return 0;
		}
	}
	errno = EINVAL;
	return -1;
}

/* libusbgx 0.2.0 leaks a configuration label per configuration in
 * usbg_init(): its bug, not ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libusbgx.so\n";
}

/* ---- test helpers ---- */

static char *tmpdir_new(void)
{
	char tmpl[] = "/tmp/gadgetd-apply-XXXXXX";

	if (!mkdtemp(tmpl))
		abort();
	return strdup(tmpl);
}

static void rm_tree(const char *dir)
{
	char *cmd;

	if (asprintf(&cmd, "rm -rf '%s'", dir) < 0 || system(cmd) != 0)
		abort();
	free(cmd);
}

/* A fresh fake configfs with usb_gadget/. */
static char *fake_new(void)
{
	char *root = tmpdir_new();
	char path[PATH_MAX];

	if (!realpath(root, fake_root))
		abort();
	snprintf(path, sizeof(path), "%s/usb_gadget", fake_root);
	sys_mkdir(path, 0755);
	fake_missing_type = NULL;
	fake_refuse_mkdir = NULL;
	fake_lun_file_is_dir = false;
	return root;
}

static void fake_free(char *root)
{
	rm_tree(root);
	fake_root[0] = '\0';
	free(root);
}

static char *slurp(const char *path)
{
	size_t len;

	return testlib_read_file(path, &len);
}

static char *attr(const char *root, const char *rel)
{
	char path[PATH_MAX];
	char *text;
	size_t n;

	snprintf(path, sizeof(path), "%s/usb_gadget/gadgetd/%s", root, rel);
	text = slurp(path);
	if (!text)
		return strdup("(missing)");
	n = strlen(text);
	if (n && text[n - 1] == '\n')
		text[n - 1] = '\0';
	return text;
}

#define CHECK_ATTR(root, rel, want)             \
	do {                                    \
		char *v_ = attr((root), (rel)); \
		CHECK_STR_EQ(v_, (want));       \
		free(v_);                       \
	} while (0)

static bool exists(const char *root, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return lstat(path, &st) == 0;
}

struct loaded {
	struct gadgetd_config cfg;
	struct profile *p;
	struct plan plan;
};

/* A shipped profile with the shipped gadgetd.conf's defaults, planned
 * for a fixed board; optional files are looked up below root. */
static bool load_plan(struct loaded *l, const char *profile, const char *root)
{
	struct plan_env env = { .gadget_name = "gadgetd",
				.board_id = "10000000c0ffee01",
				.root = root };
	struct diag_list diags;
	bool ok;

	memset(l, 0, sizeof(*l));
	diag_init(&diags);
	config_init_defaults(&l->cfg);
	ok = config_load("../etc/gadgetd.conf", true, &l->cfg, &diags) == 0 &&
	     config_load_profile(&l->cfg, profile, &l->p, &diags) == 0 &&
	     plan_build(l->p, &env, &l->plan, &diags) == 0;
	if (!ok)
		diag_print(&diags, stderr);
	diag_clear(&diags);
	return ok;
}

static void loaded_free(struct loaded *l)
{
	plan_free(&l->plan);
	profile_free(l->p);
	config_free(&l->cfg);
}

/* ---- tests ---- */

static void test_build_bind_remove(void)
{
	char *root = fake_new();
	struct apply_error err = { 0 };
	struct applier *a = NULL;
	struct loaded l;
	char *udc = NULL, mac[18];
	const uint8_t *dev;

	CHECK(load_plan(&l, "../profiles/ecm-only.ini", NULL));
	CHECK_INT_EQ(applier_new(root, "gadgetd", &a), 0);
	CHECK(!applier_gadget_exists(a));
	CHECK_INT_EQ(applier_build(a, &l.plan, &err), 0);
	CHECK_STR_EQ(err.message, "");
	CHECK(applier_gadget_exists(a));

	CHECK_ATTR(root, "idVendor", "0x1d6b");
	CHECK_ATTR(root, "idProduct", "0x104");
	CHECK_ATTR(root, "bcdDevice", "0x101");
	CHECK_ATTR(root, "strings/0x409/manufacturer", "gadgetd");
	CHECK_ATTR(root, "strings/0x409/product", "gadgetd Ethernet (ECM)");
	CHECK_ATTR(root, "strings/0x409/serialnumber", "10000000c0ffee01");
	dev = l.plan.identities[0].dev_addr;
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", dev[0],
		 dev[1], dev[2], dev[3], dev[4], dev[5]);
	CHECK_ATTR(root, "functions/ecm.usb0/dev_addr", mac);
	CHECK_ATTR(root, "functions/ecm.usb0/qmult", "5");
	CHECK_ATTR(root, "configs/c.1/MaxPower", "250");
	CHECK_ATTR(root, "configs/c.1/bmAttributes", "0x80");
	CHECK_ATTR(root, "configs/c.1/strings/0x409/configuration", "ECM");
	CHECK(exists(root, "usb_gadget/gadgetd/configs/c.1/ecm.usb0"));
	/* Not bound yet: that is applier_bind()'s. */
	CHECK_ATTR(root, "UDC", "");

	CHECK_INT_EQ(applier_bind(a, "dummy_udc.0", &err), 0);
	CHECK_ATTR(root, "UDC", "dummy_udc.0");
	CHECK_INT_EQ(applier_bound_udc(a, &udc), 0);
	CHECK_STR_EQ(udc, "dummy_udc.0");
	free(udc);
	CHECK_INT_EQ(applier_unbind(a, &err), 0);
	CHECK_INT_EQ(applier_bound_udc(a, &udc), 0);
	CHECK(udc == NULL);
	/* Unbinding an unbound gadget is no error. */
	CHECK_INT_EQ(applier_unbind(a, &err), 0);

	CHECK_INT_EQ(applier_bind(a, "dummy_udc.0", &err), 0);
	CHECK_INT_EQ(applier_remove(a, &l.plan, &err), 0);
	CHECK_STR_EQ(err.message, "");
	CHECK(!applier_gadget_exists(a));
	CHECK(!exists(root, "usb_gadget/gadgetd"));
	/* Nothing to remove is no error either. */
	CHECK_INT_EQ(applier_remove(a, NULL, &err), 0);

	applier_free(a);
	loaded_free(&l);
	fake_free(root);
}

/* The kernel lacks a function: the first refusal, with the errno text and
 * the configfs path, and nothing of the new gadget left. */
static void test_refused_function(void)
{
	char *root = fake_new();
	struct apply_error err = { 0 };
	struct applier *a = NULL;
	struct loaded l;
	char want[PATH_MAX + 64];

	CHECK(load_plan(&l, "../profiles/rndis-legacy.ini", NULL));
	fake_missing_type = "rndis";
	CHECK_INT_EQ(applier_new(root, "gadgetd", &a), 0);
	CHECK_INT_EQ(applier_build(a, &l.plan, &err), -ENOENT);
	CHECK_INT_EQ(err.err, -ENOENT);
	snprintf(want, sizeof(want),
		 "mkdir %s/usb_gadget/gadgetd/functions/rndis.usb0: No such "
		 "file or directory",
		 root);
	CHECK_STR_EQ(err.message, want);
	snprintf(want, sizeof(want),
		 "%s/usb_gadget/gadgetd/functions/rndis.usb0", root);
	CHECK_STR_EQ(err.path, want);
	CHECK(!applier_gadget_exists(a));
	CHECK(!exists(root, "usb_gadget/gadgetd"));

	/* The same applier builds once the function is there. */
	fake_missing_type = NULL;
	CHECK_INT_EQ(applier_build(a, &l.plan, &err), 0);
	CHECK(exists(root, "usb_gadget/gadgetd/os_desc/c.1"));
	CHECK_ATTR(root, "os_desc/use", "1");
	CHECK_ATTR(root, "os_desc/b_vendor_code", "0xcd");
	CHECK_ATTR(root, "os_desc/qw_sign", "MSFT100");
	CHECK_ATTR(root,
		   "functions/rndis.usb0/os_desc/interface.rndis/compatible_id",
		   "RNDIS");
	CHECK_INT_EQ(applier_remove(a, &l.plan, &err), 0);
	CHECK(!exists(root, "usb_gadget/gadgetd"));

	applier_free(a);
	loaded_free(&l);
	fake_free(root);
}

/* libusbgx turns EISDIR into USBG_ERROR_OTHER_ERROR and does not say
 * which write failed: the replay finds both. */
static void test_lost_errno(void)
{
	char *root = fake_new();
	char *files = tmpdir_new();
	struct apply_error err = { 0 };
	struct applier *a = NULL;
	struct loaded l;
	char want[PATH_MAX + 64], path[PATH_MAX];

	/* The image exists (below the plan's root), so lun.0/file is
	 * written. */
	snprintf(path, sizeof(path), "%s/var/lib/gadgetd", files);
	CHECK(system((snprintf(want, sizeof(want),
			       "mkdir -p %s && touch %s/msd.img", path, path),
		      want)) == 0);
	CHECK(load_plan(&l, "../profiles/ecm+msd.ini", files));
	fake_lun_file_is_dir = true;
	CHECK_INT_EQ(applier_new(root, "gadgetd", &a), 0);
	CHECK_INT_EQ(applier_build(a, &l.plan, &err), -EISDIR);
	snprintf(want, sizeof(want),
		 "write %s/usb_gadget/gadgetd/functions/mass_storage.0/lun.0/"
		 "file: Is a directory",
		 root);
	CHECK_STR_EQ(err.message, want);
	CHECK(!exists(root, "usb_gadget/gadgetd"));

	applier_free(a);
	loaded_free(&l);
	fake_free(root);
	rm_tree(files);
	free(files);
}

/* A gadget left by a killed daemon: building over it is refused and does
 * not touch it; removal takes everything, bound UDC, extra LUNs, links
 * and all; then the build goes through. */
static void test_leftover(void)
{
	char *root = fake_new();
	struct apply_error err = { 0 };
	struct applier *a = NULL, *other = NULL;
	struct loaded l, msd;
	char want[PATH_MAX + 64], *files = tmpdir_new();

	CHECK(system((snprintf(want, sizeof(want),
			       "mkdir -p %s/dev && touch %s/dev/nvme0n1", files,
			       files),
		      want)) == 0);
	CHECK(load_plan(&msd, "../profiles/msd.ini", files));
	CHECK(load_plan(&l, "../profiles/acm+ecm.ini", NULL));
	/* The leftover: msd with its two LUNs, bound. */
	CHECK_INT_EQ(applier_new(root, "gadgetd", &other), 0);
	CHECK_INT_EQ(applier_build(other, &msd.plan, &err), 0);
	CHECK(exists(root,
		     "usb_gadget/gadgetd/functions/mass_storage.0/lun.1"));
	CHECK_INT_EQ(applier_bind(other, "dummy_udc.0", &err), 0);
	applier_free(other);

	CHECK_INT_EQ(applier_new(root, "gadgetd", &a), 0);
	CHECK(applier_gadget_exists(a));
	CHECK_INT_EQ(applier_build(a, &l.plan, &err), -EEXIST);
	snprintf(want, sizeof(want), "mkdir %s/usb_gadget/gadgetd: File exists",
		 root);
	CHECK_STR_EQ(err.message, want);
	CHECK(exists(root,
		     "usb_gadget/gadgetd/functions/mass_storage.0/lun.1"));
	CHECK_ATTR(root, "UDC", "dummy_udc.0");

	CHECK_INT_EQ(applier_remove(a, NULL, &err), 0);
	CHECK(!exists(root, "usb_gadget/gadgetd"));
	CHECK_INT_EQ(applier_build(a, &l.plan, &err), 0);
	CHECK(exists(root, "usb_gadget/gadgetd/configs/c.1/acm.GS0"));
	CHECK_INT_EQ(applier_remove(a, &l.plan, &err), 0);

	applier_free(a);
	loaded_free(&l);
	loaded_free(&msd);
	fake_free(root);
	rm_tree(files);
	free(files);
}

/* A foreign gadget with a function libusbgx 0.2.0 does not know makes
 * its usbg_init() fail; ours still builds, binds and goes, and the
 * foreign one is left alone. */
static void test_foreign_gadget(void)
{
	char *root = fake_new();
	struct apply_error err = { 0 };
	struct applier *a = NULL;
	usbg_state *s = NULL;
	struct loaded l;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/usb_gadget/other", root);
	CHECK_INT_EQ(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/usb_gadget/other/functions/printer.0",
		 root);
	CHECK_INT_EQ(mkdir(path, 0755), 0);
	/* The libusbgx behaviour this works around (apply.c, 1). */
	CHECK_INT_EQ(usbg_init(root, &s), USBG_ERROR_NOT_SUPPORTED);
	if (s)
		usbg_cleanup(s);

	CHECK(load_plan(&l, "../profiles/ncm.ini", NULL));
	CHECK_INT_EQ(applier_new(root, "gadgetd", &a), 0);
	CHECK_INT_EQ(applier_build(a, &l.plan, &err), 0);
	CHECK_STR_EQ(err.message, "");
	CHECK_INT_EQ(applier_bind(a, "dummy_udc.0", &err), 0);
	CHECK_INT_EQ(applier_remove(a, &l.plan, &err), 0);
	CHECK(!exists(root, "usb_gadget/gadgetd"));
	CHECK(exists(root, "usb_gadget/other/functions/printer.0"));

	applier_free(a);
	loaded_free(&l);
	fake_free(root);
}

/* uvc, with plain syscalls (workaround 9): the tree the plan says,
 * removed whole; refused half-way, nothing of it stays. */
static void test_uvc(void)
{
	char *root = fake_new();
	struct apply_error err = { 0 };
	struct applier *a = NULL;
	struct loaded l;
	char want[PATH_MAX];
	const char *f = "usb_gadget/gadgetd/functions/uvc.cam";
	char path[PATH_MAX];

	CHECK(load_plan(&l, "unit/fixtures/uvc-webcam.ini", NULL));
	CHECK_INT_EQ(applier_new(root, "gadgetd", &a), 0);
	CHECK_INT_EQ(applier_build(a, &l.plan, &err), 0);
	CHECK_STR_EQ(err.message, "");
	snprintf(path, sizeof(path), "%s/streaming/class/hs/h", f);
	CHECK(exists(root, path));
	snprintf(path, sizeof(path), "%s/streaming/header/h/f2", f);
	CHECK(exists(root, path));
	snprintf(path, sizeof(path),
		 "%s/streaming/uncompressed/f1/160x120/dwFrameInterval", f);
	CHECK_ATTR(root, path + strlen("usb_gadget/gadgetd/"),
		   "333333\n666667");
	CHECK_INT_EQ(applier_bind(a, "dummy_udc.0", &err), 0);
	CHECK_INT_EQ(applier_remove(a, &l.plan, &err), 0);
	CHECK_STR_EQ(err.message, "");
	CHECK(!exists(root, "usb_gadget/gadgetd"));

	/* Removal without the plan (a gadget a killed daemon left). */
	CHECK_INT_EQ(applier_build(a, &l.plan, &err), 0);
	CHECK_INT_EQ(applier_remove(a, NULL, &err), 0);
	CHECK(!exists(root, "usb_gadget/gadgetd"));

	/* The kernel refuses the MJPEG frame: everything made before it,
	 * the YUYV format with its frames and the control header's links
	 * included, is undone. */
	fake_refuse_mkdir = "streaming/mjpeg/f2/640x360";
	CHECK_INT_EQ(applier_build(a, &l.plan, &err), -EINVAL);
	snprintf(want, sizeof(want),
		 "mkdir %s/usb_gadget/gadgetd/functions/uvc.cam/streaming/"
		 "mjpeg/f2/640x360: Invalid argument",
		 fake_root);
	CHECK_STR_EQ(err.message, want);
	CHECK(!exists(root, "usb_gadget/gadgetd"));
	fake_refuse_mkdir = NULL;

	applier_free(a);
	loaded_free(&l);
	fake_free(root);
}

/* The view libusbgx is opened on goes with the applier. */
static void test_view_cleanup(void)
{
	char *root = fake_new();
	char *tmp = tmpdir_new();
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	struct applier *a = NULL;
	struct dirent *e;
	int entries = 0;
	DIR *d;

	setenv("TMPDIR", tmp, 1);
	CHECK_INT_EQ(applier_new(root, "gadgetd", &a), 0);
	d = opendir(tmp);
	while (d && (e = readdir(d)))
		entries += e->d_name[0] != '.';
	closedir(d);
	CHECK_INT_EQ(entries, 1);
	applier_free(a);
	entries = 0;
	d = opendir(tmp);
	while (d && (e = readdir(d)))
		entries += e->d_name[0] != '.';
	closedir(d);
	CHECK_INT_EQ(entries, 0);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	rm_tree(tmp);
	free(tmp);
	fake_free(root);
}

/* ---- the printed script and the applier make the same tree ---- */

/* Every entry below dir: "d NAME", "f NAME=CONTENT" (one trailing newline
 * dropped: sh's echo adds it, libusbgx does not always), "l NAME ->
 * TARGET" (the target's part after usb_gadget/gadgetd/). */
static void tree_text(const char *dir, const char *rel, FILE *out)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		char path[PATH_MAX], sub[PATH_MAX], target[PATH_MAX];
		struct stat st;

		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			free(list[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
			 name);
		lstat(path, &st);
		if (S_ISLNK(st.st_mode)) {
			ssize_t k = readlink(path, target, sizeof(target) - 1);
			const char *t;

			target[k > 0 ? k : 0] = '\0';
			t = strstr(target, "usb_gadget/gadgetd/");
			fprintf(out, "l %s -> %s\n", sub,
				t ? t + strlen("usb_gadget/gadgetd/") : target);
		} else if (S_ISDIR(st.st_mode)) {
			fprintf(out, "d %s\n", sub);
			tree_text(path, sub, out);
		} else {
			size_t len;
			char *text = testlib_read_file(path, &len);

			if (len && text[len - 1] == '\n')
				text[--len] = '\0';
			fprintf(out, "f %s=", sub);
			fwrite(text, 1, len, out);
			fputc('\n', out);
			free(text);
		}
		free(list[i]);
	}
	free(list);
}

static char *tree(const char *root)
{
	char dir[PATH_MAX], *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	snprintf(dir, sizeof(dir), "%s/usb_gadget/gadgetd", root);
	tree_text(dir, "", f);
	fclose(f);
	return text;
}

static const char *self_path;

/* The shell side of the fake kernel: mkdir, mount and umount as
 * functions calling this binary. */
static int run_sh(const char *plan, const char *root, const char *ffs)
{
	char funcs[PATH_MAX], *cmd;
	FILE *f;
	int status;

	snprintf(funcs, sizeof(funcs), "%s.funcs", plan);
	f = fopen(funcs, "w");
	if (!f)
		return -1;
	fprintf(f, "mkdir() { \"$FAKE\" --fake-mkdir \"$FAKE_ROOT\" \"$@\"; }\n"
		   "rmdir() { \"$FAKE\" --fake-rmdir \"$FAKE_ROOT\" \"$@\"; }\n"
		   "mount() { command mkdir -p \"$4\" && : > \"$4/ep0\" && "
		   ": > \"$4/ep1\"; }\n"
		   "umount() { rm -f \"$1/ep0\" \"$1/ep1\"; }\n");
	fclose(f);
	if (asprintf(&cmd,
		     "FAKE='%s' FAKE_ROOT='%s' CONFIGFS='%s' UDC=dummy_udc.0 "
		     "FFS='%s' sh -c '. \"$0\"; . \"$1\"' '%s' '%s'",
		     self_path, root, root, ffs, funcs, plan) < 0)
		abort();
	status = system(cmd);
	free(cmd);
	unlink(funcs);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static struct profile *load_composite(const char *mountpoint)
{
	struct diag_list diags;
	struct profile *p = NULL;
	size_t len;
	char *text =
		testlib_read_file("unit/fixtures/plan-composite.ini", &len);
	char *at, *edited;

	if (!text)
		return NULL;
	/* The FunctionFS mount point goes to a temporary directory. */
	at = strstr(text, "/dev/usb-ffs/adb");
	*at = '\0';
	if (asprintf(&edited, "%s%s%s", text, mountpoint,
		     at + strlen("/dev/usb-ffs/adb")) < 0)
		abort();
	diag_init(&diags);
	if (profile_load_ini_buffer("plan-composite.ini", edited,
				    strlen(edited), &p, &diags) < 0 ||
	    profile_validate(p, &diags) < 0) {
		diag_print(&diags, stderr);
		profile_free(p);
		p = NULL;
	}
	diag_clear(&diags);
	free(text);
	free(edited);
	return p;
}

static void check_same(const char *what, struct plan *plan, const char *ffs)
{
	char *sh_root = fake_new(), *apply_root;
	char plan_path[PATH_MAX], *sh_tree, *apply_tree;
	struct apply_error err = { 0 };
	struct applier *a = NULL;
	FILE *f;

	snprintf(plan_path, sizeof(plan_path), "%s.plan.sh", sh_root);
	f = fopen(plan_path, "w");
	plan_print_sh(plan, f);
	fclose(f);
	CHECK_INT_EQ(run_sh(plan_path, sh_root, ffs), 0);
	sh_tree = tree(sh_root);

	/* The teardown script leaves nothing. */
	f = fopen(plan_path, "w");
	plan_print_teardown_sh(plan, f);
	fclose(f);
	CHECK_INT_EQ(run_sh(plan_path, sh_root, ffs), 0);
	CHECK(!exists(sh_root, "usb_gadget/gadgetd"));
	unlink(plan_path);
	fake_free(sh_root);

	apply_root = fake_new();
	CHECK_INT_EQ(applier_new(apply_root, "gadgetd", &a), 0);
	CHECK_INT_EQ(applier_build(a, plan, &err), 0);
	CHECK_STR_EQ(err.message, "");
	CHECK_INT_EQ(applier_bind(a, "dummy_udc.0", &err), 0);
	apply_tree = tree(apply_root);
	if (strcmp(sh_tree, apply_tree) != 0) {
		testlib_fail(
			__FILE__, __LINE__,
			"%s: sh and apply differ:\n--- sh\n%s--- apply\n%s",
			what, sh_tree, apply_tree);
	}
	testlib_checks++;
	CHECK(strstr(apply_tree, "f UDC=dummy_udc.0\n") != NULL);
	CHECK_INT_EQ(applier_remove(a, plan, &err), 0);
	CHECK(!exists(apply_root, "usb_gadget/gadgetd"));
	applier_free(a);
	free(sh_tree);
	free(apply_tree);
	fake_free(apply_root);
}

static void test_sh_equals_apply(void)
{
	static const char *const shipped[] = { "ecm-only", "ecm+msd",
					       "acm+ecm",  "rndis-legacy",
					       "ncm",	   "msd" };
	char *files = tmpdir_new(), *ffs = tmpdir_new();
	char path[PATH_MAX + 64], mountpoint[PATH_MAX];
	struct plan_env env = { .gadget_name = "gadgetd",
				.board_id = "gadgetd-test-board",
				.root = files };
	struct diag_list diags;
	struct plan plan;
	struct profile *p;

	/* Every optional file present, for the most steps. */
	CHECK(system((snprintf(path, sizeof(path),
			       "mkdir -p %s/dev %s/var/lib/gadgetd && touch "
			       "%s/dev/nvme0n1 %s/var/lib/gadgetd/msd.img "
			       "%s/plan-present.img",
			       files, files, files, files, files),
		      path)) == 0);
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		struct loaded l;

		snprintf(path, sizeof(path), "../profiles/%s.ini", shipped[i]);
		if (!load_plan(&l, path, files)) {
			CHECK(!"shipped profile loads");
			continue;
		}
		check_same(shipped[i], &l.plan, ffs);
		loaded_free(&l);
	}

	snprintf(mountpoint, sizeof(mountpoint), "%s/adb", ffs);
	p = load_composite(mountpoint);
	CHECK(p != NULL);
	diag_init(&diags);
	if (p && plan_build(p, &env, &plan, &diags) == 0) {
		check_same("plan-composite", &plan, ffs);
		plan_free(&plan);
	} else {
		CHECK(!"plan-composite plans");
	}
	diag_clear(&diags);
	profile_free(p);
	rm_tree(files);
	rm_tree(ffs);
	free(files);
	free(ffs);
}

/* `test-apply --fake-mkdir ROOT [-p] PATH...`, `--fake-rmdir ROOT PATH...`:
 * the fake kernel for the sh scripts. */
static int fake_command(int argc, char **argv)
{
	bool parents = false;

	if (!realpath(argv[2], fake_root))
		return 1;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "-p")) {
			parents = true;
			continue;
		}
		if (!strcmp(argv[1], "--fake-rmdir")) {
			if (rmdir(argv[i]) < 0) {
				fprintf(stderr, "rmdir %s: %s\n", argv[i],
					strerror(errno));
				return 1;
			}
			continue;
		}
		if (parents) {
			char *cmd;

			if (asprintf(&cmd, "mkdir -p '%s'", argv[i]) < 0 ||
			    system(cmd) != 0)
				return 1;
			free(cmd);
			continue;
		}
		if (mkdir(argv[i], 0755) < 0) {
			fprintf(stderr, "mkdir %s: %s\n", argv[i],
				strerror(errno));
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && (!strcmp(argv[1], "--fake-mkdir") ||
			  !strcmp(argv[1], "--fake-rmdir")))
		return fake_command(argc, argv);
	self_path = realpath("/proc/self/exe", NULL);

	test_build_bind_remove();
	test_refused_function();
	test_lost_errno();
	test_leftover();
	test_foreign_gadget();
	test_uvc();
	test_view_cleanup();
	test_sh_equals_apply();
	return testlib_finish("test-apply");
}
