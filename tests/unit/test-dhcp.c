/* SPDX-License-Identifier: MIT */
/*
 * dhcp.c: the pool arithmetic, the generated config files (exactly), the
 * server search on a fake directory tree, the restart policy, and, as
 * root, the real servers found on this machine handing a lease across a
 * veth pair to busybox udhcpc in another network namespace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dhcp.h"
#include "event_loop.h"
#include "gadgetd/profile.h"
#include "net.h"
#include "netlink.h"
#include "program.h"
#include "testlib.h"
#include "util.h"

static struct ip_address addr(int family, const char *ip, int prefix,
			      const char *text)
{
	struct ip_address a = { .family = family, .prefix_len = prefix };

	if (inet_pton(family, ip, a.addr) != 1)
		testlib_fail(__FILE__, __LINE__, "bad test address %s", ip);
	a.text = (char *)text;
	return a;
}

static uint32_t ip4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		testlib_fail(__FILE__, __LINE__, "bad test address %s", s);
	return ntohl(a.s_addr);
}

static void test_pool(void)
{
	struct ip_address a = addr(AF_INET, "192.168.7.2", 24, NULL);
	struct dhcp_pool p;

	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), 0);
	CHECK_INT_EQ(p.server, ip4("192.168.7.2"));
	CHECK_INT_EQ(p.netmask, ip4("255.255.255.0"));
	CHECK_INT_EQ(p.n_ranges, 2);
	CHECK_INT_EQ(p.ranges[0].first, ip4("192.168.7.1"));
	CHECK_INT_EQ(p.ranges[0].last, ip4("192.168.7.1"));
	CHECK_INT_EQ(p.ranges[1].first, ip4("192.168.7.3"));
	CHECK_INT_EQ(p.ranges[1].last, ip4("192.168.7.254"));
	CHECK_INT_EQ(p.size, 253);
	CHECK_INT_EQ(p.host, ip4("192.168.7.1"));

	/* The gadget at either end: one range. */
	a = addr(AF_INET, "192.168.7.1", 24, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), 0);
	CHECK_INT_EQ(p.n_ranges, 1);
	CHECK_INT_EQ(p.ranges[0].first, ip4("192.168.7.2"));
	CHECK_INT_EQ(p.ranges[0].last, ip4("192.168.7.254"));
	CHECK_INT_EQ(p.host, ip4("192.168.7.2"));
	CHECK_INT_EQ(p.size, 253);
	a = addr(AF_INET, "192.168.7.254", 24, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), 0);
	CHECK_INT_EQ(p.n_ranges, 1);
	CHECK_INT_EQ(p.ranges[0].first, ip4("192.168.7.1"));
	CHECK_INT_EQ(p.ranges[0].last, ip4("192.168.7.253"));

	/* /30: exactly one address for the host. */
	a = addr(AF_INET, "10.0.0.1", 30, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), 0);
	CHECK_INT_EQ(p.n_ranges, 1);
	CHECK_INT_EQ(p.ranges[0].first, ip4("10.0.0.2"));
	CHECK_INT_EQ(p.ranges[0].last, ip4("10.0.0.2"));
	CHECK_INT_EQ(p.size, 1);
	a = addr(AF_INET, "10.0.0.6", 30, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), 0);
	CHECK_INT_EQ(p.host, ip4("10.0.0.5"));
	CHECK_INT_EQ(p.size, 1);

	/* A subnet that is not /24-aligned, gadget in the middle. */
	a = addr(AF_INET, "10.1.2.3", 8, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), 0);
	CHECK_INT_EQ(p.netmask, ip4("255.0.0.0"));
	CHECK_INT_EQ(p.ranges[0].first, ip4("10.0.0.1"));
	CHECK_INT_EQ(p.ranges[0].last, ip4("10.1.2.2"));
	CHECK_INT_EQ(p.ranges[1].first, ip4("10.1.2.4"));
	CHECK_INT_EQ(p.ranges[1].last, ip4("10.255.255.254"));
	CHECK_INT_EQ(p.size, (1u << 24) - 3);
	a = addr(AF_INET, "172.16.5.130", 25, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), 0);
	CHECK_INT_EQ(p.ranges[0].first, ip4("172.16.5.129"));
	CHECK_INT_EQ(p.ranges[1].last, ip4("172.16.5.254"));
	CHECK_INT_EQ(p.size, 125);

	/* Nothing to lease, or a nonsensical gadget address. */
	a = addr(AF_INET, "10.0.0.0", 31, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), -ERANGE);
	a = addr(AF_INET, "10.0.0.1", 32, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), -ERANGE);
	a = addr(AF_INET, "192.168.7.0", 24, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), -EINVAL);
	a = addr(AF_INET, "192.168.7.255", 24, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), -EINVAL);
	a = addr(AF_INET6, "fd00::2", 64, NULL);
	CHECK_INT_EQ(dhcp_pool_compute(&a, &p), -EAFNOSUPPORT);
}

