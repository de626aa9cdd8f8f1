/* SPDX-License-Identifier: MIT */
/* The command line: global options and the entry point of every verb. */
#ifndef GADGETD_CLI_H
#define GADGETD_CLI_H

/* Exit status (gadgetd(8), EXIT STATUS). */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_UNREACHABLE = 3,
};

struct cli_options {
	const char *config_path; /* -c; NULL = default, missing file is fine */
	const char *socket_path; /* -s; NULL = from config */
	const char *configfs; /* --configfs; NULL = /sys/kernel/config */
	int verbose;
};

/*
 * Each verb gets argv with argv[0] = the verb, parses its own options
 * (every verb takes --help) and returns an exit status.
 */
int cli_daemon(const struct cli_options *opts, int argc, char **argv);
int cli_check(const struct cli_options *opts, int argc, char **argv);
int cli_plan(const struct cli_options *opts, int argc, char **argv);
int cli_export(const struct cli_options *opts, int argc, char **argv);
/* status list switch reload up down msd link-event */
int cli_client(const struct cli_options *opts, int argc, char **argv);

#endif
