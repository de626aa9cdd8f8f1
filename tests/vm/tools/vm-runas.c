/* SPDX-License-Identifier: MIT */
/*
 * vm-runas: run a command as another user, with exactly the groups the
 * group database gives that user (initgroups), as su would.  busybox in
 * the test bed has no setpriv or chpst, and its su needs a password.
 *
 *   vm-runas USER COMMAND [ARG...]
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct passwd *pw;

	if (argc < 3) {
		fprintf(stderr, "usage: vm-runas USER COMMAND [ARG...]\n");
		return 2;
	}
	pw = getpwnam(argv[1]);
	if (!pw) {
		fprintf(stderr, "vm-runas: no user %s\n", argv[1]);
		return 2;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0) {
		fprintf(stderr, "vm-runas: cannot become %s: %s\n", argv[1],
			strerror(errno));
		return 2;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "vm-runas: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
