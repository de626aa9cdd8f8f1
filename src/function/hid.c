/* SPDX-License-Identifier: MIT */
/*
 * hid (f_hid).  The report descriptor (report_desc, report_desc_file) is
 * gadgetd's own code: bytes, read from a file at load time.
 */
#include <usbg/usbg.h>

#include "function/function.h"

enum hid_attr {
	HID_PROTOCOL,
	HID_SUBCLASS,
	HID_REPORT_LENGTH,
	HID_NO_OUT_ENDPOINT,
};

static const struct function_attr hid_attrs[] = {
	/* bInterfaceProtocol and bInterfaceSubClass (1 = boot interface);
	 * f_hid's defaults, written always as libusbgx's typed struct
	 * did. */
	[HID_PROTOCOL] = { "protocol", "protocol", FUNCTION_ATTR_INT, 0, 255,
			   FUNCTION_ATTR_DEFAULT, 0, NULL },
	[HID_SUBCLASS] = { "subclass", "subclass", FUNCTION_ATTR_INT, 0, 255,
			   FUNCTION_ATTR_DEFAULT, 0, NULL },
	/* wMaxPacketSize of the interrupt endpoints: at most 1024.  f_hid
	 * binds without it and the host then fails to enumerate the
	 * interface. */
	[HID_REPORT_LENGTH] = { "report_length", "report_length",
				FUNCTION_ATTR_INT, 1, 1024,
				FUNCTION_ATTR_REQUIRED, 0, NULL },
	/* Output reports over the control endpoint (SET_REPORT) instead of
	 * an interrupt OUT endpoint: one endpoint fewer. */
	[HID_NO_OUT_ENDPOINT] = { "no_out_endpoint", "no_out_endpoint",
				  FUNCTION_ATTR_BOOL, 0, 1, 0, 0, NULL },
};

static const char *const hid_read_only[] = { "dev", NULL };

static void hid_endpoints(const struct profile_function *f,
			  struct endpoint_need *need)
{
	function_endpoints_add(&need->in, ENDPOINT_INT, 1);
	if (!function_attr_number(f, HID_NO_OUT_ENDPOINT, 0))
		function_endpoints_add(&need->out, ENDPOINT_INT, 1);
}

const struct function_type_info function_type_hid = {
	.type = FUNCTION_HID,
	.name = "hid",
	.usbg_type = USBG_F_HID,
	.attrs = hid_attrs,
	.n_attrs = sizeof(hid_attrs) / sizeof(hid_attrs[0]),
	.scheme_read_only = hid_read_only,
	.endpoints = hid_endpoints,
};
