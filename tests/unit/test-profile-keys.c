/* SPDX-License-Identifier: MIT */
/*
 * The key schema behind profile_begin_section() and profile_set_key():
 * one check per error class, with the exact message and line, and the
 * values that must be accepted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gadgetd/profile.h"
#include "profile-testlib.h"
#include "testlib.h"
#include "util.h"

#define VALID_TAIL "[config 1]\nfunctions = ecm.usb0\n[function ecm.usb0]\n"

/* Load text that must be refused with exactly the messages given. */
#define CHECK_REFUSED(text, ...)                                     \
	do {                                                         \
		struct diag_list d_;                                 \
		struct profile *p_ = profile_test_load((text), &d_); \
		CHECK(p_ == NULL);                                   \
		CHECK_DIAGS(&d_, __VA_ARGS__);                       \
		profile_free(p_);                                    \
		diag_clear(&d_);                                     \
	} while (0)

static struct profile *load_ok(const char *text)
{
	struct diag_list diags;
	struct profile *p = profile_test_load(text, &diags);

	CHECK(p != NULL);
	CHECK_INT_EQ(diags.n, 0);
	diag_print(&diags, stderr);
	diag_clear(&diags);
	return p;
}

static void test_section_names(void)
{
	CHECK_REFUSED(
		"[config 0]\n" VALID_TAIL,
		"t.ini:1: invalid section [config 0]: expected [config N] "
		"with N from 1 to 255");
	CHECK_REFUSED("[config 256]\n" VALID_TAIL,
		      "t.ini:1: invalid section [config 256]: expected [config "
		      "N] with N from 1 to 255");
	CHECK_REFUSED("[config]\n" VALID_TAIL,
		      "t.ini:1: invalid section [config ]: expected [config N] "
		      "with N from 1 to 255");
	CHECK_REFUSED(
		VALID_TAIL "[config 1]\n",
		"t.ini:4: duplicate section [config 1] (first on line 1)");
	CHECK_REFUSED(
		VALID_TAIL "[function foo.x]\n",
		"t.ini:4: unknown function type 'foo' in [function "
		"foo.x]: expected one of ecm, ncm, eem, geth, rndis, acm, "
		"gser, obex, mass_storage, hid, midi, Loopback, uac2, ffs, "
		"printer, SourceSink, uac1, uvc");
	CHECK_REFUSED(VALID_TAIL "[function ecm]\n",
		      "t.ini:4: invalid section [function ecm]: expected "
		      "[function TYPE.INSTANCE]");
	CHECK_REFUSED(VALID_TAIL "[function ecm.a/b]\n",
		      "t.ini:4: invalid function instance 'a/b' in [function "
		      "ecm.a/b]: use 1 to 32 letters, digits, '_' or '-'");
	CHECK_REFUSED(VALID_TAIL "[function ecm.]\n",
		      "t.ini:4: invalid function instance '' in [function "
		      "ecm.]: use 1 to 32 letters, digits, '_' or '-'");
	CHECK_REFUSED(VALID_TAIL "[os_desc]\n[os_desc]\n",
		      "t.ini:5: duplicate section [os_desc] (first on line 4)");
	CHECK_REFUSED("[profile]\n[profile]\n" VALID_TAIL,
		      "t.ini:2: duplicate section [profile] (first on line 1)");
	CHECK_REFUSED("[gadget x]\n" VALID_TAIL,
		      "t.ini:1: unknown section [gadget x]");
	/* Aliases name the same configfs function. */
	CHECK_REFUSED("[config 1]\nfunctions = geth.usb0\n"
		      "[function subset.usb0]\n[function geth.usb0]\n",
		      "t.ini:4: duplicate section [function geth.usb0] (first "
		      "on line 3)");
}

static void test_function_types(void)
{
	struct diag_list diags;
	struct profile *p = profile_test_load(
		"[config 1]\n"
		"functions = subset.a ecm_subset.b loopback.c Loopback.d "
		"ffs.e gser.f obex.g midi.h uac2.i eem.j ncm.k\n"
		"[function subset.a]\n[function ecm_subset.b]\n"
		"[function loopback.c]\n[function Loopback.d]\n"
		"[function ffs.e]\n[function gser.f]\n[function obex.g]\n"
		"[function midi.h]\n[function uac2.i]\n[function eem.j]\n"
		"[function ncm.k]\n",
		&diags);
	enum function_type t;

	/* Accepted, with what the kernel's f_obex does to the gadget. */
	CHECK(p != NULL);
	CHECK_DIAGS(
		&diags,
		"t.ini:9: warning: obex.g keeps the whole gadget off the "
		"bus: the kernel's f_obex waits for an OBEX server the host "
		"must enumerate first (with Linux 6.1 the host never sees "
		"this gadget)");
	diag_clear(&diags);
	if (p) {
		CHECK_INT_EQ(p->n_functions, 11);
		CHECK_STR_EQ(p->functions[0].name, "geth.a");
		CHECK_INT_EQ(p->functions[0].type, FUNCTION_SUBSET);
		CHECK_STR_EQ(p->functions[1].name, "geth.b");
		CHECK_STR_EQ(p->functions[2].name, "Loopback.c");
		CHECK_STR_EQ(p->functions[3].name, "Loopback.d");
		CHECK_STR_EQ(p->functions[3].instance, "d");
		CHECK_INT_EQ(p->configs[0].n_functions, 11);
		CHECK_INT_EQ(p->configs[0].functions[1], 1);
		CHECK(p->functions[10].used);
	}
	profile_free(p);

	CHECK_INT_EQ(function_type_from_name("ecm", &t), 0);
	CHECK_INT_EQ(t, FUNCTION_ECM);
	CHECK_INT_EQ(function_type_from_name("ECM", &t), -EINVAL);
	CHECK_STR_EQ(function_type_configfs_name(FUNCTION_LOOPBACK),
		     "Loopback");
	CHECK(function_type_is_network(FUNCTION_RNDIS));
	CHECK(!function_type_is_network(FUNCTION_ACM));
}

