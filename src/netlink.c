/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "log.h"
#include "netlink.h"
#include "util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/*
 * One receive buffer per socket.  The kernel sizes dump batches to the
 * reader's buffer up to 32 KiB; twice that never truncates a datagram.
 */
#define NETLINK_RECV_SIZE ((size_t)64 * 1024)
/* Room for bursts of link notifications (a bound/unbound gadget). */
#define NETLINK_EVENT_RCVBUF (256 * 1024)

struct netlink {
	int request_fd;
	int event_fd;
	uint32_t portid; /* of request_fd, to match replies */
	uint32_t seq;
	uint8_t *buf;
	char ext_ack[128]; /* the kernel's reason for the last refusal */
};

typedef int (*netlink_reply_fn)(const struct nlmsghdr *h, size_t len,
				void *data);

static int open_socket(unsigned int groups, bool nonblock, uint32_t *portid)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = groups };
	socklen_t sa_len = sizeof(sa);
	int type = SOCK_RAW | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0);
	int one = 1;
	int fd, r;

	fd = socket(AF_NETLINK, type, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	/*
	 * Extended ACKs carry the kernel's own reason for a refusal; capped
	 * ACKs spare us the echo of our request.  Both are optional (older
	 * kernels), so failures are ignored.
	 */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	if (getsockname(fd, (struct sockaddr *)&sa, &sa_len) < 0)
		goto fail;
	if (portid)
		*portid = sa.nl_pid;
	return fd;
fail:
	r = -errno;
	close(fd);
	return r;
}

int netlink_open(struct netlink **out)
{
	struct netlink *nl = xcalloc(1, sizeof(*nl));
	int rcvbuf = NETLINK_EVENT_RCVBUF;
	int r;

	nl->request_fd = -1;
	nl->event_fd = -1;
	r = open_socket(0, false, &nl->portid);
	if (r < 0)
		goto fail;
	nl->request_fd = r;
	r = open_socket(RTMGRP_LINK, true, NULL);
	if (r < 0)
		goto fail;
	nl->event_fd = r;
	(void)setsockopt(nl->event_fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			 sizeof(rcvbuf));
	nl->buf = xmalloc(NETLINK_RECV_SIZE);
	*out = nl;
	return 0;
fail:
	netlink_close(nl);
	*out = NULL;
	return r;
}

void netlink_close(struct netlink *nl)
{
	if (!nl)
		return;
	if (nl->request_fd >= 0)
		close(nl->request_fd);
	if (nl->event_fd >= 0)
		close(nl->event_fd);
	free(nl->buf);
	free(nl);
}

int netlink_fd(const struct netlink *nl)
{
	return nl->event_fd;
}

/* Message building */

static void msg_init(struct netlink_msg *m, uint16_t type, uint16_t flags,
		     const void *body, size_t body_len)
{
	memset(m, 0, sizeof(*m));
	m->u.hdr.nlmsg_len = NLMSG_LENGTH(body_len);
	m->u.hdr.nlmsg_type = type;
	m->u.hdr.nlmsg_flags = flags;
	memcpy(NLMSG_DATA(&m->u.hdr), body, body_len);
}

static int msg_put(struct netlink_msg *m, uint16_t type, const void *data,
		   size_t len)
{
	size_t at = NLMSG_ALIGN(m->u.hdr.nlmsg_len);
	struct rtattr *rta;

	if (at + RTA_SPACE(len) > sizeof(m->u.bytes))
		return -EMSGSIZE;
	rta = (struct rtattr *)(m->u.bytes + at);
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	m->u.hdr.nlmsg_len = at + RTA_SPACE(len);
	return 0;
}

static int check_ifname(const char *ifname)
{
	size_t len = strlen(ifname);

	if (len == 0 || len >= NETLINK_IFNAME_SIZE || strchr(ifname, '/'))
		return -EINVAL;
	return 0;
}

int netlink_msg_link_get(struct netlink_msg *m, const char *ifname)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	uint32_t ext_mask = RTEXT_FILTER_SKIP_STATS;
	int r = check_ifname(ifname);

	if (r < 0)
		return r;
	msg_init(m, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi, sizeof(ifi));
	r = msg_put(m, IFLA_IFNAME, ifname, strlen(ifname) + 1);
	if (r < 0)
		return r;
	/* Counters are most of a link message and nobody here reads them. */
	return msg_put(m, IFLA_EXT_MASK, &ext_mask, sizeof(ext_mask));
}

