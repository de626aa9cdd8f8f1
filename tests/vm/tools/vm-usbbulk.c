/* SPDX-License-Identifier: MIT */
/*
 * vm-usbbulk: bulk transfers from the host side of the VM's USB bus
 * through usbdevfs, checked against the data pattern of the kernel's
 * SourceSink function (usb_f_ss_lb, "pattern 1"): byte k of every
 * max-packet-sized packet is k % 63.  The host proof for sourcesink
 * without a test driver (usbtest needs a user-space program of its own).
 *
 *   vm-usbbulk DEVICE IFNUM in EP BYTES
 *       read BYTES from bulk IN endpoint EP (0x81), in chunks of 16 KiB,
 *       and check the pattern: "in ep=0x81 bytes=N errors=E first_error=-
 *       ms=T"; exit 1 on a short read or any byte off the pattern
 *   vm-usbbulk DEVICE IFNUM out EP BYTES [zeros]
 *       write BYTES of the pattern (or of zeros, which the gadget must
 *       refuse) to bulk OUT endpoint EP: "out ep=0x01 bytes=N ms=T", or the
 *       errno of the transfer that failed ("out ep=0x01 bytes=N error=EPIPE")
 *       and exit 1
 *   vm-usbbulk DEVICE IFNUM iso ALT EP PACKETS
 *       select alternate setting ALT, then one isochronous URB of PACKETS
 *       packets of wMaxPacketSize on EP (IN or OUT, pattern 1 for OUT):
 *       "iso ep=0x83 alt=1 status=0 packets=8 bytes=8192 packet_errors=0"
 *       (status the URB's, negative errno; bytes those moved); exit 0 when
 *       the URB completed, whatever its status: the caller judges it
 *
 * The pattern restarts every wMaxPacketSize bytes (read from the device's
 * sysfs endpoint directory of configuration 1, ep_XX/wMaxPacketSize), so
 * BYTES is rounded down to whole packets.  DEVICE is the device's sysfs
 * directory (/sys/bus/usb/devices/1-1).  The interface is claimed (no kernel driver binds a
 * vendor-specific interface here).  Exit status: 0 done, 1 the transfer
 * or the data failed (said on stdout/stderr), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/usbdevice_fs.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define VM_USBBULK_CHUNK (16 * 1024)
#define VM_USBBULK_TIMEOUT_MS 5000

static int usage(void)
{
	fputs("usage: vm-usbbulk DEVICE IFNUM in EP BYTES\n"
	      "       vm-usbbulk DEVICE IFNUM out EP BYTES [zeros]\n"
	      "       vm-usbbulk DEVICE IFNUM iso ALT EP PACKETS\n"
	      "DEVICE: /sys/bus/usb/devices/N-P\n",
	      stderr);
	return 2;
}

static int read_sysfs_long(const char *path, int base, long *out)
{
	char buf[32], *end;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*out = strtol(buf, &end, base);
	return end == buf ? -EINVAL : 0;
}

static bool parse_num(const char *s, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 0);
	return !errno && end != s && !*end && *out >= lo && *out <= hi;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * The sysfs directory of the device, for its busnum/devnum and for the
 * endpoint's wMaxPacketSize (ep_81/wMaxPacketSize, hex).
 */
static int open_device(const char *dir, char *node, size_t size)
{
	char path[512];
	long bus, dev;
	int r;

	snprintf(path, sizeof(path), "%s/busnum", dir);
	r = read_sysfs_long(path, 10, &bus);
	if (r == 0) {
		snprintf(path, sizeof(path), "%s/devnum", dir);
		r = read_sysfs_long(path, 10, &dev);
	}
	if (r < 0) {
		fprintf(stderr, "vm-usbbulk: %s: no busnum/devnum: %s\n", dir,
			strerror(-r));
		return -1;
	}
	snprintf(node, size, "/dev/bus/usb/%03ld/%03ld", bus, dev);
	r = open(node, O_RDWR | O_CLOEXEC);
	if (r < 0)
		fprintf(stderr, "vm-usbbulk: %s: %s\n", node, strerror(errno));
	return r;
}

static uint8_t pattern_byte(long offset, long maxpacket)
{
	return (uint8_t)((offset % maxpacket) % 63);
}

