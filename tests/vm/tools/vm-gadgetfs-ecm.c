/* SPDX-License-Identifier: MIT */
/*
 * vm-gadgetfs-ecm: a CDC ECM device's descriptors served through
 * gadgetfs, with the iMACAddress string the caller gives, for a host
 * personality's negative control.  configfs cannot build it: f_ecm always
 * fills iMACAddress from host_addr, which configfs accepts only as a
 * valid MAC address, and FunctionFS refuses class descriptors.  No data
 * moves: the endpoints are never enabled, which a host that rejects the
 * descriptors never notices.
 *
 *   vm-gadgetfs-ecm MOUNT MAC_STRING|--none
 *
 * MOUNT is where gadgetfs is mounted; its one controller file is opened.
 * MAC_STRING is what string 4 (iMACAddress) says; --none makes
 * iMACAddress 0.  Prints "ready" once bound, then serves ep0 until killed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/cdc.h>
#include <linux/usb/ch9.h>
#include <linux/usb/gadgetfs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ECM_STRING_MAC 4

static size_t put_config(uint8_t *p, int high, uint8_t imac)
{
	uint16_t bulk = high ? 512 : 64;
	uint8_t *c = p;
	size_t n;

	/* configuration, then interface 0 (CDC ECM) and its class
	 * descriptors, its notification endpoint, interface 1 (CDC data)
	 * alternate settings 0 (no endpoints) and 1 (bulk IN and OUT) */
	static const uint8_t head[] = {
		9,
		USB_DT_CONFIG,
		0,
		0,
		2,
		1,
		0,
		0xc0,
		50,
		9,
		USB_DT_INTERFACE,
		0,
		0,
		1,
		USB_CLASS_COMM,
		USB_CDC_SUBCLASS_ETHERNET,
		0,
		0,
		5,
		USB_DT_CS_INTERFACE,
		USB_CDC_HEADER_TYPE,
		0x10,
		0x01,
		5,
		USB_DT_CS_INTERFACE,
		USB_CDC_UNION_TYPE,
		0,
		1,
	};
	memcpy(p, head, sizeof(head));
	p += sizeof(head);
	*p++ = 13;
	*p++ = USB_DT_CS_INTERFACE;
	*p++ = USB_CDC_ETHERNET_TYPE;
	*p++ = imac;
	memset(p, 0, 4); /* bmEthernetStatistics */
	p += 4;
	*p++ = 0xea, *p++ = 0x05; /* wMaxSegmentSize 1514 */
	*p++ = 0, *p++ = 0, *p++ = 0;
	*p++ = 7, *p++ = USB_DT_ENDPOINT, *p++ = 0x81, *p++ = 3;
	*p++ = 16, *p++ = 0, *p++ = high ? 9 : 32;
	*p++ = 9, *p++ = USB_DT_INTERFACE, *p++ = 1, *p++ = 0, *p++ = 0;
	*p++ = USB_CLASS_CDC_DATA, *p++ = 0, *p++ = 0, *p++ = 0;
	*p++ = 9, *p++ = USB_DT_INTERFACE, *p++ = 1, *p++ = 1, *p++ = 2;
	*p++ = USB_CLASS_CDC_DATA, *p++ = 0, *p++ = 0, *p++ = 0;
	*p++ = 7, *p++ = USB_DT_ENDPOINT, *p++ = 0x82, *p++ = 2;
	*p++ = (uint8_t)bulk, *p++ = (uint8_t)(bulk >> 8), *p++ = 0;
	*p++ = 7, *p++ = USB_DT_ENDPOINT, *p++ = 0x03, *p++ = 2;
	*p++ = (uint8_t)bulk, *p++ = (uint8_t)(bulk >> 8), *p++ = 0;
	n = (size_t)(p - c);
	c[2] = (uint8_t)n;
	c[3] = (uint8_t)(n >> 8);
	return n;
}

static int open_controller(const char *mount)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(mount);
	int fd = -1;

	if (!d) {
		fprintf(stderr, "vm-gadgetfs-ecm: %s: %s\n", mount,
			strerror(errno));
		return -1;
	}
	/* The controller's file is the one entry that is no endpoint. */
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strncmp(e->d_name, "ep", 2))
			continue;
		snprintf(path, sizeof(path), "%s/%s", mount, e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			fprintf(stderr, "vm-gadgetfs-ecm: %s: %s\n", path,
				strerror(errno));
		break;
	}
	closedir(d);
	if (fd < 0 && !errno)
		fprintf(stderr, "vm-gadgetfs-ecm: no controller in %s\n",
			mount);
	return fd;
}

