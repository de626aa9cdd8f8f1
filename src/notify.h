/* SPDX-License-Identifier: MIT */
/*
 * systemd's readiness protocol (Type=notify): READY=1 after the first apply
 * attempt, STATUS= on every state change, WATCHDOG=1 while the unit asks for
 * it.  Built only with libsystemd (HAVE_LIBSYSTEMD); without it, and when
 * not started by systemd (no NOTIFY_SOCKET), every call does nothing.
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

#endif
