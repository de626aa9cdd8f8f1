/* SPDX-License-Identifier: MIT */
/*
 * plan.c: the shipped profiles' plans against reviewed scripts
 * (unit/expected/NAME.sh and NAME.teardown.sh), the order of every op
 * kind, optional LUNs, values resolved from the board id, and sh quoting.
 *
 * On a mismatch the script printed is left as $TMPDIR/NAME.sh.actual (or
 * /tmp) for review.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fake-configfs.h"
#include "identity.h"
#include "plan.h"
#include "profile-testlib.h"
#include "testlib.h"
#include "util.h"

#define BOARD "gadgetd-test-board"

static char *print_to_string(const struct plan *plan, bool teardown)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (teardown)
		plan_print_teardown_sh(plan, f);
	else
		plan_print_sh(plan, f);
	fclose(f);
	return text;
}

static void check_expected(const char *name, const char *suffix,
			   const char *actual)
{
	char path[512], out[512];
	const char *tmp = getenv("TMPDIR");
	size_t len;
	char *want;
	FILE *f;

	snprintf(path, sizeof(path), "unit/expected/%s%s", name, suffix);
	want = testlib_read_file(path, &len);
	testlib_checks++;
	if (want && strcmp(want, actual) == 0) {
		free(want);
		return;
	}
	snprintf(out, sizeof(out), "%s/%s%s.actual", tmp ? tmp : "/tmp", name,
		 suffix);
	f = fopen(out, "w");
	if (f) {
		fputs(actual, f);
		fclose(f);
	}
	testlib_fail(__FILE__, __LINE__,
		     "%s differs from what plan prints (%s)", path, out);
	free(want);
}

/* Load a shipped profile as the daemon does, with the shipped
 * gadgetd.conf's [gadget] defaults. */
static struct profile *load_shipped(const char *name, struct diag_list *diags)
{
	struct gadgetd_config cfg;
	struct profile *p = NULL;
	char path[256];

	config_init_defaults(&cfg);
	if (config_load("../etc/gadgetd.conf", true, &cfg, diags) == 0) {
		snprintf(path, sizeof(path), "../profiles/%s.ini", name);
		config_load_profile(&cfg, path, &p, diags);
	}
	config_free(&cfg);
	return p;
}

static struct profile *load_text(const char *text, struct diag_list *diags)
{
	struct profile *p = profile_test_load(text, diags);

	CHECK(p != NULL);
	if (!p)
		diag_print(diags, stderr);
	return p;
}

/* The plan of the profile text, and its teardown, against the golden
 * files unit/expected/NAME.sh and NAME.teardown.sh. */
static void check_golden(const char *text, const char *name)
{
	char *root = fake_configfs_new();
	struct plan_env env = { .board_id = BOARD, .root = root };
	struct diag_list diags;
	struct profile *p = load_text(text, &diags);
	struct plan plan;
	char *sh;

	if (!p)
		goto out;
	CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), 0);
	sh = print_to_string(&plan, false);
	check_expected(name, ".sh", sh);
	free(sh);
	sh = print_to_string(&plan, true);
	check_expected(name, ".teardown.sh", sh);
	free(sh);
	plan_free(&plan);
out:
	profile_free(p);
	diag_clear(&diags);
	fake_configfs_free(root);
}

static void test_shipped(void)
{
	static const struct {
		const char *name;
		const char *warning; /* the one diagnostic, or NULL */
	} shipped[] = {
		{ "ecm-only", NULL },
		{ "ecm+msd",
		  "../profiles/ecm+msd.ini:34: warning: lun.0 of mass_storage.0 "
		  "has no medium: /var/lib/gadgetd/msd.img does not exist" },
		{ "acm+ecm", NULL },
		{ "rndis-legacy", NULL },
		{ "ncm", NULL },
		{ "msd",
		  "../profiles/msd.ini:31: warning: lun.1 of mass_storage.0 "
		  "skipped: /dev/nvme0n1 does not exist" },
	};
	/* An empty root: no optional file exists. */
	char *root = fake_configfs_new();

	for (size_t i = 0; i < ARRAY_SIZE(shipped); i++) {
		struct plan_env env = { .gadget_name = "gadgetd",
					.board_id = BOARD,
					.root = root };
		struct diag_list diags;
		struct profile *p;
		struct plan plan;
		char *text;

		diag_init(&diags);
		p = load_shipped(shipped[i].name, &diags);
		CHECK(p != NULL);
		if (!p) {
			diag_print(&diags, stderr);
			diag_clear(&diags);
			continue;
		}
		CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), 0);
		if (shipped[i].warning)
			CHECK_DIAGS(&diags, shipped[i].warning);
		else
			CHECK_INT_EQ(diags.n, 0);

		text = print_to_string(&plan, false);
		check_expected(shipped[i].name, ".sh", text);
		free(text);
		text = print_to_string(&plan, true);
		check_expected(shipped[i].name, ".teardown.sh", text);
		free(text);

		plan_free(&plan);
		profile_free(p);
		diag_clear(&diags);
	}
	fake_configfs_free(root);
}

