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

/*
 * Packets received so far on the managed links (see net_links_set), summed;
 * 0 when there are none.  The host sends something (IPv6 neighbour
 * discovery, DHCP, ARP) soon after it sees carrier, so no growth after
 * the host configured the device means it probably missed f_ecm's
 * NetworkConnection notification.
 */
unsigned long long net_links_rx(const struct profile *p, const char *gadget_dir,
				const char *interfaces_path);
