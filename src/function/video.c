/* SPDX-License-Identifier: MIT */
/*
 * uvc (f_uvc): the board is a USB video camera; a streaming program on
 * the board feeds its /dev/videoN.  The table holds the function's own
 * attributes; its formats and frames (format.N, format.N.frames) have a
 * model of their own (src/uvc.h) from which the plan derives the
 * descriptor tree.  libusbgx 0.2.0 has no type for it, so a gadget with
 * one is built with plain configfs calls (apply.c).
 */
#include "function/function.h"

static const struct function_attr uvc_attrs[] = {
	/* The name uvcvideo gives the host's video device ("UVC Camera"
	 * when left out); 31 characters fit in f_uvc_opts.function_name. */
	{ "function_name", "function_name", FUNCTION_ATTR_STRING, 0, 31, 0, 0,
	  NULL },
	/* The isochronous endpoint's bInterval (1..16) and, at high and
	 * super speed, its packet size and burst (Documentation/ABI/
	 * testing/configfs-usb-gadget-uvc; 1..1023 bytes at full speed). */
	{ "streaming_interval", "streaming_interval", FUNCTION_ATTR_INT, 1, 16,
	  0, 0, NULL },
	{ "streaming_maxpacket", "streaming_maxpacket", FUNCTION_ATTR_INT, 1,
	  3072, 0, 0, NULL },
	{ "streaming_maxburst", "streaming_maxburst", FUNCTION_ATTR_INT, 0, 15,
	  0, 0, NULL },
};

/* uvc_function_bind(), Linux 6.1: the control interface's interrupt
 * endpoint and the video data's isochronous one. */
static void uvc_endpoints(const struct profile_function *f,
			  struct endpoint_need *need)
{
	(void)f;
	function_endpoints_add(&need->in, ENDPOINT_INT, 1);
	function_endpoints_add(&need->in, ENDPOINT_ISO, 1);
}

const struct function_type_info function_type_uvc = {
	.type = FUNCTION_UVC,
	.name = "uvc",
	.usbg_type = FUNCTION_NO_USBG_TYPE,
	.attrs = uvc_attrs,
	.n_attrs = sizeof(uvc_attrs) / sizeof(uvc_attrs[0]),
	.endpoints = uvc_endpoints,
};
