/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ifupdown.h"
#include "log.h"
#include "net.h"
#include "netlink.h"
#include "util.h"

static bool net_function_managed(const struct profile_function *fn,
				 const char *ifname,
				 const char *interfaces_path)
{
	if (!function_type_is_network(fn->type) || !fn->used)
		return false;
	if (fn->u.net.link != LINK_AUTO)
		return false;
	/* ifup owns an interface the admin described; we don't fight it. */
	if (fn->u.net.ifupdown == IFUPDOWN_AUTO && interfaces_path &&
	    ifupdown_has_stanza(interfaces_path, ifname))
		return false;
	return true;
}

int net_links_set(const struct profile *p, const char *gadget_dir,
		  const char *interfaces_path, bool up)
{
	struct netlink *nl = NULL;
	int r, first = 0, n = 0;

	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *fn = &p->functions[i];
		char *path, *ifname = NULL;

		if (!function_type_is_network(fn->type))
			continue;
		path = xasprintf("%s/functions/%s/ifname", gadget_dir,
				 fn->name);
		r = read_file_string(path, &ifname);
		if (r < 0) {
			log_error("%s: %s", path, strerror(-r));
			free(path);
			if (!first)
				first = r;
			continue;
		}
		free(path);
		str_strip(ifname);
		/* "(unnamed net_device)" until the function is bound. */
		if (!net_function_managed(fn, ifname, interfaces_path) ||
		    strchr(ifname, ' ')) {
			free(ifname);
			continue;
		}
		if (!nl) {
			r = netlink_open(&nl);
			if (r < 0) {
				log_error("rtnetlink: %s", strerror(-r));
				free(ifname);
				return r;
			}
		}
		r = netlink_link_configure(nl, ifname, fn->u.net.addresses,
					   fn->u.net.n_addresses, up);
		if (r < 0) {
			log_error("%s: link %s: %s", ifname, up ? "up" : "down",
				  strerror(-r));
			if (!first)
				first = r;
		} else {
			log_info("%s: link %s (function %s)", ifname,
				 up ? "up" : "down", fn->name);
			n++;
		}
		free(ifname);
	}
	netlink_close(nl);
	return first < 0 ? first : n;
}

unsigned long long net_links_rx(const struct profile *p, const char *gadget_dir,
				const char *interfaces_path)
{
	unsigned long long sum = 0;

	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *fn = &p->functions[i];
		char *path, *ifname = NULL, *rx = NULL;

		if (!function_type_is_network(fn->type))
			continue;
		path = xasprintf("%s/functions/%s/ifname", gadget_dir,
				 fn->name);
		if (read_file_string(path, &ifname) < 0) {
			free(path);
			continue;
		}
		free(path);
		str_strip(ifname);
		if (net_function_managed(fn, ifname, interfaces_path) &&
		    !strchr(ifname, ' ')) {
			path = xasprintf(
				"/sys/class/net/%s/statistics/rx_packets",
				ifname);
			if (read_file_string(path, &rx) == 0)
				sum += strtoull(rx, NULL, 10);
			free(rx);
			free(path);
		}
		free(ifname);
	}
	return sum;
}
