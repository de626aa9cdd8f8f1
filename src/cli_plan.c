/* SPDX-License-Identifier: MIT */
/*
 * `gadgetd plan [--teardown] PROFILE`: print the configfs operations the
 * daemon would perform for PROFILE, as a runnable sh script, without
 * touching configfs.  The script is printed from the same plan the daemon
 * applies, so it is also the reviewable record of what the daemon does.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "plan.h"
#include "util.h"

static void cli_plan_usage(FILE *out)
{
	fputs("usage: gadgetd [-c FILE] plan [--teardown] PROFILE\n"
	      "\n"
	      "Print the configfs operations that build PROFILE's gadget and\n"
	      "bind it to a UDC, as a runnable sh script (CONFIGFS and UDC can\n"
	      "be set in its environment), followed by the teardown as a\n"
	      "comment.  Values the profile leaves to the board (serial = auto,\n"
	      "MAC addresses = auto) are resolved as the daemon resolves them.\n"
	      "Nothing is changed.\n"
	      "\n"
	      "  --teardown   print only the teardown script, which removes the\n"
	      "               gadget in reverse order\n"
	      "  -h, --help   this help\n",
	      out);
}

/* The teardown as a comment block under the build script. */
static int cli_plan_print_commented(const struct plan *plan, FILE *out)
{
	char *text = NULL, *line, *next;
	size_t len = 0;
	FILE *mem;

	mem = open_memstream(&text, &len);
	if (!mem)
		return -1;
	plan_print_teardown_sh(plan, mem);
	if (fclose(mem) != 0) {
		free(text);
		return -1;
	}
	fprintf(out, "\n# ---- teardown (gadgetd plan --teardown %s) ----\n",
		plan->profile->name);
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		fprintf(out, *line ? "# %s\n" : "#\n", line);
	}
	free(text);
	return 0;
}

int cli_plan(const struct cli_options *opts, int argc, char **argv)
{
	static const struct option options[] = {
		{ "teardown", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gadgetd_config cfg;
	struct diag_list diags;
	struct profile *p = NULL;
	struct plan plan = { 0 };
	struct plan_env env = { 0 };
	bool teardown = false, planned = false;
	int c, status = EXIT_FAILED;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 't':
			teardown = true;
			break;
		case 'h':
			cli_plan_usage(stdout);
			return EXIT_OK;
		default:
			cli_plan_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_plan_usage(stderr);
		return EXIT_USAGE;
	}

	diag_init(&diags);
	config_init_defaults(&cfg);
	if (config_load(opts->config_path ? opts->config_path
					  : CONFIG_DEFAULT_PATH,
			opts->config_path != NULL, &cfg, &diags) < 0)
		goto out;
	if (config_load_profile(&cfg, argv[optind], &p, &diags) < 0)
		goto out;
	env.gadget_name = cfg.gadget;
	if (plan_build(p, &env, &plan, &diags) < 0)
		goto out;
	planned = true;

	if (teardown) {
		plan_print_teardown_sh(&plan, stdout);
	} else {
		plan_print_sh(&plan, stdout);
		if (cli_plan_print_commented(&plan, stdout) < 0)
			goto out;
	}
	if (fflush(stdout) == 0)
		status = EXIT_OK;
out:
	/* Warnings too (a skipped optional LUN): the script is still
	 * printed. */
	diag_print(&diags, stderr);
	diag_clear(&diags);
	if (planned)
		plan_free(&plan);
	profile_free(p);
	config_free(&cfg);
	return status;
}