static void test_unknown_and_duplicate_keys(void)
{
	CHECK_REFUSED(VALID_TAIL "qmul = 5\n",
		      "t.ini:4: unknown key 'qmul' in [function ecm.usb0]");
	CHECK_REFUSED(VALID_TAIL "os_desc.compatible_id = RNDIS\n",
		      "t.ini:4: unknown key 'os_desc.compatible_id' in "
		      "[function ecm.usb0]");
	CHECK_REFUSED("[config 1]\nfunctions = acm.GS0\n[function acm.GS0]\n"
		      "port = 1\n",
		      "t.ini:4: unknown key 'port' in [function acm.GS0]: acm "
		      "has no keys");
	CHECK_REFUSED("[gadget]\nproduct = a\nproduct = b\n" VALID_TAIL,
		      "t.ini:3: duplicate key 'product' in [gadget] (first on "
		      "line 2)");
	CHECK_REFUSED(VALID_TAIL "link = auto\nlink = manual\n",
		      "t.ini:5: duplicate key 'link' in [function ecm.usb0] "
		      "(first on line 4)");
	/* A refused value still counts as set: the second line is a
	 * duplicate, not a second chance. */
	CHECK_REFUSED(
		"[config 1]\nmax_power = 900\nmax_power = 100\n"
		"functions = ecm.usb0\n[function ecm.usb0]\n",
		"t.ini:2: invalid value '900' for 'max_power': expected a "
		"number from 0 to 500",
		"t.ini:3: duplicate key 'max_power' in [config 1] (first "
		"on line 2)");
}

static void test_numbers(void)
{
	struct profile *p = load_ok("[gadget]\n"
				    "vendor_id = 0X1D6B\n"
				    "product_id = 260\n"
				    "device_version = 0100\n"
				    "device_class = 0xef\n"
				    "max_packet_size0 = 0x40\n"
				    "[config 7]\nmax_power = 0\n"
				    "functions = midi.m\n"
				    "[function midi.m]\nindex = -1\n"
				    "id = card\nin_ports = 16\n");

	if (p) {
		CHECK_INT_EQ(p->gadget.vendor_id.value, 0x1d6b);
		CHECK_INT_EQ(p->gadget.product_id.value, 260);
		/* no octal: a leading zero is decimal */
		CHECK_INT_EQ(p->gadget.device_version.value, 100);
		CHECK_INT_EQ(p->gadget.device_class.value, 0xef);
		CHECK_INT_EQ(p->gadget.max_packet_size0.value, 64);
		CHECK_INT_EQ(p->configs[0].id, 7);
		CHECK_INT_EQ(p->configs[0].max_power.line, 8);
		CHECK_INT_EQ(profile_function_value(&p->functions[0], "index")
				     ->number,
			     -1);
		CHECK_STR_EQ(
			profile_function_value(&p->functions[0], "id")->text,
			"card");
	}
	profile_free(p);

	CHECK_REFUSED("[gadget]\nvendor_id = 0x10000\n" VALID_TAIL,
		      "t.ini:2: invalid value '0x10000' for 'vendor_id': "
		      "expected a number from 0 to 0xffff");
	CHECK_REFUSED("[gadget]\ndevice_class = 256\n" VALID_TAIL,
		      "t.ini:2: invalid value '256' for 'device_class': "
		      "expected a number from 0 to 0xff");
	CHECK_REFUSED("[gadget]\nlanguage = en\n" VALID_TAIL,
		      "t.ini:2: invalid value 'en' for 'language': expected a "
		      "number from 0 to 0xffff");
	CHECK_REFUSED("[gadget]\nproduct_id =\n" VALID_TAIL,
		      "t.ini:2: invalid value '' for 'product_id': expected a "
		      "number from 0 to 0xffff");
	CHECK_REFUSED("[gadget]\nusb_version = -1\n" VALID_TAIL,
		      "t.ini:2: invalid value '-1' for 'usb_version': expected "
		      "a number from 0 to 0xffff");
	CHECK_REFUSED("[gadget]\nmax_packet_size0 = 12\n" VALID_TAIL,
		      "t.ini:2: invalid value '12' for 'max_packet_size0': "
		      "expected 8, 16, 32 or 64");
	CHECK_REFUSED(VALID_TAIL "qmult = 0\n",
		      "t.ini:4: invalid value '0' for 'qmult': expected a "
		      "number from 1 to 100");
	CHECK_REFUSED("[config 1]\nfunctions = ffs.x\n[function ffs.x]\n"
		      "ready_timeout = 601\n",
		      "t.ini:4: invalid value '601' for 'ready_timeout': "
		      "expected a number from 1 to 600");
	CHECK_REFUSED("[config 1]\nfunctions = uac2.x\n[function uac2.x]\n"
		      "c_ssize = 5\n",
		      "t.ini:4: invalid value '5' for 'c_ssize': expected a "
		      "number from 1 to 4");
	CHECK_REFUSED(
		"[config 1]\nfunctions = Loopback.x\n"
		"[function Loopback.x]\nqlen = 99999999999\n",
		"t.ini:4: invalid value '99999999999' for 'qlen': expected "
		"a number from 1 to 1024");
}

