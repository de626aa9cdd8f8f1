/* SPDX-License-Identifier: MIT */
/*
 * `gadgetd daemon`: its options, the paths it keeps, the pid file and its
 * lock, --background and its readiness pipe; then daemon_start() and the
 * event loop until a signal stops it (gadgetd(8), DAEMON).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "daemon_private.h"
#include "log.h"
#include "notify.h"
#include "profile_catalog.h"
#include "util.h"

/*
 * The pid file is locked (flock) for as long as this daemon runs: a second
 * daemon given the same file stops before it touches anything, and only
 * the daemon that holds the lock writes or removes the file (gadgetd(8)).
 * The lock belongs to the open file, so it passes to the --background
 * child with the descriptor.  O_NOFOLLOW: never written through a link.
 */
static int daemon_lock_pidfile(const char *path, int *fd_out)
{
	struct stat st;
	int fd, r;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
		  0644);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		r = errno == EWOULDBLOCK ? -EADDRINUSE : -errno;
		goto fail;
	}
	*fd_out = fd;
	return 0;
fail:
	close(fd);
	return r;
}

/* A reader may see the file empty for an instant, never a wrong pid. */
static int daemon_write_pid(int fd, pid_t pid)
{
	char text[32];
	int n = snprintf(text, sizeof(text), "%d\n", (int)pid);

	if (ftruncate(fd, 0) < 0)
		return -errno;
	if (pwrite(fd, text, (size_t)n, 0) != n)
		return -EIO;
	return 0;
}

static void daemon_usage(FILE *out)
{
	fputs("usage: gadgetd [GLOBAL OPTIONS] daemon [--pidfile FILE] [--background]\n"
	      "                                      [--profile NAME] [--udc NAME]\n"
	      "\n"
	      "Run the daemon: build the gadget from the profile, bind it to the UDC\n"
	      "and keep it bound; serve the client verbs on the control socket.\n"
	      "\n"
	      "  --pidfile FILE   write the daemon's process id to FILE\n"
	      "  --background     fork once the gadget is applied and the socket is ready\n"
	      "  --profile NAME   profile to apply at start (default: profile= of gadgetd.conf)\n"
	      "  --udc NAME       UDC to bind to (default: udc= of gadgetd.conf)\n",
	      out);
}

struct daemon_args {
	const char *pidfile;
	bool background;
	const char *profile;
	const char *udc;
};

static int daemon_parse_args(int argc, char **argv, struct daemon_args *a)
{
	static const struct option options[] = {
		{ "pidfile", required_argument, NULL, 'p' },
		{ "background", no_argument, NULL, 'b' },
		{ "profile", required_argument, NULL, 'P' },
		{ "udc", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'p':
			a->pidfile = optarg;
			break;
		case 'b':
			a->background = true;
			break;
		case 'P':
			a->profile = optarg;
			break;
		case 'u':
			a->udc = optarg;
			break;
		case 'h':
			daemon_usage(stdout);
			return EXIT_OK;
		default:
			daemon_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gadgetd daemon: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	return -1;
}

/*
 * --background: fork at once, and let the parent wait until the child says
 * it is ready (socket listening, first apply done) so that whatever starts
 * gadgetd next finds it answering.  Forking first keeps every child process
 * (hooks) a child of the process that reaps them.  Returns the write end of
 * the readiness pipe in the child; the parent never returns.
 */
static int daemon_background(int pidfile_fd)
{
	int pipefd[2], status;
	char byte;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(pipefd[1]);
		if (read(pipefd[0], &byte, 1) == 1)
			_exit(EXIT_OK);
		/* The child exited before it was ready: pass its status on. */
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
			_exit(WEXITSTATUS(status));
		_exit(EXIT_FAILED);
	}
	close(pipefd[0]);
	setsid();
	if (pidfile_fd >= 0) {
		int r = daemon_write_pid(pidfile_fd, getpid());

		if (r < 0)
			log_warning("pidfile: %s", strerror(-r));
	}
	return pipefd[1];
}

/*
 * --background, once ready: let go of a pipe or socket on stdout and
 * stderr, so that `$(gadgetd daemon --background)` or a boot script reading
 * our output does not wait for the daemon to exit.  Startup errors have
 * been seen by then.  A terminal (the console) or a regular file (the init
 * script's log) is kept: log.c writes to stderr only, there is no syslog.
 */
static void daemon_detach_output(void)
{
	static const int fds[] = { STDOUT_FILENO, STDERR_FILENO };
	struct stat sb;
	int null_fd;

	(void)fflush(stdout);
	(void)fflush(stderr);
	null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null_fd < 0)
		return;
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fstat(fds[i], &sb) == 0 &&
		    (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode)))
			dup2(null_fd, fds[i]);
	close(null_fd);
}

