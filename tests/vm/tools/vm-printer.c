/* SPDX-License-Identifier: MIT */
/*
 * vm-printer: the two ends of the kernel's printer function through their
 * ioctls, for what plain reads and writes do not show.
 *
 *   vm-printer device-id /dev/usb/lp0
 *       the host's usblp asks the device (class request GET_DEVICE_ID) and
 *       hands back the IEEE 1284 device ID: "length=N id=MFG:...;" (N the
 *       big-endian length in its first two bytes, which counts them)
 *   vm-printer host-status /dev/usb/lp0
 *       the host's usblp asks GET_PORT_STATUS: "status=0x18"
 *   vm-printer gadget-status /dev/g_printer0 [VALUE]
 *       the gadget side's status byte (what GET_PORT_STATUS answers), set
 *       to VALUE first when given: "status=0x18"
 *
 * The gadget's /dev/g_printerN takes one opener at a time (EBUSY for a
 * second), so this cannot run while a reader holds it.  Exit status: 0
 * done, 1 the ioctl failed (said on stderr), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/lp.h>
#include <linux/usb/g_printer.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* usblp's own ioctl (drivers/usb/class/usblp.c): 'P', number 1, the
 * buffer's length in the size field. */
#define VM_PRINTER_IOCNR_GET_DEVICE_ID 1
#define VM_PRINTER_ID_MAX 1024

static int usage(void)
{
	fputs("usage: vm-printer device-id /dev/usb/lpN\n"
	      "       vm-printer host-status /dev/usb/lpN\n"
	      "       vm-printer gadget-status /dev/g_printerN [VALUE]\n",
	      stderr);
	return 2;
}

static int device_id(int fd, const char *path)
{
	static unsigned char buf[VM_PRINTER_ID_MAX + 1];
	unsigned len, i;
	int n;

	n = ioctl(fd,
		  _IOC(_IOC_READ, 'P', VM_PRINTER_IOCNR_GET_DEVICE_ID,
		       VM_PRINTER_ID_MAX),
		  buf);
	if (n < 0) {
		fprintf(stderr, "vm-printer: %s: GET_DEVICE_ID: %s\n", path,
			strerror(errno));
		return 1;
	}
	len = (unsigned)buf[0] << 8 | buf[1];
	printf("length=%u id=", len);
	/* usblp answers 0, not the length: the buffer holds the ID. */
	for (i = 2; i < len && i < VM_PRINTER_ID_MAX; i++)
		putchar(buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '?');
	putchar('\n');
	return 0;
}

static int host_status(int fd, const char *path)
{
	int status = 0;

	if (ioctl(fd, LPGETSTATUS, &status) < 0) {
		fprintf(stderr, "vm-printer: %s: LPGETSTATUS: %s\n", path,
			strerror(errno));
		return 1;
	}
	printf("status=0x%02x\n", (unsigned)status & 0xff);
	return 0;
}

/*
 * f_printer takes the new status as the ioctl's argument itself and
 * returns the status as the ioctl's result, despite the _IOR/_IOWR
 * pointer types in linux/usb/g_printer.h.
 */
static int gadget_status(int fd, const char *path, const char *value)
{
	char *end;
	long v;
	int status;

	if (value) {
		errno = 0;
		v = strtol(value, &end, 0);
		if (errno || end == value || *end || v < 0 || v > 0xff)
			return usage();
		if (ioctl(fd, GADGET_SET_PRINTER_STATUS, (unsigned long)v) <
		    0) {
			fprintf(stderr, "vm-printer: %s: set status: %s\n",
				path, strerror(errno));
			return 1;
		}
	}
	status = ioctl(fd, GADGET_GET_PRINTER_STATUS, 0UL);
	if (status < 0) {
		fprintf(stderr, "vm-printer: %s: get status: %s\n", path,
			strerror(errno));
		return 1;
	}
	printf("status=0x%02x\n", (unsigned)status);
	return 0;
}

int main(int argc, char **argv)
{
	int fd, r;

	if (argc < 3 || argc > 4)
		return usage();
	if (argc == 4 && strcmp(argv[1], "gadget-status") != 0)
		return usage();
	fd = open(argv[2], O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vm-printer: %s: %s\n", argv[2],
			strerror(errno));
		return 1;
	}
	if (strcmp(argv[1], "device-id") == 0)
		r = device_id(fd, argv[2]);
	else if (strcmp(argv[1], "host-status") == 0)
		r = host_status(fd, argv[2]);
	else if (strcmp(argv[1], "gadget-status") == 0)
		r = gadget_status(fd, argv[2], argc == 4 ? argv[3] : NULL);
	else
		r = usage();
	close(fd);
	return r;
}
