/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "log.h"
#include "msd_attach.h"
#include "util.h"

struct msd_attach {
	struct event_loop *loop;
	struct event_source *timer;
	/* A shallow copy: the ops and masks stay the owner's. */
	struct plan plan_copy;
	const struct plan *plan; /* &plan_copy, or NULL */
	char *gadget_dir;
	bool host_ready;
	uint64_t ready_since_ms;
	/* Bit i: the i-th host-ready LUN (in plan order) has its medium. */
	uint64_t attached;
};

static uint64_t msd_attach_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The i-th LUN the plan builds without its medium for the host, or
 * NULL; *op is its PLAN_LUN_CREATE. */
static const struct profile_lun *msd_attach_lun(const struct plan *plan,
						unsigned int i,
						const struct plan_op **op)
{
	unsigned int n = 0;

	for (size_t k = 0; plan && k < plan->n_ops; k++) {
		const struct plan_op *o = &plan->ops[k];
		const struct profile_lun *lun;
		size_t fi;

		if (o->kind != PLAN_LUN_CREATE)
			continue;
		lun = &o->function->u.ms.luns[o->profile_lun];
		fi = (size_t)(o->function - plan->profile->functions);
		if (!lun->attach_host_ready ||
		    (plan->empty_luns[fi] & (1u << o->profile_lun)))
			continue;
		if (n++ == i) {
			*op = o;
			return lun;
		}
	}
	return NULL;
}

unsigned int msd_attach_count(const struct msd_attach *a)
{
	const struct plan_op *op;
	unsigned int n = 0;

	while (n < 64 && msd_attach_lun(a->plan, n, &op))
		n++;
	return n;
}

static char *msd_attach_path(const struct msd_attach *a,
			     const struct plan_op *op, const char *attr)
{
	return xasprintf("%s/functions/%s/lun.%d/%s", a->gadget_dir,
			 op->function->name, op->lun, attr);
}

static void msd_attach_due(struct event_source *source, void *data);

/* Attach what is due now; arm the timer for the next one. */
static void msd_attach_run(struct msd_attach *a)
{
	uint64_t now = msd_attach_now_ms(), next = UINT64_MAX;
	const struct profile_lun *lun;
	const struct plan_op *op;
	int r;

	event_source_free(a->timer);
	a->timer = NULL;
	for (unsigned int i = 0;
	     i < 64 && (lun = msd_attach_lun(a->plan, i, &op)); i++) {
		uint64_t due =
			a->ready_since_ms + (uint64_t)lun->attach_delay.value;
		char *path;

		if (a->attached & (1ULL << i))
			continue;
		if (due > now) {
			if (due < next)
				next = due;
			continue;
		}
		path = msd_attach_path(a, op, "file");
		r = write_file_string(path, lun->file.value);
		if (r < 0)
			log_error("msd: %s: %s (attach = host-ready)", path,
				  strerror(-r));
		else
			log_info("msd: lun.%d of %s: %s attached, %" PRIu64
				 " ms after the host was ready",
				 op->lun, op->function->name, lun->file.value,
				 now - a->ready_since_ms);
		/* Tried once per host session: a file the kernel refuses
		 * now is refused on the next try too. */
		a->attached |= 1ULL << i;
		free(path);
	}
	if (next == UINT64_MAX)
		return;
	r = event_loop_add_timer(a->loop, (next - now) * 1000, false,
				 msd_attach_due, a, &a->timer);
	if (r < 0) {
		a->timer = NULL;
		log_error("msd: attach timer: %s", strerror(-r));
	}
}

static void msd_attach_due(struct event_source *source, void *data)
{
	struct msd_attach *a = data;

	(void)source;
	/* The source fired once; run() replaces it. */
	msd_attach_run(a);
}

/* The host went away: the media out again, for the next host. */
static void msd_attach_detach_all(struct msd_attach *a)
{
	const struct profile_lun *lun;
	const struct plan_op *op;

	event_source_free(a->timer);
	a->timer = NULL;
	for (unsigned int i = 0;
	     i < 64 && (lun = msd_attach_lun(a->plan, i, &op)); i++) {
		char *path;
		struct stat st;
		int r;

		if (!(a->attached & (1ULL << i)))
			continue;
		path = msd_attach_path(a, op, "forced_eject");
		if (stat(path, &st) == 0) {
			r = write_file_string(path, "1");
		} else {
			free(path);
			path = msd_attach_path(a, op, "file");
			r = write_file_string(path, "\n");
		}
		if (r < 0)
			log_warning("msd: %s: %s (host gone)", path,
				    strerror(-r));
		else
			log_info("msd: lun.%d of %s: medium out until the "
				 "host is ready again",
				 op->lun, op->function->name);
		free(path);
	}
	a->attached = 0;
}

void msd_attach_watch(struct msd_attach *a, bool host_ready)
{
	if (!a || host_ready == a->host_ready || !a->plan)
		return;
	a->host_ready = host_ready;
	if (!host_ready) {
		msd_attach_detach_all(a);
		return;
	}
	a->ready_since_ms = msd_attach_now_ms();
	msd_attach_run(a);
}

void msd_attach_set_plan(struct msd_attach *a, const struct plan *plan,
			 const char *gadget_dir)
{
	if (!a)
		return;
	event_source_free(a->timer);
	a->timer = NULL;
	if (plan)
		a->plan_copy = *plan;
	a->plan = plan ? &a->plan_copy : NULL;
	free(a->gadget_dir);
	a->gadget_dir = gadget_dir ? xstrdup(gadget_dir) : NULL;
	a->host_ready = false;
	a->attached = 0;
}

struct msd_attach *msd_attach_new(struct event_loop *loop)
{
	struct msd_attach *a = xcalloc(1, sizeof(*a));

	a->loop = loop;
	return a;
}

void msd_attach_free(struct msd_attach *a)
{
	if (!a)
		return;
	event_source_free(a->timer);
	free(a->gadget_dir);
	free(a);
}
