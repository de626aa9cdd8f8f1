/* SPDX-License-Identifier: MIT */
/*
 * One schema per function type.
 *
 * Each function type gadgetd supports is described once, in a file of its
 * family under src/function/: its configfs name and aliases, whether it is
 * a network function, the libusbgx type that makes its directory, and one
 * table of the configfs attributes a profile may set (key, attribute file,
 * kind and range, the value written when the profile leaves it out).  The
 * INI and libconfig loaders, profile_write, the plan, apply and export all
 * iterate that table, so adding an attribute is one table row (and its
 * test).
 *
 * The table holds the attributes gadgetd only carries from the profile to
 * configfs.  Keys that gadgetd itself acts on (a network function's MAC
 * addresses, link, address and DHCP, the mass-storage LUNs, the HID report
 * descriptor, FunctionFS's mount point) have typed fields in the profile
 * model and code of their own, in profile.c and the plan.
 */
#ifndef GADGETD_FUNCTION_H
#define GADGETD_FUNCTION_H

#include <stdbool.h>
#include <stddef.h>

#include "gadgetd/profile.h"

enum function_attr_kind {
	FUNCTION_ATTR_INT, /* decimal, or hexadecimal with 0x */
	FUNCTION_ATTR_BOOL, /* yes/no; written 1/0 */
	FUNCTION_ATTR_STRING,
	FUNCTION_ATTR_CHOICE, /* one of `choices` */
	/* A network interface name template with exactly one %d
	 * (gether_set_ifname()); what the kernel shows back is the name it
	 * made, so export leaves it out. */
	FUNCTION_ATTR_IFNAME,
};

/* Show the range in hex in messages (masks, codes). */
#define FUNCTION_ATTR_HEX 0x1
/* Printable ASCII without spaces (ALSA ids). */
#define FUNCTION_ATTR_ASCII 0x2
/* Written with `def` when the profile leaves it out: the value libusbgx's
 * typed structs always wrote, kept so that a gadget does not depend on a
 * kernel version's default. */
#define FUNCTION_ATTR_DEFAULT 0x4
/* The function does not work without it (validation says so). */
#define FUNCTION_ATTR_REQUIRED 0x8
/* Written with a newline after it, as echo(1) does: Linux 6.1's f_uac1
 * keeps all but the last byte written to a string attribute. */
#define FUNCTION_ATTR_NEWLINE 0x20
/* The kernel reads and shows it as two hex digits without 0x ("e0",
 * sscanf "%02hhx" in u_ether_configfs.h): the plan writes it so, export
 * adds the 0x. */
#define FUNCTION_ATTR_BARE_HEX 0x10

struct function_attr {
	const char *key; /* profile key, INI and libconfig alike */
	const char *file; /* configfs attribute in the function directory */
	enum function_attr_kind kind;
	long min, max; /* INT: range; STRING: most characters (0: any) */
	unsigned int flags;
	long def; /* FUNCTION_ATTR_DEFAULT */
	const char *const *choices; /* FUNCTION_ATTR_CHOICE, NULL-terminated */
};

/* Endpoints a function claims when the kernel binds it (the
 * usb_ep_autoconfig() calls of its f_*.c, Linux 6.1). */
enum endpoint_kind {
	ENDPOINT_BULK,
	ENDPOINT_INT,
	ENDPOINT_ISO,
	ENDPOINT_KIND_COUNT
};

struct endpoint_count {
	unsigned int n[ENDPOINT_KIND_COUNT];
};

struct endpoint_need {
	struct endpoint_count in, out;
	bool unknown; /* FunctionFS: counted when its program starts */
};

/* libusbgx 0.2.0 has no type for it: configfs calls only. */
#define FUNCTION_NO_USBG_TYPE (-1)

struct function_type_info {
	enum function_type type;
	const char *name; /* as configfs names it: "ecm", "Loopback" */
	const char *const *aliases; /* NULL-terminated, or NULL */
	bool network;
	int usbg_type; /* usbg_function_type, or FUNCTION_NO_USBG_TYPE */
	/* RNDIS and NCM: os_desc/interface.NAME of the function */
	const char *os_desc_interface;
	const struct function_attr *attrs; /* in the order they are written */
	size_t n_attrs;
	/* Read-only attributes that usbg_export_gadget() puts in a scheme
	 * (ifname, port_num, dev): accepted and ignored on import, as
	 * libusbgx's own import does. */
	const char *const *scheme_read_only;
	/* Keys of gadgetd's own code that a scheme's attrs may carry
	 * (dev_addr); NULL-terminated, or NULL. */
	const char *const *scheme_keys;
	void (*endpoints)(const struct profile_function *f,
			  struct endpoint_need *need);
};

/* The type's description; every enum function_type has one. */
const struct function_type_info *function_type_info(enum function_type type);

/* "ecm, ncm, ...": every type's configfs name, for messages (allocated). */
char *function_type_list(void);

/* A row of t's table by key, or NULL; *index (may be NULL) its index. */
const struct function_attr *
function_attr_find(const struct function_type_info *t, const char *key,
		   size_t *index);

/* The number of row `index` of f's type: the profile's, else the row's
 * default when it has one, else `fallback`. */
long function_attr_number(const struct profile_function *f, size_t index,
			  long fallback);

/* The type tables, one per family file. */
extern const struct function_type_info function_type_ecm, function_type_ncm,
	function_type_eem, function_type_subset, function_type_rndis;
extern const struct function_type_info function_type_acm, function_type_gser,
	function_type_obex;
extern const struct function_type_info function_type_mass_storage;
extern const struct function_type_info function_type_hid;
extern const struct function_type_info function_type_midi, function_type_uac2,
	function_type_uac1;
extern const struct function_type_info function_type_loopback,
	function_type_sourcesink;
extern const struct function_type_info function_type_ffs;
extern const struct function_type_info function_type_printer;
extern const struct function_type_info function_type_uvc;

/* Helpers for the family files. */
void function_endpoints_add(struct endpoint_count *c, enum endpoint_kind kind,
			    unsigned int n);

#endif