static void test_booleans(void)
{
	struct profile *p = load_ok("[config 1]\nself_powered = Yes\n"
				    "remote_wakeup = on\nfunctions = ecm.usb0\n"
				    "[function ecm.usb0]\ndhcp = 0\n"
				    "address = 10.0.0.1/8\n"
				    "[os_desc]\nuse = TRUE\n");

	if (p) {
		CHECK(p->configs[0].self_powered.value);
		CHECK(p->configs[0].remote_wakeup.value);
		CHECK(!p->functions[0].u.net.dhcp.value);
		CHECK_INT_EQ(p->functions[0].u.net.dhcp.line, 6);
		CHECK(p->os_desc.use.value);
	}
	profile_free(p);

	CHECK_REFUSED("[config 1]\nself_powered = maybe\nfunctions = ecm.usb0\n"
		      "[function ecm.usb0]\n",
		      "t.ini:2: invalid value 'maybe' for 'self_powered': "
		      "expected yes, no, true, false, on, off, 1 or 0");
}

static void test_strings(void)
{
	char long_product[128];
	char *text;

	memset(long_product, 'p', 127);
	long_product[127] = '\0';
	text = xasprintf("[gadget]\nproduct = %s\n" VALID_TAIL, long_product);
	CHECK_REFUSED(text, "t.ini:2: value of 'product' is too long: 127 "
			    "characters, at most 126");
	free(text);
	long_product[126] = '\0';
	text = xasprintf("[gadget]\nproduct = %s\n" VALID_TAIL, long_product);
	profile_free(load_ok(text));
	free(text);

	CHECK_REFUSED(
		VALID_TAIL "[os_desc]\nsignature = MSFT1000\n",
		"t.ini:5: value of 'signature' is too long: 8 characters, "
		"at most 7");
	CHECK_REFUSED(VALID_TAIL "[os_desc]\nsignature = MS T\n",
		      "t.ini:5: invalid value 'MS T' for 'signature': expected "
		      "printable ASCII characters without spaces");
	CHECK_REFUSED("[config 1]\nfunctions = rndis.usb0\n"
		      "[function rndis.usb0]\n"
		      "os_desc.compatible_id = RNDIS\n"
		      "os_desc.sub_compatible_id = 516200100\n",
		      "t.ini:5: value of 'os_desc.sub_compatible_id' is too "
		      "long: 9 characters, at most 8");
	CHECK_REFUSED("[config 1]\nfunctions = ffs.adb\n[function ffs.adb]\n"
		      "mountpoint = dev/usb-ffs/adb\n",
		      "t.ini:4: invalid value 'dev/usb-ffs/adb' for "
		      "'mountpoint': expected an absolute path");
	CHECK_REFUSED("[config 1]\nfunctions = midi.m\n[function midi.m]\n"
		      "id = a-very-long-card-id\n",
		      "t.ini:4: value of 'id' is too long: 19 characters, at "
		      "most 15");
}

static void test_mac_addresses(void)
{
	struct profile *p = load_ok(VALID_TAIL "dev_addr = 02:aB:cd:00:00:01\n"
					       "host_addr = auto\n");

	if (p) {
		const struct profile_net *net = &p->functions[0].u.net;

		CHECK(!net->dev_addr.is_auto);
		CHECK_INT_EQ(net->dev_addr.addr[1], 0xab);
		CHECK_INT_EQ(net->dev_addr.addr[5], 0x01);
		CHECK_INT_EQ(net->dev_addr.line, 4);
		CHECK(net->host_addr.is_auto);
		CHECK_INT_EQ(net->host_addr.line, 5);
		CHECK_INT_EQ(net->link, LINK_AUTO);
		CHECK_INT_EQ(net->ifupdown, IFUPDOWN_AUTO);
	}
	profile_free(p);

	CHECK_REFUSED(VALID_TAIL "dev_addr = 02:00:00:00:00\n",
		      "t.ini:4: invalid value '02:00:00:00:00' for 'dev_addr': "
		      "expected auto or a MAC address like 02:00:00:00:00:01");
	CHECK_REFUSED(VALID_TAIL "dev_addr = 02:00:00:00:00:01:\n",
		      "t.ini:4: invalid value '02:00:00:00:00:01:' for "
		      "'dev_addr': expected auto or a MAC address like "
		      "02:00:00:00:00:01");
	CHECK_REFUSED(VALID_TAIL "host_addr = 0g:00:00:00:00:01\n",
		      "t.ini:4: invalid value '0g:00:00:00:00:01' for "
		      "'host_addr': expected auto or a MAC address like "
		      "02:00:00:00:00:01");
	CHECK_REFUSED(VALID_TAIL "host_addr = 03:00:00:00:00:01\n",
		      "t.ini:4: invalid value '03:00:00:00:00:01' for "
		      "'host_addr': expected a unicast MAC address (first byte "
		      "even, not all zero)");
	CHECK_REFUSED(VALID_TAIL "host_addr = 00:00:00:00:00:00\n",
		      "t.ini:4: invalid value '00:00:00:00:00:00' for "
		      "'host_addr': expected a unicast MAC address (first byte "
		      "even, not all zero)");
}

