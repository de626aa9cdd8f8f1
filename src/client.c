/* SPDX-License-Identifier: MIT */
/*
 * The client verbs (status list switch reload up down msd link-event): the
 * verb's argv goes to the daemon as one request, the daemon's answer is
 * printed as it comes (stdout on success, stderr otherwise) and its status
 * word becomes the exit status.  Usage errors are caught here first, with
 * the same grammar the daemon applies, so that they exit 2 even without a
 * daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "control.h"
#include "profile_catalog.h"
#include "util.h"

static const struct {
	const char *verb;
	const char *usage;
	const char *help;
} client_verbs[] = {
	{ "status", "status [--json]",
	  "The active profile, state, UDC and its kernel state, functions\n"
	  "with their network interface and link, mass-storage LUNs and the\n"
	  "last error.  --json: one JSON object on one line.\n" },
	{ "list", "list [--json]",
	  "The profiles in the profile directories; '*' marks the active one,\n"
	  "invalid ones carry their first error.\n" },
	{ "switch", "switch PROFILE",
	  "Switch the gadget to PROFILE: a name from profile_dirs, or (root\n"
	  "only) a path, anything with a '/'.  Returns once the new gadget is\n"
	  "bound, or waits for a UDC; an invalid profile changes nothing, and\n"
	  "when the kernel refuses the new one the previous profile is bound\n"
	  "again.  Exit 1 on failure.\n" },
	{ "reload", "reload",
	  "Re-read gadgetd.conf and the active profile (as SIGHUP); a changed\n"
	  "profile is applied again.\n" },
	{ "up", "up", "Bind the gadget to the UDC again after `down`.\n" },
	{ "replug", "replug",
	  "Disconnect the gadget from the host and connect it again, as a\n"
	  "cable pull would, so that the host enumerates it anew: through the\n"
	  "UDC's soft_connect, or by unbinding and binding where the UDC has\n"
	  "none.  The gadget and its profile stay.\n" },
	{ "down", "down",
	  "Unbind the gadget from the UDC; the profile stays loaded.\n" },
	{ "msd",
	  "msd insert [FUNCTION:]LUN FILE [--ro|--rw] [--cdrom|--disk] | "
	  "msd eject [FUNCTION:]LUN",
	  "Put FILE (an image or a block device) into LUN of a mass_storage\n"
	  "function (FUNCTION: mass_storage.NAME or NAME; default the\n"
	  "profile's first), read-only with --ro, as a cdrom with --cdrom or a\n"
	  "disk with --disk (default: the LUN's type stays), or eject the\n"
	  "medium.  A change of type or access takes the old medium out\n"
	  "first, and when the host can only see it by enumerating again\n"
	  "(a new type; a fixed disk's protection) the gadget is replugged.\n"
	  "eject forces the medium out even while the host holds it\n"
	  "(forced_eject); insert is refused while the host holds the old\n"
	  "one.  FILE is opened here, by you, and passed to the daemon: it\n"
	  "must be a file you may read and write, or only read (then, as\n"
	  "with --ro, the host gets it read-only; --rw refuses that).\n" },
	{ "link-event", "link-event up|down IFACE",
	  "Report that a network interface went up or down (ifupdown hooks).\n" },
};

/*
 * The daemon works in "/": a relative FILE of `msd insert`, or a PROFILE
 * path of `switch`, becomes absolute here, in argv; *owned is the new
 * string.
 */
static int client_absolute_arg(int argc, char **argv,
			       const struct control_request *req, char **owned)
{
	const char *arg = NULL;

	if (req->verb == CONTROL_MSD_INSERT)
		arg = req->file;
	else if (req->verb == CONTROL_SWITCH &&
		 profile_catalog_is_path(req->profile))
		arg = req->profile;
	if (!arg || arg[0] == '/')
		return 0;
	for (int i = 0; i < argc; i++) {
		int r;

		if (argv[i] != arg)
			continue;
		r = path_absolute(arg, owned);
		if (r < 0)
			return r;
		argv[i] = *owned;
		return 0;
	}
	return 0;
}

/*
 * `msd insert` passes the medium it opened itself (SCM_RIGHTS), so that
 * the daemon exposes exactly the file this user can open, with the access
 * this user has, and no rename or link after the check can swap it.  A
 * file the user may only read goes in read-only.  O_NONBLOCK: a FIFO must
 * not hang the client either (the daemon refuses anything but a regular
 * file or a block device).
 */
