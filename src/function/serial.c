/* SPDX-License-Identifier: MIT */
/*
 * The serial functions: acm, gser and obex.  They have no attributes a
 * profile sets; port_num is the kernel's answer (ttyGS<port_num>).
 */
#include <usbg/usbg.h>

#include "function/function.h"

static const char *const serial_read_only[] = { "port_num", NULL };

/* f_acm: a notification endpoint, then data in and out. */
static void acm_endpoints(const struct profile_function *f,
			  struct endpoint_need *need)
{
	(void)f;
	function_endpoints_add(&need->in, ENDPOINT_INT, 1);
	function_endpoints_add(&need->in, ENDPOINT_BULK, 1);
	function_endpoints_add(&need->out, ENDPOINT_BULK, 1);
}

/* f_serial, f_obex: data in and out. */
static void bulk_endpoints(const struct profile_function *f,
			   struct endpoint_need *need)
{
	(void)f;
	function_endpoints_add(&need->in, ENDPOINT_BULK, 1);
	function_endpoints_add(&need->out, ENDPOINT_BULK, 1);
}

const struct function_type_info function_type_acm = {
	.type = FUNCTION_ACM,
	.name = "acm",
	.usbg_type = USBG_F_ACM,
	.scheme_read_only = serial_read_only,
	.endpoints = acm_endpoints,
};

const struct function_type_info function_type_gser = {
	.type = FUNCTION_GSER,
	.name = "gser",
	.usbg_type = USBG_F_SERIAL,
	.scheme_read_only = serial_read_only,
	.endpoints = bulk_endpoints,
};

const struct function_type_info function_type_obex = {
	.type = FUNCTION_OBEX,
	.name = "obex",
	.usbg_type = USBG_F_OBEX,
	.scheme_read_only = serial_read_only,
	.endpoints = bulk_endpoints,
};
