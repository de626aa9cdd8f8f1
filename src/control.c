/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "control.h"
#include "log.h"
#include "util.h"

static const char *const control_verb_names[] = {
	[CONTROL_STATUS] = "status",
	[CONTROL_LIST] = "list",
	[CONTROL_SWITCH] = "switch",
	[CONTROL_RELOAD] = "reload",
	[CONTROL_UP] = "up",
	[CONTROL_DOWN] = "down",
	[CONTROL_REPLUG] = "replug",
	[CONTROL_MSD_INSERT] = "msd insert",
	[CONTROL_MSD_EJECT] = "msd eject",
	[CONTROL_LINK_EVENT] = "link-event",
};

static const char *const control_status_words[] = {
	[CONTROL_OK] = "ok",
	[CONTROL_FAILED] = "failed",
	[CONTROL_USAGE] = "usage",
	[CONTROL_DENIED] = "denied",
	[CONTROL_UNSUPPORTED] = "unsupported",
};

const char *control_verb_name(enum control_verb verb)
{
	return control_verb_names[verb];
}

bool control_verb_changes(enum control_verb verb)
{
	return verb != CONTROL_STATUS && verb != CONTROL_LIST;
}

const char *control_status_word(enum control_status status)
{
	return control_status_words[status];
}

int control_status_exit_code(enum control_status status)
{
	switch (status) {
	case CONTROL_OK:
		return EXIT_OK;
	case CONTROL_USAGE:
		return EXIT_USAGE;
	default:
		return EXIT_FAILED;
	}
}

/* ---- the verb grammar ---- */

static int control_usage(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int control_usage(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int control_parse_lun(const char *s, int *lun)
{
	char *end;
	long v;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 255)
		return -EINVAL;
	*lun = (int)v;
	return 0;
}

/* status/list: only --json. */
static int control_parse_json_flag(int argc, char *const *argv,
				   struct control_request *req, char *err,
				   size_t size)
{
	for (int i = 1; i < argc; i++) {
		if (streq(argv[i], "--json"))
			req->json = true;
		else
			return control_usage(err, size,
					     "%s: unexpected argument '%s'",
					     argv[0], argv[i]);
	}
	return 0;
}

/* --ro --rw --cdrom --disk: the first of a pair that was given. */
static const char *control_msd_option(struct control_request *req,
				      const char *arg)
{
	static const struct {
		const char *name;
		size_t offset;
	} options[] = {
		{ "--ro", offsetof(struct control_request, ro) },
		{ "--rw", offsetof(struct control_request, rw) },
		{ "--cdrom", offsetof(struct control_request, cdrom) },
		{ "--disk", offsetof(struct control_request, disk) },
	};

	for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
		if (streq(arg, options[i].name)) {
			*(bool *)((char *)req + options[i].offset) = true;
			return options[i].name;
		}
	}
	return NULL;
}

/* [FUNCTION:]LUN: the function is everything before the last ':'. */
static int control_parse_msd_target(const char *arg,
				    struct control_request *req)
{
	const char *colon = strrchr(arg, ':');

	req->function = NULL;
	if (colon) {
		if (colon == arg)
			return -EINVAL;
		req->function = arg;
		arg = colon + 1;
	}
	return control_parse_lun(arg, &req->lun);
}