int netlink_msg_link_set_up(struct netlink_msg *m, const char *ifname, bool up)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_flags = up ? IFF_UP : 0,
		.ifi_change = IFF_UP,
	};
	int r = check_ifname(ifname);

	if (r < 0)
		return r;
	/* No NLM_F_CREATE: a missing interface is ENODEV, never a new one. */
	msg_init(m, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi, sizeof(ifi));
	return msg_put(m, IFLA_IFNAME, ifname, strlen(ifname) + 1);
}

static size_t family_addr_len(int family)
{
	if (family == AF_INET)
		return 4;
	if (family == AF_INET6)
		return 16;
	return 0;
}

int netlink_msg_address(struct netlink_msg *m, uint16_t type, int ifindex,
			const struct ip_address *a)
{
	size_t alen = family_addr_len(a->family);
	struct ifaddrmsg ifa = {
		.ifa_family = (uint8_t)a->family,
		.ifa_prefixlen = (uint8_t)a->prefix_len,
		.ifa_scope = RT_SCOPE_UNIVERSE,
		.ifa_index = (uint32_t)ifindex,
	};
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	int r;

	if (!alen || a->prefix_len < 0 || (size_t)a->prefix_len > alen * 8 ||
	    ifindex <= 0)
		return -EINVAL;
	if (type == RTM_NEWADDR)
		flags |= NLM_F_CREATE | NLM_F_EXCL;
	else if (type != RTM_DELADDR)
		return -EINVAL;
	msg_init(m, type, flags, &ifa, sizeof(ifa));
	/* IFA_ADDRESS equal to IFA_LOCAL: not a point-to-point peer. */
	r = msg_put(m, IFA_LOCAL, a->addr, alen);
	if (r == 0)
		r = msg_put(m, IFA_ADDRESS, a->addr, alen);
	if (r == 0 && type == RTM_NEWADDR && a->family == AF_INET &&
	    a->prefix_len < 31) {
		uint32_t host_mask = a->prefix_len == 0
					     ? 0xffffffffu
					     : (1u << (32 - a->prefix_len)) - 1;
		uint32_t brd;

		memcpy(&brd, a->addr, 4);
		brd = htonl(ntohl(brd) | host_mask);
		r = msg_put(m, IFA_BROADCAST, &brd, 4);
	}
	return r;
}

int netlink_msg_address_dump(struct netlink_msg *m, int family)
{
	struct ifaddrmsg ifa = { .ifa_family = (uint8_t)family };

	msg_init(m, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ifa, sizeof(ifa));
	return 0;
}

/* Parsing */

/* The attributes after a fixed header of hdr_len bytes, or -EBADMSG. */
static int msg_attrs(const struct nlmsghdr *h, size_t len, size_t hdr_len,
		     const struct rtattr **first, size_t *attr_len)
{
	size_t at = NLMSG_LENGTH(hdr_len);

	if (len < sizeof(*h) || h->nlmsg_len > len || h->nlmsg_len < at)
		return -EBADMSG;
	at = NLMSG_ALIGN(at);
	if (at > h->nlmsg_len) {
		*first = NULL;
		*attr_len = 0;
		return 0;
	}
	*first = (const struct rtattr *)((const uint8_t *)h + at);
	*attr_len = h->nlmsg_len - at;
	return 0;
}

/*
 * RTA_OK/RTA_NEXT take a signed int length; a walk that ends with bytes
 * left over (a short or overlong attribute) means a malformed message.
 */
#define for_each_rtattr(rta, start, len, left)                                 \
	for ((rta) = (start), (left) = (int)(len); (rta) && RTA_OK(rta, left); \
	     (rta) = RTA_NEXT(rta, left))

int netlink_parse_link(const struct nlmsghdr *h, size_t len,
		       struct netlink_link *out)
{
	const struct ifinfomsg *ifi;
	const struct rtattr *rta, *first;
	size_t attr_len;
	bool has_carrier = false;
	int left, r;

