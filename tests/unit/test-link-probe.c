/* SPDX-License-Identifier: MIT */
/*
 * link_probe.c: the frame's bytes, the counters it reads, when a probe
 * counts as read, and, when the test may create namespaces (root), the real
 * thing on a veth pair: a peer that is up takes the probe (tx_bytes grows
 * by its length), a peer that is down does not.
 */
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "link_probe.h"
#include "testlib.h"

static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

static void test_frame(void)
{
	static const char text[] = "gadgetd host-link probe";
	uint8_t frame[LINK_PROBE_LEN];
	bool padded = true;

	memset(frame, 0xee, sizeof(frame));
	link_probe_frame(mac, frame);
	CHECK(memcmp(frame, mac, 6) == 0);
	CHECK(memcmp(frame + 6, mac, 6) == 0);
	CHECK_INT_EQ(frame[12], 0x88);
	CHECK_INT_EQ(frame[13], 0xb5);
	CHECK(memcmp(frame + 14, text, sizeof(text) - 1) == 0);
	for (size_t i = 14 + sizeof(text) - 1; i < sizeof(frame); i++)
		if (frame[i] != 0)
			padded = false;
	CHECK(padded);
	/* Past dummy_hcd's FIFO_SIZE, which completes shorter IN requests
	 * before the host reads them. */
	CHECK(LINK_PROBE_LEN > 64);
}

static char *make_root(void)
{
	char *root = strdup("/tmp/test-link-probe.XXXXXX");

	if (!root || !mkdtemp(root))
		abort();
	return root;
}

static void put_counter(const char *root, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/usb0", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/usb0/statistics", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/usb0/statistics/%s", root, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static void test_counters(void)
{
	char *root = make_root();
	struct link_probe p = { .sent = true, .tx_bytes = 1000 };
	unsigned long long v = 0;
	char cmd[600];

	CHECK_INT_EQ(link_probe_counter(root, "usb0", "tx_bytes", &v), -ENOENT);
	put_counter(root, "tx_bytes", "4711\n");
	CHECK_INT_EQ(link_probe_counter(root, "usb0", "tx_bytes", &v), 0);
	CHECK_INT_EQ(v, 4711);
	put_counter(root, "rx_packets", "12x\n");
	CHECK_INT_EQ(link_probe_counter(root, "usb0", "rx_packets", &v),
		     -EINVAL);
	put_counter(root, "rx_packets", "\n");
	CHECK_INT_EQ(link_probe_counter(root, "usb0", "rx_packets", &v),
		     -EINVAL);

	/* Read once tx_bytes grew by a whole probe, and not before. */
	put_counter(root, "tx_bytes", "1127\n");
	CHECK(!link_probe_read(&p, root, "usb0"));
	put_counter(root, "tx_bytes", "1128\n");
	CHECK(link_probe_read(&p, root, "usb0"));
	/* A counter that went backwards (the netdev was made anew). */
	put_counter(root, "tx_bytes", "900\n");
	CHECK(!link_probe_read(&p, root, "usb0"));
	/* Not sent, or no such link: never read. */
	put_counter(root, "tx_bytes", "99999\n");
	p.sent = false;
	CHECK(!link_probe_read(&p, root, "usb0"));
	p.sent = true;
	CHECK(!link_probe_read(&p, root, "usb1"));

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK_INT_EQ(system(cmd), 0);
	free(root);
}

/* Live part: a private network and mount namespace, a veth pair and a
 * sysfs of that network namespace. */

static int run_ip(const char *ip, const char *args)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "%s %s", ip, args);
	return system(cmd);
}

/*
 * A link's carrier change takes effect for senders only once linkwatch
 * has run for it, in a kworker, later on a loaded machine: until then a
 * link that just got carrier still has the noop qdisc, and one that just
 * lost it still sends to a peer that drops; either refuses the frame
 * (ENOBUFS).  linkwatch sets the operational state and (de)activates the
 * qdisc under the RTNL lock, and `ip link show` reads the state under the
 * same lock: wait until it shows `state STATE` (5 s).
 */
static bool wait_linkwatch(const char *ip, const char *ifname,
			   const char *state)
{
	char cmd[256], line[512], want[64];

	snprintf(cmd, sizeof(cmd), "%s link show %s", ip, ifname);
	snprintf(want, sizeof(want), " state %s ", state);
	for (int i = 0; i < 500; i++) {
		FILE *f = popen(cmd, "r");
		bool seen = false;

		if (f && fgets(line, sizeof(line), f))
			seen = strstr(line, want) != NULL;
		if (f)
			pclose(f);
		if (seen)
			return true;
		usleep(10000);
	}
	return false;
}

