/* SPDX-License-Identifier: MIT */
/* `gadgetd export [GADGET]`: print a live configfs gadget as an INI profile. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "config.h"
#include "export.h"
#include "util.h"

static void cli_export_usage(FILE *out)
{
	fputs("usage: gadgetd [--configfs DIR] export [GADGET]\n"
	      "\n"
	      "Read the configfs gadget GADGET and print it as an INI profile.\n"
	      "Without GADGET: the gadget named in gadgetd.conf (gadgetd),\n"
	      "else the only gadget there is.  Settings configfs does not\n"
	      "hold (network addresses, link policy, DHCP) are left out.\n",
	      out);
}

int cli_export(const struct cli_options *opts, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_options eopts = { .configfs = opts->configfs };
	struct gadgetd_config cfg;
	struct diag_list diags;
	struct profile *p = NULL;
	char *gadget = NULL, *text = NULL;
	size_t len = 0;
	FILE *mem;
	int c, r, status = EXIT_FAILED;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_export_usage(stdout);
			return EXIT_OK;
		default:
			cli_export_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		cli_export_usage(stderr);
		return EXIT_USAGE;
	}

	diag_init(&diags);
	config_init_defaults(&cfg);
	r = config_load(opts->config_path ? opts->config_path
					  : CONFIG_DEFAULT_PATH,
			opts->config_path != NULL, &cfg, &diags);
	if (r < 0)
		goto out;

	r = export_choose_gadget(opts->configfs,
				 optind < argc ? argv[optind] : NULL,
				 cfg.gadget, &gadget, &diags);
	if (r < 0)
		goto out;
	r = export_gadget(&eopts, gadget, &p, &diags);
	if (r < 0)
		goto out;

	/* Written to memory first, so that a value the INI syntax cannot
	 * hold fails the export instead of printing half a profile. */
	mem = open_memstream(&text, &len);
	if (!mem)
		goto out;
	fprintf(mem, "; exported by gadgetd from configfs gadget %s\n", gadget);
	r = profile_write_ini(p, mem);
	/* A memory stream that failed to grow has lost text. */
	if (fclose(mem) != 0 && r >= 0)
		r = -errno;
	if (r < 0)
		goto out;
	fwrite(text, 1, len, stdout);
	if (fflush(stdout) == 0)
		status = EXIT_OK;
out:
	diag_print(&diags, stderr);
	diag_clear(&diags);
	profile_free(p);
	config_free(&cfg);
	free(gadget);
	free(text);
	return status;
}
