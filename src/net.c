/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dhcp.h"
#include "ifupdown.h"
#include "link_probe.h"
#include "child_output.h"
#include "log.h"
#include "net.h"
#include "netlink.h"
#include "util.h"

enum net_mode {
	NET_MANUAL, /* link = manual: not touched */
	NET_NETLINK, /* link = auto through rtnetlink */
	NET_IFUPDOWN, /* ifup/ifdown own it */
};

struct net_link {
	struct net *net;
	const struct profile_function *fn;
	char *ifname;
	enum net_mode mode;
	bool addresses_added; /* the profile's, by us: removed in net_stop */
	bool admin_down; /* `link-event down`: leave it down */
	bool reassert_up; /* set down by net_reassert(): up after the gap */
	bool carrier; /* gadget side, as the last notification said */
	struct link_probe probe;
	/* DHCP */
	bool dhcp_wanted;
	bool has_host_mac;
	uint8_t host_mac[6];
	struct dhcp_instance dhcp; /* argv set once prepared */
	struct dhcp_supervisor supervisor;
	pid_t dhcp_pid;
	struct event_source *dhcp_timer; /* restart after a back-off */
	char *dhcp_state;
};

/* One queued or running ifup/ifdown. */
struct net_command {
	char **argv;
	char *ifname;
	bool up;
};

struct net {
	struct event_loop *loop;
	char *interfaces_path;
	struct netlink *nl; /* opened on first use */
	bool started;
	struct net_link *links;
	size_t n_links;
	/* ifup/ifdown run one at a time, in order: an ifdown -f must have
	 * cleared ifupdown's state before the next ifup of the same name. */
	struct net_command *queue;
	size_t n_queued;
	struct net_command running;
	pid_t command_pid;
	struct event_source *command_timer;
	/* The children's output pipes, until each reaches its end. */
	struct child_output **outputs;
	size_t n_outputs;
	struct ifupdown_tools tools;
	int tools_state; /* 0: not looked for yet, 1: found, -1: none */
	struct event_source *reassert_timer; /* the gap of net_reassert() */
	/* Link notifications: a link whose gadget side gets carrier. */
	struct event_source *notify_source;
	net_carrier_fn on_carrier;
	void *on_carrier_data;
};

static int64_t net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct net_link *net_find_link(struct net *n, const char *ifname);

static void net_link_notified(const struct netlink_link *link, void *data)
{
	struct net *n = data;
	struct net_link *l = net_find_link(n, link->ifname);
	bool got = link->carrier && !link->removed;

	if (!l)
		return;
	if (got && !l->carrier && n->on_carrier)
		n->on_carrier(n->on_carrier_data, l->ifname);
	l->carrier = got;
}

static void net_notify_readable(struct event_source *source, int fd,
				uint32_t events, void *data)
{
	struct net *n = data;
	int r;

	(void)source;
	(void)fd;
	(void)events;
	r = netlink_dispatch(n->nl, net_link_notified, n);
	if (r != -ENOBUFS)
		return;
	/* Notifications were lost: read our links' state instead. */
	for (size_t i = 0; i < n->n_links; i++) {
		struct netlink_link link;

		if (netlink_link_get(n->nl, n->links[i].ifname, &link) == 0)
			net_link_notified(&link, n);
	}
}

static struct netlink *net_netlink(struct net *n)
{
	int r;

	if (n->nl)
		return n->nl;
	r = netlink_open(&n->nl);
	if (r < 0) {
		log_error("rtnetlink: %s", strerror(-r));
		n->nl = NULL;
		return NULL;
	}
	r = event_loop_add_io(n->loop, netlink_fd(n->nl), EPOLLIN,
			      net_notify_readable, n, &n->notify_source);
	if (r < 0) {
		log_warning("rtnetlink: watching links: %s", strerror(-r));
		n->notify_source = NULL;
	}
	return n->nl;
}

void net_set_carrier_fn(struct net *n, net_carrier_fn fn, void *data)
{
	n->on_carrier = fn;
	n->on_carrier_data = data;
}

