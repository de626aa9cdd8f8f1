/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <usbg/usbg.h>

#include "usbgx.h"

int usbgx_errno(int usbg_error)
{
	switch (usbg_error) {
	case USBG_SUCCESS:
		return 0;
	case USBG_ERROR_NO_MEM:
		return -ENOMEM;
	case USBG_ERROR_NO_ACCESS:
		return -EACCES;
	case USBG_ERROR_NOT_FOUND:
		return -ENOENT;
	case USBG_ERROR_IO:
		return -EIO;
	case USBG_ERROR_EXIST:
		return -EEXIST;
	case USBG_ERROR_NO_DEV:
		return -ENODEV;
	case USBG_ERROR_BUSY:
		return -EBUSY;
	case USBG_ERROR_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case USBG_ERROR_PATH_TOO_LONG:
		return -ENAMETOOLONG;
	case USBG_ERROR_NOT_EMPTY:
		return -ENOTEMPTY;
	case USBG_ERROR_INVALID_PARAM:
	case USBG_ERROR_INVALID_FORMAT:
	case USBG_ERROR_MISSING_TAG:
	case USBG_ERROR_INVALID_TYPE:
	case USBG_ERROR_INVALID_VALUE:
		return -EINVAL;
	default:
		return -EIO;
	}
}
