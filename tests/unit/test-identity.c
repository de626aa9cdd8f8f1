/* SPDX-License-Identifier: MIT */
/*
 * identity.c: the hash against published test vectors, where the board id
 * is read from, and the derived serial and MACs.  The pinned serials and
 * MACs were computed independently (Python's hmac module) from the
 * derivation documented in identity.c: a change to them breaks every
 * board's host-side settings, so it must fail here first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake-configfs.h"
#include "identity.h"
#include "testlib.h"

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void check_sha256(const char *msg, size_t len, const char *want)
{
	uint8_t d[32];
	char text[65];

	identity_sha256(msg, len, d);
	hex(d, 32, text);
	CHECK_STR_EQ(text, want);
}

static void test_sha256(void)
{
	char *million = malloc(1000000);

	/* FIPS 180-2 appendix B and the empty message. */
	check_sha256(
		"", 0,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_sha256(
		"abc", 3,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_sha256(
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', 1000000);
	check_sha256(
		million, 1000000,
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

static void check_hmac(const void *key, size_t key_len, const char *msg,
		       const char *want)
{
	uint8_t d[32];
	char text[65];

	identity_hmac_sha256(key, key_len, msg, strlen(msg), d);
	hex(d, 32, text);
	CHECK_STR_EQ(text, want);
}

static void test_hmac(void)
{
	uint8_t key[131];

	/* RFC 4231 test cases 1, 2 and 6 (a key longer than a block). */
	memset(key, 0x0b, 20);
	check_hmac(
		key, 20, "Hi There",
		"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	check_hmac(
		"Jefe", 4, "what do ya want for nothing?",
		"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(key, 0xaa, sizeof(key));
	check_hmac(
		key, sizeof(key),
		"Test Using Larger Than Block-Size Key - Hash Key First",
		"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void put(const char *root, const char *rel, const void *data, size_t n)
{
	fake_write_raw(root, rel, data, n);
}

static void test_sources(void)
{
	char *root = fake_configfs_new();
	struct identity id;

	/* Nothing at all. */
	CHECK_INT_EQ(identity_read(root, &id), -ENOENT);
	CHECK_INT_EQ(id.source, IDENTITY_NONE);
	CHECK(id.board_id == NULL);
	CHECK(identity_serial(&id) == NULL);
	identity_free(&id);

	/* systemd's placeholder before the first boot completes. */
	put(root, "etc/machine-id", "uninitialized\n", 14);
	CHECK_INT_EQ(identity_read(root, &id), -ENOENT);
	identity_free(&id);

	put(root, "etc/machine-id", "0123456789abcdef0123456789abcdef\n", 33);
	CHECK_INT_EQ(identity_read(root, &id), 0);
	CHECK_INT_EQ(id.source, IDENTITY_MACHINE_ID);
	CHECK_STR_EQ(id.board_id, "0123456789abcdef0123456789abcdef");
	CHECK(strstr(id.path, "/etc/machine-id") != NULL);
	identity_free(&id);

	/* The device tree wins; its property ends in a NUL byte. */
	put(root, "sys/firmware/devicetree/base/serial-number",
	    "10000000c0ffee01\0", 17);
	CHECK_INT_EQ(identity_read(root, &id), 0);
	CHECK_INT_EQ(id.source, IDENTITY_DEVICE_TREE);
	CHECK_STR_EQ(id.board_id, "10000000c0ffee01");
	CHECK(strstr(id.path, "/sys/firmware/devicetree/base/serial-number"));
	identity_free(&id);

	/* /proc/device-tree first; an empty one does not count. */
	put(root, "proc/device-tree/serial-number", "\0", 1);
	CHECK_INT_EQ(identity_read(root, &id), 0);
	CHECK_STR_EQ(id.board_id, "10000000c0ffee01");
	identity_free(&id);
	put(root, "proc/device-tree/serial-number", "00000000abcd1234\0\0", 18);
	CHECK_INT_EQ(identity_read(root, &id), 0);
	CHECK_STR_EQ(id.board_id, "00000000abcd1234");
	CHECK(strstr(id.path, "/proc/device-tree/serial-number"));
	identity_free(&id);

	fake_configfs_free(root);
}

static void mac_text(const uint8_t m[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
}

static void test_derived(void)
{
	struct identity dt, mid = { .source = IDENTITY_MACHINE_ID };
	uint8_t dev[6], host[6], other[6], again[6];
	char text[18], *serial;

	identity_from_serial("10000000c0ffee01", &dt);
	mid.board_id = strdup("0123456789abcdef0123456789abcdef");

	/* A device-tree serial is the serial number as is. */
	serial = identity_serial(&dt);
	CHECK_STR_EQ(serial, "10000000c0ffee01");
	free(serial);
	/* A machine-id never shows: 16 hex digits of a keyed hash. */
	serial = identity_serial(&mid);
	CHECK_STR_EQ(serial, "929336302974D93C");
	free(serial);

	identity_mac(&dt, "ecm.usb0", "dev", dev);
	identity_mac(&dt, "ecm.usb0", "host", host);
	mac_text(dev, text);
	CHECK_STR_EQ(text, "96:f7:84:51:c1:7b");
	mac_text(host, text);
	CHECK_STR_EQ(text, "aa:b6:8f:55:bf:61");
	/* Locally administered, unicast, and the two ends differ. */
	CHECK(dev[0] & 0x02);
	CHECK(!(dev[0] & 0x01));
	CHECK(host[0] & 0x02);
	CHECK(!(host[0] & 0x01));
	CHECK(memcmp(dev, host, 6) != 0);

	/* Same board, same function: same address (every boot). */
	identity_mac(&dt, "ecm.usb0", "dev", again);
	CHECK(memcmp(dev, again, 6) == 0);
	/* Another function of the same board. */
	identity_mac(&dt, "ncm.usb0", "dev", other);
	mac_text(other, text);
	CHECK_STR_EQ(text, "7e:c5:82:29:1c:40");
	/* Another board. */
	identity_mac(&mid, "ecm.usb0", "dev", other);
	mac_text(other, text);
	CHECK_STR_EQ(text, "72:7f:9c:47:32:58");
	CHECK(memcmp(dev, other, 6) != 0);

	/* A device-tree "serial" that is no usable USB string is hashed. */
	identity_free(&dt);
	identity_from_serial("bad\001serial", &dt);
	serial = identity_serial(&dt);
	CHECK_INT_EQ(strlen(serial), 16);
	CHECK(strspn(serial, "0123456789ABCDEF") == 16);
	free(serial);

	identity_free(&dt);
	identity_free(&mid);
}

int main(void)
{
	test_sha256();
	test_hmac();
	test_sources();
	test_derived();
	return testlib_finish("test-identity");
}