	if (len < sizeof(*h))
		return -EBADMSG;
	if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK)
		return -ENOMSG;
	r = msg_attrs(h, len, sizeof(*ifi), &first, &attr_len);
	if (r < 0)
		return r;
	ifi = NLMSG_DATA(h);
	memset(out, 0, sizeof(*out));
	out->ifindex = ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	out->operstate = IF_OPER_UNKNOWN;
	out->removed = h->nlmsg_type == RTM_DELLINK;
	for_each_rtattr(rta, first, attr_len, left)
	{
		size_t plen = RTA_PAYLOAD(rta);
		const uint8_t *p = RTA_DATA(rta);

		switch (rta->rta_type) {
		case IFLA_IFNAME:
			if (plen == 0 || plen > NETLINK_IFNAME_SIZE ||
			    !memchr(p, '\0', plen))
				return -EBADMSG;
			memcpy(out->ifname, p, strlen((const char *)p) + 1);
			break;
		case IFLA_OPERSTATE:
			if (plen < 1)
				return -EBADMSG;
			out->operstate = p[0];
			break;
		case IFLA_CARRIER:
			if (plen < 1)
				return -EBADMSG;
			out->carrier = p[0] != 0;
			has_carrier = true;
			break;
		case IFLA_ADDRESS:
			if (plen == 6) {
				memcpy(out->mac, p, 6);
				out->has_mac = true;
			}
			break;
		default:
			break;
		}
	}
	if (left != 0)
		return -EBADMSG;
	if (!out->ifname[0])
		return -EBADMSG;
	if (!has_carrier)
		out->carrier = (out->flags & IFF_LOWER_UP) != 0;
	return 0;
}

char *netlink_address_text(int family, const uint8_t *addr, int prefix_len)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, buf, sizeof(buf)))
		return xstrdup("?");
	return xasprintf("%s/%d", buf, prefix_len);
}

int netlink_parse_address(const struct nlmsghdr *h, size_t len, int *ifindex,
			  struct ip_address *out)
{
	const struct ifaddrmsg *ifa;
	const struct rtattr *rta, *first;
	const uint8_t *local = NULL, *address = NULL;
	size_t attr_len, alen;
	int left, r;

	if (len < sizeof(*h))
		return -EBADMSG;
	if (h->nlmsg_type != RTM_NEWADDR && h->nlmsg_type != RTM_DELADDR)
		return -ENOMSG;
	r = msg_attrs(h, len, sizeof(*ifa), &first, &attr_len);
	if (r < 0)
		return r;
	ifa = NLMSG_DATA(h);
	alen = family_addr_len(ifa->ifa_family);
	if (!alen || ifa->ifa_prefixlen > alen * 8)
		return -EBADMSG;
	for_each_rtattr(rta, first, attr_len, left)
	{
		if (rta->rta_type != IFA_LOCAL && rta->rta_type != IFA_ADDRESS)
			continue;
		if (RTA_PAYLOAD(rta) != alen)
			return -EBADMSG;
		if (rta->rta_type == IFA_LOCAL)
			local = RTA_DATA(rta);
		else
			address = RTA_DATA(rta);
	}
	if (left != 0)
		return -EBADMSG;
	/* IFA_LOCAL is our side; IFA_ADDRESS is the peer on point-to-point. */
	if (!local)
		local = address;
	if (!local)
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	out->family = ifa->ifa_family;
	memcpy(out->addr, local, alen);
	out->prefix_len = ifa->ifa_prefixlen;
	out->text =
		netlink_address_text(out->family, out->addr, out->prefix_len);
	*ifindex = (int)ifa->ifa_index;
	return 0;
}

/* Requests */

/*
 * Walk the messages of one datagram.  NLMSG_OK/NLMSG_NEXT compare a signed
 * length with the unsigned nlmsg_len; these keep everything unsigned.
 */
static bool msg_fits(const struct nlmsghdr *h, size_t left)
{
	return left >= sizeof(*h) && h->nlmsg_len >= sizeof(*h) &&
	       h->nlmsg_len <= left;
}