static const uint8_t host_mac[6] = { 0x02, 0x1d, 0x6b, 0x11, 0x22, 0x33 };

static void check_file_text(const char *what, const char *got,
			    const char *fixture)
{
	char *want = testlib_read_file(fixture, NULL);

	CHECK(want != NULL);
	if (!want)
		return;
	if (strcmp(got, want) != 0)
		testlib_fail(__FILE__, __LINE__,
			     "%s differs from %s:\n--- got\n%s--- want\n%s",
			     what, fixture, got, want);
	else
		CHECK(1);
	free(want);
}

static void test_config_text(void)
{
	struct ip_address a =
		addr(AF_INET, "192.168.7.2", 24, "192.168.7.2/24");
	struct dhcp_params params = {
		.ifname = "usb0",
		.address = &a,
		.has_host_mac = true,
	};
	char *text;

	memcpy(params.host_mac, host_mac, 6);
	CHECK_INT_EQ(dhcp_config_text(DHCP_SERVER_UDHCPD, &params, &text), 0);
	check_file_text("udhcpd config", text,
			"unit/fixtures/net-udhcpd-usb0.conf");
	free(text);
	CHECK_INT_EQ(dhcp_config_text(DHCP_SERVER_DNSMASQ, &params, &text), 0);
	check_file_text("dnsmasq config", text,
			"unit/fixtures/net-dnsmasq-usb0.conf");
	free(text);

	/* Host MAC unknown: no fixed lease; other lease time, runtime dir. */
	params.has_host_mac = false;
	params.lease_seconds = 600;
	params.runtime_dir = "/tmp/x";
	CHECK_INT_EQ(dhcp_config_text(DHCP_SERVER_UDHCPD, &params, &text), 0);
	CHECK(strstr(text, "static_lease") == NULL);
	CHECK(strstr(text, "option lease 600\n") != NULL);
	CHECK(strstr(text, "lease_file /tmp/x/dhcp-usb0.leases\n") != NULL);
	free(text);
	CHECK_INT_EQ(dhcp_config_text(DHCP_SERVER_DNSMASQ, &params, &text), 0);
	CHECK(strstr(text, "dhcp-host") == NULL);
	CHECK(strstr(text, "255.255.255.0,600\n") != NULL);
	free(text);

	/* The gadget at .1 of a /30: one single-address range. */
	a = addr(AF_INET, "10.0.0.1", 30, "10.0.0.1/30");
	CHECK_INT_EQ(dhcp_config_text(DHCP_SERVER_UDHCPD, &params, &text), 0);
	CHECK(strstr(text, "start 10.0.0.2\nend 10.0.0.2\nmax_leases 1\n"));
	free(text);
	/* A /16 is capped in lease count, not in range. */
	a = addr(AF_INET, "172.20.0.1", 16, "172.20.0.1/16");
	CHECK_INT_EQ(dhcp_config_text(DHCP_SERVER_UDHCPD, &params, &text), 0);
	CHECK(strstr(text, "start 172.20.0.2\nend 172.20.255.254\n"
			   "max_leases 256\n"));
	free(text);

	/* Names that would break the config file. */
	params.ifname = "usb0\ninterface eth0";
	CHECK_INT_EQ(dhcp_config_text(DHCP_SERVER_UDHCPD, &params, &text),
		     -EINVAL);
	CHECK(text == NULL);
	params.ifname = "usb 0";
	CHECK_INT_EQ(dhcp_config_text(DHCP_SERVER_DNSMASQ, &params, &text),
		     -EINVAL);
	params.ifname = "";
	CHECK_INT_EQ(dhcp_config_text(DHCP_SERVER_DNSMASQ, &params, &text),
		     -EINVAL);
	params.ifname = "usb0";
	a = addr(AF_INET6, "fd00::2", 64, "fd00::2/64");
	CHECK_INT_EQ(dhcp_config_text(DHCP_SERVER_DNSMASQ, &params, &text),
		     -EAFNOSUPPORT);
}

