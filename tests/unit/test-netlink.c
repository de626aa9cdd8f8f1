/* SPDX-License-Identifier: MIT */
/*
 * netlink.c: the exact bytes of every request, the parsers on well-formed
 * and broken messages, and, when the test may create a network namespace
 * (root), the real thing against a veth pair: up/down, addresses, carrier
 * and RTM_NEWLINK notifications.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "net.h"
#include "netlink.h"
#include "testlib.h"

/* Host-order writers: the expected messages spelled out field by field. */
struct bytes {
	uint8_t b[NETLINK_MSG_MAX];
	size_t n;
};

static void put8(struct bytes *x, uint8_t v)
{
	x->b[x->n++] = v;
}

static void put16(struct bytes *x, uint16_t v)
{
	memcpy(x->b + x->n, &v, 2);
	x->n += 2;
}

static void put32(struct bytes *x, uint32_t v)
{
	memcpy(x->b + x->n, &v, 4);
	x->n += 4;
}

static void putmem(struct bytes *x, const void *p, size_t len)
{
	memcpy(x->b + x->n, p, len);
	x->n += len;
}

static void pad4(struct bytes *x)
{
	while (x->n % 4)
		put8(x, 0);
}

static void set16(struct bytes *x, size_t at, uint16_t v)
{
	memcpy(x->b + at, &v, 2);
}

static void set32(struct bytes *x, size_t at, uint32_t v)
{
	memcpy(x->b + at, &v, 4);
}

/* Fix up nlmsg_len once the message is complete. */
static void finish(struct bytes *x)
{
	uint32_t len = (uint32_t)x->n;

	memcpy(x->b, &len, 4);
}

static void check_bytes(const char *what, const struct netlink_msg *m,
			const struct bytes *want)
{
	CHECK_INT_EQ(m->u.hdr.nlmsg_len, want->n);
	if (m->u.hdr.nlmsg_len != want->n)
		return;
	for (size_t i = 0; i < want->n; i++) {
		if (m->u.bytes[i] != want->b[i]) {
			testlib_fail(__FILE__, __LINE__,
				     "%s: byte %zu is 0x%02x, want 0x%02x",
				     what, i, m->u.bytes[i], want->b[i]);
			return;
		}
	}
	CHECK(1);
}

static struct ip_address addr(int family, const char *text, int prefix)
{
	struct ip_address a = { .family = family, .prefix_len = prefix };

	if (inet_pton(family, text, a.addr) != 1)
		testlib_fail(__FILE__, __LINE__, "bad test address %s", text);
	a.text = NULL;
	return a;
}

static void test_msg_link_set_up(void)
{
	struct netlink_msg m;
	struct bytes want = { .n = 0 };

	CHECK_INT_EQ(netlink_msg_link_set_up(&m, "usb0", true), 0);
	put32(&want, 0); /* nlmsg_len */
	put16(&want, 16); /* RTM_NEWLINK */
	put16(&want, 0x1 | 0x4); /* NLM_F_REQUEST | NLM_F_ACK */
	put32(&want, 0); /* seq */
	put32(&want, 0); /* pid */
	put8(&want, 0); /* ifi_family AF_UNSPEC */
	put8(&want, 0);
	put16(&want, 0); /* ifi_type */
	put32(&want, 0); /* ifi_index: by name */
	put32(&want, 0x1); /* ifi_flags IFF_UP */
	put32(&want, 0x1); /* ifi_change IFF_UP */
	put16(&want, 4 + 5); /* rta_len */
	put16(&want, 3); /* IFLA_IFNAME */
	putmem(&want, "usb0", 5);
	pad4(&want);
	finish(&want);
	check_bytes("link up", &m, &want);

	CHECK_INT_EQ(netlink_msg_link_set_up(&m, "usb0", false), 0);
	set32(&want, 16 + 8, 0); /* ifi_flags cleared, ifi_change kept */
	check_bytes("link down", &m, &want);

	CHECK_INT_EQ(netlink_msg_link_set_up(&m, "", true), -EINVAL);
	CHECK_INT_EQ(netlink_msg_link_set_up(&m, "0123456789abcdef", true),
		     -EINVAL);
	CHECK_INT_EQ(netlink_msg_link_set_up(&m, "0123456789abcde", true), 0);
	CHECK_INT_EQ(netlink_msg_link_set_up(&m, "a/b", true), -EINVAL);
}

