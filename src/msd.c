/* SPDX-License-Identifier: MIT */
/* Placeholder until the media-change module lands (issue 6). */
#include "msd.h"

enum control_status msd_insert(const char *gadget_dir, const struct profile *p,
			       int lun, const char *file, bool ro, FILE *out)
{
	(void)gadget_dir;
	(void)p;
	(void)lun;
	(void)file;
	(void)ro;
	fprintf(out, "msd insert: not supported yet by this gadgetd\n");
	return CONTROL_UNSUPPORTED;
}

enum control_status msd_eject(const char *gadget_dir, const struct profile *p,
			      int lun, FILE *out)
{
	(void)gadget_dir;
	(void)p;
	(void)lun;
	fprintf(out, "msd eject: not supported yet by this gadgetd\n");
	return CONTROL_UNSUPPORTED;
}
