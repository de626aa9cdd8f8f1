/* SPDX-License-Identifier: MIT */
/*
 * vm-usbctl: control transfers from the host side of the VM's USB bus, the
 * way a host's USB stack asks a device for what lsusb and sysfs do not
 * show: the Microsoft OS string descriptor (string index 0xEE) and the
 * extended compat ID OS feature descriptor that Windows reads to pick a
 * driver without an .inf file.  usbdevfs (USBDEVFS_CONTROL) needs no
 * claimed interface for requests to the device.
 *
 *   vm-usbctl DEVICE string INDEX [LANGID]
 *       GET_DESCRIPTOR(STRING): "len=N type=3 text=..." (UTF-16LE decoded,
 *       non-ASCII as \uXXXX), then "hex=..." of the whole descriptor
 *   vm-usbctl DEVICE os-string
 *       string 0xEE, language 0: "signature=MSFT100 vendor_code=0xcd pad=0x00"
 *   vm-usbctl DEVICE compat-id VENDOR_CODE
 *       vendor request VENDOR_CODE, wIndex 4: "version=0x0100 count=N", then
 *       per function "interface=I compatible_id=RNDIS sub_compatible_id=5162001"
 *   vm-usbctl DEVICE control REQTYPE REQUEST VALUE INDEX LENGTH
 *       any IN control transfer: the bytes as hex
 *
 * DEVICE is /dev/bus/usb/BBB/DDD or the device's sysfs directory
 * (/sys/bus/usb/devices/1-1), whose busnum and devnum name the node.
 * Exit status: 0 done, 1 the transfer or the descriptor failed (said on
 * stderr), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define VM_USBCTL_TIMEOUT_MS 5000
#define VM_USBCTL_BUF 4096
/* Microsoft OS 1.0 descriptors. */
#define VM_USBCTL_OS_STRING_INDEX 0xee
#define VM_USBCTL_OS_STRING_LEN 0x12
#define VM_USBCTL_COMPAT_ID_INDEX 4
#define VM_USBCTL_COMPAT_HEADER 16
#define VM_USBCTL_COMPAT_FUNCTION 24

static int usage(void)
{
	fputs("usage: vm-usbctl DEVICE string INDEX [LANGID]\n"
	      "       vm-usbctl DEVICE os-string\n"
	      "       vm-usbctl DEVICE compat-id VENDOR_CODE\n"
	      "       vm-usbctl DEVICE control REQTYPE REQUEST VALUE INDEX "
	      "LENGTH\n"
	      "DEVICE: /dev/bus/usb/BBB/DDD or /sys/bus/usb/devices/N-P\n",
	      stderr);
	return 2;
}

static int read_sysfs_int(const char *dir, const char *name, long *out)
{
	char path[512], buf[32], *end;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*out = strtol(buf, &end, 10);
	return end == buf ? -EINVAL : 0;
}

/* A sysfs device directory names its usbfs node by busnum and devnum. */
static int open_device(const char *arg)
{
	char node[64];
	struct stat st;
	long bus, dev;
	int fd, r;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		r = read_sysfs_int(arg, "busnum", &bus);
		if (r == 0)
			r = read_sysfs_int(arg, "devnum", &dev);
		if (r < 0) {
			fprintf(stderr, "vm-usbctl: %s: no busnum/devnum: %s\n",
				arg, strerror(-r));
			return -1;
		}
		snprintf(node, sizeof(node), "/dev/bus/usb/%03ld/%03ld", bus,
			 dev);
		arg = node;
	}
	fd = open(arg, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "vm-usbctl: %s: %s\n", arg, strerror(errno));
	return fd;
}

static bool parse_num(const char *s, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 0);
	return !errno && end != s && !*end && *out >= lo && *out <= hi;
}