struct net *net_new(struct event_loop *loop, const char *interfaces_path)
{
	struct net *n = xcalloc(1, sizeof(*n));

	n->loop = loop;
	n->interfaces_path = xstrdup(
		interfaces_path ? interfaces_path : IFUPDOWN_INTERFACES_PATH);
	return n;
}

/* ---- children: spawn with output logged ---- */

static void net_output_closed(void *data, struct child_output *o)
{
	struct net *n = data;

	for (size_t i = 0; i < n->n_outputs; i++) {
		if (n->outputs[i] == o) {
			n->outputs[i] = n->outputs[--n->n_outputs];
			break;
		}
	}
}

/*
 * Start argv (argv[0] absolute) in its own process group, stdin from
 * /dev/null, stdout and stderr logged with tag.  Returns the pid or a
 * negative errno.
 */
static pid_t net_spawn(struct net *n, char *const *argv, const char *tag)
{
	struct child_output *o;
	int pipefd[2];
	sigset_t none;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	sigemptyset(&none);
	pid = fork();
	if (pid < 0) {
		int r = -errno;

		close(pipefd[0]);
		close(pipefd[1]);
		return r;
	}
	if (pid == 0) {
		int null_fd = open("/dev/null", O_RDONLY);

		/* The daemon blocks the signals its signalfd reads and
		 * ignores SIGPIPE; a server starts with the defaults. */
		(void)signal(SIGPIPE, SIG_DFL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		if (null_fd >= 0) {
			dup2(null_fd, STDIN_FILENO);
			close(null_fd);
		}
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(pipefd[1]);
	o = child_output_new(n->loop, pipefd[0], tag, net_output_closed, n);
	if (o) {
		n->outputs = xreallocarray(n->outputs, n->n_outputs + 1,
					   sizeof(struct child_output *));
		n->outputs[n->n_outputs++] = o;
	}
	return pid;
}

static char *net_exit_text(int status)
{
	if (WIFEXITED(status))
		return xasprintf("exited with status %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return xasprintf("killed by signal %d", WTERMSIG(status));
	return xasprintf("ended (status 0x%x)", status);
}

/*
 * SIGTERM, then wait at most NET_STOP_WAIT_MS for the exit (a pidfd, so
 * that other children's SIGCHLD stay for the daemon's signalfd), then
 * SIGKILL.  The child is reaped here.
 */
static void net_terminate(pid_t pid)
{
	int status, pidfd;

	kill(pid, SIGTERM);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };

		if (poll(&p, 1, NET_STOP_WAIT_MS) <= 0) {
			log_warning(
				"pid %d: still running %d ms after SIGTERM; killing it",
				(int)pid, NET_STOP_WAIT_MS);
			kill(pid, SIGKILL);
		}
		close(pidfd);
	} else {
		/* No pidfd (before Linux 5.3): no bounded wait either. */
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* ---- DHCP ---- */

static struct net_link *net_find_link(struct net *n, const char *ifname)
{
	for (size_t i = 0; i < n->n_links; i++)
		if (streq(n->links[i].ifname, ifname))
			return &n->links[i];
	return NULL;
}

static void net_dhcp_set_state(struct net_link *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void net_dhcp_set_state(struct net_link *l, const char *fmt, ...)
{
	va_list ap;

	free(l->dhcp_state);
	va_start(ap, fmt);
	l->dhcp_state = xvasprintf(fmt, ap);
	va_end(ap);
}

static void net_dhcp_spawn(struct net *n, struct net_link *l)
{
	/* udhcpd and dnsmasq name themselves in each line. */
	pid_t pid = net_spawn(n, l->dhcp.argv, l->ifname);

	if (pid < 0) {
		log_error("%s: dhcp: cannot start %s: %s", l->ifname,
			  l->dhcp.argv[0], strerror((int)-pid));
		net_dhcp_set_state(l, "failed: %s", strerror((int)-pid));
		return;
	}
	l->dhcp_pid = pid;
	dhcp_supervisor_started(&l->supervisor, net_now_ms());
	net_dhcp_set_state(l, "running pid %d", (int)pid);
	log_info("%s: dhcp: started %s (pid %d)", l->ifname, l->dhcp.argv[0],
		 (int)pid);
}

static void net_dhcp_restart_due(struct event_source *source, void *data)
{
	struct net_link *l = data;

	event_source_free(source);
	l->dhcp_timer = NULL;
	net_dhcp_spawn(l->net, l);
}

/*
 * A server left running by a daemon that was killed holds the DHCP port on
 * the interface, so the new one would exit at once: stop it, if its pid
 * file names a process started with our config file.
 */
static void net_dhcp_stop_leftover(const struct net_link *l)
{
	char *text = NULL, *path, *cmdline = NULL;
	size_t size = 0;
	ssize_t len;
	pid_t pid;
	FILE *f;
	int pidfd;

	if (read_file_string(l->dhcp.pid_path, &text) < 0)
		return;
	pid = (pid_t)strtol(text, NULL, 10);
	free(text);
	if (pid <= 1)
		return;
	path = xasprintf("/proc/%d/cmdline", (int)pid);
	f = fopen(path, "re");
	free(path);
	if (!f)
		return;
	/* The whole of it: NUL-separated arguments, no \1 in them. */
	len = getdelim(&cmdline, &size, '\1', f);
	(void)fclose(f);
	for (char *p = cmdline; len > 0 && p < cmdline + len && *p;
	     p += strlen(p) + 1) {
		if (!strstr(p, l->dhcp.config_path))
			continue;
		log_warning(
			"%s: dhcp: stopping pid %d, a server left by an earlier run",
			l->ifname, (int)pid);
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		kill(pid, SIGTERM);
		if (pidfd >= 0) {
			struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

			if (poll(&pfd, 1, NET_STOP_WAIT_MS) <= 0)
				kill(pid, SIGKILL);
			close(pidfd);
		}
		break;
	}
	free(cmdline);
}

/*
 * Start the server for l with addrs (the profile's, or what ifup put on
 * the interface).
 */
static void net_dhcp_start(struct net *n, struct net_link *l,
			   const struct ip_address *addrs, size_t n_addrs)
{
	struct dhcp_server server;
	struct dhcp_params params = { 0 };
	const struct ip_address *a;
	int r;

	if (!l->dhcp_wanted || l->dhcp_pid > 0 || l->dhcp_timer)
		return;
	if (!l->dhcp.argv) {
		a = dhcp_select_address(l->ifname, addrs, n_addrs);
		if (!a) {
			net_dhcp_set_state(l, "failed: no IPv4 address");
			return;
		}
		r = dhcp_server_find(NULL, &server);
		if (r < 0) {
			log_error(
				"%s: dhcp = yes but neither udhcpd (nor busybox with it) nor dnsmasq is installed",
				l->ifname);
			net_dhcp_set_state(l, "failed: no udhcpd or dnsmasq");
			return;
		}
		params.ifname = l->ifname;
		params.address = a;
		params.has_host_mac = l->has_host_mac;
		memcpy(params.host_mac, l->host_mac, 6);
		r = dhcp_prepare(&server, &params, &l->dhcp);
		dhcp_server_clear(&server);
		if (r < 0) {
			net_dhcp_set_state(l, "failed: %s", strerror(-r));
			return;
		}
		net_dhcp_stop_leftover(l);
	}
	memset(&l->supervisor, 0, sizeof(l->supervisor));
	net_dhcp_spawn(n, l);
}

static void net_dhcp_stop(struct net_link *l)
{
	event_source_free(l->dhcp_timer);
	l->dhcp_timer = NULL;
	if (l->dhcp_pid > 0) {
		log_info("%s: dhcp: stopping pid %d", l->ifname,
			 (int)l->dhcp_pid);
		net_terminate(l->dhcp_pid);
		l->dhcp_pid = 0;
	}
	if (l->dhcp.argv) {
		dhcp_instance_remove_files(&l->dhcp);
		dhcp_instance_clear(&l->dhcp);
	}
	if (l->dhcp_wanted)
		net_dhcp_set_state(l, "stopped");
}

/* ---- ifup/ifdown ---- */

static void net_command_clear(struct net_command *c)
{
	program_argv_free(c->argv);
	free(c->ifname);
	memset(c, 0, sizeof(*c));
}

static void net_command_next(struct net *n);

static void net_command_timeout(struct event_source *source, void *data)
{
	struct net *n = data;

	event_source_free(source);
	n->command_timer = NULL;
	if (n->command_pid <= 0)
		return;
	log_warning("%s: %s: killed after %d ms", n->running.ifname,
		    n->running.up ? "ifup" : "ifdown", NET_IFUPDOWN_TIMEOUT_MS);
	kill(-n->command_pid, SIGKILL);
}

static void net_command_next(struct net *n)
{
	while (n->command_pid <= 0 && n->n_queued) {
		char *tag, *line;
		pid_t pid;

		n->running = n->queue[0];
		memmove(n->queue, n->queue + 1,
			--n->n_queued * sizeof(*n->queue));
		line = program_argv_join(n->running.argv);
		tag = xasprintf("%s: %s", n->running.ifname,
				n->running.up ? "ifup" : "ifdown");
		pid = net_spawn(n, n->running.argv, tag);
		free(tag);
		if (pid < 0) {
			log_error("%s: cannot run %s: %s", n->running.ifname,
				  line, strerror((int)-pid));
			free(line);
			net_command_clear(&n->running);
			continue;
		}
		log_info("%s: running %s (pid %d)", n->running.ifname, line,
			 (int)pid);
		free(line);
		n->command_pid = pid;
		if (event_loop_add_timer(
			    n->loop, NET_IFUPDOWN_TIMEOUT_MS * 1000ULL, false,
			    net_command_timeout, n, &n->command_timer) < 0)
			n->command_timer = NULL;
	}
}

/* Queue `ifup IFNAME` (up) or `ifdown -f IFNAME` with the board's tools. */
static void net_command_queue(struct net *n, struct ifupdown_tools *tools,
			      const char *ifname, bool up)
{
	char **argv =
		up ? ifupdown_argv_up(tools, n->interfaces_path, ifname)
		   : ifupdown_argv_down(tools, n->interfaces_path, ifname);

	n->queue = xreallocarray(n->queue, n->n_queued + 1, sizeof(*n->queue));
	n->queue[n->n_queued++] = (struct net_command){
		.argv = argv, .ifname = xstrdup(ifname), .up = up
	};
	net_command_next(n);
}

/* ifup of l's interface exited 0: DHCP from the address ifup set. */
static void net_ifup_done(struct net *n, struct net_link *l)
{
	struct ip_address *addrs = NULL;
	size_t n_addrs = 0;
	struct netlink *nl;

	if (!l->dhcp_wanted)
		return;
	nl = net_netlink(n);
	if (nl &&
	    netlink_address_list(nl, l->ifname, AF_INET, &addrs, &n_addrs) < 0)
		n_addrs = 0;
	net_dhcp_start(n, l, addrs, n_addrs);
	netlink_address_list_free(addrs, n_addrs);
}

bool net_child_exited(struct net *n, pid_t pid, int status)
{
	if (pid <= 0)
		return false;
	if (pid == n->command_pid) {
		struct net_link *l = net_find_link(n, n->running.ifname);

		event_source_free(n->command_timer);
		n->command_timer = NULL;
		n->command_pid = 0;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			log_info("%s: %s done", n->running.ifname,
				 n->running.up ? "ifup" : "ifdown");
			if (n->running.up && l && l->mode == NET_IFUPDOWN)
				net_ifup_done(n, l);
		} else {
			char *why = net_exit_text(status);

			log_error("%s: %s %s", n->running.ifname,
				  n->running.up ? "ifup" : "ifdown", why);
			if (n->running.up && l && l->dhcp_wanted)
				net_dhcp_set_state(l, "not started: ifup %s",
						   why);
			free(why);
		}
		net_command_clear(&n->running);
		net_command_next(n);
		return true;
	}
	for (size_t i = 0; i < n->n_links; i++) {
		struct net_link *l = &n->links[i];
		char *why;
		int64_t delay;

		if (l->dhcp_pid != pid)
			continue;
		l->dhcp_pid = 0;
		why = net_exit_text(status);
		delay = dhcp_supervisor_exited(&l->supervisor, net_now_ms());
		if (delay < 0) {
			log_error(
				"%s: dhcp: %s %s, %d times in a row soon after its start; giving up",
				l->ifname, l->dhcp.argv[0], why,
				DHCP_MAX_QUICK_EXITS);
			net_dhcp_set_state(l, "failed: %s", why);
		} else {
			log_warning("%s: dhcp: %s %s; restarting it in %lld ms",
				    l->ifname, l->dhcp.argv[0], why,
				    (long long)delay);
			net_dhcp_set_state(l, "restarting: %s", why);
			if (event_loop_add_timer(n->loop,
						 (uint64_t)delay * 1000, false,
						 net_dhcp_restart_due, l,
						 &l->dhcp_timer) < 0) {
				l->dhcp_timer = NULL;
				net_dhcp_set_state(l, "failed: %s", why);
			}
		}
		free(why);
		return true;
	}
	return false;
}

/* ---- the links ---- */

/*
 * With two network functions in two configurations (rndis-legacy: RNDIS
 * in config 1, ECM in config 2, the same subnet on both), the gadget has
 * two up links with a route to the host's subnet each, and only the one
 * of the configuration the host picked gets carrier.  Without this the
 * route through the first, carrier-less, interface wins and the gadget's
 * replies go nowhere: a Linux host pinging the rndis-legacy gadget got 0
 * of 3 replies.  With it the kernel skips routes whose nexthop has no
 * carrier (RTNH_F_LINKDOWN).
 */
int net_ignore_linkdown_routes(const char *proc_sys, const char *ifname)
{
	static const char *const families[] = { "ipv4", "ipv6" };
	int first = 0;

	for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
		char *path = xasprintf(
			"%s/net/%s/conf/%s/ignore_routes_with_linkdown",
			proc_sys ? proc_sys : "/proc/sys", families[i], ifname);
		int r = write_file_string(path, "1");

		/* No IPv6 in this kernel (or disabled): nothing to route. */
		if (r < 0 && !(r == -ENOENT && i == 1)) {
			log_warning("%s: %s", path, strerror(-r));
			if (!first)
				first = r;
		}
		free(path);
	}
	return first;
}

static bool net_parse_mac(const char *text, uint8_t mac[6])
{
	unsigned int b[6];

	if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5]) != 6)
		return false;
	for (size_t i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return true;
}

