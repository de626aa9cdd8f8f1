/* SPDX-License-Identifier: MIT */
/*
 * `gadgetd msd insert|eject`: change the medium of a mass-storage LUN of
 * the running gadget at run time, through the LUN's configfs attributes
 * (lun.N/file, lun.N/ro, lun.N/forced_eject).  The profile says which
 * mass_storage function and LUNs exist; the kernel says whether the host
 * lets go of the medium.
 */
#ifndef GADGETD_MSD_H
#define GADGETD_MSD_H

#include <stdbool.h>
#include <stdio.h>

#include "control.h"
#include "gadgetd/profile.h"

/*
 * Put a medium into LUN lun of the active profile's mass_storage function,
 * read-only when ro.  The medium is fd, a file the client opened and
 * passed (the kernel gets that very file, through /proc/self/fd; read-only
 * when fd is), or with fd -1 the absolute path file, which only root's
 * requests may name (the caller checks).  file names it in messages either
 * way.  gadget_dir is configfs usb_gadget/NAME of the built gadget.
 * Writes one line for the client to out: what changed, or what the kernel
 * refused and why (errno text and configfs path); on refusal nothing is
 * changed.
 */
enum control_status msd_insert(const char *gadget_dir, const struct profile *p,
			       int lun, const char *file, int fd, bool ro,
			       FILE *out);
/*
 * Eject the medium of LUN lun: forced_eject where the kernel has it (the
 * host cannot refuse it), else an empty file (the host can: EBUSY).
 */
enum control_status msd_eject(const char *gadget_dir, const struct profile *p,
			      int lun, FILE *out);

/*
 * How attributes are written (write_file_string: a negative errno).  Unit
 * tests put in a recorder that can play the kernel's refusals; NULL puts
 * back the default.
 */
typedef int (*msd_write_fn)(const char *path, const char *value);
void msd_set_write_fn(msd_write_fn fn);

#endif