static int control_parse_msd(int argc, char *const *argv,
			     struct control_request *req, char *err,
			     size_t size)
{
	char *const *pos[3];
	int n_pos = 0;

	if (argc < 2)
		return control_usage(
			err, size,
			"msd: expected 'insert [FUNCTION:]LUN FILE [--ro|--rw] "
			"[--cdrom|--disk]' or 'eject [FUNCTION:]LUN'");
	for (int i = 2; i < argc; i++) {
		if (streq(argv[1], "insert") &&
		    control_msd_option(req, argv[i]))
			continue;
		if (argv[i][0] == '-' && argv[i][1] == '-')
			return control_usage(err, size,
					     "msd %s: unknown option '%s'",
					     argv[1], argv[i]);
		if (n_pos == 2)
			return control_usage(err, size,
					     "msd %s: unexpected argument '%s'",
					     argv[1], argv[i]);
		pos[n_pos++] = &argv[i];
	}
	if (req->ro && req->rw)
		return control_usage(err, size,
				     "msd insert: --ro and --rw together");
	if (req->cdrom && req->disk)
		return control_usage(err, size,
				     "msd insert: --cdrom and --disk together");
	if (req->cdrom && req->rw)
		return control_usage(err, size,
				     "msd insert: a cdrom is read-only (--rw "
				     "with --cdrom)");
	if (streq(argv[1], "insert")) {
		req->verb = CONTROL_MSD_INSERT;
		if (n_pos != 2)
			return control_usage(
				err, size,
				"msd insert: expected [FUNCTION:]LUN FILE");
		req->file = *pos[1];
	} else if (streq(argv[1], "eject")) {
		req->verb = CONTROL_MSD_EJECT;
		if (n_pos != 1)
			return control_usage(
				err, size,
				"msd eject: expected [FUNCTION:]LUN");
	} else {
		return control_usage(
			err, size, "msd: unknown action '%s' (insert or eject)",
			argv[1]);
	}
	if (control_parse_msd_target(*pos[0], req) < 0)
		return control_usage(err, size,
				     "msd %s: '%s' is not [FUNCTION:]LUN with "
				     "LUN a number 0..255",
				     argv[1], *pos[0]);
	return 0;
}

int control_request_parse(int argc, char *const *argv,
			  struct control_request *req, char *err,
			  size_t err_size)
{
	static const struct {
		const char *name;
		enum control_verb verb;
	} simple[] = {
		{ "reload", CONTROL_RELOAD },
		{ "up", CONTROL_UP },
		{ "down", CONTROL_DOWN },
		{ "replug", CONTROL_REPLUG },
	};
	const char *verb;

	memset(req, 0, sizeof(*req));
	if (argc < 1 || !argv[0])
		return control_usage(err, err_size, "empty request");
	verb = argv[0];

	if (streq(verb, "status") || streq(verb, "list")) {
		req->verb =
			streq(verb, "status") ? CONTROL_STATUS : CONTROL_LIST;
		return control_parse_json_flag(argc, argv, req, err, err_size);
	}
	if (streq(verb, "switch")) {
		req->verb = CONTROL_SWITCH;
		if (argc != 2 || !argv[1][0])
			return control_usage(err, err_size,
					     "switch: expected one PROFILE");
		req->profile = argv[1];
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(simple); i++) {
		if (!streq(verb, simple[i].name))
			continue;
		req->verb = simple[i].verb;
		if (argc != 1)
			return control_usage(err, err_size,
					     "%s: unexpected argument '%s'",
					     verb, argv[1]);
		return 0;
	}
	if (streq(verb, "msd"))
		return control_parse_msd(argc, argv, req, err, err_size);
	if (streq(verb, "link-event")) {
		req->verb = CONTROL_LINK_EVENT;
		if (argc != 3 ||
		    (!streq(argv[1], "up") && !streq(argv[1], "down")) ||
		    !argv[2][0])
			return control_usage(
				err, err_size,
				"link-event: expected 'up|down IFACE'");
		req->up = streq(argv[1], "up");
		req->iface = argv[2];
		return 0;
	}
	return control_usage(err, err_size, "unknown verb '%.64s'", verb);
}

/* ---- the wire format ---- */

static bool control_string_ok(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

int control_request_encode(int argc, char *const *argv, char *buf, size_t size,
			   size_t *len)
{
	size_t off = 0;

	if (argc < 1)
		return -EINVAL;
	if (argc > CONTROL_MAX_ARGS)
		return -EMSGSIZE;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (!control_string_ok(argv[i], n))
			return -EINVAL;
		if (off + n + 1 > size || off + n + 1 > CONTROL_REQUEST_MAX)
			return -EMSGSIZE;
		memcpy(buf + off, argv[i], n + 1);
		off += n + 1;
	}
	*len = off;
	return 0;
}

