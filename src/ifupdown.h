/* SPDX-License-Identifier: MIT */
/*
 * `ifupdown = auto`: when /etc/network/interfaces (or a file it sources)
 * has an `iface` stanza for the gadget's interface, the admin configured
 * it there, so gadgetd brings it up and down with ifup/ifdown instead of
 * setting addresses itself.  The daemon spawns the argv built here as a
 * child and never waits for it synchronously: ifup runs the if-up.d hook,
 * which calls `gadgetd link-event` on the daemon's own socket.
 *
 * The parser follows interfaces(5) as far as finding a stanza needs:
 * `#` comment lines, backslash continuation, `iface NAME FAMILY METHOD`,
 * `auto`/`allow-auto`/`allow-hotplug` lines, and `source PATTERN` and
 * `source-directory DIR` (relative paths are relative to the directory of
 * the file that names them; source-directory reads only run-parts style
 * names, [A-Za-z0-9_-]+).  `mapping` stanzas are not followed.
 */
#ifndef GADGETD_IFUPDOWN_H
#define GADGETD_IFUPDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "program.h"

#define IFUPDOWN_INTERFACES_PATH "/etc/network/interfaces"
/* source lines nested deeper than this are ignored (and cycles end). */
#define IFUPDOWN_MAX_DEPTH 8
/* Files read per lookup, so that fan-out (`source` of itself) stays small. */
#define IFUPDOWN_MAX_FILES 64

/* What the interfaces file says about one interface. */
struct ifupdown_stanza {
	bool found; /* an `iface NAME ...` stanza exists */
	char *file; /* the first such stanza, for log messages */
	int line;
	bool inet; /* has an `iface NAME inet ...` stanza */
	bool inet6; /* has an `iface NAME inet6 ...` stanza */
	char *method; /* of the first stanza: "static", "dhcp", "manual", ... */
	bool is_auto; /* named by `auto` or `allow-auto` */
	bool hotplug; /* named by `allow-hotplug` */
	int files_read; /* files opened, at most IFUPDOWN_MAX_FILES */
};

/*
 * Read interfaces_path (NULL: IFUPDOWN_INTERFACES_PATH) and what it
 * sources.  Returns 0 (check out->found), or a negative errno when the
 * file itself cannot be read (-ENOENT: no ifupdown on this board).
 * Unreadable sourced files are skipped, as ifup does.
 */
int ifupdown_lookup(const char *interfaces_path, const char *ifname,
		    struct ifupdown_stanza *out);
/* The same over a buffer holding the file named path (fuzzing, tests). */
int ifupdown_lookup_buffer(const char *path, const char *data, size_t len,
			   const char *ifname, struct ifupdown_stanza *out);
void ifupdown_stanza_clear(struct ifupdown_stanza *s);

bool ifupdown_has_stanza(const char *interfaces_path, const char *ifname);

struct ifupdown_tools {
	struct program ifup;
	struct program ifdown;
};

/*
 * Find ifup and ifdown (executables or busybox applets) in search_path
 * (NULL: $PATH then the usual sbin/bin directories).  -ENOENT unless both
 * exist.
 */
int ifupdown_find(const char *search_path, struct ifupdown_tools *out);
void ifupdown_tools_clear(struct ifupdown_tools *t);

/*
 * `ifup [-i FILE] IFNAME`: without --force, so an interface that hotplug
 * (allow-hotplug) already brought up is left as it is.  interfaces_path
 * NULL or the default adds no -i.
 */
char **ifupdown_argv_up(const struct ifupdown_tools *t,
			const char *interfaces_path, const char *ifname);
/*
 * `ifdown -f [-i FILE] IFNAME`: forced, so ifupdown forgets the interface
 * even when the gadget has already taken it away.  Otherwise its state
 * file would still say "configured", and the next `ifup` of the new usb0
 * would do nothing.
 */
char **ifupdown_argv_down(const struct ifupdown_tools *t,
			  const char *interfaces_path, const char *ifname);

#endif
