/* SPDX-License-Identifier: MIT */
/*
 * vm-host: a USB host in user space that enumerates the gadget the way
 * macOS, Windows 8.1, Windows 10 or Windows 11 does and then moves data
 * over the
 * function it would drive, through usbdevfs on the device node.  The
 * kernel's class drivers must be kept off the device (the scenario writes
 * 0 to /sys/bus/usb/drivers_autoprobe before the device arrives), so that
 * the device is still unconfigured: which configuration, which interface,
 * which requests are this program's choice, as they are the host OS's.
 * The facts each personality relies on, with their public sources, are in
 * tests/vm/hosts/README.md.
 *
 *   vm-host PERSONALITY DEVICE [--peer ADDR] [--image FILE]
 *
 * PERSONALITY: macos, windows81, windows10, windows11.  DEVICE: the sysfs directory
 * of the device (/sys/bus/usb/devices/N-P) or /dev/bus/usb/BBB/DDD.
 * --peer: the gadget's IPv4 address (192.168.7.2); the host takes .1 of
 * its /24.  --image: what LUN 0's block 0 must read as.
 *
 * Output: one line per step on stdout; the last one is
 * "result PERSONALITY: ok DRIVER..." (each function that moved data),
 * exit 0.  A failure is one line "result PERSONALITY: fail WHY" naming the
 * requirement the gadget broke, exit 1.  Usage: exit 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/cdc.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define HOST_CTRL_TIMEOUT_MS 3000
#define HOST_MAX_IFACES 32
#define HOST_MAX_EPS 4
#define HOST_FRAME_MAX 2048
#define HOST_XFER_MAX 16384

enum personality { MACOS, WINDOWS81, WINDOWS10, WINDOWS11 };

struct host_ep {
	uint8_t addr, attr;
	uint16_t mps;
};

/* One alternate setting of an interface, with its class descriptors. */
struct host_alt {
	uint8_t num, alt, cls, sub, proto;
	int neps;
	struct host_ep ep[HOST_MAX_EPS];
	const uint8_t *extra; /* descriptors between it and its endpoints */
	int extra_len;
};

struct host {
	enum personality who;
	const char *name;
	int fd;
	uint16_t langid;
	uint8_t config[4096];
	int config_len;
	uint8_t config_value;
	struct host_alt alts[HOST_MAX_IFACES];
	int nalts;
	uint8_t peer_ip[4], self_ip[4];
	const char *image;
	char done[128];
	bool failed;
};

/* A network function's data path, whatever its framing. */
struct host_net {
	struct host *h;
	const char *driver;
	uint8_t in, out;
	int (*send)(struct host_net *n, const uint8_t *frame, int len);
	int (*recv)(struct host_net *n, uint8_t *frame, int cap, int ms);
	uint8_t mac[6];
	uint8_t rx[HOST_XFER_MAX];
	int rx_len, rx_pos; /* NCM and RNDIS: datagrams left in rx */
	uint16_t seq;
	int ndp_next; /* NCM: the next datagram pointer entry in rx */
};

