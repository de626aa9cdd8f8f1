/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

#include "gadgetd/profile.h"

/*
 * The gadget's network links, for `link = auto`: once the gadget runs on
 * a UDC, each network function's netdev (named by its configfs `ifname`)
 * gets the profile's addresses and IFF_UP through rtnetlink.  Functions
 * with `link = manual`, or with `ifupdown = auto` and a stanza in
 * interfaces_path (left to ifup), are not touched.  Returns the number
 * of links configured, or a negative errno of the first failure (the
 * others are still tried).
 */
int net_links_set(const struct profile *p, const char *gadget_dir,
		  const char *interfaces_path, bool up);
