/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ifupdown.h"
#include "util.h"

/* An interfaces file is a few KiB; refuse to slurp anything absurd. */
#define IFUPDOWN_MAX_FILE ((size_t)1024 * 1024)
/*
 * IFUPDOWN_MAX_FILES: `source` patterns can fan out (`source *` in /etc, a
 * file that sources itself twice): without a budget the lookup is
 * exponential in IFUPDOWN_MAX_DEPTH.  ifupdown has no limit; real boards
 * have a handful of files.
 */
#define IFUPDOWN_MAX_WORDS 8

struct lookup {
	const char *ifname;
	struct ifupdown_stanza *out;
};

static void parse_buffer(struct lookup *l, const char *path, const char *data,
			 size_t len, int depth);

static int read_small_file(const char *path, char **data, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf;
	struct stat st;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	/* Only regular files: `source /` or a FIFO must not hang the daemon. */
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = -EINVAL;
	else if ((unsigned long long)st.st_size > IFUPDOWN_MAX_FILE)
		r = -EFBIG;
	if (r < 0) {
		close(fd);
		return r;
	}
	buf = xmalloc(cap);
	for (;;) {
		ssize_t got;

		if (n == cap) {
			if (cap >= IFUPDOWN_MAX_FILE) {
				r = -EFBIG;
				break;
			}
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = -errno;
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	*data = buf;
	*len = n;
	return 0;
}

static int parse_file(struct lookup *l, const char *path, int depth)
{
	char *data = NULL;
	size_t len = 0;
	int r;

	if (l->out->files_read >= IFUPDOWN_MAX_FILES)
		return -E2BIG;
	l->out->files_read++;
	r = read_small_file(path, &data, &len);
	if (r < 0)
		return r;
	parse_buffer(l, path, data, len, depth);
	free(data);
	return 0;
}

/* pattern, relative to the directory of the file that names it. */
static char *resolve(const char *including_file, const char *pattern)
{
	char *copy, *dir, *full;

	if (pattern[0] == '/')
		return xstrdup(pattern);
	copy = xstrdup(including_file);
	dir = dirname(copy);
	full = xasprintf("%s/%s", dir, pattern);
	free(copy);
	return full;
}

static void source_files(struct lookup *l, const char *from,
			 const char *pattern, int depth)
{
	char *full = resolve(from, pattern);
	glob_t g;

	if (glob(full, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			(void)parse_file(l, g.gl_pathv[i], depth + 1);
	}
	globfree(&g);
	free(full);
}

/* run-parts(8) names: editor backups and dpkg leftovers have dots. */
static int run_parts_name(const struct dirent *d)
{
	const char *p = d->d_name;

	if (!*p)
		return 0;
	for (; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return 0;
	}
	return 1;
}

static void source_directory(struct lookup *l, const char *from,
			     const char *pattern, int depth)
{
	char *full = resolve(from, pattern);
	glob_t g;

	if (glob(full, GLOB_ONLYDIR, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			struct dirent **names;
			int n = scandir(g.gl_pathv[i], &names, run_parts_name,
					alphasort);

			for (int k = 0; k < n; k++) {
				char *file = xasprintf("%s/%s", g.gl_pathv[i],
						       names[k]->d_name);

				(void)parse_file(l, file, depth + 1);
				free(file);
				free(names[k]);
			}
			if (n >= 0)
				free(names);
		}
	}
	globfree(&g);
	free(full);
}

static void logical_line(struct lookup *l, const char *path, int line,
			 char *text, int depth)
{
	struct ifupdown_stanza *out = l->out;
	char *words[IFUPDOWN_MAX_WORDS];
	size_t n = 0;
	char *save = NULL;

	for (char *w = strtok_r(text, " \t\f\v", &save); w;
	     w = strtok_r(NULL, " \t\f\v", &save)) {
		/* auto lines may list many interfaces: check as we go. */
		if (n >= 1 &&
		    (streq(words[0], "auto") ||
		     streq(words[0], "allow-auto")) &&
		    streq(w, l->ifname))
			out->is_auto = true;
		if (n >= 1 && streq(words[0], "allow-hotplug") &&
		    streq(w, l->ifname))
			out->hotplug = true;
		if (n < IFUPDOWN_MAX_WORDS)
			words[n++] = w;
	}
	if (n < 2)
		return;
	if (streq(words[0], "iface") && streq(words[1], l->ifname)) {
		if (!out->found) {
			out->found = true;
			out->file = xstrdup(path);
			out->line = line;
			out->method = n >= 4 ? xstrdup(words[3]) : NULL;
		}
		if (n >= 3 && streq(words[2], "inet"))
			out->inet = true;
		if (n >= 3 && streq(words[2], "inet6"))
			out->inet6 = true;
	} else if (depth < IFUPDOWN_MAX_DEPTH) {
		if (streq(words[0], "source"))
			source_files(l, path, words[1], depth);
		else if (streq(words[0], "source-directory"))
			source_directory(l, path, words[1], depth);
	}
}

static void parse_buffer(struct lookup *l, const char *path, const char *data,
			 size_t len, int depth)
{
	/* The logical line: physical lines joined at trailing backslashes. */
	char *logical = xmalloc(len + 1);
	size_t llen = 0;
	int lineno = 0, start = 0;
	size_t at = 0;

	while (at < len) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t plen = end - at;
		const char *p = data + at;
		bool more = false;

		lineno++;
		at = nl ? end + 1 : len;
		if (plen && p[plen - 1] == '\r')
			plen--;
		if (llen == 0) {
			size_t skip = 0;

			while (skip < plen &&
			       (p[skip] == ' ' || p[skip] == '\t'))
				skip++;
			/* Comments are whole lines; no end-of-line comments. */
			if (skip < plen && p[skip] == '#')
				continue;
			start = lineno;
		}
		if (plen && p[plen - 1] == '\\') {
			plen--;
			more = true;
		}
		for (size_t i = 0; i < plen; i++)
			/* A NUL would end the line early for strtok_r. */
			logical[llen++] = p[i] ? p[i] : ' ';
		if (more) {
			logical[llen++] = ' ';
			continue;
		}
		logical[llen] = '\0';
		logical_line(l, path, start, logical, depth);
		llen = 0;
	}
	if (llen) {
		logical[llen] = '\0';
		logical_line(l, path, start, logical, depth);
	}
	free(logical);
}

static void stanza_init(struct ifupdown_stanza *s)
{
	memset(s, 0, sizeof(*s));
}

int ifupdown_lookup(const char *interfaces_path, const char *ifname,
		    struct ifupdown_stanza *out)
{
	struct lookup l = { .ifname = ifname, .out = out };

	stanza_init(out);
	if (!interfaces_path)
		interfaces_path = IFUPDOWN_INTERFACES_PATH;
	return parse_file(&l, interfaces_path, 0);
}

int ifupdown_lookup_buffer(const char *path, const char *data, size_t len,
			   const char *ifname, struct ifupdown_stanza *out)
{
	struct lookup l = { .ifname = ifname, .out = out };

	stanza_init(out);
	parse_buffer(&l, path, data, len, 0);
	return 0;
}

void ifupdown_stanza_clear(struct ifupdown_stanza *s)
{
	free(s->file);
	free(s->method);
	stanza_init(s);
}

bool ifupdown_has_stanza(const char *interfaces_path, const char *ifname)
{
	struct ifupdown_stanza s;
	bool found;

	if (ifupdown_lookup(interfaces_path, ifname, &s) < 0)
		return false;
	found = s.found;
	ifupdown_stanza_clear(&s);
	return found;
}

int ifupdown_find(const char *search_path, struct ifupdown_tools *out)
{
	char *path = search_path ? xstrdup(search_path)
				 : program_default_search_path();
	int r;

	memset(out, 0, sizeof(*out));
	r = program_find("ifup", path, &out->ifup);
	if (r == 0)
		r = program_find("ifdown", path, &out->ifdown);
	if (r < 0)
		ifupdown_tools_clear(out);
	free(path);
	return r;
}

void ifupdown_tools_clear(struct ifupdown_tools *t)
{
	program_clear(&t->ifup);
	program_clear(&t->ifdown);
}

static char **build_argv(const struct program *p, const char *force,
			 const char *interfaces_path, const char *ifname)
{
	const char *args[5];
	size_t n = 0;

	if (force)
		args[n++] = force;
	if (interfaces_path &&
	    !streq(interfaces_path, IFUPDOWN_INTERFACES_PATH)) {
		args[n++] = "-i";
		args[n++] = interfaces_path;
	}
	args[n++] = ifname;
	args[n] = NULL;
	return program_argv(p, args);
}

char **ifupdown_argv_up(const struct ifupdown_tools *t,
			const char *interfaces_path, const char *ifname)
{
	return build_argv(&t->ifup, NULL, interfaces_path, ifname);
}

char **ifupdown_argv_down(const struct ifupdown_tools *t,
			  const char *interfaces_path, const char *ifname)
{
	/* -f: both Debian's ifupdown and busybox's take the short form. */
	return build_argv(&t->ifdown, "-f", interfaces_path, ifname);
}
