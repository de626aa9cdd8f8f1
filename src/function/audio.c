/* SPDX-License-Identifier: MIT */
/*
 * The audio functions: midi (f_midi), uac2 (f_uac2) and uac1 (f_uac1).
 * Attributes the profile leaves out keep the kernel's defaults, which differ between
 * kernel versions (uac2's c_srate), so nothing is written for them.
 */
#include <usbg/usbg.h>

#include "function/function.h"
#include "util.h"

static const struct function_attr midi_attrs[] = {
	/* ALSA card index; -1 takes the first free one. */
	{ "index", "index", FUNCTION_ATTR_INT, -1, 31, 0, 0, NULL },
	/* ALSA card ids are at most 15 characters. */
	{ "id", "id", FUNCTION_ATTR_STRING, 0, 15, FUNCTION_ATTR_ASCII, 0,
	  NULL },
	/* f_midi's MAX_PORTS */
	{ "in_ports", "in_ports", FUNCTION_ATTR_INT, 0, 16, 0, 0, NULL },
	{ "out_ports", "out_ports", FUNCTION_ATTR_INT, 0, 16, 0, 0, NULL },
	{ "buflen", "buflen", FUNCTION_ATTR_INT, 1, 65536, 0, 0, NULL },
	{ "qlen", "qlen", FUNCTION_ATTR_INT, 1, 1024, 0, 0, NULL },
};

static void midi_endpoints(const struct profile_function *f,
			   struct endpoint_need *need)
{
	(void)f;
	function_endpoints_add(&need->in, ENDPOINT_BULK, 1);
	function_endpoints_add(&need->out, ENDPOINT_BULK, 1);
}

const struct function_type_info function_type_midi = {
	.type = FUNCTION_MIDI,
	.name = "midi",
	.usbg_type = USBG_F_MIDI,
	.attrs = midi_attrs,
	.n_attrs = sizeof(midi_attrs) / sizeof(midi_attrs[0]),
	.endpoints = midi_endpoints,
};

enum uac2_attr {
	UAC2_C_CHMASK,
	UAC2_C_SRATE,
	UAC2_C_SSIZE,
	UAC2_C_SYNC,
	UAC2_C_HS_BINT,
	UAC2_C_MUTE_PRESENT,
	UAC2_C_VOLUME_PRESENT,
	UAC2_C_VOLUME_MIN,
	UAC2_C_VOLUME_MAX,
	UAC2_C_VOLUME_RES,
	UAC2_P_CHMASK,
	UAC2_P_SRATE,
	UAC2_P_SSIZE,
	UAC2_P_HS_BINT,
	UAC2_P_MUTE_PRESENT,
	UAC2_P_VOLUME_PRESENT,
	UAC2_P_VOLUME_MIN,
	UAC2_P_VOLUME_MAX,
	UAC2_P_VOLUME_RES,
	UAC2_FB_MAX,
	UAC2_REQ_NUMBER,
	UAC2_FUNCTION_NAME,
};

/* The kernel's values when the profile leaves them out (u_uac2.h, and
 * the same in u_uac1.h): stereo both ways, asynchronous capture (uac2),
 * mute and volume controls. */
#define UAC2_DEFAULT_CHMASK 0x3
#define UAC2_DEFAULT_CONTROL 1

static const char *const uac2_sync[] = { "async", "adaptive", NULL };

#define AUDIO_INT(name, lo, hi, flags)                                  \
	{                                                               \
#name, #name, FUNCTION_ATTR_INT, lo, hi, flags, 0, NULL \
	}
#define AUDIO_BOOL(name)                                           \
	{                                                          \
#name, #name, FUNCTION_ATTR_BOOL, 0, 1, 0, 0, NULL \
	}

/*
 * The rows uac1 and uac2 share for one direction (d: c capture, the host
 * records; p playback), at the indexes of type T's enum (T_D_CHMASK...).
 * Channel masks: 0 turns a direction off.  Sample size in bytes.  Volume
 * range and step in 1/256 dB (s16).
 */
