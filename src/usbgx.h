/* SPDX-License-Identifier: MIT */
/*
 * What apply.c and export.c share around libusbgx (0.2.0, and 0.3.0's API).
 */
#ifndef GADGETD_USBGX_H
#define GADGETD_USBGX_H

/*
 * A libusbgx error (USBG_ERROR_*) as a negative errno, 0 for USBG_SUCCESS.
 * libusbgx keeps no errno of its own: where the kernel's matters, callers
 * replay the refused step with plain syscalls (apply.c).
 */
int usbgx_errno(int usbg_error);

#endif
