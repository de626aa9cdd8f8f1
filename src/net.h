/* SPDX-License-Identifier: MIT */
/*
 * The gadget's network links while it runs on a UDC: for each network
 * function, the netdev named by its configfs `ifname` is configured once the
 * gadget is bound (net_start) and released before it is unbound or removed
 * (net_stop).
 *
 * - `link = auto`: the profile's addresses, then IFF_UP, through rtnetlink;
 *   before unbind IFF_UP is cleared and the addresses gadgetd added are
 *   removed.
 * - `ifupdown = auto` and an `iface` stanza for the interface: `ifup IFACE`
 *   after bind and `ifdown -f IFACE` before unbind instead, as children of
 *   the event loop (one at a time, in order, with a time limit, their output
 *   logged): their if-up.d hook calls `gadgetd link-event` on the daemon's
 *   own socket, so the daemon must never wait for them.
 * - `link = manual`: left alone.
 * - `dhcp = yes`: the board's DHCP server (dhcp.c) for the interface, once
 *   the link is up with its address (after ifup exited 0 with ifupdown),
 *   supervised: restarted with a back-off when it dies, stopped with SIGTERM
 *   (and a bounded wait) in net_stop.
 *
 * The daemon reaps children on its signalfd and hands each exit to
 * net_child_exited().
 */
#ifndef GADGETD_NET_H
#define GADGETD_NET_H

#include <stdbool.h>
#include <sys/types.h>

#include "event_loop.h"
#include "gadgetd/profile.h"

/* ifup/ifdown that run longer are killed with their process group. */
#define NET_IFUPDOWN_TIMEOUT_MS 30000
/* How long net_stop() waits for a DHCP server after SIGTERM (then SIGKILL). */
#define NET_STOP_WAIT_MS 2000

struct net;

/* interfaces_path: NULL for /etc/network/interfaces. */
struct net *net_new(struct event_loop *loop, const char *interfaces_path);
/*
 * fn(data, ifname) when the gadget side of one of the links gets carrier:
 * the host selected its data interface (and f_ecm/f_ncm sent, or is about
 * to send, NetworkConnection).  From rtnetlink notifications, once the
 * links are started.
 */
typedef void (*net_carrier_fn)(void *data, const char *ifname);
void net_set_carrier_fn(struct net *n, net_carrier_fn fn, void *data);
/* Stops the DHCP servers; running ifup/ifdown are left to finish. */
void net_free(struct net *n);

/*
 * Configure the links of p's network functions (gadget_dir: the configfs
 * gadget, bound).  p must stay valid until net_stop().  Returns the number
 * of links configured, or the first negative errno (the others are still
 * tried).
 */
int net_start(struct net *n, const struct profile *p, const char *gadget_dir);
/* Release the links before unbind or removal; nothing when not started. */
void net_stop(struct net *n);
bool net_started(const struct net *n);

/* A child exited (from waitpid): true when it was one of ours. */
bool net_child_exited(struct net *n, pid_t pid, int status);

/*
 * Links whose carrier the daemon asserts (`link = auto`, through rtnetlink
 * or ifup, and not set down by a link-event since): the only ones the
 * host-link check below looks at.
 */
unsigned int net_n_asserted(const struct net *n);
/*
 * Send a host-link probe (link_probe.h) on each of those links that is up
 * with carrier on the gadget side; returns how many were sent.
 * net_probe_read(): the host read the last probe on at least one of them
 * (one link the host uses is enough: a gadget with two network functions
 * may serve a host that drives one).
 */
unsigned int net_probe_send(struct net *n);
bool net_probe_read(const struct net *n);
/*
 * Set those links down, and up again NET_REASSERT_GAP_MS later (a new
 * NetworkConnection): through rtnetlink, or by queueing ifdown and then
 * ifup for the ones ifupdown owns.  The gap keeps NetworkConnection(0)
 * and (1) apart: a host's usbnet can lose the second while it handles the
 * first when they come back to back (docs/networking.md).
 */
#define NET_REASSERT_GAP_MS 100
int net_reassert(struct net *n);

/*
 * `gadgetd link-event up|down IFACE`.  For a link gadgetd sets through
 * rtnetlink, down clears IFF_UP (the host loses carrier) and stops its DHCP
 * server, up sets it again; for a link ifupdown owns, ifup/ifdown already
 * did that, so only the DHCP server follows.  Returns false when IFACE is
 * not one of the gadget's links.
 */
bool net_link_event(struct net *n, const char *ifname, bool up);

/*
 * The DHCP server of function fn for status: NULL when fn has no
 * `dhcp = yes`, else "running pid N (udhcpd)", "stopped", "starting after
 * ifup", "restarting ...", "failed: ...".
 */
const char *net_dhcp_status(const struct net *n,
			    const struct profile_function *fn);

/*
 * /proc/sys/net/ipv{4,6}/conf/IFNAME/ignore_routes_with_linkdown = 1 below
 * proc_sys ("/proc/sys" when NULL).  0, or the first negative errno (a
 * missing ipv6 directory is not one).
 */
int net_ignore_linkdown_routes(const char *proc_sys, const char *ifname);

#endif
