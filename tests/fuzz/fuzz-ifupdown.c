/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the interfaces(5) reader.  The buffer is read as a
 * file in a directory that does not exist, so source lines find nothing.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ifupdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ifupdown_stanza s;

	ifupdown_lookup_buffer("/nonexistent/gadgetd-fuzz/interfaces",
			       (const char *)data, size, "usb0", &s);
	ifupdown_stanza_clear(&s);
	return 0;
}