static struct profile *load_fixture(const char *path, struct diag_list *diags)
{
	struct profile *p = NULL;

	if (profile_load(path, &p, diags) < 0)
		return NULL;
	return p;
}

static void test_composite(void)
{
	static const enum plan_op_kind want[] = {
		PLAN_GADGET_CREATE,
		PLAN_GADGET_STRINGS,
		PLAN_FUNCTION_CREATE, /* rndis.usb0 */
		PLAN_FUNCTION_CREATE, /* ecm.usb1 */
		PLAN_FUNCTION_CREATE, /* acm.GS0 */
		PLAN_FUNCTION_CREATE, /* mass_storage.0 */
		PLAN_LUN_CREATE,
		PLAN_ATTR_WRITE, /* lun.0 */
		PLAN_LUN_CREATE, /* lun.1 = the profile's lun.2 */
		PLAN_LUN_CREATE, /* lun.2 = the profile's lun.3 */
		PLAN_FUNCTION_CREATE, /* hid.kbd */
		PLAN_FUNCTION_CREATE, /* midi.0 */
		PLAN_FUNCTION_CREATE, /* Loopback.0 */
		PLAN_FUNCTION_CREATE, /* uac2.0 */
		PLAN_FUNCTION_CREATE, /* ffs.adb */
		PLAN_INTERFACE_OS_DESC,
		PLAN_FFS_MOUNT,
		PLAN_CONFIG_CREATE, /* c.1 */
		PLAN_CONFIG_CREATE, /* c.2 */
		PLAN_CONFIG_ADD_FUNCTION,
		PLAN_CONFIG_ADD_FUNCTION,
		PLAN_CONFIG_ADD_FUNCTION,
		PLAN_CONFIG_ADD_FUNCTION,
		PLAN_CONFIG_ADD_FUNCTION,
		PLAN_CONFIG_ADD_FUNCTION,
		PLAN_CONFIG_ADD_FUNCTION, /* c.1: 7 in interface order */
		PLAN_CONFIG_ADD_FUNCTION,
		PLAN_CONFIG_ADD_FUNCTION, /* c.2 */
		PLAN_OS_DESC,
		PLAN_OS_DESC_CONFIG,
		PLAN_FFS_WAIT,
		PLAN_UDC_BIND,
	};
	static const char *const c1[] = { "rndis.usb0", "mass_storage.0",
					  "hid.kbd",	"midi.0",
					  "Loopback.0", "uac2.0",
					  "ffs.adb" };
	char *root = fake_configfs_new();
	struct plan_env env = { .board_id = BOARD, .root = root };
	struct diag_list diags;
	struct profile *p;
	struct plan plan;
	struct plan_steps steps;
	char *path;
	size_t ms, link = 0;

	fake_write(root, "plan-present.img", "");
	diag_init(&diags);
	p = load_fixture("unit/fixtures/plan-composite.ini", &diags);
	CHECK(p != NULL);
	if (!p)
		goto out;
	diag_clear(&diags);
	CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), 0);
	CHECK_DIAGS(&diags,
		    "unit/fixtures/plan-composite.ini:48: warning: lun.1 of "
		    "mass_storage.0 skipped: /plan-absent/nvme0n1 does not "
		    "exist",
		    "unit/fixtures/plan-composite.ini:51: warning: lun.2 of "
		    "mass_storage.0 is lun.1 in configfs (LUNs stay contiguous "
		    "after a skipped one)",
		    "unit/fixtures/plan-composite.ini:55: warning: lun.3 of "
		    "mass_storage.0 has no medium: /plan-absent/cdrom.iso does "
		    "not exist",
		    "unit/fixtures/plan-composite.ini:55: warning: lun.3 of "
		    "mass_storage.0 is lun.2 in configfs (LUNs stay contiguous "
		    "after a skipped one)");
	CHECK_STR_EQ(plan.gadget_name, "gadgetd");
	CHECK_STR_EQ(plan.serial, "SN-0001");

	CHECK_INT_EQ(plan.n_ops, ARRAY_SIZE(want));
	for (size_t i = 0; i < plan.n_ops && i < ARRAY_SIZE(want); i++)
		if (plan.ops[i].kind != want[i])
			testlib_fail(__FILE__, __LINE__,
				     "op %zu is kind %d, want %d", i,
				     plan.ops[i].kind, want[i]);
	testlib_checks++;

	/* The tail the daemon carries out, and its wait typed. */
	CHECK_INT_EQ(plan_deferred_start(&plan), ARRAY_SIZE(want) - 2);
	{
		struct plan_ffs_wait wait;

		CHECK_INT_EQ(plan_ffs_wait(&plan, &plan.ops[0], &wait),
			     -EINVAL);
		CHECK(wait.mount == NULL);
		CHECK_INT_EQ(plan_ffs_wait(&plan,
					   &plan.ops[ARRAY_SIZE(want) - 2],
					   &wait),
			     0);
		CHECK_STR_EQ(wait.function, "ffs.adb");
		CHECK_STR_EQ(wait.mount, "/dev/usb-ffs/adb");
		CHECK_INT_EQ(wait.timeout_s, 5);
		CHECK(wait.program == NULL);
		plan_ffs_wait_clear(&wait);
	}

	/* The unused eem.unused is left out. */
	for (size_t i = 0; i < plan.n_ops; i++)
		if (plan.ops[i].function)
			CHECK(strcmp(plan.ops[i].function->name,
				     "eem.unused") != 0);

	/* LUN numbers: configfs's and the profile's. */
	CHECK_INT_EQ(plan.ops[6].lun, 0);
	CHECK_INT_EQ(plan.ops[6].profile_lun, 0);
	CHECK_STR_EQ(plan.ops[7].attr, "lun.0/inquiry_string");
	CHECK_STR_EQ(plan.ops[7].value, "Vendor Product 1.0");
	CHECK_INT_EQ(plan.ops[8].lun, 1);
	CHECK_INT_EQ(plan.ops[8].profile_lun, 2);
	CHECK_INT_EQ(plan.ops[9].lun, 2);
	CHECK_INT_EQ(plan.ops[9].profile_lun, 3);
	/* f_loopback's name, not libusbgx's "buflen", with the function. */
	plan_op_steps(&plan, &plan.ops[12], &steps);
	CHECK_INT_EQ(steps.n, 2);
	if (steps.n == 2) {
		CHECK_STR_EQ(steps.items[1].path,
			     "functions/Loopback.0/bulk_buflen");
		CHECK_STR_EQ(steps.items[1].value, "4096");
	}
	plan_steps_free(&steps);
	ms = (size_t)(plan.ops[5].function - p->functions);
	CHECK_INT_EQ(plan.skipped_luns[ms], 1u << 1);
	CHECK_INT_EQ(plan.empty_luns[ms], 1u << 3);

	/* c.1's links in interface order, then c.2's. */
	for (size_t i = 0; i < plan.n_ops; i++) {
		if (plan.ops[i].kind != PLAN_CONFIG_ADD_FUNCTION)
			continue;
		if (link < ARRAY_SIZE(c1)) {
			CHECK_INT_EQ(plan.ops[i].config->id, 1);
			CHECK_STR_EQ(plan.ops[i].function->name, c1[link]);
		} else {
			CHECK_INT_EQ(plan.ops[i].config->id, 2);
		}
		link++;
	}
	CHECK_INT_EQ(plan.ops[29].config->id, 1); /* os_desc -> c.1 */

	path = plan_op_path(&plan, &plan.ops[0]);
	CHECK_STR_EQ(path, ".");
	free(path);
	path = plan_op_path(&plan, &plan.ops[9]);
	CHECK_STR_EQ(path, "functions/mass_storage.0/lun.2");
	free(path);
	path = plan_op_path(&plan, &plan.ops[7]);
	CHECK_STR_EQ(path, "functions/mass_storage.0/lun.0/inquiry_string");
	free(path);
	path = plan_op_path(&plan, &plan.ops[20]);
	CHECK_STR_EQ(path, "configs/c.1/mass_storage.0");
	free(path);
	path = plan_op_path(&plan, &plan.ops[16]);
	CHECK_STR_EQ(path, "/dev/usb-ffs/adb");
	free(path);
	path = plan_op_path(&plan, &plan.ops[plan.n_ops - 1]);
	CHECK_STR_EQ(path, "UDC");
	free(path);

	plan_free(&plan);
	profile_free(p);