int control_request_decode(char *buf, size_t len, char **argv, int *argc,
			   char *err, size_t err_size)
{
	size_t off = 0;
	int n = 0;

	if (len == 0) {
		snprintf(err, err_size, "empty request");
		return -EINVAL;
	}
	if (len > CONTROL_REQUEST_MAX) {
		snprintf(err, err_size, "request of %zu bytes, at most %d", len,
			 CONTROL_REQUEST_MAX);
		return -EMSGSIZE;
	}
	if (buf[len - 1] != '\0') {
		snprintf(err, err_size,
			 "malformed request: not NUL-terminated strings");
		return -EINVAL;
	}
	while (off < len) {
		size_t slen = strlen(buf + off);

		if (n == CONTROL_MAX_ARGS) {
			snprintf(err, err_size,
				 "malformed request: more than %d strings",
				 CONTROL_MAX_ARGS);
			return -EMSGSIZE;
		}
		if (!control_string_ok(buf + off, slen)) {
			snprintf(
				err, err_size,
				"malformed request: string %d is empty or has control characters",
				n + 1);
			return -EINVAL;
		}
		argv[n++] = buf + off;
		off += slen + 1;
	}
	argv[n] = NULL;
	*argc = n;
	return 0;
}

int control_response_parse(const char *buf, size_t len,
			   enum control_status *status, const char **body,
			   size_t *body_len)
{
	const char *nl = memchr(buf, '\n', len);
	size_t word_len;

	if (!nl)
		return -EBADMSG;
	word_len = (size_t)(nl - buf);
	for (size_t i = 0; i < ARRAY_SIZE(control_status_words); i++) {
		if (strlen(control_status_words[i]) == word_len &&
		    memcmp(buf, control_status_words[i], word_len) == 0) {
			*status = (enum control_status)i;
			*body = nl + 1;
			*body_len = len - word_len - 1;
			return 0;
		}
	}
	return -EBADMSG;
}

/* ---- who may change things ---- */

bool control_peer_may_change(uid_t uid, gid_t gid, bool have_group, gid_t group)
{
	struct passwd pw, *pwp = NULL;
	gid_t groups[256];
	int n = (int)ARRAY_SIZE(groups);
	char buf[4096];

	if (uid == 0)
		return true;
	if (!have_group)
		return false;
	if (gid == group)
		return true;
	/* SO_PEERCRED has only the primary group; membership through
	 * supplementary groups comes from the group database. */
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &pwp) != 0 || !pwp)
		return false;
	if (pw.pw_gid == group)
		return true;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == group)
			return true;
	return false;
}

/* ---- the server ---- */

struct control_client {
	struct control_server *server;
	struct control_client *next;
	int fd;
	struct event_source *io;
	struct event_source *deadline;
	struct control_peer peer;
};

struct control_server {
	struct event_loop *loop;
	char *path;
	int fd;
	struct event_source *io;
	bool have_group;
	gid_t group;
	char *group_name;
	unsigned int deadline_ms;
	control_handler_fn fn;
	void *data;
	struct control_client *clients;
	size_t n_clients; /* other users' */
	size_t n_root_clients; /* root's, counted apart */
};

