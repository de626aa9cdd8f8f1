/* SPDX-License-Identifier: MIT */
/*
 * The test functions of usb_f_ss_lb: Loopback (f_loopback), which sends
 * back what the host writes, and SourceSink (f_sourcesink), which sinks
 * what the host writes and sources a pattern (the kernel's usbtest
 * driver, or any bulk reader, on the host).
 */
#include <usbg/usbg.h>

#include "function/function.h"

static const struct function_attr loopback_attrs[] = {
	/* f_loopback calls it bulk_buflen; the key keeps libusbgx's name
	 * (usbg_f_loopback_attrs.buflen), which gadget schemes use.
	 * libusbgx 0.2.0 writes "buflen", a file the kernel does not
	 * have. */
	{ "buflen", "bulk_buflen", FUNCTION_ATTR_INT, 1, 65536, 0, 0, NULL },
	{ "qlen", "qlen", FUNCTION_ATTR_INT, 1, 1024, 0, 0, NULL },
};

static void loopback_endpoints(const struct profile_function *f,
			       struct endpoint_need *need)
{
	(void)f;
	function_endpoints_add(&need->in, ENDPOINT_BULK, 1);
	function_endpoints_add(&need->out, ENDPOINT_BULK, 1);
}

static const char *const loopback_aliases[] = { "loopback", NULL };

const struct function_type_info function_type_loopback = {
	.type = FUNCTION_LOOPBACK,
	.name = "Loopback",
	.aliases = loopback_aliases,
	.usbg_type = USBG_F_LOOPBACK,
	.attrs = loopback_attrs,
	.n_attrs = sizeof(loopback_attrs) / sizeof(loopback_attrs[0]),
	.endpoints = loopback_endpoints,
};

static const struct function_attr sourcesink_attrs[] = {
	/* What it sends: 0 all zeros, 1 the byte index mod 63, 2 none. */
	{ "pattern", "pattern", FUNCTION_ATTR_INT, 0, 2, 0, 0, NULL },
	{ "bulk_buflen", "bulk_buflen", FUNCTION_ATTR_INT, 1, 65536, 0, 0,
	  NULL },
	{ "bulk_qlen", "bulk_qlen", FUNCTION_ATTR_INT, 1, 1024, 0, 0, NULL },
	/* Its isochronous alternate setting, used where the UDC has
	 * isochronous endpoints (otherwise the function binds without
	 * it). */
	{ "isoc_interval", "isoc_interval", FUNCTION_ATTR_INT, 1, 16, 0, 0,
	  NULL },
	{ "isoc_maxpacket", "isoc_maxpacket", FUNCTION_ATTR_INT, 0, 1024, 0, 0,
	  NULL },
	{ "isoc_mult", "isoc_mult", FUNCTION_ATTR_INT, 0, 2, 0, 0, NULL },
	{ "isoc_maxburst", "isoc_maxburst", FUNCTION_ATTR_INT, 0, 15, 0, 0,
	  NULL },
	{ "iso_qlen", "iso_qlen", FUNCTION_ATTR_INT, 1, 1024, 0, 0, NULL },
};

/* Bulk in and out; the isochronous pair only where the UDC has them
 * (f_sourcesink binds without, no_iso), so they are not counted. */
static void sourcesink_endpoints(const struct profile_function *f,
				 struct endpoint_need *need)
{
	(void)f;
	function_endpoints_add(&need->in, ENDPOINT_BULK, 1);
	function_endpoints_add(&need->out, ENDPOINT_BULK, 1);
}

static const char *const sourcesink_aliases[] = { "sourcesink", NULL };

/* libusbgx 0.2.0 has no type for it: plain configfs calls (apply.c). */
const struct function_type_info function_type_sourcesink = {
	.type = FUNCTION_SOURCESINK,
	.name = "SourceSink",
	.aliases = sourcesink_aliases,
	.usbg_type = FUNCTION_NO_USBG_TYPE,
	.attrs = sourcesink_attrs,
	.n_attrs = sizeof(sourcesink_attrs) / sizeof(sourcesink_attrs[0]),
	.endpoints = sourcesink_endpoints,
};