static void test_ip_addresses(void)
{
	struct profile *p =
		load_ok(VALID_TAIL "address = 192.168.7.2/24  "
				   "fd00::2/64\tfe80::2/128\n"
				   "link = manual\nifupdown = no\n");

	if (p) {
		const struct profile_net *net = &p->functions[0].u.net;

		CHECK_INT_EQ(net->n_addresses, 3);
		CHECK_INT_EQ(net->addresses_line, 4);
		CHECK_INT_EQ(net->addresses[0].family, AF_INET);
		CHECK_INT_EQ(net->addresses[0].prefix_len, 24);
		CHECK_INT_EQ(net->addresses[0].addr[0], 192);
		CHECK_INT_EQ(net->addresses[0].addr[3], 2);
		CHECK_STR_EQ(net->addresses[0].text, "192.168.7.2/24");
		CHECK_INT_EQ(net->addresses[1].family, AF_INET6);
		CHECK_INT_EQ(net->addresses[1].prefix_len, 64);
		CHECK_INT_EQ(net->addresses[1].addr[0], 0xfd);
		CHECK_INT_EQ(net->addresses[2].prefix_len, 128);
		CHECK_INT_EQ(net->link, LINK_MANUAL);
		CHECK_INT_EQ(net->ifupdown, IFUPDOWN_NO);
	}
	profile_free(p);

	CHECK_REFUSED(VALID_TAIL "address = 192.168.7.300/24\n",
		      "t.ini:4: invalid address '192.168.7.300/24' in "
		      "'address': expected IPv4 or IPv6 address/prefix, e.g. "
		      "192.168.7.2/24");
	CHECK_REFUSED(VALID_TAIL "address = 192.168.7.2\n",
		      "t.ini:4: invalid address '192.168.7.2' in 'address': "
		      "expected IPv4 or IPv6 address/prefix, e.g. "
		      "192.168.7.2/24");
	CHECK_REFUSED(VALID_TAIL "address = 192.168.7.2/33\n",
		      "t.ini:4: invalid address '192.168.7.2/33' in 'address': "
		      "expected IPv4 or IPv6 address/prefix, e.g. "
		      "192.168.7.2/24");
	CHECK_REFUSED(VALID_TAIL "address = 10.0.0.1/8 10.0.0.2/8 10.0.0.3/8 "
				 "10.0.0.4/8 10.0.0.5/8\n",
		      "t.ini:4: too many addresses in 'address': at most 4");
	CHECK_REFUSED(VALID_TAIL "address =\n",
		      "t.ini:4: invalid value '' for 'address': expected IPv4 "
		      "or IPv6 address/prefix, e.g. 192.168.7.2/24");
	CHECK_REFUSED(
		VALID_TAIL "link = up\n",
		"t.ini:4: invalid value 'up' for 'link': expected auto or "
		"manual");
	CHECK_REFUSED(VALID_TAIL "ifupdown = yes\n",
		      "t.ini:4: invalid value 'yes' for 'ifupdown': expected "
		      "auto or no");
}

static void test_functions_list(void)
{
	struct diag_list diags;
	struct profile *p;
	char *list = xstrdup("");

	CHECK_REFUSED(
		"[config 1]\nfunctions = ecm.usb0 foo.x ecm ecm.usb0\n"
		"[function ecm.usb0]\n",
		"t.ini:2: unknown function type 'foo' in 'functions': "
		"expected one of ecm, ncm, eem, geth, rndis, acm, gser, "
		"obex, mass_storage, hid, midi, Loopback, uac2, ffs, printer, "
		"SourceSink, uac1, uvc",
		"t.ini:2: invalid function 'ecm' in 'functions': expected "
		"TYPE.INSTANCE",
		"t.ini:2: function 'ecm.usb0' listed twice in [config 1]");
	/* An alias and its configfs name are the same function. */
	CHECK_REFUSED("[config 1]\nfunctions = subset.x geth.x\n"
		      "[function geth.x]\n",
		      "t.ini:2: function 'geth.x' listed twice in [config 1]");

	/* One function past the cap, through the call the libconfig
	 * loader makes too. */
	for (int i = 0; i <= PROFILE_MAX_CONFIG_FUNCTIONS; i++) {
		char *next = xasprintf("%s acm.%d", list, i);

		free(list);
		list = next;
	}
	p = profile_new("t.cfg");
	diag_init(&diags);
	CHECK_INT_EQ(profile_begin_section(p, "config 1", 1, &diags), 0);
	CHECK_INT_EQ(profile_set_key(p, "functions", list, 2, &diags), -EINVAL);
	CHECK_DIAGS(&diags, "t.cfg:2: too many functions in [config 1]: at "
			    "most 16");
	CHECK_INT_EQ(p->configs[0].n_function_names, 16);
	profile_free(p);
	diag_clear(&diags);
	free(list);
}