static void control_client_free(struct control_client *c)
{
	struct control_server *s = c->server;
	struct control_client **p;

	for (p = &s->clients; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	if (c->peer.uid == 0)
		s->n_root_clients--;
	else
		s->n_clients--;
	if (c->peer.passed_fd >= 0)
		close(c->peer.passed_fd);
	event_source_free(c->io);
	event_source_free(c->deadline);
	close(c->fd);
	free(c);
}

static void control_client_send(struct control_client *c,
				enum control_status status, const char *body,
				size_t body_len)
{
	const char *word = control_status_word(status);
	size_t word_len = strlen(word);
	char *msg;
	ssize_t n;

	if (word_len + 1 + body_len > CONTROL_RESPONSE_MAX) {
		log_warning("control: response to pid %d too large (%zu bytes)",
			    (int)c->peer.pid, body_len);
		status = CONTROL_FAILED;
		word = control_status_word(status);
		word_len = strlen(word);
		body = "response too large\n";
		body_len = strlen(body);
	}
	msg = xmalloc(word_len + 1 + body_len);
	/* A counted message, not a C string. */
	/* NOLINTNEXTLINE(bugprone-not-null-terminated-result) */
	memcpy(msg, word, word_len);
	msg[word_len] = '\n';
	memcpy(msg + word_len + 1, body, body_len);
	/* One message on a fresh connection always fits the send buffer
	 * unless the peer refuses to take it: then it is dropped, the daemon
	 * never waits for a client. */
	n = send(c->fd, msg, word_len + 1 + body_len,
		 MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		log_debug("control: response to pid %d dropped: %s",
			  (int)c->peer.pid, strerror(errno));
	free(msg);
}

static void control_client_reply_text(struct control_client *c,
				      enum control_status status,
				      const char *text)
{
	char *line = xasprintf("%s\n", text);

	control_client_send(c, status, line, strlen(line));
	free(line);
}

static void control_client_handle(struct control_client *c, char *buf,
				  size_t len)
{
	struct control_server *s = c->server;
	char *argv[CONTROL_MAX_ARGS + 1];
	struct control_request req;
	struct control_reply reply = { .status = CONTROL_OK };
	char err[256], *body = NULL;
	size_t body_len = 0;
	int argc;

	if (control_request_decode(buf, len, argv, &argc, err, sizeof(err)) <
		    0 ||
	    control_request_parse(argc, argv, &req, err, sizeof(err)) < 0) {
		log_debug("control: pid %d uid %u: %s", (int)c->peer.pid,
			  (unsigned int)c->peer.uid, err);
		control_client_reply_text(c, CONTROL_USAGE, err);
		return;
	}
	if (control_verb_changes(req.verb) && !c->peer.may_change) {
		char *msg;

		if (s->have_group)
			msg = xasprintf(
				"permission denied: '%s' needs root or group %s (uid %u)",
				control_verb_name(req.verb), s->group_name,
				(unsigned int)c->peer.uid);
		else
			msg = xasprintf(
				"permission denied: '%s' needs root (uid %u; socket_group is not set)",
				control_verb_name(req.verb),
				(unsigned int)c->peer.uid);
		log_debug("control: pid %d: %s", (int)c->peer.pid, msg);
		control_client_reply_text(c, CONTROL_DENIED, msg);
		free(msg);
		return;
	}
	reply.body = open_memstream(&body, &body_len);
	if (!reply.body) {
		control_client_reply_text(c, CONTROL_FAILED, strerror(errno));
		return;
	}
	s->fn(&req, &c->peer, &reply, s->data);
	/* A memory stream that failed to grow has lost part of the answer. */
	if (fclose(reply.body) != 0) {
		free(body);
		control_client_reply_text(c, CONTROL_FAILED, strerror(errno));
		return;
	}
	control_client_send(c, reply.status, body, body_len);
	free(body);
}

/*
 * One request, and the file it may carry.  Room for one descriptor only:
 * the kernel drops (closes) any more that a client sends (MSG_CTRUNC).
 */
static ssize_t control_client_receive(struct control_client *c, char *buf,
				      size_t size)
{
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.space,
		.msg_controllen = sizeof(control.space),
	};
	struct cmsghdr *cm;
	ssize_t n;

	/* MSG_TRUNC: the real size of a request too large for buf. */
	n = recvmsg(c->fd, &msg, MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return n;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS ||
		    cm->cmsg_len < CMSG_LEN(sizeof(int)))
			continue;
		memcpy(&c->peer.passed_fd, CMSG_DATA(cm), sizeof(int));
	}
	return n;
}

static void control_client_readable(struct event_source *source, int fd,
				    uint32_t events, void *data)
{
	struct control_client *c = data;
	char buf[CONTROL_REQUEST_MAX + 1];
	ssize_t n;

	(void)source;
	(void)fd;
	(void)events;
	n = control_client_receive(c, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0)
		control_client_handle(c, buf, (size_t)n);
	/* One request per connection: answered, closed or broken. */
	control_client_free(c);
}

static void control_client_timeout(struct event_source *source, void *data)
{
	struct control_client *c = data;

	(void)source;
	log_debug("control: pid %d sent no request within %u ms, dropped",
		  (int)c->peer.pid, c->server->deadline_ms);
	control_client_free(c);
}

/* Connections open for uid, root's included. */
static size_t control_clients_of(const struct control_server *s, uid_t uid)
{
	size_t n = 0;

	for (const struct control_client *c = s->clients; c; c = c->next)
		n += c->peer.uid == uid;
	return n;
}

/*
 * Whether uid may open one more connection.  Root's connections have a
 * budget of their own, so that root's `status` answers however many other
 * users hold open; everybody else shares the rest, at most
 * CONTROL_MAX_CLIENTS_PER_UID each.
 */
