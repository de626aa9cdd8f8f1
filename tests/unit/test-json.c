/* SPDX-License-Identifier: MIT */
/* json.c: strings stay valid one-line UTF-8 JSON whatever bytes they hold. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "testlib.h"

static char *json(const char *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	json_write_string(f, s);
	fclose(f);
	return text;
}

#define CHECK_JSON(in, want)              \
	do {                              \
		char *got_ = json(in);    \
		CHECK_STR_EQ(got_, want); \
		free(got_);               \
	} while (0)

int main(void)
{
	CHECK_JSON(NULL, "null");
	CHECK_JSON("", "\"\"");
	CHECK_JSON("ecm.usb0", "\"ecm.usb0\"");
	CHECK_JSON("a\"b\\c", "\"a\\\"b\\\\c\"");
	CHECK_JSON("l1\nl2\r\t", "\"l1\\nl2\\r\\t\"");
	CHECK_JSON("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	CHECK_JSON("/", "\"/\"");
	/* Valid UTF-8 passes through: é, €, U+1F600. */
	CHECK_JSON("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		   "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* Not UTF-8: a lone continuation byte, a truncated sequence, an
	 * overlong '/', a surrogate, beyond U+10FFFF, 0xff. */
	CHECK_JSON("\x80", "\"\\ufffd\"");
	CHECK_JSON("a\xc3", "\"a\\ufffd\"");
	CHECK_JSON("\xc3(", "\"\\ufffd(\"");
	CHECK_JSON("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	CHECK_JSON("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_JSON("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	CHECK_JSON("\xff", "\"\\ufffd\"");
	CHECK_JSON("\xe2\x82", "\"\\ufffd\\ufffd\"");
	return testlib_finish("test-json");
}