static const struct nlmsghdr *msg_next(const struct nlmsghdr *h, size_t *left)
{
	size_t step = NLMSG_ALIGN(h->nlmsg_len);

	if (step > *left)
		step = *left;
	*left -= step;
	return (const struct nlmsghdr *)((const uint8_t *)h + step);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void record_ext_ack(struct netlink *nl, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t at = sizeof(*e);
	const struct rtattr *rta;
	int left;

	nl->ext_ack[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Without NLM_F_CAPPED the request itself follows the error. */
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(e->msg) ||
		    e->msg.nlmsg_len > h->nlmsg_len)
			return;
		at += e->msg.nlmsg_len - sizeof(e->msg);
	}
	at = NLMSG_ALIGN(NLMSG_HDRLEN + at);
	if (at >= h->nlmsg_len)
		return;
	for_each_rtattr(rta, (const struct rtattr *)((const uint8_t *)h + at),
			h->nlmsg_len - at, left)
	{
		size_t plen = RTA_PAYLOAD(rta);

		if (rta->rta_type == NLMSGERR_ATTR_MSG && plen > 0 &&
		    memchr(RTA_DATA(rta), '\0', plen)) {
			snprintf(nl->ext_ack, sizeof(nl->ext_ack), "%s",
				 (const char *)RTA_DATA(rta));
			return;
		}
	}
}

/*
 * Send m and read replies until its ACK, error or NLMSG_DONE, passing
 * every other reply with our sequence number to fn.  Replies to earlier
 * requests (left over after a timeout) are skipped by sequence number.
 */
