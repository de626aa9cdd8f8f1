/* SPDX-License-Identifier: MIT */
/*
 * host_presence.c on a fake sysfs tree: each source alone (the UDC's
 * state, extcon, typec, power_supply), which one wins when several are
 * there, UDC drivers that report a detach differently or not at all,
 * states that say neither, and the events an attach and a detach name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_presence.h"
#include "testlib.h"
#include "util.h"

static char *root;

static void put(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", root, rel);
	FILE *f;

	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	f = fopen(path, "w");
	if (!f) {
		testlib_fail(__FILE__, __LINE__, "%s: %s", path,
			     strerror(errno));
	} else {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

static void clean(void)
{
	char *cmd = xasprintf("rm -rf '%s'/class", root);

	if (system(cmd) != 0)
		testlib_fail(__FILE__, __LINE__, "%s failed", cmd);
	free(cmd);
}

#define NO_EVENT "(none)"

/* One update; the event it named, NO_EVENT when none. */
static const char *update(struct host_presence *hp, const char *udc,
			  const char *state, bool fresh)
{
	const char *event = NO_EVENT;

	host_presence_update(hp, udc, state, fresh, &event);
	return event;
}

#define CHECK_SOURCE(hp, want)                               \
	do {                                                 \
		const char *src_ = host_presence_source(hp); \
		if ((want) == NULL)                          \
			CHECK(src_ == NULL);                 \
		else                                         \
			CHECK_STR_EQ(src_, (want));          \
	} while (0)

