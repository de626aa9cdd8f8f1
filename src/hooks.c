/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hooks.h"
#include "log.h"
#include "util.h"

extern char **environ;

struct hooks_change {
	char *event;
	char *state;
	char *profile;
	char *udc;
};

struct hooks {
	struct event_loop *loop;
	char *dir;
	unsigned int timeout_ms;
	/* Ring buffer of changes waiting for the running one. */
	struct hooks_change queue[HOOKS_QUEUE_MAX];
	size_t head;
	size_t n_queued;
	/* The change being run and its remaining programs. */
	struct hooks_change current;
	bool have_current;
	char **programs;
	size_t next_program;
	pid_t pid; /* 0: no hook running */
	char *running; /* path of the running hook, for messages */
	struct event_source *timer;
};

static void hooks_change_clear(struct hooks_change *c)
{
	free(c->event);
	free(c->state);
	free(c->profile);
	free(c->udc);
	memset(c, 0, sizeof(*c));
}

static void hooks_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

struct hooks *hooks_new(struct event_loop *loop, const char *dir,
			unsigned int timeout_ms)
{
	struct hooks *h = xcalloc(1, sizeof(*h));

	h->loop = loop;
	h->timeout_ms = timeout_ms;
	hooks_set_dir(h, dir);
	return h;
}

void hooks_set_dir(struct hooks *h, const char *dir)
{
	free(h->dir);
	h->dir = dir && *dir ? xstrdup(dir) : NULL;
}

void hooks_free(struct hooks *h)
{
	if (!h)
		return;
	/* A hook still running is left to finish on its own: the daemon is
	 * exiting and must not wait for it. */
	event_source_free(h->timer);
	while (h->n_queued) {
		hooks_change_clear(&h->queue[h->head]);
		h->head = (h->head + 1) % HOOKS_QUEUE_MAX;
		h->n_queued--;
	}
	hooks_change_clear(&h->current);
	hooks_strv_free(h->programs);
	free(h->running);
	free(h->dir);
	free(h);
}

static bool hooks_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (name[0] == '.' || len == 0 || name[len - 1] == '~')
		return false;
	/* Left behind by package managers next to a changed conffile. */
	if (strstr(name, ".dpkg-") || strstr(name, ".rpmnew") ||
	    strstr(name, ".rpmsave") || strstr(name, ".rpmorig"))
		return false;
	return true;
}

static int hooks_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Hooks run as root: only files root owns and nobody else may write, in a
 * directory of the same kind, may run (gadgetd.conf(5), hooks_dir).  why says what is wrong.
 */
static bool hooks_trusted(const struct stat *st, const char **why)
{
	if (st->st_uid != 0) {
		*why = "not owned by root";
		return false;
	}
	if (st->st_mode & 022) {
		*why = "writable by group or others";
		return false;
	}
	return true;
}

char **hooks_list(const char *dir)
{
	char **list = xcalloc(1, sizeof(*list));
	struct dirent *e;
	struct stat st;
	const char *why;
	size_t n = 0;
	DIR *d;

	if (!dir || !(d = opendir(dir)))
		return list;
	if (fstat(dirfd(d), &st) < 0)
		why = strerror(errno);
	else if (hooks_trusted(&st, &why))
		why = NULL;
	if (why) {
		log_warning("hooks %s: %s; running none of its hooks", dir,
			    why);
		closedir(d);
		return list;
	}
	while ((e = readdir(d))) {
		char *path;

		if (!hooks_name_ok(e->d_name))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
		    !(st.st_mode & 0111)) {
			free(path);
			continue;
		}
		if (!hooks_trusted(&st, &why)) {
			log_warning("hook %s: %s; skipped", path, why);
			free(path);
			continue;
		}
		list = xreallocarray(list, n + 2, sizeof(*list));
		list[n++] = path;
		list[n] = NULL;
	}
	closedir(d);
	qsort(list, n, sizeof(*list), hooks_compare);
	return list;
}

static char *hooks_env_entry(const char *key, const char *value)
{
	return xasprintf("%s=%s", key, value ? value : "");
}

/* environ without our own keys, then the change's. */
static char **hooks_build_env(const struct hooks_change *c)
{
	static const char *const keys[] = { "GADGETD_EVENT=", "GADGETD_STATE=",
					    "GADGETD_PROFILE=",
					    "GADGETD_UDC=" };
	size_t n = 0, count = 0;
	char **env;

	while (environ && environ[count])
		count++;
	env = xcalloc(count + ARRAY_SIZE(keys) + 1, sizeof(*env));
	for (size_t i = 0; i < count; i++) {
		bool ours = false;

		for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
			if (str_starts_with(environ[i], keys[k]))
				ours = true;
		if (!ours)
			env[n++] = xstrdup(environ[i]);
	}
	env[n++] = hooks_env_entry("GADGETD_EVENT", c->event);
	env[n++] = hooks_env_entry("GADGETD_STATE", c->state);
	env[n++] = hooks_env_entry("GADGETD_PROFILE", c->profile);
	env[n++] = hooks_env_entry("GADGETD_UDC", c->udc);
	env[n] = NULL;
	return env;
}