static void test_msg_link_get(void)
{
	struct netlink_msg m;
	struct bytes want = { .n = 0 };

	CHECK_INT_EQ(netlink_msg_link_get(&m, "usb0"), 0);
	put32(&want, 0);
	put16(&want, 18); /* RTM_GETLINK */
	put16(&want, 0x1 | 0x4);
	put32(&want, 0);
	put32(&want, 0);
	put8(&want, 0);
	put8(&want, 0);
	put16(&want, 0);
	put32(&want, 0);
	put32(&want, 0);
	put32(&want, 0);
	put16(&want, 9);
	put16(&want, 3); /* IFLA_IFNAME */
	putmem(&want, "usb0", 5);
	pad4(&want);
	put16(&want, 8);
	put16(&want, 29); /* IFLA_EXT_MASK */
	put32(&want, 1u << 3); /* RTEXT_FILTER_SKIP_STATS */
	finish(&want);
	check_bytes("link get", &m, &want);
}

static void test_msg_address(void)
{
	struct netlink_msg m;
	struct bytes want = { .n = 0 };
	struct ip_address a4 = addr(AF_INET, "192.168.7.2", 24);
	struct ip_address a6 = addr(AF_INET6, "fd00::2", 64);
	static const uint8_t v4[4] = { 192, 168, 7, 2 };
	static const uint8_t brd[4] = { 192, 168, 7, 255 };
	static const uint8_t v6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0,
					0,    0, 0, 0, 0, 0, 0, 2 };

	CHECK_INT_EQ(netlink_msg_address(&m, RTM_NEWADDR, 7, &a4), 0);
	put32(&want, 0);
	put16(&want, 20); /* RTM_NEWADDR */
	put16(&want, 0x1 | 0x4 | 0x400 | 0x200); /* REQUEST ACK CREATE EXCL */
	put32(&want, 0);
	put32(&want, 0);
	put8(&want, 2); /* AF_INET */
	put8(&want, 24); /* prefix */
	put8(&want, 0); /* flags */
	put8(&want, 0); /* RT_SCOPE_UNIVERSE */
	put32(&want, 7); /* ifindex */
	put16(&want, 8);
	put16(&want, 2); /* IFA_LOCAL */
	putmem(&want, v4, 4);
	put16(&want, 8);
	put16(&want, 1); /* IFA_ADDRESS */
	putmem(&want, v4, 4);
	put16(&want, 8);
	put16(&want, 4); /* IFA_BROADCAST */
	putmem(&want, brd, 4);
	finish(&want);
	check_bytes("add 192.168.7.2/24", &m, &want);

	/* Delete: no CREATE|EXCL, no broadcast. */
	CHECK_INT_EQ(netlink_msg_address(&m, RTM_DELADDR, 7, &a4), 0);
	want.n -= 8;
	set16(&want, 4, 21); /* RTM_DELADDR */
	set16(&want, 6, 0x1 | 0x4);
	finish(&want);
	check_bytes("delete 192.168.7.2/24", &m, &want);

	/* /30 broadcast: 10.0.0.5/30 -> 10.0.0.7 */
	{
		struct ip_address a = addr(AF_INET, "10.0.0.5", 30);
		const uint8_t *p;

		CHECK_INT_EQ(netlink_msg_address(&m, RTM_NEWADDR, 1, &a), 0);
		CHECK_INT_EQ(m.u.hdr.nlmsg_len, 16 + 8 + 8 * 3);
		p = m.u.bytes + 16 + 8 + 16 + 4;
		CHECK(p[0] == 10 && p[1] == 0 && p[2] == 0 && p[3] == 7);
	}
	/* /31 and /32 have no broadcast address. */
	{
		struct ip_address a = addr(AF_INET, "10.0.0.4", 31);

		CHECK_INT_EQ(netlink_msg_address(&m, RTM_NEWADDR, 1, &a), 0);
		CHECK_INT_EQ(m.u.hdr.nlmsg_len, 16 + 8 + 8 * 2);
		a.prefix_len = 32;
		CHECK_INT_EQ(netlink_msg_address(&m, RTM_NEWADDR, 1, &a), 0);
		CHECK_INT_EQ(m.u.hdr.nlmsg_len, 16 + 8 + 8 * 2);
		a.prefix_len = 33;
		CHECK_INT_EQ(netlink_msg_address(&m, RTM_NEWADDR, 1, &a),
			     -EINVAL);
	}

	want.n = 0;
	CHECK_INT_EQ(netlink_msg_address(&m, RTM_NEWADDR, 3, &a6), 0);
	put32(&want, 0);
	put16(&want, 20);
	put16(&want, 0x605);
	put32(&want, 0);
	put32(&want, 0);
	put8(&want, 10); /* AF_INET6 */
	put8(&want, 64);
	put8(&want, 0);
	put8(&want, 0);
	put32(&want, 3);
	put16(&want, 20);
	put16(&want, 2);
	putmem(&want, v6, 16);
	put16(&want, 20);
	put16(&want, 1);
	putmem(&want, v6, 16);
	finish(&want);
	check_bytes("add fd00::2/64", &m, &want);

	a6.prefix_len = 129;
	CHECK_INT_EQ(netlink_msg_address(&m, RTM_NEWADDR, 3, &a6), -EINVAL);
	a6.prefix_len = 64;
	CHECK_INT_EQ(netlink_msg_address(&m, RTM_NEWADDR, 0, &a6), -EINVAL);
	CHECK_INT_EQ(netlink_msg_address(&m, RTM_NEWLINK, 3, &a6), -EINVAL);
	a6.family = AF_UNSPEC;
	CHECK_INT_EQ(netlink_msg_address(&m, RTM_NEWADDR, 3, &a6), -EINVAL);
}