out:
	diag_clear(&diags);
	fake_configfs_free(root);
}

/* The lines of the composite's script that need quoting. */
static void test_sh_quoting(void)
{
	static const char *const lines[] = {
		"echo 'It'\\''s \"quoted\" $HOME' > "
		"\"$G/strings/0x409/manufacturer\"\n",
		"printf '%s\\n' '-dash\\back' > \"$G/strings/0x409/product\"\n",
		"printf '\\005\\001\\011\\006\\241\\001\\000\\300' > "
		"\"$G/functions/hid.kbd/report_desc\"\n",
		"printf '%s\\n' -1 > \"$G/functions/midi.0/index\"\n",
		"echo 'Vendor Product 1.0' > "
		"\"$G/functions/mass_storage.0/lun.0/inquiry_string\"\n",
		"G=\"$CONFIGFS/usb_gadget/odd\\\"name\\$x\"\n",
		"echo 0x1234 > \"$G/idVendor\"\n",
		"echo 0xe0 > \"$G/configs/c.1/bmAttributes\"\n",
		"mount -t functionfs adb /dev/usb-ffs/adb\n",
		"\t[ $i -lt 50 ] || { echo \"ffs.adb: no descriptors after 5 "
		"s\" >&2; exit 1; }\n",
	};
	char *root = fake_configfs_new();
	struct plan_env env = { .gadget_name = "odd\"name$x",
				.board_id = BOARD,
				.root = root };
	struct diag_list diags;
	struct profile *p;
	struct plan plan;
	char *text, *cmd, script[] = "/tmp/gadgetd-plan-XXXXXX";
	int fd;

	diag_init(&diags);
	p = load_fixture("unit/fixtures/plan-composite.ini", &diags);
	CHECK(p != NULL);
	if (!p || plan_build(p, &env, &plan, &diags) < 0) {
		CHECK(!"the composite plans");
		goto out;
	}
	text = print_to_string(&plan, false);
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		testlib_checks++;
		if (!strstr(text, lines[i]))
			testlib_fail(__FILE__, __LINE__,
				     "the script has no line %s", lines[i]);
	}
	/* Both scripts are valid sh. */
	fd = mkstemp(script);
	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	CHECK(asprintf(&cmd, "sh -n %s", script) > 0);
	CHECK_INT_EQ(system(cmd), 0);
	free(text);
	text = print_to_string(&plan, true);
	fd = open(script, O_WRONLY | O_TRUNC);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	CHECK_INT_EQ(system(cmd), 0);
	free(cmd);
	unlink(script);
	free(text);
	plan_free(&plan);
