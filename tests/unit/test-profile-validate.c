/* SPDX-License-Identifier: MIT */
/*
 * Whole-profile checks (profile_validate) and the shipped profiles: every
 * one loads with no error and no warning, and says what README.md says of it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gadgetd/profile.h"
#include "profile-testlib.h"
#include "testlib.h"
#include "util.h"

#define CHECK_REFUSED(text, ...)                                     \
	do {                                                         \
		struct diag_list d_;                                 \
		struct profile *p_ = profile_test_load((text), &d_); \
		CHECK(p_ == NULL);                                   \
		CHECK_DIAGS(&d_, __VA_ARGS__);                       \
		profile_free(p_);                                    \
		diag_clear(&d_);                                     \
	} while (0)

/* Valid, with exactly these warnings. */
#define CHECK_WARNS(text, ...)                                       \
	do {                                                         \
		struct diag_list d_;                                 \
		struct profile *p_ = profile_test_load((text), &d_); \
		CHECK(p_ != NULL);                                   \
		CHECK_DIAGS(&d_, __VA_ARGS__);                       \
		profile_free(p_);                                    \
		diag_clear(&d_);                                     \
	} while (0)

static void test_configs(void)
{
	CHECK_REFUSED("[gadget]\nvendor_id = 1\n",
		      "t.ini: no [config N] section: a gadget needs at least "
		      "one configuration");
	CHECK_REFUSED("[config 1]\nname = x\n",
		      "t.ini:1: [config 1] has no functions");
	CHECK_REFUSED("[config 1]\nfunctions =\n",
		      "t.ini:2: [config 1] has no functions");
	/* Already reported: not a second message on the same line. */
	CHECK_REFUSED("[config 1]\nfunctions = bogus\n",
		      "t.ini:2: invalid function 'bogus' in 'functions': "
		      "expected TYPE.INSTANCE");
	CHECK_REFUSED("[config 1]\nfunctions = ecm.usb0 acm.GS0\n"
		      "[config 2]\nfunctions = ncm.usb0\n"
		      "[function ecm.usb0]\n",
		      "t.ini:2: undefined function 'acm.GS0' in [config 1]",
		      "t.ini:4: undefined function 'ncm.usb0' in [config 2]");
	CHECK_WARNS("[config 1]\nfunctions = ecm.usb0\n[function ecm.usb0]\n"
		    "[function acm.GS0]\n[function subset.x]\n",
		    "t.ini:4: warning: function 'acm.GS0' is not used by any "
		    "config",
		    "t.ini:5: warning: function 'geth.x' is not used by any "
		    "config");
}

static void test_resolution_and_order(void)
{
	struct diag_list diags;
	struct profile *p =
		profile_test_load("[function acm.GS0]\n"
				  "[config 3]\nfunctions = ecm.usb0 acm.GS0\n"
				  "[config 1]\nfunctions = acm.GS0\n"
				  "[function ecm.usb0]\n",
				  &diags);

	CHECK(p != NULL);
	CHECK_INT_EQ(diags.n, 0);
	if (p) {
		CHECK_INT_EQ(p->n_configs, 2);
		CHECK_INT_EQ(p->configs[0].id, 1);
		CHECK_INT_EQ(p->configs[0].line, 4);
		CHECK_INT_EQ(p->configs[0].n_functions, 1);
		CHECK_INT_EQ(p->configs[0].functions[0], 0);
		CHECK_INT_EQ(p->configs[1].id, 3);
		CHECK_INT_EQ(p->configs[1].functions_line, 3);
		CHECK_INT_EQ(p->configs[1].n_functions, 2);
		CHECK_INT_EQ(p->configs[1].functions[0], 1);
		CHECK_INT_EQ(p->configs[1].functions[1], 0);
		CHECK(p->functions[0].used && p->functions[1].used);
	}
	profile_free(p);
	diag_clear(&diags);
}

