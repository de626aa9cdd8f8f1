/* SPDX-License-Identifier: MIT */
/*
 * The INI profile loader: a translator from ini_reader's sections and keys
 * to profile_begin_section()/profile_set_key(), where every check lives.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gadgetd/profile.h"
#include "ini_reader.h"
#include "profile_catalog.h"
#include "profile_libconfig.h"
#include "profile_load.h"
#include "util.h"

struct profile_ini_ctx {
	struct profile *p;
	struct diag_list *diags;
};

static void profile_ini_section(void *user, const char *name, int line)
{
	struct profile_ini_ctx *ctx = user;

	profile_begin_section(ctx->p, name, line, ctx->diags);
}

static void profile_ini_key(void *user, const char *key, const char *value,
			    int line)
{
	struct profile_ini_ctx *ctx = user;

	profile_set_key(ctx->p, key, value, line, ctx->diags);
}

static bool profile_ini_stop(void *user)
{
	const struct profile_ini_ctx *ctx = user;

	return profile_load_cut_short(ctx->p);
}

static const struct ini_reader_ops profile_ini_ops = {
	.section = profile_ini_section,
	.key = profile_ini_key,
	.stop = profile_ini_stop,
};

/* Always sets *out; returns -EINVAL if anything was wrong. */
static int profile_ini_parse(const char *path, const char *data, size_t len,
			     struct profile **out, struct diag_list *diags)
{
	struct profile_ini_ctx ctx = {
		.p = profile_new(path),
		.diags = diags,
	};
	size_t errors = diags->n_errors;
	int r;

	r = ini_reader_parse(path, data, len, &profile_ini_ops, &ctx, diags);
	*out = ctx.p;
	if (r == -ENOMEM)
		return r;
	return diags->n_errors > errors ? -EINVAL : 0;
}

int profile_load_ini_buffer(const char *path, const char *data, size_t len,
			    struct profile **out, struct diag_list *diags)
{
	struct profile *p;
	int r;

	*out = NULL;
	r = profile_ini_parse(path, data, len, &p, diags);
	if (r < 0) {
		profile_free(p);
		return r;
	}
	*out = p;
	return 0;
}

int profile_read_file(const char *path, char **data, size_t *len,
		      struct diag_list *diags)
{
	int r = read_regular_file(path, PROFILE_FILE_MAX, data, len);

	if (r == -EFBIG)
		diag_error(diags, path, 0, "file too large: at most %zu bytes",
			   PROFILE_FILE_MAX);
	else if (r == -EINVAL)
		diag_error(diags, path, 0, "%s", READ_REGULAR_FILE_NOT_REGULAR);
	else if (r < 0)
		diag_error(diags, path, 0, "%s", strerror(-r));
	return r;
}

int profile_load_ini(const char *path, struct profile **out,
		     struct diag_list *diags)
{
	char *data;
	size_t len;
	int r;

	*out = NULL;
	r = profile_read_file(path, &data, &len, diags);
	if (r < 0)
		return r;
	r = profile_load_ini_buffer(path, data, len, out, diags);
	free(data);
	return r;
}

int profile_load_unvalidated(const char *path, struct profile **out,
			     struct diag_list *diags)
{
	char *data;
	size_t len;
	int r;

	*out = NULL;
	switch (profile_catalog_format(path)) {
	case PROFILE_FORMAT_LIBCONFIG:
		return profile_libconfig_parse(path, out, diags);
	case PROFILE_FORMAT_INI:
		break;
	case PROFILE_FORMAT_UNKNOWN:
		diag_error(diags, path, 0,
			   "unknown profile format: expected a .ini, .cfg or "
			   ".scheme file");
		return -EINVAL;
	}
	r = profile_read_file(path, &data, &len, diags);
	if (r < 0)
		return r;
	r = profile_ini_parse(path, data, len, out, diags);
	free(data);
	return r;
}

int profile_load(const char *path, struct profile **out,
		 struct diag_list *diags)
{
	struct profile *p;
	int r, v;

	*out = NULL;
	r = profile_load_unvalidated(path, &p, diags);
	if (!p)
		return r;
	v = profile_validate(p, diags);
	if (r < 0 || v < 0) {
		profile_free(p);
		return r < 0 ? r : v;
	}
	*out = p;
	return 0;
}
