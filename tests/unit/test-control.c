/* SPDX-License-Identifier: MIT */
/*
 * control.c: the verb grammar, the wire format and its limits, and the
 * server on a real socket in a temporary directory: answers, usage errors
 * for malformed and oversized requests, the read deadline, the connection
 * limit, and (as root) a peer without the right to change things.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "control.h"
#include "event_loop.h"
#include "testlib.h"
#include "util.h"

#define ARGV(...) ((char *const[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(req, err, ...)                                               \
	control_request_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (req), \
			      (err), sizeof(err))

static void test_parse_ok(void)
{
	struct control_request r;
	char err[256];

	CHECK_INT_EQ(PARSE(&r, err, "status"), 0);
	CHECK_INT_EQ(r.verb, CONTROL_STATUS);
	CHECK(!r.json);
	CHECK_INT_EQ(PARSE(&r, err, "status", "--json"), 0);
	CHECK(r.json);
	CHECK_INT_EQ(PARSE(&r, err, "list", "--json"), 0);
	CHECK_INT_EQ(r.verb, CONTROL_LIST);
	CHECK(r.json);
	CHECK_INT_EQ(PARSE(&r, err, "switch", "acm+ecm"), 0);
	CHECK_INT_EQ(r.verb, CONTROL_SWITCH);
	CHECK_STR_EQ(r.profile, "acm+ecm");
	CHECK_INT_EQ(PARSE(&r, err, "reload"), 0);
	CHECK_INT_EQ(r.verb, CONTROL_RELOAD);
	CHECK_INT_EQ(PARSE(&r, err, "up"), 0);
	CHECK_INT_EQ(r.verb, CONTROL_UP);
	CHECK_INT_EQ(PARSE(&r, err, "down"), 0);
	CHECK_INT_EQ(r.verb, CONTROL_DOWN);
	CHECK_INT_EQ(PARSE(&r, err, "replug"), 0);
	CHECK_INT_EQ(r.verb, CONTROL_REPLUG);
	CHECK(control_verb_changes(CONTROL_REPLUG));
	CHECK_STR_EQ(control_verb_name(CONTROL_REPLUG), "replug");
	CHECK_INT_EQ(PARSE(&r, err, "replug", "now"), -EINVAL);
	CHECK_STR_EQ(err, "replug: unexpected argument 'now'");
	CHECK_INT_EQ(PARSE(&r, err, "msd", "insert", "1", "/img", "--ro"), 0);
	CHECK_INT_EQ(r.verb, CONTROL_MSD_INSERT);
	CHECK_INT_EQ(r.lun, 1);
	CHECK_STR_EQ(r.file, "/img");
	CHECK(r.ro);
	CHECK_INT_EQ(PARSE(&r, err, "msd", "insert", "--ro", "0", "/a b"), 0);
	CHECK_STR_EQ(r.file, "/a b");
	CHECK(r.ro);
	CHECK(r.function == NULL);
	CHECK_INT_EQ(PARSE(&r, err, "msd", "eject", "3"), 0);
	CHECK_INT_EQ(r.verb, CONTROL_MSD_EJECT);
	CHECK_INT_EQ(r.lun, 3);
	/* FUNCTION:LUN, type and access. */
	CHECK_INT_EQ(PARSE(&r, err, "msd", "insert", "mass_storage.cd:2",
			   "/x.iso", "--cdrom"),
		     0);
	CHECK_STR_EQ(r.function, "mass_storage.cd:2");
	CHECK_INT_EQ(r.lun, 2);
	CHECK(r.cdrom && !r.disk && !r.ro && !r.rw);
	CHECK_INT_EQ(PARSE(&r, err, "msd", "insert", "0", "/x.img", "--disk",
			   "--rw"),
		     0);
	CHECK(r.disk && r.rw && !r.cdrom && !r.ro);
	CHECK_INT_EQ(PARSE(&r, err, "msd", "eject", "disk:1"), 0);
	CHECK_STR_EQ(r.function, "disk:1");
	CHECK_INT_EQ(r.lun, 1);
	CHECK_INT_EQ(PARSE(&r, err, "link-event", "down", "usb0"), 0);
	CHECK_INT_EQ(r.verb, CONTROL_LINK_EVENT);
	CHECK(!r.up);
	CHECK_STR_EQ(r.iface, "usb0");

	CHECK(!control_verb_changes(CONTROL_STATUS));
	CHECK(!control_verb_changes(CONTROL_LIST));
	CHECK(control_verb_changes(CONTROL_SWITCH));
	CHECK(control_verb_changes(CONTROL_DOWN));
	CHECK(control_verb_changes(CONTROL_LINK_EVENT));
}