static void hooks_timeout(struct event_source *source, void *data)
{
	struct hooks *h = data;

	event_source_free(source);
	h->timer = NULL;
	if (h->pid <= 0)
		return;
	log_warning("hook %s: killed after %u ms", h->running, h->timeout_ms);
	/* The hook is the leader of its own group: its children go too. */
	kill(-h->pid, SIGKILL);
}

/* -errno when it could not start; the caller moves on to the next. */
static int hooks_spawn(struct hooks *h, const char *path)
{
	char *argv[] = { (char *)path, h->current.event, NULL };
	char **env = hooks_build_env(&h->current);
	sigset_t none;
	pid_t pid;
	int r;

	sigemptyset(&none);
	pid = fork();
	if (pid < 0) {
		r = -errno;
		hooks_strv_free(env);
		return r;
	}
	if (pid == 0) {
		int null_fd;

		/* The daemon blocks the signals its signalfd reads and ignores
		 * SIGPIPE; a hook starts with the defaults. */
		(void)signal(SIGPIPE, SIG_DFL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		null_fd = open("/dev/null", O_RDONLY);
		if (null_fd >= 0 && null_fd != STDIN_FILENO) {
			dup2(null_fd, STDIN_FILENO);
			close(null_fd);
		}
		execve(path, argv, env);
		_exit(127);
	}
	/* Also here, so that kill(-pid) works even before the child ran. */
	setpgid(pid, pid);
	hooks_strv_free(env);
	h->pid = pid;
	free(h->running);
	h->running = xstrdup(path);
	r = event_loop_add_timer(h->loop, (uint64_t)h->timeout_ms * 1000, false,
				 hooks_timeout, h, &h->timer);
	if (r < 0) {
		h->timer = NULL;
		log_warning("hook %s: no time limit: %s", path, strerror(-r));
	}
	log_debug("hook %s: started (pid %d, event %s, state %s)", path,
		  (int)pid, h->current.event, h->current.state);
	return 0;
}

/* Start the next program of the current change, or the next change. */
static void hooks_next(struct hooks *h)
{
	while (h->pid == 0) {
		const char *path;
		int r;

		if (h->have_current && h->programs &&
		    h->programs[h->next_program]) {
			path = h->programs[h->next_program++];
			r = hooks_spawn(h, path);
			if (r < 0)
				log_warning("hook %s: %s", path, strerror(-r));
			continue;
		}
		hooks_change_clear(&h->current);
		h->have_current = false;
		hooks_strv_free(h->programs);
		h->programs = NULL;
		if (h->n_queued == 0)
			return;
		h->current = h->queue[h->head];
		memset(&h->queue[h->head], 0, sizeof(h->queue[h->head]));
		h->head = (h->head + 1) % HOOKS_QUEUE_MAX;
		h->n_queued--;
		h->have_current = true;
		/* Read the directory per change: hooks added while the
		 * daemon runs take part from the next change on. */
		h->programs = hooks_list(h->dir);
		h->next_program = 0;
	}
}

void hooks_run(struct hooks *h, const char *event, const char *state,
	       const char *profile, const char *udc)
{
	struct hooks_change *c;

	if (!h->dir)
		return;
	if (h->n_queued == HOOKS_QUEUE_MAX) {
		log_warning("hooks: %zu state changes queued behind hook %s; "
			    "dropping the oldest (%s)",
			    h->n_queued, h->running ? h->running : "(none)",
			    h->queue[h->head].state);
		hooks_change_clear(&h->queue[h->head]);
		h->head = (h->head + 1) % HOOKS_QUEUE_MAX;
		h->n_queued--;
	}
	c = &h->queue[(h->head + h->n_queued) % HOOKS_QUEUE_MAX];
	c->event = xstrdup(event ? event : "");
	c->state = xstrdup(state ? state : "");
	c->profile = xstrdup(profile ? profile : "");
	c->udc = xstrdup(udc ? udc : "");
	h->n_queued++;
	hooks_next(h);
}

bool hooks_child_exited(struct hooks *h, pid_t pid, int status)
{
	if (h->pid <= 0 || pid != h->pid)
		return false;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		log_warning("hook %s: exited with status %d", h->running,
			    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_warning("hook %s: killed by signal %d", h->running,
			    WTERMSIG(status));
	event_source_free(h->timer);
	h->timer = NULL;
	h->pid = 0;
	hooks_next(h);
	return true;
}

bool hooks_busy(const struct hooks *h)
{
	return h->pid > 0 || h->n_queued > 0;
}
