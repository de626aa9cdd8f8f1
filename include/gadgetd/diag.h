/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics: user-facing problems found in a file, collected so that all
 * of them are reported, not only the first.  Each prints as one line:
 *   FILE:LINE: message
 *   FILE:LINE: warning: message
 * (LINE 0 prints as FILE: message, for problems with the file as a whole).
 */
#ifndef GADGETD_DIAG_H
#define GADGETD_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_severity { DIAG_ERROR, DIAG_WARNING };

struct diag {
	enum diag_severity severity;
	char *file;
	int line;
	char *message;
};

struct diag_list {
	struct diag *items;
	size_t n;
	size_t cap;
	size_t n_errors;
	size_t n_warnings;
};

void diag_init(struct diag_list *d);
void diag_clear(struct diag_list *d);

void diag_add(struct diag_list *d, enum diag_severity severity,
	      const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define diag_error(d, file, line, ...) \
	diag_add((d), DIAG_ERROR, (file), (line), __VA_ARGS__)
#define diag_warning(d, file, line, ...) \
	diag_add((d), DIAG_WARNING, (file), (line), __VA_ARGS__)

/* Format one item as its one-line form (no newline) into buf. */
int diag_format(const struct diag *item, char *buf, size_t size);
/* Print every item, in the order added, one per line. */
void diag_print(const struct diag_list *d, FILE *out);

#endif
