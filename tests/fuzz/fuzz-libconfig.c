/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the libconfig profile loader, then validation and the
 * INI writer on whatever loads.  The buffer is read as a profile in a
 * directory that does not exist, so @include finds nothing (libconfig
 * 1.5 joins even absolute include paths to the include directory).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gadgetd/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * libconfig 1.5's scanner leaks what it was reading when a syntax error
 * stops the parse (a string's buffer, an identifier): its bug, nothing a
 * caller can free.  Only allocations made by the scanner itself are
 * suppressed; a missing config_destroy() would still show (and the unit
 * tests, which suppress nothing of libconfig, cover that too).
 */
const char *__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list diags;
	struct profile *p = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	diag_init(&diags);
	if (profile_load_libconfig_buffer("/nonexistent/gadgetd-fuzz/p.cfg",
					  (const char *)data, size, &p,
					  &diags) == 0 &&
	    profile_validate(p, &diags) == 0) {
		out = open_memstream(&text, &len);
		if (out) {
			profile_write_ini(p, out);
			fclose(out);
		}
		free(text);
	}
	profile_free(p);
	diag_clear(&diags);
	return 0;
}
