/* SPDX-License-Identifier: MIT */
/*
 * The plan: one ordered list of configfs operations built from a validated
 * profile.  It is the single place that knows the order the kernel wants.
 * `gadgetd plan` prints it as sh, apply.c executes it through libusbgx,
 * teardown runs it backwards and rollback undoes the executed prefix.
 *
 * Ops are at the granularity of libusbgx calls (one op = one call or one
 * attribute write libusbgx 0.2.0 has no call for), so that apply can undo
 * exactly what it did.
 */
#ifndef GADGETD_PLAN_H
#define GADGETD_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gadgetd/diag.h"
#include "gadgetd/profile.h"

enum plan_op_kind {
	/* mkdir usb_gadget/G; idVendor idProduct bcdDevice bcdUSB bDevice*
	 * bMaxPacketSize0 */
	PLAN_GADGET_CREATE,
	/* mkdir strings/LANG; manufacturer product serialnumber */
	PLAN_GADGET_STRINGS,
	/* mkdir functions/TYPE.INSTANCE, then its typed attributes */
	PLAN_FUNCTION_CREATE,
	/* mass storage: mkdir lun.N (N > 0; lun.0 comes with the function)
	 * and the LUN attributes libusbgx knows (file ro removable cdrom
	 * nofua) */
	PLAN_LUN_CREATE,
	/* one attribute libusbgx 0.2.0 has no call for (lun.N/inquiry_string);
	 * path is relative to the function directory */
	PLAN_ATTR_WRITE,
	/* functions/rndis.X/os_desc/interface.rndis/{compatible,sub_compatible}_id */
	PLAN_INTERFACE_OS_DESC,
	/* mkdir configs/c.N; MaxPower bmAttributes; strings/LANG/configuration */
	PLAN_CONFIG_CREATE,
	/* ln -s functions/F configs/c.N/F */
	PLAN_CONFIG_ADD_FUNCTION,
	/* os_desc/use b_vendor_code qw_sign */
	PLAN_OS_DESC,
	/* ln -s configs/c.N os_desc/c.N */
	PLAN_OS_DESC_CONFIG,
	/* FunctionFS: mkdir -p MOUNT; mount -t functionfs INSTANCE MOUNT */
	PLAN_FFS_MOUNT,
	/* FunctionFS: wait until the user-space function wrote descriptors */
	PLAN_FFS_WAIT,
	/* echo UDC > UDC: always the last op */
	PLAN_UDC_BIND,
};

struct plan_op {
	enum plan_op_kind kind;
	/* Borrowed from the profile the plan was built from. */
	const struct profile_function
		*function; /* FUNCTION_*, LUN, ATTR, FFS */
	const struct profile_config *config; /* CONFIG_*, OS_DESC_CONFIG */
	int lun; /* LUN_CREATE, ATTR_WRITE */
	char *attr; /* ATTR_WRITE: path relative to the function dir */
	char *value; /* ATTR_WRITE: the value written */
	/* LUN_CREATE, ATTR_WRITE: the LUN's index in function->u.ms.luns.
	 * `lun` is its number in configfs, lower when an optional LUN before
	 * it was skipped (configfs LUNs stay contiguous). */
	int profile_lun;
};

/* Values the profile leaves to the machine ("auto"), resolved once.  An
 * all-zero address was left to the kernel (no board id to derive it from);
 * a derived one never is, it has the locally administered bit set. */
struct plan_function_identity {
	uint8_t dev_addr[6];
	uint8_t host_addr[6];
};

struct plan {
	const struct profile *profile; /* borrowed; must outlive the plan */
	char *gadget_name; /* configfs directory name */
	char *serial; /* resolved serial number string */
	/* Indexed like profile->functions; only network functions use it. */
	struct plan_function_identity *identities;
	/* Mass-storage LUNs skipped because `optional` and absent:
	 * skipped_luns[function index] is a bit mask of LUN numbers. */
	uint32_t *skipped_luns;
	/* Optional removable LUNs whose file is absent, kept with no medium
	 * (bit mask of profile LUN numbers, like skipped_luns). */
	uint32_t *empty_luns;
	struct plan_op *ops;
	size_t n_ops;
};