static void test_os_desc(void)
{
	CHECK_REFUSED("[config 1]\nfunctions = rndis.usb0\n"
		      "[function rndis.usb0]\n[os_desc]\nuse = yes\n"
		      "config = 2\n",
		      "t.ini:6: [os_desc] links [config 2], which is not "
		      "defined");
	CHECK_REFUSED(
		"[config 1]\nfunctions = ecm.usb0\n"
		"[config 2]\nfunctions = rndis.usb0\n"
		"[function ecm.usb0]\n[function rndis.usb0]\n"
		"[os_desc]\nuse = yes\n",
		"t.ini:4: 'rndis.usb0' is in [config 2] but [os_desc] "
		"links [config 1]: Windows reads OS descriptors from that "
		"config only");
	/* use = no: nothing to get wrong */
	CHECK_WARNS("[config 1]\nfunctions = ecm.usb0\n"
		    "[config 2]\nfunctions = rndis.usb0\n"
		    "[function ecm.usb0]\n[function rndis.usb0]\n"
		    "[os_desc]\nuse = no\n",
		    NULL);
	CHECK_WARNS("[config 1]\nfunctions = acm.GS0 rndis.usb0\n"
		    "[function acm.GS0]\n[function rndis.usb0]\n",
		    "t.ini:2: warning: 'rndis.usb0' is not the first function "
		    "of [config 1]: Windows expects RNDIS first");
}

static void test_functions(void)
{
	CHECK_REFUSED("[config 1]\nfunctions = hid.0\n[function hid.0]\n",
		      "t.ini:3: [function hid.0] has no report descriptor: set "
		      "report_desc or report_desc_file",
		      "t.ini:3: [function hid.0] needs report_length");
	/* A refused descriptor was reported where it was written. */
	CHECK_REFUSED("[config 1]\nfunctions = hid.0\n[function hid.0]\n"
		      "report_length = 8\nreport_desc = zz\n",
		      "t.ini:5: invalid value for 'report_desc': expected "
		      "hexadecimal bytes, e.g. 05 01 09 06");
	CHECK_REFUSED("[config 1]\nfunctions = ecm.usb0\n[function ecm.usb0]\n"
		      "address = fd00::1/64\ndhcp = yes\n",
		      "t.ini:5: 'dhcp' needs an IPv4 'address' in [function "
		      "ecm.usb0] to serve leases from");
	CHECK_REFUSED("[config 1]\nfunctions = ecm.usb0\n[function ecm.usb0]\n"
		      "dev_addr = 02:00:00:00:00:01\n"
		      "host_addr = 02:00:00:00:00:01\n",
		      "t.ini:5: host_addr is the same as dev_addr in [function "
		      "ecm.usb0]");
}

static void test_merge_defaults(void)
{
	struct diag_list diags;
	struct profile_gadget defaults;
	struct profile *p = profile_test_load(
		"[gadget]\nvendor_id = 0x1234\nproduct = Own\n"
		"[config 1]\nfunctions = acm.GS0\n[function acm.GS0]\n",
		&diags);

	memset(&defaults, 0, sizeof(defaults));
	defaults.vendor_id.value = 0x1d6b;
	defaults.vendor_id.line = 7;
	defaults.product_id.value = 0x0104;
	defaults.product_id.line = 8;
	defaults.product.value = "Default";
	defaults.product.line = 9;
	defaults.serial.value = "auto";
	defaults.serial.line = 10;

	CHECK(p != NULL);
	if (p) {
		profile_merge_gadget_defaults(p, &defaults);
		/* the profile's own keys win */
		CHECK_INT_EQ(p->gadget.vendor_id.value, 0x1234);
		CHECK_INT_EQ(p->gadget.vendor_id.line, 2);
		CHECK_STR_EQ(p->gadget.product.value, "Own");
		CHECK_INT_EQ(p->gadget.product_id.value, 0x0104);
		CHECK_INT_EQ(p->gadget.product_id.line, 8);
		CHECK_STR_EQ(p->gadget.serial.value, "auto");
		CHECK(p->gadget.serial.value != defaults.serial.value);
		/* unset in both: stays unset */
		CHECK_INT_EQ(p->gadget.language.line, 0);
		CHECK(p->gadget.manufacturer.value == NULL);
	}
	profile_free(p);
	diag_clear(&diags);
}

