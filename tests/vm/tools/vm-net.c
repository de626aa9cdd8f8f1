/* SPDX-License-Identifier: MIT */
/*
 * vm-net: drive gadgetd's netlink, dhcp and ifupdown modules from VM
 * scenarios, on the real gadget-side netdev of a bound gadget, so that the
 * kernel (not a unit test's veth pair) answers.  One verb per run; every failure is one line
 * on stderr and exit status 1.
 *
 *   vm-net link IFNAME
 *   vm-net configure IFNAME up|down [ADDR/LEN...]
 *   vm-net addresses IFNAME
 *   vm-net watch IFNAME SECONDS CONDITION
 *   vm-net dhcp IFNAME ADDR/LEN [--host-mac MAC] [--search-path P]
 *          [--runtime-dir D]
 *   vm-net ifupdown-lookup IFNAME [INTERFACES_FILE]
 *   vm-net ifup|ifdown IFNAME [INTERFACES_FILE]
 *
 * watch prints "ready" once it listens, then every notification about
 * IFNAME, and exits 0 at the first one matching CONDITION (up=0, up=1,
 * carrier=0, carrier=1, removed), 1 when none came within SECONDS.
 * dhcp prepares the server for IFNAME and exec()s it in the foreground.
 * ifupdown-lookup prints what ifupdown_lookup() found; ifup and ifdown exec
 * the command line ifupdown_argv_up()/_down() build.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if.h>

#include "dhcp.h"
#include "ifupdown.h"
#include "netlink.h"
#include "util.h"

#define MAX_ADDRESSES 8

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("vm-net: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int parse_address(const char *text, struct ip_address *out)
{
	char *slash, *end, *ip;
	long prefix;
	int max;

	memset(out, 0, sizeof(*out));
	slash = strchr(text, '/');
	if (!slash)
		return -EINVAL;
	ip = xstrndup(text, (size_t)(slash - text));
	out->family = strchr(ip, ':') ? AF_INET6 : AF_INET;
	max = out->family == AF_INET6 ? 128 : 32;
	if (inet_pton(out->family, ip, out->addr) != 1) {
		free(ip);
		return -EINVAL;
	}
	free(ip);
	errno = 0;
	prefix = strtol(slash + 1, &end, 10);
	if (errno || *end || end == slash + 1 || prefix < 0 || prefix > max)
		return -EINVAL;
	out->prefix_len = (int)prefix;
	/* Borrowed from argv, which outlives every use. */
	out->text = (char *)text;
	return 0;
}

static int parse_mac(const char *text, uint8_t mac[6])
{
	char tail;

	if (sscanf(text, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx%c", &mac[0],
		   &mac[1], &mac[2], &mac[3], &mac[4], &mac[5], &tail) != 6)
		return -EINVAL;
	return 0;
}

