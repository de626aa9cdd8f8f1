/* SPDX-License-Identifier: MIT */
/*
 * Whether a USB host is attached to the gadget's port (gadgetd(8), HOST
 * PRESENCE), from what the board can tell:
 *
 *  - typec: a Type-C port (class typec, portN) with a partner: attached
 *    when our data role is device (the partner is a host), detached when
 *    there is no partner or we are the host;
 *  - extcon: a connector with a USB cable line (USB, SDP or CDP): that
 *    line's value;
 *  - power_supply: a supply of type USB: online, unless its usb_type says
 *    a dedicated charger (DCP, BrickID), which is no host;
 *  - udc: the UDC's state attribute: "not attached" against powered,
 *    default, addressed, configured, suspended.
 *
 * Which one wins: the first of typec, extcon, power_supply that the board
 * has, else the UDC.  The cable sources say whether a host is on the
 * other end of the cable, whatever the UDC last said (a UDC driver may
 * leave "configured" after the cable went); the UDC says whether a host
 * enumerated us, and is asked only on boards with nothing better.  Among
 * the cable sources, typec knows the data role, extcon the cable type,
 * power_supply only VBUS.  Several devices of one class: the first by
 * name that qualifies.
 *
 * Some UDC drivers never report a detach in their state: with those the
 * UDC cannot tell, and attached is unknown (host_presence_udc_detach_state()).
 *
 * The module owns its state; the daemon feeds it facts (the UDC and its
 * state text, uevents) and gets facts back.  sysfs is read below a root
 * directory so that the unit tests use a fake tree.  Nothing here polls:
 * the cable sources are read again only on a uevent of their class.
 */
#ifndef GADGETD_HOST_PRESENCE_H
#define GADGETD_HOST_PRESENCE_H

#include <stdbool.h>

#define HOST_PRESENCE_SYSFS "/sys"

enum host_attached {
	HOST_UNKNOWN = -1, /* the board cannot tell (status: null) */
	HOST_DETACHED = 0,
	HOST_ATTACHED = 1,
};

enum host_source {
	HOST_SOURCE_NONE,
	HOST_SOURCE_UDC,
	HOST_SOURCE_EXTCON,
	HOST_SOURCE_TYPEC,
	HOST_SOURCE_POWER_SUPPLY,
};

struct host_presence;

/* sysfs_root: HOST_PRESENCE_SYSFS, or a fake tree.  Reads the cable
 * sources once. */
struct host_presence *host_presence_new(const char *sysfs_root);
void host_presence_free(struct host_presence *hp);

/*
 * The UDC running our gadget (NULL: none), its state text (NULL: not
 * known) and whether that changed since the bind (a UDC keeps the state
 * of its last host session across an unbind and a bind).  Returns the
 * verdict.  When a host came (attached, from detached or unknown) or went
 * (detached, from attached), *event becomes "host-attach" or
 * "host-detach"; otherwise, and at the first call, it is left alone.
 */
enum host_attached host_presence_update(struct host_presence *hp,
					const char *udc, const char *udc_state,
					bool udc_state_fresh,
					const char **event);

/*
 * A kernel uevent: true when its subsystem is a cable source's (extcon,
 * typec, power_supply); the sources were read again then, and the next
 * host_presence_update() gives the new verdict.
 */
bool host_presence_uevent(struct host_presence *hp, const char *subsystem);

/* Read the cable sources again (uevents were lost). */
void host_presence_rescan(struct host_presence *hp);

/* The last verdict, its source (NULL: none) and the link speed (the UDC's
 * current_speed while attached, NULL otherwise or when unknown). */
enum host_attached host_presence_attached(const struct host_presence *hp);
const char *host_presence_source(const struct host_presence *hp);
const char *host_presence_speed(const struct host_presence *hp);

const char *host_source_name(enum host_source source);

/*
 * The UDC state in which udc's driver leaves a gadget whose host went
 * away: "not attached" for a real UDC; "default" for usbip-vudc (it
 * resets its gadget when the USB/IP connection ends); NULL for
 * dummy_udc, whose state does not move when the host side disables or
 * powers off its port, nor at a soft disconnect (tests/vm scenario
 * daemon-host-presence pins both).
 */
const char *host_presence_udc_detach_state(const char *udc);

/*
 * What the UDC's state text says: attached, detached ("not attached", or
 * detach_state), or unknown (NULL, or a state that says neither), for a
 * UDC whose driver reports a detach as detach_state (NULL: never).
 */
enum host_attached host_presence_from_udc_state(const char *state,
						const char *detach_state);

#endif
