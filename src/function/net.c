/* SPDX-License-Identifier: MIT */
/*
 * The network functions: ecm, ncm, eem, geth (ecm_subset) and rndis.
 * Their MAC addresses, address, link, ifupdown and DHCP keys are
 * gadgetd's own (profile_net); the table holds what is only carried to
 * configfs.
 */
#include <usbg/usbg.h>

#include "function/function.h"

/* Request queue length multiplier at high speed; 5 is u_ether.c's
 * QMULT_DEFAULT, written always as libusbgx's typed struct did. */
#define NET_ATTR_QMULT                                       \
	{                                                    \
		"qmult", "qmult", FUNCTION_ATTR_INT, 1, 100, \
			FUNCTION_ATTR_DEFAULT, 5, NULL       \
	}
/* The interface's name: a template such as usb%d, which the kernel fills
 * in at bind (gadgetd reads the name it chose back from configfs). */
#define NET_ATTR_IFNAME                                                     \
	{                                                                   \
		"ifname", "ifname", FUNCTION_ATTR_IFNAME, 0, 15, 0, 0, NULL \
	}

static const struct function_attr net_attrs[] = {
	NET_ATTR_QMULT,
	NET_ATTR_IFNAME,
};

/* f_rndis: the interface association's class triple, for hosts that
 * match RNDIS by class (the default 02/06/00 is CDC's; USB-IF's class
 * codes have e0/01/03: Wireless Controller, RF, RNDIS). */
static const struct function_attr rndis_attrs[] = {
	NET_ATTR_QMULT,
	NET_ATTR_IFNAME,
	{ "class", "class", FUNCTION_ATTR_INT, 0, 0xff,
	  FUNCTION_ATTR_HEX | FUNCTION_ATTR_BARE_HEX, 0, NULL },
	{ "subclass", "subclass", FUNCTION_ATTR_INT, 0, 0xff,
	  FUNCTION_ATTR_HEX | FUNCTION_ATTR_BARE_HEX, 0, NULL },
	{ "protocol", "protocol", FUNCTION_ATTR_INT, 0, 0xff,
	  FUNCTION_ATTR_HEX | FUNCTION_ATTR_BARE_HEX, 0, NULL },
};

static const char *const net_read_only[] = { "ifname", NULL };
static const char *const net_scheme_keys[] = { "dev_addr", "host_addr", NULL };

/* A notification endpoint, then data in and out (f_ecm, f_ncm,
 * f_rndis). */
static void net_endpoints_notify(const struct profile_function *f,
				 struct endpoint_need *need)
{
	(void)f;
	function_endpoints_add(&need->in, ENDPOINT_INT, 1);
	function_endpoints_add(&need->in, ENDPOINT_BULK, 1);
	function_endpoints_add(&need->out, ENDPOINT_BULK, 1);
}

/* Data in and out only (f_eem, f_subset). */
static void net_endpoints_bulk(const struct profile_function *f,
			       struct endpoint_need *need)
{
	(void)f;
	function_endpoints_add(&need->in, ENDPOINT_BULK, 1);
	function_endpoints_add(&need->out, ENDPOINT_BULK, 1);
}

#define NET_TYPE(t, configfs, usbg, iface, table, eps)              \
	{                                                           \
		.type = (t), .name = (configfs), .network = true,   \
		.usbg_type = (usbg), .os_desc_interface = (iface),  \
		.attrs = (table),                                   \
		.n_attrs = sizeof(table) / sizeof((table)[0]),      \
		.scheme_read_only = net_read_only,                  \
		.scheme_keys = net_scheme_keys, .endpoints = (eps), \
	}

const struct function_type_info function_type_ecm = NET_TYPE(
	FUNCTION_ECM, "ecm", USBG_F_ECM, NULL, net_attrs, net_endpoints_notify);
const struct function_type_info function_type_ncm =
	NET_TYPE(FUNCTION_NCM, "ncm", USBG_F_NCM, "ncm", net_attrs,
		 net_endpoints_notify);
const struct function_type_info function_type_eem = NET_TYPE(
	FUNCTION_EEM, "eem", USBG_F_EEM, NULL, net_attrs, net_endpoints_bulk);
const struct function_type_info function_type_rndis =
	NET_TYPE(FUNCTION_RNDIS, "rndis", USBG_F_RNDIS, "rndis", rndis_attrs,
		 net_endpoints_notify);

static const char *const subset_aliases[] = { "subset", "ecm_subset", NULL };

const struct function_type_info function_type_subset = {
	.type = FUNCTION_SUBSET,
	.name = "geth", /* usb_f_ecm_subset */
	.aliases = subset_aliases,
	.network = true,
	.usbg_type = USBG_F_SUBSET,
	.attrs = net_attrs,
	.n_attrs = sizeof(net_attrs) / sizeof(net_attrs[0]),
	.scheme_read_only = net_read_only,
	.scheme_keys = net_scheme_keys,
	.endpoints = net_endpoints_bulk,
};
