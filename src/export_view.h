/* SPDX-License-Identifier: MIT */
/*
 * The gadget as libusbgx 0.2.0 can read it, for export: usbg_init()
 * refuses a whole configfs tree when one gadget has a function type it
 * does not know (printer, SourceSink, uac1, uvc).  The view is a
 * temporary directory with usb_gadget/NAME holding symlinks to the
 * gadget's entries, its functions/ and configs/ rebuilt without those
 * functions and their links; export reads them raw instead.
 */
#ifndef GADGETD_EXPORT_VIEW_H
#define GADGETD_EXPORT_VIEW_H

#include <stddef.h>

struct export_view {
	char *root; /* what usbg_init() is given */
	/* The functions left out ("uvc.cam"), for export to read raw. */
	char **hidden;
	size_t n_hidden;
};

/* gadget_dir: CONFIGFS/usb_gadget/NAME.  hide(name) says whether a
 * function directory is left out.  Returns 0 or a negative errno. */
int export_view_new(const char *gadget_dir, const char *name,
		    int (*hide)(const char *function), struct export_view *v);
void export_view_free(struct export_view *v);

#endif