static void test_luns(void)
{
	struct profile *p =
		load_ok("[config 1]\nfunctions = mass_storage.0\n"
			"[function mass_storage.0]\n"
			"stall = no\n"
			"lun.0.file = /dev/mmcblk0\n"
			"lun.0.ro = yes\n"
			"lun.1.file = /dev/nvme0n1\n"
			"lun.1.inquiry_string = 1234567890123456789012345678\n"
			"lun.1.optional = yes\n");

	if (p) {
		const struct profile_mass_storage *ms = &p->functions[0].u.ms;

		CHECK_INT_EQ(ms->n_luns, 2);
		CHECK(ms->luns[0].defined);
		CHECK_INT_EQ(ms->luns[0].line, 5);
		CHECK_STR_EQ(ms->luns[0].file.value, "/dev/mmcblk0");
		CHECK(ms->luns[0].ro.value);
		CHECK_INT_EQ(ms->luns[1].line, 7);
		CHECK(ms->luns[1].optional.value);
		CHECK(!ms->luns[2].defined);
		CHECK(!profile_function_value(&p->functions[0], "stall")
			       ->number);
		CHECK_INT_EQ(
			profile_function_value(&p->functions[0], "stall")->line,
			4);
	}
	profile_free(p);

#define MS_HEAD \
	"[config 1]\nfunctions = mass_storage.0\n[function mass_storage.0]\n"
	CHECK_REFUSED(MS_HEAD "lun.1.file = /a\n",
		      "t.ini:4: LUN keys out of order: 'lun.1.file' before any "
		      "key of LUN 0");
	CHECK_REFUSED(MS_HEAD "lun.0.file = /a\nlun.2.file = /b\n",
		      "t.ini:5: LUN keys out of order: 'lun.2.file' before any "
		      "key of LUN 1");
	CHECK_REFUSED(
		MS_HEAD "lun.0.file = /a\nlun.1.file = /b\nlun.0.ro = "
			"yes\n",
		"t.ini:6: LUN keys out of order: 'lun.0.ro' after keys of "
		"LUN 1");
	CHECK_REFUSED(MS_HEAD "lun.16.file = /a\n",
		      "t.ini:4: invalid LUN number in 'lun.16.file': expected "
		      "0 to 15");
	CHECK_REFUSED(MS_HEAD "lun.0.filename = /a\nlun.x.file = /b\nlun.0 = "
			      "c\n",
		      "t.ini:4: unknown key 'lun.0.filename' in [function "
		      "mass_storage.0]",
		      "t.ini:5: unknown key 'lun.x.file' in [function "
		      "mass_storage.0]",
		      "t.ini:6: unknown key 'lun.0' in [function "
		      "mass_storage.0]");
	CHECK_REFUSED(MS_HEAD "lun.0.file = /a\nlun.0.file = /b\n",
		      "t.ini:5: duplicate key 'lun.0.file' in [function "
		      "mass_storage.0] (first on line 4)");
	CHECK_REFUSED(
		MS_HEAD "lun.0.inquiry_string = "
			"12345678901234567890123456789\n",
		"t.ini:4: value of 'lun.0.inquiry_string' is too long: 29 "
		"characters, at most 28");
	CHECK_REFUSED(MS_HEAD "lun.0.cdrom = sometimes\n",
		      "t.ini:4: invalid value 'sometimes' for 'lun.0.cdrom': "
		      "expected yes, no, true, false, on, off, 1 or 0");
	/* attach = host-ready: a removable LUN with a file. */
	CHECK_REFUSED(MS_HEAD "lun.0.file = /a\nlun.0.attach = later\n"
			      "lun.0.attach_delay = 60001\n",
		      "t.ini:5: invalid value 'later' for 'lun.0.attach': "
		      "expected always or host-ready",
		      "t.ini:6: invalid value '60001' for "
		      "'lun.0.attach_delay': expected a number from 0 to "
		      "60000");
	CHECK_REFUSED(MS_HEAD "lun.0.file = /a\nlun.0.removable = no\n"
			      "lun.0.attach = host-ready\n"
			      "lun.1.removable = yes\nlun.1.attach = "
			      "host-ready\n",
		      "t.ini:6: lun.0.attach = host-ready needs a removable "
		      "LUN (lun.0.removable = no on line 5)",
		      "t.ini:8: lun.1.attach = host-ready needs lun.1.file: "
		      "there is no medium to attach");
	{
		struct diag_list d;
		struct profile *q = profile_test_load(
			MS_HEAD "lun.0.file = /a\nlun.0.attach_delay = 5\n"
				"lun.1.file = /b\nlun.1.attach = host-ready\n"
				"lun.1.attach_delay = 1500\n",
			&d);

		CHECK(q != NULL);
		CHECK_DIAGS(&d, "t.ini:5: warning: lun.0.attach_delay is "
				"ignored without lun.0.attach = host-ready");
		if (q) {
			const struct profile_lun *l =
				&q->functions[0].u.ms.luns[1];

			CHECK(l->attach_host_ready);
			CHECK_INT_EQ(l->attach_line, 7);
			CHECK_INT_EQ(l->attach_delay.value, 1500);
			CHECK(!q->functions[0].u.ms.luns[0].attach_host_ready);
		}
		profile_free(q);
		diag_clear(&d);
	}
#undef MS_HEAD
}

