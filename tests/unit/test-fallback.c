/* SPDX-License-Identifier: MIT */
/*
 * fallback.c with a fake configfs and /sys/class/net and a real event
 * loop: a chain walks to its next profile when the gadget side has no
 * carrier fallback_after seconds after the host configured it, stays
 * when it has, stops at its last, starts from its head after the host
 * went, and another profile starts a chain of its own.  Plus the keys'
 * refusals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_loop.h"
#include "fake-configfs.h"
#include "fallback.h"
#include "gadgetd/profile.h"
#include "profile-testlib.h"
#include "testlib.h"
#include "util.h"

static char *due; /* what the module said is due */

static void on_due(void *data, const char *profile)
{
	(void)data;
	free(due);
	due = xstrdup(profile);
}

/* Run the loop until something is due, or about ms. */
static void run(struct event_loop *loop, int ms)
{
	for (int i = 0; i < ms / 20 && !due; i++)
		event_loop_iterate(loop, 20);
}

static struct profile *load(const char *name, const char *type,
			    const char *extra)
{
	struct diag_list diags;
	struct profile *p;
	char *text = xasprintf("[profile]\n%s[config 1]\nfunctions = %s.usb0\n"
			       "[function %s.usb0]\n",
			       extra, type, type);

	p = profile_test_load(text, &diags);
	CHECK(p != NULL);
	CHECK_DIAGS(&diags, NULL);
	diag_clear(&diags);
	free(text);
	if (p) {
		free(p->name);
		p->name = xstrdup(name);
	}
	return p;
}

static void test_chain(void)
{
	char *root = fake_configfs_new();
	char *gadget = xasprintf("%s/usb_gadget/g", root);
	char *net = xasprintf("%s/net", root);
	struct event_loop *loop = NULL;
	struct fallback *f;
	struct profile *head, *ecm, *rndis, *other;
	const char *const *chain;
	size_t n;

	for (size_t i = 0; i < 3; i++) {
		static const char *const types[] = { "ncm", "ecm", "rndis" };
		char *rel = xasprintf("usb_gadget/g/functions/%s.usb0/ifname",
				      types[i]);

		fake_write(root, rel, "usb0");
		free(rel);
	}
	fake_write(root, "net/usb0/carrier", "0");
	head = load("auto", "ncm",
		    "fallback = ecm rndis\nfallback_after = 1\n");
	ecm = load("ecm", "ecm", "");
	rndis = load("rndis", "rndis", "");
	other = load("other", "ecm", "");
	CHECK_INT_EQ(event_loop_new(&loop), 0);
	f = fallback_new(loop, net, on_due, NULL);

	fallback_applied(f, head, gadget);
	chain = fallback_chain(f, &n);
	CHECK_INT_EQ(n, 3);
	CHECK(chain && streq(chain[0], "auto") && streq(chain[2], "rndis"));
	/* Nothing before the host configured it. */
	run(loop, 1300);
	CHECK(due == NULL);
	fallback_watch(f, true);
	CHECK_STR_EQ(fallback_reason(f),
		     "auto: waiting 1 s for the host to take up a network "
		     "function");
	run(loop, 2000);
	CHECK_STR_EQ(due ? due : "(none)", "ecm");
	CHECK_STR_EQ(fallback_reason(f),
		     "auto: no network function taken up in 1 s; falling back "
		     "to ecm");
	free(due);
	due = NULL;

	/* The daemon applied it: the chain moves on; the next session.  The
	 * switch's own unbind, seen as the host going (the UDC's state "not
	 * attached") before the host configured ecm: no way back to the
	 * head, the walk goes on. */
	fallback_applied(f, ecm, gadget);
	fallback_host_gone(f);
	run(loop, 200);
	CHECK(due == NULL);
	CHECK_STR_EQ(fallback_reason(f),
		     "auto: no network function taken up in 1 s; falling back "
		     "to ecm");
	fallback_watch(f, true);
	run(loop, 2000);
	CHECK_STR_EQ(due ? due : "(none)", "rndis");
	free(due);
	due = NULL;
	fallback_applied(f, rndis, gadget);
	fallback_watch(f, true);
	run(loop, 1500);
	CHECK(due == NULL);
	CHECK_STR_EQ(fallback_reason(f),
		     "rndis: the last of the chain; no network function taken "
		     "up in 1 s");

	/* The host went: the head again, from the loop. */
	fallback_watch(f, false);
	fallback_host_gone(f);
	CHECK(due == NULL);
	run(loop, 200);
	CHECK_STR_EQ(due ? due : "(none)", "auto");
	free(due);
	due = NULL;
	fallback_applied(f, head, gadget);
	/* This host drives NCM: auto stays. */
	fake_write(root, "net/usb0/carrier", "1");
	fallback_watch(f, true);
	run(loop, 1500);
	CHECK(due == NULL);
	CHECK_STR_EQ(fallback_reason(f),
		     "auto: the host took up ncm.usb0 (usb0 has carrier)");
	/* At the head the host going changes nothing. */
	fallback_host_gone(f);
	run(loop, 200);
	CHECK(due == NULL);

	/* A profile that cannot be applied: the active one stays, said. */
	fallback_refused(f, "ecm", "profile ecm: No such file or directory");
	CHECK_STR_EQ(fallback_reason(f),
		     "auto: could not apply ecm (profile ecm: No such file or "
		     "directory); staying on auto");

	/* Another profile, without a fallback list: no chain. */
	fallback_applied(f, other, gadget);
	CHECK(fallback_chain(f, &n) == NULL);
	fallback_watch(f, false);
	fallback_watch(f, true);
	run(loop, 1300);
	CHECK(due == NULL);

	fallback_free(f);
	event_loop_free(loop);
	profile_free(head);
	profile_free(ecm);
	profile_free(rndis);
	profile_free(other);
	free(gadget);
	free(net);
	fake_configfs_free(root);
}

static void test_keys(void)
{
	struct diag_list diags;
	struct profile *p;

	p = profile_test_load("[profile]\nfallback = t a ../x a b c d e\n"
			      "fallback_after = 0\n[config 1]\nfunctions = "
			      "ecm.usb0\n[function ecm.usb0]\n",
			      &diags);
	CHECK(p == NULL);
	CHECK_DIAGS(&diags, "t.ini:2: 'fallback' names this profile (t)",
		    "t.ini:2: invalid profile name '../x' in 'fallback': "
		    "expected names of profiles, not paths",
		    "t.ini:2: profile 'a' listed twice in 'fallback'",
		    "t.ini:2: too many profiles in 'fallback': at most 4",
		    "t.ini:3: invalid value '0' for 'fallback_after': "
		    "expected a number from 1 to 300");
	diag_clear(&diags);
}

int main(void)
{
	test_chain();
	test_keys();
	free(due);
	return testlib_finish("test-fallback");
}
