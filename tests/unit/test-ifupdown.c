/* SPDX-License-Identifier: MIT */
/*
 * ifupdown.c: finding an interface's stanza through source and
 * source-directory lines, continuation and comment lines, and the exact
 * ifup/ifdown command lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ifupdown.h"
#include "program.h"
#include "testlib.h"
#include "util.h"

#define FIXTURE "unit/fixtures/net-interfaces/interfaces"

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void test_fixture(void)
{
	struct ifupdown_stanza s;

	/* Through source-directory, with two families. */
	CHECK_INT_EQ(ifupdown_lookup(FIXTURE, "usb0", &s), 0);
	CHECK(s.found);
	CHECK_STR_EQ(s.file, "unit/fixtures/net-interfaces/interfaces.d/usb0");
	CHECK_INT_EQ(s.line, 1);
	CHECK_STR_EQ(s.method, "static");
	CHECK(s.inet);
	CHECK(s.inet6);
	CHECK(s.hotplug);
	CHECK(!s.is_auto);
	ifupdown_stanza_clear(&s);

	/* Only files with run-parts names: usb1.bak and usb1~ are skipped. */
	CHECK_INT_EQ(ifupdown_lookup(FIXTURE, "usb1", &s), 0);
	CHECK(!s.found);
	CHECK(s.file == NULL);
	ifupdown_stanza_clear(&s);

	/* Through `source extra/...conf`. */
	CHECK_INT_EQ(ifupdown_lookup(FIXTURE, "usb2", &s), 0);
	CHECK(s.found);
	CHECK_STR_EQ(s.file, "unit/fixtures/net-interfaces/extra/usb2.conf");
	CHECK_INT_EQ(s.line, 2);
	CHECK_STR_EQ(s.method, "dhcp");
	ifupdown_stanza_clear(&s);

	/* Continued lines: the auto line and the iface line. */
	CHECK_INT_EQ(ifupdown_lookup(FIXTURE, "usb3", &s), 0);
	CHECK(s.found);
	CHECK_STR_EQ(s.file, FIXTURE);
	CHECK_INT_EQ(s.line, 18);
	CHECK(s.inet6);
	CHECK(!s.inet);
	CHECK_STR_EQ(s.method, "auto");
	CHECK(s.is_auto);
	ifupdown_stanza_clear(&s);

	/* CRLF line ends, allow-auto. */
	CHECK_INT_EQ(ifupdown_lookup(FIXTURE, "usb4", &s), 0);
	CHECK(s.found);
	CHECK_STR_EQ(s.method, "manual");
	CHECK_INT_EQ(s.line, 2);
	CHECK(s.is_auto);
	ifupdown_stanza_clear(&s);

	/* A mapping is not an iface stanza; *.txt is not sourced. */
	CHECK(!ifupdown_has_stanza(FIXTURE, "usb5"));
	CHECK(!ifupdown_has_stanza(FIXTURE, "usb6"));
	/* Commented out, with and without indentation. */
	CHECK(!ifupdown_has_stanza(FIXTURE, "usb8"));
	CHECK(!ifupdown_has_stanza(FIXTURE, "usb9"));
	/* Names that appear only as words of other lines. */
	CHECK(!ifupdown_has_stanza(FIXTURE, "inet"));
	CHECK(!ifupdown_has_stanza(FIXTURE, "interfaces.d"));
	CHECK(ifupdown_has_stanza(FIXTURE, "usb0"));
	CHECK(ifupdown_has_stanza(FIXTURE, "lo"));

	CHECK_INT_EQ(ifupdown_lookup(FIXTURE, "eth0", &s), 0);
	CHECK(s.found);
	CHECK(s.is_auto);
	CHECK(s.inet && s.inet6);
	CHECK_INT_EQ(s.line, 21);
	ifupdown_stanza_clear(&s);

	/* A file that sources itself ends at the depth limit. */
	CHECK_INT_EQ(ifupdown_lookup("unit/fixtures/net-interfaces/cycle",
				     "usb7", &s),
		     0);
	CHECK(s.found);
	CHECK_INT_EQ(s.line, 3);
	CHECK(s.file && ends_with(s.file, "/cycle"));
	ifupdown_stanza_clear(&s);

	/* Sourcing itself four times per level stops at the file budget. */
	CHECK_INT_EQ(ifupdown_lookup("unit/fixtures/net-interfaces/fanout",
				     "usb8", &s),
		     0);
	CHECK(s.found);
	CHECK_INT_EQ(s.files_read, IFUPDOWN_MAX_FILES);
	ifupdown_stanza_clear(&s);

	/* A directory is not an interfaces file, and sourcing one is ignored. */
	CHECK_INT_EQ(ifupdown_lookup("unit/fixtures", "usb0", &s), -EINVAL);
	ifupdown_stanza_clear(&s);

	/* No interfaces file: no ifupdown on this board. */
	CHECK_INT_EQ(
		ifupdown_lookup("unit/fixtures/net-nonexistent", "usb0", &s),
		-ENOENT);
	CHECK(!s.found);
	CHECK(!ifupdown_has_stanza("unit/fixtures/net-nonexistent", "usb0"));
}

