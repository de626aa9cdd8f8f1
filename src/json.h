/* SPDX-License-Identifier: MIT */
/*
 * Writing JSON strings.  Status output carries file names and kernel strings
 * that may hold any byte; the output must still be one valid line of UTF-8
 * JSON, so control characters are escaped and bytes that are not UTF-8
 * become U+FFFD.
 */
#ifndef GADGETD_JSON_H
#define GADGETD_JSON_H

#include <stdio.h>

/* s as a quoted JSON string; NULL as null. */
void json_write_string(FILE *out, const char *s);

#endif
