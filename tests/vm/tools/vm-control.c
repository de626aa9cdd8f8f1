/* SPDX-License-Identifier: MIT */
/*
 * vm-control: abuse the daemon's control socket the way a buggy or hostile
 * client would, and report what the daemon answered.
 *
 *   vm-control SOCKET junk N     N malformed requests (random bytes, no
 *                                NUL, empty strings, unknown verbs); each
 *                                must get a "usage" answer
 *   vm-control SOCKET big N      N requests of 4097..64 KiB; "usage" each
 *   vm-control SOCKET silent N   N connections that send nothing; each must
 *                                be closed by the daemon (read deadline)
 *   vm-control SOCKET noread N   N status requests whose answers are never
 *                                read (the connection is then dropped); a
 *                                connection the daemon closes at once (its
 *                                per-uid limit) counts as closed
 *
 * Prints "sent N answered A usage U closed C" and exits 0 when every
 * request got what it should, 1 otherwise.
 *
 *   vm-control SOCKET hold N SECONDS
 *                                keep N idle connections open for SECONDS,
 *                                opening a new one whenever the daemon drops
 *                                one (its read deadline, or its limits);
 *                                prints "held N reconnects R"
 *   vm-control SOCKET request ARG...
 *                                ARG... as one request, without the file
 *                                the gadgetd client passes for msd insert;
 *                                prints the answer's status word and body,
 *                                exits 0 on "ok", 1 otherwise
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "control.h"

static unsigned int seed = 12345;

static unsigned int next_random(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

/* Wait for the answer (or the close) on fd: 1 answered, 0 closed. */
static int wait_answer(int fd, char *word, size_t size, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[CONTROL_RESPONSE_MAX];
	ssize_t n;
	size_t len;
	char *nl;

	if (poll(&pfd, 1, timeout_ms) != 1)
		return -ETIMEDOUT;
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	/* The caller wants the first word only: cut it to fit. */
	len = strnlen(buf, size - 1);
	memcpy(word, buf, len);
	word[len] = '\0';
	return 1;
}

