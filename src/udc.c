/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "udc.h"
#include "util.h"

static int udc_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * When a UDC can be bound.  Writing its name to a gadget's UDC attribute
 * fails with EBUSY ("couldn't find an available UDC or it's busy") until
 * both of these hold; a daemon that reacts to the UDC's first uevent lands
 * before them (seen at `modprobe dummy_hcd` under 6.1: a refused bind, and
 * no retry):
 *  - the gadget device is on the gadget bus: usb_add_gadget() adds it a
 *    little after the udc class device, as a sibling under the controller
 *    (CONTROLLER/gadget.N, "gadget" before 5.19).  Its directory appears
 *    before it joins the bus; the `subsystem` link comes as it joins.
 *  - the controller driver's module has finished its init (initstate
 *    "live"): the UDC is registered from inside that init, and binding
 *    fails while the module is still "coming".  The kernel sends the
 *    module's "add" uevent only then (uevent.h).
 * A class entry without a device link (a fake tree) counts as ready; so
 * does a built-in driver (no module link).
 */
static bool udc_gadget_on_bus(const char *device)
{
	struct dirent *e;
	bool ready = false;
	DIR *dir = opendir(device);

	if (!dir)
		return errno == ENOENT;
	while (!ready && (e = readdir(dir))) {
		char *link;

		if (!streq(e->d_name, "gadget") &&
		    !str_starts_with(e->d_name, "gadget."))
			continue;
		link = xasprintf("%s/%s/subsystem", device, e->d_name);
		ready = access(link, F_OK) == 0;
		free(link);
	}
	closedir(dir);
	return ready;
}

static bool udc_module_live(const char *device)
{
	char *path = xasprintf("%s/driver/module/initstate", device);
	char *state = NULL;
	bool live;
	int r;

	r = read_file_string(path, &state);
	free(path);
	if (r < 0)
		return r == -ENOENT;
	live = streq(str_strip(state), "live");
	free(state);
	return live;
}

static bool udc_ready(const char *class_dir, const char *udc)
{
	char *device = xasprintf("%s/%s/device", class_dir, udc);
	bool ready = udc_gadget_on_bus(device) && udc_module_live(device);

	free(device);
	return ready;
}

int udc_list(const char *class_dir, char ***out)
{
	struct dirent *e;
	char **names;
	size_t n = 0;
	DIR *dir;

	names = xcalloc(1, sizeof(*names));
	dir = opendir(class_dir);
	if (!dir) {
		if (errno == ENOENT) {
			*out = names;
			return 0;
		}
		free(names);
		return -errno;
	}
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.' || !udc_ready(class_dir, e->d_name))
			continue;
		names = xreallocarray(names, n + 2, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
		names[n] = NULL;
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), udc_compare);
	*out = names;
	return 0;
}

void udc_list_free(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}

bool udc_exists(const char *class_dir, const char *udc)
{
	char *path = xasprintf("%s/%s", class_dir, udc);
	bool exists = access(path, F_OK) == 0;

	free(path);
	return exists && udc_ready(class_dir, udc);
}

int udc_holder(const char *gadgets_dir, const char *udc, const char *except,
	       char **gadget)
{
	struct dirent *e;
	DIR *dir;

	*gadget = NULL;
	dir = opendir(gadgets_dir);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(dir))) {
		char *path, *value = NULL;
		int r;

		if (e->d_name[0] == '.' || (except && streq(e->d_name, except)))
			continue;
		path = xasprintf("%s/%s/UDC", gadgets_dir, e->d_name);
		r = read_file_string(path, &value);
		free(path);
		/* A gadget being removed while we look is not a holder. */
		if (r < 0)
			continue;
		if (streq(str_strip(value), udc)) {
			*gadget = xstrdup(e->d_name);
			free(value);
			break;
		}
		free(value);
	}
	closedir(dir);
	return 0;
}

int udc_find_free(const char *class_dir, const char *gadgets_dir,
		  const char *except, char **udc, char **busy_udc,
		  char **busy_holder)
{
	char **names;
	int r;

	*udc = NULL;
	*busy_udc = NULL;
	*busy_holder = NULL;
	r = udc_list(class_dir, &names);
	if (r < 0)
		return r;
	r = -ENODEV;
	for (char **p = names; *p; p++) {
		char *holder;
		int h = udc_holder(gadgets_dir, *p, except, &holder);

		if (h < 0) {
			r = h;
			break;
		}
		if (!holder) {
			*udc = xstrdup(*p);
			r = 0;
			break;
		}
		if (!*busy_udc) {
			*busy_udc = xstrdup(*p);
			*busy_holder = holder;
		} else {
			free(holder);
		}
	}
	udc_list_free(names);
	if (r == 0) {
		free(*busy_udc);
		free(*busy_holder);
		*busy_udc = NULL;
		*busy_holder = NULL;
	}
	return r;
}

bool udc_runs_gadget(const char *class_dir, const char *udc, const char *gadget)
{
	char *path = xasprintf("%s/%s/function", class_dir, udc), *function;
	bool runs = false;

	if (read_file_string(path, &function) == 0) {
		runs = streq(function, gadget);
		free(function);
	}
	free(path);
	return runs;
}

int udc_state_read(int fd, char *state, size_t size)
{
	ssize_t n;

	n = pread(fd, state, size - 1, 0);
	if (n < 0)
		return -errno;
	while (n > 0 && (state[n - 1] == '\n' || state[n - 1] == ' '))
		n--;
	state[n] = '\0';
	return 0;
}

int udc_state_open(const char *class_dir, const char *udc, int *out,
		   char *state, size_t size)
{
	char *path = xasprintf("%s/%s/state", class_dir, udc);
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return -errno;
	r = udc_state_read(fd, state, size);
	if (r < 0) {
		close(fd);
		return r;
	}
	*out = fd;
	return 0;
}

int udc_soft_connect(const char *class_dir, const char *udc, bool connect)
{
	char *path = xasprintf("%s/%s/soft_connect", class_dir, udc);
	int r = write_file_string(path, connect ? "connect" : "disconnect");

	free(path);
	return r;
}

bool udc_soft_connect_reenumerates(const char *udc)
{
	return !str_starts_with(udc, "dummy_udc.");
}
