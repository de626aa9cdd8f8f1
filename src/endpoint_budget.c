/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "endpoint_budget.h"
#include "util.h"

/*
 * A UDC's endpoints besides ep0, in one direction: some take one kind
 * only, some bulk or interrupt, some any kind (isochronous too).
 */
struct udc_direction {
	unsigned int bulk, intr, bulk_or_int, any;
};

struct udc_endpoints {
	const char *prefix; /* of the UDC's name */
	struct udc_direction in, out;
};

/*
 * Where each row comes from (Debian's linux-source-6.1):
 *  - dummy_udc: drivers/usb/gadget/udc/dummy_hcd.c, ep_info[]: fixed
 *    ep1in/ep6in/ep11in/ep2in-bulk, ep5in/ep10in/ep15in-int,
 *    ep2out/ep7out/ep12out/ep1out-bulk, and generic bulk-or-int ep-a..m
 *    (5 in, 8 out); its iso endpoints are commented out.
 *  - usbip-vudc: drivers/usb/usbip/vudc_dev.c, VIRTUAL_ENDPOINTS: 15 in
 *    and 15 out of any kind.
 *  - STM32MP15 OTG HS (49000000.usb-otg, the DK2's): dwc2 gives an IN
 *    endpoint a TX FIFO of its own, and arch/arm/boot/dts/stm32mp151.dtsi
 *    lists 8 (g-tx-fifo-size); OUT endpoints are taken as many (dwc2
 *    endpoints are bidirectional; the kernel log's "EPs: N" on the board
 *    says how many the core has, ep0 included).
 *  - BCM283x/BCM2711 dwc2 (20980000, 3f980000, fe980000.usb: Pi Zero,
 *    CM3+, CM4): arch/arm/boot/dts/bcm283x-rpi-usb-otg.dtsi lists 7 TX
 *    FIFOs; OUT likewise.
 */
static const struct udc_endpoints udc_table[] = {
	{ "dummy_udc.", { 4, 3, 5, 0 }, { 4, 0, 8, 0 } },
	{ "usbip-vudc.", { 0, 0, 0, 15 }, { 0, 0, 0, 15 } },
	{ "49000000.usb-otg", { 0, 0, 0, 8 }, { 0, 0, 0, 8 } },
	{ "20980000.usb", { 0, 0, 0, 7 }, { 0, 0, 0, 7 } },
	{ "3f980000.usb", { 0, 0, 0, 7 }, { 0, 0, 0, 7 } },
	{ "fe980000.usb", { 0, 0, 0, 7 }, { 0, 0, 0, 7 } },
};

static const char *const kind_names[] = {
	[ENDPOINT_BULK] = "bulk",
	[ENDPOINT_INT] = "interrupt",
	[ENDPOINT_ISO] = "isochronous",
};

struct endpoint_need endpoint_budget_function(const struct profile_function *f)
{
	const struct function_type_info *t = function_type_info(f->type);
	struct endpoint_need need = { 0 };

	if (t)
		t->endpoints(f, &need);
	else
		need.unknown = true;
	return need;
}

static const struct udc_endpoints *udc_lookup(const char *udc)
{
	for (size_t i = 0; i < ARRAY_SIZE(udc_table); i++)
		if (str_starts_with(udc, udc_table[i].prefix))
			return &udc_table[i];
	return NULL;
}

bool endpoint_budget_knows(const char *udc)
{
	return udc_lookup(udc) != NULL;
}

const char *endpoint_budget_known_udcs(void)
{
	return "dummy_udc.N, usbip-vudc.N, 49000000.usb-otg, 20980000.usb, "
	       "3f980000.usb, fe980000.usb";
}

static unsigned int total(const struct endpoint_count *c)
{
	return c->n[ENDPOINT_BULK] + c->n[ENDPOINT_INT] + c->n[ENDPOINT_ISO];
}

