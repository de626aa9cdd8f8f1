/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child_output.h"
#include "log.h"
#include "supervisor.h"
#include "util.h"

struct supervisor_program {
	struct supervisor *owner;
	char *function;
	char **argv;
	bool restart;
	bool before_bind; /* FunctionFS */
	/* uvc: the nth of the profile's (for GADGETD_VIDEO_DEVICE); -1:
	 * not uvc. */
	int video_index;
	enum supervisor_state state;
	pid_t pid;
	unsigned int restarts;
	unsigned int quick_exits;
	uint64_t started_ms;
	uint64_t restart_at_ms;
	uint64_t restart_delay_ms;
	bool exited;
	int exit_status;
	struct event_source *timer;
	struct child_output *output;
};

struct supervisor {
	struct event_loop *loop;
	supervisor_restarted_fn restarted;
	void *data;
	struct supervisor_program *programs;
	size_t n_programs;
	char *udc; /* the UDC of the last bind, for the programs' env */
};

static uint64_t supervisor_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t supervisor_backoff(unsigned int *quick_exits, uint64_t ran_ms)
{
	uint64_t delay = SUPERVISOR_RESTART_MIN_MS;

	if (ran_ms >= SUPERVISOR_STABLE_MS)
		*quick_exits = 0;
	if (*quick_exits < UINT_MAX)
		(*quick_exits)++;
	for (unsigned int i = 1; i < *quick_exits; i++) {
		delay *= 2;
		if (delay >= SUPERVISOR_RESTART_MAX_MS)
			return SUPERVISOR_RESTART_MAX_MS;
	}
	return delay;
}

/* Only root may change it: owned by root, writable by nobody else. */
static char *supervisor_check_owner(const char *path, const struct stat *st)
{
	if (st->st_uid != 0)
		return xasprintf("%s is owned by uid %u, not root", path,
				 (unsigned int)st->st_uid);
	/* A sticky directory (/tmp) lets no one else rename root's files. */
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
		return xasprintf("%s is writable by %s", path,
				 st->st_mode & S_IWOTH ? "others"
						       : "its group");
	return NULL;
}

char *supervisor_refusal(const char *path)
{
	char *real = realpath(path, NULL), *why = NULL, *slash;
	struct stat st;

	if (!real)
		return xasprintf("%s: %s", path, strerror(errno));
	if (stat(real, &st) < 0) {
		why = xasprintf("%s: %s", real, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		why = xasprintf("%s is not a regular file", real);
		goto out;
	}
	if (!(st.st_mode & S_IXUSR)) {
		why = xasprintf("%s is not executable", real);
		goto out;
	}
	why = supervisor_check_owner(real, &st);
	/* Whoever may write a directory on the way may swap the file. */
	while (!why && (slash = strrchr(real, '/'))) {
		slash[slash == real ? 1 : 0] = '\0';
		if (stat(real, &st) < 0)
			why = xasprintf("%s: %s", real, strerror(errno));
		else
			why = supervisor_check_owner(real, &st);
		if (streq(real, "/"))
			break;
	}
out:
	free(real);
	return why;
}

const char *supervisor_state_name(enum supervisor_state state)
{
	switch (state) {
	case SUPERVISOR_RUNNING:
		return "running";
	case SUPERVISOR_WAITING:
		return "waiting to restart";
	case SUPERVISOR_STOPPED:
		return "stopped";
	case SUPERVISOR_REFUSED:
		return "refused";
	case SUPERVISOR_IDLE:
		break;
	}
	return "not started";
}

/* ---- output ---- */

static void supervisor_output_closed(void *data, struct child_output *o)
{
	struct supervisor_program *prog = data;

	(void)o;
	prog->output = NULL;
}

/* ---- children ---- */

/* Every descriptor above stderr: the control socket, the uevent socket,
 * epoll and the others' pipes are the daemon's alone. */
static void supervisor_close_fds(void)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	for (long fd = 3, max = sysconf(_SC_OPEN_MAX); fd < max && fd < 65536;
	     fd++)
		close((int)fd);
}

