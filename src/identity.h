/* SPDX-License-Identifier: MIT */
/*
 * The board's identity: where `serial = auto` and `dev_addr = auto` come
 * from.  Both must be the same on every boot of the same board and differ
 * between boards, with no randomness: the host keys its settings on them
 * (Windows on the serial number, Linux and macOS on the MAC addresses, which
 * name the host's interface, e.g. enx02...), so a gadget that changed them
 * every boot would look like a new device each time.
 */
#ifndef GADGETD_IDENTITY_H
#define GADGETD_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum identity_source {
	IDENTITY_NONE,
	IDENTITY_DEVICE_TREE, /* the board's serial number, public */
	IDENTITY_MACHINE_ID, /* confidential (machine-id(5)): hashed */
};

struct identity {
	enum identity_source source;
	char *board_id; /* NULL when source is IDENTITY_NONE */
	char *path; /* the file it was read from, for messages */
};

/*
 * Read the board id below root ("/" when NULL, a test tree otherwise):
 * /proc/device-tree/serial-number, else
 * /sys/firmware/devicetree/base/serial-number, else /etc/machine-id.
 * Returns 0, or -ENOENT with out->source = IDENTITY_NONE when none of them
 * holds an id.
 */
int identity_read(const char *root, struct identity *out);
/* An identity from a known board serial, as if read from the device tree. */
void identity_from_serial(const char *serial, struct identity *out);
void identity_free(struct identity *id);

/* The serial number string for `serial = auto`.  Allocated. */
char *identity_serial(const struct identity *id);

/* The stable MAC address of one end ("dev" or "host") of a network
 * function ("ecm.usb0"): locally administered, unicast. */
void identity_mac(const struct identity *id, const char *function,
		  const char *end, uint8_t mac[6]);

/* HMAC-SHA-256 (RFC 2104 over FIPS 180-4), exposed for its tests. */
void identity_hmac_sha256(const void *key, size_t key_len, const void *msg,
			  size_t msg_len, uint8_t out[32]);
void identity_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
