/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the rtnetlink link and address parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netlink_link link;
	struct ip_address a;
	struct nlmsghdr *h;
	void *buf;
	int ifindex;

	/* The parsers get aligned buffers from recv(); so do they here. */
	buf = malloc(size < sizeof(*h) ? sizeof(*h) : size);
	if (!buf)
		return 0;
	memset(buf, 0, sizeof(*h));
	memcpy(buf, data, size);
	h = buf;
	(void)netlink_parse_link(h, size, &link);
	if (netlink_parse_address(h, size, &ifindex, &a) == 0)
		free(a.text);
	free(buf);
	return 0;
}
