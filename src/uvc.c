/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uvc.h"
#include "util.h"

/* The kernel's frame sizes are 16-bit (wWidth, wHeight); a rate above
 * 1000 fps has an interval the host's uvcvideo rounds to nothing useful. */
#define UVC_SIZE_MAX 65535
#define UVC_RATE_MAX 1000
#define UVC_INTERVAL_UNITS 10000000u /* 100 ns units in a second */

static const char uvc_frames_syntax[] =
	"frames as WIDTHxHEIGHT@RATE[,RATE...] separated by spaces, e.g. "
	"640x360@30,15 1280x720@10";

const char *uvc_encoding_dir(enum profile_uvc_encoding e)
{
	return e == PROFILE_UVC_MJPEG ? "mjpeg" : "uncompressed";
}

const char *uvc_encoding_name(enum profile_uvc_encoding e)
{
	return e == PROFILE_UVC_MJPEG ? "mjpeg" : "yuyv";
}

uint32_t uvc_frame_interval(unsigned int rate)
{
	return (UVC_INTERVAL_UNITS + rate / 2) / rate;
}

uint32_t uvc_frame_buffer_size(const struct profile_uvc_frame *fr)
{
	return (uint32_t)((uint64_t)fr->width * fr->height * 2);
}

static uint64_t uvc_bit_rate64(const struct profile_uvc_frame *fr,
			       unsigned int rate)
{
	return (uint64_t)fr->width * fr->height * 16 * rate;
}

uint32_t uvc_bit_rate(const struct profile_uvc_frame *fr, unsigned int rate)
{
	return (uint32_t)uvc_bit_rate64(fr, rate);
}

unsigned int uvc_rate_min(const struct profile_uvc_frame *fr)
{
	unsigned int m = fr->rates[0];

	for (size_t i = 1; i < fr->n_rates; i++)
		if (fr->rates[i] < m)
			m = fr->rates[i];
	return m;
}

unsigned int uvc_rate_max(const struct profile_uvc_frame *fr)
{
	unsigned int m = fr->rates[0];

	for (size_t i = 1; i < fr->n_rates; i++)
		if (fr->rates[i] > m)
			m = fr->rates[i];
	return m;
}

/* A decimal number from 1 to max, all of [s, end). */
static bool uvc_number(const char *s, const char *end, unsigned long max,
		       unsigned int *out)
{
	unsigned long v = 0;

	if (s == end || *s == '0')
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return false;
	}
	*out = (unsigned int)v;
	return true;
}

/* One WIDTHxHEIGHT@RATE[,RATE...] of [s, end). */
static int uvc_parse_frame(const char *s, const char *end,
			   struct profile_uvc_frame *fr, char **error)
{
	const char *x = memchr(s, 'x', (size_t)(end - s));
	const char *at = memchr(s, '@', (size_t)(end - s));
	int len = (int)(end - s);

	memset(fr, 0, sizeof(*fr));
	if (!x || !at || at < x ||
	    !uvc_number(s, x, UVC_SIZE_MAX, &fr->width) ||
	    !uvc_number(x + 1, at, UVC_SIZE_MAX, &fr->height)) {
		*error = xasprintf("invalid frame '%.*s': expected %s", len, s,
				   uvc_frames_syntax);
		return -EINVAL;
	}
	for (const char *r = at + 1;;) {
		const char *comma = memchr(r, ',', (size_t)(end - r));
		const char *stop = comma ? comma : end;
		unsigned int rate;

		if (!uvc_number(r, stop, UVC_RATE_MAX, &rate)) {
			*error = xasprintf("invalid frame rate '%.*s' in "
					   "'%.*s': expected frames per second "
					   "from 1 to %d",
					   (int)(stop - r), r, len, s,
					   UVC_RATE_MAX);
			return -EINVAL;
		}
		for (size_t i = 0; i < fr->n_rates; i++) {
			if (fr->rates[i] == rate) {
				*error = xasprintf("frame rate %u listed twice "
						   "in '%.*s'",
						   rate, len, s);
				return -EINVAL;
			}
		}
		if (fr->n_rates == PROFILE_UVC_MAX_RATES) {
			*error = xasprintf("too many frame rates in '%.*s': "
					   "at most %d",
					   len, s, PROFILE_UVC_MAX_RATES);
			return -EINVAL;
		}
		fr->rates[fr->n_rates++] = rate;
		if (!comma)
			break;
		r = comma + 1;
	}
	/* dwMaxBitRate is 32 bits (and dwMaxVideoFrameBufferSize with it). */
	if (uvc_bit_rate64(fr, uvc_rate_max(fr)) > UINT32_MAX) {
		*error = xasprintf("frame '%.*s' is too large: %ux%u at %u "
				   "fps is more than 2^32 - 1 bits per second "
				   "(dwMaxBitRate)",
				   len, s, fr->width, fr->height,
				   uvc_rate_max(fr));
		return -EINVAL;
	}
	return 0;
}

