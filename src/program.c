/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "program.h"
#include "util.h"

/* Larger than any busybox build; keeps a stray huge file from being mapped. */
#define BUSYBOX_MAX_SIZE (64L * 1024 * 1024)

char *program_default_search_path(void)
{
	const char *path = getenv("PATH");

	if (!path || !*path)
		return xstrdup(PROGRAM_FIXED_DIRS);
	return xasprintf("%s:%s", path, PROGRAM_FIXED_DIRS);
}

static bool is_executable_file(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	return access(path, X_OK) == 0;
}

/*
 * busybox keeps its applet names in one string of NUL-separated names
 * (applet_names[] in its generated applet_tables.h), sorted, so every name
 * but the first ("[") appears as "\0name\0".  Scanning the binary for it
 * answers "was this applet built in" without running busybox, which the
 * daemon must not do synchronously.
 */
bool program_busybox_has_applet(const char *path, const char *applet)
{
	struct stat st;
	size_t needle_len = strlen(applet) + 2;
	char *needle;
	void *map;
	bool found = false;
	int fd;

	if (!*applet || strchr(applet, '/'))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size > BUSYBOX_MAX_SIZE)
		goto out_close;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		goto out_close;
	needle = xmalloc(needle_len);
	needle[0] = '\0';
	memcpy(needle + 1, applet, needle_len - 2);
	needle[needle_len - 1] = '\0';
	found = memmem(map, (size_t)st.st_size, needle, needle_len) != NULL;
	free(needle);
	munmap(map, (size_t)st.st_size);
out_close:
	close(fd);
	return found;
}

/* Calls fn for each non-empty directory of search_path until it returns true. */
static bool search_dirs(const char *search_path,
			bool (*fn)(const char *dir, const char *name,
				   struct program *out),
			const char *name, struct program *out)
{
	char *copy = xstrdup(search_path);
	char *save = NULL;
	bool found = false;

	for (char *dir = strtok_r(copy, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		/* A relative PATH entry would make the result depend on cwd. */
		if (dir[0] != '/')
			continue;
		if (fn(dir, name, out)) {
			found = true;
			break;
		}
	}
	free(copy);
	return found;
}

static bool try_plain(const char *dir, const char *name, struct program *out)
{
	char *path = xasprintf("%s/%s", dir, name);

	if (is_executable_file(path)) {
		out->path = path;
		out->applet = NULL;
		return true;
	}
	free(path);
	return false;
}

static bool try_busybox(const char *dir, const char *name, struct program *out)
{
	char *path = xasprintf("%s/busybox", dir);

	if (is_executable_file(path) &&
	    program_busybox_has_applet(path, name)) {
		out->path = path;
		out->applet = xstrdup(name);
		return true;
	}
	free(path);
	return false;
}

int program_find(const char *name, const char *search_path, struct program *out)
{
	out->path = NULL;
	out->applet = NULL;
	if (!*name || strchr(name, '/'))
		return -EINVAL;
	if (search_dirs(search_path, try_plain, name, out))
		return 0;
	if (search_dirs(search_path, try_busybox, name, out))
		return 0;
	return -ENOENT;
}

void program_clear(struct program *p)
{
	free(p->path);
	free(p->applet);
	p->path = NULL;
	p->applet = NULL;
}

char **program_argv(const struct program *p, const char *const *args)
{
	size_t n_args = 0, i = 0;
	char **argv;

	while (args && args[n_args])
		n_args++;
	argv = xcalloc(n_args + 3, sizeof(*argv));
	argv[i++] = xstrdup(p->path);
	if (p->applet)
		argv[i++] = xstrdup(p->applet);
	for (size_t k = 0; k < n_args; k++)
		argv[i++] = xstrdup(args[k]);
	argv[i] = NULL;
	return argv;
}

void program_argv_free(char **argv)
{
	if (!argv)
		return;
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char *program_argv_join(char *const *argv)
{
	size_t len = 1;
	char *s, *p;

	for (size_t i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	s = xmalloc(len);
	p = s;
	for (size_t i = 0; argv[i]; i++) {
		size_t l = strlen(argv[i]);

		if (i)
			*p++ = ' ';
		memcpy(p, argv[i], l);
		p += l;
	}
	*p = '\0';
	return s;
}
