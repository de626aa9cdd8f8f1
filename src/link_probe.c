/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "link_probe.h"
#include "util.h"

static const char link_probe_text[] = "gadgetd host-link probe";

void link_probe_frame(const uint8_t mac[6], uint8_t frame[LINK_PROBE_LEN])
{
	uint16_t type = htons(LINK_PROBE_ETHERTYPE);

	memset(frame, 0, LINK_PROBE_LEN);
	memcpy(frame, mac, ETH_ALEN);
	memcpy(frame + ETH_ALEN, mac, ETH_ALEN);
	memcpy(frame + ETH_ALEN + ETH_ALEN, &type, sizeof(type));
	/* Says what it is to whoever captures it on the host. */
	memcpy(frame + ETH_HLEN, link_probe_text, sizeof(link_probe_text) - 1);
}

int link_probe_counter(const char *sysfs_net, const char *ifname,
		       const char *name, unsigned long long *value)
{
	char *path = xasprintf("%s/%s/statistics/%s",
			       sysfs_net ? sysfs_net : "/sys/class/net", ifname,
			       name);
	char *text = NULL, *end;
	int r = read_file_string(path, &text);

	free(path);
	if (r < 0)
		return r;
	errno = 0;
	*value = strtoull(text, &end, 10);
	r = (errno || end == text || *end) ? -EINVAL : 0;
	free(text);
	return r;
}

int link_probe_send(struct link_probe *p, const char *sysfs_net,
		    const char *ifname, int ifindex, const uint8_t mac[6])
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(LINK_PROBE_ETHERTYPE),
		.sll_ifindex = ifindex,
		.sll_halen = ETH_ALEN,
	};
	uint8_t frame[LINK_PROBE_LEN];
	ssize_t sent;
	int fd, r;

	p->sent = false;
	/* Before sending: a host that reads at once must not be missed. */
	r = link_probe_counter(sysfs_net, ifname, "tx_bytes", &p->tx_bytes);
	if (r < 0)
		return r;
	/* Protocol 0: this socket receives nothing. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	memcpy(to.sll_addr, mac, ETH_ALEN);
	link_probe_frame(mac, frame);
	sent = sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&to,
		      sizeof(to));
	r = sent < 0 ? -errno : sent != (ssize_t)sizeof(frame) ? -EIO : 0;
	close(fd);
	if (r == 0)
		p->sent = true;
	return r;
}

bool link_probe_read(const struct link_probe *p, const char *sysfs_net,
		     const char *ifname)
{
	unsigned long long now;

	if (!p->sent ||
	    link_probe_counter(sysfs_net, ifname, "tx_bytes", &now) < 0)
		return false;
	return now >= p->tx_bytes && now - p->tx_bytes >= LINK_PROBE_LEN;
}