static void test_select_address(void)
{
	struct ip_address addrs[3] = {
		addr(AF_INET6, "fd00::2", 64, "fd00::2/64"),
		addr(AF_INET, "192.168.7.2", 24, "192.168.7.2/24"),
		addr(AF_INET, "10.0.0.1", 30, "10.0.0.1/30"),
	};

	CHECK(dhcp_select_address("usb0", addrs, 3) == &addrs[1]);
	CHECK(dhcp_select_address("usb0", addrs, 1) == NULL);
	CHECK(dhcp_select_address("usb0", addrs, 0) == NULL);
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

static char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/gadgetd-test-dhcp.XXXXXX";
	char *d = mkdtemp(tmpl);

	CHECK(d != NULL);
	return xstrdup(d ? d : "/nonexistent");
}

static void remove_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	CHECK_INT_EQ(system(cmd), 0);
	free(cmd);
}

static void test_server_find(void)
{
	static const char fake_busybox[] =
		"\177ELF....[\0[[\0acpid\0udhcpc\0udhcpd\0uevent\0";
	static const char fake_busybox_no_udhcpd[] =
		"\177ELF....[\0[[\0acpid\0udhcpc\0uevent\0";
	char *tmp = make_tmpdir();
	char *dnsmasq_dir = xasprintf("%s/a", tmp);
	char *busybox_dir = xasprintf("%s/b", tmp);
	char *udhcpd_dir = xasprintf("%s/c", tmp);
	char *empty_dir = xasprintf("%s/d", tmp);
	char *p, *path;
	struct dhcp_server s;

	mkdir(dnsmasq_dir, 0755);
	mkdir(busybox_dir, 0755);
	mkdir(udhcpd_dir, 0755);
	mkdir(empty_dir, 0755);
	p = xasprintf("%s/dnsmasq", dnsmasq_dir);
	write_file(p, "#!/bin/sh\n", 10, 0755);
	free(p);
	/* Not executable: ignored. */
	p = xasprintf("%s/udhcpd", dnsmasq_dir);
	write_file(p, "#!/bin/sh\n", 10, 0644);
	free(p);
	p = xasprintf("%s/busybox", busybox_dir);
	write_file(p, fake_busybox, sizeof(fake_busybox), 0755);
	free(p);
	p = xasprintf("%s/udhcpd", udhcpd_dir);
	write_file(p, "#!/bin/sh\n", 10, 0755);
	free(p);
	p = xasprintf("%s/busybox", empty_dir);
	write_file(p, fake_busybox_no_udhcpd, sizeof(fake_busybox_no_udhcpd),
		   0755);
	free(p);

	/* dnsmasq only. */
	CHECK_INT_EQ(dhcp_server_find(dnsmasq_dir, &s), 0);
	CHECK_INT_EQ(s.type, DHCP_SERVER_DNSMASQ);
	p = xasprintf("%s/dnsmasq", dnsmasq_dir);
	CHECK_STR_EQ(s.program.path, p);
	CHECK(s.program.applet == NULL);
	free(p);
	dhcp_server_clear(&s);

	/* busybox's applet beats dnsmasq, wherever it is in the path. */
	path = xasprintf("%s:%s", dnsmasq_dir, busybox_dir);
	CHECK_INT_EQ(dhcp_server_find(path, &s), 0);
	CHECK_INT_EQ(s.type, DHCP_SERVER_UDHCPD);
	p = xasprintf("%s/busybox", busybox_dir);
	CHECK_STR_EQ(s.program.path, p);
	CHECK_STR_EQ(s.program.applet, "udhcpd");
	free(p);
	dhcp_server_clear(&s);
	free(path);

	/* A real udhcpd beats busybox's applet, even later in the path. */
	path = xasprintf("relative:%s::%s", busybox_dir, udhcpd_dir);
	CHECK_INT_EQ(dhcp_server_find(path, &s), 0);
	CHECK_INT_EQ(s.type, DHCP_SERVER_UDHCPD);
	p = xasprintf("%s/udhcpd", udhcpd_dir);
	CHECK_STR_EQ(s.program.path, p);
	CHECK(s.program.applet == NULL);
	free(p);
	dhcp_server_clear(&s);
	free(path);

	/* A busybox without the applet, an empty path. */
	CHECK_INT_EQ(dhcp_server_find(empty_dir, &s), -ENOENT);
	CHECK_INT_EQ(dhcp_server_find("", &s), -ENOENT);
	p = xasprintf("%s/busybox", empty_dir);
	CHECK(program_busybox_has_applet(p, "udhcpc"));
	CHECK(!program_busybox_has_applet(p, "udhcp"));
	CHECK(!program_busybox_has_applet(p, ""));
	free(p);

	remove_tree(tmp);
	free(dnsmasq_dir);
	free(busybox_dir);
	free(udhcpd_dir);
	free(empty_dir);
	free(tmp);
}

