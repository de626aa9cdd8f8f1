/* SPDX-License-Identifier: MIT */
/*
 * The endpoint budget (gadgetd(8): check --udc, switch):
 * how many endpoints of each kind a configuration's functions claim when
 * the kernel binds them, and whether a UDC has that many, so that a
 * profile that cannot fit is refused before configfs is touched, naming
 * what it needs and what the UDC has, instead of failing at bind with a
 * bare ENODEV or EBUSY.
 *
 * The counts are the kernel's own (the usb_ep_autoconfig() calls of each
 * f_*.c, 6.1); a UDC's endpoints come from its driver and device tree,
 * each entry of the table in endpoint_budget.c citing where.  A UDC not
 * in the table, and FunctionFS functions (whose endpoints exist only once
 * their program wrote the descriptors), are not checked.  The kernel
 * frees the endpoints between configurations, so each is checked alone.
 */
#ifndef GADGETD_ENDPOINT_BUDGET_H
#define GADGETD_ENDPOINT_BUDGET_H

#include <stdbool.h>

#include "function/function.h"
#include "gadgetd/diag.h"
#include "gadgetd/profile.h"

/* What one function claims at bind. */
struct endpoint_need endpoint_budget_function(const struct profile_function *f);

/*
 * Check every configuration of p against udc (a UDC name such as
 * dummy_udc.0).  Each configuration that needs more than the UDC has is an
 * error at its [config N] line.  Returns 0, -E2BIG when one does not fit,
 * or -ENOENT when gadgetd does not know the UDC's endpoints (nothing
 * checked, nothing reported).
 */
int endpoint_budget_check(const struct profile *p, const char *udc,
			  struct diag_list *diags);
/* Whether the table has udc; the prefixes it has, for messages. */
bool endpoint_budget_knows(const char *udc);
const char *endpoint_budget_known_udcs(void);

#endif