struct plan_env {
	const char *gadget_name; /* default "gadgetd" */
	/* Stable board identity for serial=auto and MAC=auto (see
	 * identity.h); NULL: read it from this machine.  Used like a
	 * device-tree serial number (serial = auto is the id itself). */
	const char *board_id;
	/* A directory standing for / (tests): where the board id is read
	 * when board_id is NULL, and where optional LUN files are looked
	 * for.  NULL = "/". */
	const char *root;
};

/*
 * Build the plan for a validated profile.  Messages about what was left out
 * (an optional LUN whose file is absent) go to diags as warnings.  Returns 0
 * or a negative errno (an error in diags says why).
 */
int plan_build(const struct profile *p, const struct plan_env *env,
	       struct plan *out, struct diag_list *diags);
void plan_free(struct plan *plan);

/* Configfs path of an op's object relative to the gadget dir, for messages
 * ("functions/ecm.usb0", "configs/c.1/ecm.usb0", "UDC"). */
char *plan_op_path(const struct plan *plan, const struct plan_op *op);

/*
 * What one op does, as plain file-system steps on paths relative to the
 * gadget directory.  The one description of an op's effect: `plan` prints
 * it, apply turns it into libusbgx calls and replays it with plain
 * syscalls to find the errno and path libusbgx lost, teardown and rollback
 * undo it backwards.
 */
enum plan_step_kind {
	PLAN_STEP_MKDIR, /* path */
	PLAN_STEP_WRITE, /* value (value_len bytes, may be binary) > path */
	PLAN_STEP_SYMLINK, /* path -> value (both relative to the gadget) */
	PLAN_STEP_MOUNT, /* functionfs value (instance) on path (absolute) */
	PLAN_STEP_WAIT, /* FunctionFS at path (absolute) ready, value s */
	PLAN_STEP_BIND, /* the UDC name > path ("UDC") */
};

struct plan_step {
	enum plan_step_kind kind;
	char *path;
	char *value;
	size_t value_len;
	/* WRITE: the kernel wants the value as echo(1) writes it, with a
	 * newline after it (the printed plan's echo adds it anyway). */
	bool newline;
	/* WRITE: a list with one item a line (uvc's dwFrameInterval). */
	bool lines;
};

struct plan_steps {
	struct plan_step *items;
	size_t n;
};

void plan_op_steps(const struct plan *plan, const struct plan_op *op,
		   struct plan_steps *out);
void plan_steps_free(struct plan_steps *steps);

/*
 * The ops the applier leaves to the daemon: PLAN_FFS_WAIT and
 * PLAN_UDC_BIND, the plan's tail.  plan_deferred_start() is the index of
 * the first (n_ops: none); the applier builds the ops before it, and the
 * daemon carries out the rest in order (docs/daemon.md, FunctionFS).
 */
bool plan_op_deferred(const struct plan_op *op);
size_t plan_deferred_start(const struct plan *plan);

/* A PLAN_FFS_WAIT op, typed: what its PLAN_STEP_WAIT prints. */
struct plan_ffs_wait {
	const char *function; /* "ffs.adb", the profile's */
	char *mount; /* absolute: its ep0, and ep1 once ready */
	long timeout_s; /* ready_timeout, its default included */
	/* The function's `program` (argv, the profile's), NULL: none (a
	 * daemon started by someone else). */
	char *const *program;
};

/* -EINVAL when op is not a PLAN_FFS_WAIT. */
int plan_ffs_wait(const struct plan *plan, const struct plan_op *op,
		  struct plan_ffs_wait *out);
void plan_ffs_wait_clear(struct plan_ffs_wait *w);

/* Print the plan as a runnable sh script (set -e; CONFIGFS and UDC can be
 * overridden from the environment). */
void plan_print_sh(const struct plan *plan, FILE *out);
/* Print the teardown, in reverse order, as a runnable sh script. */
void plan_print_teardown_sh(const struct plan *plan, FILE *out);

#endif