out:
	profile_free(p);
	diag_clear(&diags);
	fake_configfs_free(root);
}

/* A FunctionFS program starts right before the wait for its
 * descriptors; plan_ffs_wait() gives it. */
static void test_ffs_program(void)
{
	struct plan_env env = { .board_id = BOARD };
	struct plan_ffs_wait wait;
	struct diag_list diags;
	struct profile *p;
	struct plan plan;
	char *text;

	p = load_text("[config 1]\nfunctions = ffs.mtp\n[function ffs.mtp]\n"
		      "program = /usr/sbin/umtprd -c 'x y'\n",
		      &diags);
	diag_clear(&diags);
	if (!p)
		return;
	CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), 0);
	diag_clear(&diags);
	text = print_to_string(&plan, false);
	CHECK(strstr(text, "\n/usr/sbin/umtprd -c ''\\''x' 'y'\\''' &\n"
			   "i=0\nwhile [ ! -e /dev/usb-ffs/mtp/ep1 ]") != NULL);
	CHECK_INT_EQ(plan_ffs_wait(&plan, &plan.ops[plan.n_ops - 2], &wait), 0);
	CHECK_STR_EQ(wait.program[0], "/usr/sbin/umtprd");
	CHECK_STR_EQ(wait.program[2], "'x");
	CHECK(wait.program[4] == NULL);
	plan_ffs_wait_clear(&wait);
	free(text);
	plan_free(&plan);
	profile_free(p);
}