/* An IN control transfer; returns the byte count or -1 (said why). */
static int control_in(int fd, unsigned reqtype, unsigned request,
		      unsigned value, unsigned index, uint8_t *buf,
		      unsigned length)
{
	struct usbdevfs_ctrltransfer ct = {
		.bRequestType = (uint8_t)(reqtype | USB_DIR_IN),
		.bRequest = (uint8_t)request,
		.wValue = (uint16_t)value,
		.wIndex = (uint16_t)index,
		.wLength = (uint16_t)length,
		.timeout = VM_USBCTL_TIMEOUT_MS,
		.data = buf,
	};
	int n = ioctl(fd, USBDEVFS_CONTROL, &ct);

	if (n < 0)
		fprintf(stderr,
			"vm-usbctl: control 0x%02x 0x%02x value 0x%04x index "
			"0x%04x length %u: %s\n",
			ct.bRequestType, request, value, index, length,
			strerror(errno));
	return n;
}

static void print_hex(const char *label, const uint8_t *buf, int n)
{
	printf("%s", label);
	for (int i = 0; i < n; i++)
		printf("%02x", buf[i]);
	putchar('\n');
}

/* UTF-16LE code units as ASCII, anything else as \uXXXX. */
static void print_utf16(const uint8_t *p, int n)
{
	for (int i = 0; i + 1 < n; i += 2) {
		unsigned c = (unsigned)p[i] | (unsigned)p[i + 1] << 8;

		if (c >= 0x20 && c < 0x7f)
			putchar((int)c);
		else
			printf("\\u%04x", c);
	}
}

static int get_string(int fd, unsigned index, unsigned langid, uint8_t *buf,
		      unsigned length)
{
	int n = control_in(fd, USB_TYPE_STANDARD | USB_RECIP_DEVICE,
			   USB_REQ_GET_DESCRIPTOR, USB_DT_STRING << 8 | index,
			   langid, buf, length);

	if (n < 0)
		return -1;
	if (n < 2 || buf[1] != USB_DT_STRING || buf[0] > n) {
		fprintf(stderr,
			"vm-usbctl: string 0x%02x: not a string descriptor "
			"(%d bytes, bLength %u, type %u)\n",
			index, n, n > 0 ? buf[0] : 0, n > 1 ? buf[1] : 0);
		return -1;
	}
	return buf[0];
}

static int cmd_string(int fd, int argc, char **argv)
{
	uint8_t buf[255];
	long index, langid = 0x409;
	int n;

	if (argc < 1 || argc > 2 || !parse_num(argv[0], 0, 255, &index) ||
	    (argc == 2 && !parse_num(argv[1], 0, 0xffff, &langid)))
		return usage();
	n = get_string(fd, (unsigned)index, (unsigned)langid, buf, sizeof(buf));
	if (n < 0)
		return 1;
	printf("len=%d type=%u text=", n, buf[1]);
	print_utf16(buf + 2, n - 2);
	putchar('\n');
	print_hex("hex=", buf, n);
	return 0;
}

/*
 * The Microsoft OS string descriptor: bLength 0x12, type 3, qwSignature
 * (7 UTF-16LE characters), bMS_VendorCode, bPad.  Windows asks for it
 * with language 0, and only then sends the vendor requests.
 */
