/* SPDX-License-Identifier: MIT */
/*
 * ffs (FunctionFS): a function served by a user-space program through a
 * functionfs mount.  Its mount point and the time to wait for the
 * program's descriptors are gadgetd's own keys (profile_ffs); the
 * endpoints are the program's, known only once it has written its
 * descriptors.
 */
#include <usbg/usbg.h>

#include "function/function.h"

static void ffs_endpoints(const struct profile_function *f,
			  struct endpoint_need *need)
{
	(void)f;
	need->unknown = true;
}

const struct function_type_info function_type_ffs = {
	.type = FUNCTION_FFS,
	.name = "ffs",
	.usbg_type = USBG_F_FFS,
	.endpoints = ffs_endpoints,
};