/* An RTM_NEWLINK as the kernel sends it, with the attributes we read. */
static void build_newlink(struct bytes *x, uint16_t type, bool with_carrier)
{
	static const uint8_t mac[6] = { 0x02, 0x1d, 0x6b, 0x00, 0x01, 0x02 };
	uint32_t mtu = 1500;

	x->n = 0;
	put32(x, 0);
	put16(x, type);
	put16(x, 0);
	put32(x, 0);
	put32(x, 0);
	put8(x, 0);
	put8(x, 0);
	put16(x, 1); /* ARPHRD_ETHER */
	put32(x, 5); /* ifindex */
	put32(x, 0x1 | 0x40 | 0x10000); /* UP RUNNING LOWER_UP */
	put32(x, 0);
	put16(x, 4 + 5);
	put16(x, 3); /* IFLA_IFNAME */
	putmem(x, "usb0", 5);
	pad4(x);
	put16(x, 8);
	put16(x, 4); /* IFLA_MTU: skipped */
	putmem(x, &mtu, 4);
	put16(x, 4 + 1);
	put16(x, 16); /* IFLA_OPERSTATE */
	put8(x, 6); /* IF_OPER_UP */
	pad4(x);
	if (with_carrier) {
		put16(x, 4 + 1);
		put16(x, 33); /* IFLA_CARRIER */
		put8(x, 1);
		pad4(x);
	}
	put16(x, 4 + 6);
	put16(x, 1); /* IFLA_ADDRESS */
	putmem(x, mac, 6);
	pad4(x);
	finish(x);
}