static int cmd_os_string(int fd)
{
	uint8_t buf[VM_USBCTL_OS_STRING_LEN];
	int n = get_string(fd, VM_USBCTL_OS_STRING_INDEX, 0, buf, sizeof(buf));

	if (n < 0)
		return 1;
	if (n != VM_USBCTL_OS_STRING_LEN) {
		print_hex("hex=", buf, n);
		fprintf(stderr,
			"vm-usbctl: OS string descriptor is %d bytes, "
			"expected %d\n",
			n, VM_USBCTL_OS_STRING_LEN);
		return 1;
	}
	printf("signature=");
	print_utf16(buf + 2, 14);
	printf(" vendor_code=0x%02x pad=0x%02x\n", buf[16], buf[17]);
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* An 8-byte ID, NUL-padded. */
static void print_id(const char *label, const uint8_t *p)
{
	printf(" %s=", label);
	for (int i = 0; i < 8 && p[i]; i++)
		putchar(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?');
}

/*
 * Extended compat ID OS feature descriptor, as Windows reads it: the
 * 16-byte header first (dwLength), then the whole descriptor.  Header:
 * dwLength, bcdVersion 0x0100, wIndex 4, bCount, 7 reserved; then bCount
 * function sections of 24 bytes: bFirstInterfaceNumber, 1 reserved,
 * compatibleID[8], subCompatibleID[8], 6 reserved.
 */
static int cmd_compat_id(int fd, int argc, char **argv)
{
	static uint8_t buf[VM_USBCTL_BUF];
	long code;
	uint32_t length;
	unsigned count;
	int n;

	if (argc != 1 || !parse_num(argv[0], 0, 255, &code))
		return usage();
	n = control_in(fd, USB_TYPE_VENDOR | USB_RECIP_DEVICE, (unsigned)code,
		       0, VM_USBCTL_COMPAT_ID_INDEX, buf,
		       VM_USBCTL_COMPAT_HEADER);
	if (n < 0)
		return 1;
	if (n < VM_USBCTL_COMPAT_HEADER) {
		print_hex("hex=", buf, n);
		fprintf(stderr, "vm-usbctl: compat ID header is %d bytes\n", n);
		return 1;
	}
	length = le32(buf);
	count = buf[8];
	if (length != VM_USBCTL_COMPAT_HEADER +
			      count * VM_USBCTL_COMPAT_FUNCTION ||
	    length > sizeof(buf)) {
		print_hex("hex=", buf, n);
		fprintf(stderr,
			"vm-usbctl: compat ID dwLength %u does not match "
			"bCount %u\n",
			length, count);
		return 1;
	}
	n = control_in(fd, USB_TYPE_VENDOR | USB_RECIP_DEVICE, (unsigned)code,
		       0, VM_USBCTL_COMPAT_ID_INDEX, buf, length);
	if (n < 0)
		return 1;
	if ((uint32_t)n != length) {
		print_hex("hex=", buf, n);
		fprintf(stderr,
			"vm-usbctl: compat ID descriptor is %d bytes, "
			"dwLength says %u\n",
			n, length);
		return 1;
	}
	printf("version=0x%04x index=%u count=%u\n",
	       (unsigned)buf[4] | (unsigned)buf[5] << 8,
	       (unsigned)buf[6] | (unsigned)buf[7] << 8, count);
	for (unsigned i = 0; i < count; i++) {
		const uint8_t *f = buf + VM_USBCTL_COMPAT_HEADER +
				   i * VM_USBCTL_COMPAT_FUNCTION;

		printf("interface=%u", f[0]);
		print_id("compatible_id", f + 2);
		print_id("sub_compatible_id", f + 10);
		putchar('\n');
	}
	return 0;
}

static int cmd_control(int fd, int argc, char **argv)
{
	static uint8_t buf[VM_USBCTL_BUF];
	long v[5];
	int n;

	if (argc != 5)
		return usage();
	for (int i = 0; i < 5; i++) {
		long hi = i == 0 || i == 1 ? 255 : 0xffff;

		if (i == 4)
			hi = sizeof(buf);
		if (!parse_num(argv[i], 0, hi, &v[i]))
			return usage();
	}
	n = control_in(fd, (unsigned)v[0], (unsigned)v[1], (unsigned)v[2],
		       (unsigned)v[3], buf, (unsigned)v[4]);
	if (n < 0)
		return 1;
	print_hex("", buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	int fd, r;

	if (argc < 3)
		return usage();
	if (strcmp(argv[2], "string") && strcmp(argv[2], "os-string") &&
	    strcmp(argv[2], "compat-id") && strcmp(argv[2], "control"))
		return usage();
	fd = open_device(argv[1]);
	if (fd < 0)
		return 1;
	if (!strcmp(argv[2], "string"))
		r = cmd_string(fd, argc - 3, argv + 3);
	else if (!strcmp(argv[2], "os-string"))
		r = argc == 3 ? cmd_os_string(fd) : usage();
	else if (!strcmp(argv[2], "compat-id"))
		r = cmd_compat_id(fd, argc - 3, argv + 3);
	else
		r = cmd_control(fd, argc - 3, argv + 3);
	close(fd);
	return r;
}