static void test_no_lun_left(void)
{
	static const char text[] = "[config 1]\n"
				   "functions = mass_storage.0\n"
				   "[function mass_storage.0]\n"
				   "lun.0.file = /plan-absent/a\n"
				   "lun.0.optional = yes\n"
				   "lun.0.removable = no\n";
	char *root = fake_configfs_new();
	struct plan_env env = { .board_id = BOARD, .root = root };
	struct diag_list diags;
	struct profile *p = load_text(text, &diags);
	struct plan plan;

	if (p) {
		CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), -ENOENT);
		CHECK_DIAGS(
			&diags,
			"t.ini:4: warning: lun.0 of mass_storage.0 skipped: "
			"/plan-absent/a does not exist",
			"t.ini:3: mass_storage.0 has no LUN left: every LUN "
			"is optional and its file is absent (a removable "
			"LUN would stay, with no medium)");
		CHECK_INT_EQ(plan.n_ops, 0);
		/* The daemon frees a failed plan again: that is safe. */
		plan_free(&plan);
	}
	profile_free(p);
	diag_clear(&diags);
	fake_configfs_free(root);
}

static const struct plan_step *find_step(const struct plan_steps *s,
					 const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->items[i].path, path) == 0)
			return &s->items[i];
	return NULL;
}

static void mac_text(const uint8_t m[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
}

static const char net_text[] = "[gadget]\n"
			       "serial = auto\n"
			       "[config 1]\n"
			       "functions = ecm.usb0 ncm.usb1\n"
			       "[function ecm.usb0]\n"
			       "dev_addr = auto\n"
			       "[function ncm.usb1]\n"
			       "dev_addr = 02:11:22:33:44:55\n"
			       "host_addr = auto\n";

/* No device tree, no machine-id: the kernel picks the MACs, there is no
 * serial, and warnings say why. */
static void test_no_board_id(void)
{
	char *root = fake_configfs_new();
	struct plan_env env = { .root = root };
	struct diag_list diags;
	struct profile *p = load_text(net_text, &diags);
	struct plan_steps steps;
	struct plan plan;

	if (!p)
		goto out;
	CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), 0);
	CHECK_DIAGS(
		&diags,
		"t.ini: warning: serial = auto left out: no board id "
		"(/proc/device-tree/serial-number, "
		"/sys/firmware/devicetree/base/serial-number or "
		"/etc/machine-id)",
		"t.ini:6: warning: dev_addr of ecm.usb0 left to the kernel, "
		"which picks a new one at every boot: no board id "
		"(/proc/device-tree/serial-number, "
		"/sys/firmware/devicetree/base/serial-number or "
		"/etc/machine-id)",
		"t.ini:5: warning: host_addr of ecm.usb0 left to the "
		"kernel, which picks a new one at every boot: no board id "
		"(/proc/device-tree/serial-number, "
		"/sys/firmware/devicetree/base/serial-number or "
		"/etc/machine-id)",
		"t.ini:9: warning: host_addr of ncm.usb1 left to the "
		"kernel, which picks a new one at every boot: no board id "
		"(/proc/device-tree/serial-number, "
		"/sys/firmware/devicetree/base/serial-number or "
		"/etc/machine-id)");
	CHECK(plan.serial == NULL);
	/* No strings at all: no strings op. */
	CHECK_INT_EQ(plan.ops[1].kind, PLAN_FUNCTION_CREATE);
	plan_op_steps(&plan, &plan.ops[1], &steps);
	CHECK(find_step(&steps, "functions/ecm.usb0/dev_addr") == NULL);
	CHECK(find_step(&steps, "functions/ecm.usb0/host_addr") == NULL);
	CHECK_STR_EQ(find_step(&steps, "functions/ecm.usb0/qmult")->value, "5");
	plan_steps_free(&steps);
	plan_op_steps(&plan, &plan.ops[2], &steps);
	/* An explicit address needs no board id. */
	CHECK_STR_EQ(find_step(&steps, "functions/ncm.usb1/dev_addr")->value,
		     "02:11:22:33:44:55");
	CHECK(find_step(&steps, "functions/ncm.usb1/host_addr") == NULL);
	plan_steps_free(&steps);
	plan_free(&plan);
out:
	profile_free(p);
	diag_clear(&diags);
	fake_configfs_free(root);
}