static void say(struct host *h, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", h->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* The personality's verdict: the requirement the gadget broke. */
static int fail(struct host *h, const char *fmt, ...)
{
	va_list ap;

	printf("result %s: fail ", h->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	h->failed = true;
	return -1;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A timeout for usbdevfs, which takes 0 as none at all. */
static int ms_until(long when)
{
	long left = when - now_ms();

	return left < 1 ? 1 : (int)left;
}

static int control(struct host *h, uint8_t reqtype, uint8_t request,
		   uint16_t value, uint16_t index, void *buf, uint16_t length)
{
	struct usbdevfs_ctrltransfer ct = {
		.bRequestType = reqtype,
		.bRequest = request,
		.wValue = value,
		.wIndex = index,
		.wLength = length,
		.timeout = HOST_CTRL_TIMEOUT_MS,
		.data = buf,
	};
	int n = ioctl(h->fd, USBDEVFS_CONTROL, &ct);

	return n < 0 ? -errno : n;
}

/* Bulk and interrupt endpoints alike: usbdevfs picks the pipe type. */
static int transfer(struct host *h, uint8_t ep, void *buf, int len, int ms)
{
	struct usbdevfs_bulktransfer bt = {
		.ep = ep,
		.len = (unsigned)len,
		.timeout = (unsigned)ms,
		.data = buf,
	};
	int n = ioctl(h->fd, USBDEVFS_BULK, &bt);

	return n < 0 ? -errno : n;
}

static int get_descriptor(struct host *h, uint8_t type, uint8_t index,
			  uint16_t langid, void *buf, uint16_t length)
{
	return control(h, USB_DIR_IN | USB_TYPE_STANDARD | USB_RECIP_DEVICE,
		       USB_REQ_GET_DESCRIPTOR, (uint16_t)(type << 8 | index),
		       langid, buf, length);
}

/* A string descriptor as ASCII ('?' for anything else); its length or
 * a negative errno. */
static int get_string(struct host *h, uint8_t index, char *out, int cap)
{
	uint8_t buf[255];
	int n = get_descriptor(h, USB_DT_STRING, index, h->langid, buf,
			       sizeof(buf));
	int k = 0;

	if (n < 0)
		return n;
	if (n < 2 || buf[1] != USB_DT_STRING)
		return -EPROTO;
	for (int i = 2; i + 1 < n && i + 1 < buf[0] && k + 1 < cap; i += 2)
		out[k++] = buf[i + 1] || buf[i] < 0x20 || buf[i] > 0x7e
				   ? '?'
				   : (char)buf[i];
	out[k] = '\0';
	return k;
}

static int open_device(const char *arg)
{
	char node[64], path[512], buf[32];
	unsigned bus, dev, maj, min;
	struct stat st;
	FILE *f;
	int fd;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(path, sizeof(path), "%s/uevent", arg);
		f = fopen(path, "re");
		bus = dev = maj = min = 0;
		while (f && fgets(path, sizeof(path), f)) {
			sscanf(path, "BUSNUM=%u", &bus);
			sscanf(path, "DEVNUM=%u", &dev);
			sscanf(path, "MAJOR=%u", &maj);
			sscanf(path, "MINOR=%u", &min);
		}
		if (f)
			fclose(f);
		if (!bus || !dev) {
			fprintf(stderr, "vm-host: %s: no BUSNUM/DEVNUM\n", arg);
			return -1;
		}
		snprintf(node, sizeof(node), "/dev/bus/usb/%03u/%03u", bus,
			 dev);
		/* No udev in the guest: devtmpfs makes the node, but a
		 * guest without it would need it made. */
		if (stat(node, &st) < 0 && maj) {
			snprintf(buf, sizeof(buf), "/dev/bus/usb/%03u", bus);
			mkdir("/dev/bus", 0755);
			mkdir("/dev/bus/usb", 0755);
			mkdir(buf, 0755);
			if (mknod(node, S_IFCHR | 0600, makedev(maj, min)) < 0)
				fprintf(stderr, "vm-host: mknod %s: %s\n", node,
					strerror(errno));
		}
		arg = node;
	}
	fd = open(arg, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "vm-host: %s: %s\n", arg, strerror(errno));
	return fd;
}

/* The first configuration descriptor (index 0), which is the one macOS
 * and Windows select, parsed into its alternate settings. */
static int read_config(struct host *h)
{
	uint8_t head[9];
	struct host_alt *cur = NULL;
	int n, total;

	n = get_descriptor(h, USB_DT_CONFIG, 0, 0, head, sizeof(head));
	if (n < 9)
		return fail(h, "GET_DESCRIPTOR(CONFIGURATION 0): %s",
			    n < 0 ? strerror(-n) : "short");
	total = le16(head + 2);
	if (total > (int)sizeof(h->config))
		return fail(h, "configuration descriptor of %d bytes", total);
	n = get_descriptor(h, USB_DT_CONFIG, 0, 0, h->config, (uint16_t)total);
	if (n != total)
		return fail(h, "configuration descriptor: %d of %d bytes", n,
			    total);
	h->config_len = total;
	h->config_value = h->config[5];
	for (int off = h->config[0]; off + 2 <= total;) {
		const uint8_t *d = h->config + off;

		if (d[0] < 2 || off + d[0] > total)
			return fail(h,
				    "configuration descriptor: bad bLength "
				    "%u at offset %d",
				    d[0], off);
		if (d[1] == USB_DT_INTERFACE && d[0] >= 9 &&
		    h->nalts < HOST_MAX_IFACES) {
			cur = &h->alts[h->nalts++];
			memset(cur, 0, sizeof(*cur));
			cur->num = d[2];
			cur->alt = d[3];
			cur->cls = d[5];
			cur->sub = d[6];
			cur->proto = d[7];
			cur->extra = d + d[0];
		} else if (d[1] == USB_DT_ENDPOINT && cur && d[0] >= 7 &&
			   cur->neps < HOST_MAX_EPS) {
			cur->ep[cur->neps].addr = d[2];
			cur->ep[cur->neps].attr = d[3];
			cur->ep[cur->neps].mps = le16(d + 4);
			cur->neps++;
		} else if (cur && !cur->neps) {
			cur->extra_len = (int)(d + d[0] - cur->extra);
		}
		off += d[0];
	}
	say(h, "configuration %u (index 0): %d interface settings, %d bytes",
	    h->config_value, h->nalts, total);
	return 0;
}

static struct host_alt *find_alt(struct host *h, int num, int alt)
{
	for (int i = 0; i < h->nalts; i++)
		if (h->alts[i].num == num && h->alts[i].alt == alt)
			return &h->alts[i];
	return NULL;
}

static const struct host_ep *find_ep(const struct host_alt *a, int type,
				     bool in)
{
	for (int i = 0; a && i < a->neps; i++)
		if ((a->ep[i].attr & USB_ENDPOINT_XFERTYPE_MASK) == type &&
		    !!(a->ep[i].addr & USB_DIR_IN) == in)
			return &a->ep[i];
	return NULL;
}

/* A CDC functional descriptor (CS_INTERFACE, SUBTYPE) of an interface. */
static const uint8_t *find_cdc(const struct host_alt *a, uint8_t subtype)
{
	for (int off = 0; off + 3 <= a->extra_len;) {
		const uint8_t *d = a->extra + off;

		if (d[0] < 3)
			break;
		if (d[1] == USB_DT_CS_INTERFACE && d[2] == subtype)
			return d;
		off += d[0];
	}
	return NULL;
}

static const char *class_name(const struct host_alt *a)
{
	if (a->cls == USB_CLASS_COMM) {
		switch (a->sub) {
		case USB_CDC_SUBCLASS_ETHERNET:
			return "CDC ECM";
		case USB_CDC_SUBCLASS_NCM:
			return "CDC NCM";
		case USB_CDC_SUBCLASS_EEM:
			return "CDC EEM";
		case USB_CDC_SUBCLASS_MDLM:
			return "CDC subset (MDLM)";
		case USB_CDC_SUBCLASS_ACM:
			return a->proto == 0xff
				       ? "RNDIS (CDC ACM, vendor protocol)"
				       : "CDC ACM";
		}
		return "CDC";
	}
	if (a->cls == USB_CLASS_WIRELESS_CONTROLLER && a->sub == 1 &&
	    a->proto == 3)
		return "RNDIS (wireless class)";
	if (a->cls == USB_CLASS_MASS_STORAGE)
		return "mass storage";
	if (a->cls == USB_CLASS_CDC_DATA)
		return "CDC data";
	return "other";
}

static void add_done(struct host *h, const char *driver)
{
	size_t l = strlen(h->done);

	snprintf(h->done + l, sizeof(h->done) - l, "%s%s", l ? " " : "",
		 driver);
}

static int claim(struct host *h, unsigned num)
{
	if (ioctl(h->fd, USBDEVFS_CLAIMINTERFACE, &num) < 0)
		return fail(h, "claim interface %u: %s", num, strerror(errno));
	return 0;
}

static int set_alt(struct host *h, unsigned num, unsigned alt)
{
	struct usbdevfs_setinterface si = { .interface = num,
					    .altsetting = alt };

	if (ioctl(h->fd, USBDEVFS_SETINTERFACE, &si) < 0)
		return fail(h, "SET_INTERFACE %u alt %u: %s", num, alt,
			    strerror(errno));
	return 0;
}

/* --- Ethernet: an ARP request for the peer, then an ICMP echo ------- */

static uint16_t ip_sum(const uint8_t *p, int len)
{
	uint32_t s = 0;

	for (int i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)(p[len - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static int build_arp(const struct host_net *n, uint8_t op, const uint8_t *tmac,
		     const uint8_t *tip, uint8_t *f)
{
	memset(f, 0, 60);
	memset(f, 0xff, 6);
	if (op == 2)
		memcpy(f, tmac, 6);
	memcpy(f + 6, n->mac, 6);
	f[12] = 0x08, f[13] = 0x06;
	f[15] = 1, f[16] = 0x08, f[18] = 6, f[19] = 4, f[21] = op;
	memcpy(f + 22, n->mac, 6);
	memcpy(f + 28, n->h->self_ip, 4);
	if (op == 2)
		memcpy(f + 32, tmac, 6);
	memcpy(f + 38, tip, 4);
	return 60; /* the minimum frame, as a NIC pads it */
}

static int build_echo(const struct host_net *n, const uint8_t *dmac,
		      uint16_t id, uint8_t *f)
{
	uint8_t *ip = f + 14, *icmp = f + 34;
	int plen = 32;

	memcpy(f, dmac, 6);
	memcpy(f + 6, n->mac, 6);
	f[12] = 0x08, f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 0); /* big endian below */
	ip[2] = 0, ip[3] = (uint8_t)(20 + 8 + plen);
	ip[8] = 64, ip[9] = 1;
	memcpy(ip + 12, n->h->self_ip, 4);
	memcpy(ip + 16, n->h->peer_ip, 4);
	put16(ip + 10, 0);
	{
		uint16_t s = ip_sum(ip, 20);

		ip[10] = (uint8_t)(s >> 8), ip[11] = (uint8_t)s;
	}
	memset(icmp, 0, 8);
	icmp[0] = 8;
	icmp[4] = (uint8_t)(id >> 8), icmp[5] = (uint8_t)id;
	icmp[7] = 1;
	for (int i = 0; i < plen; i++)
		icmp[8 + i] = (uint8_t)('a' + i % 26);
	{
		uint16_t s = ip_sum(icmp, 8 + plen);

		icmp[2] = (uint8_t)(s >> 8), icmp[3] = (uint8_t)s;
	}
	return 14 + 20 + 8 + plen;
}

static bool is_arp(const uint8_t *f, int len, uint8_t op, const uint8_t *spa,
		   const uint8_t *tpa)
{
	return len >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == op &&
	       !memcmp(f + 28, spa, 4) && !memcmp(f + 38, tpa, 4);
}

/* Ask for the peer's MAC, then ping it; answer its ARP for us.  The
 * frames cross the function's bulk endpoints in its own framing.  The
 * request goes again every second, as a host's ARP and ping do: gadgetd's
 * link check may bounce the gadget's link (docs/networking.md) just as
 * the first one crosses. */
static int net_exchange(struct host_net *n)
{
	struct host *h = n->h;
	uint8_t f[HOST_FRAME_MAX], peer_mac[6];
	bool have_mac = false;
	uint16_t id = (uint16_t)(getpid() & 0xffff);
	long t0 = now_ms(), deadline = t0 + 5000, next = t0;
	int len, r, sent = 0;

	while (now_ms() < deadline) {
		if (now_ms() >= next) {
			len = have_mac ? build_echo(n, peer_mac, id, f)
				       : build_arp(n, 1, NULL, h->peer_ip, f);
			r = n->send(n, f, len);
			if (r < 0 && r != -ETIMEDOUT)
				return fail(
					h, "%s: sending an %s: %s", n->driver,
					have_mac ? "ICMP echo" : "ARP request",
					strerror(-r));
			sent++;
			next = now_ms() + 1000;
		}
		len = n->recv(n, f, sizeof(f),
			      ms_until(next < deadline ? next : deadline));
		if (len == -ETIMEDOUT)
			continue;
		if (len < 0)
			return fail(h, "%s: reading bulk IN: %s", n->driver,
				    strerror(-len));
		if (is_arp(f, len, 1, h->peer_ip, h->self_ip)) {
			uint8_t rep[64];
			int rl = build_arp(n, 2, f + 22, h->peer_ip, rep);

			r = n->send(n, rep, rl);
			if (r < 0)
				return fail(h, "%s: ARP reply: %s", n->driver,
					    strerror(-r));
			continue;
		}
		if (!have_mac && is_arp(f, len, 2, h->peer_ip, h->self_ip)) {
			memcpy(peer_mac, f + 22, 6);
			have_mac = true;
			say(h,
			    "%s: ARP reply: %u.%u.%u.%u is at "
			    "%02x:%02x:%02x:%02x:%02x:%02x after %ld ms "
			    "(%d request%s)",
			    n->driver, h->peer_ip[0], h->peer_ip[1],
			    h->peer_ip[2], h->peer_ip[3], peer_mac[0],
			    peer_mac[1], peer_mac[2], peer_mac[3], peer_mac[4],
			    peer_mac[5], now_ms() - t0, sent,
			    sent == 1 ? "" : "s");
			next = now_ms();
			sent = 0;
			continue;
		}
		if (have_mac && len >= 42 && f[12] == 0x08 && f[13] == 0 &&
		    f[23] == 1 && !memcmp(f + 26, h->peer_ip, 4) &&
		    f[34] == 0 && (f[38] << 8 | f[39]) == id) {
			say(h,
			    "%s: ICMP echo reply from %u.%u.%u.%u after %ld ms "
			    "(%d echo%s)",
			    n->driver, h->peer_ip[0], h->peer_ip[1],
			    h->peer_ip[2], h->peer_ip[3], now_ms() - t0, sent,
			    sent == 1 ? "" : "es");
			add_done(h, n->driver);
			return 0;
		}
	}
	return fail(h, "%s: no %s from %u.%u.%u.%u within 5 s (%d sent)",
		    n->driver, have_mac ? "ICMP echo reply" : "ARP reply",
		    h->peer_ip[0], h->peer_ip[1], h->peer_ip[2], h->peer_ip[3],
		    sent);
}

/* --- CDC ECM and NCM (macOS; NCM on Windows 11) --------------------- */

static int ecm_send(struct host_net *n, const uint8_t *frame, int len)
{
	int r = transfer(n->h, n->out, (void *)frame, len, 2000);

	return r < 0 ? r : 0;
}

static int ecm_recv(struct host_net *n, uint8_t *frame, int cap, int ms)
{
	return transfer(n->h, n->in, frame, cap, ms);
}

/* NTB16: NTH16 (12 bytes) at 0, one NDP16 at 12 with one datagram and
 * the terminating zero entry, the datagram after it, 4-byte aligned. */
static int ncm_send(struct host_net *n, const uint8_t *frame, int len)
{
	uint8_t b[HOST_FRAME_MAX + 64];
	int dg = 12 + 16, total = dg + len, r;

	memset(b, 0, (size_t)dg);
	memcpy(b, "NCMH", 4);
	put16(b + 4, 12);
	put16(b + 6, n->seq++);
	put16(b + 8, (uint16_t)total);
	put16(b + 10, 12);
	memcpy(b + 12, "NCM0", 4);
	put16(b + 16, 16);
	put16(b + 18, 0);
	put16(b + 20, (uint16_t)dg);
	put16(b + 22, (uint16_t)len);
	memcpy(b + dg, frame, (size_t)len);
	r = transfer(n->h, n->out, b, total, 2000);
	return r < 0 ? r : 0;
}

static int ncm_recv(struct host_net *n, uint8_t *frame, int cap, int ms)
{
	for (;;) {
		if (n->ndp_next) {
			const uint8_t *e = n->rx + n->ndp_next;
			uint16_t idx, len;

			if (n->ndp_next + 4 > n->rx_len)
				return -EPROTO;
			idx = le16(e);
			len = le16(e + 2);
			if (idx && len) {
				if (idx + len > n->rx_len || len > cap)
					return -EPROTO;
				n->ndp_next += 4;
				memcpy(frame, n->rx + idx, len);
				return len;
			}
			n->ndp_next = 0;
		}
		n->rx_len = transfer(n->h, n->in, n->rx, sizeof(n->rx), ms);
		if (n->rx_len < 0)
			return n->rx_len;
		if (n->rx_len < 12 + 16 || memcmp(n->rx, "NCMH", 4)) {
			say(n->h,
			    "ncm: bulk IN transfer of %d bytes is not an "
			    "NTB16, skipped",
			    n->rx_len);
			continue;
		}
		n->ndp_next = le16(n->rx + 10);
		if (n->ndp_next + 16 > n->rx_len ||
		    memcmp(n->rx + n->ndp_next, "NCM", 3))
			return -EPROTO;
		/* Only the first NDP16: f_ncm sends one per NTB. */
		n->ndp_next += 8;
	}
}

static int mac_from_string(struct host *h, const char *driver,
			   const uint8_t *ether, uint8_t *mac)
{
	char s[64];
	int r;

	if (!ether[3])
		return fail(h,
			    "%s: iMACAddress is 0 (no MAC address string): "
			    "macOS needs the host MAC as a string of 12 "
			    "hex digits",
			    driver);
	r = get_string(h, ether[3], s, sizeof(s));
	if (r < 0)
		return fail(h, "%s: iMACAddress string %u: %s", driver,
			    ether[3], strerror(-r));
	if (strlen(s) != 12 || strspn(s, "0123456789abcdefABCDEF") != 12)
		return fail(h,
			    "%s: iMACAddress string %u is '%s', not 12 hex "
			    "digits",
			    driver, ether[3], s);
	for (int i = 0; i < 6; i++) {
		char b[3] = { s[2 * i], s[2 * i + 1], 0 };

		mac[i] = (uint8_t)strtoul(b, NULL, 16);
	}
	say(h, "%s: iMACAddress %u = %s", driver, ether[3], s);
	return 0;
}

/* Read the notification endpoint until NetworkConnection(1); the link is
 * up only then.  ConnectionSpeedChange is logged when it comes. */
static int wait_connection(struct host *h, const char *driver, uint8_t ep,
			   uint16_t mps)
{
	uint8_t b[64];
	long t0 = now_ms(), deadline = t0 + 5000;
	char seen[256] = "";
	bool speed = false, connected = false;

	while (now_ms() < deadline) {
		int n = transfer(h, ep, b, mps < sizeof(b) ? mps : sizeof(b),
				 ms_until(deadline));
		size_t l = strlen(seen);

		if (n == -ETIMEDOUT)
			break;
		if (n < 0)
			return fail(h, "%s: notification endpoint 0x%02x: %s",
				    driver, ep, strerror(-n));
		if (n >= 8 && b[1] == USB_CDC_NOTIFY_NETWORK_CONNECTION) {
			snprintf(seen + l, sizeof(seen) - l,
				 "%sNetworkConnection(%u) at %ld ms",
				 l ? ", " : "", le16(b + 2), now_ms() - t0);
			if (le16(b + 2) == 1)
				connected = true;
		} else if (n >= 8 && b[1] == USB_CDC_NOTIFY_SPEED_CHANGE) {
			snprintf(seen + l, sizeof(seen) - l,
				 "%sConnectionSpeedChange", l ? ", " : "");
			speed = true;
		}
		/* f_ecm sends the speed after the connection, f_ncm before. */
		if (connected && speed) {
			say(h, "%s: link up: %s", driver, seen);
			return 0;
		}
		if (connected && deadline > now_ms() + 1000)
			deadline = now_ms() + 1000;
	}
	if (connected)
		return fail(h,
			    "%s: NetworkConnection(1) but no "
			    "ConnectionSpeedChange within 1 s (saw: %s)",
			    driver, seen);
	return fail(h,
		    "%s: no NetworkConnection(1) on the notification "
		    "endpoint within 5 s (saw: %s): macOS reports no link "
		    "without it",
		    driver, seen[0] ? seen : "nothing");
}

/* The control interface of a CDC networking function: its functional
 * descriptors, its data interface's alternate setting 1, the link. */
static int cdc_net(struct host *h, const struct host_alt *ctl, bool ncm)
{
	const char *driver = ncm ? "ncm" : "ecm";
	const uint8_t *header, *uni, *ether;
	const struct host_alt *data;
	const struct host_ep *notify, *in, *out;
	struct host_net n = { .h = h, .driver = driver };

	header = find_cdc(ctl, USB_CDC_HEADER_TYPE);
	uni = find_cdc(ctl, USB_CDC_UNION_TYPE);
	ether = find_cdc(ctl, USB_CDC_ETHERNET_TYPE);
	if (!header || !uni || !ether || ether[0] < 13)
		return fail(h,
			    "%s: interface %u lacks the CDC %s functional "
			    "descriptor",
			    driver, ctl->num,
			    !header ? "Header"
			    : !uni  ? "Union"
				    : "Ethernet Networking");
	if (ncm && !find_cdc(ctl, USB_CDC_NCM_TYPE))
		return fail(h,
			    "ncm: interface %u lacks the NCM functional "
			    "descriptor",
			    ctl->num);
	if (mac_from_string(h, driver, ether, n.mac) < 0)
		return -1;
	notify = find_ep(ctl, USB_ENDPOINT_XFER_INT, true);
	if (!notify)
		return fail(h, "%s: interface %u has no notification endpoint",
			    driver, ctl->num);
	data = find_alt(h, uni[4], 1);
	in = find_ep(data, USB_ENDPOINT_XFER_BULK, true);
	out = find_ep(data, USB_ENDPOINT_XFER_BULK, false);
	if (!data || data->cls != USB_CLASS_CDC_DATA || !in || !out)
		return fail(h,
			    "%s: data interface %u has no alternate setting "
			    "1 with bulk IN and OUT",
			    driver, uni[4]);
	if (claim(h, ctl->num) < 0 || claim(h, data->num) < 0)
		return -1;
	if (ncm) {
		uint8_t p[28];
		int r = control(
			h, USB_DIR_IN | USB_TYPE_CLASS | USB_RECIP_INTERFACE,
			USB_CDC_GET_NTB_PARAMETERS, 0, ctl->num, p, sizeof(p));

		if (r < 28)
			return fail(h, "ncm: GET_NTB_PARAMETERS: %s",
				    r < 0 ? strerror(-r) : "short");
		if (!(le16(p + 2) & USB_CDC_NCM_NTB16_SUPPORTED))
			return fail(h,
				    "ncm: NTB16 not in bmNtbFormatsSupported "
				    "0x%04x",
				    le16(p + 2));
		say(h,
		    "ncm: GET_NTB_PARAMETERS: NTB16, dwNtbInMaxSize %u, "
		    "dwNtbOutMaxSize %u",
		    le32(p + 4), le32(p + 16));
	}
	if (set_alt(h, data->num, 0) < 0 || set_alt(h, data->num, 1) < 0)
		return -1;
	if (h->who == MACOS) {
		/* The one request ECM requires of a device; macOS sends it
		 * (tests/vm/hosts/README.md).  Directed, broadcast,
		 * all multicast. */
		int r = control(
			h, USB_DIR_OUT | USB_TYPE_CLASS | USB_RECIP_INTERFACE,
			USB_CDC_SET_ETHERNET_PACKET_FILTER,
			USB_CDC_PACKET_TYPE_DIRECTED |
				USB_CDC_PACKET_TYPE_BROADCAST |
				USB_CDC_PACKET_TYPE_ALL_MULTICAST,
			ctl->num, NULL, 0);

		if (r < 0)
			return fail(h, "%s: SET_ETHERNET_PACKET_FILTER: %s",
				    driver, strerror(-r));
	}
	say(h, "%s: data interface %u alternate setting 1", driver, data->num);
	if (wait_connection(h, driver, notify->addr, notify->mps) < 0)
		return -1;
	n.in = in->addr;
	n.out = out->addr;
	n.send = ncm ? ncm_send : ecm_send;
	n.recv = ncm ? ncm_recv : ecm_recv;
	return net_exchange(&n);
}

/* --- RNDIS (Windows, by compatible ID) ----------------------------- */

#define RNDIS_MSG_PACKET 0x1
#define RNDIS_MSG_INIT 0x2
#define RNDIS_MSG_QUERY 0x4
#define RNDIS_MSG_SET 0x5
#define RNDIS_MSG_INDICATE 0x7
#define RNDIS_CMPLT 0x80000000u
#define OID_GEN_MAXIMUM_FRAME_SIZE 0x00010106
#define OID_GEN_CURRENT_PACKET_FILTER 0x0001010e
#define OID_GEN_MEDIA_CONNECT_STATUS 0x00010114
#define OID_802_3_PERMANENT_ADDRESS 0x01010101

struct rndis {
	struct host *h;
	uint8_t ctl, notify;
	uint16_t notify_mps;
	uint32_t id;
	uint8_t resp[1025];
	int resp_len;
};

/* SEND_ENCAPSULATED_COMMAND, RESPONSE_AVAILABLE on the interrupt
 * endpoint, GET_ENCAPSULATED_RESPONSE until the completion of MSG. */
static int rndis_command(struct rndis *r, uint8_t *msg, int len,
			 const char *what)
{
	struct host *h = r->h;
	uint32_t type = le32(msg);
	uint8_t note[16];
	int n;

	put32(msg + 8, ++r->id);
	n = control(h, USB_DIR_OUT | USB_TYPE_CLASS | USB_RECIP_INTERFACE,
		    USB_CDC_SEND_ENCAPSULATED_COMMAND, 0, r->ctl, msg,
		    (uint16_t)len);
	if (n < 0)
		return fail(h,
			    "rndis: %s: SEND_ENCAPSULATED_COMMAND on "
			    "interface %u: %s",
			    what, r->ctl, strerror(-n));
	for (int tries = 0; tries < 4; tries++) {
		n = transfer(h, r->notify, note,
			     r->notify_mps < sizeof(note) ? r->notify_mps
							  : sizeof(note),
			     3000);
		if (n < 0)
			return fail(h,
				    "rndis: %s: no RESPONSE_AVAILABLE on "
				    "endpoint 0x%02x: %s",
				    what, r->notify, strerror(-n));
		if (n < 8 || le32(note) != 1)
			return fail(h,
				    "rndis: %s: notification is not "
				    "RESPONSE_AVAILABLE (%d bytes, 0x%08x)",
				    what, n, n >= 4 ? le32(note) : 0);
		n = control(h,
			    USB_DIR_IN | USB_TYPE_CLASS | USB_RECIP_INTERFACE,
			    USB_CDC_GET_ENCAPSULATED_RESPONSE, 0, r->ctl,
			    r->resp, sizeof(r->resp) - 1);
		if (n < 16)
			return fail(h,
				    "rndis: %s: GET_ENCAPSULATED_RESPONSE: "
				    "%s",
				    what, n < 0 ? strerror(-n) : "short");
		r->resp_len = n;
		if (le32(r->resp) == RNDIS_MSG_INDICATE) {
			say(h, "rndis: INDICATE_STATUS 0x%08x",
			    le32(r->resp + 8));
			continue;
		}
		if (le32(r->resp) != (type | RNDIS_CMPLT) ||
		    le32(r->resp + 8) != r->id)
			return fail(h,
				    "rndis: %s: response 0x%08x id %u, "
				    "expected 0x%08x id %u",
				    what, le32(r->resp), le32(r->resp + 8),
				    type | RNDIS_CMPLT, r->id);
		if (le32(r->resp + 12) != 0)
			return fail(h, "rndis: %s: status 0x%08x", what,
				    le32(r->resp + 12));
		return 0;
	}
	return fail(h, "rndis: %s: no completion after 4 responses", what);
}

/* QUERY: the information buffer of the completion, or NULL. */
static const uint8_t *rndis_query(struct rndis *r, uint32_t oid,
				  const char *what, uint32_t *len)
{
	uint8_t m[28] = { 0 };
	uint32_t off;

	put32(m, RNDIS_MSG_QUERY);
	put32(m + 4, sizeof(m));
	put32(m + 12, oid);
	if (rndis_command(r, m, sizeof(m), what) < 0)
		return NULL;
	*len = le32(r->resp + 16);
	off = le32(r->resp + 20) + 8;
	if (off + *len > (uint32_t)r->resp_len) {
		fail(r->h,
		     "rndis: %s: information buffer %u+%u beyond %d "
		     "bytes",
		     what, off, *len, r->resp_len);
		return NULL;
	}
	return r->resp + off;
}

static int rndis_send(struct host_net *n, const uint8_t *frame, int len)
{
	uint8_t b[HOST_FRAME_MAX + 44];
	int r;

	memset(b, 0, 44);
	put32(b, RNDIS_MSG_PACKET);
	put32(b + 4, (uint32_t)(44 + len));
	put32(b + 8, 36);
	put32(b + 12, (uint32_t)len);
	memcpy(b + 44, frame, (size_t)len);
	r = transfer(n->h, n->out, b, 44 + len, 2000);
	return r < 0 ? r : 0;
}

/* A transfer may carry several PACKET_MSGs back to back. */
static int rndis_recv(struct host_net *n, uint8_t *frame, int cap, int ms)
{
	for (;;) {
		if (n->rx_pos + 44 <= n->rx_len) {
			const uint8_t *m = n->rx + n->rx_pos;
			uint32_t mlen = le32(m + 4), off = le32(m + 8) + 8,
				 dlen = le32(m + 12);

			if (le32(m) != RNDIS_MSG_PACKET || mlen < 44 ||
			    n->rx_pos + mlen > (uint32_t)n->rx_len ||
			    off + dlen > mlen || dlen > (uint32_t)cap)
				return -EPROTO;
			n->rx_pos += (int)mlen;
			memcpy(frame, m + off, dlen);
			return (int)dlen;
		}
		n->rx_pos = 0;
		n->rx_len = transfer(n->h, n->in, n->rx, sizeof(n->rx), ms);
		if (n->rx_len < 0)
			return n->rx_len;
	}
}

static int rndis_function(struct host *h, const struct host_alt *ctl,
			  const char *why)
{
	const struct host_alt *data = find_alt(h, ctl->num + 1, 0);
	const struct host_ep *notify, *in, *out;
	const uint8_t *uni = find_cdc(ctl, USB_CDC_UNION_TYPE), *v;
	struct host_net n = { .h = h, .driver = "rndis" };
	struct rndis r = { .h = h, .ctl = ctl->num };
	uint8_t m[32] = { 0 };
	uint32_t len;

	if (uni)
		data = find_alt(h, uni[4], 0);
	notify = find_ep(ctl, USB_ENDPOINT_XFER_INT, true);
	in = find_ep(data, USB_ENDPOINT_XFER_BULK, true);
	out = find_ep(data, USB_ENDPOINT_XFER_BULK, false);
	if (!notify || !in || !out)
		return fail(h,
			    "rndis: %s, but interface %u of configuration "
			    "%u is %s (%02x/%02x/%02x) without %s: the "
			    "RNDIS function must be in configuration 1, "
			    "the only one Windows uses",
			    why, ctl->num, h->config_value, class_name(ctl),
			    ctl->cls, ctl->sub, ctl->proto,
			    !notify ? "an interrupt IN endpoint"
				    : "a data interface with bulk IN and OUT "
				      "in alternate setting 0");
	if (claim(h, ctl->num) < 0 || claim(h, data->num) < 0)
		return -1;
	r.notify = notify->addr;
	r.notify_mps = notify->mps;
	put32(m, RNDIS_MSG_INIT);
	put32(m + 4, 24);
	put32(m + 12, 1);
	put32(m + 16, 0);
	put32(m + 20, 0x4000);
	if (rndis_command(&r, m, 24, "INITIALIZE") < 0)
		return -1;
	/* INITIALIZE_CMPLT: version at 16 and 20, DeviceFlags 24, Medium
	 * 28, MaxPacketsPerTransfer 32, MaxTransferSize 36. */
	if (r.resp_len < 52 || le32(r.resp + 28) != 0)
		return fail(h,
			    "rndis: INITIALIZE_CMPLT: medium %u, expected "
			    "0 (802.3)",
			    r.resp_len >= 32 ? le32(r.resp + 28) : 0);
	say(h,
	    "rndis: INITIALIZE_CMPLT: version %u.%u, medium 802.3, "
	    "MaxTransferSize %u",
	    le32(r.resp + 16), le32(r.resp + 20), le32(r.resp + 36));
	v = rndis_query(&r, OID_802_3_PERMANENT_ADDRESS,
			"QUERY OID_802_3_PERMANENT_ADDRESS", &len);
	if (!v)
		return -1;
	if (len != 6)
		return fail(h, "rndis: OID_802_3_PERMANENT_ADDRESS: %u bytes",
			    len);
	memcpy(n.mac, v, 6);
	say(h,
	    "rndis: OID_802_3_PERMANENT_ADDRESS "
	    "%02x:%02x:%02x:%02x:%02x:%02x",
	    v[0], v[1], v[2], v[3], v[4], v[5]);
	v = rndis_query(&r, OID_GEN_MAXIMUM_FRAME_SIZE,
			"QUERY OID_GEN_MAXIMUM_FRAME_SIZE", &len);
	if (!v)
		return -1;
	say(h, "rndis: OID_GEN_MAXIMUM_FRAME_SIZE %u", len == 4 ? le32(v) : 0);
	memset(m, 0, sizeof(m));
	put32(m, RNDIS_MSG_SET);
	put32(m + 4, 32);
	put32(m + 12, OID_GEN_CURRENT_PACKET_FILTER);
	put32(m + 16, 4);
	put32(m + 20, 20);
	/* directed, multicast, broadcast */
	put32(m + 28, 0x0b);
	if (rndis_command(&r, m, 32, "SET OID_GEN_CURRENT_PACKET_FILTER") < 0)
		return -1;
	say(h, "rndis: packet filter set");
	n.in = in->addr;
	n.out = out->addr;
	n.send = rndis_send;
	n.recv = rndis_recv;
	return net_exchange(&n);
}

static bool is_rndis_class(const struct host_alt *a);

/* --- CDC ACM (usbser on Windows, AppleUSBCDCACM on macOS) ---------- */

static int acm_function(struct host *h, const struct host_alt *ctl)
{
	const uint8_t *uni = find_cdc(ctl, USB_CDC_UNION_TYPE);
	const struct host_alt *data =
		find_alt(h, uni ? uni[4] : ctl->num + 1, 0);
	const struct host_ep *in = find_ep(data, USB_ENDPOINT_XFER_BULK, true);
	const struct host_ep *out =
		find_ep(data, USB_ENDPOINT_XFER_BULK, false);
	const char *driver = h->who == MACOS ? "acm" : "usbser";
	uint8_t coding[7] = { 0 }, b[512];
	char msg[64];
	int r, got = 0;
	long deadline;

	if (!in || !out)
		return fail(h,
			    "%s: interface %u (%s %02x/%02x/%02x) has no data "
			    "interface with bulk IN and OUT",
			    driver, ctl->num, class_name(ctl), ctl->cls,
			    ctl->sub, ctl->proto);
	if (claim(h, ctl->num) < 0 || claim(h, data->num) < 0)
		return -1;
	put32(coding, 115200);
	coding[6] = 8;
	r = control(h, USB_DIR_OUT | USB_TYPE_CLASS | USB_RECIP_INTERFACE,
		    USB_CDC_REQ_SET_LINE_CODING, 0, ctl->num, coding,
		    sizeof(coding));
	if (r < 0)
		return fail(h,
			    "%s: SET_LINE_CODING on interface %u (%s "
			    "%02x/%02x/%02x): %s%s",
			    driver, ctl->num, class_name(ctl), ctl->cls,
			    ctl->sub, ctl->proto, strerror(-r),
			    h->who != MACOS && is_rndis_class(ctl)
				    ? ": without the compatible ID RNDIS "
				      "(Microsoft OS descriptors) Windows "
				      "matches an RNDIS function by its class "
				      "02/02 to usbser, not to its RNDIS driver"
				    : "");
	r = control(h, USB_DIR_OUT | USB_TYPE_CLASS | USB_RECIP_INTERFACE,
		    USB_CDC_REQ_SET_CONTROL_LINE_STATE,
		    USB_CDC_CTRL_DTR | USB_CDC_CTRL_RTS, ctl->num, NULL, 0);
	if (r < 0)
		return fail(h, "%s: SET_CONTROL_LINE_STATE(DTR): %s", driver,
			    strerror(-r));
	say(h, "%s: 115200 8N1, DTR and RTS set", driver);
	snprintf(msg, sizeof(msg), "vm-host %s %d\n", h->name, getpid());
	r = transfer(h, out->addr, msg, (int)strlen(msg), 2000);
	if (r < 0)
		return fail(h, "%s: bulk OUT: %s", driver, strerror(-r));
	deadline = now_ms() + 5000;
	while (got < (int)strlen(msg) && now_ms() < deadline) {
		r = transfer(h, in->addr, b, sizeof(b), ms_until(deadline));
		if (r == -ETIMEDOUT)
			break;
		if (r < 0)
			return fail(h, "%s: bulk IN: %s", driver, strerror(-r));
		if (got + r > (int)strlen(msg) ||
		    memcmp(b, msg + got, (size_t)r))
			return fail(h,
				    "%s: the echo differs from what was "
				    "sent",
				    driver);
		got += r;
	}
	if (got != (int)strlen(msg))
		return fail(h,
			    "%s: %d of %zu bytes echoed within 5 s (is "
			    "anything echoing on the gadget's tty?)",
			    driver, got, strlen(msg));
	say(h, "%s: %d bytes echoed", driver, got);
	add_done(h, "acm");
	return 0;
}

/* --- Mass storage, bulk-only transport ----------------------------- */

static int bot_command(struct host *h, const struct host_ep *in,
		       const struct host_ep *out, const uint8_t *cb, int cblen,
		       uint8_t *data, int dlen, const char *what)
{
	uint8_t cbw[31] = { 0 }, csw[13];
	static uint32_t tag;
	int r;

	put32(cbw, 0x43425355);
	put32(cbw + 4, ++tag);
	put32(cbw + 8, (uint32_t)dlen);
	cbw[12] = dlen ? 0x80 : 0;
	cbw[14] = (uint8_t)cblen;
	memcpy(cbw + 15, cb, (size_t)cblen);
	r = transfer(h, out->addr, cbw, sizeof(cbw), 2000);
	if (r < 0)
		return fail(h, "msc: %s: CBW: %s", what, strerror(-r));
	if (dlen) {
		r = transfer(h, in->addr, data, dlen, 3000);
		if (r < 0)
			return fail(h, "msc: %s: data: %s", what, strerror(-r));
	}
	if (transfer(h, in->addr, csw, sizeof(csw), 2000) != 13 ||
	    le32(csw) != 0x53425355 || le32(csw + 4) != tag)
		return fail(h, "msc: %s: no valid CSW", what);
	return csw[12];
}

static int msc_function(struct host *h, const struct host_alt *a)
{
	const struct host_ep *in = find_ep(a, USB_ENDPOINT_XFER_BULK, true);
	const struct host_ep *out = find_ep(a, USB_ENDPOINT_XFER_BULK, false);
	static const uint8_t tur[6] = { 0 },
			     sense[6] = { 0x03, 0, 0, 0, 18, 0 },
			     inquiry[6] = { 0x12, 0, 0, 0, 36, 0 },
			     capacity[10] = { 0x25 };
	uint8_t read10[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	uint8_t buf[4096], want[4096];
	uint32_t bs;
	int r, st = 1;
	FILE *f;

	if (!in || !out)
		return fail(h, "msc: interface %u has no bulk IN and OUT",
			    a->num);
	if (claim(h, a->num) < 0)
		return -1;
	r = bot_command(h, in, out, inquiry, 6, buf, 36, "INQUIRY");
	if (r < 0)
		return -1;
	say(h, "msc: INQUIRY: '%.8s' '%.16s'", buf + 8, buf + 16);
	/* The first command after a reset reports UNIT ATTENTION. */
	for (int i = 0; i < 3 && st; i++) {
		st = bot_command(h, in, out, tur, 6, NULL, 0,
				 "TEST UNIT READY");
		if (st < 0)
			return -1;
		if (st && bot_command(h, in, out, sense, 6, buf, 18,
				      "REQUEST SENSE") < 0)
			return -1;
	}
	if (st)
		return fail(h, "msc: LUN 0 not ready (sense key 0x%x)",
			    buf[2] & 0xf);
	if (bot_command(h, in, out, capacity, 10, buf, 8, "READ CAPACITY") != 0)
		return h->failed ? -1 : fail(h, "msc: READ CAPACITY failed");
	bs = (uint32_t)buf[4] << 24 | (uint32_t)buf[5] << 16 |
	     (uint32_t)buf[6] << 8 | buf[7];
	if (!bs || bs > sizeof(buf))
		return fail(h, "msc: block size %u", bs);
	if (bot_command(h, in, out, read10, 10, buf, (int)bs,
			"READ(10) of block 0") != 0)
		return h->failed ? -1
				 : fail(h, "msc: READ(10) of block 0 failed");
	if (h->image) {
		f = fopen(h->image, "re");
		if (!f || fread(want, 1, bs, f) != bs) {
			if (f)
				fclose(f);
			return fail(h, "msc: cannot read %u bytes of %s", bs,
				    h->image);
		}
		fclose(f);
		if (memcmp(buf, want, bs))
			return fail(h, "msc: block 0 differs from %s",
				    h->image);
	}
	say(h, "msc: READ(10) of block 0 (%u bytes)%s", bs,
	    h->image ? " equals the image's" : "");
	add_done(h, "msc");
	return 0;
}

/* --- Windows: OS descriptors ---------------------------------------- */

struct compat {
	int count;
	uint8_t iface[8];
	char id[8][9], sub[8][9];
};

static void read_compat_ids(struct host *h, struct compat *c)
{
	uint8_t s[18], b[16 + 8 * 24];
	int n, len;

	c->count = 0;
	n = get_descriptor(h, USB_DT_STRING, 0xee, 0, s, sizeof(s));
	if (n < 0) {
		say(h, "no Microsoft OS string descriptor (string 0xEE: %s)",
		    strerror(-n));
		return;
	}
	if (n != 18 || memcmp(s + 2,
			      "M\0S\0F\0T\0"
			      "1\0"
			      "0\0"
			      "0\0",
			      14)) {
		say(h,
		    "string 0xEE is not a Microsoft OS string descriptor "
		    "(%d bytes)",
		    n);
		return;
	}
	say(h, "Microsoft OS string descriptor: MSFT100, vendor code 0x%02x",
	    s[16]);
	n = control(h, USB_DIR_IN | USB_TYPE_VENDOR | USB_RECIP_DEVICE, s[16],
		    0, 4, b, 16);
	if (n < 16) {
		say(h, "extended compat ID descriptor: %s",
		    n < 0 ? strerror(-n) : "short header");
		return;
	}
	len = (int)le32(b);
	if (len > (int)sizeof(b))
		len = (int)sizeof(b);
	n = control(h, USB_DIR_IN | USB_TYPE_VENDOR | USB_RECIP_DEVICE, s[16],
		    0, 4, b, (uint16_t)len);
	if (n < 16 || le16(b + 6) != 4) {
		say(h, "extended compat ID descriptor: %d bytes, wIndex %u", n,
		    n >= 8 ? le16(b + 6) : 0);
		return;
	}
	for (int i = 0; i < b[8] && 16 + (i + 1) * 24 <= n && i < 8; i++) {
		const uint8_t *f = b + 16 + i * 24;

		c->iface[c->count] = f[0];
		memcpy(c->id[c->count], f + 2, 8);
		c->id[c->count][8] = '\0';
		memcpy(c->sub[c->count], f + 10, 8);
		c->sub[c->count][8] = '\0';
		say(h, "compatible ID: interface %u '%s' '%s'", f[0],
		    c->id[c->count], c->sub[c->count]);
		c->count++;
	}
}

static const char *compat_of(const struct compat *c, int iface)
{
	for (int i = 0; i < c->count; i++)
		if (c->iface[i] == iface && c->id[i][0])
			return c->id[i];
	return NULL;
}

/* --- The personalities ---------------------------------------------- */

/* Interfaces that belong to a function already driven (its data
 * interface) are skipped. */
static bool is_data_of(struct host *h, int num)
{
	for (int i = 0; i < h->nalts; i++) {
		const uint8_t *u;

		if (h->alts[i].alt || h->alts[i].cls != USB_CLASS_COMM)
			continue;
		u = find_cdc(&h->alts[i], USB_CDC_UNION_TYPE);
		if (u && u[0] >= 5 && u[4] == num)
			return true;
		if (!u && h->alts[i].num + 1 == num && find_alt(h, num, 0) &&
		    find_alt(h, num, 0)->cls == USB_CLASS_CDC_DATA)
			return true;
	}
	return false;
}

static bool is_rndis_class(const struct host_alt *a)
{
	return (a->cls == USB_CLASS_COMM && a->sub == 2 && a->proto == 0xff) ||
	       (a->cls == USB_CLASS_WIRELESS_CONTROLLER && a->sub == 1 &&
		a->proto == 3) ||
	       (a->cls == USB_CLASS_MISC && a->sub == 4 && a->proto == 1);
}

/* Which driver the personality loads for interface A, or NULL with WHY
 * saying why none. */
static const char *pick_driver(struct host *h, const struct host_alt *a,
			       const struct compat *c, char *why, size_t cap)
{
	const char *id = compat_of(c, a->num);

	if (h->who == MACOS) {
		if (a->cls == USB_CLASS_COMM &&
		    a->sub == USB_CDC_SUBCLASS_ETHERNET)
			return "ecm";
		if (a->cls == USB_CLASS_COMM && a->sub == USB_CDC_SUBCLASS_NCM)
			return "ncm";
		if (a->cls == USB_CLASS_COMM &&
		    a->sub == USB_CDC_SUBCLASS_ACM && a->proto != 0xff)
			return "acm";
		if (a->cls == USB_CLASS_MASS_STORAGE && a->sub == 6 &&
		    a->proto == 0x50)
			return "msc";
		snprintf(why, cap, "%s",
			 is_rndis_class(a) ? "macOS has no RNDIS driver"
			 : a->sub == USB_CDC_SUBCLASS_EEM &&
					 a->cls == USB_CLASS_COMM
				 ? "macOS has no EEM driver"
				 : "no macOS class driver");
		return NULL;
	}
	if (id && (!strcmp(id, "RNDIS")))
		return "rndis";
	/* Windows 8.1 has no NCM driver (UsbNcm came with Windows 10) and
	 * loads usbser only through a vendor's .inf (Windows 10 added the
	 * class match): tests/vm/hosts/README.md, facts 5 and 16. */
	if (h->who == WINDOWS81) {
		if (a->cls == USB_CLASS_MASS_STORAGE && a->sub == 6 &&
		    a->proto == 0x50)
			return "msc";
		snprintf(why, cap, "%s",
			 id && !strcmp(id, "WINNCM")
				 ? "the compatible ID WINNCM: Windows 8.1 has "
				   "no NCM driver"
			 : a->cls == USB_CLASS_COMM &&
					 a->sub == USB_CDC_SUBCLASS_NCM
				 ? "Windows 8.1 has no NCM driver"
			 : a->cls == USB_CLASS_COMM &&
					 a->sub == USB_CDC_SUBCLASS_ACM
				 ? "Windows 8.1 loads usbser only through a "
				   "vendor's .inf"
				 : "no compatible ID it knows and no Windows "
				   "class driver");
		return NULL;
	}
	/* Windows 10 loads UsbNcm only for the compatible ID WINNCM;
	 * Windows 11 also by the NCM class. */
	if (id && !strcmp(id, "WINNCM"))
		return "ncm";
	if (a->cls == USB_CLASS_COMM && a->sub == USB_CDC_SUBCLASS_ACM)
		return "usbser"; /* USB\Class_02&SubClass_02, any protocol */
	if (a->cls == USB_CLASS_MASS_STORAGE && a->sub == 6 && a->proto == 0x50)
		return "msc";
	if (a->cls == USB_CLASS_COMM && a->sub == USB_CDC_SUBCLASS_NCM) {
		if (h->who == WINDOWS11)
			return "ncm";
		snprintf(why, cap,
			 "CDC NCM without the compatible ID WINNCM "
			 "(Microsoft OS descriptors): Windows 10 "
			 "loads its NCM driver only for that ID");
		return NULL;
	}
	snprintf(why, cap, "no compatible ID%s%s%s and no Windows class driver",
		 id ? " it knows (" : "", id ? id : "", id ? ")" : "");
	return NULL;
}

static int run(struct host *h)
{
	struct compat c = { 0 };
	uint8_t dd[18];
	char why[160], skipped[512] = "";
	unsigned cfg;
	int r, bound = 0;

	r = get_descriptor(h, USB_DT_DEVICE, 0, 0, dd, sizeof(dd));
	if (r != 18)
		return fail(h, "GET_DESCRIPTOR(DEVICE): %s",
			    r < 0 ? strerror(-r) : "short");
	{
		uint8_t l[4];

		r = get_descriptor(h, USB_DT_STRING, 0, 0, l, sizeof(l));
		h->langid = r >= 4 ? le16(l + 2) : 0x0409;
	}
	say(h, "device %04x:%04x, %u configuration(s), class %02x/%02x/%02x",
	    le16(dd + 8), le16(dd + 10), dd[17], dd[4], dd[5], dd[6]);
	if (h->who != MACOS)
		read_compat_ids(h, &c);
	if (read_config(h) < 0)
		return -1;
	cfg = h->config_value;
	if (ioctl(h->fd, USBDEVFS_SETCONFIGURATION, &cfg) < 0)
		return fail(h, "SET_CONFIGURATION %u: %s", cfg,
			    strerror(errno));
	say(h, "SET_CONFIGURATION %u", cfg);
	for (int i = 0; i < h->nalts; i++) {
		const struct host_alt *a = &h->alts[i];
		const char *drv;
		size_t l;

		if (a->alt || a->cls == USB_CLASS_CDC_DATA ||
		    is_data_of(h, a->num))
			continue;
		drv = pick_driver(h, a, &c, why, sizeof(why));
		if (!drv) {
			l = strlen(skipped);
			snprintf(skipped + l, sizeof(skipped) - l,
				 "%sinterface %u %s (%02x/%02x/%02x): %s",
				 l ? "; " : "", a->num, class_name(a), a->cls,
				 a->sub, a->proto, why);
			say(h,
			    "interface %u %s (%02x/%02x/%02x): no driver: %s",
			    a->num, class_name(a), a->cls, a->sub, a->proto,
			    why);
			continue;
		}
		say(h, "interface %u %s (%02x/%02x/%02x): driver %s%s%s",
		    a->num, class_name(a), a->cls, a->sub, a->proto, drv,
		    compat_of(&c, a->num) ? ", by compatible ID " : "",
		    compat_of(&c, a->num) ? compat_of(&c, a->num) : "");
		bound++;
		if (!strcmp(drv, "ecm"))
			r = cdc_net(h, a, false);
		else if (!strcmp(drv, "ncm"))
			r = cdc_net(h, a, true);
		else if (!strcmp(drv, "rndis")) {
			snprintf(why, sizeof(why),
				 "the compatible ID RNDIS names interface %u",
				 a->num);
			r = rndis_function(h, a, why);
		} else if (!strcmp(drv, "msc"))
			r = msc_function(h, a);
		else
			r = acm_function(h, a);
		if (r < 0)
			return -1;
	}
	if (!bound)
		return fail(h,
			    "no driver for any function of configuration "
			    "%u: %s%s",
			    cfg, skipped,
			    dd[17] > 1 ? "; the other configurations are not "
					 "looked at: this host uses "
					 "configuration 1 only"
				       : "");
	printf("result %s: ok %s\n", h->name, h->done);
	return 0;
}

static int usage(void)
{
	fputs("usage: vm-host macos|windows81|windows10|windows11 DEVICE "
	      "[--peer ADDR] "
	      "[--image FILE]\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct host h = { .peer_ip = { 192, 168, 7, 2 } };
	int r;

	if (argc < 3)
		return usage();
	h.name = argv[1];
	if (!strcmp(argv[1], "macos"))
		h.who = MACOS;
	else if (!strcmp(argv[1], "windows81"))
		h.who = WINDOWS81;
	else if (!strcmp(argv[1], "windows10"))
		h.who = WINDOWS10;
	else if (!strcmp(argv[1], "windows11"))
		h.who = WINDOWS11;
	else
		return usage();
	for (int i = 3; i < argc; i++) {
		unsigned a, b, c, d;

		if (!strcmp(argv[i], "--peer") && i + 1 < argc &&
		    sscanf(argv[i + 1], "%u.%u.%u.%u", &a, &b, &c, &d) == 4 &&
		    a < 256 && b < 256 && c < 256 && d < 256) {
			h.peer_ip[0] = (uint8_t)a, h.peer_ip[1] = (uint8_t)b;
			h.peer_ip[2] = (uint8_t)c, h.peer_ip[3] = (uint8_t)d;
			i++;
		} else if (!strcmp(argv[i], "--image") && i + 1 < argc) {
			h.image = argv[++i];
		} else {
			return usage();
		}
	}
	memcpy(h.self_ip, h.peer_ip, 3);
	h.self_ip[3] = h.peer_ip[3] == 1 ? 2 : 1;
	h.fd = open_device(argv[2]);
	if (h.fd < 0)
		return 1;
	r = run(&h);
	close(h.fd);
	return r < 0 ? 1 : 0;
}
