/* SPDX-License-Identifier: MIT */
/*
 * The in-memory profile: what a gadget should look like, independent of the
 * file format it came from.  Both loaders (INI and libconfig) fill it through
 * profile_set_key(), so both formats share every type and range check, and
 * the plan is built from this model alone.
 *
 * A profile is mutable while it is loaded and immutable once
 * profile_validate() has accepted it.
 */
#ifndef GADGETD_PROFILE_H
#define GADGETD_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gadgetd/diag.h"
#include "gadgetd/ip_address.h"

/*
 * Caps on what one profile holds, so that a hostile or broken file costs
 * little to refuse (a profile is a few kB; a 1 MiB one of nothing but
 * section headers must not take seconds).  Each is the kernel's own limit
 * or follows from one.
 *
 * Configuration numbers (bConfigurationValue, configs/c.N) are 1..255.
 */
#define PROFILE_MAX_CONFIG_ID 255
/* Configurations in a profile: USB allows 255, but a host takes the first
 * (Windows, macOS) or picks one among the few it knows (Linux); more than
 * two is unheard of, and 8 leaves room. */
#define PROFILE_MAX_CONFIGS 8
/* Functions in one configuration: the kernel's composite framework gives
 * a configuration at most 16 interfaces (MAX_CONFIG_INTERFACES), and
 * every function takes at least one. */
#define PROFILE_MAX_CONFIG_FUNCTIONS 16
/* Functions in a profile: a function only counts when a configuration
 * uses it, so at most every configuration full of different ones. */
#define PROFILE_MAX_FUNCTIONS \
	(PROFILE_MAX_CONFIGS * PROFILE_MAX_CONFIG_FUNCTIONS)
/* Sections: [profile], [gadget], [os_desc], the configurations and the
 * functions; a profile with more has one that cannot be accepted. */
#define PROFILE_MAX_SECTIONS (3 + PROFILE_MAX_CONFIGS + PROFILE_MAX_FUNCTIONS)
/* LUNs of a mass_storage function: f_mass_storage's FSG_MAX_LUNS. */
#define PROFILE_MAX_LUNS 16
#define PROFILE_MAX_ADDRESSES 4
/* Profiles after this one in a fallback list: a host takes one of a few
 * kinds of network function (NCM, ECM, RNDIS, EEM, subset). */
#define PROFILE_MAX_FALLBACK 4
/* Seconds a host gets to take up a network function (gadgetd.profile(5), fallback_after). */
#define PROFILE_DEFAULT_FALLBACK_AFTER 8
/* String languages besides the plain keys' one (strings.LANG.*,
 * name.LANG): a few each way covers every gadget seen in the field, and
 * the kernel's gadget strings table grows per language. */
#define PROFILE_MAX_LANGUAGES 8
/* The longest line the INI loader takes (inih's INI_MAX_LINE, 200 in
 * Debian's libinih, less the NUL), so the longest report_desc an INI
 * profile holds: "report_desc = " and two hex digits per byte. */
#define PROFILE_INI_LINE_MAX 199
#define PROFILE_REPORT_DESC_HEX_MAX \
	((PROFILE_INI_LINE_MAX - (int)sizeof("report_desc = ") + 1) / 2)

/* A value that may be unset; `line` is where it was set (0 = not set). */
struct profile_int {
	long value;
	int line;
};

struct profile_str {
	char *value; /* NULL = not set */
	int line;
};

struct profile_bool {
	bool value;
	int line;
};

enum function_type {
	FUNCTION_ECM,
	FUNCTION_NCM,
	FUNCTION_EEM,
	FUNCTION_SUBSET, /* configfs "geth" (usb_f_ecm_subset) */
	FUNCTION_RNDIS,
	FUNCTION_ACM,
	FUNCTION_GSER,
	FUNCTION_OBEX,
	FUNCTION_MASS_STORAGE,
	FUNCTION_HID,
	FUNCTION_MIDI,
	FUNCTION_LOOPBACK, /* configfs "Loopback" */
	FUNCTION_UAC2,
	FUNCTION_FFS,
	FUNCTION_PRINTER,
	FUNCTION_SOURCESINK, /* configfs "SourceSink" */
	FUNCTION_UAC1,
	FUNCTION_UVC,
	FUNCTION_TYPE_COUNT
};

/* The configfs name of a function type ("ecm", "geth", "Loopback", ...).
 * These three are the schema's (src/function/function.c). */
const char *function_type_configfs_name(enum function_type type);
/* Accepts the configfs name and gadgetd's aliases ("subset", "loopback"). */
int function_type_from_name(const char *name, enum function_type *type);
bool function_type_is_network(enum function_type type);

enum link_policy { LINK_AUTO, LINK_MANUAL };
enum ifupdown_policy { IFUPDOWN_AUTO, IFUPDOWN_NO };

/* "auto" or an explicit MAC. */
struct profile_mac {
	bool is_auto;
	uint8_t addr[6];
	int line; /* 0 = not set: treated as auto */
};

