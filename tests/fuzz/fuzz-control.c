/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the control protocol's request, as the daemon takes it
 * from any local client (docs/control-protocol.md): the wire format split
 * into strings, then the verb grammar.  What decodes must encode back to
 * the same bytes, and what parses must name only strings of the request.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_control_check_in(const char *s, const char *buf, size_t len)
{
	/* The request's strings point into the caller's buffer. */
	if (s && (s < buf || s >= buf + len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[CONTROL_MAX_ARGS + 1];
	struct control_request req;
	char err[256], again[CONTROL_REQUEST_MAX];
	size_t again_len = 0;
	char *buf;
	int argc;

	/* A message of any size, as recv() hands it over; the size check
	 * is the decoder's. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (control_request_decode(buf, size, argv, &argc, err, sizeof(err)) <
	    0)
		goto out;
	if (argv[argc] != NULL)
		abort();
	if (control_request_encode(argc, argv, again, sizeof(again),
				   &again_len) < 0 ||
	    again_len != size || memcmp(again, data, size) != 0)
		abort();
	if (control_request_parse(argc, argv, &req, err, sizeof(err)) < 0)
		goto out;
	(void)control_verb_name(req.verb);
	(void)control_verb_changes(req.verb);
	fuzz_control_check_in(req.profile, buf, size);
	fuzz_control_check_in(req.file, buf, size);
	fuzz_control_check_in(req.iface, buf, size);
out:
	free(buf);
	return 0;
}