static void test_hid(void)
{
	struct diag_list diags;
	struct profile *p = load_ok("[config 1]\nfunctions = hid.0\n"
				    "[function hid.0]\nreport_length = 8\n"
				    "report_desc = 05 01 0906 a1\n");

	if (p) {
		const struct profile_hid *hid = &p->functions[0].u.hid;

		CHECK_INT_EQ(hid->report_desc_len, 5);
		CHECK_INT_EQ(hid->report_desc[0], 0x05);
		CHECK_INT_EQ(hid->report_desc[2], 0x09);
		CHECK_INT_EQ(hid->report_desc[3], 0x06);
		CHECK_INT_EQ(hid->report_desc[4], 0xa1);
		CHECK_INT_EQ(hid->report_desc_line, 5);
		CHECK(hid->report_desc_file == NULL);
	}
	profile_free(p);

#define HID_HEAD \
	"[config 1]\nfunctions = hid.0\n[function hid.0]\nreport_length = 8\n"
	CHECK_REFUSED(HID_HEAD "report_desc = 05 1\n",
		      "t.ini:5: invalid value for 'report_desc': expected "
		      "hexadecimal bytes, e.g. 05 01 09 06");
	CHECK_REFUSED(HID_HEAD "report_desc = 0x05\n",
		      "t.ini:5: invalid value for 'report_desc': expected "
		      "hexadecimal bytes, e.g. 05 01 09 06");
	CHECK_REFUSED(HID_HEAD "report_desc = 05\nreport_desc_file = x.desc\n",
		      "t.ini:6: 'report_desc_file' conflicts with the report "
		      "descriptor set on line 5: set either report_desc or "
		      "report_desc_file");
	CHECK_REFUSED(
		HID_HEAD "report_desc_file = no-such.desc\n",
		"t.ini:5: cannot read report_desc_file 'no-such.desc': No "
		"such file or directory");
	CHECK_REFUSED(
		HID_HEAD "report_desc_file = unit/fixtures/hid-empty.desc\n",
		"t.ini:5: report_desc_file 'unit/fixtures/hid-empty.desc' is "
		"empty");
	/* Read as a regular file only: /dev/zero was read up to the cap. */
	CHECK_REFUSED(HID_HEAD "report_desc_file = /dev/zero\n",
		      "t.ini:5: cannot read report_desc_file '/dev/zero': not "
		      "a regular file");
	CHECK_REFUSED(HID_HEAD "report_desc_file = /dev/null\n",
		      "t.ini:5: cannot read report_desc_file '/dev/null': not "
		      "a regular file");
	CHECK_REFUSED(HID_HEAD "report_length = 1025\nreport_desc = 05\n",
		      "t.ini:5: duplicate key 'report_length' in [function "
		      "hid.0] (first on line 4)");
#undef HID_HEAD

	/* Relative to the profile's directory, not the current one. */
	diag_init(&diags);
	p = NULL;
	CHECK_INT_EQ(profile_load("unit/fixtures/ini-hid.ini", &p, &diags), 0);
	diag_print(&diags, stderr);
	CHECK_INT_EQ(diags.n, 0);
	if (p) {
		const struct profile_hid *hid = &p->functions[0].u.hid;

		CHECK_INT_EQ(hid->report_desc_len, 23);
		CHECK_INT_EQ(hid->report_desc[0], 0x05);
		CHECK_INT_EQ(hid->report_desc[22], 0xc0);
		CHECK_STR_EQ(hid->report_desc_file, "ini-hid-keyboard.desc");
		CHECK_INT_EQ(hid->report_desc_line, 9);
		CHECK_INT_EQ(
			profile_function_value(&p->functions[0], "protocol")
				->number,
			1);
	}
	profile_free(p);
	diag_clear(&diags);
}