int cli_daemon(const struct cli_options *opts, int argc, char **argv)
{
	struct daemon_args args = { 0 };
	struct daemon d = { .signal_fd = -1, .uevent_fd = -1 };
	struct diag_list diags;
	int r, status = EXIT_FAILED, ready_fd = -1, null_fd, pidfile_fd = -1;
	char *pidfile = NULL, *config_path = NULL, *st;

	r = daemon_parse_args(argc, argv, &args);
	if (r >= 0)
		return r;

	/* Every path the daemon keeps, absolute: it works in "/" (below). */
	r = args.pidfile ? path_absolute(args.pidfile, &pidfile) : 0;
	if (r == 0 && opts->config_path)
		r = path_absolute(opts->config_path, &config_path);
	if (r < 0) {
		log_errno(r, "current directory");
		free(pidfile);
		return EXIT_FAILED;
	}
	config_init_defaults(&d.cfg);
	diag_init(&diags);
	d.config_path = config_path;
	r = config_load(config_path ? config_path : CONFIG_DEFAULT_PATH,
			config_path != NULL, &d.cfg, &diags);
	diag_print(&diags, stderr);
	diag_clear(&diags);
	if (r < 0) {
		config_free(&d.cfg);
		free(pidfile);
		free(config_path);
		return EXIT_FAILED;
	}
	d.udc_option = args.udc;
	if (args.profile && profile_catalog_is_path(args.profile)) {
		r = path_absolute(args.profile, &d.profile_request);
		if (r < 0) {
			log_errno(r, "--profile %s", args.profile);
			goto out;
		}
	} else {
		d.profile_request =
			xstrdup(args.profile ? args.profile : d.cfg.profile);
	}
	d.configfs = xstrdup(opts->configfs ? opts->configfs
					    : CONFIG_DEFAULT_CONFIGFS);
	d.gadgets_dir = xasprintf("%s/usb_gadget", d.configfs);
	d.gadget_dir = xasprintf("%s/%s", d.gadgets_dir, d.cfg.gadget);
	if (opts->socket_path) {
		r = path_absolute(opts->socket_path, &d.socket_path);
		if (r < 0) {
			log_errno(r, "socket %s", opts->socket_path);
			goto out;
		}
	} else {
		d.socket_path = xstrdup(d.cfg.socket);
	}
	/* Nothing resolves against the directory we were started in: a
	 * client's relative path means nothing here. */
	if (chdir("/") < 0) {
		log_errno(-errno, "chdir /");
		goto out;
	}
	if (pidfile) {
		r = daemon_lock_pidfile(pidfile, &pidfile_fd);
		if (r == -EADDRINUSE) {
			log_error("pidfile %s: locked by another gadgetd",
				  pidfile);
			goto out;
		}
		if (r < 0) {
			log_errno(r, "pidfile %s", pidfile);
			goto out;
		}
	}

	if (args.background) {
		ready_fd = daemon_background(pidfile_fd);
		if (ready_fd < 0) {
			log_errno(ready_fd, "--background: fork");
			goto out;
		}
		null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null_fd >= 0) {
			dup2(null_fd, STDIN_FILENO);
			close(null_fd);
		}
	} else if (pidfile_fd >= 0) {
		r = daemon_write_pid(pidfile_fd, getpid());
		if (r < 0)
			log_warning("pidfile %s: %s", pidfile, strerror(-r));
	}
	/* A client that hangs up before reading its answer must not kill
	 * the daemon (send() also says MSG_NOSIGNAL; hooks reset it). */
	(void)signal(SIGPIPE, SIG_IGN);

	if (daemon_start(&d) < 0)
		goto out;
	st = daemon_status_line(&d);
	notify_ready(st);
	free(st);
	if (ready_fd >= 0) {
		if (write(ready_fd, "1", 1) < 0)
			log_warning("--background: %s", strerror(errno));
		close(ready_fd);
		ready_fd = -1;
		daemon_detach_output();
	}

	r = event_loop_run(d.loop);
	status = r < 0 ? EXIT_FAILED : r;
	if (r < 0)
		log_errno(r, "event loop");
out:
	if (ready_fd >= 0)
		close(ready_fd);
	daemon_free(&d);
	/* Ours: we hold its lock.  Removed before the lock goes, so that a
	 * daemon that takes the lock next writes a file of its own. */
	if (pidfile_fd >= 0) {
		unlink(pidfile);
		close(pidfile_fd);
	}
	free(pidfile);
	free(config_path);
	return status;
}