static char *net_function_attr(const char *gadget_dir,
			       const struct profile_function *fn,
			       const char *attr)
{
	char *path =
		xasprintf("%s/functions/%s/%s", gadget_dir, fn->name, attr);
	char *value = NULL;
	int r = read_file_string(path, &value);

	if (r < 0) {
		log_error("%s: %s", path, strerror(-r));
		value = NULL;
	} else {
		str_strip(value);
	}
	free(path);
	return value;
}

static bool net_have_ifupdown(struct net *n, struct ifupdown_tools **out)
{
	if (n->tools_state == 0) {
		n->tools_state = ifupdown_find(NULL, &n->tools) == 0 ? 1 : -1;
		if (n->tools_state < 0)
			log_warning("ifupdown: no ifup/ifdown on this board; "
				    "setting links through rtnetlink");
	}
	*out = &n->tools;
	return n->tools_state > 0;
}

static int net_link_up(struct net *n, struct net_link *l)
{
	const struct profile_net *net = &l->fn->u.net;
	struct netlink *nl = net_netlink(n);
	int r;

	if (!nl)
		return -EIO;
	r = netlink_link_configure(nl, l->ifname, net->addresses,
				   net->n_addresses, true);
	if (r < 0) {
		log_error("%s: link up: %s", l->ifname, strerror(-r));
		return r;
	}
	if (net->n_addresses)
		l->addresses_added = true;
	log_info("%s: link up (function %s)", l->ifname, l->fn->name);
	return 0;
}

