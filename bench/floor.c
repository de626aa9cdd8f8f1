/* SPDX-License-Identifier: MIT */
/*
 * floor: the least work that builds the bench gadget, for comparison.
 *
 *   floor up a|b|c UDC       build gadget A (bench.ini), B (bench-b.ini) or
 *                            C (bench-c.ini) and bind it
 *   floor down               unbind and remove whatever of A or B is there
 *   floor switch a|b UDC     down, then up
 *   floor build a|b          build without binding
 *   floor --version          nothing: the cost of starting it
 *   floor bind-when UDC      print "ready" once it listens to the kernel's
 *                            uevents, then bind the built gadget as soon as
 *                            UDC can take it (its gadget device is on the
 *                            gadget bus and its driver's module is live:
 *                            src/udc.c): what a daemon must do at the least
 *                            when a UDC appears
 *
 * Only the mkdir/write/symlink/rmdir/unlink syscalls the kernel needs, from
 * a table compiled in: no parsing, no library, no checks beyond each
 * syscall's return.  Attributes whose kernel default is already what the
 * profile says are not written (gadgetd writes them; that is part of its
 * cost).  The gadget directory is usb_gadget/gadgetd under
 * /sys/kernel/config, as gadgetd's, so that the trees compare.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define G "/sys/kernel/config/usb_gadget/gadgetd"

enum floor_kind { FLOOR_MKDIR, FLOOR_WRITE, FLOOR_LINK };

struct floor_op {
	enum floor_kind kind;
	const char *path;
	const char *value; /* write: the text; link: the target */
	unsigned gadgets; /* A, B, C */
};

#define A 1u
#define B 2u
#define C 4u

static const struct floor_op floor_ops[] = {
	{ FLOOR_MKDIR, G, NULL, A | B | C },
	{ FLOOR_WRITE, G "/idVendor", "0x1d6b", A | B | C },
	{ FLOOR_WRITE, G "/idProduct", "0x0104", A },
	{ FLOOR_WRITE, G "/idProduct", "0x0105", B },
	{ FLOOR_WRITE, G "/idProduct", "0x0106", C },
	{ FLOOR_WRITE, G "/bcdDevice", "0x0100", A | B | C },
	{ FLOOR_WRITE, G "/bcdUSB", "0x0200", A | B | C },
	{ FLOOR_MKDIR, G "/strings/0x409", NULL, A | B | C },
	{ FLOOR_WRITE, G "/strings/0x409/manufacturer", "gadgetd", A | B | C },
	{ FLOOR_WRITE, G "/strings/0x409/product", "gadgetd bench", A },
	{ FLOOR_WRITE, G "/strings/0x409/product", "gadgetd bench B", B },
	{ FLOOR_WRITE, G "/strings/0x409/product", "gadgetd bench C", C },
	{ FLOOR_WRITE, G "/strings/0x409/serialnumber", "BENCH0001",
	  A | B | C },
	{ FLOOR_MKDIR, G "/functions/ecm.usb0", NULL, A | B },
	{ FLOOR_WRITE, G "/functions/ecm.usb0/dev_addr", "02:00:00:00:00:01",
	  A | B },
	{ FLOOR_WRITE, G "/functions/ecm.usb0/host_addr", "02:00:00:00:00:02",
	  A | B },
	{ FLOOR_MKDIR, G "/functions/acm.GS0", NULL, A | B | C },
	{ FLOOR_MKDIR, G "/functions/mass_storage.0", NULL, A | C },
	/* This kernel's default is 0. */
	{ FLOOR_WRITE, G "/functions/mass_storage.0/stall", "1", A | C },
	{ FLOOR_WRITE, G "/functions/mass_storage.0/lun.0/file",
	  "/tmp/bench-msd.img", A | C },
	{ FLOOR_MKDIR, G "/configs/c.1", NULL, A | B | C },
	{ FLOOR_WRITE, G "/configs/c.1/MaxPower", "250", A | B | C },
	{ FLOOR_MKDIR, G "/configs/c.1/strings/0x409", NULL, A | B | C },
	{ FLOOR_WRITE, G "/configs/c.1/strings/0x409/configuration",
	  "ECM + ACM + MSD", A },
	{ FLOOR_WRITE, G "/configs/c.1/strings/0x409/configuration",
	  "ECM + ACM", B },
	{ FLOOR_WRITE, G "/configs/c.1/strings/0x409/configuration",
	  "ACM + MSD", C },
	{ FLOOR_LINK, G "/configs/c.1/ecm.usb0", G "/functions/ecm.usb0",
	  A | B },
	{ FLOOR_LINK, G "/configs/c.1/acm.GS0", G "/functions/acm.GS0",
	  A | B | C },
	{ FLOOR_LINK, G "/configs/c.1/mass_storage.0",
	  G "/functions/mass_storage.0", A | C },
};