static int client_open_medium(const struct control_request *req)
{
	const int flags = O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	/* A cdrom is read-only: the kernel would not write it. */
	bool read_only = req->ro || req->cdrom;
	int fd = open(req->file, flags | (read_only ? O_RDONLY : O_RDWR));

	/* Read-write if the user may, else read-only (the host gets it so);
	 * --rw wants read-write or nothing. */
	if (fd < 0 && !read_only && !req->rw &&
	    (errno == EACCES || errno == EPERM || errno == EROFS))
		fd = open(req->file, flags | O_RDONLY);
	return fd < 0 ? -errno : fd;
}

static int client_usage(const char *verb, FILE *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(client_verbs); i++) {
		if (!streq(client_verbs[i].verb, verb))
			continue;
		fprintf(out, "usage: gadgetd [GLOBAL OPTIONS] %s\n\n%s",
			client_verbs[i].usage, client_verbs[i].help);
		return 0;
	}
	return -ENOENT;
}

static bool client_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		/* A file or profile name after the verb is not an option. */
		if (streq(argv[i], "--help") || streq(argv[i], "-h"))
			return true;
	}
	return false;
}

/* The socket: -s, else gadgetd.conf's, else the default. */
static char *client_socket_path(const struct cli_options *opts)
{
	struct gadgetd_config cfg;
	struct diag_list diags;
	char *path;

	if (opts->socket_path)
		return xstrdup(opts->socket_path);
	config_init_defaults(&cfg);
	diag_init(&diags);
	/* A broken config should not keep `status` from reaching the
	 * daemon: fall back to what was read, or the default. */
	(void)config_load(opts->config_path ? opts->config_path
					    : CONFIG_DEFAULT_PATH,
			  false, &cfg, &diags);
	diag_clear(&diags);
	path = xstrdup(cfg.socket ? cfg.socket : CONFIG_DEFAULT_SOCKET);
	config_free(&cfg);
	return path;
}

int cli_client(const struct cli_options *opts, int argc, char **argv)
{
	struct control_request req;
	enum control_status status;
	char err[256], *body = NULL, *path, *file = NULL;
	int fd, r, code, medium = -1;

	if (client_wants_help(argc, argv)) {
		client_usage(argv[0], stdout);
		return EXIT_OK;
	}
	if (control_request_parse(argc, argv, &req, err, sizeof(err)) < 0) {
		fprintf(stderr, "gadgetd: %s\n", err);
		client_usage(argv[0], stderr);
		return EXIT_USAGE;
	}
	r = client_absolute_arg(argc, argv, &req, &file);
	if (r < 0) {
		fprintf(stderr,
			"gadgetd: %s: cannot get the current directory: %s\n",
			req.verb == CONTROL_SWITCH ? req.profile : req.file,
			strerror(-r));
		return EXIT_FAILED;
	}
	if (req.verb == CONTROL_MSD_INSERT) {
		medium = client_open_medium(&req);
		if (medium < 0) {
			/* The daemon's own wording for a file it could not
			 * take, which this check used to be. */
			fprintf(stderr, "msd insert: %s: %s\n",
				file ? file : req.file, strerror(-medium));
			free(file);
			return EXIT_FAILED;
		}
	}
	path = client_socket_path(opts);
	fd = control_connect(path);
	if (fd < 0) {
		fprintf(stderr, "gadgetd: cannot reach the daemon at %s: %s\n",
			path, strerror(-fd));
		free(path);
		free(file);
		if (medium >= 0)
			close(medium);
		return EXIT_UNREACHABLE;
	}
	r = control_transact(fd, argc, argv, medium, CONTROL_CLIENT_TIMEOUT_MS,
			     &status, &body);
	close(fd);
	if (medium >= 0)
		close(medium);
	if (r == -EMSGSIZE || r == -EINVAL) {
		fprintf(stderr, "gadgetd: %s: request too large or not text\n",
			argv[0]);
		free(path);
		free(file);
		return EXIT_USAGE;
	}
	if (r < 0) {
		fprintf(stderr,
			"gadgetd: no answer from the daemon at %s: %s\n", path,
			strerror(-r));
		free(path);
		free(file);
		return EXIT_UNREACHABLE;
	}
	free(path);
	code = control_status_exit_code(status);
	if (status == CONTROL_OK) {
		fputs(body, stdout);
	} else if (*body) {
		/* The daemon's lines are complete messages (FILE:LINE lines of
		 * an invalid profile, or what the kernel refused and where). */
		fputs(body, stderr);
		if (body[strlen(body) - 1] != '\n')
			fputc('\n', stderr);
	}
	free(body);
	free(file);
	return code;
}