static void test_udc_states(void)
{
	static const struct {
		const char *state;
		enum host_attached want;
	} cases[] = {
		{ "not attached", HOST_DETACHED },
		{ "attached", HOST_ATTACHED },
		{ "powered", HOST_ATTACHED },
		{ "default", HOST_ATTACHED },
		{ "addressed", HOST_ATTACHED },
		{ "configured", HOST_ATTACHED },
		{ "suspended", HOST_ATTACHED },
		{ "reconnecting", HOST_UNKNOWN },
		{ "unauthenticated", HOST_UNKNOWN },
		{ "", HOST_UNKNOWN },
		{ "warp-speed", HOST_UNKNOWN },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_INT_EQ(host_presence_from_udc_state(cases[i].state,
							  "not attached"),
			     cases[i].want);
	CHECK_INT_EQ(host_presence_from_udc_state(NULL, "not attached"),
		     HOST_UNKNOWN);
	/* usbip-vudc: "default" is where a detach leaves it. */
	CHECK_INT_EQ(host_presence_from_udc_state("default", "default"),
		     HOST_DETACHED);
	CHECK_INT_EQ(host_presence_from_udc_state("configured", "default"),
		     HOST_ATTACHED);
	CHECK_INT_EQ(host_presence_from_udc_state("not attached", "default"),
		     HOST_DETACHED);
	/* dummy_udc never says: nothing it reads means anything. */
	CHECK_INT_EQ(host_presence_from_udc_state("not attached", NULL),
		     HOST_UNKNOWN);
	CHECK_INT_EQ(host_presence_from_udc_state("configured", NULL),
		     HOST_UNKNOWN);

	CHECK_STR_EQ(host_presence_udc_detach_state("fe980000.usb"),
		     "not attached");
	CHECK_STR_EQ(host_presence_udc_detach_state("49000000.usb-otg"),
		     "not attached");
	CHECK_STR_EQ(host_presence_udc_detach_state("usbip-vudc.0"), "default");
	CHECK(host_presence_udc_detach_state("dummy_udc.0") == NULL);
}

/* A board with only its UDC (the CM4): a session, from the bind on. */
static void test_udc_only(void)
{
	struct host_presence *hp = host_presence_new(root);

	put("class/udc/fe980000.usb/current_speed", "UNKNOWN\n");
	/* Not bound yet: nothing to say, and nothing to announce. */
	CHECK_STR_EQ(update(hp, NULL, NULL, false), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_UNKNOWN);
	CHECK_SOURCE(hp, NULL);
	CHECK(host_presence_speed(hp) == NULL);

	/* Bound: a state from the last session ("configured") is not
	 * trusted until it changes... */
	CHECK_STR_EQ(update(hp, "fe980000.usb", "configured", false), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_UNKNOWN);
	/* ...but one that claims no host is. */
	CHECK_STR_EQ(update(hp, "fe980000.usb", "not attached", false),
		     NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	CHECK_SOURCE(hp, "udc");

	/* The host resets us: attached, at the first state that says so. */
	put("class/udc/fe980000.usb/current_speed", "high-speed\n");
	CHECK_STR_EQ(update(hp, "fe980000.usb", "default", true),
		     "host-attach");
	CHECK_INT_EQ(host_presence_attached(hp), HOST_ATTACHED);
	CHECK_SOURCE(hp, "udc");
	CHECK_STR_EQ(host_presence_speed(hp), "high-speed");
	CHECK_STR_EQ(update(hp, "fe980000.usb", "addressed", true), NO_EVENT);
	CHECK_STR_EQ(update(hp, "fe980000.usb", "configured", true), NO_EVENT);
	/* The host suspended us (or, without VBUS sense, the cable went:
	 * the UDC cannot tell, docs/boards.md). */
	CHECK_STR_EQ(update(hp, "fe980000.usb", "suspended", true), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_ATTACHED);

	/* Gone. */
	put("class/udc/fe980000.usb/current_speed", "UNKNOWN\n");
	CHECK_STR_EQ(update(hp, "fe980000.usb", "not attached", true),
		     "host-detach");
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	CHECK(host_presence_speed(hp) == NULL);
	CHECK_SOURCE(hp, "udc");

	/* A state that says neither: unknown, no event. */
	CHECK_STR_EQ(update(hp, "fe980000.usb", "reconnecting", true),
		     NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_UNKNOWN);
	CHECK_SOURCE(hp, NULL);
	/* From unknown, a host is an attach... */
	put("class/udc/fe980000.usb/current_speed", "full-speed\n");
	CHECK_STR_EQ(update(hp, "fe980000.usb", "configured", true),
		     "host-attach");
	CHECK_STR_EQ(host_presence_speed(hp), "full-speed");
	/* ...and no host after the gadget was away is no detach
	 * (`down`, then `up` with nothing attached). */
	CHECK_STR_EQ(update(hp, NULL, NULL, false), NO_EVENT);
	CHECK_STR_EQ(update(hp, "fe980000.usb", "not attached", false),
		     NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	host_presence_free(hp);
	clean();
}

/* UDC drivers that report a detach otherwise, or not at all. */
static void test_udc_drivers(void)
{
	struct host_presence *hp = host_presence_new(root);

	put("class/udc/usbip-vudc.0/current_speed", "high-speed\n");
	/* Its state before the first host. */
	CHECK_STR_EQ(update(hp, "usbip-vudc.0", "not attached", false),
		     NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	CHECK_SOURCE(hp, "udc");
	CHECK_STR_EQ(update(hp, "usbip-vudc.0", "configured", true),
		     "host-attach");
	CHECK_STR_EQ(host_presence_speed(hp), "high-speed");
	CHECK_STR_EQ(update(hp, "usbip-vudc.0", "default", true),
		     "host-detach");
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	CHECK(host_presence_speed(hp) == NULL);
	/* A rebind after it: "default" still, and trusted. */
	CHECK_STR_EQ(update(hp, "usbip-vudc.0", "default", false), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	host_presence_free(hp);

	/* dummy_udc: nothing it reads tells. */
	hp = host_presence_new(root);
	put("class/udc/dummy_udc.0/current_speed", "high-speed\n");
	CHECK_STR_EQ(update(hp, "dummy_udc.0", "configured", true), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_UNKNOWN);
	CHECK_SOURCE(hp, NULL);
	CHECK(host_presence_speed(hp) == NULL);
	CHECK_STR_EQ(update(hp, "dummy_udc.0", "not attached", true), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_UNKNOWN);
	host_presence_free(hp);
	clean();
}

/* The STM32MP157 DK2: a STUSB1600 on the OTG port (typec class). */
static void test_typec(void)
{
	struct host_presence *hp;

	put("class/typec/port0/data_role", "[host] device\n");
	put("class/typec/port0/power_role", "[source] sink\n");
	put("class/udc/49000000.usb-otg/current_speed", "high-speed\n");
	hp = host_presence_new(root);
	/* No partner: nothing attached, whatever the UDC kept. */
	CHECK_STR_EQ(update(hp, "49000000.usb-otg", "configured", true),
		     NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	CHECK_SOURCE(hp, "typec");
	CHECK(host_presence_speed(hp) == NULL);

	/* A host plugged in: the partner appears, we are the device. */
	put("class/typec/port0-partner/supports_usb_power_delivery", "no\n");
	put("class/typec/port0/data_role", "host [device]\n");
	put("class/typec/port0/power_role", "source [sink]\n");
	CHECK(host_presence_uevent(hp, "typec"));
	/* Before the host enumerated: attached all the same. */
	CHECK_STR_EQ(update(hp, "49000000.usb-otg", "not attached", true),
		     "host-attach");
	CHECK_INT_EQ(host_presence_attached(hp), HOST_ATTACHED);
	CHECK_SOURCE(hp, "typec");
	CHECK_STR_EQ(host_presence_speed(hp), "high-speed");

	/* A device plugged in instead: we are its host, no host for us. */
	put("class/typec/port0/data_role", "[host] device\n");
	CHECK(host_presence_uevent(hp, "typec"));
	CHECK_STR_EQ(update(hp, "49000000.usb-otg", "configured", true),
		     "host-detach");
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);

	/* Unplugged: the partner goes. */
	put("class/typec/port0/data_role", "host [device]\n");
	CHECK(host_presence_uevent(hp, "typec"));
	CHECK_STR_EQ(update(hp, "49000000.usb-otg", "configured", true),
		     "host-attach");
	clean();
	put("class/typec/port0/data_role", "host [device]\n");
	CHECK(host_presence_uevent(hp, "typec"));
	CHECK_STR_EQ(update(hp, "49000000.usb-otg", "configured", true),
		     "host-detach");
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	host_presence_free(hp);
	clean();

	/* A host-only port is no source: the UDC decides. */
	put("class/typec/port1/data_role", "host\n");
	hp = host_presence_new(root);
	CHECK_STR_EQ(update(hp, "fe980000.usb", "configured", true), NO_EVENT);
	CHECK_SOURCE(hp, "udc");
	host_presence_free(hp);
	clean();
}

static void test_extcon(void)
{
	struct host_presence *hp;

	/* A connector without a USB cable line (an audio jack) is no
	 * source. */
	put("class/extcon/extcon0/state", "HEADPHONE=1\nMICROPHONE=0\n");
	put("class/extcon/extcon1/state", "USB=0\nUSB-HOST=1\n");
	hp = host_presence_new(root);
	CHECK_STR_EQ(update(hp, "musb-hdrc.0", "configured", true), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	CHECK_SOURCE(hp, "extcon");
	put("class/extcon/extcon1/state", "USB=1\nUSB-HOST=0\n");
	CHECK(host_presence_uevent(hp, "extcon"));
	CHECK_STR_EQ(update(hp, "musb-hdrc.0", "not attached", true),
		     "host-attach");
	CHECK_SOURCE(hp, "extcon");
	/* A charger detector's line for a host port counts too. */
	put("class/extcon/extcon1/state", "USB=0\nSDP=0\nCDP=1\nDCP=0\n");
	CHECK(host_presence_uevent(hp, "extcon"));
	CHECK_STR_EQ(update(hp, "musb-hdrc.0", "configured", true), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_ATTACHED);
	put("class/extcon/extcon1/state", "USB=0\nSDP=0\nCDP=0\nDCP=1\n");
	CHECK(host_presence_uevent(hp, "extcon"));
	CHECK_STR_EQ(update(hp, "musb-hdrc.0", "configured", true),
		     "host-detach");
	host_presence_free(hp);
	clean();
}

static void test_power_supply(void)
{
	struct host_presence *hp;
	char *path;

	/* A battery is no source. */
	put("class/power_supply/battery/type", "Battery\n");
	put("class/power_supply/battery/online", "1\n");
	put("class/power_supply/usb/type", "USB\n");
	put("class/power_supply/usb/online", "0\n");
	put("class/power_supply/usb/usb_type", "[Unknown] SDP DCP CDP\n");
	hp = host_presence_new(root);
	CHECK_STR_EQ(update(hp, "ci_hdrc.0", "configured", false), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	CHECK_SOURCE(hp, "power_supply");

	put("class/power_supply/usb/online", "1\n");
	put("class/power_supply/usb/usb_type", "Unknown [SDP] DCP CDP\n");
	CHECK(host_presence_uevent(hp, "power_supply"));
	CHECK_STR_EQ(update(hp, "ci_hdrc.0", "not attached", true),
		     "host-attach");
	CHECK_SOURCE(hp, "power_supply");
	/* A wall charger gives VBUS, and no host. */
	put("class/power_supply/usb/usb_type", "Unknown SDP [DCP] CDP\n");
	CHECK(host_presence_uevent(hp, "power_supply"));
	CHECK_STR_EQ(update(hp, "ci_hdrc.0", "not attached", true),
		     "host-detach");
	/* No usb_type at all: VBUS is all it says. */
	path = xasprintf("%s/class/power_supply/usb/usb_type", root);
	unlink(path);
	free(path);
	CHECK(host_presence_uevent(hp, "power_supply"));
	CHECK_STR_EQ(update(hp, "ci_hdrc.0", "not attached", true),
		     "host-attach");
	/* Other subsystems are not ours. */
	CHECK(!host_presence_uevent(hp, "udc"));
	CHECK(!host_presence_uevent(hp, "net"));
	CHECK(!host_presence_uevent(hp, NULL));
	host_presence_free(hp);
	clean();
}

/* typec before extcon before power_supply before the UDC. */
static void test_precedence(void)
{
	struct host_presence *hp;

	put("class/power_supply/usb/type", "USB\n");
	put("class/power_supply/usb/online", "1\n");
	put("class/extcon/extcon0/state", "USB=0\n");
	put("class/typec/port0/data_role", "host [device]\n");
	put("class/typec/port0-partner/type", "\n");
	hp = host_presence_new(root);
	CHECK_STR_EQ(update(hp, "x.udc", "not attached", true), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_ATTACHED);
	CHECK_SOURCE(hp, "typec");
	host_presence_free(hp);

	clean();
	put("class/power_supply/usb/type", "USB\n");
	put("class/power_supply/usb/online", "1\n");
	put("class/extcon/extcon0/state", "USB=0\n");
	hp = host_presence_new(root);
	CHECK_STR_EQ(update(hp, "x.udc", "configured", true), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	CHECK_SOURCE(hp, "extcon");
	host_presence_free(hp);

	clean();
	put("class/power_supply/usb/type", "USB\n");
	put("class/power_supply/usb/online", "0\n");
	hp = host_presence_new(root);
	CHECK_STR_EQ(update(hp, "x.udc", "configured", true), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	CHECK_SOURCE(hp, "power_supply");
	/* The cable source is asked even with no UDC bound. */
	CHECK_STR_EQ(update(hp, NULL, NULL, false), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_DETACHED);
	host_presence_free(hp);

	/* Several of one class: the first by name that qualifies. */
	clean();
	put("class/power_supply/a-usb/type", "USB\n");
	put("class/power_supply/a-usb/online", "1\n");
	put("class/power_supply/b-usb/type", "USB\n");
	put("class/power_supply/b-usb/online", "0\n");
	hp = host_presence_new(root);
	CHECK_STR_EQ(update(hp, NULL, NULL, false), NO_EVENT);
	CHECK_INT_EQ(host_presence_attached(hp), HOST_ATTACHED);
	host_presence_free(hp);
	clean();
}

int main(void)
{
	char tmpl[] = "/tmp/test-host-presence-XXXXXX";

	root = mkdtemp(tmpl);
	if (!root) {
		perror("mkdtemp");
		return 1;
	}
	CHECK_STR_EQ(host_source_name(HOST_SOURCE_UDC), "udc");
	CHECK_STR_EQ(host_source_name(HOST_SOURCE_POWER_SUPPLY),
		     "power_supply");
	CHECK(host_source_name(HOST_SOURCE_NONE) == NULL);
	test_udc_states();
	test_udc_only();
	test_udc_drivers();
	test_typec();
	test_extcon();
	test_power_supply();
	test_precedence();
	clean();
	rmdir(root);
	return testlib_finish("test-host-presence");
}
