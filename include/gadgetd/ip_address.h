/* SPDX-License-Identifier: MIT */
/*
 * An IPv4 or IPv6 address with its prefix length: what a profile's
 * `address` key holds and what rtnetlink (netlink.h) reads and writes.
 * Its own header so that netlink.c needs nothing else of the profile
 * model.
 */
#ifndef GADGETD_IP_ADDRESS_H
#define GADGETD_IP_ADDRESS_H

#include <stdint.h>

struct ip_address {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	int prefix_len;
	char *text; /* as written, e.g. "192.168.7.2/24" */
};

#endif