static void test_parse_link(void)
{
	struct bytes x;
	struct netlink_link link;
	const struct nlmsghdr *h = (const struct nlmsghdr *)x.b;

	build_newlink(&x, RTM_NEWLINK, true);
	CHECK_INT_EQ(netlink_parse_link(h, x.n, &link), 0);
	CHECK_INT_EQ(link.ifindex, 5);
	CHECK_STR_EQ(link.ifname, "usb0");
	CHECK_INT_EQ(link.flags, 0x1 | 0x40 | 0x10000);
	CHECK_INT_EQ(link.operstate, IF_OPER_UP);
	CHECK(link.carrier);
	CHECK(link.has_mac);
	CHECK_INT_EQ(link.mac[0], 0x02);
	CHECK_INT_EQ(link.mac[5], 0x02);
	CHECK(!link.removed);

	/* Without IFLA_CARRIER, carrier comes from IFF_LOWER_UP. */
	build_newlink(&x, RTM_NEWLINK, false);
	CHECK_INT_EQ(netlink_parse_link(h, x.n, &link), 0);
	CHECK(link.carrier);
	set32(&x, 16 + 8, 0x1 | 0x40); /* IFF_LOWER_UP cleared */
	CHECK_INT_EQ(netlink_parse_link(h, x.n, &link), 0);
	CHECK(!link.carrier);

	build_newlink(&x, RTM_DELLINK, true);
	CHECK_INT_EQ(netlink_parse_link(h, x.n, &link), 0);
	CHECK(link.removed);

	/* Another message type. */
	build_newlink(&x, RTM_NEWADDR, true);
	CHECK_INT_EQ(netlink_parse_link(h, x.n, &link), -ENOMSG);

	/* nlmsg_len beyond the bytes received. */
	build_newlink(&x, RTM_NEWLINK, true);
	CHECK_INT_EQ(netlink_parse_link(h, x.n - 4, &link), -EBADMSG);
	/* Shorter than struct ifinfomsg. */
	CHECK_INT_EQ(netlink_parse_link(h, 20, &link), -EBADMSG);
	set32(&x, 0, 20);
	CHECK_INT_EQ(netlink_parse_link(h, x.n, &link), -EBADMSG);
	/* An attribute that claims more than the message holds. */
	build_newlink(&x, RTM_NEWLINK, true);
	set16(&x, x.n - 12, 200); /* rta_len of IFLA_ADDRESS */
	CHECK_INT_EQ(netlink_parse_link(h, x.n, &link), -EBADMSG);
	/* An interface name without its NUL. */
	build_newlink(&x, RTM_NEWLINK, true);
	x.b[32 + 4 + 4] = 'X';
	CHECK_INT_EQ(netlink_parse_link(h, x.n, &link), -EBADMSG);
	/* No interface name at all. */
	build_newlink(&x, RTM_NEWLINK, true);
	set16(&x, 32 + 2, 99); /* IFLA_IFNAME becomes an unknown attribute */
	CHECK_INT_EQ(netlink_parse_link(h, x.n, &link), -EBADMSG);
	/* Fewer bytes than a header. */
	CHECK_INT_EQ(netlink_parse_link(h, 8, &link), -EBADMSG);
}