#define AUDIO_DIRECTION_ROWS(T, D, d)                                         \
	[T##_##D##_CHMASK] =                                                  \
		AUDIO_INT(d##_chmask, 0, 0xffffffff, FUNCTION_ATTR_HEX),      \
	[T##_##D##_SRATE] = AUDIO_INT(d##_srate, 1, 768000, 0),               \
	[T##_##D##_SSIZE] = AUDIO_INT(d##_ssize, 1, 4, 0),                    \
	[T##_##D##_MUTE_PRESENT] = AUDIO_BOOL(d##_mute_present),              \
	[T##_##D##_VOLUME_PRESENT] = AUDIO_BOOL(d##_volume_present),          \
	[T##_##D##_VOLUME_MIN] = AUDIO_INT(d##_volume_min, -32768, 32767, 0), \
	[T##_##D##_VOLUME_MAX] = AUDIO_INT(d##_volume_max, -32768, 32767, 0), \
	[T##_##D##_VOLUME_RES] = AUDIO_INT(d##_volume_res, 1, 32767, 0)

static const struct function_attr uac2_attrs[] = {
	AUDIO_DIRECTION_ROWS(UAC2, C, c),
	AUDIO_DIRECTION_ROWS(UAC2, P, p),
	/* async sends the host feedback on an extra iso IN endpoint. */
	[UAC2_C_SYNC] = { "c_sync", "c_sync", FUNCTION_ATTR_CHOICE, 0, 0, 0, 0,
			  uac2_sync },
	/* bInterval at high speed: 1-4, 0 chooses from the rate. */
	[UAC2_C_HS_BINT] = AUDIO_INT(c_hs_bint, 0, 4, 0),
	[UAC2_P_HS_BINT] = AUDIO_INT(p_hs_bint, 0, 4, 0),
	/* Extra bandwidth for asynchronous feedback, in 1/1000 of the
	 * rate. */
	[UAC2_FB_MAX] = AUDIO_INT(fb_max, 0, 1000, 0),
	/* Requests queued per direction (u_audio). */
	[UAC2_REQ_NUMBER] = AUDIO_INT(req_number, 1, 64, 0),
	/* The interface string the host shows (f_uac2 keeps 31 bytes). */
	[UAC2_FUNCTION_NAME] = { "function_name", "function_name",
				 FUNCTION_ATTR_STRING, 0, 31, 0, 0, NULL },
};

/* Where a UAC function's rows are, for the endpoints they decide. */
struct audio_rows {
	size_t p_chmask, c_chmask;
	size_t p_mute, p_volume, c_mute, c_volume;
};

/* f_uac1 (f_audio_bind) and f_uac2 (afunc_bind): playback an iso IN;
 * capture an iso OUT and, with asynchronous feedback (uac2), an iso IN;
 * an interrupt IN when a direction in use has a mute or volume
 * control. */
static void audio_endpoints(const struct profile_function *f,
			    const struct audio_rows *r, bool async_capture,
			    struct endpoint_need *need)
{
	bool playback =
		function_attr_number(f, r->p_chmask, UAC2_DEFAULT_CHMASK) != 0;
	bool capture =
		function_attr_number(f, r->c_chmask, UAC2_DEFAULT_CHMASK) != 0;
	bool playback_controls =
		function_attr_number(f, r->p_mute, UAC2_DEFAULT_CONTROL) ||
		function_attr_number(f, r->p_volume, UAC2_DEFAULT_CONTROL);
	bool capture_controls =
		function_attr_number(f, r->c_mute, UAC2_DEFAULT_CONTROL) ||
		function_attr_number(f, r->c_volume, UAC2_DEFAULT_CONTROL);

	if (playback)
		function_endpoints_add(&need->in, ENDPOINT_ISO, 1);
	if (capture)
		function_endpoints_add(&need->out, ENDPOINT_ISO, 1);
	if (capture && async_capture)
		function_endpoints_add(&need->in, ENDPOINT_ISO, 1);
	if ((playback && playback_controls) || (capture && capture_controls))
		function_endpoints_add(&need->in, ENDPOINT_INT, 1);
}

static void uac2_endpoints(const struct profile_function *f,
			   struct endpoint_need *need)
{
	static const struct audio_rows rows = {
		UAC2_P_CHMASK,	     UAC2_C_CHMASK,
		UAC2_P_MUTE_PRESENT, UAC2_P_VOLUME_PRESENT,
		UAC2_C_MUTE_PRESENT, UAC2_C_VOLUME_PRESENT,
	};
	const struct profile_value *sync = &f->values[UAC2_C_SYNC];

	/* The kernel's default c_sync is async. */
	audio_endpoints(f, &rows, !sync->line || streq(sync->text, "async"),
			need);
}

const struct function_type_info function_type_uac2 = {
	.type = FUNCTION_UAC2,
	.name = "uac2",
	.usbg_type = USBG_F_UAC2,
	.attrs = uac2_attrs,
	.n_attrs = sizeof(uac2_attrs) / sizeof(uac2_attrs[0]),
	.endpoints = uac2_endpoints,
};

enum uac1_attr {
	UAC1_C_CHMASK,
	UAC1_C_SRATE,
	UAC1_C_SSIZE,
	UAC1_C_MUTE_PRESENT,
	UAC1_C_VOLUME_PRESENT,
	UAC1_C_VOLUME_MIN,
	UAC1_C_VOLUME_MAX,
	UAC1_C_VOLUME_RES,
	UAC1_P_CHMASK,
	UAC1_P_SRATE,
	UAC1_P_SSIZE,
	UAC1_P_MUTE_PRESENT,
	UAC1_P_VOLUME_PRESENT,
	UAC1_P_VOLUME_MIN,
	UAC1_P_VOLUME_MAX,
	UAC1_P_VOLUME_RES,
	UAC1_REQ_NUMBER,
	UAC1_FUNCTION_NAME,
};

/* f_uac1 (the non-legacy one): as uac2 without asynchronous feedback or
 * high-speed intervals; the same kernel defaults (u_uac1.h). */
static const struct function_attr uac1_attrs[] = {
	AUDIO_DIRECTION_ROWS(UAC1, C, c),
	AUDIO_DIRECTION_ROWS(UAC1, P, p),
	[UAC1_REQ_NUMBER] = AUDIO_INT(req_number, 1, 64, 0),
	/* f_uac1's store copies len - 1 bytes (it expects echo's
	 * newline). */
	[UAC1_FUNCTION_NAME] = { "function_name", "function_name",
				 FUNCTION_ATTR_STRING, 0, 31,
				 FUNCTION_ATTR_NEWLINE, 0, NULL },
};

#undef AUDIO_DIRECTION_ROWS
#undef AUDIO_INT
#undef AUDIO_BOOL

static void uac1_endpoints(const struct profile_function *f,
			   struct endpoint_need *need)
{
	static const struct audio_rows rows = {
		UAC1_P_CHMASK,	     UAC1_C_CHMASK,
		UAC1_P_MUTE_PRESENT, UAC1_P_VOLUME_PRESENT,
		UAC1_C_MUTE_PRESENT, UAC1_C_VOLUME_PRESENT,
	};

	audio_endpoints(f, &rows, false, need);
}

/* libusbgx 0.2.0 has no type for it: plain configfs calls (apply.c). */
const struct function_type_info function_type_uac1 = {
	.type = FUNCTION_UAC1,
	.name = "uac1",
	.usbg_type = FUNCTION_NO_USBG_TYPE,
	.attrs = uac1_attrs,
	.n_attrs = sizeof(uac1_attrs) / sizeof(uac1_attrs[0]),
	.endpoints = uac1_endpoints,
};
