/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ini_reader.h"
#include "util.h"

struct ini_stream {
	const char *path;
	const char *data;
	size_t len;
	size_t pos;
	int line;
	char *buf; /* the current line, being cleaned up */
	size_t buf_size;
	const struct ini_reader_ops *ops;
	void *user;
	struct diag_list *diags;
	bool failed;
	bool skip_keys; /* after a broken section header */
};

static void ini_syntax_error(struct ini_stream *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void ini_syntax_error(struct ini_stream *s, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_error(s->diags, s->path, s->line, "syntax error: %s", msg);
	free(msg);
	s->failed = true;
}

static bool ini_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Cut an inline comment the way inih does: ';' at the start or after
 * white space.  "a;b" keeps its ';'.
 */
static void ini_cut_comment(char *s)
{
	for (char *c = s; *c; c++) {
		if (*c == ';' && (c == s || ini_is_space(c[-1]))) {
			*c = '\0';
			return;
		}
	}
}

static void ini_rstrip(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && ini_is_space(s[n - 1]))
		s[--n] = '\0';
}

static bool ini_key_valid(const char *key, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return false;
	}
	return true;
}

/*
 * Check one line.  Returns the text inih should see: "" for blank lines,
 * comments, section headers (reported here, with their line) and lines
 * with a syntax error (reported here), else the cleaned "key = value".
 */
static const char *ini_clean_line(struct ini_stream *s, int max)
{
	char *t = s->buf;
	char *end, *eq;
	size_t keylen;

	t += strspn(t, " \t\r\v\f");
	if (*t == '\0' || *t == ';' || *t == '#')
		return "";
	ini_cut_comment(t);
	ini_rstrip(t);

	if (*t == '[') {
		end = strchr(t, ']');
		/* The keys that follow belong to a section we do not
		 * know: skip them rather than pin them on the previous
		 * section and report errors that are not there. */
		if (!end) {
			ini_syntax_error(s, "missing ']' in section header");
			s->skip_keys = true;
			return "";
		}
		if (end[1] != '\0') {
			ini_syntax_error(s, "unexpected text after ']'");
			s->skip_keys = true;
			return "";
		}
		s->skip_keys = false;
		*end = '\0';
		t++;
		t += strspn(t, " \t");
		ini_rstrip(t);
		s->ops->section(s->user, t, s->line);
		return "";
	}

	eq = strchr(t, '=');
	if (!eq) {
		ini_syntax_error(s, "expected 'key = value' or '[section]'");
		return "";
	}
	keylen = (size_t)(eq - t);
	while (keylen > 0 && ini_is_space(t[keylen - 1]))
		keylen--;
	if (keylen == 0) {
		ini_syntax_error(s, "missing key before '='");
		return "";
	}
	/* inih also splits at ':'; keys never contain one, nor spaces. */
	if (!ini_key_valid(t, keylen)) {
		ini_syntax_error(s,
				 "invalid key '%.*s': use letters, digits, "
				 "'_', '.' and '-'",
				 (int)keylen, t);
		return "";
	}
	if (strlen(t) > (size_t)max) {
		ini_syntax_error(s,
				 "line too long: %zu characters, at most %d "
				 "without comments",
				 strlen(t), max);
		return "";
	}
	return t;
}

/* inih's fgets-like reader: one line per call, checked first. */
static char *ini_stream_reader(char *str, int num, void *stream)
{
	struct ini_stream *s = stream;
	const char *start, *nl, *clean;
	size_t n;

	if (s->pos >= s->len || num < 2 ||
	    (s->ops->stop && s->ops->stop(s->user)))
		return NULL;
	start = s->data + s->pos;
	nl = memchr(start, '\n', s->len - s->pos);
	n = nl ? (size_t)(nl - start) : s->len - s->pos;
	s->pos += n + (nl ? 1 : 0);
	s->line++;

	if (s->line == 1 && n >= 3 && memcmp(start, "\xef\xbb\xbf", 3) == 0) {
		start += 3;
		n -= 3;
	}
	if (n + 1 > s->buf_size) {
		s->buf_size = n + 1;
		s->buf = xreallocarray(s->buf, s->buf_size, 1);
	}
	memcpy(s->buf, start, n);
	s->buf[n] = '\0';

	if (memchr(start, '\0', n)) {
		ini_syntax_error(s, "NUL byte in line");
		clean = "";
	} else {
		clean = ini_clean_line(s, num - 1);
	}
	/* Lines without their newline: inih strips white space anyway. */
	memmove(str, clean, strlen(clean) + 1);
	return str;
}

static int ini_stream_handler(void *user, const char *section, const char *name,
			      const char *value)
{
	struct ini_stream *s = user;

	(void)section; /* tracked through ops->section, with its line */
	if (!s->skip_keys)
		s->ops->key(s->user, name, value, s->line);
	return 1;
}

int ini_reader_parse(const char *path, const char *data, size_t len,
		     const struct ini_reader_ops *ops, void *user,
		     struct diag_list *diags)
{
	struct ini_stream s = {
		.path = path,
		.data = data,
		.len = len,
		.ops = ops,
		.user = user,
		.diags = diags,
	};
	int r;

	r = ini_parse_stream(ini_stream_reader, &s, ini_stream_handler, &s);
	free(s.buf);
	/* Every line inih saw was checked here first, so a positive r
	 * (a line inih refused) cannot happen; -2 is inih out of memory. */
	if (r < 0)
		return -ENOMEM;
	return s.failed ? -EINVAL : 0;
}

int ini_reader_read_file(const char *path, char **data, size_t *len)
{
	return read_regular_file(path, INI_READER_MAX_FILE, data, len);
}