static bool control_accept_allowed(const struct control_server *s, uid_t uid)
{
	if (uid == 0)
		return s->n_root_clients < CONTROL_MAX_CLIENTS;
	return s->n_clients < CONTROL_MAX_CLIENTS &&
	       control_clients_of(s, uid) < CONTROL_MAX_CLIENTS_PER_UID;
}

static void control_accept_one(struct control_server *s, int fd)
{
	struct control_client *c;
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		close(fd);
		return;
	}
	if (!control_accept_allowed(s, cred.uid)) {
		log_debug(
			"control: uid %u has too many connections open, refusing another",
			(unsigned int)cred.uid);
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->server = s;
	c->fd = fd;
	c->peer.pid = cred.pid;
	c->peer.uid = cred.uid;
	c->peer.gid = cred.gid;
	c->peer.passed_fd = -1;
	c->peer.may_change = control_peer_may_change(cred.uid, cred.gid,
						     s->have_group, s->group);
	if (event_loop_add_io(s->loop, fd, EPOLLIN, control_client_readable, c,
			      &c->io) < 0 ||
	    event_loop_add_timer(s->loop, (uint64_t)s->deadline_ms * 1000,
				 false, control_client_timeout, c,
				 &c->deadline) < 0) {
		event_source_free(c->io);
		close(fd);
		free(c);
		return;
	}
	c->next = s->clients;
	s->clients = c;
	if (cred.uid == 0)
		s->n_root_clients++;
	else
		s->n_clients++;
}

static void control_server_readable(struct event_source *source, int fd,
				    uint32_t events, void *data)
{
	struct control_server *s = data;

	(void)source;
	(void)events;
	for (;;) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (cfd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warning("control: accept: %s",
					    strerror(errno));
			return;
		}
		control_accept_one(s, cfd);
	}
}

static int control_fill_addr(const char *path, struct sockaddr_un *addr)
{
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(addr->sun_path))
		return -ENAMETOOLONG;
	strcpy(addr->sun_path, path);
	return 0;
}

static int control_mkdir_parents(const char *path)
{
	char *dir = xstrdup(path);
	int r = 0;

	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			r = -errno;
			break;
		}
		*p = '/';
	}
	free(dir);
	return r;
}

/*
 * The socket's directory: whoever may write there could replace the
 * socket with a link to any file, which the daemon would then chown on
 * the next reload.  So it must be ours (root's) and writable by nobody
 * else; why not, in err.
 */
static int control_check_dir(const char *path, char *err, size_t err_size)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	struct stat st;
	int r = 0;

	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if (lstat(dir, &st) < 0) {
		r = -errno;
		snprintf(err, err_size, "%s: %s", dir, strerror(-r));
	} else if (!S_ISDIR(st.st_mode)) {
		r = -ENOTDIR;
		snprintf(err, err_size, "%s: not a directory", dir);
	} else if (st.st_uid != geteuid() || (st.st_mode & 022)) {
		r = -EPERM;
		snprintf(
			err, err_size,
			"%s: owned by uid %u, mode %03o: the socket's directory must be owned by uid %u and not writable by group or others",
			dir, (unsigned int)st.st_uid,
			(unsigned int)(st.st_mode & 07777),
			(unsigned int)geteuid());
	}
	free(dir);
	return r;
}