int net_start(struct net *n, const struct profile *p, const char *gadget_dir)
{
	struct ifupdown_tools *tools;
	size_t count = 0;
	int r, first = 0, done = 0;

	if (n->started)
		return 0;
	n->started = true;
	for (size_t i = 0; i < p->n_functions; i++)
		if (function_type_is_network(p->functions[i].type) &&
		    p->functions[i].used)
			count++;
	n->links = xcalloc(count ? count : 1, sizeof(*n->links));
	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *fn = &p->functions[i];
		const struct profile_net *net = &fn->u.net;
		struct net_link *l;
		char *ifname, *mac;

		if (!function_type_is_network(fn->type) || !fn->used)
			continue;
		ifname = net_function_attr(gadget_dir, fn, "ifname");
		/* "(unnamed net_device)" until the function is bound. */
		if (!ifname || strchr(ifname, ' ') || !*ifname) {
			free(ifname);
			if (!first)
				first = -ENODEV;
			continue;
		}
		l = &n->links[n->n_links++];
		l->net = n;
		l->fn = fn;
		l->ifname = ifname;
		l->dhcp_wanted = net->dhcp.value;
		mac = net_function_attr(gadget_dir, fn, "host_addr");
		l->has_host_mac = mac && net_parse_mac(mac, l->host_mac);
		free(mac);
		if (net->link == LINK_MANUAL) {
			l->mode = NET_MANUAL;
			net_dhcp_start(n, l, net->addresses, net->n_addresses);
			continue;
		}
		net_ignore_linkdown_routes(NULL, ifname);
		/* ifup owns an interface the admin described; we don't
		 * fight it. */
		if (net->ifupdown == IFUPDOWN_AUTO &&
		    ifupdown_has_stanza(n->interfaces_path, ifname) &&
		    net_have_ifupdown(n, &tools)) {
			l->mode = NET_IFUPDOWN;
			if (net->n_addresses)
				log_info("%s: %s has a stanza for it: its "
					 "addresses come from there, not from "
					 "the profile",
					 ifname, n->interfaces_path);
			if (l->dhcp_wanted)
				net_dhcp_set_state(l, "starting after ifup");
			net_command_queue(n, tools, ifname, true);
			done++;
			continue;
		}
		l->mode = NET_NETLINK;
		r = net_link_up(n, l);
		if (r < 0) {
			if (!first)
				first = r;
			continue;
		}
		done++;
		net_dhcp_start(n, l, net->addresses, net->n_addresses);
	}
	/* Follow the links' carrier from now on, whoever brings them up. */
	if (n->n_links)
		net_netlink(n);
	return first < 0 ? first : done;
}

