/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testlib.h"

int testlib_failures;
int testlib_checks;

void testlib_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: FAIL: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	testlib_failures++;
}

const char *testlib_find_ip(void)
{
	static const char *const paths[] = { "/usr/sbin/ip", "/sbin/ip",
					     "/usr/bin/ip", "/bin/ip" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

int testlib_finish(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, testlib_checks,
	       testlib_failures);
	if (testlib_checks == 0) {
		fprintf(stderr, "%s: no checks ran\n", name);
		return 1;
	}
	return testlib_failures ? 1 : 0;
}

char *testlib_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)size + 1);
	if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	if (buf) {
		buf[size] = '\0';
		if (len)
			*len = (size_t)size;
	}
	fclose(f);
	return buf;
}