/* The kernel sets ro when cdrom is written and clears it again on a later
 * ro = 0 (Linux 6.1, msd-lun-attrs in the VM): a cdrom LUN gets ro = 1
 * whether or not the profile says ro. */
static void test_cdrom_read_only(void)
{
	static const char text[] = "[config 1]\n"
				   "functions = mass_storage.0\n"
				   "[function mass_storage.0]\n"
				   "lun.0.file = /dev/null\n"
				   "lun.0.cdrom = yes\n"
				   "lun.1.file = /dev/null\n"
				   "lun.1.cdrom = yes\n"
				   "lun.1.ro = no\n"
				   "lun.2.file = /dev/null\n";
	static const char *const want[] = { "1", "1", "0" };
	char *root = fake_configfs_new();
	struct plan_env env = { .board_id = BOARD, .root = root };
	struct diag_list diags;
	struct profile *p = load_text(text, &diags);
	struct plan plan;
	int found = 0;

	if (!p)
		goto out;
	CHECK_DIAGS(&diags, "t.ini:8: warning: lun.1.ro = no is ignored: a "
			    "cdrom LUN is read-only");
	diag_clear(&diags);
	CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), 0);
	for (size_t i = 0; i < plan.n_ops; i++) {
		struct plan_steps steps;

		plan_op_steps(&plan, &plan.ops[i], &steps);
		for (int lun = 0; lun < 3; lun++) {
			char path[64];
			const struct plan_step *st;

			snprintf(path, sizeof(path),
				 "functions/mass_storage.0/lun.%d/ro", lun);
			st = find_step(&steps, path);
			if (st) {
				CHECK_STR_EQ(st->value, want[lun]);
				found++;
			}
		}
		plan_steps_free(&steps);
	}
	CHECK_INT_EQ(found, 3);
	plan_free(&plan);
out:
	profile_free(p);
	diag_clear(&diags);
	fake_configfs_free(root);
}

/* strings/LANG for each language, max_speed among the gadget's
 * attributes; teardown removes every strings/LANG made. */
static void test_languages_speed(void)
{
	static const char text[] = "[gadget]\n"
				   "manufacturer = Example\n"
				   "product = Serial gadget\n"
				   "serial = auto\n"
				   "strings.0x407.manufacturer = Beispiel\n"
				   "strings.0x407.product = Serielles Geraet\n"
				   "strings.0x407.serial = auto\n"
				   "strings.0x40c.product = Appareil serie\n"
				   "max_speed = full-speed\n"
				   "[config 1]\n"
				   "name = Serial\n"
				   "name.0x407 = Seriell\n"
				   "functions = acm.GS0\n"
				   "[function acm.GS0]\n";

	check_golden(text, "strings-speed");
}

/* uvc: the descriptor tree derived from two formats, in the order the
 * kernel takes it; teardown unlinks before it removes. */
static void test_uvc(void)
{
	static const char text[] =
		"[gadget]\n"
		"product = Webcam\n"
		"[config 1]\n"
		"functions = uvc.cam\n"
		"[function uvc.cam]\n"
		"function_name = Board camera\n"
		"streaming_maxpacket = 3072\n"
		"format.1 = yuyv\n"
		"format.1.frames = 640x360@30,15 1280x720@10\n"
		"format.2 = mjpeg\n"
		"format.2.frames = 1920x1080@30,60\n";

	check_golden(text, "uvc");
}

/* The board id read below root: the values identity.c derives. */
static void test_board_id_from_root(void)
{
	char *root = fake_configfs_new();
	struct plan_env env = { .root = root };
	struct identity id;
	struct diag_list diags;
	struct profile *p;
	struct plan_steps steps;
	struct plan plan;
	uint8_t mac[6];
	char text[18];

	fake_write(root, "etc/machine-id", "0123456789abcdef0123456789abcdef");
	p = load_text(net_text, &diags);
	if (!p)
		goto out;
	CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), 0);
	CHECK_INT_EQ(diags.n, 0);
	CHECK_STR_EQ(plan.serial, "929336302974D93C");
	CHECK_INT_EQ(identity_read(root, &id), 0);

	plan_op_steps(&plan, &plan.ops[2], &steps); /* ecm.usb0 */
	identity_mac(&id, "ecm.usb0", "dev", mac);
	mac_text(mac, text);
	CHECK_STR_EQ(text, "72:7f:9c:47:32:58");
	CHECK_STR_EQ(find_step(&steps, "functions/ecm.usb0/dev_addr")->value,
		     text);
	identity_mac(&id, "ecm.usb0", "host", mac);
	mac_text(mac, text);
	CHECK_STR_EQ(find_step(&steps, "functions/ecm.usb0/host_addr")->value,
		     text);
	plan_steps_free(&steps);

	plan_op_steps(&plan, &plan.ops[3], &steps); /* ncm.usb1 */
	CHECK_STR_EQ(find_step(&steps, "functions/ncm.usb1/dev_addr")->value,
		     "02:11:22:33:44:55");
	identity_mac(&id, "ncm.usb1", "host", mac);
	mac_text(mac, text);
	CHECK_STR_EQ(find_step(&steps, "functions/ncm.usb1/host_addr")->value,
		     text);
	plan_steps_free(&steps);

	identity_free(&id);
	plan_free(&plan);