static struct profile *load_shipped(const char *name)
{
	struct diag_list diags;
	struct profile *p = NULL;
	char *path = xasprintf("../profiles/%s.ini", name);

	diag_init(&diags);
	CHECK_INT_EQ(profile_load(path, &p, &diags), 0);
	diag_print(&diags, stderr);
	/* shipped profiles: not even a warning */
	CHECK_INT_EQ(diags.n, 0);
	diag_clear(&diags);
	free(path);
	if (p) {
		CHECK_INT_EQ(p->gadget.vendor_id.value, 0x1d6b);
		CHECK_INT_EQ(p->gadget.product_id.value, 0x0104);
		CHECK(p->description.value && *p->description.value);
	}
	return p;
}

static void check_address(const struct profile_function *f)
{
	const struct profile_net *net = &f->u.net;

	CHECK(function_type_is_network(f->type));
	CHECK_INT_EQ(net->n_addresses, 1);
	CHECK_STR_EQ(net->addresses[0].text, "192.168.7.2/24");
	CHECK_INT_EQ(net->link, LINK_AUTO);
}

static void test_shipped_profiles(void)
{
	static const char *const simple[][2] = {
		{ "ecm-only", "ecm.usb0" },
		{ "ncm", "ncm.usb0" },
	};
	struct profile *p;

	for (size_t i = 0; i < ARRAY_SIZE(simple); i++) {
		p = load_shipped(simple[i][0]);
		if (!p)
			continue;
		CHECK_INT_EQ(p->n_configs, 1);
		CHECK_INT_EQ(p->n_functions, 1);
		CHECK_STR_EQ(p->functions[0].name, simple[i][1]);
		check_address(&p->functions[0]);
		profile_free(p);
	}

	p = load_shipped("acm+ecm");
	if (p) {
		CHECK_INT_EQ(p->configs[0].n_functions, 2);
		CHECK_STR_EQ(p->functions[0].name, "acm.GS0");
		check_address(&p->functions[1]);
	}
	profile_free(p);

	p = load_shipped("ecm+msd");
	if (p) {
		const struct profile_mass_storage *ms = &p->functions[1].u.ms;

		check_address(&p->functions[0]);
		CHECK_INT_EQ(p->functions[1].type, FUNCTION_MASS_STORAGE);
		CHECK_INT_EQ(ms->n_luns, 1);
		CHECK(ms->luns[0].removable.value);
		CHECK(ms->luns[0].optional.value);
	}
	profile_free(p);

	p = load_shipped("rndis-legacy");
	if (p) {
		const struct profile_function *rndis;

		CHECK_INT_EQ(p->n_configs, 2);
		rndis = &p->functions[p->configs[0].functions[0]];
		CHECK_INT_EQ(rndis->type, FUNCTION_RNDIS);
		CHECK_STR_EQ(rndis->u.net.os_desc_compatible_id.value, "RNDIS");
		CHECK_STR_EQ(rndis->u.net.os_desc_sub_compatible_id.value,
			     "5162001");
		check_address(rndis);
		CHECK_INT_EQ(p->functions[p->configs[1].functions[0]].type,
			     FUNCTION_ECM);
		CHECK(p->os_desc.use.value);
		CHECK_INT_EQ(p->os_desc.config.value, 1);
		CHECK_INT_EQ(p->os_desc.vendor_code.value, 0xcd);
		CHECK_STR_EQ(p->os_desc.signature.value, "MSFT100");
	}
	profile_free(p);

	p = load_shipped("msd");
	if (p) {
		const struct profile_mass_storage *ms = &p->functions[0].u.ms;

		CHECK_INT_EQ(ms->n_luns, 2);
		CHECK_STR_EQ(ms->luns[0].file.value, "/dev/mmcblk0");
		CHECK(!ms->luns[0].optional.value);
		CHECK_STR_EQ(ms->luns[1].file.value, "/dev/nvme0n1");
		CHECK(ms->luns[1].optional.value);
	}
	profile_free(p);
}

int main(void)
{
	test_configs();
	test_resolution_and_order();
	test_os_desc();
	test_functions();
	test_merge_defaults();
	test_shipped_profiles();
	return testlib_finish("test-profile-validate");
}
