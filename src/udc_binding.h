/* SPDX-License-Identifier: MIT */
/*
 * Our gadget's UDC: which one to bind to (`udc =` or --udc, `auto` for the
 * first free one), the one our UDC attribute names, its `state` attribute
 * watched for POLLPRI, and the grace the kernel gets to bind a pending
 * gadget itself when its UDC comes back (docs/daemon.md, UDCs).
 *
 * It binds nothing: the daemon reads the UDC attribute back, asks what to
 * do, does it through the applier and tells the result (udc_binding_set()).
 * A state change of the watched UDC and the end of the grace are passed on
 * as events ("udc-state", "rebind"), for the daemon to read the facts back.
 */
#ifndef GADGETD_UDC_BINDING_H
#define GADGETD_UDC_BINDING_H

#include <stdbool.h>

#include "event_loop.h"

/*
 * The kernel binds a pending gadget while it registers the UDC, right after
 * the "add" uevent; when that bind fails ("udc X: failed to start G") it
 * says nothing more, so it gets this long and then we bind ourselves.
 */
#define UDC_BINDING_GRACE_MS 500

struct udc_binding;

/* Something the daemon should look at again: "udc-state" or "rebind". */
typedef void (*udc_binding_event_fn)(void *data, const char *event);

/*
 * class_dir: /sys/class/udc; gadgets_dir: configfs usb_gadget; gadget: our
 * gadget's name there.  Copies all three.
 */
struct udc_binding *udc_binding_new(struct event_loop *loop,
				    const char *class_dir,
				    const char *gadgets_dir, const char *gadget,
				    udc_binding_event_fn fn, void *data);
void udc_binding_free(struct udc_binding *b);

/* `udc =` of gadgetd.conf or --udc: a UDC name, or NULL, "" or "auto". */
void udc_binding_set_wanted(struct udc_binding *b, const char *wanted);
const char *udc_binding_wanted(const struct udc_binding *b);
bool udc_binding_auto(const struct udc_binding *b);

/*
 * The UDC to bind to now, or NULL with *why saying what we wait for (a UDC
 * held by another gadget is never taken).  *watch names the UDC whose state
 * changes may end the wait, or is NULL.  The caller frees all three.
 */
char *udc_binding_pick(const struct udc_binding *b, char **watch, char **why);
/*
 * The UDC a profile is about to be bound to, for its endpoint budget: the
 * one bound now, else the one wanted, else (auto) the first free one.
 * NULL when there is none yet.
 */
char *udc_binding_expected(const struct udc_binding *b);
/*
 * `udc = auto` and our UDC attribute names bound, a UDC that is gone: the
 * kernel would wait for that name, so the free UDC to move to, if any.
 */
char *udc_binding_move_target(const struct udc_binding *b, const char *bound);
/*
 * Our UDC attribute names bound (NULL: empty).  True when the kernel's own
 * bind of it is overdue and we should unbind and bind it ourselves now:
 * bound is present, does not run our gadget, and its grace has run out
 * (the grace starts here; its end is a "rebind" event).  Any other bound
 * ends the grace.
 */
bool udc_binding_kernel_bind_overdue(struct udc_binding *b, const char *bound);
void udc_binding_kernel_bind_stop(struct udc_binding *b);

bool udc_binding_exists(const struct udc_binding *b, const char *udc);

/*
 * What our UDC attribute names after the daemon's bind (NULL: empty;
 * taken), and the UDC to watch when it is empty (NULL: none).
 */
void udc_binding_set(struct udc_binding *b, char *bound, const char *watch);
/* Our gadget is not bound (any more): nothing to watch or wait for. */
void udc_binding_forget(struct udc_binding *b);
/*
 * We bound it ourselves: the `state` attribute still says what it said
 * for the last gadget on that UDC until the next POLLPRI.
 */
void udc_binding_bound_by_us(struct udc_binding *b);
/* Watch udc's state before binding to it, so that no change the bind
 * causes goes unseen. */
void udc_binding_watch_before_bind(struct udc_binding *b, const char *udc);

/* The UDC our UDC attribute names, or NULL. */
const char *udc_binding_bound(const struct udc_binding *b);
/* That UDC is there, watched, and runs our gadget. */
bool udc_binding_runs_us(const struct udc_binding *b);
/* Its `state`, when a POLLPRI said it since the watch or our bind. */
const char *udc_binding_fresh_state(const struct udc_binding *b);
/* What the watched UDC's state attribute said last, fresh or not (NULL:
 * none watched); host presence trusts a stale "no host". */
const char *udc_binding_state(const struct udc_binding *b);

/* The bound UDC's soft_connect (udc_soft_connect()). */
int udc_binding_soft_connect(const struct udc_binding *b, bool connect);

#endif
