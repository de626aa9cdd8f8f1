/* SPDX-License-Identifier: MIT */
/*
 * endpoint_budget.c: what each function type claims, and whether a
 * configuration fits a UDC, with the exact message.  The numbers for
 * dummy_udc are the VM test bed's: 6 ECM functions bind on it, 7 do not
 * (the kernel's bind fails with ENODEV); tests/vm scenario
 * endpoint-budget shows both from the host's side.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint_budget.h"
#include "profile-testlib.h"
#include "testlib.h"
#include "util.h"

/* A profile with config 1 holding n functions of type (and an extra
 * config 2 with extra2, when not NULL). */
static struct profile *load(const char *type, int n, const char *extra2,
			    const char *body)
{
	struct diag_list diags;
	struct profile *p = NULL;
	char *text = xstrdup("[gadget]\nvendor_id = 0x1d6b\n"
			     "product_id = 0x0104\n[config 1]\nfunctions =");
	char *next;

	for (int i = 0; i < n; i++) {
		next = xasprintf("%s %s.f%d", text, type, i);
		free(text);
		text = next;
	}
	next = xasprintf("%s\n%s%s%s\n", text,
			 extra2 ? "[config 2]\nfunctions = " : "",
			 extra2 ? extra2 : "", body ? body : "");
	free(text);
	text = next;
	for (int i = 0; i < n; i++) {
		next = xasprintf("%s[function %s.f%d]\n", text, type, i);
		free(text);
		text = next;
	}
	if (extra2) {
		next = xasprintf("%s[function %s]\n", text, extra2);
		free(text);
		text = next;
	}
	diag_init(&diags);
	CHECK_INT_EQ(profile_load_ini_buffer("t.ini", text, strlen(text), &p,
					     &diags),
		     0);
	CHECK_INT_EQ(profile_validate(p, &diags), 0);
	CHECK_DIAGS(&diags, NULL);
	diag_clear(&diags);
	free(text);
	return p;
}

static void test_functions(void)
{
	struct profile *p = load("ecm", 1, NULL, NULL);
	struct endpoint_need n = endpoint_budget_function(&p->functions[0]);

	CHECK_INT_EQ(n.in.n[ENDPOINT_INT], 1);
	CHECK_INT_EQ(n.in.n[ENDPOINT_BULK], 1);
	CHECK_INT_EQ(n.out.n[ENDPOINT_BULK], 1);
	CHECK_INT_EQ(n.out.n[ENDPOINT_INT] + n.out.n[ENDPOINT_ISO] +
			     n.in.n[ENDPOINT_ISO],
		     0);
	profile_free(p);

	/* uac2 with the kernel's defaults: playback, capture with its
	 * feedback, the controls' interrupt endpoint. */
	p = load("uac2", 1, NULL, NULL);
	n = endpoint_budget_function(&p->functions[0]);
	CHECK_INT_EQ(n.in.n[ENDPOINT_ISO], 2);
	CHECK_INT_EQ(n.in.n[ENDPOINT_INT], 1);
	CHECK_INT_EQ(n.out.n[ENDPOINT_ISO], 1);
	profile_free(p);

	p = load("mass_storage", 1, NULL, NULL);
	n = endpoint_budget_function(&p->functions[0]);
	CHECK_INT_EQ(n.in.n[ENDPOINT_BULK], 1);
	CHECK_INT_EQ(n.out.n[ENDPOINT_BULK], 1);
	CHECK(!n.unknown);
	profile_free(p);
}