static void test_parse_address(void)
{
	static const uint8_t local[4] = { 192, 168, 7, 2 };
	static const uint8_t peer[4] = { 192, 168, 7, 1 };
	static const uint8_t v6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0,
					0,    0, 0, 0, 0, 0, 0, 2 };
	struct bytes x = { .n = 0 };
	const struct nlmsghdr *h = (const struct nlmsghdr *)x.b;
	struct ip_address a;
	int ifindex = 0;

	put32(&x, 0);
	put16(&x, 20);
	put16(&x, 0);
	put32(&x, 0);
	put32(&x, 0);
	put8(&x, 2);
	put8(&x, 24);
	put8(&x, 0x80); /* IFA_F_PERMANENT */
	put8(&x, 0);
	put32(&x, 9);
	put16(&x, 8);
	put16(&x, 1); /* IFA_ADDRESS: the peer */
	putmem(&x, peer, 4);
	put16(&x, 8);
	put16(&x, 2); /* IFA_LOCAL: ours */
	putmem(&x, local, 4);
	finish(&x);
	CHECK_INT_EQ(netlink_parse_address(h, x.n, &ifindex, &a), 0);
	CHECK_INT_EQ(ifindex, 9);
	CHECK_INT_EQ(a.family, AF_INET);
	CHECK_INT_EQ(a.prefix_len, 24);
	CHECK_STR_EQ(a.text, "192.168.7.2/24");
	free(a.text);

	/* A wrong-sized address. */
	set16(&x, x.n - 8, 7);
	CHECK_INT_EQ(netlink_parse_address(h, x.n, &ifindex, &a), -EBADMSG);

	x.n = 0;
	put32(&x, 0);
	put16(&x, 20);
	put16(&x, 0);
	put32(&x, 0);
	put32(&x, 0);
	put8(&x, 10);
	put8(&x, 64);
	put8(&x, 0);
	put8(&x, 0);
	put32(&x, 3);
	put16(&x, 20);
	put16(&x, 1); /* IPv6: IFA_ADDRESS only */
	putmem(&x, v6, 16);
	finish(&x);
	CHECK_INT_EQ(netlink_parse_address(h, x.n, &ifindex, &a), 0);
	CHECK_INT_EQ(ifindex, 3);
	CHECK_STR_EQ(a.text, "fd00::2/64");
	free(a.text);

	/* A prefix longer than the family allows. */
	x.b[17] = 129;
	CHECK_INT_EQ(netlink_parse_address(h, x.n, &ifindex, &a), -EBADMSG);
	x.b[17] = 64;
	set16(&x, 4, 16); /* RTM_NEWLINK */
	CHECK_INT_EQ(netlink_parse_address(h, x.n, &ifindex, &a), -ENOMSG);
}

static void test_names(void)
{
	CHECK_STR_EQ(netlink_operstate_name(IF_OPER_UP), "up");
	CHECK_STR_EQ(netlink_operstate_name(IF_OPER_DOWN), "down");
	CHECK_STR_EQ(netlink_operstate_name(IF_OPER_LOWERLAYERDOWN),
		     "lowerlayerdown");
	CHECK_STR_EQ(netlink_operstate_name(IF_OPER_DORMANT), "dormant");
	CHECK_STR_EQ(netlink_operstate_name(200), "unknown");
	{
		uint8_t a[16] = { 0xfe, 0x80 };
		char *s;

		a[15] = 1;
		s = netlink_address_text(AF_INET6, a, 64);
		CHECK_STR_EQ(s, "fe80::1/64");
		free(s);
	}
}

/* Live part: a private network namespace with a veth pair. */

static int run_ip(const char *ip, const char *args)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "%s %s", ip, args);
	return system(cmd);
}

struct seen {
	bool v0_carrier;
	bool v0_up;
	bool v0_down;
	int v0_operstate;
};