static void test_prepare(void)
{
	struct ip_address a =
		addr(AF_INET, "192.168.7.2", 24, "192.168.7.2/24");
	struct dhcp_server udhcpd = {
		.type = DHCP_SERVER_UDHCPD,
		.program = { .path = "/bin/busybox", .applet = "udhcpd" },
	};
	struct dhcp_server dnsmasq = {
		.type = DHCP_SERVER_DNSMASQ,
		.program = { .path = "/usr/sbin/dnsmasq", .applet = NULL },
	};
	char *tmp = make_tmpdir();
	char *runtime = xasprintf("%s/run", tmp);
	struct dhcp_params params = {
		.ifname = "usb0",
		.runtime_dir = runtime,
		.address = &a,
		.has_host_mac = true,
	};
	struct dhcp_instance inst;
	char *want, *got, *p, *line;

	memcpy(params.host_mac, host_mac, 6);
	/* Creates the runtime dir, writes the file, builds the argv. */
	CHECK_INT_EQ(dhcp_prepare(&udhcpd, &params, &inst), 0);
	p = xasprintf("%s/dhcp-usb0.conf", runtime);
	CHECK_STR_EQ(inst.config_path, p);
	free(p);
	p = xasprintf("%s/dhcp-usb0.pid", runtime);
	CHECK_STR_EQ(inst.pid_path, p);
	free(p);
	CHECK_INT_EQ(inst.pool.size, 253);
	CHECK_INT_EQ(dhcp_config_text(udhcpd.type, &params, &want), 0);
	got = testlib_read_file(inst.config_path, NULL);
	CHECK_STR_EQ(got, want);
	free(got);
	free(want);
	line = program_argv_join(inst.argv);
	p = xasprintf("/bin/busybox udhcpd -f %s", inst.config_path);
	CHECK_STR_EQ(line, p);
	free(p);
	free(line);
	dhcp_instance_remove_files(&inst);
	CHECK(access(inst.config_path, F_OK) < 0 && errno == ENOENT);
	dhcp_instance_clear(&inst);

	CHECK_INT_EQ(dhcp_prepare(&dnsmasq, &params, &inst), 0);
	line = program_argv_join(inst.argv);
	p = xasprintf("/usr/sbin/dnsmasq --keep-in-foreground --conf-file=%s",
		      inst.config_path);
	CHECK_STR_EQ(line, p);
	free(p);
	free(line);
	CHECK_INT_EQ(dhcp_config_text(dnsmasq.type, &params, &want), 0);
	got = testlib_read_file(inst.config_path, NULL);
	CHECK_STR_EQ(got, want);
	free(got);
	free(want);
	/* No temporary file left behind. */
	p = xasprintf("%s.tmp", inst.config_path);
	CHECK(access(p, F_OK) < 0);
	free(p);
	dhcp_instance_clear(&inst);

	/* Errors leave nothing allocated. */
	a = addr(AF_INET, "10.0.0.1", 32, "10.0.0.1/32");
	CHECK_INT_EQ(dhcp_prepare(&dnsmasq, &params, &inst), -ERANGE);
	CHECK(inst.argv == NULL && inst.config_path == NULL);
	a = addr(AF_INET, "192.168.7.2", 24, "192.168.7.2/24");
	params.runtime_dir = "/nonexistent/gadgetd";
	CHECK_INT_EQ(dhcp_prepare(&dnsmasq, &params, &inst), -ENOENT);
	CHECK(inst.argv == NULL && inst.config_path == NULL);

	remove_tree(tmp);
	free(runtime);
	free(tmp);
}