static void supervisor_exec(struct supervisor_program *prog, int out_fd,
			    const char *video)
{
	int null_fd = open("/dev/null", O_RDONLY);
	struct supervisor *s = prog->owner;
	sigset_t none;

	/* The daemon blocks the signals its signalfd reads and ignores
	 * SIGPIPE; a program starts with the defaults. */
	sigemptyset(&none);
	(void)signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
	    dup2(out_fd, STDOUT_FILENO) < 0 || dup2(out_fd, STDERR_FILENO) < 0)
		_exit(127);
	supervisor_close_fds();
	/* What the program serves, without a lookup of its own (the
	 * child is the daemon's copy: setenv touches no one else). */
	if (setenv("GADGETD_FUNCTION", prog->function, 1) < 0 ||
	    (s->udc && setenv("GADGETD_UDC", s->udc, 1) < 0) ||
	    (video && setenv("GADGETD_VIDEO_DEVICE", video, 1) < 0))
		_exit(127);
	execv(prog->argv[0], prog->argv);
	_exit(127);
}

static int supervisor_video_compare(const void *a, const void *b)
{
	const unsigned int *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

char *supervisor_video_device(const char *sysfs_root, const char *udc,
			      unsigned int nth)
{
	char *dir = xasprintf("%s/class/video4linux", sysfs_root);
	char *needle = xasprintf("/%s/", udc);
	unsigned int numbers[64];
	size_t n = 0;
	struct dirent *e;
	char *found = NULL;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d)) && n < ARRAY_SIZE(numbers)) {
		char *link, real[PATH_MAX];
		unsigned int number;
		char end;

		if (sscanf(e->d_name, "video%u%c", &number, &end) != 1)
			continue;
		link = xasprintf("%s/%s/device", dir, e->d_name);
		if (realpath(link, real) && strstr(real, needle))
			numbers[n++] = number;
		free(link);
	}
	if (d)
		closedir(d);
	/* f_uvc registers a node at each of its binds, the functions in
	 * the configuration's order: the nth is the nth by number. */
	qsort(numbers, n, sizeof(numbers[0]), supervisor_video_compare);
	if (nth < n)
		found = xasprintf("/dev/video%u", numbers[nth]);
	free(needle);
	free(dir);
	return found;
}

static void supervisor_spawn(struct supervisor_program *prog)
{
	struct supervisor *s = prog->owner;
	char *why = supervisor_refusal(prog->argv[0]);
	char *video = NULL;
	int pipefd[2];
	pid_t pid;

	if (why) {
		log_error("%s: program refused: %s", prog->function, why);
		free(why);
		prog->state = SUPERVISOR_REFUSED;
		return;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		log_errno(-errno, "%s: program %s: pipe", prog->function,
			  prog->argv[0]);
		prog->state = SUPERVISOR_REFUSED;
		return;
	}
	if (prog->video_index >= 0 && s->udc) {
		video = supervisor_video_device(
			"/sys", s->udc, (unsigned int)prog->video_index);
		if (!video)
			log_warning(
				"%s: no video node under UDC %s for its program",
				prog->function, s->udc);
	}
	pid = fork();
	if (pid < 0) {
		log_errno(-errno, "%s: program %s: fork", prog->function,
			  prog->argv[0]);
		free(video);
		close(pipefd[0]);
		close(pipefd[1]);
		prog->state = SUPERVISOR_REFUSED;
		return;
	}
	if (pid == 0)
		supervisor_exec(prog, pipefd[1], video);
	free(video);
	/* Also here, so that kill(-pid) reaches it even before it ran. */
	setpgid(pid, pid);
	close(pipefd[1]);
	child_output_free(prog->output);
	prog->output = child_output_new(s->loop, pipefd[0], prog->function,
					supervisor_output_closed, prog);
	prog->pid = pid;
	prog->state = SUPERVISOR_RUNNING;
	prog->started_ms = supervisor_now_ms();
	log_info("%s: program %s started (pid %d)", prog->function,
		 prog->argv[0], (int)pid);
}