static unsigned int over(unsigned int need, unsigned int have)
{
	return need > have ? need - have : 0;
}

/*
 * Whether one direction fits: iso endpoints only on any-kind ones, bulk
 * and interrupt on their own kind first, then on the shared ones.
 */
static bool fits(const struct endpoint_count *need,
		 const struct udc_direction *have)
{
	unsigned int iso = need->n[ENDPOINT_ISO];

	if (iso > have->any)
		return false;
	return over(need->n[ENDPOINT_BULK], have->bulk) +
		       over(need->n[ENDPOINT_INT], have->intr) <=
	       have->bulk_or_int + have->any - iso;
}

static void describe_need(char *buf, size_t size,
			  const struct endpoint_count *c)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int k = 0; k < ENDPOINT_KIND_COUNT; k++) {
		if (!c->n[k])
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%u %s",
					len ? ", " : "", c->n[k],
					kind_names[k]);
		if (len >= size)
			return;
	}
}

static void describe_have(char *buf, size_t size, const struct udc_direction *d)
{
	const struct {
		unsigned int n;
		const char *what;
	} parts[] = {
		{ d->bulk, "bulk" },
		{ d->intr, "interrupt" },
		{ d->bulk_or_int, "bulk or interrupt" },
		{ d->any, "of any kind" },
	};
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		if (!parts[i].n)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%u %s",
					len ? ", " : "", parts[i].n,
					parts[i].what);
		if (len >= size)
			return;
	}
}

static bool check_direction(const struct profile *p,
			    const struct profile_config *c, const char *udc,
			    const char *dir, const struct endpoint_count *need,
			    const struct udc_direction *have,
			    struct diag_list *diags)
{
	unsigned int have_total =
		have->bulk + have->intr + have->bulk_or_int + have->any;
	char need_text[96], have_text[128];

	if (fits(need, have))
		return true;
	describe_need(need_text, sizeof(need_text), need);
	describe_have(have_text, sizeof(have_text), have);
	/* Isochronous endpoints cannot take bulk-only or interrupt-only
	 * ones: a count that fits would not say why. */
	if (need->n[ENDPOINT_ISO] > have->any) {
		char any_text[32] = "none";

		if (have->any)
			snprintf(any_text, sizeof(any_text), "only %u",
				 have->any);
		diag_error(
			diags, p->path, c->line,
			"[config %d] needs %u isochronous %s endpoints, and UDC %s has %s that can be isochronous (its %u: %s)",
			c->id, need->n[ENDPOINT_ISO], dir, udc, any_text,
			have_total, have_total ? have_text : "none");
		return false;
	}
	diag_error(diags, p->path, c->line,
		   "[config %d] needs %u %s endpoints (%s), more than UDC %s "
		   "has: %u (%s)",
		   c->id, total(need), dir, need_text, udc, have_total,
		   have_total ? have_text : "none");
	return false;
}

int endpoint_budget_check(const struct profile *p, const char *udc,
			  struct diag_list *diags)
{
	const struct udc_endpoints *u = udc_lookup(udc);
	int r = 0;

	if (!u)
		return -ENOENT;
	for (size_t i = 0; i < p->n_configs; i++) {
		const struct profile_config *c = &p->configs[i];
		struct endpoint_need sum = { 0 };

		for (size_t j = 0; j < c->n_functions; j++) {
			struct endpoint_need n = endpoint_budget_function(
				&p->functions[c->functions[j]]);

			for (int k = 0; k < ENDPOINT_KIND_COUNT; k++) {
				sum.in.n[k] += n.in.n[k];
				sum.out.n[k] += n.out.n[k];
			}
		}
		if (!check_direction(p, c, udc, "IN", &sum.in, &u->in, diags))
			r = -E2BIG;
		if (!check_direction(p, c, udc, "OUT", &sum.out, &u->out,
				     diags))
			r = -E2BIG;
	}
	return r;
}
