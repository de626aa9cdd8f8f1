/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "status.h"
#include "util.h"

static char *status_read_attr(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* One attribute, NULL when unreadable. */
static char *status_read_attr(const char *fmt, ...)
{
	char *path, *value = NULL;
	va_list ap;

	va_start(ap, fmt);
	path = xvasprintf(fmt, ap);
	va_end(ap);
	if (read_file_string(path, &value) < 0)
		value = NULL;
	free(path);
	return value;
}

static void status_read_net(struct status_function *f, const char *fdir,
			    const char *net_dir)
{
	char *ifname, *flags;

	/* u_ether fills ifname once the function is bound; before that it
	 * reads as a template ("usb%d") or "(unnamed net_device)". */
	ifname = status_read_attr("%s/ifname", fdir);
	if (!ifname)
		return;
	flags = status_read_attr("%s/%s/flags", net_dir, ifname);
	if (!flags) {
		free(ifname);
		return;
	}
	f->ifname = ifname;
	f->link_up = (strtoul(flags, NULL, 0) & IFF_UP) != 0;
	f->operstate = status_read_attr("%s/%s/operstate", net_dir, ifname);
	free(flags);
}

static void status_read_luns(struct status *st,
			     const struct profile_function *pf,
			     const char *fdir)
{
	for (int n = 0; n < PROFILE_MAX_LUNS; n++) {
		struct status_lun *l;
		char *file, *ro;

		file = status_read_attr("%s/lun.%d/file", fdir, n);
		if (!file)
			continue;
		ro = status_read_attr("%s/lun.%d/ro", fdir, n);
		st->luns = xreallocarray(st->luns, st->n_luns + 1,
					 sizeof(*st->luns));
		l = &st->luns[st->n_luns++];
		l->function = xstrdup(pf->name);
		l->lun = n;
		if (*file) {
			l->file = file;
		} else {
			l->file = NULL;
			free(file);
		}
		l->ro = ro && streq(ro, "1");
		free(ro);
	}
}

void status_read_gadget(struct status *st, const struct profile *p,
			const char *gadget_dir, const char *net_dir)
{
	if (!p)
		return;
	st->functions = xcalloc(p->n_functions ? p->n_functions : 1,
				sizeof(*st->functions));
	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *pf = &p->functions[i];
		struct status_function *f = &st->functions[st->n_functions++];
		char *fdir = xasprintf("%s/functions/%s", gadget_dir, pf->name);

		f->name = xstrdup(pf->name);
		f->type = xstrdup(function_type_configfs_name(pf->type));
		f->network = function_type_is_network(pf->type);
		if (f->network)
			status_read_net(f, fdir, net_dir);
		if (pf->type == FUNCTION_MASS_STORAGE)
			status_read_luns(st, pf, fdir);
		free(fdir);
	}
}

void status_clear(struct status *st)
{
	for (size_t i = 0; i < st->n_functions; i++) {
		free(st->functions[i].name);
		free(st->functions[i].type);
		free(st->functions[i].ifname);
		free(st->functions[i].operstate);
		free(st->functions[i].dhcp);
		if (st->functions[i].program) {
			free(st->functions[i].program->path);
			free(st->functions[i].program->state);
			free(st->functions[i].program);
		}
	}
	free(st->functions);
	for (size_t i = 0; i < st->n_luns; i++) {
		free(st->luns[i].function);
		free(st->luns[i].file);
	}
	free(st->luns);
	st->functions = NULL;
	st->n_functions = 0;
	st->luns = NULL;
	st->n_luns = 0;
}

static void status_json_key(FILE *out, const char *key, const char *value,
			    bool comma)
{
	if (comma)
		fputc(',', out);
	json_write_string(out, key);
	fputc(':', out);
	json_write_string(out, value);
}

static void status_json_program(FILE *out, const struct status_program *p)
{
	fputs(",\"program\":{", out);
	status_json_key(out, "path", p->path, false);
	if (p->pid > 0)
		fprintf(out, ",\"pid\":%ld", p->pid);
	else
		fputs(",\"pid\":null", out);
	/* Not "state": clients that look for the top-level key by name
	 * alone must not find this one. */
	status_json_key(out, "run_state", p->state, true);
	fprintf(out, ",\"restarts\":%u", p->restarts);
	if (p->exit_signal > 0)
		fprintf(out, ",\"last_exit\":{\"signal\":%d}", p->exit_signal);
	else if (p->exit_code >= 0)
		fprintf(out, ",\"last_exit\":{\"code\":%d}", p->exit_code);
	else
		fputs(",\"last_exit\":null", out);
	if (p->next_restart_ms >= 0)
		fprintf(out, ",\"next_restart_ms\":%lld", p->next_restart_ms);
	else
		fputs(",\"next_restart_ms\":null", out);
	if (p->restart_delay_ms >= 0)
		fprintf(out, ",\"restart_delay_ms\":%lld", p->restart_delay_ms);
	else
		fputs(",\"restart_delay_ms\":null", out);
	fputc('}', out);
}

static void status_text_program(FILE *out, const struct status_program *p)
{
	fprintf(out, " program %s %s", p->path, p->state);
	if (p->pid > 0)
		fprintf(out, " (pid %ld)", p->pid);
	if (p->restarts)
		fprintf(out, ", %u restart%s", p->restarts,
			p->restarts == 1 ? "" : "s");
	if (p->exit_signal > 0)
		fprintf(out, ", last exit: signal %d", p->exit_signal);
	else if (p->exit_code >= 0)
		fprintf(out, ", last exit: status %d", p->exit_code);
	if (p->next_restart_ms >= 0)
		fprintf(out, ", next start in %lld of %lld ms",
			p->next_restart_ms, p->restart_delay_ms);
}