static void lookup_text(const char *text, const char *ifname,
			struct ifupdown_stanza *s)
{
	CHECK_INT_EQ(ifupdown_lookup_buffer("/etc/network/interfaces", text,
					    strlen(text), ifname, s),
		     0);
}

static void test_buffer(void)
{
	struct ifupdown_stanza s;

	/* A bare `iface NAME` (ifupdown2 style) still names the interface. */
	lookup_text("iface usb0\n", "usb0", &s);
	CHECK(s.found);
	CHECK(s.method == NULL);
	CHECK(!s.inet && !s.inet6);
	ifupdown_stanza_clear(&s);

	/* No trailing newline, tabs, several auto names. */
	lookup_text("auto\tlo  usb0 eth0\n\tiface usb0 inet dhcp", "usb0", &s);
	CHECK(s.found);
	CHECK(s.is_auto);
	CHECK_INT_EQ(s.line, 2);
	ifupdown_stanza_clear(&s);

	/* Comments are whole lines only, and never continue. */
	lookup_text("# iface usb0 inet dhcp \\\niface eth0 inet dhcp\n", "eth0",
		    &s);
	CHECK(s.found);
	CHECK_INT_EQ(s.line, 2);
	ifupdown_stanza_clear(&s);

	/* A continuation at the end of the file. */
	lookup_text("iface \\\n usb0 \\\n", "usb0", &s);
	CHECK(s.found);
	CHECK_INT_EQ(s.line, 1);
	ifupdown_stanza_clear(&s);

	/* A prefix of the name is not the name. */
	lookup_text("iface usb00 inet dhcp\nauto usb\n", "usb0", &s);
	CHECK(!s.found);
	CHECK(!s.is_auto);
	ifupdown_stanza_clear(&s);

	/* Embedded NULs do not cut a line short or crash. */
	{
		static const char data[] = "iface\0usb0 inet dhcp\n";

		CHECK_INT_EQ(ifupdown_lookup_buffer("x", data, sizeof(data) - 1,
						    "usb0", &s),
			     0);
		CHECK(s.found);
		ifupdown_stanza_clear(&s);
	}

	/* Sourcing a directory is ignored. */
	lookup_text("source /\nsource .\niface usb0 inet manual\n", "usb0", &s);
	CHECK(s.found);
	ifupdown_stanza_clear(&s);

	/* A source of a missing file is ignored. */
	lookup_text("source /nonexistent/*\nsource-directory /nonexistent\n"
		    "iface usb0 inet manual\n",
		    "usb0", &s);
	CHECK(s.found);
	CHECK_STR_EQ(s.method, "manual");
	ifupdown_stanza_clear(&s);
}