static size_t make_junk(int i, char *buf, size_t size)
{
	static const char *const fixed[] = {
		"status", /* no NUL */
		"status\0\0", /* an empty string */
		"reboot\0", /* unknown verb */
		"switch\0", /* missing argument */
		"msd\0insert\0x\0/f\0",
		"status\0\x1b[2J\0",
	};
	static const size_t fixed_len[] = { 6, 8, 7, 7, 16, 12 };
	size_t len;

	if (i % 4 == 0) {
		size_t k = (size_t)(i / 4) % (sizeof(fixed) / sizeof(fixed[0]));

		memcpy(buf, fixed[k], fixed_len[k]);
		return fixed_len[k];
	}
	len = 1 + next_random() % (size - 1);
	for (size_t k = 0; k < len; k++)
		buf[k] = (char)(next_random() & 0xff);
	/* Random bytes that happen to end in NUL and spell a valid verb are
	 * possible in theory; make them never end in NUL. */
	if (buf[len - 1] == '\0')
		buf[len - 1] = 'x';
	return len;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A member holding connections: what a per-uid limit must stand. */
static int hold(const char *path, int n, int seconds)
{
	struct pollfd *pfd = calloc((size_t)n, sizeof(*pfd));
	long long end = now_ms() + (long long)seconds * 1000;
	int reconnects = 0;

	if (!pfd)
		return 1;
	for (int i = 0; i < n; i++) {
		pfd[i].fd = control_connect(path);
		pfd[i].events = POLLIN;
	}
	while (now_ms() < end) {
		/* Paced: a round of reconnects every 50 ms at most, so that
		 * the test measures the daemon's limits, not a guest CPU
		 * that this loop keeps busy. */
		const struct timespec pace = { .tv_nsec = 50 * 1000 * 1000 };

		if (poll(pfd, (nfds_t)n, 20) <= 0)
			continue;
		nanosleep(&pace, NULL);
		for (int i = 0; i < n; i++) {
			char c;

			if (!pfd[i].revents)
				continue;
			if (recv(pfd[i].fd, &c, 1, MSG_DONTWAIT) > 0)
				continue;
			close(pfd[i].fd);
			pfd[i].fd = control_connect(path);
			reconnects++;
		}
	}
	for (int i = 0; i < n; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	free(pfd);
	printf("held %d reconnects %d\n", n, reconnects);
	return 0;
}

static int request(const char *path, int argc, char **argv)
{
	enum control_status status;
	char *body = NULL;
	int fd = control_connect(path), r;

	if (fd < 0) {
		fprintf(stderr, "vm-control: connect %s: %s\n", path,
			strerror(-fd));
		return 1;
	}
	r = control_transact(fd, argc, argv, -1, 5000, &status, &body);
	close(fd);
	if (r < 0) {
		fprintf(stderr, "vm-control: request: %s\n", strerror(-r));
		return 1;
	}
	printf("%s\n%s", control_status_word(status), body);
	free(body);
	return status == CONTROL_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	int n, sent = 0, answered = 0, usage = 0, closed = 0, bad = 0;
	const char *path, *mode;
	static char buf[65536];

	if (argc >= 4 && strcmp(argv[2], "request") == 0)
		return request(argv[1], argc - 3, argv + 3);
	if (argc == 5 && strcmp(argv[2], "hold") == 0)
		return hold(argv[1], atoi(argv[3]), atoi(argv[4]));
	if (argc != 4) {
		fprintf(stderr,
			"usage: vm-control SOCKET junk|big|silent|noread N\n"
			"       vm-control SOCKET hold N SECONDS\n"
			"       vm-control SOCKET request ARG...\n");
		return 2;
	}
	path = argv[1];
	mode = argv[2];
	n = atoi(argv[3]);
	for (int i = 0; i < n; i++) {
		char word[32] = "";
		size_t len = 0;
		int fd = control_connect(path), r;

		if (fd < 0) {
			fprintf(stderr, "vm-control: connect %s: %s\n", path,
				strerror(-fd));
			return 1;
		}
		if (strcmp(mode, "junk") == 0) {
			len = make_junk(i, buf, 200);
		} else if (strcmp(mode, "big") == 0) {
			len = CONTROL_REQUEST_MAX + 1 +
			      next_random() %
				      (sizeof(buf) - CONTROL_REQUEST_MAX - 1);
			memset(buf, 'a', len);
		} else if (strcmp(mode, "noread") == 0) {
			memcpy(buf, "status\0", 7);
			len = 7;
		}
		if (len) {
			if (send(fd, buf, len, MSG_NOSIGNAL) < 0) {
				/* noread clients pile up faster than the
				 * daemon answers them; past the per-uid
				 * limit it closes new ones at once, which is
				 * what it should do. */
				bool refused = (errno == EPIPE ||
						errno == ECONNRESET) &&
					       strcmp(mode, "noread") == 0;

				if (refused) {
					closed++;
				} else {
					fprintf(stderr,
						"vm-control: send: %s\n",
						strerror(errno));
					bad++;
				}
				close(fd);
				continue;
			}
			sent++;
		}
		if (strcmp(mode, "noread") == 0) {
			/* Never read: leave the answer in the socket and go. */
			close(fd);
			continue;
		}
		r = wait_answer(fd, word, sizeof(word),
				strcmp(mode, "silent") == 0 ? 5000 : 2000);
		close(fd);
		if (r == 1) {
			answered++;
			if (strcmp(word, "usage") == 0)
				usage++;
			else
				bad++;
		} else if (r == 0) {
			closed++;
			if (strcmp(mode, "silent") != 0)
				bad++;
		} else {
			fprintf(stderr, "vm-control: request %d: %s\n", i,
				strerror(-r));
			bad++;
		}
	}
	printf("sent %d answered %d usage %d closed %d\n", sent, answered,
	       usage, closed);
	return bad ? 1 : 0;
}
