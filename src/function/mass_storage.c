/* SPDX-License-Identifier: MIT */
/*
 * mass_storage (f_mass_storage).  Its LUNs are gadgetd's own model
 * (profile_lun: optional files, media changes at run time); the table
 * holds the function's own attributes.
 */
#include <usbg/usbg.h>

#include "function/function.h"

static const struct function_attr mass_storage_attrs[] = {
	/* Halt bulk endpoints to signal errors (the kernel's default
	 * depends on the UDC). */
	{ "stall", "stall", FUNCTION_ATTR_BOOL, 0, 1, 0, 0, NULL },
};

static void mass_storage_endpoints(const struct profile_function *f,
				   struct endpoint_need *need)
{
	(void)f;
	function_endpoints_add(&need->in, ENDPOINT_BULK, 1);
	function_endpoints_add(&need->out, ENDPOINT_BULK, 1);
}

const struct function_type_info function_type_mass_storage = {
	.type = FUNCTION_MASS_STORAGE,
	.name = "mass_storage",
	.usbg_type = USBG_F_MASS_STORAGE,
	.attrs = mass_storage_attrs,
	.n_attrs = sizeof(mass_storage_attrs) / sizeof(mass_storage_attrs[0]),
	.endpoints = mass_storage_endpoints,
};
