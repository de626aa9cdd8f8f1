/* SPDX-License-Identifier: MIT */
/*
 * `dhcp = yes`: serve the USB host a lease with the DHCP server the board
 * already has (busybox udhcpd, or dnsmasq).  gadgetd writes the server's
 * config into the runtime dir, hands the daemon an argv that keeps the
 * server in the foreground, and decides when a server that died is
 * started again.  The daemon spawns, reaps and stops it (SIGTERM) with its
 * other children.
 *
 * The pool is the subnet of the function's first IPv4 address without the
 * network, broadcast and gadget addresses.  When the host's MAC is known
 * (host_addr), that host gets a fixed lease on the first address of the
 * pool, 192.168.7.1 for 192.168.7.2/24, so the host side is predictable.
 * Neither a router nor a DNS server is offered: plugging a board in must
 * not take over the host's default route or resolver.
 *
 * IPv4 only: IPv6 addresses get no DHCPv6 (the host still has link-local).
 */
#ifndef GADGETD_DHCP_H
#define GADGETD_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gadgetd/profile.h"
#include "program.h"

#define DHCP_RUNTIME_DIR "/run/gadgetd"
#define DHCP_LEASE_SECONDS 3600
/* Leases a server keeps track of: more than a USB link ever needs. */
#define DHCP_MAX_LEASES 256

enum dhcp_server_type { DHCP_SERVER_UDHCPD, DHCP_SERVER_DNSMASQ };

struct dhcp_server {
	enum dhcp_server_type type;
	struct program program;
};

const char *dhcp_server_type_name(enum dhcp_server_type type);

/*
 * Find a server in search_path (colon-separated; NULL: $PATH then the
 * usual sbin/bin directories): udhcpd, then busybox with the udhcpd
 * applet, then dnsmasq.  udhcpd first because it is what small boards
 * ship; dnsmasq where it is the only one.  -ENOENT when there is none.
 */
int dhcp_server_find(const char *search_path, struct dhcp_server *out);
void dhcp_server_clear(struct dhcp_server *s);

/* An inclusive range of IPv4 addresses, host byte order. */
struct dhcp_range {
	uint32_t first;
	uint32_t last;
};

struct dhcp_pool {
	uint32_t server; /* the gadget's address */
	uint32_t netmask;
	uint32_t host; /* first address of the pool: the USB host's */
	struct dhcp_range ranges[2]; /* below and above the gadget address */
	size_t n_ranges;
	uint32_t size; /* addresses in ranges */
};

/*
 * The pool for an IPv4 address/prefix.  -EAFNOSUPPORT for IPv6, -ERANGE
 * when the prefix leaves no address to lease (/31, /32), -EINVAL when the
 * gadget's address is the network or broadcast address of its subnet.
 */
int dhcp_pool_compute(const struct ip_address *a, struct dhcp_pool *out);

struct dhcp_params {
	const char *ifname;
	const char *runtime_dir; /* NULL: DHCP_RUNTIME_DIR */
	const struct ip_address *address; /* IPv4 */
	bool has_host_mac;
	uint8_t host_mac[6];
	uint32_t lease_seconds; /* 0: DHCP_LEASE_SECONDS */
};

/* One server for one interface, ready to spawn. */
struct dhcp_instance {
	char *ifname;
	char *config_path; /* <runtime_dir>/dhcp-<ifname>.conf */
	char *lease_path; /* <runtime_dir>/dhcp-<ifname>.leases */
	char *pid_path; /* <runtime_dir>/dhcp-<ifname>.pid */
	char **argv; /* argv[0] is an absolute path: execv() it */
	struct dhcp_pool pool;
};

/*
 * The config file text for type and params (allocated).  The paths in it
 * are the instance's; exposed so that tests check it exactly.
 */
int dhcp_config_text(enum dhcp_server_type type,
		     const struct dhcp_params *params, char **out);

/*
 * The first IPv4 address of addrs, or NULL.  Logs, naming ifname, the
 * IPv6 addresses that get no DHCPv6.
 */
const struct ip_address *dhcp_select_address(const char *ifname,
					     const struct ip_address *addrs,
					     size_t n_addrs);

/*
 * Create the runtime dir, write the config file (atomically: a server
 * restarted by the daemon never reads half of it) and build the argv.
 */
int dhcp_prepare(const struct dhcp_server *server,
		 const struct dhcp_params *params, struct dhcp_instance *out);
/* Remove the config and pid files (the lease file stays for next time). */
void dhcp_instance_remove_files(const struct dhcp_instance *inst);
void dhcp_instance_clear(struct dhcp_instance *inst);

/*
 * Restart policy for a server that exits while gadgetd wants it running:
 * restart after DHCP_RESTART_MIN_MS, doubling up to DHCP_RESTART_MAX_MS
 * while it keeps exiting within DHCP_STABLE_MS of its start; after
 * DHCP_MAX_QUICK_EXITS such exits in a row, give up (its log says why:
 * port 67 taken by another server, a bad interface).  A server that ran
 * longer than DHCP_STABLE_MS starts the count afresh.  Times are
 * CLOCK_MONOTONIC milliseconds; the daemon arms a timer for the delay.
 */
#define DHCP_RESTART_MIN_MS 1000
#define DHCP_RESTART_MAX_MS 30000
#define DHCP_STABLE_MS 30000
#define DHCP_MAX_QUICK_EXITS 5

struct dhcp_supervisor {
	unsigned int quick_exits;
	int64_t started_ms;
};

void dhcp_supervisor_started(struct dhcp_supervisor *s, int64_t now_ms);
/* Milliseconds to wait before the next start, or -1: stop trying. */
int64_t dhcp_supervisor_exited(struct dhcp_supervisor *s, int64_t now_ms);

#endif