static void test_supervisor(void)
{
	struct dhcp_supervisor s = { 0 };
	int64_t t = 100000;

	/* Exits right after start: 1 s, 2 s, 4 s, 8 s, then give up. */
	dhcp_supervisor_started(&s, t);
	CHECK_INT_EQ(dhcp_supervisor_exited(&s, t + 50), 1000);
	dhcp_supervisor_started(&s, t += 1000);
	CHECK_INT_EQ(dhcp_supervisor_exited(&s, t + 50), 2000);
	dhcp_supervisor_started(&s, t += 2000);
	CHECK_INT_EQ(dhcp_supervisor_exited(&s, t + 50), 4000);
	dhcp_supervisor_started(&s, t += 4000);
	CHECK_INT_EQ(dhcp_supervisor_exited(&s, t + 50), 8000);
	dhcp_supervisor_started(&s, t += 8000);
	CHECK_INT_EQ(dhcp_supervisor_exited(&s, t + 50), -1);

	/* A server that ran a while starts the count afresh. */
	s = (struct dhcp_supervisor){ 0 };
	dhcp_supervisor_started(&s, t);
	CHECK_INT_EQ(dhcp_supervisor_exited(&s, t + 10), 1000);
	dhcp_supervisor_started(&s, t += 1000);
	CHECK_INT_EQ(dhcp_supervisor_exited(&s, t + 10), 2000);
	dhcp_supervisor_started(&s, t += 2000);
	t += DHCP_STABLE_MS;
	CHECK_INT_EQ(dhcp_supervisor_exited(&s, t), 1000);
	CHECK_INT_EQ(s.quick_exits, 0);
	dhcp_supervisor_started(&s, t += 1000);
	CHECK_INT_EQ(dhcp_supervisor_exited(&s, t + 10), 1000);
}

/* Live: real servers, a lease across a veth pair. */