static void on_link(const struct netlink_link *link, void *data)
{
	struct seen *seen = data;

	if (strcmp(link->ifname, "v0") != 0)
		return;
	seen->v0_operstate = link->operstate;
	if (link->flags & IFF_UP)
		seen->v0_up = true;
	else
		seen->v0_down = true;
	if (link->carrier && link->operstate == IF_OPER_UP)
		seen->v0_carrier = true;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait (bounded) on the notification socket until pred(seen) holds. */
static bool wait_for(struct netlink *nl, struct seen *seen,
		     bool (*pred)(const struct seen *))
{
	int64_t deadline = mono_ms() + 5000;

	while (!pred(seen)) {
		struct pollfd pfd = { .fd = netlink_fd(nl), .events = POLLIN };
		int64_t left = deadline - mono_ms();

		if (left <= 0)
			return false;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		CHECK_INT_EQ(netlink_dispatch(nl, on_link, seen), 0);
	}
	return true;
}

static bool pred_carrier(const struct seen *s)
{
	return s->v0_carrier;
}

static bool pred_down(const struct seen *s)
{
	return s->v0_down;
}

static bool has_address(struct netlink *nl, const char *ifname, int family,
			const char *text)
{
	struct ip_address *list;
	size_t n;
	bool found = false;

	if (netlink_address_list(nl, ifname, family, &list, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].text, text) == 0)
			found = true;
	netlink_address_list_free(list, n);
	return found;
}

static size_t count_addresses(struct netlink *nl, const char *ifname,
			      int family)
{
	struct ip_address *list;
	size_t n;

	if (netlink_address_list(nl, ifname, family, &list, &n) < 0)
		return (size_t)-1;
	netlink_address_list_free(list, n);
	return n;
}

static void test_live(void)
{
	struct ip_address addrs[2] = {
		addr(AF_INET, "192.168.7.2", 24),
		addr(AF_INET6, "fd00::2", 64),
	};
	struct netlink *nl = NULL;
	struct netlink_link link;
	struct seen seen = { 0 };
	const char *ip = testlib_find_ip();

	addrs[0].text = "192.168.7.2/24";
	addrs[1].text = "fd00::2/64";
	if (!ip) {
		printf("test-netlink: live part skipped: no iproute2 ip\n");
		return;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		printf("test-netlink: live part skipped: cannot create a "
		       "network namespace (%s); run as root\n",
		       strerror(errno));
		return;
	}
	if (run_ip(ip, "link add v0 type veth peer name v1") != 0) {
		testlib_fail(__FILE__, __LINE__, "cannot create veth pair");
		return;
	}
	CHECK_INT_EQ(netlink_open(&nl), 0);
	if (!nl)
		return;
	CHECK(netlink_fd(nl) >= 0);

	CHECK_INT_EQ(netlink_link_get(nl, "v0", &link), 0);
	CHECK(link.ifindex > 0);
	CHECK_STR_EQ(link.ifname, "v0");
	CHECK(!(link.flags & IFF_UP));
	CHECK(!link.carrier);
	CHECK(link.has_mac);
	CHECK_INT_EQ(netlink_link_get(nl, "nosuch0", &link), -ENODEV);
	CHECK_INT_EQ(netlink_link_set_up(nl, "nosuch0", true), -ENODEV);

	/* Idempotent add; IPv6 on a down link is accepted. */
	CHECK_INT_EQ(netlink_address_add(nl, "v0", &addrs[0]), 0);
	CHECK_INT_EQ(netlink_address_add(nl, "v0", &addrs[0]), 0);
	CHECK_INT_EQ(count_addresses(nl, "v0", AF_INET), 1);
	CHECK(has_address(nl, "v0", AF_INET, "192.168.7.2/24"));
	CHECK_INT_EQ(netlink_address_add(nl, "nosuch0", &addrs[0]), -ENODEV);

	/* The link policy: addresses, then up.  No carrier while v1 is down. */
	CHECK_INT_EQ(netlink_link_configure(nl, "v0", addrs, 2, true), 0);
	CHECK_INT_EQ(netlink_link_get(nl, "v0", &link), 0);
	CHECK(link.flags & IFF_UP);
	CHECK(!link.carrier);
	CHECK(has_address(nl, "v0", AF_INET6, "fd00::2/64"));
	CHECK(has_address(nl, "v0", AF_INET, "192.168.7.2/24"));

	/* The peer opening its side is what the USB host's carrier is. */
	CHECK_INT_EQ(netlink_dispatch(nl, on_link, &seen), 0);
	memset(&seen, 0, sizeof(seen));
	CHECK_INT_EQ(run_ip(ip, "link set v1 up"), 0);
	CHECK(wait_for(nl, &seen, pred_carrier));
	CHECK_INT_EQ(netlink_link_get(nl, "v0", &link), 0);
	CHECK(link.carrier);
	CHECK_STR_EQ(netlink_operstate_name(link.operstate), "up");

	/* An admin's `ip link set v0 down` is noticed. */
	memset(&seen, 0, sizeof(seen));
	CHECK_INT_EQ(run_ip(ip, "link set v0 down"), 0);
	CHECK(wait_for(nl, &seen, pred_down));
	CHECK_INT_EQ(netlink_link_get(nl, "v0", &link), 0);
	CHECK(!(link.flags & IFF_UP));
	/*
	 * The kernel keeps IPv4 addresses on a down link and (with the
	 * default keep_addr_on_down = 0) drops IPv6 ones: that is why every
	 * up adds the addresses again.
	 */
	CHECK(has_address(nl, "v0", AF_INET, "192.168.7.2/24"));
	CHECK(!has_address(nl, "v0", AF_INET6, "fd00::2/64"));
	CHECK_INT_EQ(netlink_link_configure(nl, "v0", addrs, 2, true), 0);
	CHECK(has_address(nl, "v0", AF_INET6, "fd00::2/64"));

	CHECK_INT_EQ(netlink_link_configure(nl, "v0", addrs, 2, false), 0);
	CHECK_INT_EQ(netlink_link_get(nl, "v0", &link), 0);
	CHECK(!(link.flags & IFF_UP));

	/* Delete what we added; a second delete and a gone link are fine. */
	CHECK_INT_EQ(netlink_address_delete(nl, "v0", &addrs[0]), 0);
	CHECK_INT_EQ(netlink_address_delete(nl, "v0", &addrs[0]), 0);
	CHECK_INT_EQ(count_addresses(nl, "v0", AF_INET), 0);
	CHECK_INT_EQ(netlink_address_delete(nl, "nosuch0", &addrs[0]), 0);

	/* The interface going away is a notification too. */
	CHECK_INT_EQ(run_ip(ip, "link del v0"), 0);
	CHECK_INT_EQ(netlink_link_get(nl, "v0", &link), -ENODEV);
	netlink_close(nl);
}