#define FLOOR_N_OPS (sizeof(floor_ops) / sizeof(floor_ops[0]))

static int floor_fail(const char *verb, const char *path)
{
	fprintf(stderr, "floor: %s %s: %s\n", verb, path, strerror(errno));
	return 1;
}

static int floor_write(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (write(fd, value, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int floor_build(unsigned gadget)
{
	for (size_t i = 0; i < FLOOR_N_OPS; i++) {
		const struct floor_op *op = &floor_ops[i];
		int r = 0;

		if (!(op->gadgets & gadget))
			continue;
		if (op->kind == FLOOR_MKDIR)
			r = mkdir(op->path, 0755);
		else if (op->kind == FLOOR_WRITE)
			r = floor_write(op->path, op->value);
		else
			r = symlink(op->value, op->path);
		if (r < 0)
			return floor_fail("build", op->path);
	}
	return 0;
}

static int floor_bind(const char *udc)
{
	if (floor_write(G "/UDC", udc) < 0)
		return floor_fail("write to", G "/UDC");
	return 0;
}

static int floor_up(unsigned gadget, const char *udc)
{
	return floor_build(gadget) || floor_bind(udc);
}

static int floor_udc_ready(const char *path)
{
	struct dirent *e;
	int ready = 0;
	DIR *d = opendir(path);

	if (!d)
		return 0;
	while (!ready && (e = readdir(d))) {
		char link[1024];

		if (strncmp(e->d_name, "gadget", 6) != 0)
			continue;
		snprintf(link, sizeof(link), "%s/%s/subsystem", path,
			 e->d_name);
		ready = access(link, F_OK) == 0;
	}
	closedir(d);
	if (ready) {
		char link[1024], state[16] = "";
		ssize_t n = 0;
		int fd;

		snprintf(link, sizeof(link), "%s/driver/module/initstate",
			 path);
		fd = open(link, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, state, sizeof(state) - 1);
			close(fd);
			ready = n > 0 && strncmp(state, "live", 4) == 0;
		}
	}
	return ready;
}

static int floor_bind_when(const char *udc)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	char path[256], buf[8192];
	struct pollfd p = { .events = POLLIN };

	snprintf(path, sizeof(path), "/sys/class/udc/%s/device", udc);
	p.fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		      NETLINK_KOBJECT_UEVENT);
	if (p.fd < 0 || bind(p.fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return floor_fail("listen to uevents for", path);
	puts("ready");
	fflush(stdout);
	while (!floor_udc_ready(path)) {
		if (poll(&p, 1, -1) < 0)
			return floor_fail("poll uevents for", path);
		while (recv(p.fd, buf, sizeof(buf), MSG_DONTWAIT) > 0 ||
		       errno == ENOBUFS)
			;
	}
	return floor_bind(udc);
}

/* The build backwards; what is not there (the other gadget's entries) is
 * skipped.  lun.0 and the strings the kernel made go with their parents. */
static int floor_down(void)
{
	if (floor_write(G "/UDC", "\n") < 0 && errno != ENODEV)
		return floor_fail("write '' to", G "/UDC");
	for (size_t i = FLOOR_N_OPS; i-- > 0;) {
		const struct floor_op *op = &floor_ops[i];
		int r = 0;

		if (op->kind == FLOOR_MKDIR)
			r = rmdir(op->path);
		else if (op->kind == FLOOR_LINK)
			r = unlink(op->path);
		if (r < 0 && errno != ENOENT)
			return floor_fail("remove", op->path);
	}
	return 0;
}

static unsigned floor_gadget(const char *name)
{
	if (strcmp(name, "a") == 0)
		return A;
	if (strcmp(name, "b") == 0)
		return B;
	if (strcmp(name, "c") == 0)
		return C;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned gadget = argc == 4 ? floor_gadget(argv[2]) : 0;

	if (argc == 2 && strcmp(argv[1], "down") == 0)
		return floor_down();
	if (argc == 2 && strcmp(argv[1], "--version") == 0)
		return 0;
	if (argc == 3 && strcmp(argv[1], "bind-when") == 0)
		return floor_bind_when(argv[2]);
	gadget = argc == 3 ? floor_gadget(argv[2]) : gadget;
	if (gadget && argc == 3 && strcmp(argv[1], "build") == 0)
		return floor_build(gadget);
	if (gadget && strcmp(argv[1], "up") == 0)
		return floor_up(gadget, argv[3]);
	if (gadget && strcmp(argv[1], "switch") == 0)
		return floor_down() || floor_up(gadget, argv[3]);
	fputs("usage: floor up|switch a|b|c UDC | floor build a|b|c | floor down\n"
	      "       floor bind-when UDC\n",
	      stderr);
	return 2;
}