static int netlink_request(struct netlink *nl, struct netlink_msg *m,
			   netlink_reply_fn fn, void *data)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int64_t deadline = now_ms() + NETLINK_TIMEOUT_MS;
	uint32_t seq = ++nl->seq;
	int fn_result = 0;

	m->u.hdr.nlmsg_seq = seq;
	m->u.hdr.nlmsg_pid = 0;
	nl->ext_ack[0] = '\0';
	while (sendto(nl->request_fd, m->u.bytes, m->u.hdr.nlmsg_len, 0,
		      (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	for (;;) {
		struct pollfd pfd = { .fd = nl->request_fd, .events = POLLIN };
		struct sockaddr_nl from;
		socklen_t from_len = sizeof(from);
		int64_t left_ms = deadline - now_ms();
		const struct nlmsghdr *h;
		ssize_t n;
		size_t left;

		if (left_ms <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, (int)left_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		n = recvfrom(nl->request_fd, nl->buf, NETLINK_RECV_SIZE,
			     MSG_DONTWAIT, (struct sockaddr *)&from, &from_len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if (from.nl_pid != 0)
			continue;
		left = (size_t)n;
		for (h = (const struct nlmsghdr *)nl->buf; msg_fits(h, left);
		     h = msg_next(h, &left)) {
			if (h->nlmsg_seq != seq || h->nlmsg_pid != nl->portid)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EBADMSG;
				if (e->error == 0)
					return fn_result;
				record_ext_ack(nl, h);
				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE)
				return fn_result;
			if (fn && fn_result == 0)
				fn_result = fn(h, (size_t)left, data);
		}
	}
}

static int link_get_reply(const struct nlmsghdr *h, size_t len, void *data)
{
	int r = netlink_parse_link(h, len, data);

	return r == -ENOMSG ? 0 : r;
}

int netlink_link_get(struct netlink *nl, const char *ifname,
		     struct netlink_link *out)
{
	struct netlink_msg m;
	int r;

	r = netlink_msg_link_get(&m, ifname);
	if (r < 0)
		return r;
	memset(out, 0, sizeof(*out));
	r = netlink_request(nl, &m, link_get_reply, out);
	if (r < 0)
		return r;
	/* An ACK without the link would be a kernel bug; don't trust it. */
	if (out->ifindex <= 0)
		return -ENODEV;
	return 0;
}

int netlink_link_set_up(struct netlink *nl, const char *ifname, bool up)
{
	struct netlink_msg m;
	int r;

	r = netlink_msg_link_set_up(&m, ifname, up);
	if (r < 0)
		return r;
	r = netlink_request(nl, &m, NULL, NULL);
	if (r < 0 && nl->ext_ack[0])
		log_debug("netlink %s: %s", ifname, nl->ext_ack);
	return r;
}

static int address_request(struct netlink *nl, uint16_t type,
			   const char *ifname, const struct ip_address *a)
{
	struct netlink_link link;
	struct netlink_msg m;
	int r;

	r = netlink_link_get(nl, ifname, &link);
	if (r < 0)
		return r;
	r = netlink_msg_address(&m, type, link.ifindex, a);
	if (r < 0)
		return r;
	r = netlink_request(nl, &m, NULL, NULL);
	if (r < 0 && nl->ext_ack[0])
		log_debug("netlink %s: %s: %s", ifname, a->text ? a->text : "",
			  nl->ext_ack);
	return r;
}

int netlink_address_add(struct netlink *nl, const char *ifname,
			const struct ip_address *a)
{
	int r = address_request(nl, RTM_NEWADDR, ifname, a);

	return r == -EEXIST ? 0 : r;
}

int netlink_address_delete(struct netlink *nl, const char *ifname,
			   const struct ip_address *a)
{
	int r = address_request(nl, RTM_DELADDR, ifname, a);

	/* The interface or the address went away first: nothing to undo. */
	if (r == -EADDRNOTAVAIL || r == -ENODEV)
		return 0;
	return r;
}

struct address_list {
	int ifindex;
	struct ip_address *items;
	size_t n;
};

static int address_list_reply(const struct nlmsghdr *h, size_t len, void *data)
{
	struct address_list *list = data;
	struct ip_address a;
	int ifindex, r;

	r = netlink_parse_address(h, len, &ifindex, &a);
	if (r == -ENOMSG)
		return 0;
	if (r < 0)
		return r;
	if (ifindex != list->ifindex) {
		free(a.text);
		return 0;
	}
	list->items =
		xreallocarray(list->items, list->n + 1, sizeof(*list->items));
	list->items[list->n++] = a;
	return 0;
}

int netlink_address_list(struct netlink *nl, const char *ifname, int family,
			 struct ip_address **out, size_t *n_out)
{
	struct address_list list = { 0 };
	struct netlink_link link;
	struct netlink_msg m;
	int r;

	*out = NULL;
	*n_out = 0;
	r = netlink_link_get(nl, ifname, &link);
	if (r < 0)
		return r;
	list.ifindex = link.ifindex;
	netlink_msg_address_dump(&m, family);
	r = netlink_request(nl, &m, address_list_reply, &list);
	if (r < 0) {
		netlink_address_list_free(list.items, list.n);
		return r;
	}
	*out = list.items;
	*n_out = list.n;
	return 0;
}

void netlink_address_list_free(struct ip_address *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].text);
	free(list);
}

int netlink_link_configure(struct netlink *nl, const char *ifname,
			   const struct ip_address *addrs, size_t n_addrs,
			   bool up)
{
	int r;

	if (up) {
		for (size_t i = 0; i < n_addrs; i++) {
			r = netlink_address_add(nl, ifname, &addrs[i]);
			if (r < 0)
				return log_errno(
					r, "%s: cannot add address %s", ifname,
					addrs[i].text ? addrs[i].text : "?");
		}
	}
	r = netlink_link_set_up(nl, ifname, up);
	if (r < 0)
		return log_errno(r, "%s: cannot set link %s", ifname,
				 up ? "up" : "down");
	return 0;
}

/* Notifications */

int netlink_dispatch(struct netlink *nl, netlink_link_fn fn, void *data)
{
	bool overrun = false;

	for (;;) {
		struct sockaddr_nl from;
		socklen_t from_len = sizeof(from);
		const struct nlmsghdr *h;
		ssize_t n;
		size_t left;

		n = recvfrom(nl->event_fd, nl->buf, NETLINK_RECV_SIZE,
			     MSG_DONTWAIT, (struct sockaddr *)&from, &from_len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			if (errno == ENOBUFS) {
				/* Lost some; the socket stays usable. */
				overrun = true;
				continue;
			}
			return -errno;
		}
		/* Only the kernel speaks on RTMGRP_LINK. */
		if (from.nl_pid != 0)
			continue;
		left = (size_t)n;
		for (h = (const struct nlmsghdr *)nl->buf; msg_fits(h, left);
		     h = msg_next(h, &left)) {
			struct netlink_link link;

			if (netlink_parse_link(h, (size_t)left, &link) == 0)
				fn(&link, data);
		}
	}
	return overrun ? -ENOBUFS : 0;
}

const char *netlink_operstate_name(uint8_t operstate)
{
	static const char *const names[] = {
		[IF_OPER_UNKNOWN] = "unknown",
		[IF_OPER_NOTPRESENT] = "notpresent",
		[IF_OPER_DOWN] = "down",
		[IF_OPER_LOWERLAYERDOWN] = "lowerlayerdown",
		[IF_OPER_TESTING] = "testing",
		[IF_OPER_DORMANT] = "dormant",
		[IF_OPER_UP] = "up",
	};

	if (operstate < ARRAY_SIZE(names) && names[operstate])
		return names[operstate];
	return "unknown";
}