static int reply_string(int fd, uint8_t index, const char *mac, uint16_t max)
{
	static const char *const strings[] = { NULL, "gadgetd test bed",
					       "ECM over gadgetfs", "VM0002" };
	uint8_t b[128];
	const char *s;
	size_t n;

	if (index == 0) {
		b[0] = 4, b[1] = USB_DT_STRING, b[2] = 0x09, b[3] = 0x04;
		n = 4;
	} else {
		s = index < 4		      ? strings[index]
		    : index == ECM_STRING_MAC ? mac
					      : NULL;
		if (!s)
			return read(fd, &n, 0) < 0 ? -errno : 0; /* stall */
		n = 2;
		for (size_t i = 0; s[i] && n + 2 <= sizeof(b); i++) {
			b[n++] = (uint8_t)s[i];
			b[n++] = 0;
		}
		b[0] = (uint8_t)n;
		b[1] = USB_DT_STRING;
	}
	if (n > max)
		n = max;
	return write(fd, b, n) < 0 ? -errno : 0;
}

int main(int argc, char **argv)
{
	uint8_t buf[4 + 2 * 128 + 18], *p = buf;
	struct usb_gadgetfs_event ev[5];
	const char *mac;
	uint8_t imac;
	int fd;

	if (argc != 3) {
		fputs("usage: vm-gadgetfs-ecm MOUNT MAC_STRING|--none\n",
		      stderr);
		return 2;
	}
	mac = argv[2];
	imac = strcmp(mac, "--none") ? ECM_STRING_MAC : 0;
	fd = open_controller(argv[1]);
	if (fd < 0)
		return 1;
	/* gadgetfs: tag 0, the full-speed and high-speed configurations,
	 * then the device descriptor. */
	memset(p, 0, 4);
	p += 4;
	p += put_config(p, 0, imac);
	p += put_config(p, 1, imac);
	{
		static const uint8_t dev[18] = {
			18,   USB_DT_DEVICE, 0x00, 0x02, 0,    0, 0, 64, 0x6b,
			0x1d, 0x04,	     0x01, 0x07, 0x01, 1, 2, 3,	 1,
		};
		memcpy(p, dev, sizeof(dev));
		p += sizeof(dev);
	}
	if (write(fd, buf, (size_t)(p - buf)) < 0) {
		fprintf(stderr,
			"vm-gadgetfs-ecm: writing the descriptors: %s\n",
			strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		ssize_t n = read(fd, ev, sizeof(ev));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "vm-gadgetfs-ecm: events: %s\n",
				strerror(errno));
			return 1;
		}
		for (size_t i = 0; i < (size_t)n / sizeof(ev[0]); i++) {
			struct usb_ctrlrequest *s = &ev[i].u.setup;
			int r = 0;

			if (ev[i].type != GADGETFS_SETUP)
				continue;
			if (s->bRequestType ==
				    (USB_DIR_IN | USB_TYPE_STANDARD) &&
			    s->bRequest == USB_REQ_GET_DESCRIPTOR &&
			    (s->wValue >> 8) == USB_DT_STRING)
				r = reply_string(fd, (uint8_t)s->wValue, mac,
						 s->wLength);
			else if (s->bRequestType == USB_TYPE_STANDARD &&
				 s->bRequest == USB_REQ_SET_CONFIGURATION)
				r = read(fd, &r, 0) < 0 ? -errno : 0; /* ack */
			else if (s->bRequestType & USB_DIR_IN)
				r = read(fd, &r, 0) < 0 ? -errno
							: 0; /* stall */
			else
				r = write(fd, &r, 0) < 0 ? -errno : 0;
			if (r < 0 && r != -EL2HLT)
				fprintf(stderr,
					"vm-gadgetfs-ecm: request 0x%02x 0x%02x: "
					"%s\n",
					s->bRequestType, s->bRequest,
					strerror(-r));
		}
	}
}
