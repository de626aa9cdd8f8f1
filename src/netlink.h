/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink for the gadget's network interfaces (usb0 & co): bring a link
 * up or down, add and remove its addresses, read its state, and follow
 * RTM_NEWLINK notifications.
 *
 * Requests are synchronous: each one is sent on a request socket and its
 * ACK (or answer) read back with a bounded wait of NETLINK_TIMEOUT_MS.  The
 * kernel answers rtnetlink requests from the sending context, before
 * sendmsg() returns, so the wait never actually blocks the event loop; the
 * bound only guards against a kernel that does not answer at all.
 *
 * Link notifications come on a second socket subscribed to RTMGRP_LINK,
 * whose fd the daemon watches (netlink_fd()).  Keeping them apart means a
 * request never has to set aside notifications that arrive while it waits
 * for its ACK.
 */
#ifndef GADGETD_NETLINK_H
#define GADGETD_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "gadgetd/ip_address.h"

#define NETLINK_TIMEOUT_MS 1000
/* IFNAMSIZ, without <linux/if.h>, which clashes with glibc's <net/if.h>. */
#define NETLINK_IFNAME_SIZE 16

struct netlink;

/* What RTM_NEWLINK says about one interface. */
struct netlink_link {
	int ifindex;
	char ifname[NETLINK_IFNAME_SIZE];
	unsigned int flags; /* IFF_UP, IFF_RUNNING, IFF_LOWER_UP, ... */
	uint8_t operstate; /* IF_OPER_* (RFC 2863), IF_OPER_UNKNOWN if absent */
	bool carrier; /* IFLA_CARRIER, else IFF_LOWER_UP */
	bool has_mac;
	uint8_t mac[6];
	bool removed; /* RTM_DELLINK: the interface is gone */
};

/*
 * Open the request socket and the link-notification socket.  Needs
 * CAP_NET_ADMIN for changes, not for reading.
 */
int netlink_open(struct netlink **out);
void netlink_close(struct netlink *nl);

/* The notification socket (non-blocking): watch it for EPOLLIN. */
int netlink_fd(const struct netlink *nl);

typedef void (*netlink_link_fn)(const struct netlink_link *link, void *data);

/*
 * Read every pending notification from netlink_fd() and call fn for each
 * RTM_NEWLINK / RTM_DELLINK, for every interface (the caller filters).
 * Returns 0, or -ENOBUFS when the kernel dropped notifications because the
 * socket buffer overflowed: the caller then re-reads the links it cares
 * about with netlink_link_get().  Other negative errnos are socket errors.
 */
int netlink_dispatch(struct netlink *nl, netlink_link_fn fn, void *data);

/* -ENODEV when there is no such interface. */
int netlink_link_get(struct netlink *nl, const char *ifname,
		     struct netlink_link *out);

/*
 * Set or clear IFF_UP.  Opening the gadget-side interface is what makes
 * f_ecm/f_ncm send CDC NetworkConnection to the host (see
 * docs/networking.md).
 */
int netlink_link_set_up(struct netlink *nl, const char *ifname, bool up);

/*
 * Add an address; an address that is already there is success.  IPv4
 * addresses get the subnet's broadcast address (as `ip addr add ... brd +`).
 */
int netlink_address_add(struct netlink *nl, const char *ifname,
			const struct ip_address *a);

/* Remove an address gadgetd added; one that is already gone is success. */
int netlink_address_delete(struct netlink *nl, const char *ifname,
			   const struct ip_address *a);

/*
 * The addresses on an interface (family AF_UNSPEC for all, or AF_INET,
 * AF_INET6), each with its text ("192.168.7.2/24").  Free with
 * netlink_address_list_free().
 */
int netlink_address_list(struct netlink *nl, const char *ifname, int family,
			 struct ip_address **out, size_t *n_out);
void netlink_address_list_free(struct ip_address *list, size_t n);

/*
 * The link policy in one call, for `link = auto`: add the addresses, then
 * set IFF_UP, or clear IFF_UP (addresses stay: the kernel keeps IPv4 ones
 * on a down link and drops IPv6 ones, which the next up adds again).
 * Addresses go first so that the host, which sees carrier the moment the
 * link goes up, can reach the gadget address at once.
 */
int netlink_link_configure(struct netlink *nl, const char *ifname,
			   const struct ip_address *addrs, size_t n_addrs,
			   bool up);

/* "up", "down", "lowerlayerdown", "dormant", ... (ip-link's words). */
const char *netlink_operstate_name(uint8_t operstate);

/* Format an address as "addr/prefix" (allocated). */
char *netlink_address_text(int family, const uint8_t *addr, int prefix_len);

/*
 * Message construction and parsing, without a socket, so the unit tests
 * can check the exact bytes.  The builders leave nlmsg_seq and nlmsg_pid
 * zero; netlink_request fills them in.
 */
#define NETLINK_MSG_MAX 256

struct netlink_msg {
	union {
		struct nlmsghdr hdr;
		uint8_t bytes[NETLINK_MSG_MAX];
	} u;
};

int netlink_msg_link_get(struct netlink_msg *m, const char *ifname);
int netlink_msg_link_set_up(struct netlink_msg *m, const char *ifname, bool up);
/* type: RTM_NEWADDR or RTM_DELADDR. */
int netlink_msg_address(struct netlink_msg *m, uint16_t type, int ifindex,
			const struct ip_address *a);
int netlink_msg_address_dump(struct netlink_msg *m, int family);

/*
 * Parse one RTM_NEWLINK / RTM_DELLINK.  -ENOMSG for another message type,
 * -EBADMSG for a truncated or malformed one.  len is the number of bytes
 * available at h (at least h->nlmsg_len for a valid message).
 */
int netlink_parse_link(const struct nlmsghdr *h, size_t len,
		       struct netlink_link *out);

/* Parse one RTM_NEWADDR: *ifindex and *out (out->text allocated). */
int netlink_parse_address(const struct nlmsghdr *h, size_t len, int *ifindex,
			  struct ip_address *out);

#endif