static void test_parse_usage(void)
{
	struct control_request r;
	char err[256];

	CHECK_INT_EQ(PARSE(&r, err, "status", "--yaml"), -EINVAL);
	CHECK_STR_EQ(err, "status: unexpected argument '--yaml'");
	CHECK_INT_EQ(PARSE(&r, err, "switch"), -EINVAL);
	CHECK_STR_EQ(err, "switch: expected one PROFILE");
	CHECK_INT_EQ(PARSE(&r, err, "switch", "a", "b"), -EINVAL);
	CHECK_INT_EQ(PARSE(&r, err, "reload", "now"), -EINVAL);
	CHECK_STR_EQ(err, "reload: unexpected argument 'now'");
	CHECK_INT_EQ(PARSE(&r, err, "msd"), -EINVAL);
	CHECK_INT_EQ(PARSE(&r, err, "msd", "insert", "0"), -EINVAL);
	CHECK_STR_EQ(err, "msd insert: expected [FUNCTION:]LUN FILE");
	CHECK_INT_EQ(PARSE(&r, err, "msd", "insert", "x", "/img"), -EINVAL);
	CHECK_STR_EQ(err, "msd insert: 'x' is not [FUNCTION:]LUN with LUN a "
			  "number 0..255");
	CHECK_INT_EQ(PARSE(&r, err, "msd", "insert", "-1", "/img"), -EINVAL);
	CHECK_INT_EQ(PARSE(&r, err, "msd", "insert", "256", "/img"), -EINVAL);
	CHECK_INT_EQ(PARSE(&r, err, "msd", "eject", "0", "--ro"), -EINVAL);
	CHECK_STR_EQ(err, "msd eject: unknown option '--ro'");
	CHECK_INT_EQ(PARSE(&r, err, "msd", "insert", "0", "/i", "--ro", "--rw"),
		     -EINVAL);
	CHECK_STR_EQ(err, "msd insert: --ro and --rw together");
	CHECK_INT_EQ(
		PARSE(&r, err, "msd", "insert", "0", "/i", "--cdrom", "--disk"),
		-EINVAL);
	CHECK_STR_EQ(err, "msd insert: --cdrom and --disk together");
	CHECK_INT_EQ(
		PARSE(&r, err, "msd", "insert", "0", "/i", "--cdrom", "--rw"),
		-EINVAL);
	CHECK_STR_EQ(err,
		     "msd insert: a cdrom is read-only (--rw with --cdrom)");
	CHECK_INT_EQ(PARSE(&r, err, "msd", "insert", ":0", "/i"), -EINVAL);
	CHECK_INT_EQ(PARSE(&r, err, "msd", "format", "0"), -EINVAL);
	CHECK_INT_EQ(PARSE(&r, err, "link-event", "sideways", "usb0"), -EINVAL);
	CHECK_STR_EQ(err, "link-event: expected 'up|down IFACE'");
	CHECK_INT_EQ(PARSE(&r, err, "link-event", "up"), -EINVAL);
	CHECK_INT_EQ(PARSE(&r, err, "reboot"), -EINVAL);
	CHECK_STR_EQ(err, "unknown verb 'reboot'");
	CHECK_INT_EQ(control_request_parse(0, ARGV("x"), &r, err, sizeof(err)),
		     -EINVAL);
}

