/* SPDX-License-Identifier: MIT */
/*
 * gadgetd.conf: [daemon] settings and [gadget] defaults.  The [gadget]
 * keys go through profile_set_key(), so they take exactly what a
 * profile's [gadget] takes, with the same messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ini_reader.h"
#include "profile_catalog.h"
#include "profile_load.h"
#include "util.h"

/* sizeof(((struct sockaddr_un *)0)->sun_path) - 1 */
#define CONFIG_SOCKET_PATH_MAX 107
#define CONFIG_GADGET_NAME_MAX 64

static char **config_default_dirs(void)
{
	char **dirs = xcalloc(3, sizeof(*dirs));

	dirs[0] = xstrdup(GADGETD_SYSCONFDIR "/gadgetd/profiles");
	dirs[1] = xstrdup(GADGETD_DATADIR "/gadgetd/profiles");
	return dirs;
}

static void config_free_dirs(char **dirs)
{
	if (!dirs)
		return;
	for (char **d = dirs; *d; d++)
		free(*d);
	free(dirs);
}

static void config_free_gadget(struct profile_gadget *g)
{
	free(g->manufacturer.value);
	free(g->product.value);
	free(g->serial.value);
	memset(g, 0, sizeof(*g));
}

void config_init_defaults(struct gadgetd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->profile = xstrdup("ecm-only");
	cfg->udc = xstrdup("auto");
	cfg->gadget = xstrdup("gadgetd");
	cfg->profile_dirs = config_default_dirs();
	cfg->socket = xstrdup(CONFIG_DEFAULT_SOCKET);
	cfg->hooks_dir = xstrdup(GADGETD_SYSCONFDIR "/gadgetd/hooks.d");
	cfg->keep_on_exit = false;
}

void config_free(struct gadgetd_config *cfg)
{
	free(cfg->path);
	free(cfg->profile);
	free(cfg->udc);
	free(cfg->gadget);
	config_free_dirs(cfg->profile_dirs);
	free(cfg->socket);
	free(cfg->socket_group);
	free(cfg->hooks_dir);
	config_free_gadget(&cfg->gadget_defaults);
	memset(cfg, 0, sizeof(*cfg));
}

/* ---- loading ---- */

enum config_section {
	CONFIG_NONE,
	CONFIG_DAEMON,
	CONFIG_GADGET,
	CONFIG_REFUSED
};

struct config_key_seen {
	char *key;
	int line;
};

struct config_ctx {
	struct gadgetd_config *cfg;
	const char *path;
	char *dir; /* of the file, for relative profile_dirs */
	struct diag_list *diags;
	enum config_section section;
	int daemon_line;
	struct config_key_seen *seen; /* keys of [daemon] */
	size_t n_seen;
	struct profile *gadget; /* [gadget] goes through the profile schema */
};

static void config_section(void *user, const char *name, int line)
{
	struct config_ctx *ctx = user;

	ctx->section = CONFIG_REFUSED;
	if (streq(name, "daemon")) {
		if (ctx->daemon_line) {
			diag_error(ctx->diags, ctx->path, line,
				   "duplicate section [daemon] (first on line "
				   "%d)",
				   ctx->daemon_line);
			return;
		}
		ctx->daemon_line = line;
		ctx->section = CONFIG_DAEMON;
	} else if (streq(name, "gadget")) {
		if (profile_begin_section(ctx->gadget, name, line,
					  ctx->diags) == 0)
			ctx->section = CONFIG_GADGET;
	} else {
		diag_error(ctx->diags, ctx->path, line,
			   "unknown section [%s]: expected [daemon] or "
			   "[gadget]",
			   name);
	}
}

