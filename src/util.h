/* SPDX-License-Identifier: MIT */
/*
 * Memory and string helpers.  Allocation failure is fatal (abort with a
 * message): a daemon of this size has no useful way to continue without
 * memory, and checking every strdup hides the real error paths.
 */
#ifndef GADGETD_UTIL_H
#define GADGETD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

bool streq(const char *a, const char *b);
bool str_starts_with(const char *s, const char *prefix);
/* Strip leading and trailing white space in place; returns s. */
char *str_strip(char *s);
/* n bytes as lowercase hex pairs separated by one space ("05 01 09"). */
char *hex_bytes_text(const uint8_t *bytes, size_t n);
/*
 * path made absolute against the current directory (allocated; path
 * itself when it is absolute already), for a path that must still mean
 * the same file after a chdir, or in another process.  -errno when the
 * current directory cannot be read.
 */
int path_absolute(const char *path, char **out);

/*
 * Read a whole small file (sysfs/configfs attribute, machine-id).  Strips one
 * trailing newline.  Returns 0 or a negative errno.
 */
int read_file_string(const char *path, char **out);
/*
 * Read a whole file that a profile or a client named (a profile, a HID
 * report descriptor) into *data, NUL-terminated, *len bytes without the
 * NUL.  Only a regular file is read, without blocking and at most max
 * bytes, so that naming a FIFO, /dev/zero or a tty can neither hang nor
 * exhaust the daemon.  Returns 0 or a negative errno: -EISDIR for a
 * directory, -EINVAL for anything else that is not a regular file (say
 * so with READ_REGULAR_FILE_NOT_REGULAR), -EFBIG when larger than max.
 */
int read_regular_file(const char *path, size_t max, char **data, size_t *len);
#define READ_REGULAR_FILE_NOT_REGULAR "not a regular file"
/*
 * Write a string, or len bytes, to an existing file (sysfs/configfs
 * attribute) in one write(): the kernel takes an attribute in one piece.
 */
int write_file_string(const char *path, const char *value);
int write_file_bytes(const char *path, const void *value, size_t len);

#endif