struct profile_net {
	struct profile_mac dev_addr;
	struct profile_mac host_addr;
	struct ip_address addresses[PROFILE_MAX_ADDRESSES];
	size_t n_addresses;
	int addresses_line;
	enum link_policy link;
	enum ifupdown_policy ifupdown;
	struct profile_bool dhcp;
	/* RNDIS only: interface OS descriptor ("interface.rndis"). */
	struct profile_str os_desc_compatible_id;
	struct profile_str os_desc_sub_compatible_id;
};

struct profile_lun {
	bool defined;
	int line; /* first key of this LUN */
	struct profile_str file;
	struct profile_bool ro;
	struct profile_bool removable;
	struct profile_bool cdrom;
	struct profile_bool nofua;
	struct profile_str inquiry_string;
	struct profile_bool optional;
	/* attach = host-ready: the medium goes in only once the host has
	 * configured the gadget, attach_delay ms later (host firmware that
	 * stalls on a disk it finds at power-on); attach_line 0 = always. */
	bool attach_host_ready;
	int attach_line;
	struct profile_int attach_delay; /* ms */
};

struct profile_mass_storage {
	struct profile_lun luns[PROFILE_MAX_LUNS];
	int n_luns; /* highest defined LUN + 1 */
};

struct profile_hid {
	uint8_t *report_desc; /* from report_desc (hex) or report_desc_file */
	size_t report_desc_len;
	int report_desc_line;
	char *report_desc_file; /* as written, for messages and export */
};

/*
 * program = /abs/path [args...]: the user-space program that serves a
 * function (FunctionFS: its descriptors; UVC: its video stream), which the
 * daemon starts, restarts and stops (docs/daemon.md, Function programs).
 * An absolute path and arguments split on spaces and tabs: no shell, no
 * PATH lookup, so the profile says exactly what runs as root.  The caps
 * keep a line of an INI profile; no daemon of this kind takes more.
 */
#define PROFILE_PROGRAM_MAX_LEN 1024
#define PROFILE_PROGRAM_MAX_ARGS 32

struct profile_program {
	char *text; /* as written (profile_write); NULL = no program */
	char **argv; /* NULL-terminated; argv[0] is the absolute path */
	int line;
	/* program_restart: start it again when it exits (default yes) */
	struct profile_bool restart;
};

struct profile_ffs {
	struct profile_str mountpoint; /* default /dev/usb-ffs/INSTANCE */
	struct profile_int ready_timeout; /* seconds to wait for descriptors */
};

/* uvc: its video formats and frames (format.N, format.N.frames), from
 * which the plan derives the whole descriptor tree (src/uvc.h). */
#define PROFILE_UVC_MAX_FORMATS 4
#define PROFILE_UVC_MAX_FRAMES 10
#define PROFILE_UVC_MAX_RATES 6

enum profile_uvc_encoding {
	PROFILE_UVC_NONE, /* format.N not set */
	PROFILE_UVC_YUYV,
	PROFILE_UVC_MJPEG,
};

struct profile_uvc_frame {
	unsigned int width, height;
	/* Frames per second, the first the default; the kernel gets
	 * 10^7 / rate (100 ns units). */
	unsigned int rates[PROFILE_UVC_MAX_RATES];
	size_t n_rates;
};

struct profile_uvc_format {
	enum profile_uvc_encoding encoding;
	int line; /* format.N */
	int frames_line; /* format.N.frames */
	struct profile_uvc_frame frames[PROFILE_UVC_MAX_FRAMES];
	size_t n_frames;
};

struct profile_uvc {
	/* formats[N - 1] is format.N */
	struct profile_uvc_format formats[PROFILE_UVC_MAX_FORMATS];
};

/* A configfs attribute of a function type's schema (src/function/):
 * `number` for integers and booleans, `text` for strings; line 0 = not
 * set. */
struct profile_value {
	long number;
	char *text;
	int line;
};

struct profile_function {
	enum function_type type;
	char *instance;
	char *name; /* "TYPE.INSTANCE" as configfs names it, e.g. "geth.usb0" */
	int line; /* the section header */
	bool used; /* named by at least one config */
	/* One per attribute of the type's schema, in its order. */
	struct profile_value *values;
	/* Any type: the program that serves it (program, program_restart). */
	struct profile_program program;
	/* The keys gadgetd itself acts on. */
	union {
		struct profile_net net;
		struct profile_mass_storage ms;
		struct profile_hid hid;
		struct profile_ffs ffs;
		struct profile_uvc uvc;
	} u;
};

/* A configuration string in another language (name.LANG). */
struct profile_config_string {
	int language; /* 0x0001..0xffff */
	struct profile_str name;
};

struct profile_config {
	int id; /* 1..255 */
	int line; /* the section header */
	struct profile_str name; /* configuration string */
	struct profile_int max_power; /* mA, 0..500 (USB 2) */
	struct profile_bool self_powered;
	struct profile_bool remote_wakeup;
	/* Indexes into profile.functions, in interface order. */
	size_t functions[PROFILE_MAX_CONFIG_FUNCTIONS];
	size_t n_functions;
	int functions_line;
	/* The functions= list as configfs names ("geth.usb0"), as loaded;
	 * profile_validate() resolves them into functions[] because a
	 * function may be defined after the config that names it. */
	char *function_names[PROFILE_MAX_CONFIG_FUNCTIONS];
	size_t n_function_names;
	/* name.LANG, in order of first appearance. */
	struct profile_config_string names[PROFILE_MAX_LANGUAGES];
	size_t n_names;
};

