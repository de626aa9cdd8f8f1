/* SPDX-License-Identifier: MIT */
/*
 * The control socket: a SOCK_SEQPACKET unix socket, one request and one
 * response per connection (docs/control-protocol.md).
 *
 * A request is the client's argv from the verb on, as NUL-terminated
 * strings back to back, at most CONTROL_REQUEST_MAX bytes.  The response is
 * a status word, a newline, and the body the client prints.  The grammar of
 * the verbs lives here once, so that the client refuses a usage error
 * without a daemon and the daemon refuses it from any other client.
 *
 * The server never lets a client block the loop: sockets are non-blocking,
 * a client gets CONTROL_DEADLINE_MS to send its request, a response that
 * does not fit the socket at once drops the client, and at most
 * CONTROL_MAX_CLIENTS connections are served at a time, of them at most
 * CONTROL_MAX_CLIENTS_PER_UID for one user; root's connections are counted
 * apart, so that no other user can keep root out (gadgetd.conf(5)).
 *
 * A request may carry one open file descriptor (SCM_RIGHTS): `msd insert`
 * passes the medium the client itself opened.
 */
#ifndef GADGETD_CONTROL_H
#define GADGETD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "event_loop.h"

#define CONTROL_REQUEST_MAX 4096
#define CONTROL_MAX_ARGS 16
/* Fits the default unix socket send buffer (212992) with room to spare. */
#define CONTROL_RESPONSE_MAX 65536
#define CONTROL_DEADLINE_MS 2000
#define CONTROL_MAX_CLIENTS 32
#define CONTROL_MAX_CLIENTS_PER_UID 4
/* Client side: a switch may load kernel modules; be generous. */
#define CONTROL_CLIENT_TIMEOUT_MS 60000

enum control_verb {
	CONTROL_STATUS,
	CONTROL_LIST,
	CONTROL_SWITCH,
	CONTROL_RELOAD,
	CONTROL_UP,
	CONTROL_DOWN,
	CONTROL_REPLUG,
	CONTROL_MSD_INSERT,
	CONTROL_MSD_EJECT,
	CONTROL_LINK_EVENT,
};

struct control_request {
	enum control_verb verb;
	bool json; /* status, list */
	const char *profile; /* switch */
	/* msd: FUNCTION of [FUNCTION:]LUN (mass_storage.NAME or NAME), NULL
	 * for the profile's first mass_storage function */
	const char *function;
	int lun; /* msd */
	const char *file; /* msd insert */
	bool ro, rw; /* msd insert --ro, --rw (at most one) */
	bool cdrom, disk; /* msd insert --cdrom, --disk (at most one) */
	bool up; /* link-event up|down */
	const char *iface; /* link-event */
};

enum control_status {
	CONTROL_OK,
	CONTROL_FAILED,
	CONTROL_USAGE,
	CONTROL_DENIED,
	CONTROL_UNSUPPORTED,
};

const char *control_verb_name(enum control_verb verb);
/* Verbs that change the daemon's state need root or socket_group. */
bool control_verb_changes(enum control_verb verb);
const char *control_status_word(enum control_status status);
/* The exit status (gadgetd(8)) the client returns for a response status. */
int control_status_exit_code(enum control_status status);

/*
 * The verb grammar.  argv[0] is the verb; the strings stay the caller's
 * (req points into them).  On a usage error returns -EINVAL with a one-line
 * reason in err.
 */
int control_request_parse(int argc, char *const *argv,
			  struct control_request *req, char *err,
			  size_t err_size);

/* argv as the wire request: -EMSGSIZE when it exceeds CONTROL_REQUEST_MAX
 * or CONTROL_MAX_ARGS, -EINVAL for an empty or control-character string. */
int control_request_encode(int argc, char *const *argv, char *buf, size_t size,
			   size_t *len);
/*
 * Split a wire request into argv (pointers into buf, which must stay
 * alive).  -EMSGSIZE: too long or too many strings; -EINVAL: empty, not
 * NUL-terminated, an empty string or a control character.  err says which.
 */
int control_request_decode(char *buf, size_t len, char **argv, int *argc,
			   char *err, size_t err_size);

/* A response: "WORD\nBODY".  body points into buf. */
int control_response_parse(const char *buf, size_t len,
			   enum control_status *status, const char **body,
			   size_t *body_len);

/* Who is asking, from SO_PEERCRED when the connection was accepted. */
struct control_peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	bool may_change;
	/* The file the request carried (SCM_RIGHTS), or -1.  The server
	 * closes it once the handler returns. */
	int passed_fd;
};

/* The handler writes the body to reply->body and sets reply->status. */
struct control_reply {
	enum control_status status;
	FILE *body;
};

typedef void (*control_handler_fn)(const struct control_request *req,
				   const struct control_peer *peer,
				   struct control_reply *reply, void *data);

struct control_server;

/*
 * Listen on path.  Its directory is made, 0755, when missing; an existing
 * one must be a directory owned by root and not writable by group or
 * others (-EPERM), since whoever can write there could swap the socket
 * for a link to a file the daemon then chowns.  A socket that a running
 * daemon answers on is -EADDRINUSE; a stale one is replaced.  The socket
 * is mode 0660, owned by root and group (NULL or "": root's).
 */
int control_server_new(struct event_loop *loop, const char *path,
		       const char *group, control_handler_fn fn, void *data,
		       struct control_server **out);
/* Closes every connection and removes the socket file. */
void control_server_free(struct control_server *s);
/* socket_group changed (reload): chown the socket, check peers against it. */
int control_server_set_group(struct control_server *s, const char *group);
void control_server_set_deadline(struct control_server *s,
				 unsigned int deadline_ms);
size_t control_server_n_clients(const struct control_server *s);

/* Root, the group itself, or a member of it (getgrouplist). */
bool control_peer_may_change(uid_t uid, gid_t gid, bool have_group,
			     gid_t group);

/*
 * Client: connect to path.  Returns the socket or a negative errno (the
 * daemon is not reachable).
 */
int control_connect(const char *path);
/*
 * Send argv as one request on fd, with pass_fd (SCM_RIGHTS) unless it is
 * -1, and wait up to timeout_ms for the response.  *body is allocated
 * (NUL-terminated).
 */
int control_transact(int fd, int argc, char *const *argv, int pass_fd,
		     int timeout_ms, enum control_status *status, char **body);

#endif
