/* SPDX-License-Identifier: MIT */
/*
 * INI files as gadgetd reads them (profiles and gadgetd.conf), on top of
 * inih.  The system inih has no line numbers in its handler and reports
 * only the first syntax error, so a line-counting reader in front of it
 * reports every syntax error with its line and hands inih only lines it
 * can take.  Section headers are reported with their line too, including
 * sections without keys, which inih never shows.
 *
 * Syntax: [section] headers; key = value; comments start with ';' or '#'
 * at the start of a line, or with ';' after white space; leading white
 * space is ignored (no continuation lines); a UTF-8 BOM is skipped.
 */
#ifndef GADGETD_INI_READER_H
#define GADGETD_INI_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "gadgetd/diag.h"

/* Files larger than this are refused: a profile is a few kB. */
#define INI_READER_MAX_FILE ((size_t)1024 * 1024)

struct ini_reader_ops {
	/* A section header; name is the text between the brackets, stripped. */
	void (*section)(void *user, const char *name, int line);
	void (*key)(void *user, const char *key, const char *value, int line);
	/* NULL, or whether to leave the rest unread: the caller has given
	 * up on the file (a profile over one of its caps), and reading on
	 * would only cost time. */
	bool (*stop)(void *user);
};

/*
 * Parse data (len bytes, need not be NUL-terminated).  Syntax errors go to
 * diags as "path:LINE: syntax error: ..."; everything else is the
 * callbacks' business.  Returns 0, or -EINVAL if there was a syntax error.
 */
int ini_reader_parse(const char *path, const char *data, size_t len,
		     const struct ini_reader_ops *ops, void *user,
		     struct diag_list *diags);

/* Read a whole regular file (at most INI_READER_MAX_FILE bytes) into
 * *data, NUL-terminated, as read_regular_file() does. */
int ini_reader_read_file(const char *path, char **data, size_t *len);

#endif
