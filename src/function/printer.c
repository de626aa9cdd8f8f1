/* SPDX-License-Identifier: MIT */
/*
 * printer (f_printer): the board is a USB printer; what the host prints
 * arrives on /dev/g_printerN.  libusbgx 0.2.0 has no type for it, so a
 * gadget with one is built with plain configfs calls (apply.c).
 */
#include "function/function.h"

static const struct function_attr printer_attrs[] = {
	/* The IEEE 1284 device ID the host reads with GET_DEVICE_ID, e.g.
	 * "MFG:gadgetd;MDL:Printer;CMD:PS;CLS:PRINTER;".  Without it the
	 * kernel answers with an empty one. */
	{ "pnp_string", "pnp_string", FUNCTION_ATTR_STRING, 0, 1023, 0, 0,
	  NULL },
	/* Requests queued each way (the kernel's default is 10). */
	{ "q_len", "q_len", FUNCTION_ATTR_INT, 1, 1024, 0, 0, NULL },
};

static void printer_endpoints(const struct profile_function *f,
			      struct endpoint_need *need)
{
	(void)f;
	function_endpoints_add(&need->in, ENDPOINT_BULK, 1);
	function_endpoints_add(&need->out, ENDPOINT_BULK, 1);
}

const struct function_type_info function_type_printer = {
	.type = FUNCTION_PRINTER,
	.name = "printer",
	.usbg_type = FUNCTION_NO_USBG_TYPE,
	.attrs = printer_attrs,
	.n_attrs = sizeof(printer_attrs) / sizeof(printer_attrs[0]),
	.endpoints = printer_endpoints,
};