static void append(char **text, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void append(char **text, const char *fmt, ...)
{
	va_list ap;
	char *more, *both;

	va_start(ap, fmt);
	more = xvasprintf(fmt, ap);
	va_end(ap);
	both = xasprintf("%s%s", *text ? *text : "", more);
	free(more);
	free(*text);
	*text = both;
}

/*
 * A profile at every cap loads; the first section past one is reported at
 * its line, once, and nothing after it is looked at (SPEC 7.1: 50,000
 * section headers took seconds to refuse).
 */
static void test_caps(void)
{
	struct diag_list diags;
	struct profile *p;
	char *full = NULL, *text = NULL;
	int line;

	/* 3 + 8 + 16 * 8 = 139 sections: every config lists 16 functions
	 * of its own. */
	append(&full, "[profile]\n[gadget]\n[os_desc]\n");
	line = 4;
	for (int c = 1; c <= PROFILE_MAX_CONFIGS; c++) {
		append(&full, "[config %d]\nfunctions =", c);
		for (int f = 0; f < PROFILE_MAX_CONFIG_FUNCTIONS; f++)
			append(&full, " acm.%d", (c - 1) * 16 + f);
		append(&full, "\n");
		line += 2;
	}
	for (int f = 0; f < PROFILE_MAX_FUNCTIONS; f++) {
		append(&full, "[function acm.%d]\n", f);
		line++;
	}
	p = load_ok(full);
	if (p) {
		CHECK_INT_EQ(p->n_configs, 8);
		CHECK_INT_EQ(p->n_functions, 128);
	}
	profile_free(p);

	/* One more section of any kind, and nothing after it counts. */
	append(&text, "%s[nonsense]\n[config 1]\n[profile]\nfoo = 1\n", full);
	p = profile_test_load(text, &diags);
	CHECK(p == NULL);
	{
		char *want = xasprintf("t.ini:%d: too many sections: at most "
				       "139; later sections are ignored",
				       line);

		CHECK_DIAGS(&diags, want);
		free(want);
	}
	diag_clear(&diags);
	free(text);
	free(full);

	text = NULL;
	for (int c = 1; c <= 9; c++)
		append(&text, "[config %d]\nfunctions = acm.0\n", c);
	append(&text, "[config 10]\n[config 1]\n[function acm.0]\n");
	CHECK_REFUSED(text, "t.ini:17: too many configurations: at most 8 "
			    "[config N] sections; later sections are ignored");
	free(text);

	/* 50,000 functions: one message, at the 129th. */
	text = xstrdup("[config 1]\nfunctions = acm.0\n");
	{
		size_t len = strlen(text), size = len + 50000 * 24;
		char *big = xmalloc(size);

		memcpy(big, text, len);
		for (int f = 0; f < 50000; f++)
			len += (size_t)snprintf(big + len, size - len,
						"[function acm.%d]\n", f);
		CHECK_REFUSED(big, "t.ini:131: too many functions: at most 128 "
				   "[function] sections; later sections are "
				   "ignored");
		free(big);
	}
	free(text);

	/* The last LUN there can be. */
	text = xstrdup("[config 1]\nfunctions = mass_storage.0\n"
		       "[function mass_storage.0]\n");
	for (int i = 0; i < PROFILE_MAX_LUNS; i++)
		append(&text, "lun.%d.file = /dev/sd%c\n", i, 'a' + i);
	p = load_ok(text);
	if (p)
		CHECK_INT_EQ(p->functions[0].u.ms.n_luns, 16);
	profile_free(p);
	free(text);
}

/*
 * Control characters in a value or a section name are refused before
 * anything quotes them (SPEC 7.1); a tab still separates list items.
 */
static void test_control_characters(void)
{
	struct profile *p;

	CHECK_REFUSED("[gadget]\nproduct = a\x1b[31mb\n" VALID_TAIL,
		      "t.ini:2: value of 'product' contains a control "
		      "character (0x1b)");
	CHECK_REFUSED("[gadget]\nmanufacturer = a\rb\nserial = x\x7f\n"
		      "product = a\tb\n" VALID_TAIL,
		      "t.ini:2: value of 'manufacturer' contains a control "
		      "character (0x0d)",
		      "t.ini:3: value of 'serial' contains a control "
		      "character (0x7f)",
		      "t.ini:4: value of 'product' contains a control "
		      "character (0x09)");
	CHECK_REFUSED("[profile]\ndescription = \x01\n" VALID_TAIL,
		      "t.ini:2: value of 'description' contains a control "
		      "character (0x01)");
	CHECK_REFUSED("[config 1]\nfunctions = mass_storage.0\n"
		      "[function mass_storage.0]\nlun.0.file = /dev/sd\x02\n"
		      "lun.0.inquiry_string = a\x1b\n",
		      "t.ini:4: value of 'lun.0.file' contains a control "
		      "character (0x02)",
		      "t.ini:5: value of 'lun.0.inquiry_string' contains a "
		      "control character (0x1b)");
	CHECK_REFUSED(VALID_TAIL "[function acm.\x1b]\n",
		      "t.ini:4: section name contains a control character "
		      "(0x1b)");
	CHECK_REFUSED("[config 1]\nfunctions = hid.0\n[function hid.0]\n"
		      "report_length = 8\nreport_desc_file = a\x1b.desc\n",
		      "t.ini:5: value of 'report_desc_file' contains a "
		      "control character (0x1b)");

	p = load_ok("[config 1]\nfunctions = ecm.usb0\tacm.GS0\n"
		    "[function ecm.usb0]\naddress = 10.0.0.1/24\tfe80::1/64\n"
		    "[function acm.GS0]\n");
	if (p) {
		CHECK_INT_EQ(p->configs[0].n_function_names, 2);
		CHECK_INT_EQ(p->functions[0].u.net.n_addresses, 2);
	}
	profile_free(p);
}

/* The libconfig loader calls the same two functions directly. */
static void test_direct_calls(void)
{
	struct diag_list diags;
	struct profile *p = profile_new("dir/x.cfg");

	diag_init(&diags);
	CHECK_STR_EQ(p->name, "x");
	CHECK_INT_EQ(profile_set_key(p, "product", "x", 3, &diags), -EINVAL);
	CHECK_INT_EQ(profile_begin_section(p, "  gadget ", 4, &diags), 0);
	CHECK_INT_EQ(profile_set_key(p, "product", "x", 5, &diags), 0);
	CHECK_INT_EQ(profile_set_key(p, "product", "y", 6, &diags), -EEXIST);
	CHECK_INT_EQ(profile_begin_section(p, "function  ecm.usb0", 7, &diags),
		     0);
	CHECK_INT_EQ(profile_set_key(p, "qmult", "7", 8, &diags), 0);
	CHECK_INT_EQ(profile_begin_section(p, "nope", 9, &diags), -EINVAL);
	/* keys of a refused section are dropped without a message */
	CHECK_INT_EQ(profile_set_key(p, "qmult", "7", 10, &diags), -EINVAL);
	CHECK_DIAGS(&diags, "dir/x.cfg:3: key 'product' outside of any section",
		    "dir/x.cfg:6: duplicate key 'product' in [gadget] (first "
		    "on line 5)",
		    "dir/x.cfg:9: unknown section [nope]");
	CHECK_STR_EQ(p->gadget.product.value, "x");
	CHECK_INT_EQ(profile_function_value(&p->functions[0], "qmult")->number,
		     7);
	profile_free(p);
	diag_clear(&diags);
}

#define FUNCTION_TAIL "functions = ecm.usb0\n[function ecm.usb0]\n"

/* strings.LANG.* and name.LANG: the plain keys' checks, and the
 * language id's. */
static void test_languages(void)
{
	char long_product[128];
	struct profile *p;
	char *text;
	int lang;

	p = load_ok("[gadget]\nproduct = P\nstrings.0x407.product = Q\n"
		    "strings.0x0407.manufacturer = M\n"
		    "strings.0x40c.serial = auto\nmax_speed = full-speed\n"
		    "[config 1]\nname = C\nname.0x407 = D\n" FUNCTION_TAIL);
	if (p) {
		CHECK_INT_EQ(p->gadget.n_strings, 2);
		CHECK_INT_EQ(p->gadget.strings[0].language, 0x407);
		CHECK_INT_EQ(p->gadget.strings[0].line, 3);
		CHECK_STR_EQ(p->gadget.strings[0].product.value, "Q");
		CHECK_STR_EQ(p->gadget.strings[0].manufacturer.value, "M");
		CHECK_INT_EQ(p->gadget.strings[1].language, 0x40c);
		CHECK_STR_EQ(p->gadget.max_speed.value, "full-speed");
		CHECK_INT_EQ(p->configs[0].n_names, 1);
		CHECK_INT_EQ(p->configs[0].names[0].language, 0x407);
		CHECK_STR_EQ(p->configs[0].names[0].name.value, "D");
	}
	profile_free(p);

	CHECK_REFUSED("[gadget]\nstrings.0x407.product = a\n"
		      "strings.0x0407.product = b\n" VALID_TAIL,
		      "t.ini:3: duplicate key 'strings.0x407.product' in "
		      "[gadget] (first on line 2)");
	CHECK_REFUSED(
		"[config 1]\nname.0x407 = a\nname.0x407 = b\n" FUNCTION_TAIL,
		"t.ini:3: duplicate key 'name.0x407' in [config 1] "
		"(first on line 2)");
	CHECK_REFUSED("[gadget]\nstrings.407.product = a\n" VALID_TAIL,
		      "t.ini:2: invalid language '407' in "
		      "'strings.407.product': expected a USB language id from "
		      "0x1 to 0xffff, e.g. 0x407");
	CHECK_REFUSED("[gadget]\nstrings.0x10000.product = a\n" VALID_TAIL,
		      "t.ini:2: invalid language '0x10000' in "
		      "'strings.0x10000.product': expected a USB language id "
		      "from 0x1 to 0xffff, e.g. 0x407");
	CHECK_REFUSED("[config 1]\nname.0x0 = a\n" FUNCTION_TAIL,
		      "t.ini:2: invalid language '0x0' in 'name.0x0': "
		      "expected a USB language id from 0x1 to 0xffff, e.g. "
		      "0x407");
	CHECK_REFUSED("[gadget]\nstrings.0x407.produkt = a\n" VALID_TAIL,
		      "t.ini:2: unknown key 'strings.0x407.produkt' in "
		      "[gadget]");
	CHECK_REFUSED("[gadget]\nstrings.0x407.product = a\tb\n" VALID_TAIL,
		      "t.ini:2: value of 'strings.0x407.product' contains a "
		      "control character (0x09)");
	memset(long_product, 'p', 127);
	long_product[127] = '\0';
	text = xasprintf("[gadget]\nstrings.0x407.product = %s\n" VALID_TAIL,
			 long_product);
	CHECK_REFUSED(text, "t.ini:2: value of 'strings.0x407.product' is too "
			    "long: 127 characters, at most 126");
	free(text);
	text = xasprintf("[config 1]\nname.0x407 = %s\n" FUNCTION_TAIL,
			 long_product);
	CHECK_REFUSED(text, "t.ini:2: value of 'name.0x407' is too long: 127 "
			    "characters, at most 126");
	free(text);
	/* The plain keys' language is theirs. */
	CHECK_REFUSED(
		"[gadget]\nproduct = a\nstrings.0x409.product = b\n" VALID_TAIL,
		"t.ini:3: strings.0x409.* are in the language of the "
		"plain keys (language = 0x409): use manufacturer, "
		"product and serial");
	CHECK_REFUSED("[gadget]\nlanguage = 0x407\n[config 1]\n"
		      "name.0x407 = b\n" FUNCTION_TAIL,
		      "t.ini:4: name.0x407 is in the language of the plain "
		      "keys (language = 0x407): use name");
	/* The cap: eight languages besides the plain keys'. */
	text = xstrdup("[gadget]\n");
	for (lang = 1; lang <= PROFILE_MAX_LANGUAGES + 1; lang++) {
		char *more = xasprintf("%sstrings.0x%x.product = p\n", text,
				       0x400 + lang);

		free(text);
		text = more;
	}
	{
		char *full = xasprintf("%s" VALID_TAIL, text);

		CHECK_REFUSED(full,
			      "t.ini:10: 'strings.0x409.product': too many "
			      "string languages in [gadget], at most 8 "
			      "besides the plain keys'");
		free(full);
	}
	free(text);
	CHECK_REFUSED("[gadget]\nmax_speed = wireless\n" VALID_TAIL,
		      "t.ini:2: invalid value 'wireless' for 'max_speed': "
		      "expected low-speed, full-speed, high-speed, "
		      "super-speed or super-speed-plus");
}

int main(void)
{
	test_section_names();
	test_languages();
	test_function_types();
	test_unknown_and_duplicate_keys();
	test_numbers();
	test_booleans();
	test_strings();
	test_mac_addresses();
	test_ip_addresses();
	test_functions_list();
	test_luns();
	test_hid();
	test_direct_calls();
	test_caps();
	test_control_characters();
	return testlib_finish("test-profile-keys");
}