static int run_cmd(const char *cmd)
{
	int status = system(cmd);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static pid_t spawn(char *const *argv, const char *log_path)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/*
 * The "USB host": a child in its own network namespace that takes over
 * the veth peer and runs udhcpc twice, first with the host MAC the
 * gadget knows (fixed lease), then with another one (pool lease).
 */
static int run_client(const char *ip, const char *peer, const char *script,
		      const char *result)
{
	int to_parent[2], to_child[2];
	char cmd[1024];
	char c = 0;
	int status;
	pid_t pid;

	if (pipe(to_parent) < 0 || pipe(to_child) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(to_parent[0]);
		close(to_child[1]);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(90);
		if (write(to_parent[1], "r", 1) != 1)
			_exit(91);
		if (read(to_child[0], &c, 1) != 1)
			_exit(92);
		snprintf(cmd, sizeof(cmd),
			 "{ %1$s link set %2$s address 02:1d:6b:11:22:33 && "
			 "%1$s link set %2$s up && "
			 "busybox udhcpc -i %2$s -n -q -f -t 6 -T 2 -s %3$s && "
			 "%1$s link set %2$s address 02:1d:6b:44:55:66 && "
			 "busybox udhcpc -i %2$s -n -q -f -t 6 -T 2 -s %3$s; "
			 "} >>%4$s.log 2>&1",
			 ip, peer, script, result);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(to_parent[1]);
	close(to_child[0]);
	if (pid < 0 || read(to_parent[0], &c, 1) != 1) {
		close(to_parent[0]);
		close(to_child[1]);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "%s link set %s netns %d", ip, peer,
		 (int)pid);
	if (run_cmd(cmd) != 0)
		testlib_fail(__FILE__, __LINE__, "%s failed", cmd);
	(void)!write(to_child[1], "g", 1);
	close(to_parent[0]);
	close(to_child[1]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void live_lease(const struct dhcp_server *server, const char *ip,
		       const char *tmp, const char *link, const char *peer)
{
	struct ip_address a =
		addr(AF_INET, "192.168.7.2", 24, "192.168.7.2/24");
	struct dhcp_params params = {
		.ifname = link,
		.runtime_dir = tmp,
		.address = &a,
		.has_host_mac = true,
	};
	const char *name = dhcp_server_type_name(server->type);
	char *script = xasprintf("%s/udhcpc-%s.sh", tmp, name);
	char *result = xasprintf("%s/result-%s", tmp, name);
	char *server_log = xasprintf("%s/%s.log", tmp, name);
	char *cmd, *got, *want, *sbody;
	struct dhcp_instance inst;
	struct netlink *nl = NULL;
	int status, rc;
	pid_t pid;

	memcpy(params.host_mac, host_mac, 6);
	cmd = xasprintf("%s link add %s type veth peer name %s", ip, link,
			peer);
	CHECK_INT_EQ(run_cmd(cmd), 0);
	free(cmd);
	CHECK_INT_EQ(netlink_open(&nl), 0);
	if (!nl)
		goto out;
	CHECK_INT_EQ(netlink_link_configure(nl, link, &a, 1, true), 0);
	netlink_close(nl);

	sbody = xasprintf("#!/bin/sh\n[ \"$1\" = bound ] && echo "
			  "\"ip=$ip subnet=$subnet router=$router dns=$dns\" "
			  ">>%s\nexit 0\n",
			  result);
	write_file(script, sbody, strlen(sbody), 0755);
	free(sbody);

	CHECK_INT_EQ(dhcp_prepare(server, &params, &inst), 0);
	if (!inst.argv)
		goto out;
	pid = spawn(inst.argv, server_log);
	CHECK(pid > 0);
	rc = run_client(ip, peer, script, result);
	CHECK_INT_EQ(rc, 0);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	/* Both stop cleanly on SIGTERM: that is how the daemon stops them. */
	CHECK(WIFEXITED(status) ||
	      (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM));

	/* No router, no DNS: the USB link must not take over the host. */
	got = testlib_read_file(result, NULL);
	want = xstrdup("ip=192.168.7.1 subnet=255.255.255.0 router= dns=\n");
	CHECK(got != NULL);
	if (got && strncmp(got, want, strlen(want)) == 0) {
		const char *second = got + strlen(want);
		unsigned int a1, a2, a3, a4;

		CHECK_INT_EQ(
			sscanf(second, "ip=%u.%u.%u.%u", &a1, &a2, &a3, &a4),
			4);
		CHECK(a1 == 192 && a2 == 168 && a3 == 7);
		CHECK(a4 >= 3 && a4 <= 254);
		printf("test-dhcp: %s: host MAC got 192.168.7.1, another "
		       "client 192.168.7.%u\n",
		       name, a4);
	} else {
		char *log = testlib_read_file(server_log, NULL);

		testlib_fail(__FILE__, __LINE__,
			     "%s: leases \"%s\", want first \"%s\"; server "
			     "log:\n%s",
			     name, got ? got : "(none)", want,
			     log ? log : "(none)");
		free(log);
	}
	free(got);
	free(want);
	CHECK(access(inst.lease_path, F_OK) == 0);
	dhcp_instance_remove_files(&inst);
	dhcp_instance_clear(&inst);
out:
	free(script);
	free(result);
	free(server_log);
}

static void test_live(void)
{
	const char *ip = testlib_find_ip();
	char *path = program_default_search_path();
	struct program busybox_client;
	struct dhcp_server udhcpd = { .type = DHCP_SERVER_UDHCPD };
	struct dhcp_server dnsmasq = { .type = DHCP_SERVER_DNSMASQ };
	char *tmp;

	if (!ip || program_find("udhcpc", path, &busybox_client) < 0) {
		printf("test-dhcp: live part skipped: needs iproute2 and "
		       "busybox udhcpc\n");
		free(path);
		return;
	}
	program_clear(&busybox_client);
	if (unshare(CLONE_NEWNET) < 0) {
		printf("test-dhcp: live part skipped: cannot create a network "
		       "namespace (%s); run as root\n",
		       strerror(errno));
		free(path);
		return;
	}
	tmp = make_tmpdir();
	if (program_find("udhcpd", path, &udhcpd.program) == 0) {
		live_lease(&udhcpd, ip, tmp, "gd0", "hs0");
		dhcp_server_clear(&udhcpd);
	} else {
		printf("test-dhcp: no udhcpd on this machine: not run\n");
	}
	if (program_find("dnsmasq", path, &dnsmasq.program) == 0) {
		live_lease(&dnsmasq, ip, tmp, "gd1", "hs1");
		dhcp_server_clear(&dnsmasq);
	} else {
		printf("test-dhcp: no dnsmasq on this machine: not run\n");
	}
	remove_tree(tmp);
	free(tmp);
	free(path);
}

/* The running pid in net_dhcp_status()'s "running pid N", or 0. */
static pid_t supervised_pid(const struct net *n,
			    const struct profile_function *fn)
{
	const char *st = net_dhcp_status(n, fn);

	if (!st || strncmp(st, "running pid ", 12) != 0)
		return 0;
	return (pid_t)strtol(st + 12, NULL, 10);
}

/*
 * net.c's supervision of the server with a fake udhcpd (a shell script
 * that sleeps) on a `link = manual` function, so that no interface is
 * touched: started at net_start, restarted after it was killed, stopped
 * (and gone) at net_stop.  Needs /run/gadgetd, so root only.
 */
static void test_supervision(void)
{
	static const char profile_text[] =
		"[gadget]\nvendor_id = 0x1d6b\nproduct_id = 0x0104\n"
		"[config 1]\nfunctions = ecm.usb0\n"
		"[function ecm.usb0]\naddress = 192.168.77.2/24\n"
		"link = manual\ndhcp = yes\n";
	char dir[] = "/tmp/test-dhcp-sup.XXXXXX", *path, *old_path;
	struct profile *p = NULL;
	struct event_loop *loop = NULL;
	struct diag_list diags;
	struct net *n;
	pid_t pid, pid2;
	int status;

	if (geteuid() != 0) {
		fprintf(stderr, "test-dhcp: supervision skipped (not root)\n");
		return;
	}
	if (!mkdtemp(dir)) {
		testlib_fail(__FILE__, __LINE__, "mkdtemp: %s",
			     strerror(errno));
		return;
	}
	path = xasprintf("%s/functions", dir);
	CHECK_INT_EQ(mkdir(path, 0755), 0);
	free(path);
	path = xasprintf("%s/functions/ecm.usb0", dir);
	CHECK_INT_EQ(mkdir(path, 0755), 0);
	free(path);
	path = xasprintf("%s/functions/ecm.usb0/ifname", dir);
	write_file(path, "gdtest0\n", 8, 0644);
	free(path);
	path = xasprintf("%s/functions/ecm.usb0/host_addr", dir);
	write_file(path, "02:00:00:00:00:02\n", 18, 0644);
	free(path);
	path = xasprintf("%s/udhcpd", dir);
	{
		/* Its own PATH: the test's is the temp dir only, and a
		 * script that cannot find sleep exits 127 before the test
		 * kills it (a flake seen in CI). */
		static const char script[] =
			"#!/bin/sh\nPATH=/usr/bin:/bin\necho \"fake udhcpd $*\"\nexec sleep 60\n";

		write_file(path, script, strlen(script), 0755);
	}
	free(path);
	old_path = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;
	/* dhcp_server_find(NULL) looks in $PATH first. */
	CHECK_INT_EQ(setenv("PATH", dir, 1), 0);

	diag_init(&diags);
	CHECK_INT_EQ(profile_load_ini_buffer("/tmp/sup.ini", profile_text,
					     strlen(profile_text), &p, &diags),
		     0);
	if (p)
		CHECK_INT_EQ(profile_validate(p, &diags), 0);
	diag_print(&diags, stderr);
	diag_clear(&diags);
	CHECK_INT_EQ(event_loop_new(&loop), 0);
	if (!p || !loop)
		goto out;
	n = net_new(loop, "/nonexistent/interfaces");
	CHECK_INT_EQ(net_start(n, p, dir), 0);
	pid = supervised_pid(n, &p->functions[0]);
	CHECK(pid > 0);
	if (pid > 0) {
		path = xasprintf("/run/gadgetd/dhcp-gdtest0.conf");
		CHECK(access(path, F_OK) == 0);
		free(path);
		/* Killed behind our back: restarted after 1 s. */
		kill(pid, SIGKILL);
		CHECK_INT_EQ(waitpid(pid, &status, 0), pid);
		CHECK(net_child_exited(n, pid, status));
		CHECK_STR_EQ(net_dhcp_status(n, &p->functions[0]),
			     "restarting: killed by signal 9");
		for (int i = 0; i < 50 && !supervised_pid(n, &p->functions[0]);
		     i++)
			event_loop_iterate(loop, 100);
		pid2 = supervised_pid(n, &p->functions[0]);
		CHECK(pid2 > 0 && pid2 != pid);
		net_stop(n);
		CHECK_STR_EQ(net_dhcp_status(n, &p->functions[0]), "stopped");
		/* Reaped by net_stop: no such process any more. */
		CHECK(pid2 <= 0 || (kill(pid2, 0) < 0 && errno == ESRCH));
		path = xasprintf("/run/gadgetd/dhcp-gdtest0.conf");
		CHECK(access(path, F_OK) < 0);
		free(path);
	}
	net_free(n);
out:
	event_loop_free(loop);
	profile_free(p);
	if (old_path)
		CHECK_INT_EQ(setenv("PATH", old_path, 1), 0);
	free(old_path);
	path = xasprintf("rm -rf %s /run/gadgetd/dhcp-gdtest0.leases", dir);
	CHECK_INT_EQ(system(path), 0);
	free(path);
}

int main(void)
{
	test_pool();
	test_config_text();
	test_select_address();
	test_server_find();
	test_prepare();
	test_supervisor();
	test_live();
	test_supervision();
	return testlib_finish("test-dhcp");
}
