/* SPDX-License-Identifier: MIT */
/*
 * link_check.c: every path of the host-link check's decisions, with the
 * waits, the outcomes status shows, the log texts and the budgets.  The VM
 * scenarios net-link-trials, net-quiet-host and net-late-driver run the
 * same decisions against a real host.
 */
#include <string.h>

#include "link_check.h"
#include "testlib.h"

static struct link_check check;

#define CHECK_STEP(step, want_action, want_ms, want_outcome)       \
	do {                                                       \
		struct link_check_step s_ = (step);                \
		CHECK_INT_EQ(s_.action, want_action);              \
		CHECK_INT_EQ(s_.wait_ms, want_ms);                 \
		if (want_outcome)                                  \
			CHECK_STR_EQ(check.outcome, want_outcome); \
		else                                               \
			CHECK(check.outcome == NULL);              \
	} while (0)

static void fresh(void)
{
	link_check_reset(&check);
	CHECK(check.outcome == NULL);
	CHECK_STEP(link_check_start(&check), LINK_CHECK_WAIT,
		   LINK_CHECK_LOOK_MS, "pending");
}

/* The first look: one probe goes out, whatever the host sent. */
static void probe_once(unsigned int links)
{
	struct link_check_step s = link_check_due(&check, false);

	CHECK_INT_EQ(s.action, LINK_CHECK_SEND_PROBE);
	CHECK_STR_EQ(s.why, "probing");
	CHECK_STEP(link_check_probes_sent(&check, links), LINK_CHECK_WAIT,
		   LINK_CHECK_PROBE_MS, "pending");
	CHECK_INT_EQ(check.phase, LINK_CHECK_PROBING);
}

static void test_two_probes_read(void)
{
	struct link_check_step s;

	fresh();
	probe_once(2);
	s = link_check_due(&check, true);
	CHECK_STEP(s, LINK_CHECK_WAIT, LINK_CHECK_SETTLE_MS, "pending");
	CHECK_STR_EQ(s.why, "the host read a probe; a second one follows");
	CHECK_INT_EQ(check.phase, LINK_CHECK_SETTLING);
	s = link_check_due(&check, false);
	CHECK_INT_EQ(s.action, LINK_CHECK_SEND_PROBE);
	CHECK_STR_EQ(s.why, "confirming with a second probe");
	CHECK_STEP(link_check_probes_sent(&check, 1), LINK_CHECK_WAIT,
		   LINK_CHECK_PROBE_MS, "pending");
	CHECK_INT_EQ(check.phase, LINK_CHECK_CONFIRMING);
	s = link_check_due(&check, true);
	CHECK_STEP(s, LINK_CHECK_DONE, 0, "host-active");
	CHECK_STR_EQ(s.why, "the host read two probes");
	CHECK_INT_EQ(check.reasserts, 0);
}

/* A host that opened during the first probe's wait, read it in its first
 * moments and missed the notification: the second probe finds it out. */
static void test_second_probe_unread(void)
{
	struct link_check_step s;

	fresh();
	probe_once(1);
	link_check_due(&check, true);
	link_check_due(&check, false);
	link_check_probes_sent(&check, 1);
	s = link_check_due(&check, false);
	CHECK_STEP(s, LINK_CHECK_REASSERT, LINK_CHECK_LOOK_MS, "pending");
	CHECK_STR_EQ(s.why, "the host read a probe but not the one after it");
	CHECK_INT_EQ(check.reasserts, 1);
	CHECK_INT_EQ(check.phase, LINK_CHECK_WAITING);
	/* Carrier after the re-assert (two probes read): status says so. */
	probe_once(1);
	CHECK_STEP(link_check_due(&check, true), LINK_CHECK_WAIT,
		   LINK_CHECK_SETTLE_MS, "pending");
	CHECK_INT_EQ(link_check_due(&check, false).action,
		     LINK_CHECK_SEND_PROBE);
	link_check_probes_sent(&check, 1);
	s = link_check_due(&check, true);
	CHECK_STEP(s, LINK_CHECK_DONE, 0, "reasserted");
	CHECK_STR_EQ(s.why, "the host read two probes");
	CHECK(!s.warn);
}

static void test_reassert_budget(void)
{
	struct link_check_step s;

	fresh();
	for (unsigned int i = 1; i <= LINK_CHECK_REASSERTS; i++) {
		probe_once(1);
		s = link_check_due(&check, false);
		CHECK_STEP(s, LINK_CHECK_REASSERT, LINK_CHECK_LOOK_MS,
			   "pending");
		CHECK_STR_EQ(s.why, "the host did not read a probe");
		CHECK_INT_EQ(check.reasserts, i);
	}
	probe_once(1);
	s = link_check_due(&check, false);
	CHECK_STEP(s, LINK_CHECK_DONE, 0, "reasserted");
	CHECK(s.warn);
	CHECK_STR_EQ(
		s.why,
		"the host still reads nothing after the last re-assert; leaving the link as it is");
	CHECK_INT_EQ(check.reasserts, LINK_CHECK_REASSERTS);

	/* A link-event up starts the check again with what is left: none. */
	CHECK_STEP(link_check_start(&check), LINK_CHECK_WAIT,
		   LINK_CHECK_LOOK_MS, "pending");
	probe_once(1);
	CHECK_STEP(link_check_due(&check, false), LINK_CHECK_DONE, 0,
		   "reasserted");

	/* A new host session has the whole budget again. */
	fresh();
	CHECK_INT_EQ(check.reasserts, 0);
	probe_once(1);
	CHECK_STEP(link_check_due(&check, false), LINK_CHECK_REASSERT,
		   LINK_CHECK_LOOK_MS, "pending");
}

static void test_no_link_to_probe(void)
{
	struct link_check_step s;

	/* The host's driver comes late: idle looks, no re-assert, then the
	 * check goes on as usual. */
	fresh();
	for (unsigned int i = 1; i < LINK_CHECK_IDLE_LOOKS; i++) {
		CHECK_INT_EQ(link_check_due(&check, false).action,
			     LINK_CHECK_SEND_PROBE);
		s = link_check_probes_sent(&check, 0);
		CHECK_STEP(s, LINK_CHECK_WAIT, LINK_CHECK_LOOK_MS, "pending");
		CHECK_STR_EQ(s.why, "the host drives none of the links yet");
		CHECK_INT_EQ(check.idle_looks, i);
		CHECK_INT_EQ(check.reasserts, 0);
	}
	probe_once(1);
	CHECK_STEP(link_check_due(&check, false), LINK_CHECK_REASSERT,
		   LINK_CHECK_LOOK_MS, "pending");
	CHECK_INT_EQ(check.reasserts, 1);

	/* No driver at all. */
	fresh();
	for (unsigned int i = 1; i <= LINK_CHECK_IDLE_LOOKS; i++) {
		link_check_due(&check, false);
		s = link_check_probes_sent(&check, 0);
	}
	CHECK_STEP(s, LINK_CHECK_DONE, 0, "host-inactive");
	CHECK_STR_EQ(s.why, "the host drives none of the links");
	CHECK(!s.warn);

	/* The link lost its carrier between the two probes: no more looks. */
	fresh();
	probe_once(1);
	link_check_due(&check, true);
	link_check_due(&check, false);
	CHECK_STEP(link_check_probes_sent(&check, 0), LINK_CHECK_DONE, 0,
		   "host-inactive");
}

int main(void)
{
	test_two_probes_read();
	test_second_probe_unread();
	test_reassert_budget();
	test_no_link_to_probe();
	return testlib_finish("test-link-check");
}
