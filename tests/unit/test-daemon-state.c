/* SPDX-License-Identifier: MIT */
/* daemon_state.c: every state of gadgetd(8) from the facts that lead to it. */
#include <string.h>

#include "daemon_state.h"
#include "testlib.h"

static enum daemon_state state(bool built, bool down, const char *udc,
			       bool present, const char *kernel_state)
{
	struct daemon_facts f = {
		.built = built,
		.admin_down = down,
		.bound_udc = udc,
		.udc_present = present,
		.udc_state = kernel_state,
	};

	return daemon_state_from_facts(&f);
}

int main(void)
{
	/* Nothing built: whatever else holds. */
	CHECK_INT_EQ(state(false, false, NULL, false, NULL), DAEMON_ERROR);
	CHECK_INT_EQ(state(false, true, "dummy_udc.0", true, "configured"),
		     DAEMON_ERROR);
	/* Built, no UDC. */
	CHECK_INT_EQ(state(true, false, NULL, false, NULL), DAEMON_WAITING_UDC);
	CHECK_INT_EQ(state(true, true, NULL, false, NULL), DAEMON_UNBOUND);
	/* Pending on a UDC that went away (rmmod dummy_hcd). */
	CHECK_INT_EQ(state(true, false, "dummy_udc.0", false, NULL),
		     DAEMON_WAITING_UDC);
	/* The kernel's states while the host enumerates. */
	CHECK_INT_EQ(state(true, false, "dummy_udc.0", true, "not attached"),
		     DAEMON_BOUND);
	CHECK_INT_EQ(state(true, false, "dummy_udc.0", true, "default"),
		     DAEMON_BOUND);
	CHECK_INT_EQ(state(true, false, "dummy_udc.0", true, "addressed"),
		     DAEMON_BOUND);
	CHECK_INT_EQ(state(true, false, "dummy_udc.0", true, "configured"),
		     DAEMON_CONFIGURED);
	CHECK_INT_EQ(state(true, false, "dummy_udc.0", true, "suspended"),
		     DAEMON_SUSPENDED);
	CHECK_INT_EQ(state(true, false, "dummy_udc.0", true, NULL),
		     DAEMON_BOUND);

	CHECK_STR_EQ(daemon_state_name(DAEMON_WAITING_UDC), "waiting-udc");
	CHECK_STR_EQ(daemon_state_name(DAEMON_BOUND), "bound");
	CHECK_STR_EQ(daemon_state_name(DAEMON_CONFIGURED), "configured");
	CHECK_STR_EQ(daemon_state_name(DAEMON_SUSPENDED), "suspended");
	CHECK_STR_EQ(daemon_state_name(DAEMON_UNBOUND), "unbound");
	CHECK_STR_EQ(daemon_state_name(DAEMON_ERROR), "error");
	return testlib_finish("test-daemon-state");
}