static void test_wire(void)
{
	char buf[CONTROL_REQUEST_MAX + 64], err[256];
	char *argv[CONTROL_MAX_ARGS + 1];
	char *many[CONTROL_MAX_ARGS + 2];
	char big[CONTROL_REQUEST_MAX + 1];
	size_t len;
	int argc;

	CHECK_INT_EQ(control_request_encode(2, ARGV("switch", "ecm-only"), buf,
					    sizeof(buf), &len),
		     0);
	CHECK_INT_EQ(len, 16);
	CHECK(memcmp(buf, "switch\0ecm-only\0", 16) == 0);
	CHECK_INT_EQ(
		control_request_decode(buf, len, argv, &argc, err, sizeof(err)),
		0);
	CHECK_INT_EQ(argc, 2);
	CHECK_STR_EQ(argv[0], "switch");
	CHECK_STR_EQ(argv[1], "ecm-only");
	CHECK(argv[2] == NULL);

	/* Limits on the way out. */
	CHECK_INT_EQ(
		control_request_encode(1, ARGV(""), buf, sizeof(buf), &len),
		-EINVAL);
	CHECK_INT_EQ(control_request_encode(2, ARGV("switch", "a\nb"), buf,
					    sizeof(buf), &len),
		     -EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT_EQ(control_request_encode(2, ARGV("switch", big), buf,
					    sizeof(buf), &len),
		     -EMSGSIZE);
	for (int i = 0; i < CONTROL_MAX_ARGS + 1; i++)
		many[i] = "x";
	many[CONTROL_MAX_ARGS + 1] = NULL;
	CHECK_INT_EQ(control_request_encode(CONTROL_MAX_ARGS + 1, many, buf,
					    sizeof(buf), &len),
		     -EMSGSIZE);

	/* And on the way in. */
	CHECK_INT_EQ(
		control_request_decode(buf, 0, argv, &argc, err, sizeof(err)),
		-EINVAL);
	CHECK_STR_EQ(err, "empty request");
	memcpy(buf, "status", 6);
	CHECK_INT_EQ(
		control_request_decode(buf, 6, argv, &argc, err, sizeof(err)),
		-EINVAL);
	CHECK_STR_EQ(err, "malformed request: not NUL-terminated strings");
	memcpy(buf, "status\0\0", 8);
	CHECK_INT_EQ(
		control_request_decode(buf, 8, argv, &argc, err, sizeof(err)),
		-EINVAL);
	CHECK_STR_EQ(
		err,
		"malformed request: string 2 is empty or has control characters");
	memcpy(buf, "sta\x1btus\0", 8);
	CHECK_INT_EQ(
		control_request_decode(buf, 8, argv, &argc, err, sizeof(err)),
		-EINVAL);
	CHECK_INT_EQ(control_request_decode(buf, CONTROL_REQUEST_MAX + 1, argv,
					    &argc, err, sizeof(err)),
		     -EMSGSIZE);
	CHECK_STR_EQ(err, "request of 4097 bytes, at most 4096");
	memset(buf, 0, sizeof(buf));
	for (int i = 0; i < CONTROL_MAX_ARGS + 1; i++)
		buf[2 * i] = 'x';
	CHECK_INT_EQ(control_request_decode(buf, 2 * (CONTROL_MAX_ARGS + 1),
					    argv, &argc, err, sizeof(err)),
		     -EMSGSIZE);
	CHECK_STR_EQ(err, "malformed request: more than 16 strings");
	CHECK_INT_EQ(control_request_decode(buf, 2 * CONTROL_MAX_ARGS, argv,
					    &argc, err, sizeof(err)),
		     0);
	CHECK_INT_EQ(argc, CONTROL_MAX_ARGS);
}

static void test_response_parse(void)
{
	enum control_status st;
	const char *body;
	size_t len;

	CHECK_INT_EQ(control_response_parse("ok\nhello\n", 9, &st, &body, &len),
		     0);
	CHECK_INT_EQ(st, CONTROL_OK);
	CHECK_INT_EQ(len, 6);
	CHECK(memcmp(body, "hello\n", 6) == 0);
	CHECK_INT_EQ(control_response_parse("denied\n", 7, &st, &body, &len),
		     0);
	CHECK_INT_EQ(st, CONTROL_DENIED);
	CHECK_INT_EQ(len, 0);
	CHECK_INT_EQ(control_response_parse("okay\nx", 6, &st, &body, &len),
		     -EBADMSG);
	CHECK_INT_EQ(control_response_parse("ok", 2, &st, &body, &len),
		     -EBADMSG);
	CHECK_INT_EQ(control_status_exit_code(CONTROL_OK), EXIT_OK);
	CHECK_INT_EQ(control_status_exit_code(CONTROL_FAILED), EXIT_FAILED);
	CHECK_INT_EQ(control_status_exit_code(CONTROL_DENIED), EXIT_FAILED);
	CHECK_INT_EQ(control_status_exit_code(CONTROL_UNSUPPORTED),
		     EXIT_FAILED);
	CHECK_INT_EQ(control_status_exit_code(CONTROL_USAGE), EXIT_USAGE);
}

static void test_peer_may_change(void)
{
	CHECK(control_peer_may_change(0, 0, false, 0));
	CHECK(control_peer_may_change(0, 1234, true, 99));
	CHECK(!control_peer_may_change(1000, 1000, false, 0));
	/* The peer's own (primary) group is the socket group. */
	CHECK(control_peer_may_change(4242, 777, true, 777));
	/* An unknown uid has no supplementary groups. */
	CHECK(!control_peer_may_change(4242, 4242, true, 777));
}

/* ---- the server on a real socket ---- */

struct server_test {
	struct event_loop *loop;
	struct control_server *server;
	char *dir;
	char *path;
	int calls;
	struct control_peer last_peer;
	/* The file a request carried, as the handler saw it. */
	bool passed_open;
	dev_t passed_dev;
	ino_t passed_ino;
	int passed_flags;
};

static void server_handler(const struct control_request *req,
			   const struct control_peer *peer,
			   struct control_reply *reply, void *data)
{
	struct server_test *t = data;

	t->calls++;
	t->last_peer = *peer;
	t->passed_open = false;
	if (peer->passed_fd >= 0) {
		struct stat st;

		t->passed_open = fstat(peer->passed_fd, &st) == 0;
		t->passed_dev = st.st_dev;
		t->passed_ino = st.st_ino;
		t->passed_flags = fcntl(peer->passed_fd, F_GETFL);
	}
	if (req->verb == CONTROL_SWITCH) {
		fprintf(reply->body, "switched to %s\n", req->profile);
		reply->status = CONTROL_OK;
		return;
	}
	fprintf(reply->body, "%s%s\n", control_verb_name(req->verb),
		req->json ? " json" : "");
	reply->status = CONTROL_OK;
}

static void server_setup(struct server_test *t)
{
	char tmpl[] = "/tmp/gadgetd-test-control-XXXXXX";

	memset(t, 0, sizeof(*t));
	if (!mkdtemp(tmpl))
		testlib_fail(__FILE__, __LINE__, "mkdtemp: %s",
			     strerror(errno));
	t->dir = xstrdup(tmpl);
	/* A directory that does not exist yet: the server makes it. */
	t->path = xasprintf("%s/run/gadgetd.sock", t->dir);
	CHECK_INT_EQ(event_loop_new(&t->loop), 0);
	CHECK_INT_EQ(control_server_new(t->loop, t->path, NULL, server_handler,
					t, &t->server),
		     0);
}

static void server_teardown(struct server_test *t)
{
	char *run = xasprintf("%s/run", t->dir);

	control_server_free(t->server);
	CHECK(access(t->path, F_OK) < 0);
	CHECK_INT_EQ(event_loop_n_sources(t->loop), 0);
	event_loop_free(t->loop);
	rmdir(run);
	rmdir(t->dir);
	free(run);
	free(t->path);
	free(t->dir);
}

/* Run the loop until fd has an answer (or 2 s passed). */
static void server_pump(struct server_test *t, int fd)
{
	for (int i = 0; i < 200; i++) {
		char c;

		if (recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) >= 0)
			return;
		event_loop_iterate(t->loop, 10);
	}
}

