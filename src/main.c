/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "util.h"

#ifndef GADGETD_VERSION
#define GADGETD_VERSION "0.0.0"
#endif

struct verb {
	const char *name;
	int (*run)(const struct cli_options *opts, int argc, char **argv);
};

static const struct verb verbs[] = {
	{ "daemon", cli_daemon }, { "status", cli_client },
	{ "list", cli_client },	  { "switch", cli_client },
	{ "reload", cli_client }, { "up", cli_client },
	{ "down", cli_client },	  { "msd", cli_client },
	{ "replug", cli_client }, { "link-event", cli_client },
	{ "check", cli_check },	  { "plan", cli_plan },
	{ "export", cli_export },
};

static void usage(FILE *out)
{
	fputs("usage: gadgetd [GLOBAL OPTIONS] VERB [ARGS]\n"
	      "\n"
	      "Global options:\n"
	      "  -c, --config FILE     main config (default /etc/gadgetd/gadgetd.conf)\n"
	      "  -s, --socket PATH     control socket (default from config)\n"
	      "      --configfs DIR    configfs mount point (default /sys/kernel/config)\n"
	      "  -v, --verbose         more log output (repeatable)\n"
	      "  -h, --help            this help; every verb also takes --help\n"
	      "  -V, --version         print the version\n"
	      "\n"
	      "Daemon:\n"
	      "  daemon [--pidfile FILE] [--background] [--profile NAME] [--udc NAME]\n"
	      "\n"
	      "Client verbs (need a running daemon):\n"
	      "  status [--json]              active profile, state, UDC, functions, LUNs\n"
	      "  list [--json]                available profiles\n"
	      "  switch PROFILE               atomic switch to another profile\n"
	      "  reload                       re-read config and profiles\n"
	      "  up | down                    bind to / unbind from the UDC\n"
	      "  replug                       disconnect and connect: the host enumerates again\n"
	      "  msd insert LUN FILE [--ro]   change the medium of a mass-storage LUN\n"
	      "  msd eject LUN                eject it\n"
	      "  link-event up|down IFACE     report an interface change\n"
	      "\n"
	      "Offline verbs:\n"
	      "  check [PROFILE|FILE ...]     validate profiles\n"
	      "  plan [--teardown] PROFILE    print the configfs operations as sh\n"
	      "  export [GADGET]              print a live configfs gadget as a profile\n"
	      "\n"
	      "Exit status: 0 success, 1 failed, 2 usage error, 3 daemon not reachable.\n",
	      out);
}

/*
 * Output to stdout is checked once, here, not at every fprintf: a verb
 * whose output did not all arrive (a full disk, a closed pipe) fails.
 */
static int main_finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "gadgetd: writing the output: %s\n",
			strerror(errno ? errno : EIO));
		return status == EXIT_OK ? EXIT_FAILED : status;
	}
	return status;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "configfs", required_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_options opts = { 0 };
	int c;

	/* "+": stop at the verb, whose own options follow it. */
	while ((c = getopt_long(argc, argv, "+c:s:vhV", options, NULL)) != -1) {
		switch (c) {
		case 'c':
			opts.config_path = optarg;
			break;
		case 's':
			opts.socket_path = optarg;
			break;
		case 'F':
			opts.configfs = optarg;
			break;
		case 'v':
			opts.verbose++;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("gadgetd %s\n", GADGETD_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}

	if (opts.verbose)
		log_set_level(LOG_LEVEL_DEBUG);
	/* Under a unit, journald reads "<4>" as the line's priority, so that
	 * `journalctl -p warning` finds the warnings and errors. */
	if (log_stderr_is_journal())
		log_set_syslog_prefix(1);
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}

	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++) {
		if (strcmp(argv[optind], verbs[i].name) == 0) {
			int verb_argc = argc - optind;
			char **verb_argv = argv + optind;

			/* Each verb parses its own options from a fresh start. */
			optind = 1;
			return main_finish_stdout(
				verbs[i].run(&opts, verb_argc, verb_argv));
		}
	}

	fprintf(stderr, "gadgetd: unknown verb '%s' (see gadgetd --help)\n",
		argv[optind]);
	return EXIT_USAGE;
}
