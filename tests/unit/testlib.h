/* SPDX-License-Identifier: MIT */
/*
 * A minimal test harness: each check that fails prints FILE:LINE and the
 * values, and the test binary exits non-zero if any failed.  Keeps the
 * tests free of a framework dependency.
 */
#ifndef GADGETD_TESTLIB_H
#define GADGETD_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>

extern int testlib_failures;
extern int testlib_checks;

void testlib_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int testlib_finish(const char *name);

#define CHECK(cond)                                                           \
	do {                                                                  \
		testlib_checks++;                                             \
		if (!(cond))                                                  \
			testlib_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
	} while (0)

#define CHECK_INT_EQ(a, b)                                                   \
	do {                                                                 \
		long long va_ = (long long)(a), vb_ = (long long)(b);        \
		testlib_checks++;                                            \
		if (va_ != vb_)                                              \
			testlib_fail(__FILE__, __LINE__,                     \
				     "%s == %lld, want %lld", #a, va_, vb_); \
	} while (0)

#define CHECK_STR_EQ(a, b)                                            \
	do {                                                          \
		const char *sa_ = (a), *sb_ = (b);                    \
		testlib_checks++;                                     \
		if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0)            \
			testlib_fail(__FILE__, __LINE__,              \
				     "%s is \"%s\", want \"%s\"", #a, \
				     sa_ ? sa_ : "(null)",            \
				     sb_ ? sb_ : "(null)");           \
	} while (0)

/*
 * iproute2's ip by full path (busybox's ip may come first in PATH, and
 * has no netns or veth), or NULL when there is none.
 */
const char *testlib_find_ip(void);

/* Read a whole file into a NUL-terminated buffer (test fixtures). */
char *testlib_read_file(const char *path, size_t *len);

#endif
