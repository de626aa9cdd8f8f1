/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "msd.h"
#include "msd_attach.h"
#include "util.h"

/* At most this many host-ready LUNs: one bit each in `attached`. */
#define MSD_ATTACH_MAX 64

struct msd_attach {
	struct event_loop *loop;
	struct event_source *timer;
	/* The PLAN_LUN_CREATE ops of the LUNs built without their medium
	 * for the host, in plan order (pointers into the owner's plan). */
	const struct plan_op *ops[MSD_ATTACH_MAX];
	unsigned int n_ops;
	char *gadget_dir;
	bool host_ready;
	uint64_t ready_since_ms;
	/* Bit i: ops[i]'s LUN has its medium. */
	uint64_t attached;
};

static uint64_t msd_attach_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const struct profile_lun *msd_attach_lun_of(const struct plan_op *op)
{
	return &op->function->u.ms.luns[op->profile_lun];
}

/* The LUNs the plan builds without their medium for the host. */
static void msd_attach_collect(struct msd_attach *a, const struct plan *plan)
{
	a->n_ops = 0;
	for (size_t k = 0; plan && k < plan->n_ops; k++) {
		const struct plan_op *o = &plan->ops[k];
		size_t fi;

		if (o->kind != PLAN_LUN_CREATE)
			continue;
		fi = (size_t)(o->function - plan->profile->functions);
		if (!msd_attach_lun_of(o)->attach_host_ready ||
		    (plan->empty_luns[fi] & (1u << o->profile_lun)))
			continue;
		if (a->n_ops == MSD_ATTACH_MAX) {
			log_warning(
				"msd: more than %d LUNs with attach = host-ready: the rest attach with the gadget",
				MSD_ATTACH_MAX);
			break;
		}
		a->ops[a->n_ops++] = o;
	}
}

unsigned int msd_attach_count(const struct msd_attach *a)
{
	return a->n_ops;
}

static char *msd_attach_path(const struct msd_attach *a,
			     const struct plan_op *op, const char *attr)
{
	return xasprintf("%s/functions/%s/lun.%d%s%s", a->gadget_dir,
			 op->function->name, op->lun, attr ? "/" : "",
			 attr ? attr : "");
}

static void msd_attach_due(struct event_source *source, void *data);

/* Attach what is due now; arm the timer for the next one. */
static void msd_attach_run(struct msd_attach *a)
{
	uint64_t now = msd_attach_now_ms(), next = UINT64_MAX;
	int r;

	event_source_free(a->timer);
	a->timer = NULL;
	for (unsigned int i = 0; i < a->n_ops; i++) {
		const struct plan_op *op = a->ops[i];
		const struct profile_lun *lun = msd_attach_lun_of(op);
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
	event_source_free(a->timer);
	a->timer = NULL;
	for (unsigned int i = 0; i < a->n_ops; i++) {
		const struct plan_op *op = a->ops[i];
		char *lun_dir, *path;
		int r;

		if (!(a->attached & (1ULL << i)))
			continue;
		lun_dir = msd_attach_path(a, op, NULL);
		r = msd_medium_out(lun_dir, NULL, &path);
		free(lun_dir);
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
	/* Nothing waits for the host without a host-ready LUN. */
	if (!a || host_ready == a->host_ready || a->n_ops == 0)
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
	msd_attach_collect(a, plan);
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