/* net.c's sysctl for the links it manages, on a fake /proc/sys. */
static void test_ignore_linkdown(void)
{
	char dir[] = "/tmp/test-netlink.XXXXXX", cmd[256], *text;

	if (!mkdtemp(dir)) {
		testlib_fail(__FILE__, __LINE__, "mkdtemp: %s",
			     strerror(errno));
		return;
	}
	snprintf(
		cmd, sizeof(cmd),
		"mkdir -p %s/net/ipv4/conf/usb0 && echo 0 >%s/net/ipv4/conf/usb0/ignore_routes_with_linkdown",
		dir, dir);
	CHECK_INT_EQ(system(cmd), 0);
	/* No ipv6 directory: a kernel without IPv6 is fine. */
	CHECK_INT_EQ(net_ignore_linkdown_routes(dir, "usb0"), 0);
	snprintf(cmd, sizeof(cmd),
		 "%s/net/ipv4/conf/usb0/ignore_routes_with_linkdown", dir);
	text = testlib_read_file(cmd, NULL);
	CHECK_STR_EQ(text, "1\n");
	free(text);
	/* An interface the kernel does not know is an error. */
	CHECK_INT_EQ(net_ignore_linkdown_routes(dir, "usb9"), -ENOENT);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT_EQ(system(cmd), 0);
}

int main(void)
{
	test_ignore_linkdown();
	test_msg_link_set_up();
	test_msg_link_get();
	test_msg_address();
	test_parse_link();
	test_parse_address();
	test_names();
	test_live();
	return testlib_finish("test-netlink");
}
