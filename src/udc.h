/* SPDX-License-Identifier: MIT */
/*
 * USB Device Controllers: which exist (/sys/class/udc), which gadget holds
 * which (each configfs gadget's UDC attribute), and a UDC's state attribute,
 * which the kernel updates with sysfs_notify() so that poll() reports
 * POLLPRI on every change.
 *
 * Directories are parameters so that unit tests can use a fake tree.
 */
#ifndef GADGETD_UDC_H
#define GADGETD_UDC_H

#include <stdbool.h>
#include <stddef.h>

#define UDC_CLASS_DIR "/sys/class/udc"
/* Longest UDC state string is "unauthenticated"; room to spare. */
#define UDC_STATE_MAX 64

/* The UDCs in class_dir, sorted by name, NULL-terminated.  A missing
 * class_dir (no UDC driver loaded yet) is an empty list.  Here and in
 * udc_exists() a UDC counts only once the kernel can bind to it: its gadget
 * device is on the gadget bus and its driver's module has finished loading,
 * a few milliseconds after the class device appears (udc.c). */
int udc_list(const char *class_dir, char ***names);
void udc_list_free(char **names);
bool udc_exists(const char *class_dir, const char *udc);

/*
 * The gadget in gadgets_dir (configfs usb_gadget) whose UDC attribute
 * names udc, other than except (our own).  A gadget pending on a UDC that
 * is gone still names it, and the kernel binds it when the UDC returns, so
 * it counts as holding it.  *gadget is NULL when nobody else holds udc.
 */
int udc_holder(const char *gadgets_dir, const char *udc, const char *except,
	       char **gadget);

/*
 * `udc = auto`: the first UDC (by name) that no gadget but except holds.
 * Returns 0 with *udc set, or -ENODEV with *busy_udc and *busy_holder naming
 * the first UDC held by another gadget (both NULL when there is no UDC at
 * all).
 */
int udc_find_free(const char *class_dir, const char *gadgets_dir,
		  const char *except, char **udc, char **busy_udc,
		  char **busy_holder);

/*
 * Whether the kernel runs gadget on udc: the UDC's `function` attribute
 * names the bound gadget driver, which configfs calls after the gadget.
 * A gadget whose UDC attribute names the UDC may still not run on it: the
 * kernel's own bind of a pending gadget can fail, and nothing says so.
 */
bool udc_runs_gadget(const char *class_dir, const char *udc,
		     const char *gadget);

/*
 * Open class_dir/udc/state for POLLPRI watching and read it once: sysfs
 * reports POLLPRI only for changes after the last read.
 */
int udc_state_open(const char *class_dir, const char *udc, int *fd, char *state,
		   size_t size);
/* Re-read an open state attribute (this also re-arms POLLPRI). -ENODEV
 * once the UDC is gone. */
int udc_state_read(int fd, char *state, size_t size);

/*
 * Drop (connect false) or restore the UDC's pull-up through its
 * soft_connect attribute: the host sees a cable pulled or plugged, and the
 * gadget stays bound.  A negative errno where the UDC cannot (no
 * soft_connect, or the driver refuses it).
 */
int udc_soft_connect(const char *class_dir, const char *udc, bool connect);
/*
 * Whether a disconnect and connect through soft_connect makes the host
 * enumerate the gadget again on this UDC.  Debian's 6.1 dummy_udc takes
 * both writes and then answers no control request: the host gives up with
 * EPROTO until the gadget is unbound and bound (tests/vm scenario
 * kernel-dummy-soft-connect pins this, so that a kernel that fixes it
 * shows up).
 */
bool udc_soft_connect_reenumerates(const char *udc);

#endif
