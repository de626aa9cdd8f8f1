/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the INI profile loader (the line-counting reader in
 * front of inih, the key schema) and whole-profile validation, with
 * gadgetd.conf-style [gadget] defaults merged in between.  Everything is
 * freed, so leaks show up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gadgetd/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile_gadget defaults;
	struct diag_list diags;
	struct profile *p = NULL;
	char line[1024];

	memset(&defaults, 0, sizeof(defaults));
	defaults.vendor_id.value = 0x1d6b;
	defaults.vendor_id.line = 1;
	defaults.serial.value = "auto";
	defaults.serial.line = 2;

	diag_init(&diags);
	/* The path's directory is where report_desc_file is looked up:
	 * keep it somewhere harmless. */
	if (profile_load_ini_buffer("/nonexistent/fuzz.ini", (const char *)data,
				    size, &p, &diags) == 0) {
		profile_merge_gadget_defaults(p, &defaults);
		profile_validate(p, &diags);
	}
	for (size_t i = 0; i < diags.n; i++)
		diag_format(&diags.items[i], line, sizeof(line));
	profile_free(p);
	diag_clear(&diags);
	return 0;
}