static void test_dummy_udc(void)
{
	struct diag_list diags;
	struct profile *p;

	diag_init(&diags);
	p = load("ecm", 6, NULL, NULL);
	CHECK_INT_EQ(endpoint_budget_check(p, "dummy_udc.0", &diags), 0);
	CHECK_DIAGS(&diags, NULL);
	profile_free(p);

	p = load("ecm", 7, NULL, NULL);
	CHECK_INT_EQ(endpoint_budget_check(p, "dummy_udc.0", &diags), -E2BIG);
	CHECK_DIAGS(&diags,
		    "t.ini:4: [config 1] needs 14 IN endpoints (7 bulk, 7 "
		    "interrupt), more than UDC dummy_udc.0 has: 12 (4 bulk, 3 "
		    "interrupt, 5 bulk or interrupt)");
	diag_clear(&diags);
	/* The same on a UDC with 15 of any kind. */
	CHECK_INT_EQ(endpoint_budget_check(p, "usbip-vudc.0", &diags), 0);
	CHECK_DIAGS(&diags, NULL);
	/* And on the DK2's 8. */
	CHECK_INT_EQ(endpoint_budget_check(p, "49000000.usb-otg", &diags),
		     -E2BIG);
	CHECK_DIAGS(&diags,
		    "t.ini:4: [config 1] needs 14 IN endpoints (7 bulk, 7 "
		    "interrupt), more than UDC 49000000.usb-otg has: 8 (8 of "
		    "any kind)");
	diag_clear(&diags);
	profile_free(p);

	/* No isochronous endpoint on dummy_udc: uac2 cannot bind there. */
	p = load("uac2", 1, NULL, NULL);
	CHECK_INT_EQ(endpoint_budget_check(p, "dummy_udc.0", &diags), -E2BIG);
	CHECK_DIAGS(&diags,
		    "t.ini:4: [config 1] needs 2 isochronous IN endpoints, and "
		    "UDC dummy_udc.0 has none that can be isochronous (its 12: "
		    "4 bulk, 3 interrupt, 5 bulk or interrupt)",
		    "t.ini:4: [config 1] needs 1 isochronous OUT endpoints, "
		    "and UDC dummy_udc.0 has none that can be isochronous (its "
		    "12: 4 bulk, 8 bulk or interrupt)");
	diag_clear(&diags);
	CHECK_INT_EQ(endpoint_budget_check(p, "usbip-vudc.0", &diags), 0);
	profile_free(p);

	/* Three uac2 functions on the DK2: their 6 isochronous IN fit its 8
	 * endpoints of any kind, the 9 IN in all do not. */
	p = load("uac2", 3, NULL, NULL);
	CHECK_INT_EQ(endpoint_budget_check(p, "49000000.usb-otg", &diags),
		     -E2BIG);
	CHECK_DIAGS(&diags,
		    "t.ini:4: [config 1] needs 9 IN endpoints (3 interrupt, 6 "
		    "isochronous), more than UDC 49000000.usb-otg has: 8 (8 of "
		    "any kind)");
	diag_clear(&diags);
	profile_free(p);

	/* Five: 10 isochronous IN, more than the 8 that can be. */
	p = load("uac2", 5, NULL, NULL);
	CHECK_INT_EQ(endpoint_budget_check(p, "49000000.usb-otg", &diags),
		     -E2BIG);
	CHECK_DIAGS(&diags,
		    "t.ini:4: [config 1] needs 10 isochronous IN endpoints, "
		    "and UDC 49000000.usb-otg has only 8 that can be "
		    "isochronous (its 8: 8 of any kind)");
	diag_clear(&diags);
	profile_free(p);
}

/* The kernel frees the endpoints between configurations. */
static void test_per_config(void)
{
	struct diag_list diags;
	struct profile *p = load("ecm", 6, "acm.x", NULL);

	diag_init(&diags);
	CHECK_INT_EQ(endpoint_budget_check(p, "dummy_udc.0", &diags), 0);
	CHECK_DIAGS(&diags, NULL);
	/* A UDC gadgetd has no table for: nothing checked. */
	CHECK_INT_EQ(endpoint_budget_check(p, "musb-hdrc.0", &diags), -ENOENT);
	CHECK_DIAGS(&diags, NULL);
	CHECK(endpoint_budget_knows("dummy_udc.3"));
	CHECK(!endpoint_budget_knows("musb-hdrc.0"));
	profile_free(p);
}

int main(void)
{
	test_functions();
	test_dummy_udc();
	test_per_config();
	return testlib_finish("test-endpoint-budget");
}
