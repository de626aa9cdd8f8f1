/* SPDX-License-Identifier: MIT */
/*
 * `gadgetd check [PROFILE|FILE ...]`: validate profiles offline.  Every
 * problem goes to stderr as FILE:LINE: message; each profile without
 * errors gets "FILE: ok" on stdout, so an operator sees what was checked.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "endpoint_budget.h"
#include "profile_catalog.h"
#include "util.h"

static void cli_check_usage(FILE *out)
{
	fputs("usage: gadgetd [-c FILE] check [--udc NAME] [PROFILE|FILE ...]\n"
	      "\n"
	      "Validate profiles without touching configfs.  PROFILE is a\n"
	      "name looked up in the profile directories of gadgetd.conf,\n"
	      "FILE a path (with a '/') to a .ini, .cfg or .scheme profile.\n"
	      "Without arguments, every profile in the profile directories\n"
	      "(first match wins per name).  --udc NAME also checks that\n"
	      "each configuration's endpoints fit that UDC (dummy_udc.0,\n"
	      "49000000.usb-otg, fe980000.usb, ...).  Prints every problem as\n"
	      "FILE:LINE: message on stderr and FILE: ok for each valid\n"
	      "profile.  Exit status 1 if any profile has an error; warnings\n"
	      "alone do not fail.\n",
	      out);
}

struct check_list {
	char **names;
	size_t n;
};

static void check_list_add(struct check_list *l, char *name)
{
	l->names = xreallocarray(l->names, l->n + 1, sizeof(*l->names));
	l->names[l->n++] = name;
}

static void check_list_free(struct check_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
}

/* Profile names in the profile dirs, each once, sorted. */
static void check_collect_names(const struct gadgetd_config *cfg,
				struct check_list *names)
{
	struct profile_catalog_entry *entries;
	size_t n;

	profile_catalog_list(cfg->profile_dirs, &entries, &n);
	for (size_t i = 0; i < n; i++)
		check_list_add(names, xstrdup(entries[i].name));
	profile_catalog_entries_free(entries, n);
}

struct check_diag {
	const struct diag *diag;
	size_t order; /* as found: qsort is not stable */
};

static int check_compare_diags(const void *a, const void *b)
{
	const struct check_diag *x = a, *y = b;
	int r = strcmp(x->diag->file, y->diag->file);

	if (r)
		return r;
	if (x->diag->line != y->diag->line)
		return (x->diag->line > y->diag->line) -
		       (x->diag->line < y->diag->line);
	return (x->order > y->order) - (x->order < y->order);
}

/* Loading and validation find problems in two passes; print them in file
 * order, as a compiler does. */
static void check_print_sorted(const struct diag_list *diags)
{
	struct check_diag *sorted = xcalloc(diags->n, sizeof(*sorted));
	char line[1024];

	for (size_t i = 0; i < diags->n; i++) {
		sorted[i].diag = &diags->items[i];
		sorted[i].order = i;
	}
	qsort(sorted, diags->n, sizeof(*sorted), check_compare_diags);
	for (size_t i = 0; i < diags->n; i++) {
		diag_format(sorted[i].diag, line, sizeof(line));
		fprintf(stderr, "%s\n", line);
	}
	free(sorted);
}

/*
 * A fallback the profile directories do not have stops the walk there at
 * run time: a warning, since the profile may be checked before the
 * others are installed.
 */
static void check_fallbacks(const struct gadgetd_config *cfg,
			    const struct profile *p, struct diag_list *diags)
{
	for (size_t i = 0; i < p->n_fallback; i++) {
		char *path = NULL;

		if (profile_catalog_find(cfg->profile_dirs, p->fallback[i],
					 &path) < 0)
			diag_warning(
				diags, p->path, p->fallback_line,
				"fallback profile '%s' is not in the profile directories: the daemon would stop there",
				p->fallback[i]);
		free(path);
	}
}

/* Returns true when the profile has no error. */
static bool check_one(const struct gadgetd_config *cfg, const char *name,
		      const char *udc)
{
	struct diag_list diags;
	struct profile *p = NULL;
	char *path = NULL;
	bool ok;

	diag_init(&diags);
	if (config_load_profile(cfg, name, &p, &diags) == 0) {
		check_fallbacks(cfg, p, &diags);
		if (udc)
			endpoint_budget_check(p, udc, &diags);
	}
	check_print_sorted(&diags);
	ok = diags.n_errors == 0;
	if (ok && profile_catalog_find(cfg->profile_dirs, name, &path) == 0)
		printf("%s: ok\n", path);
	free(path);
	profile_free(p);
	diag_clear(&diags);
	return ok;
}

int cli_check(const struct cli_options *opts, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "udc", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	struct gadgetd_config cfg;
	struct diag_list diags;
	struct check_list names = { 0 };
	const char *udc = NULL;
	bool ok = true;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_check_usage(stdout);
			return EXIT_OK;
		case 'u':
			udc = optarg;
			if (!endpoint_budget_knows(udc)) {
				fprintf(stderr,
					"gadgetd check: --udc %s: no endpoint table for this UDC (known: %s)\n",
					udc, endpoint_budget_known_udcs());
				return EXIT_USAGE;
			}
			break;
		default:
			cli_check_usage(stderr);
			return EXIT_USAGE;
		}
	}

	/* A broken gadgetd.conf is a problem check reports too; the
	 * profiles are still checked against what could be read. */
	diag_init(&diags);
	config_init_defaults(&cfg);
	config_load(opts->config_path ? opts->config_path : CONFIG_DEFAULT_PATH,
		    opts->config_path != NULL, &cfg, &diags);
	diag_print(&diags, stderr);
	ok = diags.n_errors == 0;
	diag_clear(&diags);

	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			check_list_add(&names, xstrdup(argv[i]));
	} else {
		check_collect_names(&cfg, &names);
		if (names.n == 0) {
			fprintf(stderr, "gadgetd check: no profiles in");
			for (char **dir = cfg.profile_dirs; dir && *dir; dir++)
				fprintf(stderr, " %s", *dir);
			fputc('\n', stderr);
			ok = false;
		}
	}

	for (size_t i = 0; i < names.n; i++)
		ok &= check_one(&cfg, names.names[i], udc);

	check_list_free(&names);
	config_free(&cfg);
	if (fflush(stdout) != 0)
		ok = false;
	return ok ? EXIT_OK : EXIT_FAILED;
}
