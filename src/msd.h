/* SPDX-License-Identifier: MIT */
/*
 * `gadgetd msd insert|eject`: change the medium of a mass-storage LUN of
 * the running gadget at run time, through the LUN's configfs attributes
 * (lun.N/file, ro, cdrom, forced_eject).  The profile says which
 * mass_storage functions and LUNs exist; the kernel says whether the host
 * lets go of the medium.
 */
#ifndef GADGETD_MSD_H
#define GADGETD_MSD_H

#include <stdbool.h>
#include <stdio.h>

#include "gadgetd/profile.h"

/* What came of a request (the line written to out says it to a person). */
enum msd_outcome {
	MSD_DONE,
	MSD_REFUSED, /* by the kernel, the file, or the gadget's shape */
	MSD_BAD_REQUEST, /* the request itself cannot be (not a path) */
};

/*
 * How attributes are written (write_file_string: a negative errno).  Unit
 * tests put in a recorder that can play the kernel's refusals.
 */
typedef int (*msd_write_fn)(const char *path, const char *value);

/* The running gadget whose LUNs a request changes. */
struct msd_target {
	const char *gadget_dir; /* configfs usb_gadget/NAME */
	msd_write_fn write_fn; /* NULL: write_file_string */
};

struct msd_insert_request {
	/* "mass_storage.NAME" or "NAME" of the active profile; NULL: its
	 * first mass_storage function */
	const char *function;
	int lun;
	/* The medium: fd, a file the client opened and passed (the kernel
	 * gets that very file, through /proc/self/fd; read-only when fd
	 * is), or with fd -1 the absolute path file, which only root's
	 * requests may name (the caller checks).  file names it in
	 * messages either way. */
	const char *file;
	int fd;
	bool ro, rw; /* asked for; neither: read-write unless fd is not */
	bool cdrom, disk; /* asked for; neither: the LUN's type stays */
};

/*
 * Put a medium into a LUN of the running gadget.  A change of type (cdrom, disk) or access (ro) is
 * made the way the kernel allows it: the old medium out (forced_eject),
 * cdrom and ro written, the new medium in.  The host reads a LUN's type
 * (INQUIRY) only when it enumerates, and a fixed disk's write protection
 * only then too: *replug says that the host must enumerate the gadget
 * again to see the change.  Writes one line for the client to out: what
 * changed, or what was refused and why (errno text and configfs path);
 * on refusal the LUN is put back as it was.
 */
enum msd_outcome msd_insert(const struct msd_target *t, const struct profile *p,
			    const struct msd_insert_request *req, bool *replug,
			    FILE *out);
/*
 * Eject the medium of a LUN: forced_eject where the kernel has it (the
 * host cannot refuse it), else an empty file (the host can: EBUSY).
 * function as in msd_insert_request.
 */
enum msd_outcome msd_eject(const struct msd_target *t, const struct profile *p,
			   const char *function, int lun, FILE *out);

/*
 * The medium of the LUN at lun_dir (configfs .../lun.N) out, whatever the
 * host says: forced_eject where the kernel has it, else an empty file (the
 * host can refuse that: EBUSY).  write_fn NULL: write_file_string.  0 or a
 * negative errno; *path: the attribute written (allocated, either way).
 */
int msd_medium_out(const char *lun_dir, msd_write_fn write_fn, char **path);

#endif