static int bulk(int fd, unsigned ep, uint8_t *buf, long len)
{
	struct usbdevfs_bulktransfer bt = {
		.ep = ep,
		.len = (unsigned)len,
		.timeout = VM_USBBULK_TIMEOUT_MS,
		.data = buf,
	};

	return ioctl(fd, USBDEVFS_BULK, &bt);
}

static int bulk_in(int fd, unsigned ep, long bytes, long maxpacket)
{
	static uint8_t buf[VM_USBBULK_CHUNK];
	long done = 0, errors = 0, first = -1, i;
	double start = now_ms();
	int n;

	while (done < bytes) {
		long want = bytes - done < VM_USBBULK_CHUNK ? bytes - done
							    : VM_USBBULK_CHUNK;

		n = bulk(fd, ep, buf, want);
		if (n < 0) {
			printf("in ep=0x%02x bytes=%ld error=%s\n", ep, done,
			       strerror(errno));
			return 1;
		}
		if (n == 0)
			break;
		/* Whole packets, so the pattern's offset is the stream's. */
		for (i = 0; i < n; i++) {
			if (buf[i] == pattern_byte(done + i, maxpacket))
				continue;
			if (first < 0)
				first = done + i;
			errors++;
		}
		done += n;
	}
	printf("in ep=0x%02x bytes=%ld errors=%ld first_error=", ep, done,
	       errors);
	if (first < 0)
		printf("-");
	else
		printf("%ld", first);
	printf(" ms=%.0f\n", now_ms() - start);
	return done == bytes && errors == 0 ? 0 : 1;
}

static int bulk_out(int fd, unsigned ep, long bytes, long maxpacket, bool zeros)
{
	static uint8_t buf[VM_USBBULK_CHUNK];
	double start = now_ms();
	long done = 0, i;
	int n;

	while (done < bytes) {
		long want = bytes - done < VM_USBBULK_CHUNK ? bytes - done
							    : VM_USBBULK_CHUNK;

		for (i = 0; i < want; i++)
			buf[i] = zeros ? 0 : pattern_byte(done + i, maxpacket);
		n = bulk(fd, ep, buf, want);
		if (n < 0) {
			printf("out ep=0x%02x bytes=%ld error=%s\n", ep, done,
			       errno == EPIPE ? "EPIPE" : strerror(errno));
			return 1;
		}
		done += n;
		if (n < want)
			break;
	}
	printf("out ep=0x%02x bytes=%ld ms=%.0f\n", ep, done, now_ms() - start);
	return done == bytes ? 0 : 1;
}

#define VM_USBBULK_ISO_MAX 64

/* One URB, reaped within the timeout (usbdevfs signals it by POLLOUT). */
static int iso_transfer(int fd, unsigned ep, unsigned alt, long packets,
			long maxpacket)
{
	static uint8_t buf[VM_USBBULK_ISO_MAX * 3072];
	static union {
		struct usbdevfs_urb urb;
		uint8_t room[sizeof(struct usbdevfs_urb) +
			     VM_USBBULK_ISO_MAX *
				     sizeof(struct usbdevfs_iso_packet_desc)];
	} u;
	struct usbdevfs_urb *urb = &u.urb, *done = NULL;
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	long i, bytes = 0, bad = 0;

	for (i = 0; i < packets * maxpacket; i++)
		buf[i] = pattern_byte(i, maxpacket);
	urb->type = USBDEVFS_URB_TYPE_ISO;
	urb->endpoint = ep;
	urb->flags = USBDEVFS_URB_ISO_ASAP;
	urb->buffer = buf;
	urb->buffer_length = (int)(packets * maxpacket);
	urb->number_of_packets = (int)packets;
	for (i = 0; i < packets; i++)
		urb->iso_frame_desc[i].length = (unsigned)maxpacket;
	if (ioctl(fd, USBDEVFS_SUBMITURB, urb) < 0) {
		printf("iso ep=0x%02x alt=%u submit=%s\n", ep, alt,
		       strerror(errno));
		return 1;
	}
	if (poll(&pfd, 1, VM_USBBULK_TIMEOUT_MS) <= 0 ||
	    ioctl(fd, USBDEVFS_REAPURBNDELAY, &done) < 0) {
		printf("iso ep=0x%02x alt=%u reap=%s\n", ep, alt,
		       errno ? strerror(errno) : "timed out");
		ioctl(fd, USBDEVFS_DISCARDURB, urb);
		return 1;
	}
	for (i = 0; i < packets; i++) {
		bytes += urb->iso_frame_desc[i].actual_length;
		if (urb->iso_frame_desc[i].status)
			bad++;
	}
	printf("iso ep=0x%02x alt=%u status=%d packets=%ld bytes=%ld "
	       "packet_errors=%ld\n",
	       ep, alt, urb->status, packets, bytes, bad);
	return 0;
}