bool net_started(const struct net *n)
{
	return n && n->started;
}

static void net_links_free(struct net *n)
{
	event_source_free(n->reassert_timer);
	n->reassert_timer = NULL;
	for (size_t i = 0; i < n->n_links; i++) {
		free(n->links[i].ifname);
		free(n->links[i].dhcp_state);
	}
	free(n->links);
	n->links = NULL;
	n->n_links = 0;
	n->started = false;
}

void net_stop(struct net *n)
{
	if (!n || !n->started)
		return;
	for (size_t i = 0; i < n->n_links; i++) {
		struct net_link *l = &n->links[i];
		const struct profile_net *net = &l->fn->u.net;
		struct ifupdown_tools *tools;
		struct netlink *nl;
		int r;

		net_dhcp_stop(l);
		if (l->mode == NET_IFUPDOWN && net_have_ifupdown(n, &tools)) {
			net_command_queue(n, tools, l->ifname, false);
			continue;
		}
		if (l->mode != NET_NETLINK || !(nl = net_netlink(n)))
			continue;
		/* Gone with the UDC's driver: nothing left to undo. */
		r = netlink_link_set_up(nl, l->ifname, false);
		if (r == -ENODEV)
			continue;
		if (r < 0)
			log_error("%s: link down: %s", l->ifname, strerror(-r));
		else
			log_info("%s: link down (function %s)", l->ifname,
				 l->fn->name);
		for (size_t k = 0; l->addresses_added && k < net->n_addresses;
		     k++) {
			r = netlink_address_delete(nl, l->ifname,
						   &net->addresses[k]);
			if (r < 0 && r != -ENODEV)
				log_error("%s: removing %s: %s", l->ifname,
					  net->addresses[k].text, strerror(-r));
		}
	}
	net_links_free(n);
}