out:
	profile_free(p);
	diag_clear(&diags);
	fake_configfs_free(root);
}

/* What the profile leaves out is not written (the kernel's default stays),
 * except where libusbgx's typed structs write every field. */
static void test_defaults(void)
{
	static const char text[] = "[gadget]\n"
				   "language = 0x407\n"
				   "product = Gerät\n"
				   "[config 3]\n"
				   "functions = mass_storage.0 uac2.0\n"
				   "[function mass_storage.0]\n"
				   "lun.0.file = /img\n"
				   "[function uac2.0]\n"
				   "p_srate = 44100\n";
	struct plan_env env = { .board_id = BOARD };
	struct diag_list diags;
	struct profile *p = load_text(text, &diags);
	struct plan_steps steps;
	struct plan plan;

	if (!p)
		goto out;
	CHECK_INT_EQ(plan_build(p, &env, &plan, &diags), 0);

	plan_op_steps(&plan, &plan.ops[0], &steps);
	CHECK_INT_EQ(steps.n, 4); /* mkdir, idVendor, idProduct, bcdUSB */
	CHECK_STR_EQ(find_step(&steps, "idVendor")->value, "0x1d6b");
	CHECK_STR_EQ(find_step(&steps, "idProduct")->value, "0x104");
	CHECK_STR_EQ(find_step(&steps, "bcdUSB")->value, "0x200");
	plan_steps_free(&steps);

	plan_op_steps(&plan, &plan.ops[1], &steps);
	CHECK_STR_EQ(steps.items[0].path, "strings/0x407");
	CHECK_STR_EQ(find_step(&steps, "strings/0x407/product")->value,
		     "Gerät");
	plan_steps_free(&steps);

	/* Mass storage: no stall; the LUN's five, with the kernel's
	 * defaults (removable). */
	plan_op_steps(&plan, &plan.ops[2], &steps);
	CHECK_INT_EQ(steps.n, 1);
	plan_steps_free(&steps);
	plan_op_steps(&plan, &plan.ops[3], &steps);
	CHECK_INT_EQ(steps.n, 5);
	CHECK_STR_EQ(
		find_step(&steps, "functions/mass_storage.0/lun.0/removable")
			->value,
		"1");
	CHECK_STR_EQ(
		find_step(&steps, "functions/mass_storage.0/lun.0/file")->value,
		"/img");
	plan_steps_free(&steps);

	/* uac2: only what is set. */
	plan_op_steps(&plan, &plan.ops[4], &steps);
	CHECK_INT_EQ(steps.n, 2);
	CHECK_STR_EQ(find_step(&steps, "functions/uac2.0/p_srate")->value,
		     "44100");
	plan_steps_free(&steps);

	/* Config 3 without name or power: bmAttributes only. */
	plan_op_steps(&plan, &plan.ops[5], &steps);
	CHECK_INT_EQ(steps.n, 2);
	CHECK_STR_EQ(find_step(&steps, "configs/c.3/bmAttributes")->value,
		     "0x80");
	plan_steps_free(&steps);
	plan_free(&plan);
out:
	profile_free(p);
	diag_clear(&diags);
}

int main(void)
{
	test_languages_speed();
	test_uvc();
	test_shipped();
	test_composite();
	test_sh_quoting();
	test_no_lun_left();
	test_ffs_program();
	test_no_board_id();
	test_board_id_from_root();
	test_defaults();
	test_cdrom_read_only();
	return testlib_finish("test-plan");
}
