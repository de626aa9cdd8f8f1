/* SPDX-License-Identifier: MIT */
/*
 * vm-export: export.c on the guest's real configfs, before the gadgetd
 * binary links: read a live gadget into a profile and print it as INI,
 * as `gadgetd export` will.
 *
 *   vm-export GADGET [CONFIGFS]
 *
 * Problems go to stderr as the diagnostics export.c produced; exit 1.
 */
#include <stdio.h>
#include <stdlib.h>

#include "export.h"
#include "gadgetd/diag.h"
#include "gadgetd/profile.h"

int main(int argc, char **argv)
{
	struct export_options opts = { 0 };
	struct diag_list diags;
	struct profile *p = NULL;
	int r;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: vm-export GADGET [CONFIGFS]\n");
		return 2;
	}
	if (argc == 3)
		opts.configfs = argv[2];
	diag_init(&diags);
	r = export_gadget(&opts, argv[1], &p, &diags);
	diag_print(&diags, stderr);
	if (r >= 0)
		r = profile_write_ini(p, stdout);
	if (r < 0)
		fprintf(stderr, "vm-export: %s: failed (%d)\n", argv[1], r);
	profile_free(p);
	diag_clear(&diags);
	return r < 0 ? 1 : 0;
}
