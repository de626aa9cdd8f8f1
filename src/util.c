/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static void out_of_memory(void)
{
	static const char msg[] = "gadgetd: out of memory\n";

	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		out_of_memory();
	p = realloc(p, n * size > 0 ? n * size : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		out_of_memory();
	return d;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		out_of_memory();
	return d;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		out_of_memory();
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *str_strip(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

int read_file_string(const char *path, char **out)
{
	char buf[4096];
	ssize_t n;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		r = -errno;
		goto out;
	}
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	*out = xstrdup(buf);
out:
	close(fd);
	return r;
}

static int read_regular_file_check(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	return 0;
}

int read_regular_file(const char *path, size_t max, char **data, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0, size;
	ssize_t got;
	int fd, r;

	/* Opening a device can act on it (a tty, a tape): refuse what is
	 * not a regular file before opening it.  The fstat() below is what
	 * counts, since the name may change in between. */
	if (stat(path, &st) < 0)
		return -errno;
	r = read_regular_file_check(&st);
	if (r < 0)
		return r;
	/* O_NONBLOCK: a FIFO put there after the stat() must not hang us. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	r = read_regular_file_check(&st);
	if (r < 0)
		goto out;
	/* One byte more than max tells a file that is too large. */
	size = st.st_size >= 0 && (size_t)st.st_size < max
		       ? (size_t)st.st_size + 1
		       : max + 1;
	buf = xmalloc(size + 1);
	for (;;) {
		if (n == size) {
			if (size > max)
				break;
			size = size * 2 < max + 1 ? size * 2 : max + 1;
			buf = xreallocarray(buf, size + 1, 1);
		}
		got = read(fd, buf + n, size - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = -errno;
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > max) {
		r = -EFBIG;
		goto out;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return r;
}

int write_file_string(const char *path, const char *value)
{
	return write_file_bytes(path, value, strlen(value));
}

int write_file_bytes(const char *path, const void *value, size_t len)
{
	ssize_t n;
	int fd, r = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

char *hex_bytes_text(const uint8_t *bytes, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *text = xmalloc(n ? 3 * n : 1);
	char *p = text;

	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ' ';
		*p++ = digits[bytes[i] >> 4];
		*p++ = digits[bytes[i] & 0xf];
	}
	*p = '\0';
	return text;
}

int path_absolute(const char *path, char **out)
{
	char cwd[4096];

	if (path[0] == '/') {
		*out = xstrdup(path);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	*out = xasprintf("%s%s%s", cwd, streq(cwd, "/") ? "" : "/", path);
	return 0;
}