/* The gadget's strings in another language (strings.LANG.*). */
struct profile_gadget_strings {
	int language; /* 0x0001..0xffff */
	int line; /* the first key of this language */
	struct profile_str manufacturer;
	struct profile_str product;
	struct profile_str serial; /* "auto" = the plain serial's value */
};

struct profile_gadget {
	struct profile_int vendor_id;
	struct profile_int product_id;
	struct profile_int device_version;
	struct profile_int usb_version;
	struct profile_int device_class;
	struct profile_int device_subclass;
	struct profile_int device_protocol;
	struct profile_int max_packet_size0;
	struct profile_int language;
	struct profile_str manufacturer;
	struct profile_str product;
	struct profile_str serial; /* "auto" = stable per board */
	/* strings.LANG.*, in order of first appearance. */
	struct profile_gadget_strings strings[PROFILE_MAX_LANGUAGES];
	size_t n_strings;
	/* configfs max_speed: "low-speed" ... "super-speed-plus"; NULL =
	 * the UDC's own. */
	struct profile_str max_speed;
};

struct profile_os_desc {
	bool defined;
	int line;
	struct profile_bool use;
	struct profile_int vendor_code;
	struct profile_str signature;
	struct profile_int config; /* configuration id linked to os_desc */
};

struct profile {
	char *name; /* file name without extension */
	char *path; /* the file it was loaded from (used in FILE:LINE) */
	struct profile_str description;
	/* [profile] fallback: the profiles to try next, in order, when no
	 * network function of this one is taken up by the host's driver
	 * within fallback_after seconds of the host configuring it. */
	char *fallback[PROFILE_MAX_FALLBACK];
	size_t n_fallback;
	int fallback_line;
	struct profile_int fallback_after;
	struct profile_gadget gadget;
	struct profile_config *configs; /* sorted by id after validation */
	size_t n_configs;
	struct profile_function *functions; /* in order of definition */
	size_t n_functions;
	struct profile_os_desc os_desc;
	/* State of profile_begin_section()/profile_set_key() while loading
	 * (current section, keys seen); private to profile.c. */
	struct profile_loader *loader;
};

enum profile_section {
	PROFILE_SECTION_PROFILE,
	PROFILE_SECTION_GADGET,
	PROFILE_SECTION_CONFIG,
	PROFILE_SECTION_FUNCTION,
	PROFILE_SECTION_OS_DESC,
};

struct profile *profile_new(const char *path);
void profile_free(struct profile *p);

/*
 * Open a section named as in the INI syntax: "profile", "gadget",
 * "config N", "function TYPE.INSTANCE", "os_desc".  Reports unknown or
 * duplicate sections in diags and returns a negative errno; keys that
 * follow a refused section are ignored by the caller.  The first section
 * over a cap (PROFILE_MAX_SECTIONS, _CONFIGS, _FUNCTIONS) is reported
 * and every later one refused without a word: -E2BIG, and the caller may
 * stop reading.
 */
int profile_begin_section(struct profile *p, const char *section, int line,
			  struct diag_list *diags);

/*
 * Set one key of the current section from its textual value.  Every type
 * and range check of a single value lives here, so the INI and libconfig
 * loaders report the same message for the same mistake.
 */
int profile_set_key(struct profile *p, const char *key, const char *value,
		    int line, struct diag_list *diags);

/*
 * Checks that need the whole profile: references between sections, LUN
 * order, os_desc.  Sorts configs by id.  Warnings (unused function) do not
 * make it fail.  Returns 0 when diags holds no error for this profile;
 * a profile whose loading stopped at a cap is not looked at (-E2BIG).
 */
int profile_validate(struct profile *p, struct diag_list *diags);

/* Fill every unset gadget field of p from defaults (gadgetd.conf [gadget]). */
void profile_merge_gadget_defaults(struct profile *p,
				   const struct profile_gadget *defaults);

/* Loaders.  Both return 0, or a negative errno with the reasons in diags. */
int profile_load_ini(const char *path, struct profile **out,
		     struct diag_list *diags);
int profile_load_ini_buffer(const char *path, const char *data, size_t len,
			    struct profile **out, struct diag_list *diags);
int profile_load_libconfig(const char *path, struct profile **out,
			   struct diag_list *diags);
int profile_load_libconfig_buffer(const char *path, const char *data,
				  size_t len, struct profile **out,
				  struct diag_list *diags);

/* Load by file extension (.ini or .cfg), then validate. */
int profile_load(const char *path, struct profile **out,
		 struct diag_list *diags);

/* The value of a function's schema attribute by key, or NULL when its
 * type has no such attribute (for tests and messages). */
const struct profile_value *
profile_function_value(const struct profile_function *f, const char *key);

/* Write p as an INI profile that profile_load_ini() reads back equal. */
int profile_write_ini(const struct profile *p, FILE *out);

#endif
