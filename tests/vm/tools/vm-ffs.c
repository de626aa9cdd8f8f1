/* SPDX-License-Identifier: MIT */
/*
 * vm-ffs: the smallest FunctionFS user-space function: one vendor-specific
 * interface with a bulk IN and a bulk OUT endpoint.  It writes its
 * descriptors and strings to MOUNT/ep0 (FunctionFS then makes ep1 and ep2),
 * prints "ready", and serves ep0 events until it is killed, as a real
 * function's daemon (adbd, a custom one) would.
 *
 *   vm-ffs MOUNT
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define VM_FFS_STRING "vm-ffs"

struct vm_ffs_function {
	struct usb_interface_descriptor intf;
	struct usb_endpoint_descriptor_no_audio in;
	struct usb_endpoint_descriptor_no_audio out;
} __attribute__((packed));

struct vm_ffs_descriptors {
	struct usb_functionfs_descs_head_v2 header;
	__le32 fs_count;
	__le32 hs_count;
	struct vm_ffs_function fs;
	struct vm_ffs_function hs;
} __attribute__((packed));

struct vm_ffs_strings {
	struct usb_functionfs_strings_head header;
	__le16 code;
	char str[sizeof(VM_FFS_STRING)];
} __attribute__((packed));

static void vm_ffs_fill(struct vm_ffs_function *f, unsigned int packet)
{
	f->intf.bLength = sizeof(f->intf);
	f->intf.bDescriptorType = USB_DT_INTERFACE;
	f->intf.bNumEndpoints = 2;
	f->intf.bInterfaceClass = USB_CLASS_VENDOR_SPEC;
	f->intf.iInterface = 1;
	f->in.bLength = sizeof(f->in);
	f->in.bDescriptorType = USB_DT_ENDPOINT;
	f->in.bEndpointAddress = 1 | USB_DIR_IN;
	f->in.bmAttributes = USB_ENDPOINT_XFER_BULK;
	f->in.wMaxPacketSize = htole16(packet);
	f->out = f->in;
	f->out.bEndpointAddress = 2 | USB_DIR_OUT;
}

int main(int argc, char **argv)
{
	struct vm_ffs_descriptors d = { 0 };
	struct vm_ffs_strings s = { 0 };
	struct usb_functionfs_event ev;
	char path[512];
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: vm-ffs MOUNT\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/ep0", argv[1]);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "vm-ffs: %s: %s\n", path, strerror(errno));
		return 1;
	}
	d.header.magic = htole32(FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
	d.header.length = htole32(sizeof(d));
	d.header.flags =
		htole32(FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC);
	d.fs_count = htole32(3);
	d.hs_count = htole32(3);
	vm_ffs_fill(&d.fs, 64);
	vm_ffs_fill(&d.hs, 512);
	s.header.magic = htole32(FUNCTIONFS_STRINGS_MAGIC);
	s.header.length = htole32(sizeof(s));
	s.header.str_count = htole32(1);
	s.header.lang_count = htole32(1);
	s.code = htole16(0x0409);
	memcpy(s.str, VM_FFS_STRING, sizeof(VM_FFS_STRING));
	if (write(fd, &d, sizeof(d)) != (ssize_t)sizeof(d) ||
	    write(fd, &s, sizeof(s)) != (ssize_t)sizeof(s)) {
		fprintf(stderr, "vm-ffs: writing descriptors to %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		ssize_t n = read(fd, &ev, sizeof(ev));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* Setup requests for the function: refuse by stalling. */
		if (ev.type == FUNCTIONFS_SETUP) {
			if (ev.u.setup.bRequestType & USB_DIR_IN)
				(void)write(fd, NULL, 0);
			else
				(void)read(fd, NULL, 0);
		}
	}
	return 0;
}