static void config_replace(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static bool config_gadget_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CONFIG_GADGET_NAME_MAX || streq(s, ".") ||
	    streq(s, ".."))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static bool config_set_dirs(struct config_ctx *ctx, const char *value)
{
	char *list = xstrdup(value);
	char *save = NULL, *tok;
	char **dirs = NULL;
	size_t n = 0;

	for (tok = strtok_r(list, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		dirs = xreallocarray(dirs, n + 2, sizeof(*dirs));
		/* Relative to the config file, not to wherever the daemon
		 * was started from. */
		if (tok[0] == '/' || !ctx->dir)
			dirs[n++] = xstrdup(tok);
		else
			dirs[n++] = xasprintf("%s/%s", ctx->dir, tok);
		dirs[n] = NULL;
	}
	free(list);
	if (n == 0)
		return false;
	config_free_dirs(ctx->cfg->profile_dirs);
	ctx->cfg->profile_dirs = dirs;
	return true;
}

static void config_daemon_key(struct config_ctx *ctx, const char *key,
			      const char *value, int line)
{
	struct gadgetd_config *cfg = ctx->cfg;
	const char *expected = NULL;
	bool b;

	if (streq(key, "profile")) {
		if (!*value)
			expected = "a profile name or path";
		else
			config_replace(&cfg->profile, value);
	} else if (streq(key, "udc")) {
		if (!*value || strpbrk(value, "/ \t"))
			expected = "auto or a UDC name from /sys/class/udc";
		else
			config_replace(&cfg->udc, value);
	} else if (streq(key, "gadget")) {
		if (!config_gadget_name_valid(value))
			expected = "a configfs directory name: 1 to 64 "
				   "letters, digits, '_', '.' or '-'";
		else
			config_replace(&cfg->gadget, value);
	} else if (streq(key, "profile_dirs")) {
		if (!config_set_dirs(ctx, value))
			expected = "one or more directories";
	} else if (streq(key, "socket")) {
		if (value[0] != '/' || strlen(value) > CONFIG_SOCKET_PATH_MAX)
			expected = "an absolute path of at most 107 characters";
		else
			config_replace(&cfg->socket, value);
	} else if (streq(key, "socket_group")) {
		free(cfg->socket_group);
		cfg->socket_group = *value ? xstrdup(value) : NULL;
	} else if (streq(key, "hooks_dir")) {
		if (!*value)
			expected = "a directory";
		else
			config_replace(&cfg->hooks_dir, value);
	} else if (streq(key, "keep_on_exit")) {
		if (!profile_parse_bool(value, &b))
			expected = "yes, no, true, false, on, off, 1 or 0";
		else
			cfg->keep_on_exit = b;
	} else {
		diag_error(ctx->diags, ctx->path, line,
			   "unknown key '%s' in [daemon]", key);
		return;
	}
	if (expected)
		diag_error(ctx->diags, ctx->path, line,
			   "invalid value '%s' for '%s': expected %s", value,
			   key, expected);
}

static void config_key(void *user, const char *key, const char *value, int line)
{
	struct config_ctx *ctx = user;

	switch (ctx->section) {
	case CONFIG_NONE:
		diag_error(ctx->diags, ctx->path, line,
			   "key '%s' outside of any section", key);
		return;
	case CONFIG_REFUSED:
		return;
	case CONFIG_GADGET:
		/* Defaults are merged key by key; strings in other languages
		 * belong with the plain strings of the profile. */
		if (str_starts_with(key, "strings.")) {
			diag_error(ctx->diags, ctx->path, line,
				   "unknown key '%s' in [gadget]: strings in "
				   "other languages belong in a profile",
				   key);
			return;
		}
		profile_set_key(ctx->gadget, key, value, line, ctx->diags);
		return;
	case CONFIG_DAEMON:
		break;
	}

	for (size_t i = 0; i < ctx->n_seen; i++) {
		if (streq(ctx->seen[i].key, key)) {
			diag_error(ctx->diags, ctx->path, line,
				   "duplicate key '%s' in [daemon] (first on "
				   "line %d)",
				   key, ctx->seen[i].line);
			return;
		}
	}
	ctx->seen =
		xreallocarray(ctx->seen, ctx->n_seen + 1, sizeof(*ctx->seen));
	ctx->seen[ctx->n_seen].key = xstrdup(key);
	ctx->seen[ctx->n_seen].line = line;
	ctx->n_seen++;
	config_daemon_key(ctx, key, value, line);
}

static const struct ini_reader_ops config_ini_ops = {
	.section = config_section,
	.key = config_key,
};

int config_load(const char *path, bool must_exist, struct gadgetd_config *cfg,
		struct diag_list *diags)
{
	struct config_ctx ctx = {
		.cfg = cfg,
		.path = path,
		.diags = diags,
	};
	size_t errors = diags->n_errors;
	const char *slash;
	char *data = NULL;
	size_t len;
	int r;

	r = ini_reader_read_file(path, &data, &len);
	if (r == -ENOENT && !must_exist)
		return 0;
	if (r == -EFBIG) {
		diag_error(diags, path, 0, "file too large: at most %zu bytes",
			   INI_READER_MAX_FILE);
		return r;
	}
	if (r < 0) {
		diag_error(diags, path, 0, "%s",
			   r == -EINVAL ? READ_REGULAR_FILE_NOT_REGULAR
					: strerror(-r));
		return r;
	}

	slash = strrchr(path, '/');
	ctx.dir = slash ? xstrndup(path,
				   slash == path ? 1 : (size_t)(slash - path))
			: NULL;
	ctx.gadget = profile_new(path);
	r = ini_reader_parse(path, data, len, &config_ini_ops, &ctx, diags);

	config_free_gadget(&cfg->gadget_defaults);
	cfg->gadget_defaults = ctx.gadget->gadget;
	memset(&ctx.gadget->gadget, 0, sizeof(ctx.gadget->gadget));
	profile_free(ctx.gadget);
	config_replace(&cfg->path, path);

	for (size_t i = 0; i < ctx.n_seen; i++)
		free(ctx.seen[i].key);
	free(ctx.seen);
	free(ctx.dir);
	free(data);
	if (r == -ENOMEM)
		return r;
	return diags->n_errors > errors ? -EINVAL : 0;
}

/* ---- profiles ---- */

static char *config_dirs_text(const struct gadgetd_config *cfg)
{
	char *text = xstrdup("");

	for (char **dir = cfg->profile_dirs; dir && *dir; dir++) {
		char *next = xasprintf("%s%s%s", text, *text ? " " : "", *dir);

		free(text);
		text = next;
	}
	return text;
}

int config_load_profile(const struct gadgetd_config *cfg, const char *name,
			struct profile **out, struct diag_list *diags)
{
	struct profile *p = NULL;
	char *path = NULL;
	int r, v;

	*out = NULL;
	r = profile_catalog_find(cfg->profile_dirs, name, &path);
	if (r < 0) {
		char *dirs = config_dirs_text(cfg);

		diag_error(diags, name, 0, "no such profile in %s",
			   *dirs ? dirs : "(no profile_dirs)");
		free(dirs);
		return r;
	}
	r = profile_load_unvalidated(path, &p, diags);
	free(path);
	if (!p)
		return r;
	profile_merge_gadget_defaults(p, &cfg->gadget_defaults);
	v = profile_validate(p, diags);
	if (r < 0 || v < 0) {
		profile_free(p);
		return r < 0 ? r : v;
	}
	*out = p;
	return 0;
}