int main(int argc, char **argv)
{
	char node[64], path[512];
	const char *base;
	long ifnum, ep, bytes, maxpacket, alt = 0;
	struct usbdevfs_setinterface si;
	unsigned claim;
	bool in, iso, zeros = false;
	const char *ep_arg, *count_arg;
	struct stat st;
	int fd, r;

	if (argc < 6 || argc > 7)
		return usage();
	in = strcmp(argv[3], "in") == 0;
	iso = strcmp(argv[3], "iso") == 0;
	if (!in && !iso && strcmp(argv[3], "out") != 0)
		return usage();
	ep_arg = argv[4];
	count_arg = argv[5];
	if (iso) {
		if (argc != 7 || !parse_num(argv[4], 0, 255, &alt))
			return usage();
		ep_arg = argv[5];
		count_arg = argv[6];
	} else if (argc == 7) {
		if (in || strcmp(argv[6], "zeros") != 0)
			return usage();
		zeros = true;
	}
	if (!parse_num(argv[2], 0, 255, &ifnum) ||
	    !parse_num(ep_arg, 1, 255, &ep) ||
	    !parse_num(count_arg, 1, iso ? VM_USBBULK_ISO_MAX : 1L << 30,
		       &bytes))
		return usage();
	if (!iso && (ep & 0x80) != (in ? 0x80 : 0)) {
		fprintf(stderr, "vm-usbbulk: endpoint 0x%02lx is not %s\n", ep,
			in ? "IN" : "OUT");
		return 2;
	}
	if (stat(argv[1], &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr,
			"vm-usbbulk: %s: not a sysfs device directory\n",
			argv[1]);
		return 2;
	}
	fd = open_device(argv[1], node, sizeof(node));
	if (fd < 0)
		return 1;
	claim = (unsigned)ifnum;
	if (ioctl(fd, USBDEVFS_CLAIMINTERFACE, &claim) < 0) {
		fprintf(stderr, "vm-usbbulk: %s: claim interface %ld: %s\n",
			node, ifnum, strerror(errno));
		close(fd);
		return 1;
	}
	si.interface = (unsigned)ifnum;
	si.altsetting = (unsigned)alt;
	if (iso && ioctl(fd, USBDEVFS_SETINTERFACE, &si) < 0) {
		fprintf(stderr,
			"vm-usbbulk: %s: set interface %ld alt %ld: %s\n", node,
			ifnum, alt, strerror(errno));
		r = 1;
		goto out;
	}
	/* sysfs shows the endpoints of the current alternate setting. */
	base = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	snprintf(path, sizeof(path), "%s/%s:1.%ld/ep_%02lx/wMaxPacketSize",
		 argv[1], base, ifnum, ep);
	r = read_sysfs_long(path, 16, &maxpacket);
	if (r < 0 || maxpacket <= 0 || (iso && maxpacket > 3072)) {
		fprintf(stderr, "vm-usbbulk: %s: %s\n", path,
			r < 0 ? strerror(-r) : "out of range");
		r = 1;
		goto out;
	}
	if (iso) {
		r = iso_transfer(fd, (unsigned)ep, (unsigned)alt, bytes,
				 maxpacket & 0x7ff);
		goto out;
	}
	bytes -= bytes % maxpacket;
	r = in ? bulk_in(fd, (unsigned)ep, bytes, maxpacket)
	       : bulk_out(fd, (unsigned)ep, bytes, maxpacket, zeros);
out:
	ioctl(fd, USBDEVFS_RELEASEINTERFACE, &claim);
	close(fd);
	return r;
}
