/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the profile and config tests: load a profile from a
 * string and compare every diagnostic, in order, with the exact lines
 * expected.  Header-only so each test binary stays one .c file.
 */
#ifndef GADGETD_PROFILE_TESTLIB_H
#define GADGETD_PROFILE_TESTLIB_H

#include <stdio.h>
#include <string.h>

#include "gadgetd/profile.h"
#include "testlib.h"

/* Compare all diagnostics with want (NULL-terminated), reporting at the
 * caller's line. */
#define CHECK_DIAGS(diags, ...)                                              \
	profile_test_check_diags((diags),                                    \
				 (const char *const[]){ __VA_ARGS__, NULL }, \
				 __FILE__, __LINE__)

static inline void profile_test_check_diags(const struct diag_list *d,
					    const char *const *want,
					    const char *file, int line)
{
	char buf[1024];
	size_t n = 0;

	while (want[n])
		n++;
	testlib_checks++;
	for (size_t i = 0; i < d->n || i < n; i++) {
		if (i < d->n)
			diag_format(&d->items[i], buf, sizeof(buf));
		if (i >= d->n) {
			testlib_fail(file, line, "missing diagnostic \"%s\"",
				     want[i]);
		} else if (i >= n) {
			testlib_fail(file, line, "unexpected diagnostic \"%s\"",
				     buf);
		} else if (strcmp(buf, want[i]) != 0) {
			testlib_fail(file, line,
				     "diagnostic %zu is \"%s\", want \"%s\"", i,
				     buf, want[i]);
		}
	}
}

/*
 * Load text as the INI profile "t.ini" and validate it when it loaded
 * (validate as well: both passes report).  Returns the profile or NULL;
 * diags holds everything reported.
 */
static inline struct profile *profile_test_load(const char *text,
						struct diag_list *diags)
{
	struct profile *p = NULL;

	diag_init(diags);
	if (profile_load_ini_buffer("t.ini", text, strlen(text), &p, diags) < 0)
		return NULL;
	if (profile_validate(p, diags) < 0) {
		profile_free(p);
		return NULL;
	}
	return p;
}

#endif