static void print_link(const char *what, const struct netlink_link *l)
{
	printf("%s ifname=%s ifindex=%d up=%d lower_up=%d carrier=%d operstate=%s",
	       what, l->ifname, l->ifindex, !!(l->flags & IFF_UP),
	       !!(l->flags & IFF_LOWER_UP), l->carrier,
	       netlink_operstate_name(l->operstate));
	if (l->has_mac)
		printf(" mac=%02x:%02x:%02x:%02x:%02x:%02x", l->mac[0],
		       l->mac[1], l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
	if (l->removed)
		printf(" removed=1");
	putchar('\n');
	fflush(stdout);
}

static int cmd_link(struct netlink *nl, int argc, char **argv)
{
	struct netlink_link l;
	int r;

	if (argc != 1)
		return fail("usage: vm-net link IFNAME");
	r = netlink_link_get(nl, argv[0], &l);
	if (r < 0)
		return fail("link %s: %s", argv[0], strerror(-r));
	print_link("link", &l);
	return 0;
}

static int cmd_configure(struct netlink *nl, int argc, char **argv)
{
	struct ip_address addrs[MAX_ADDRESSES];
	size_t n = 0;
	bool up;
	int r, i;

	if (argc < 2 || argc - 2 > MAX_ADDRESSES ||
	    (!streq(argv[1], "up") && !streq(argv[1], "down")))
		return fail(
			"usage: vm-net configure IFNAME up|down [ADDR/LEN...]");
	up = streq(argv[1], "up");
	for (i = 2; i < argc; i++) {
		if (parse_address(argv[i], &addrs[n]) < 0)
			return fail("'%s' is not an address/prefix", argv[i]);
		n++;
	}
	r = netlink_link_configure(nl, argv[0], addrs, n, up);
	if (r < 0)
		return fail("configure %s %s: %s", argv[0], argv[1],
			    strerror(-r));
	return 0;
}

static int cmd_addresses(struct netlink *nl, int argc, char **argv)
{
	struct ip_address *list;
	size_t n, i;
	int r;

	if (argc != 1)
		return fail("usage: vm-net addresses IFNAME");
	r = netlink_address_list(nl, argv[0], AF_UNSPEC, &list, &n);
	if (r < 0)
		return fail("addresses %s: %s", argv[0], strerror(-r));
	for (i = 0; i < n; i++)
		printf("%s\n", list[i].text);
	netlink_address_list_free(list, n);
	return 0;
}

struct watch {
	const char *ifname;
	const char *condition;
	bool matched;
};

static bool watch_matches(const struct netlink_link *l, const char *cond)
{
	if (streq(cond, "removed"))
		return l->removed;
	if (l->removed)
		return false;
	if (streq(cond, "up=0"))
		return !(l->flags & IFF_UP);
	if (streq(cond, "up=1"))
		return l->flags & IFF_UP;
	if (streq(cond, "carrier=0"))
		return !l->carrier;
	if (streq(cond, "carrier=1"))
		return l->carrier;
	return false;
}

static void watch_link(const struct netlink_link *l, void *data)
{
	struct watch *w = data;

	if (!streq(l->ifname, w->ifname))
		return;
	print_link("event", l);
	if (watch_matches(l, w->condition))
		w->matched = true;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int cmd_watch(struct netlink *nl, int argc, char **argv)
{
	static const char *const conditions[] = { "up=0", "up=1", "carrier=0",
						  "carrier=1", "removed" };
	struct watch w = { 0 };
	int64_t deadline;
	bool known = false;
	size_t i;
	int r;

	if (argc != 3)
		return fail("usage: vm-net watch IFNAME SECONDS CONDITION");
	for (i = 0; i < ARRAY_SIZE(conditions); i++)
		known |= streq(argv[2], conditions[i]);
	if (!known)
		return fail(
			"unknown condition '%s' (up=0 up=1 carrier=0 carrier=1 removed)",
			argv[2]);
	w.ifname = argv[0];
	w.condition = argv[2];
	deadline = now_ms() + atoi(argv[1]) * 1000LL;

	printf("ready\n");
	fflush(stdout);
	while (!w.matched) {
		struct pollfd p = { .fd = netlink_fd(nl), .events = POLLIN };
		int64_t left = deadline - now_ms();

		if (left <= 0)
			return fail(
				"watch %s: no notification with %s within %s s",
				w.ifname, w.condition, argv[1]);
		r = poll(&p, 1, (int)left);
		if (r < 0 && errno != EINTR)
			return fail("watch %s: poll: %s", w.ifname,
				    strerror(errno));
		if (r <= 0)
			continue;
		r = netlink_dispatch(nl, watch_link, &w);
		if (r < 0)
			return fail("watch %s: %s", w.ifname, strerror(-r));
	}
	return 0;
}

static int cmd_dhcp(int argc, char **argv)
{
	struct dhcp_params params = { 0 };
	struct dhcp_server server;
	struct dhcp_instance inst;
	struct ip_address a;
	const char *search_path = NULL;
	char *line;
	int r, i;

	if (argc < 2)
		return fail(
			"usage: vm-net dhcp IFNAME ADDR/LEN [--host-mac MAC] [--search-path P] [--runtime-dir D]");
	params.ifname = argv[0];
	if (parse_address(argv[1], &a) < 0)
		return fail("'%s' is not an address/prefix", argv[1]);
	params.address = &a;
	for (i = 2; i < argc; i++) {
		if (i + 1 >= argc)
			return fail("%s needs a value", argv[i]);
		if (streq(argv[i], "--host-mac")) {
			if (parse_mac(argv[i + 1], params.host_mac) < 0)
				return fail("'%s' is not a MAC address",
					    argv[i + 1]);
			params.has_host_mac = true;
		} else if (streq(argv[i], "--search-path")) {
			search_path = argv[i + 1];
		} else if (streq(argv[i], "--runtime-dir")) {
			params.runtime_dir = argv[i + 1];
		} else {
			return fail("unknown option '%s'", argv[i]);
		}
		i++;
	}

	r = dhcp_server_find(search_path, &server);
	if (r < 0)
		return fail("no DHCP server found: %s", strerror(-r));
	r = dhcp_prepare(&server, &params, &inst);
	if (r < 0)
		return fail("dhcp %s: prepare: %s", params.ifname,
			    strerror(-r));
	line = program_argv_join(inst.argv);
	fprintf(stderr, "vm-net: %s for %s: config %s: %s\n",
		dhcp_server_type_name(server.type), params.ifname,
		inst.config_path, line);
	free(line);
	fflush(NULL);
	execv(inst.argv[0], inst.argv);
	r = fail("exec %s: %s", inst.argv[0], strerror(errno));
	dhcp_instance_clear(&inst);
	dhcp_server_clear(&server);
	return r;
}

static int cmd_ifupdown_lookup(int argc, char **argv)
{
	struct ifupdown_stanza st;
	int r;

	if (argc < 1 || argc > 2)
		return fail(
			"usage: vm-net ifupdown-lookup IFNAME [INTERFACES_FILE]");
	r = ifupdown_lookup(argc == 2 ? argv[1] : NULL, argv[0], &st);
	if (r < 0)
		return fail("ifupdown-lookup %s: %s", argv[0], strerror(-r));
	printf("found=%d", st.found);
	if (st.found)
		printf(" file=%s line=%d method=%s inet=%d inet6=%d auto=%d hotplug=%d",
		       st.file, st.line, st.method ? st.method : "", st.inet,
		       st.inet6, st.is_auto, st.hotplug);
	putchar('\n');
	ifupdown_stanza_clear(&st);
	return 0;
}

static int cmd_ifupdown_run(bool up, int argc, char **argv)
{
	struct ifupdown_tools tools;
	const char *file;
	char **args, *line;
	int r;

	if (argc < 1 || argc > 2)
		return fail(
			"usage: vm-net ifup|ifdown IFNAME [INTERFACES_FILE]");
	file = argc == 2 ? argv[1] : NULL;
	r = ifupdown_find(NULL, &tools);
	if (r < 0)
		return fail("no ifup/ifdown found: %s", strerror(-r));
	if (up)
		args = ifupdown_argv_up(&tools, file, argv[0]);
	else
		args = ifupdown_argv_down(&tools, file, argv[0]);
	line = program_argv_join(args);
	fprintf(stderr, "vm-net: %s\n", line);
	free(line);
	fflush(NULL);
	execv(args[0], args);
	r = fail("exec %s: %s", args[0], strerror(errno));
	program_argv_free(args);
	ifupdown_tools_clear(&tools);
	return r;
}

int main(int argc, char **argv)
{
	struct netlink *nl;
	int r;

	if (argc < 3)
		return fail(
			"usage: vm-net VERB IFNAME ... (verbs: link configure addresses watch dhcp ifupdown-lookup ifup ifdown)");
	if (streq(argv[1], "dhcp"))
		return cmd_dhcp(argc - 2, argv + 2);
	if (streq(argv[1], "ifupdown-lookup"))
		return cmd_ifupdown_lookup(argc - 2, argv + 2);
	if (streq(argv[1], "ifup") || streq(argv[1], "ifdown"))
		return cmd_ifupdown_run(streq(argv[1], "ifup"), argc - 2,
					argv + 2);

	r = netlink_open(&nl);
	if (r < 0)
		return fail("netlink: %s", strerror(-r));
	if (streq(argv[1], "link"))
		r = cmd_link(nl, argc - 2, argv + 2);
	else if (streq(argv[1], "configure"))
		r = cmd_configure(nl, argc - 2, argv + 2);
	else if (streq(argv[1], "addresses"))
		r = cmd_addresses(nl, argc - 2, argv + 2);
	else if (streq(argv[1], "watch"))
		r = cmd_watch(nl, argc - 2, argv + 2);
	else
		r = fail("unknown verb '%s'", argv[1]);
	netlink_close(nl);
	return r;
}
