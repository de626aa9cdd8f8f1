/* SPDX-License-Identifier: MIT */
/*
 * vm-open-send: open a host netdev and send frames on it in the same
 * instant, as a host that transmits at open does (IPv6 DAD and router
 * solicitation, a gratuitous ARP), before it has handled the
 * NetworkConnection notifications waiting for it, or in the second after
 * a NetworkConnection(0) took its carrier, while its queue still drains.
 * Frames the gadget receives then say nothing about the host's carrier:
 * net-link-trials' `at-once` mode puts them in front of the daemon's
 * host-link check at every such trial (docs/networking.md, "The host-link
 * check").
 *
 *   vm-open-send IFNAME COUNT
 *
 * Sets IFNAME up, sends COUNT broadcast frames of Ethertype 0x88b6 (IEEE
 * 802 local experimental 2) from its MAC, then prints
 *   "sent=N carrier=C up=U down=D"
 * read right after the sends: carrier and carrier_up_count/_down_count
 * (down=0: before the host handled a NetworkConnection(0); up=0: before
 * it had carrier from a NetworkConnection(1)).  It runs SCHED_FIFO from
 * the open to that read, so that no kernel thread (vhci-hcd's, usbnet's
 * worker) handles a notification in between; completions in interrupt
 * context (dummy_hcd's timer) still can.  Run it in the netdev's
 * namespace.
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define VM_OPEN_SEND_ETHERTYPE 0x88b6

static long read_counter(const char *ifname, const char *name)
{
	char path[128];
	FILE *f;
	long value = -1;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &value) != 1)
		value = -1;
	fclose(f);
	return value;
}

int main(int argc, char **argv)
{
	unsigned char frame[64] = { 0 };
	struct sockaddr_ll to = { 0 };
	struct ifreq ifr = { 0 };
	struct sched_param rt = { .sched_priority = 1 };
	const char *ifname;
	int count, sent = 0, fd;

	if (argc != 3 || (count = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: vm-open-send IFNAME COUNT\n");
		return 2;
	}
	ifname = argv[1];
	if (strlen(ifname) >= IFNAMSIZ) {
		fprintf(stderr, "vm-open-send: %s: name too long\n", ifname);
		return 2;
	}
	/* Protocol 0: this socket receives nothing, it only sends. */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		fprintf(stderr, "vm-open-send: socket: %s\n", strerror(errno));
		return 1;
	}
	memcpy(ifr.ifr_name, ifname, strlen(ifname) + 1);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0 ||
	    (to.sll_ifindex = ifr.ifr_ifindex,
	     ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)) {
		fprintf(stderr, "vm-open-send: %s: %s\n", ifname,
			strerror(errno));
		return 1;
	}
	memset(frame, 0xff, ETH_ALEN);
	memcpy(frame + ETH_ALEN, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	frame[12] = VM_OPEN_SEND_ETHERTYPE >> 8;
	frame[13] = VM_OPEN_SEND_ETHERTYPE & 0xff;
	memcpy(frame + ETH_HLEN, "vm-open-send host frame",
	       sizeof("vm-open-send host frame"));
	to.sll_family = AF_PACKET;
	to.sll_protocol = htons(VM_OPEN_SEND_ETHERTYPE);
	to.sll_halen = ETH_ALEN;
	memset(to.sll_addr, 0xff, ETH_ALEN);

	if (sched_setscheduler(0, SCHED_FIFO, &rt) < 0)
		fprintf(stderr, "vm-open-send: SCHED_FIFO: %s (carrying on)\n",
			strerror(errno));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		fprintf(stderr, "vm-open-send: %s: flags: %s\n", ifname,
			strerror(errno));
		return 1;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
		fprintf(stderr, "vm-open-send: %s: up: %s\n", ifname,
			strerror(errno));
		return 1;
	}
	for (int i = 0; i < count; i++)
		if (sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&to,
			   sizeof(to)) == (ssize_t)sizeof(frame))
			sent++;
	printf("sent=%d carrier=%ld up=%ld down=%ld\n", sent,
	       read_counter(ifname, "carrier"),
	       read_counter(ifname, "carrier_up_count"),
	       read_counter(ifname, "carrier_down_count"));
	close(fd);
	return sent == count ? 0 : 1;
}
