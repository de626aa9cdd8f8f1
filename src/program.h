/* SPDX-License-Identifier: MIT */
/*
 * Finding the helper programs gadgetd spawns (udhcpd, dnsmasq, ifup,
 * ifdown) on a board: a real executable in one of the search directories,
 * or, failing that, busybox carrying the applet.  Boards built with
 * buildroot or Debian's busybox package often have /bin/busybox without the
 * applet symlinks, so looking only for "udhcpd" would miss a working server.
 *
 * The argv built here always starts with an absolute path, so the daemon
 * exec()s it without a PATH lookup of its own.
 */
#ifndef GADGETD_PROGRAM_H
#define GADGETD_PROGRAM_H

#include <stdbool.h>

/* Searched after $PATH: init systems often start daemons with a short PATH. */
#define PROGRAM_FIXED_DIRS \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct program {
	char *path; /* absolute path of the executable */
	char *applet; /* non-NULL: path is busybox, run it with this applet */
};

/*
 * $PATH followed by PROGRAM_FIXED_DIRS, as one colon-separated list
 * (allocated).
 */
char *program_default_search_path(void);

/*
 * Look for name in each directory of search_path (colon-separated; empty
 * entries are skipped), then for a busybox executable in the same
 * directories whose applet table names it.  Returns 0 with *out filled,
 * or -ENOENT.
 */
int program_find(const char *name, const char *search_path,
		 struct program *out);
void program_clear(struct program *p);

/* Whether the busybox binary at path was built with applet. */
bool program_busybox_has_applet(const char *path, const char *applet);

/*
 * A NULL-terminated argv: the program (path, then the applet if any)
 * followed by the NULL-terminated args.  Free with program_argv_free().
 */
char **program_argv(const struct program *p, const char *const *args);
void program_argv_free(char **argv);
/* The argv as one line for log messages (allocated). */
char *program_argv_join(char *const *argv);

#endif