/* A socket file nobody answers on is left by a killed daemon. */
static int control_take_over(const char *path)
{
	struct sockaddr_un addr;
	struct stat st;
	int fd, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	r = control_fill_addr(path, &addr);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
	close(fd);
	if (r == 0)
		return -EADDRINUSE;
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

static int control_resolve_group(struct control_server *s, const char *group)
{
	struct group gr, *grp = NULL;
	char buf[4096];

	free(s->group_name);
	s->group_name = NULL;
	s->have_group = false;
	s->group = 0;
	if (!group || !*group)
		return 0;
	if (getgrnam_r(group, &gr, buf, sizeof(buf), &grp) != 0 || !grp) {
		log_warning(
			"control: socket_group %s: no such group; only root may use the socket",
			group);
		return -ENOENT;
	}
	s->have_group = true;
	s->group = grp->gr_gid;
	s->group_name = xstrdup(group);
	return 0;
}

int control_server_set_group(struct control_server *s, const char *group)
{
	int r;

	control_resolve_group(s, group);
	/* lchown: never through a link, whatever replaced the socket. */
	if (lchown(s->path, 0, s->have_group ? s->group : 0) < 0) {
		r = -errno;
		log_warning("control: chown %s: %s", s->path, strerror(-r));
		return r;
	}
	/* Peers already connected keep the verdict of their accept(). */
	return 0;
}

int control_server_new(struct event_loop *loop, const char *path,
		       const char *group, control_handler_fn fn, void *data,
		       struct control_server **out)
{
	struct control_server *s;
	struct sockaddr_un addr;
	char dir_err[PATH_MAX + 160];
	mode_t old_umask;
	int r;

	r = control_fill_addr(path, &addr);
	if (r < 0)
		return r;
	r = control_mkdir_parents(path);
	if (r < 0)
		return r;
	r = control_check_dir(path, dir_err, sizeof(dir_err));
	if (r < 0) {
		log_error("control socket %s: %s", path, dir_err);
		return r;
	}
	r = control_take_over(path);
	if (r < 0)
		return r;

	s = xcalloc(1, sizeof(*s));
	s->loop = loop;
	s->fn = fn;
	s->data = data;
	s->deadline_ms = CONTROL_DEADLINE_MS;
	s->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       0);
	if (s->fd < 0) {
		r = -errno;
		free(s);
		return r;
	}
	/* Created 0660 from the start: no window in which anyone else could
	 * connect before the chmod. */
	old_umask = umask(0117);
	r = bind(s->fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old_umask);
	if (r < 0) {
		r = -errno;
		close(s->fd);
		free(s);
		return r;
	}
	s->path = xstrdup(path);
	/* bind() made it 0660 already (the umask above): no chmod, which
	 * would follow a link. */
	if (listen(s->fd, 16) < 0) {
		r = -errno;
		goto fail;
	}
	control_resolve_group(s, group);
	if (lchown(path, 0, s->have_group ? s->group : 0) < 0 &&
	    geteuid() == 0) {
		r = -errno;
		goto fail;
	}
	r = event_loop_add_io(loop, s->fd, EPOLLIN, control_server_readable, s,
			      &s->io);
	if (r < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	unlink(path);
	close(s->fd);
	free(s->group_name);
	free(s->path);
	free(s);
	return r;
}

void control_server_free(struct control_server *s)
{
	if (!s)
		return;
	while (s->clients)
		control_client_free(s->clients);
	event_source_free(s->io);
	close(s->fd);
	unlink(s->path);
	free(s->path);
	free(s->group_name);
	free(s);
}

void control_server_set_deadline(struct control_server *s,
				 unsigned int deadline_ms)
{
	s->deadline_ms = deadline_ms;
}

size_t control_server_n_clients(const struct control_server *s)
{
	return s->n_clients + s->n_root_clients;
}

/* ---- the client side ---- */

int control_connect(const char *path)
{
	struct sockaddr_un addr;
	int fd, r;

	r = control_fill_addr(path, &addr);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

static int control_send_request(int fd, const char *req, size_t len,
				int pass_fd)
{
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = { .iov_base = (void *)req, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (pass_fd >= 0) {
		struct cmsghdr *cm;

		memset(&control, 0, sizeof(control));
		msg.msg_control = control.space;
		msg.msg_controllen = sizeof(control.space);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	return sendmsg(fd, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

int control_transact(int fd, int argc, char *const *argv, int pass_fd,
		     int timeout_ms, enum control_status *status, char **body)
{
	char req[CONTROL_REQUEST_MAX];
	const char *b;
	size_t len, body_len;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char *buf;
	ssize_t n;
	int r;

	r = control_request_encode(argc, argv, req, sizeof(req), &len);
	if (r < 0)
		return r;
	r = control_send_request(fd, req, len, pass_fd);
	if (r < 0)
		return r;
	do {
		r = poll(&pfd, 1, timeout_ms);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	buf = xmalloc(CONTROL_RESPONSE_MAX + 1);
	n = recv(fd, buf, CONTROL_RESPONSE_MAX, 0);
	if (n < 0) {
		r = -errno;
		goto out;
	}
	if (n == 0) {
		r = -ECONNRESET;
		goto out;
	}
	r = control_response_parse(buf, (size_t)n, status, &b, &body_len);
	if (r < 0)
		goto out;
	*body = xstrndup(b, body_len);
out:
	free(buf);
	return r;
}
