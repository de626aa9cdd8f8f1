/* SPDX-License-Identifier: MIT */
/*
 * The board's identity, and the serial number and MAC addresses derived
 * from it.
 *
 * Derivation (stable: the same board gives the same values on every boot
 * and with every gadgetd version that keeps these rules):
 *
 *   serial = auto   device tree: the board's serial number as is (it is
 *                   printed on the board and meant to be seen); it is
 *                   hashed like a machine-id only when it is not a usable
 *                   USB string (longer than 126 characters or not
 *                   printable ASCII).
 *                   machine-id: the first 8 bytes of
 *                   HMAC-SHA-256(key = machine-id, "gadgetd serial") as 16
 *                   upper-case hex digits.  machine-id(5) asks for exactly
 *                   this: never show the id itself, hash it with a keyed
 *                   hash and an application-specific message.
 *   MAC = auto      the first 6 bytes of HMAC-SHA-256(key = board id,
 *                   "gadgetd mac FUNCTION END"), e.g. "gadgetd mac
 *                   ecm.usb0 dev", with bit 0x02 of the first byte set
 *                   (locally administered) and bit 0x01 cleared (unicast).
 *                   The function and the end are in the message, so every
 *                   function and both ends of one get different addresses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "util.h"

/* USB string descriptors hold at most 126 UTF-16 units. */
#define IDENTITY_SERIAL_MAX 126

/* ---- SHA-256 (FIPS 180-4) ---- */

struct sha256 {
	uint32_t h[8];
	uint8_t block[64];
	size_t fill; /* bytes in block */
	uint64_t bits; /* message length so far */
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_init(struct sha256 *s)
{
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, h0, sizeof(h0));
	s->fill = 0;
	s->bits = 0;
}

static void sha256_block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * (size_t)i] << 24 |
		       (uint32_t)p[4 * (size_t)i + 1] << 16 |
		       (uint32_t)p[4 * (size_t)i + 2] << 8 |
		       p[4 * (size_t)i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^
			      (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = s->h[0];
	b = s->h[1];
	c = s->h[2];
	d = s->h[3];
	e = s->h[4];
	f = s->h[5];
	g = s->h[6];
	h = s->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t s1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = h + s1 + ch + sha256_k[i] + w[i];
		uint32_t s0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
		uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = s0 + maj;

		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
	s->h[5] += f;
	s->h[6] += g;
	s->h[7] += h;
}

static void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->bits += (uint64_t)len * 8;
	while (len > 0) {
		size_t n = 64 - s->fill;

		if (n > len)
			n = len;
		memcpy(s->block + s->fill, p, n);
		s->fill += n;
		p += n;
		len -= n;
		if (s->fill == 64) {
			sha256_block(s, s->block);
			s->fill = 0;
		}
	}
}

static void sha256_final(struct sha256 *s, uint8_t out[32])
{
	uint64_t bits = s->bits;
	uint8_t pad = 0x80;

	sha256_update(s, &pad, 1);
	pad = 0;
	while (s->fill != 56)
		sha256_update(s, &pad, 1);
	for (int i = 7; i >= 0; i--) {
		uint8_t b = (uint8_t)(bits >> (8 * i));

		sha256_update(s, &b, 1);
	}
	for (size_t i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(s->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)s->h[i];
	}
}

void identity_sha256(const void *data, size_t len, uint8_t out[32])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, out);
}

void identity_hmac_sha256(const void *key, size_t key_len, const void *msg,
			  size_t msg_len, uint8_t out[32])
{
	uint8_t k[64] = { 0 }, pad[64], inner[32];
	struct sha256 s;

	if (key_len > sizeof(k))
		identity_sha256(key, key_len, k);
	else
		memcpy(k, key, key_len);

	for (size_t i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x36;
	sha256_init(&s);
	sha256_update(&s, pad, sizeof(pad));
	sha256_update(&s, msg, msg_len);
	sha256_final(&s, inner);

	for (size_t i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x5c;
	sha256_init(&s);
	sha256_update(&s, pad, sizeof(pad));
	sha256_update(&s, inner, sizeof(inner));
	sha256_final(&s, out);
}

/* ---- reading the board id ---- */

/* A device-tree property is a NUL-terminated string (a string list has
 * more after the first NUL); sysfs gives it with its NUL bytes. */
static char *identity_read_id(const char *path, bool device_tree)
{
	char buf[512];
	size_t n;
	FILE *f;
	char *id;

	f = fopen(path, "re");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	(void)fclose(f); /* read only */
	buf[n] = '\0';
	id = str_strip(buf);
	if (!*id)
		return NULL;
	/* systemd writes this before the first boot has finished. */
	if (!device_tree && streq(id, "uninitialized"))
		return NULL;
	return xstrdup(id);
}

int identity_read(const char *root, struct identity *out)
{
	static const struct {
		const char *path;
		enum identity_source source;
	} sources[] = {
		{ "/proc/device-tree/serial-number", IDENTITY_DEVICE_TREE },
		{ "/sys/firmware/devicetree/base/serial-number",
		  IDENTITY_DEVICE_TREE },
		{ "/etc/machine-id", IDENTITY_MACHINE_ID },
	};

	memset(out, 0, sizeof(*out));
	if (!root || streq(root, "/"))
		root = "";
	for (size_t i = 0; i < ARRAY_SIZE(sources); i++) {
		char *path = xasprintf("%s%s", root, sources[i].path);
		char *id = identity_read_id(path, sources[i].source ==
							  IDENTITY_DEVICE_TREE);

		if (id) {
			out->source = sources[i].source;
			out->board_id = id;
			out->path = path;
			return 0;
		}
		free(path);
	}
	out->source = IDENTITY_NONE;
	return -ENOENT;
}

void identity_from_serial(const char *serial, struct identity *out)
{
	out->source = IDENTITY_DEVICE_TREE;
	out->board_id = xstrdup(serial);
	out->path = NULL;
}

void identity_free(struct identity *id)
{
	free(id->board_id);
	free(id->path);
	memset(id, 0, sizeof(*id));
}

/* ---- what is derived from it ---- */

static bool identity_usable_serial(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > IDENTITY_SERIAL_MAX)
		return false;
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

char *identity_serial(const struct identity *id)
{
	static const char msg[] = "gadgetd serial";
	uint8_t mac[32];
	char hex[17];

	if (!id->board_id)
		return NULL;
	if (id->source == IDENTITY_DEVICE_TREE &&
	    identity_usable_serial(id->board_id))
		return xstrdup(id->board_id);
	identity_hmac_sha256(id->board_id, strlen(id->board_id), msg,
			     strlen(msg), mac);
	for (size_t i = 0; i < 8; i++)
		(void)snprintf(hex + 2 * i, 3, "%02X", mac[i]);
	return xstrdup(hex);
}

void identity_mac(const struct identity *id, const char *function,
		  const char *end, uint8_t mac[6])
{
	uint8_t digest[32];
	char *msg;

	msg = xasprintf("gadgetd mac %s %s", function, end);
	identity_hmac_sha256(id->board_id ? id->board_id : "",
			     id->board_id ? strlen(id->board_id) : 0, msg,
			     strlen(msg), digest);
	free(msg);
	memcpy(mac, digest, 6);
	mac[0] = (uint8_t)((mac[0] & ~0x01) | 0x02);
}