/*
 * Wait for pid (in its own process group) at most timeout_ms, then kill the
 * group; reaps it.
 */
static void net_wait_command(pid_t pid, int timeout_ms)
{
	int status, pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };

		if (poll(&p, 1, timeout_ms) <= 0)
			kill(-pid, SIGKILL);
		close(pidfd);
	} else {
		kill(-pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

void net_free(struct net *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_links; i++)
		net_dhcp_stop(&n->links[i]);
	net_links_free(n);
	/* The daemon is exiting (its control socket is closed, so the
	 * ifupdown hook's link-event fails at once): finish the ifdowns
	 * here, or ifupdown would keep the interface "configured". */
	event_source_free(n->command_timer);
	n->command_timer = NULL;
	for (;;) {
		if (n->command_pid > 0) {
			net_wait_command(n->command_pid,
					 NET_IFUPDOWN_TIMEOUT_MS);
			n->command_pid = 0;
			net_command_clear(&n->running);
		}
		if (!n->n_queued)
			break;
		net_command_next(n);
		event_source_free(n->command_timer);
		n->command_timer = NULL;
	}
	free(n->queue);
	/* What the children wrote before they exited. */
	for (size_t i = 0; i < n->n_outputs; i++) {
		child_output_drain(n->outputs[i]);
		child_output_free(n->outputs[i]);
	}
	free(n->outputs);
	if (n->tools_state > 0)
		ifupdown_tools_clear(&n->tools);
	event_source_free(n->notify_source);
	netlink_close(n->nl);
	free(n->interfaces_path);
	free(n);
}

/* A link gadgetd raised (itself or by ifup) and nobody set down since. */
static bool net_link_asserted(const struct net_link *l)
{
	return (l->mode == NET_NETLINK || l->mode == NET_IFUPDOWN) &&
	       !l->admin_down;
}

unsigned int net_n_asserted(const struct net *n)
{
	unsigned int count = 0;

	for (size_t i = 0; n && i < n->n_links; i++)
		if (net_link_asserted(&n->links[i]))
			count++;
	return count;
}

unsigned int net_probe_send(struct net *n)
{
	struct netlink *nl = net_netlink(n);
	unsigned int sent = 0;

	for (size_t i = 0; i < n->n_links; i++) {
		struct net_link *l = &n->links[i];
		struct netlink_link link;
		int r;

		l->probe.sent = false;
		/* No carrier on the gadget side: the host has not selected
		 * this function's data interface (another configuration,
		 * no driver), so it has nothing to read with. */
		if (!net_link_asserted(l) || !nl ||
		    netlink_link_get(nl, l->ifname, &link) < 0 ||
		    !(link.flags & IFF_UP) || !link.carrier || !link.has_mac)
			continue;
		r = link_probe_send(&l->probe, NULL, l->ifname, link.ifindex,
				    link.mac);
		if (r < 0) {
			log_error("%s: host-link probe: %s", l->ifname,
				  strerror(-r));
			continue;
		}
		sent++;
	}
	return sent;
}

bool net_probe_read(const struct net *n)
{
	for (size_t i = 0; i < n->n_links; i++) {
		const struct net_link *l = &n->links[i];

		if (net_link_asserted(l) &&
		    link_probe_read(&l->probe, NULL, l->ifname))
			return true;
	}
	return false;
}

static void net_reassert_up(struct event_source *source, void *data)
{
	struct net *n = data;
	struct ifupdown_tools *tools;

	event_source_free(source);
	n->reassert_timer = NULL;
	for (size_t i = 0; i < n->n_links; i++) {
		struct net_link *l = &n->links[i];

		if (!l->reassert_up)
			continue;
		l->reassert_up = false;
		if (l->mode == NET_IFUPDOWN) {
			/* Our own ifdown's hook set admin_down; the ifup's
			 * clears it. */
			if (net_have_ifupdown(n, &tools))
				net_command_queue(n, tools, l->ifname, true);
		} else if (!l->admin_down) {
			net_link_up(n, l);
		}
	}
}

int net_reassert(struct net *n)
{
	struct netlink *nl = net_netlink(n);
	unsigned int down = 0;
	int first = 0;

	if (!nl)
		return -EIO;
	for (size_t i = 0; i < n->n_links; i++) {
		struct net_link *l = &n->links[i];
		struct ifupdown_tools *tools;
		struct netlink_link link;
		int r;

		if (!net_link_asserted(l) || l->reassert_up)
			continue;
		/* An admin's `ip link set down` since: leave it down. */
		if (netlink_link_get(nl, l->ifname, &link) == 0 &&
		    !(link.flags & IFF_UP))
			continue;
		/* Not a bare down/up: that would drop what the stanza set up
		 * besides IPv4 addresses (IPv6 addresses, static routes).
		 * ifdown and ifup redo all of it, in order, through the
		 * queue; the hook tells the daemon about both. */
		if (l->mode == NET_IFUPDOWN) {
			if (!net_have_ifupdown(n, &tools))
				continue;
			log_info("%s: re-asserting the link: ifdown, ifup",
				 l->ifname);
			net_command_queue(n, tools, l->ifname, false);
			l->reassert_up = true;
			down++;
			continue;
		}
		r = netlink_link_set_up(nl, l->ifname, false);
		if (r < 0) {
			/* The up after the gap comes all the same: a request
			 * that timed out (a loaded board) was still sent, and
			 * the kernel may set the link down after we stopped
			 * waiting; without the up it would stay down for
			 * good.  An up of a link that never went down
			 * changes nothing. */
			log_error("%s: link down: %s; up again in %d ms",
				  l->ifname, strerror(-r), NET_REASSERT_GAP_MS);
			if (!first)
				first = r;
		} else {
			log_info("%s: re-asserting the link: down, up in %d ms",
				 l->ifname, NET_REASSERT_GAP_MS);
		}
		l->reassert_up = true;
		down++;
	}
	if (!down || n->reassert_timer)
		return first;
	/* Down and up at once would put NetworkConnection(0) and (1) back to
	 * back on the interrupt endpoint, and a host's usbnet can lose the
	 * second while it handles the first (docs/networking.md). */
	if (event_loop_add_timer(n->loop, NET_REASSERT_GAP_MS * 1000ULL, false,
				 net_reassert_up, n, &n->reassert_timer) < 0) {
		n->reassert_timer = NULL;
		net_reassert_up(NULL, n);
	}
	return first;
}

bool net_link_event(struct net *n, const char *ifname, bool up)
{
	struct net_link *l = net_find_link(n, ifname);
	struct netlink *nl;
	int r;

	if (!l)
		return false;
	if (up) {
		l->admin_down = false;
		if (l->mode == NET_NETLINK && net_link_up(n, l) < 0)
			return true;
		if (l->mode == NET_IFUPDOWN)
			net_ifup_done(n, l);
		else
			net_dhcp_start(n, l, l->fn->u.net.addresses,
				       l->fn->u.net.n_addresses);
		return true;
	}
	net_dhcp_stop(l);
	if (l->mode == NET_MANUAL)
		return true;
	/* Not re-asserted until the next up.  ifupdown's links are down
	 * already: this came from the hook of an admin's ifdown. */
	l->admin_down = true;
	if (l->mode == NET_IFUPDOWN || !(nl = net_netlink(n)))
		return true;
	r = netlink_link_set_up(nl, ifname, false);
	if (r < 0)
		log_error("%s: link down: %s", ifname, strerror(-r));
	else
		log_info("%s: link down (link-event)", ifname);
	return true;
}

const char *net_dhcp_status(const struct net *n,
			    const struct profile_function *fn)
{
	if (!function_type_is_network(fn->type) || !fn->u.net.dhcp.value)
		return NULL;
	for (size_t i = 0; i < n->n_links; i++)
		if (n->links[i].fn == fn && n->links[i].dhcp_state)
			return n->links[i].dhcp_state;
	return "stopped";
}