static void write_file(const char *path, const void *data, size_t len,
		       mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT_EQ(write(fd, data, len), (long long)len);
	close(fd);
	chmod(path, mode);
}

static void test_tools(void)
{
	static const char fake_busybox[] = "\177ELF[\0[[\0ifdown\0ifup\0ip\0";
	char tmpl[] = "/tmp/gadgetd-test-ifupdown.XXXXXX";
	char *dir = mkdtemp(tmpl);
	struct ifupdown_tools t;
	char *p, *line, *want;
	char **argv;

	CHECK(dir != NULL);
	if (!dir)
		return;
	/* Nothing there. */
	CHECK_INT_EQ(ifupdown_find(dir, &t), -ENOENT);

	/* ifup alone is not enough. */
	p = xasprintf("%s/ifup", dir);
	write_file(p, "#!/bin/sh\n", 10, 0755);
	CHECK_INT_EQ(ifupdown_find(dir, &t), -ENOENT);
	CHECK(t.ifup.path == NULL);
	unlink(p);
	free(p);

	/* busybox with both applets. */
	p = xasprintf("%s/busybox", dir);
	write_file(p, fake_busybox, sizeof(fake_busybox), 0755);
	CHECK_INT_EQ(ifupdown_find(dir, &t), 0);
	CHECK_STR_EQ(t.ifup.path, p);
	CHECK_STR_EQ(t.ifup.applet, "ifup");
	CHECK_STR_EQ(t.ifdown.applet, "ifdown");

	argv = ifupdown_argv_up(&t, NULL, "usb0");
	line = program_argv_join(argv);
	want = xasprintf("%s ifup usb0", p);
	CHECK_STR_EQ(line, want);
	free(want);
	free(line);
	program_argv_free(argv);

	argv = ifupdown_argv_down(&t, IFUPDOWN_INTERFACES_PATH, "usb0");
	line = program_argv_join(argv);
	want = xasprintf("%s ifdown -f usb0", p);
	CHECK_STR_EQ(line, want);
	free(want);
	free(line);
	program_argv_free(argv);

	argv = ifupdown_argv_up(&t, "/etc/gadget/interfaces", "usb1");
	CHECK_STR_EQ(argv[0], p);
	CHECK_STR_EQ(argv[1], "ifup");
	CHECK_STR_EQ(argv[2], "-i");
	CHECK_STR_EQ(argv[3], "/etc/gadget/interfaces");
	CHECK_STR_EQ(argv[4], "usb1");
	CHECK(argv[5] == NULL);
	program_argv_free(argv);

	argv = ifupdown_argv_down(&t, "/etc/gadget/interfaces", "usb1");
	line = program_argv_join(argv);
	want = xasprintf("%s ifdown -f -i /etc/gadget/interfaces usb1", p);
	CHECK_STR_EQ(line, want);
	free(want);
	free(line);
	program_argv_free(argv);
	ifupdown_tools_clear(&t);
	unlink(p);
	free(p);

	/* Real executables come first. */
	p = xasprintf("%s/ifup", dir);
	write_file(p, "#!/bin/sh\n", 10, 0755);
	free(p);
	p = xasprintf("%s/ifdown", dir);
	write_file(p, "#!/bin/sh\n", 10, 0755);
	CHECK_INT_EQ(ifupdown_find(dir, &t), 0);
	CHECK_STR_EQ(t.ifdown.path, p);
	CHECK(t.ifdown.applet == NULL);
	argv = ifupdown_argv_down(&t, NULL, "usb0");
	line = program_argv_join(argv);
	want = xasprintf("%s -f usb0", p);
	CHECK_STR_EQ(line, want);
	free(want);
	free(line);
	program_argv_free(argv);
	ifupdown_tools_clear(&t);
	unlink(p);
	free(p);
	p = xasprintf("%s/ifup", dir);
	unlink(p);
	free(p);
	rmdir(dir);
}

int main(void)
{
	test_fixture();
	test_buffer();
	test_tools();
	return testlib_finish("test-ifupdown");
}