static void supervisor_due(struct event_source *source, void *data)
{
	struct supervisor_program *prog = data;
	struct supervisor *s = prog->owner;

	(void)source;
	event_source_free(prog->timer);
	prog->timer = NULL;
	if (prog->state != SUPERVISOR_WAITING)
		return;
	prog->restarts++;
	supervisor_spawn(prog);
	if (prog->state == SUPERVISOR_RUNNING && s->restarted)
		s->restarted(s->data, prog->function);
}

/* SIGTERM to its group, a bounded wait for the exit (a pidfd, so that
 * other children's SIGCHLD stay for the daemon's signalfd), SIGKILL. */
static void supervisor_terminate(struct supervisor_program *prog)
{
	pid_t pid = prog->pid;
	int status, pidfd;

	kill(-pid, SIGTERM);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };

		if (poll(&p, 1, SUPERVISOR_STOP_WAIT_MS) <= 0) {
			log_warning(
				"%s: program %s still running %d ms after SIGTERM; killing it",
				prog->function, prog->argv[0],
				SUPERVISOR_STOP_WAIT_MS);
			kill(-pid, SIGKILL);
		}
		close(pidfd);
	} else {
		/* No pidfd (before Linux 5.3): no bounded wait either. */
		kill(-pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* What remains of its group goes with it. */
	kill(-pid, SIGKILL);
	log_info("%s: program %s stopped", prog->function, prog->argv[0]);
}

static void supervisor_program_stop(struct supervisor_program *prog)
{
	event_source_free(prog->timer);
	prog->timer = NULL;
	if (prog->pid > 0)
		supervisor_terminate(prog);
	prog->pid = 0;
	child_output_drain(prog->output);
	child_output_free(prog->output);
	prog->output = NULL;
}

/* ---- the object ---- */

struct supervisor *supervisor_new(struct event_loop *loop,
				  supervisor_restarted_fn restarted, void *data)
{
	struct supervisor *s = xcalloc(1, sizeof(*s));

	s->loop = loop;
	s->restarted = restarted;
	s->data = data;
	return s;
}

static void supervisor_clear(struct supervisor *s)
{
	for (size_t i = 0; i < s->n_programs; i++) {
		struct supervisor_program *prog = &s->programs[i];

		supervisor_program_stop(prog);
		free(prog->function);
		for (size_t k = 0; prog->argv[k]; k++)
			free(prog->argv[k]);
		free(prog->argv);
	}
	free(s->programs);
	s->programs = NULL;
	s->n_programs = 0;
}

void supervisor_free(struct supervisor *s)
{
	if (!s)
		return;
	supervisor_clear(s);
	free(s->udc);
	free(s);
}

static void supervisor_add(struct supervisor *s,
			   const struct profile_function *f, bool before_bind,
			   int video_index)
{
	struct supervisor_program *prog;
	size_t n = 0;

	s->programs = xreallocarray(s->programs, s->n_programs + 1,
				    sizeof(*s->programs));
	prog = &s->programs[s->n_programs++];
	*prog = (struct supervisor_program){ 0 };
	prog->owner = s;
	prog->function = xstrdup(f->name);
	while (f->program.argv[n])
		n++;
	prog->argv = xcalloc(n + 1, sizeof(*prog->argv));
	for (size_t k = 0; k < n; k++)
		prog->argv[k] = xstrdup(f->program.argv[k]);
	prog->restart =
		f->program.restart.line ? f->program.restart.value : true;
	prog->before_bind = before_bind;
	prog->video_index = video_index;
}

void supervisor_set(struct supervisor *s, const struct plan *plan)
{
	const struct profile *p = plan ? plan->profile : NULL;

	/* The daemon drops its profile after it freed the supervisor. */
	if (!s)
		return;
	supervisor_clear(s);
	/* Not bound yet: a FunctionFS program starts before the bind. */
	free(s->udc);
	s->udc = NULL;
	/* The plan's wait for descriptors is what these are started for. */
	for (size_t i = 0; plan && i < plan->n_ops; i++) {
		struct plan_ffs_wait wait;

		if (plan_ffs_wait(plan, &plan->ops[i], &wait) < 0)
			continue;
		if (wait.program)
			supervisor_add(s, plan->ops[i].function, true, -1);
		plan_ffs_wait_clear(&wait);
	}
	for (size_t i = 0, n_uvc = 0; p && i < p->n_functions; i++) {
		const struct profile_function *f = &p->functions[i];
		int video_index = -1;

		if (!f->used)
			continue;
		if (f->type == FUNCTION_UVC)
			video_index = (int)n_uvc++;
		if (f->program.argv && f->type != FUNCTION_FFS)
			supervisor_add(s, f, false, video_index);
	}
	/* The timers and outputs point at the programs: none yet. */
}

void supervisor_start(struct supervisor *s, bool before_bind, const char *udc)
{
	if (udc) {
		free(s->udc);
		s->udc = xstrdup(udc);
	}
	for (size_t i = 0; i < s->n_programs; i++) {
		struct supervisor_program *prog = &s->programs[i];

		if (prog->before_bind == before_bind &&
		    prog->state == SUPERVISOR_IDLE)
			supervisor_spawn(prog);
	}
}

void supervisor_stop(struct supervisor *s)
{
	for (size_t i = 0; i < s->n_programs; i++) {
		supervisor_program_stop(&s->programs[i]);
		s->programs[i].state = SUPERVISOR_IDLE;
	}
}

static char *supervisor_exit_text(int status)
{
	if (WIFEXITED(status))
		return xasprintf("exited with status %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return xasprintf("killed by signal %d (%s)", WTERMSIG(status),
				 strsignal(WTERMSIG(status)));
	return xasprintf("ended (status 0x%x)", (unsigned int)status);
}

bool supervisor_child_exited(struct supervisor *s, pid_t pid, int status)
{
	struct supervisor_program *prog = NULL;
	uint64_t now = supervisor_now_ms(), delay;
	char *text;
	int r;

	for (size_t i = 0; i < s->n_programs && !prog; i++)
		if (s->programs[i].pid == pid)
			prog = &s->programs[i];
	if (!prog)
		return false;
	prog->pid = 0;
	prog->exited = true;
	prog->exit_status = status;
	/* What it wrote last belongs before the news of its exit. */
	child_output_drain(prog->output);
	text = supervisor_exit_text(status);
	if (!prog->restart) {
		prog->state = SUPERVISOR_STOPPED;
		log_warning(
			"%s: program %s %s; not restarted (program_restart = no)",
			prog->function, prog->argv[0], text);
		free(text);
		return true;
	}
	delay = supervisor_backoff(&prog->quick_exits, now - prog->started_ms);
	prog->state = SUPERVISOR_WAITING;
	prog->restart_at_ms = now + delay;
	prog->restart_delay_ms = delay;
	log_warning("%s: program %s %s; restarting in %llu ms", prog->function,
		    prog->argv[0], text, (unsigned long long)delay);
	free(text);
	r = event_loop_add_timer(s->loop, delay * 1000, false, supervisor_due,
				 prog, &prog->timer);
	if (r < 0) {
		prog->timer = NULL;
		prog->state = SUPERVISOR_STOPPED;
		log_errno(r, "%s: program %s: no restart timer", prog->function,
			  prog->argv[0]);
	}
	return true;
}

bool supervisor_info(const struct supervisor *s, size_t i,
		     struct supervisor_info *out)
{
	const struct supervisor_program *prog;

	if (i >= s->n_programs)
		return false;
	prog = &s->programs[i];
	*out = (struct supervisor_info){
		.function = prog->function,
		.path = prog->argv[0],
		.pid = prog->pid,
		.state = prog->state,
		.restarts = prog->restarts,
		.exited = prog->exited,
		.next_restart_ms = -1,
		.restart_delay_ms = prog->restart_delay_ms
					    ? (int64_t)prog->restart_delay_ms
					    : -1,
	};
	if (prog->exited && WIFEXITED(prog->exit_status))
		out->exit_code = WEXITSTATUS(prog->exit_status);
	else if (prog->exited && WIFSIGNALED(prog->exit_status))
		out->exit_signal = WTERMSIG(prog->exit_status);
	if (prog->state == SUPERVISOR_WAITING) {
		uint64_t now = supervisor_now_ms();

		out->next_restart_ms =
			prog->restart_at_ms > now
				? (int64_t)(prog->restart_at_ms - now)
				: 0;
	}
	return true;
}