/*
 * Run the server's loop until done(arg) says so, for at most 30 s: the
 * other side is a child process, which a loaded machine may run late.
 */
static bool server_run_until(struct server_test *t, bool (*done)(void *),
			     void *arg)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (done(arg))
			return true;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 30)
			return false;
		event_loop_iterate(t->loop, 10);
	}
}

struct child_wait {
	pid_t pid;
	int status;
};

static bool child_exited(void *arg)
{
	struct child_wait *w = arg;

	return waitpid(w->pid, &w->status, WNOHANG) == w->pid;
}

static bool handler_called(void *arg)
{
	return ((struct server_test *)arg)->calls > 0;
}

static bool fd_readable(void *arg)
{
	struct pollfd p = { .fd = *(int *)arg, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

/* Send raw bytes, return the whole response (allocated) or NULL. */
static char *server_raw(struct server_test *t, const void *req, size_t len)
{
	char *buf = xcalloc(1, CONTROL_RESPONSE_MAX + 1);
	int fd = control_connect(t->path);
	ssize_t n;

	CHECK(fd >= 0);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	CHECK_INT_EQ(send(fd, req, len, 0), (long long)len);
	server_pump(t, fd);
	n = recv(fd, buf, CONTROL_RESPONSE_MAX, MSG_DONTWAIT);
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static void test_server_answers(void)
{
	struct server_test t;
	struct stat st;
	char *resp;

	server_setup(&t);
	CHECK_INT_EQ(stat(t.path, &st), 0);
	CHECK(S_ISSOCK(st.st_mode));
	CHECK_INT_EQ(st.st_mode & 0777, 0660);

	resp = server_raw(&t, "status\0--json", 14);
	CHECK_STR_EQ(resp, "ok\nstatus json\n");
	free(resp);
	CHECK_INT_EQ(t.last_peer.uid, getuid());
	CHECK_INT_EQ(t.last_peer.pid, getpid());
	CHECK(t.last_peer.may_change == (getuid() == 0));

	resp = server_raw(&t, "nonsense", 9);
	CHECK_STR_EQ(resp, "usage\nunknown verb 'nonsense'\n");
	free(resp);
	resp = server_raw(&t, "status", 6);
	CHECK_STR_EQ(resp,
		     "usage\nmalformed request: not NUL-terminated strings\n");
	free(resp);
	CHECK_INT_EQ(t.calls, 1);
	/* Everything answered is closed again. */
	event_loop_iterate(t.loop, 0);
	CHECK_INT_EQ(control_server_n_clients(t.server), 0);
	server_teardown(&t);
}

static void test_server_oversized(void)
{
	struct server_test t;
	char *big = xcalloc(1, 3 * CONTROL_REQUEST_MAX);
	char *resp;

	server_setup(&t);
	memcpy(big, "status", 6);
	resp = server_raw(&t, big, 3 * CONTROL_REQUEST_MAX);
	CHECK_STR_EQ(resp, "usage\nrequest of 12288 bytes, at most 4096\n");
	free(resp);
	resp = server_raw(&t, big, CONTROL_REQUEST_MAX + 1);
	CHECK_STR_EQ(resp, "usage\nrequest of 4097 bytes, at most 4096\n");
	free(resp);
	CHECK_INT_EQ(t.calls, 0);
	free(big);
	server_teardown(&t);
}

static void test_server_flood(void)
{
	struct server_test t;
	char junk[64];
	char *resp;
	int bad = 0;

	server_setup(&t);
	for (int i = 0; i < 1000; i++) {
		size_t len = (size_t)(i % 50) + 1;

		for (size_t k = 0; k < len; k++)
			junk[k] = (char)((i * 31 + (int)k * 7) % 256);
		resp = server_raw(&t, junk, len);
		if (!resp || !str_starts_with(resp, "usage\n"))
			bad++;
		free(resp);
	}
	CHECK_INT_EQ(bad, 0);
	resp = server_raw(&t, "switch\0ncm", 11);
	CHECK_STR_EQ(resp, "ok\nswitched to ncm\n");
	free(resp);
	server_teardown(&t);
}

static void test_server_deadline(void)
{
	struct server_test t;
	int fd, idle[CONTROL_MAX_CLIENTS + 2];
	char c;

	server_setup(&t);
	control_server_set_deadline(t.server, 50);
	fd = control_connect(t.path);
	CHECK(fd >= 0);
	event_loop_iterate(t.loop, 10);
	CHECK_INT_EQ(control_server_n_clients(t.server), 1);
	for (int i = 0; i < 30 && control_server_n_clients(t.server); i++)
		event_loop_iterate(t.loop, 10);
	CHECK_INT_EQ(control_server_n_clients(t.server), 0);
	/* The daemon closed it: the client reads end of file. */
	CHECK_INT_EQ(recv(fd, &c, 1, 0), 0);
	close(fd);

	/* Connections beyond the limit are closed at once: root's own
	 * budget, or one user's share of the others'. */
	for (int i = 0; i < CONTROL_MAX_CLIENTS + 2; i++) {
		idle[i] = control_connect(t.path);
		/* Accept as it goes: connect() blocks on a full backlog. */
		event_loop_iterate(t.loop, 0);
	}
	CHECK_INT_EQ(control_server_n_clients(t.server),
		     getuid() == 0 ? CONTROL_MAX_CLIENTS
				   : CONTROL_MAX_CLIENTS_PER_UID);
	for (int i = 0; i < CONTROL_MAX_CLIENTS + 2; i++)
		close(idle[i]);
	for (int i = 0; i < 5; i++)
		event_loop_iterate(t.loop, 0);
	CHECK_INT_EQ(control_server_n_clients(t.server), 0);
	server_teardown(&t);
}

static void test_server_second_daemon(void)
{
	struct server_test t;
	struct control_server *other = NULL;
	int fd;

	server_setup(&t);
	CHECK_INT_EQ(control_server_new(t.loop, t.path, NULL, server_handler,
					&t, &other),
		     -EADDRINUSE);
	control_server_free(t.server);

	/* A socket file nobody answers on (a killed daemon's) is replaced. */
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	{
		struct sockaddr_un a = { .sun_family = AF_UNIX };

		strcpy(a.sun_path, t.path);
		CHECK_INT_EQ(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	}
	close(fd);
	CHECK_INT_EQ(control_server_new(t.loop, t.path, NULL, server_handler,
					&t, &t.server),
		     0);
	server_teardown(&t);
}

/* As root: a peer running as nobody may read but not change. */
static void test_server_denied(void)
{
	struct child_wait child = { 0 };
	struct server_test t;
	pid_t pid;

	if (geteuid() != 0) {
		printf("test-control: not root, skipping the credential check\n");
		return;
	}
	server_setup(&t);
	/* A socket made world-writable by mistake: the credential check is
	 * the second line of defence. */
	CHECK_INT_EQ(chmod(t.path, 0666), 0);
	/* mkdtemp made the directory 0700. */
	CHECK_INT_EQ(chmod(t.dir, 0755), 0);
	pid = fork();
	if (pid == 0) {
		enum control_status st;
		char *body = NULL;
		int fd, fails = 0;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(10);
		fd = control_connect(t.path);
		if (fd < 0 ||
		    control_transact(fd, 1, ARGV("status"), -1, 5000, &st,
				     &body) < 0 ||
		    st != CONTROL_OK)
			fails |= 1;
		close(fd);
		free(body);
		body = NULL;
		fd = control_connect(t.path);
		if (fd < 0 ||
		    control_transact(fd, 2, ARGV("switch", "x"), -1, 5000, &st,
				     &body) < 0 ||
		    st != CONTROL_DENIED ||
		    strcmp(body,
			   "permission denied: 'switch' needs root (uid 65534; socket_group is not set)\n") !=
			    0)
			fails |= 2;
		close(fd);
		free(body);
		_exit(fails);
	}
	child.pid = pid;
	CHECK(server_run_until(&t, child_exited, &child));
	CHECK(WIFEXITED(child.status));
	CHECK_INT_EQ(WEXITSTATUS(child.status), 0);
	CHECK_INT_EQ(t.calls, 1);
	CHECK_INT_EQ(t.last_peer.uid, 65534);
	CHECK(!t.last_peer.may_change);
	server_teardown(&t);
}

/* A request carries the file the client opened; the handler gets that
 * very file, with the client's access mode, and the server closes it. */
static void test_server_passed_fd(void)
{
	struct server_test t;
	enum control_status st;
	char *body = NULL, *file;
	struct stat want;
	int fd, medium;

	server_setup(&t);
	file = xasprintf("%s/medium.img", t.dir);
	medium = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	CHECK(medium >= 0);
	CHECK_INT_EQ(fstat(medium, &want), 0);
	close(medium);
	medium = open(file, O_RDONLY | O_CLOEXEC);
	fd = control_connect(t.path);
	CHECK(fd >= 0);
	/* The client blocks on the answer: let a child be the client. */
	if (fork() == 0) {
		int r = control_transact(fd, 4,
					 ARGV("msd", "insert", "0", file),
					 medium, 5000, &st, &body);

		_exit(r < 0 || st != CONTROL_OK);
	}
	close(medium);
	close(fd);
	CHECK(server_run_until(&t, handler_called, &t));
	CHECK_INT_EQ(t.calls, 1);
	CHECK(t.passed_open);
	CHECK(t.passed_dev == want.st_dev && t.passed_ino == want.st_ino);
	CHECK_INT_EQ(t.passed_flags & O_ACCMODE, O_RDONLY);
	/* Closed with the connection: nothing of it stays in the daemon. */
	CHECK(t.last_peer.passed_fd >= 0);
	CHECK(fcntl(t.last_peer.passed_fd, F_GETFD) < 0);
	while (wait(NULL) > 0)
		;
	/* Without one, the handler sees -1. */
	body = server_raw(&t, "status", 7);
	CHECK_STR_EQ(body, "ok\nstatus\n");
	free(body);
	CHECK_INT_EQ(t.last_peer.passed_fd, -1);
	unlink(file);
	free(file);
	server_teardown(&t);
}

/* A socket directory others may write is refused before anything is
 * made in it (they could swap the socket for a link). */
static void test_server_unsafe_dir(void)
{
	char tmpl[] = "/tmp/gadgetd-test-control-XXXXXX";
	struct control_server *s = NULL;
	struct event_loop *loop;
	char *path;

	CHECK(mkdtemp(tmpl) != NULL);
	path = xasprintf("%s/gadgetd.sock", tmpl);
	CHECK_INT_EQ(event_loop_new(&loop), 0);
	CHECK_INT_EQ(chmod(tmpl, 0777), 0);
	CHECK_INT_EQ(
		control_server_new(loop, path, NULL, server_handler, NULL, &s),
		-EPERM);
	CHECK(access(path, F_OK) < 0);
	CHECK_INT_EQ(chmod(tmpl, 0775), 0);
	CHECK_INT_EQ(
		control_server_new(loop, path, NULL, server_handler, NULL, &s),
		-EPERM);
	CHECK_INT_EQ(chmod(tmpl, 0755), 0);
	CHECK_INT_EQ(
		control_server_new(loop, path, NULL, server_handler, NULL, &s),
		0);
	control_server_free(s);
	event_loop_free(loop);
	rmdir(tmpl);
	free(path);
}

/* As root: another user holding every connection it may does not keep
 * root out, and its share stops at CONTROL_MAX_CLIENTS_PER_UID. */
static void test_server_per_uid(void)
{
	struct server_test t;
	int ready[2], done[2], fd, n_other;
	pid_t pid;
	char c;

	if (geteuid() != 0) {
		printf("test-control: not root, skipping the per-uid limit\n");
		return;
	}
	server_setup(&t);
	CHECK_INT_EQ(chmod(t.path, 0666), 0);
	CHECK_INT_EQ(chmod(t.dir, 0755), 0);
	CHECK_INT_EQ(pipe(ready), 0);
	CHECK_INT_EQ(pipe(done), 0);
	pid = fork();
	if (pid == 0) {
		int held[CONTROL_MAX_CLIENTS + 2];

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(10);
		for (int i = 0; i < CONTROL_MAX_CLIENTS + 2; i++)
			held[i] = control_connect(t.path);
		(void)!write(ready[1], "1", 1);
		/* Hold them until the parent is done. */
		(void)!read(done[0], &c, 1);
		for (int i = 0; i < CONTROL_MAX_CLIENTS + 2; i++)
			close(held[i]);
		_exit(0);
	}
	/* Accept while the child connects (a full backlog blocks it). */
	CHECK(server_run_until(&t, fd_readable, &ready[0]));
	CHECK_INT_EQ(read(ready[0], &c, 1), 1);
	for (int i = 0; i < 10; i++)
		event_loop_iterate(t.loop, 0);
	n_other = (int)control_server_n_clients(t.server);
	CHECK_INT_EQ(n_other, CONTROL_MAX_CLIENTS_PER_UID);
	/* Root is answered meanwhile. */
	fd = control_connect(t.path);
	CHECK(fd >= 0);
	CHECK_INT_EQ(send(fd, "status", 7, 0), 7);
	server_pump(&t, fd);
	CHECK_INT_EQ(t.last_peer.uid, 0);
	close(fd);
	(void)!write(done[1], "1", 1);
	waitpid(pid, NULL, 0);
	close(ready[0]);
	close(ready[1]);
	close(done[0]);
	close(done[1]);
	for (int i = 0; i < 5; i++)
		event_loop_iterate(t.loop, 0);
	server_teardown(&t);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_parse_ok();
	test_parse_usage();
	test_wire();
	test_response_parse();
	test_peer_may_change();
	test_server_answers();
	test_server_oversized();
	test_server_flood();
	test_server_deadline();
	test_server_second_daemon();
	test_server_denied();
	test_server_passed_fd();
	test_server_unsafe_dir();
	test_server_per_uid();
	return testlib_finish("test-control");
}
