/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gadgetd/diag.h"
#include "util.h"

void diag_init(struct diag_list *d)
{
	memset(d, 0, sizeof(*d));
}

void diag_clear(struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
	}
	free(d->items);
	diag_init(d);
}

void diag_add(struct diag_list *d, enum diag_severity severity,
	      const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	struct diag *item;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = xreallocarray(d->items, d->cap, sizeof(*d->items));
	}
	item = &d->items[d->n++];
	item->severity = severity;
	item->file = xstrdup(file ? file : "");
	item->line = line;
	va_start(ap, fmt);
	item->message = xvasprintf(fmt, ap);
	va_end(ap);

	if (severity == DIAG_ERROR)
		d->n_errors++;
	else
		d->n_warnings++;
}

int diag_format(const struct diag *item, char *buf, size_t size)
{
	const char *sev = item->severity == DIAG_WARNING ? "warning: " : "";

	if (item->line > 0)
		return snprintf(buf, size, "%s:%d: %s%s", item->file,
				item->line, sev, item->message);
	return snprintf(buf, size, "%s: %s%s", item->file, sev, item->message);
}

void diag_print(const struct diag_list *d, FILE *out)
{
	char line[1024];

	for (size_t i = 0; i < d->n; i++) {
		diag_format(&d->items[i], line, sizeof(line));
		fprintf(out, "%s\n", line);
	}
}
