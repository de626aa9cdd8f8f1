/* SPDX-License-Identifier: MIT */
/*
 * Host-link probes: one Ethernet frame the gadget sends on a network link,
 * and whether the USB host read it from the bulk IN endpoint.
 *
 * The gadget cannot see whether the host has carrier.  What it can see is
 * whether the host reads: u_ether counts a frame in tx_bytes only when its
 * IN request completed, that is when the host took it.  A Linux host's
 * usbnet keeps reads submitted only while it has carrier; once it has
 * handled NetworkConnection(0) it unlinks them and submits none until
 * carrier comes back (docs/networking.md has the details, and the one
 * exception: the first moments of an open, before the notifications are
 * handled).  So a probe read means a host with carrier, a probe left
 * waiting means a host without carrier or one that has not opened its side.
 *
 * The frame is addressed to the gadget's own MAC, from it, with the IEEE
 * 802 local experimental Ethertype: a host's stack drops it (not its
 * address, no handler), and a bridge on the host does not send it back out
 * of the port it came in on.  LINK_PROBE_LEN is above dummy_hcd's 64-byte
 * emulated FIFO, which completes a short IN request before any host reads
 * it; a probe counts as read only when tx_bytes grew by at least its
 * length, so one such short frame cannot pass for it.
 */
#ifndef GADGETD_LINK_PROBE_H
#define GADGETD_LINK_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#define LINK_PROBE_LEN 128
#define LINK_PROBE_ETHERTYPE 0x88b5

struct link_probe {
	bool sent;
	unsigned long long tx_bytes; /* read before the frame was sent */
};

/* The probe frame from (and to) mac, padded to LINK_PROBE_LEN. */
void link_probe_frame(const uint8_t mac[6], uint8_t frame[LINK_PROBE_LEN]);

/*
 * /sys/class/net/IFNAME/statistics/NAME (sysfs_net: NULL for
 * /sys/class/net).  0 or a negative errno.
 */
int link_probe_counter(const char *sysfs_net, const char *ifname,
		       const char *name, unsigned long long *value);

/*
 * Send one probe on ifname (ifindex, its MAC) through a packet socket
 * (CAP_NET_RAW).  0 with p->sent set, or a negative errno with it clear.
 */
int link_probe_send(struct link_probe *p, const char *sysfs_net,
		    const char *ifname, int ifindex, const uint8_t mac[6]);

/* The host read the probe (and whatever was queued before it). */
bool link_probe_read(const struct link_probe *p, const char *sysfs_net,
		     const char *ifname);

#endif
