/* SPDX-License-Identifier: MIT */
/*
 * The test functions of usb_f_ss_lb: Loopback (f_loopback), which sends
 * back what the host writes.
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