static bool read_mac(const char *sysfs_net, const char *ifname, uint8_t out[6])
{
	char path[512];
	unsigned int b[6];
	FILE *f;
	int n;

	if (snprintf(path, sizeof(path), "%s/%s/address", sysfs_net, ifname) >=
	    (int)sizeof(path))
		return false;
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fscanf(f, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]);
	fclose(f);
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)b[i];
	return n == 6;
}

static void write_sysctl(const char *path)
{
	FILE *f = fopen(path, "w");

	/* No IPv6 in this kernel: nothing to turn off. */
	if (!f)
		return;
	fputs("1\n", f);
	fclose(f);
}

static void test_live(void)
{
	const char *ip = testlib_find_ip();
	char *root, sysfs_net[512];
	struct link_probe p;
	uint8_t v0_mac[6];
	unsigned long long v0_tx = 0, v1_rx = 0, v1_rx_after = 0;
	int ifindex;

	if (!ip) {
		printf("test-link-probe: live part skipped: no iproute2 ip\n");
		return;
	}
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0) {
		printf("test-link-probe: live part skipped: cannot create "
		       "namespaces (%s); run as root\n",
		       strerror(errno));
		return;
	}
	root = make_root();
	/* The sysfs mount shows the network namespace of who mounts it. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("sysfs", root, "sysfs", 0, NULL) < 0) {
		testlib_fail(__FILE__, __LINE__, "cannot mount sysfs: %s",
			     strerror(errno));
		rmdir(root);
		free(root);
		return;
	}
	snprintf(sysfs_net, sizeof(sysfs_net), "%s/class/net", root);
	/* No IPv6 autoconfiguration traffic: the counters then show the
	 * probe alone. */
	write_sysctl("/proc/sys/net/ipv6/conf/default/disable_ipv6");
	write_sysctl("/proc/sys/net/ipv6/conf/all/disable_ipv6");
	if (run_ip(ip, "link add v0 type veth peer name v1") != 0) {
		testlib_fail(__FILE__, __LINE__, "cannot create veth pair");
		goto out;
	}
	ifindex = (int)if_nametoindex("v0");
	CHECK(ifindex > 0);
	CHECK(read_mac(sysfs_net, "v0", v0_mac));

	/* v0 down: the kernel refuses the frame, nothing counts as sent. */
	CHECK_INT_EQ(link_probe_send(&p, sysfs_net, "v0", ifindex, v0_mac),
		     -ENETDOWN);
	CHECK(!p.sent);
	CHECK(!link_probe_read(&p, sysfs_net, "v0"));

	/* Both up: the peer takes the frame at once. */
	CHECK_INT_EQ(run_ip(ip, "link set v0 up"), 0);
	CHECK_INT_EQ(run_ip(ip, "link set v1 up"), 0);
	CHECK(wait_linkwatch(ip, "v0", "UP"));
	CHECK_INT_EQ(link_probe_counter(sysfs_net, "v1", "rx_bytes", &v1_rx),
		     0);
	CHECK_INT_EQ(link_probe_send(&p, sysfs_net, "v0", ifindex, v0_mac), 0);
	CHECK(p.sent);
	CHECK(link_probe_read(&p, sysfs_net, "v0"));
	CHECK_INT_EQ(link_probe_counter(sysfs_net, "v0", "tx_bytes", &v0_tx),
		     0);
	CHECK_INT_EQ(v0_tx - p.tx_bytes, LINK_PROBE_LEN);
	CHECK_INT_EQ(
		link_probe_counter(sysfs_net, "v1", "rx_bytes", &v1_rx_after),
		0);
	CHECK_INT_EQ(v1_rx_after - v1_rx, LINK_PROBE_LEN);

	/* Peer down: v0 is up but nobody takes the frame; not read. */
	CHECK_INT_EQ(run_ip(ip, "link set v1 down"), 0);
	CHECK(wait_linkwatch(ip, "v0", "LOWERLAYERDOWN"));
	CHECK_INT_EQ(link_probe_send(&p, sysfs_net, "v0", ifindex, v0_mac), 0);
	CHECK(p.sent);
	CHECK(!link_probe_read(&p, sysfs_net, "v0"));
out:
	umount(root);
	rmdir(root);
	free(root);
}

int main(void)
{
	test_frame();
	test_counters();
	test_live();
	return testlib_finish("test-link-probe");
}