static int uvc_parse_frames(struct profile_uvc_format *fmt, const char *value,
			    char **error)
{
	const char *s = value;

	fmt->n_frames = 0;
	for (;;) {
		const char *end;
		struct profile_uvc_frame fr;
		int r;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		end = s + strcspn(s, " \t");
		r = uvc_parse_frame(s, end, &fr, error);
		if (r < 0)
			return r;
		for (size_t i = 0; i < fmt->n_frames; i++) {
			if (fmt->frames[i].width == fr.width &&
			    fmt->frames[i].height == fr.height) {
				*error = xasprintf("frame size %ux%u listed "
						   "twice",
						   fr.width, fr.height);
				return -EINVAL;
			}
		}
		if (fmt->n_frames == PROFILE_UVC_MAX_FRAMES) {
			*error = xasprintf("too many frames: at most %d a "
					   "format",
					   PROFILE_UVC_MAX_FRAMES);
			return -EINVAL;
		}
		fmt->frames[fmt->n_frames++] = fr;
		s = end;
	}
	if (fmt->n_frames == 0) {
		*error = xasprintf("no frame: expected %s", uvc_frames_syntax);
		return -EINVAL;
	}
	return 0;
}

int uvc_set_key(struct profile_uvc *u, const char *key, const char *value,
		int line, char **error)
{
	const char *s = key + strlen("format.");
	const char *dot;
	unsigned int n;
	struct profile_uvc_format *fmt;
	int r;

	*error = NULL;
	if (!str_starts_with(key, "format."))
		return -ENOENT;
	dot = strchr(s, '.');
	if (dot && !streq(dot, ".frames"))
		return -ENOENT;
	if (!uvc_number(s, dot ? dot : s + strlen(s), 1000, &n))
		return -ENOENT;
	if (n > PROFILE_UVC_MAX_FORMATS) {
		*error = xasprintf("invalid format number in '%s': expected "
				   "1 to %d",
				   key, PROFILE_UVC_MAX_FORMATS);
		return -EINVAL;
	}
	fmt = &u->formats[n - 1];
	/* Noted even when refused, so that validation does not add that
	 * the key is missing. */
	if (!dot)
		fmt->line = line;
	else
		fmt->frames_line = line;
	if (!dot) {
		if (streq(value, "yuyv")) {
			fmt->encoding = PROFILE_UVC_YUYV;
		} else if (streq(value, "mjpeg")) {
			fmt->encoding = PROFILE_UVC_MJPEG;
		} else {
			*error = xasprintf("invalid value '%s' for '%s': "
					   "expected yuyv or mjpeg",
					   value, key);
			return -EINVAL;
		}
		return 0;
	}
	r = uvc_parse_frames(fmt, value, error);
	if (r < 0) {
		char *msg = xasprintf("'%s': %s", key, *error);

		free(*error);
		*error = msg;
		fmt->n_frames = 0;
		return r;
	}
	return 0;
}

void uvc_validate(const struct profile_function *f, const char *path,
		  struct diag_list *diags)
{
	const struct profile_uvc *u = &f->u.uvc;
	bool any = false;

	for (size_t i = 0; i < PROFILE_UVC_MAX_FORMATS; i++) {
		const struct profile_uvc_format *fmt = &u->formats[i];

		if (fmt->line)
			any = true;
		if (fmt->line && !fmt->frames_line)
			diag_error(diags, path, fmt->line,
				   "format.%zu of %s has no frames: add "
				   "format.%zu.frames, e.g. 640x360@30",
				   i + 1, f->name, i + 1);
		if (!fmt->line && fmt->frames_line)
			diag_error(diags, path, fmt->frames_line,
				   "format.%zu.frames of %s without "
				   "format.%zu (yuyv or mjpeg)",
				   i + 1, f->name, i + 1);
		if (fmt->line && i > 0 && !u->formats[i - 1].line)
			diag_error(diags, path, fmt->line,
				   "format.%zu of %s without format.%zu: "
				   "formats are numbered from 1 without a gap",
				   i + 1, f->name, i);
	}
	if (!any)
		diag_error(diags, path, f->line,
			   "%s has no video format: add format.1 = yuyv "
			   "and format.1.frames = 640x360@30",
			   f->name);
}

char *uvc_frames_text(const struct profile_uvc_format *fmt)
{
	char *text = xstrdup("");

	for (size_t i = 0; i < fmt->n_frames; i++) {
		const struct profile_uvc_frame *fr = &fmt->frames[i];
		char *t = xasprintf("%s%s%ux%u@", text, i ? " " : "", fr->width,
				    fr->height);

		free(text);
		text = t;
		for (size_t j = 0; j < fr->n_rates; j++) {
			t = xasprintf("%s%s%u", text, j ? "," : "",
				      fr->rates[j]);
			free(text);
			text = t;
		}
	}
	return text;
}
