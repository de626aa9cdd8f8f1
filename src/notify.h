/* SPDX-License-Identifier: MIT */
/*
 * systemd's readiness protocol (Type=notify): READY=1 after the first apply
 * attempt, STATUS= on every state change, WATCHDOG=1 while the unit asks for
 * it.  Spoken natively (sd_notify(3) is one datagram to $NOTIFY_SOCKET), so
 * no libsystemd is linked.  Built with GADGETD_NOTIFY=0 (cmake
 * -DGADGETD_SYSTEMD=off) every call does nothing; when not started by
 * systemd (no NOTIFY_SOCKET) every call does nothing either.
 */
#ifndef GADGETD_NOTIFY_H
#define GADGETD_NOTIFY_H

#include <stdint.h>

void notify_ready(const char *status);
void notify_status(const char *status);
void notify_stopping(void);
void notify_watchdog(void);
/* The watchdog interval the unit asked for (WatchdogSec=), 0 for none. */
uint64_t notify_watchdog_usec(void);

/*
 * Send one message ("READY=1\nSTATUS=...") to $NOTIFY_SOCKET: a socket
 * path, or an abstract name written with a leading '@'.  Returns 1 when
 * sent, 0 when there is no NOTIFY_SOCKET (or notify support is built
 * out), a negative errno on failure.
 */
int notify_send(const char *message);

#endif
