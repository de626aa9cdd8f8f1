/* SPDX-License-Identifier: MIT */
/*
 * uvc: the compact description of a video function's formats and frames,
 * and what the plan derives from it.
 *
 *   format.1 = yuyv                       (or mjpeg)
 *   format.1.frames = 640x360@30,15 1280x720@10
 *
 * Each frame is WIDTHxHEIGHT@RATE[,RATE...] in frames per second, the
 * first rate the default.  From this the plan makes f_uvc's descriptor
 * tree (docs/gadgetd.profile.5, "uvc"): the control header linked for
 * full and super speed, one directory per format and frame with its
 * sizes, intervals and bit rates, the streaming header linking the
 * formats, linked for full, high and super speed.
 */
#ifndef GADGETD_UVC_H
#define GADGETD_UVC_H

#include <stdbool.h>
#include <stdint.h>

#include "gadgetd/diag.h"
#include "gadgetd/profile.h"

/* The names in the function directory (the plan's and export's). */
#define UVC_HEADER "h"

/* Sets format.N or format.N.frames.  Returns 0, -ENOENT when key is not
 * one of them, or -EINVAL with *error (allocated) saying why. */
int uvc_set_key(struct profile_uvc *u, const char *key, const char *value,
		int line, char **error);

/* The checks that need the whole section: at least one format, each with
 * frames, numbered from 1 without a gap.  Errors name path:line. */
void uvc_validate(const struct profile_function *f, const char *path,
		  struct diag_list *diags);

/* "uncompressed" or "mjpeg": the streaming/ directory of an encoding. */
const char *uvc_encoding_dir(enum profile_uvc_encoding e);
/* "yuyv" or "mjpeg": the profile's name for it. */
const char *uvc_encoding_name(enum profile_uvc_encoding e);

/* A rate in frames per second as the kernel takes it: 100 ns units. */
uint32_t uvc_frame_interval(unsigned int rate);
/* The largest frame: YUYV's exact size, and the same bound for MJPEG. */
uint32_t uvc_frame_buffer_size(const struct profile_uvc_frame *fr);
/* Bits per second at rate, as if uncompressed (16 bits a pixel). */
uint32_t uvc_bit_rate(const struct profile_uvc_frame *fr, unsigned int rate);
/* The frame's lowest and highest rate. */
unsigned int uvc_rate_min(const struct profile_uvc_frame *fr);
unsigned int uvc_rate_max(const struct profile_uvc_frame *fr);

/* "640x360@30,15 1280x720@10": format.N.frames (allocated). */
char *uvc_frames_text(const struct profile_uvc_format *fmt);

#endif
