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

	/* A host presence source says nothing is attached: no-host, also
	 * over a "configured" the UDC driver kept; only while bound. */
	{
		struct daemon_facts f = { .built = true,
					  .bound_udc = "49000000.usb-otg",
					  .udc_present = true,
					  .udc_state = "configured",
					  .no_host = true };

		CHECK_INT_EQ(daemon_state_from_facts(&f), DAEMON_NO_HOST);
		f.udc_state = NULL;
		CHECK_INT_EQ(daemon_state_from_facts(&f), DAEMON_NO_HOST);
		f.udc_present = false;
		CHECK_INT_EQ(daemon_state_from_facts(&f), DAEMON_WAITING_UDC);
		f.bound_udc = NULL;
		f.admin_down = true;
		CHECK_INT_EQ(daemon_state_from_facts(&f), DAEMON_UNBOUND);
		f.built = false;
		CHECK_INT_EQ(daemon_state_from_facts(&f), DAEMON_ERROR);
	}

	CHECK_STR_EQ(daemon_state_name(DAEMON_WAITING_UDC), "waiting-udc");
	CHECK_STR_EQ(daemon_state_name(DAEMON_BOUND), "bound");
	CHECK_STR_EQ(daemon_state_name(DAEMON_CONFIGURED), "configured");
	CHECK_STR_EQ(daemon_state_name(DAEMON_SUSPENDED), "suspended");
	CHECK_STR_EQ(daemon_state_name(DAEMON_UNBOUND), "unbound");
	CHECK_STR_EQ(daemon_state_name(DAEMON_ERROR), "error");
	CHECK_STR_EQ(daemon_state_name(DAEMON_NO_HOST), "no-host");
	return testlib_finish("test-daemon-state");
}
