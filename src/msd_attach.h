/* SPDX-License-Identifier: MIT */
/*
 * `lun.N.attach = host-ready` (gadgetd.profile(5)): a LUN the plan built
 * without its medium gets it once the host has configured the gadget, and
 * stayed configured for the LUN's attach_delay ms, so that host firmware
 * that stalls on a disk it finds at power-on sees "no medium" until then.
 * When the host lets go (not configured, not suspended) the medium goes
 * out again, for the next host.  One timer, only while a medium waits.
 */
#ifndef GADGETD_MSD_ATTACH_H
#define GADGETD_MSD_ATTACH_H

#include <stdbool.h>

#include "event_loop.h"
#include "plan.h"

struct msd_attach;

struct msd_attach *msd_attach_new(struct event_loop *loop);
void msd_attach_free(struct msd_attach *a);
/* The calls below do nothing with a NULL a (a daemon tearing down). */

/*
 * The plan of the gadget that is built, and configfs usb_gadget/NAME;
 * plan NULL when none is.  Its ops (and the profile they point into) are
 * borrowed until the next call.  Forgets what was attached: a new
 * gadget starts without the media.
 */
void msd_attach_set_plan(struct msd_attach *a, const struct plan *plan,
			 const char *gadget_dir);
/* The host is ready (configured or suspended) or not, now. */
void msd_attach_watch(struct msd_attach *a, bool host_ready);
/* How many host-ready LUNs of the plan (for tests and status). */
unsigned int msd_attach_count(const struct msd_attach *a);

#endif
