/* SPDX-License-Identifier: MIT */
/*
 * status.c: what `status` reads from a (fake) configfs gadget and sysfs net
 * directory, and the exact JSON line and text it prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gadgetd/profile.h"
#include "status.h"
#include "testlib.h"
#include "util.h"

static char *tmpdir;

static void put(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, rel);
	FILE *f;

	for (char *p = path + strlen(tmpdir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	} else {
		testlib_fail(__FILE__, __LINE__, "%s: %s", path,
			     strerror(errno));
	}
	free(path);
}

static const char profile_text[] =
	"[gadget]\n"
	"vendor_id = 0x1d6b\n"
	"product_id = 0x0104\n"
	"[config 1]\n"
	"functions = ecm.usb0 ncm.usb1 acm.GS0 mass_storage.0\n"
	"[function ecm.usb0]\n"
	"[function ncm.usb1]\n"
	"[function acm.GS0]\n"
	"[function mass_storage.0]\n"
	"lun.0.file = /dev/mmcblk0\n"
	"lun.1.file = /srv/disk \"two\".img\n";

static char *render(const struct status *st, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (json)
		status_print_json(st, f);
	else
		status_print_text(st, f);
	fclose(f);
	return text;
}

int main(void)
{
	char tmpl[] = "/tmp/gadgetd-test-status-XXXXXX";
	struct diag_list diags;
	struct profile *p = NULL;
	struct status st = { 0 };
	char *gadget, *net, *text, *cmd;
	int r;

	if (!mkdtemp(tmpl))
		return 1;
	tmpdir = tmpl;
	gadget = xasprintf("%s/usb_gadget/gadgetd", tmpdir);
	net = xasprintf("%s/net", tmpdir);
	put("usb_gadget/gadgetd/functions/ecm.usb0/ifname", "usb0\n");
	/* ncm.usb1 is not bound yet: u_ether's template name. */
	put("usb_gadget/gadgetd/functions/ncm.usb1/ifname", "usb%d\n");
	put("usb_gadget/gadgetd/functions/acm.GS0/port_num", "0\n");
	put("usb_gadget/gadgetd/functions/mass_storage.0/lun.0/file",
	    "/dev/mmcblk0\n");
	put("usb_gadget/gadgetd/functions/mass_storage.0/lun.0/ro", "0\n");
	put("usb_gadget/gadgetd/functions/mass_storage.0/lun.1/file", "\n");
	put("usb_gadget/gadgetd/functions/mass_storage.0/lun.1/ro", "1\n");
	put("net/usb0/flags", "0x1003\n");
	put("net/usb0/operstate", "up\n");

	diag_init(&diags);
	r = profile_load_ini_buffer("/etc/gadgetd/profiles/test.ini",
				    profile_text, strlen(profile_text), &p,
				    &diags);
	CHECK_INT_EQ(r, 0);
	diag_print(&diags, stderr);
	diag_clear(&diags);
	if (r < 0)
		return testlib_finish("test-status");

	st.profile = "test";
	st.profile_path = "/etc/gadgetd/profiles/test.ini";
	st.gadget = "gadgetd";
	st.state = "configured";
	st.udc = "dummy_udc.0";
	st.udc_state = "configured";
	st.link_check = "host-active";
	st.host = STATUS_HOST_ATTACHED;
	st.host_source = "udc";
	st.host_speed = "high-speed";
	status_read_gadget(&st, p, gadget, net);
	CHECK_INT_EQ(st.n_functions, 4);
	CHECK_INT_EQ(st.n_luns, 2);

	text = render(&st, true);
	CHECK_STR_EQ(
		text,
		"{\"profile\":\"test\",\"profile_path\":\"/etc/gadgetd/profiles/test.ini\","
		"\"gadget\":\"gadgetd\",\"state\":\"configured\",\"udc\":\"dummy_udc.0\","
		"\"udc_state\":\"configured\","
		"\"host\":{\"attached\":true,\"source\":\"udc\",\"speed\":\"high-speed\"},"
		"\"functions\":["
		"{\"name\":\"ecm.usb0\",\"type\":\"ecm\",\"ifname\":\"usb0\",\"link\":\"up\",\"operstate\":\"up\"},"
		"{\"name\":\"ncm.usb1\",\"type\":\"ncm\",\"ifname\":null,\"link\":\"down\",\"operstate\":null},"
		"{\"name\":\"acm.GS0\",\"type\":\"acm\"},"
		"{\"name\":\"mass_storage.0\",\"type\":\"mass_storage\"}],"
		"\"luns\":[{\"function\":\"mass_storage.0\",\"lun\":0,\"file\":\"/dev/mmcblk0\",\"ro\":false},"
		"{\"function\":\"mass_storage.0\",\"lun\":1,\"file\":null,\"ro\":true}],"
		"\"link_check\":\"host-active\",\"fallback\":null,"
		"\"error\":null}\n");
	free(text);

	/* The link follows IFF_UP of the interface. */
	put("net/usb0/flags", "0x1002\n");
	status_clear(&st);
	st.error = "udc dummy_udc.0: held by gadget \"g1\"";
	st.state = "waiting-udc";
	st.udc = NULL;
	st.udc_state = NULL;
	st.link_check = "reasserted";
	st.host = STATUS_HOST_UNKNOWN;
	st.host_source = NULL;
	st.host_speed = NULL;
	status_read_gadget(&st, p, gadget, net);
	text = render(&st, false);
	CHECK_STR_EQ(text,
		     "profile:   test (/etc/gadgetd/profiles/test.ini)\n"
		     "state:     waiting-udc\n"
		     "udc:       (none)\n"
		     "host:      unknown\n"
		     "function:  ecm.usb0 usb0 link down\n"
		     "function:  ncm.usb1 (no interface)\n"
		     "function:  acm.GS0\n"
		     "function:  mass_storage.0\n"
		     "lun:       mass_storage.0 lun.0 /dev/mmcblk0\n"
		     "lun:       mass_storage.0 lun.1 (no medium) (ro)\n"
		     "links:     reasserted\n"
		     "error:     udc dummy_udc.0: held by gadget \"g1\"\n");
	free(text);
	/* A `dhcp = yes` function shows its server. */
	st.functions[0].dhcp = xstrdup("running pid 42");
	text = render(&st, false);
	CHECK(strstr(text, "function:  ecm.usb0 usb0 link down dhcp running "
			   "pid 42\n") != NULL);
	free(text);
	text = render(&st, true);
	CHECK(strstr(text,
		     "\"operstate\":\"up\",\"dhcp\":\"running pid 42\"}") !=
	      NULL);
	free(text);
	text = render(&st, true);
	CHECK(strstr(text, "\"link\":\"down\"") != NULL);
	CHECK(strstr(text,
		     "\"error\":\"udc dummy_udc.0: held by gadget \\\"g1\\\"\"}") !=
	      NULL);
	free(text);
	/* A cable source that says nothing is attached. */
	st.host = STATUS_HOST_NONE;
	st.host_source = "typec";
	text = render(&st, true);
	CHECK(strstr(text, "\"host\":{\"attached\":false,\"source\":"
			   "\"typec\",\"speed\":null}") != NULL);
	free(text);
	text = render(&st, false);
	CHECK(strstr(text, "\nhost:      none (typec)\n") != NULL);
	free(text);
	st.host = STATUS_HOST_ATTACHED;
	st.host_source = "udc";
	st.host_speed = "high-speed";
	text = render(&st, false);
	CHECK(strstr(text, "\nhost:      attached (udc, high-speed)\n") !=
	      NULL);
	free(text);
	status_clear(&st);

	/* Nothing active: the keys are still all there. */
	memset(&st, 0, sizeof(st));
	st.state = "error";
	st.error = "profile x: No such file or directory";
	text = render(&st, true);
	CHECK_STR_EQ(
		text,
		"{\"profile\":null,\"profile_path\":null,\"gadget\":null,"
		"\"state\":\"error\",\"udc\":null,\"udc_state\":null,"
		"\"host\":{\"attached\":null,\"source\":null,\"speed\":null},"
		"\"functions\":[],\"luns\":[],\"link_check\":null,"
		"\"fallback\":null,"
		"\"error\":\"profile x: No such file or directory\"}\n");
	free(text);

	profile_free(p);
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("test-status: could not remove %s\n", tmpdir);
	free(cmd);
	free(gadget);
	free(net);
	return testlib_finish("test-status");
}