/* What ifup/ifdown last did to f's interface: "up", "down" or NULL. */
static const char *status_host_link(const struct status *st,
				    const struct status_function *f)
{
	const char *sp;

	if (!st->link_event || !f->ifname)
		return NULL;
	sp = strchr(st->link_event, ' ');
	if (!sp || strcmp(sp + 1, f->ifname) != 0)
		return NULL;
	return strncmp(st->link_event, "up ", 3) == 0 ? "up" : "down";
}

void status_print_json(const struct status *st, FILE *out)
{
	fputc('{', out);
	status_json_key(out, "profile", st->profile, false);
	status_json_key(out, "profile_path", st->profile_path, true);
	status_json_key(out, "gadget", st->gadget, true);
	status_json_key(out, "state", st->state, true);
	status_json_key(out, "udc", st->udc, true);
	status_json_key(out, "udc_state", st->udc_state, true);
	fputs(",\"host\":{\"attached\":", out);
	fputs(st->host == STATUS_HOST_UNKNOWN ? "null"
	      : st->host == STATUS_HOST_NONE  ? "false"
					      : "true",
	      out);
	status_json_key(out, "source", st->host_source, true);
	status_json_key(out, "speed", st->host_speed, true);
	fputc('}', out);
	fputs(",\"functions\":[", out);
	for (size_t i = 0; i < st->n_functions; i++) {
		const struct status_function *f = &st->functions[i];

		fputs(i ? ",{" : "{", out);
		status_json_key(out, "name", f->name, false);
		status_json_key(out, "type", f->type, true);
		if (f->network) {
			status_json_key(out, "ifname", f->ifname, true);
			status_json_key(out, "link", f->link_up ? "up" : "down",
					true);
			status_json_key(out, "operstate", f->operstate, true);
			/* Only once the ifupdown hook said something. */
			if (status_host_link(st, f))
				status_json_key(out, "host_link",
						status_host_link(st, f), true);
			if (f->dhcp)
				status_json_key(out, "dhcp", f->dhcp, true);
		}
		if (f->program)
			status_json_program(out, f->program);
		fputc('}', out);
	}
	fputs("],\"luns\":[", out);
	for (size_t i = 0; i < st->n_luns; i++) {
		const struct status_lun *l = &st->luns[i];

		fputs(i ? ",{" : "{", out);
		status_json_key(out, "function", l->function, false);
		fprintf(out, ",\"lun\":%d", l->lun);
		status_json_key(out, "file", l->file, true);
		fprintf(out, ",\"ro\":%s", l->ro ? "true" : "false");
		fputc('}', out);
	}
	fputc(']', out);
	status_json_key(out, "link_check", st->link_check, true);
	fputs(",\"fallback\":", out);
	if (st->fallback_chain) {
		fputs("{\"chain\":[", out);
		for (size_t i = 0; i < st->n_fallback_chain; i++) {
			if (i)
				fputc(',', out);
			json_write_string(out, st->fallback_chain[i]);
		}
		fputc(']', out);
		status_json_key(out, "reason", st->fallback_reason, true);
		fputc('}', out);
	} else {
		fputs("null", out);
	}
	status_json_key(out, "error", st->error, true);
	fputs("}\n", out);
}

static const char *status_or(const char *s, const char *fallback)
{
	return s ? s : fallback;
}

void status_print_text(const struct status *st, FILE *out)
{
	fprintf(out, "profile:   %s", status_or(st->profile, "(none)"));
	if (st->profile_path)
		fprintf(out, " (%s)", st->profile_path);
	fprintf(out, "\nstate:     %s\n", status_or(st->state, "(unknown)"));
	fprintf(out, "udc:       %s", status_or(st->udc, "(none)"));
	if (st->udc_state)
		fprintf(out, " (%s)", st->udc_state);
	fputc('\n', out);
	if (st->host == STATUS_HOST_UNKNOWN)
		fputs("host:      unknown\n", out);
	else
		fprintf(out, "host:      %s (%s%s%s)\n",
			st->host == STATUS_HOST_ATTACHED ? "attached" : "none",
			status_or(st->host_source, "?"),
			st->host_speed ? ", " : "",
			st->host_speed ? st->host_speed : "");
	for (size_t i = 0; i < st->n_functions; i++) {
		const struct status_function *f = &st->functions[i];

		fprintf(out, "function:  %s", f->name);
		if (f->network) {
			if (f->ifname)
				fprintf(out, " %s link %s", f->ifname,
					f->link_up ? "up" : "down");
			else
				fputs(" (no interface)", out);
			if (status_host_link(st, f))
				fprintf(out, " (ifupdown: %s)",
					status_host_link(st, f));
			if (f->dhcp)
				fprintf(out, " dhcp %s", f->dhcp);
		}
		if (f->program)
			status_text_program(out, f->program);
		fputc('\n', out);
	}
	for (size_t i = 0; i < st->n_luns; i++) {
		const struct status_lun *l = &st->luns[i];

		fprintf(out, "lun:       %s lun.%d %s%s\n", l->function, l->lun,
			status_or(l->file, "(no medium)"),
			l->ro ? " (ro)" : "");
	}
	if (st->link_check)
		fprintf(out, "links:     %s\n", st->link_check);
	if (st->fallback_reason)
		fprintf(out, "fallback:  %s\n", st->fallback_reason);
	if (st->error)
		fprintf(out, "error:     %s\n", st->error);
}
