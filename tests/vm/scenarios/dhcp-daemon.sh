# `dhcp = yes` run by `gadgetd daemon` (issue 5, scenario 5): once the
# gadget's usb0 is up with 192.168.7.2/24 the daemon runs the board's DHCP
# server (busybox udhcpd here) for it; busybox udhcpc in the host's
# namespace gets the host's fixed lease from that subnet and pings the
# gadget.  A server killed behind the daemon's back is started again; after
# `gadgetd down` it is gone and status says "stopped".  A daemon killed
# with -9 and started again ends with one server, its own.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
profiles=$(sed -n 's/^profile_dirs *= *//p' "$VM_GADGETD_CONF")
sed '/^\[function ecm.usb0\]/a dhcp = yes' "$profiles/ecm-only.ini" \
	>/tmp/ecm-dhcp.ini
grep -q '^dhcp = yes' /tmp/ecm-dhcp.ini || vm_fail "no dhcp = yes in /tmp/ecm-dhcp.ini"
vm_daemon_start --profile /tmp/ecm-dhcp.ini
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_daemon_wait_state configured 10
vm_gadget_netdev $VM_GADGETS/gadgetd/functions/ecm.usb0

dhcp_status() {
	vm_gadgetd status --json | sed -n 's/.*"dhcp":"\([^"]*\)".*/\1/p'
}
dhcp_running() { dhcp_status | grep -q '^running pid '; }
vm_wait 5 "status: dhcp running (saw '$(dhcp_status)')" dhcp_running
pid=$(dhcp_status | sed 's/^running pid \([0-9]*\).*/\1/')
vm_log "dhcp server: pid $pid: $(tr '\0' ' ' </proc/$pid/cmdline)"
vm_expect_contains "server command line" "udhcpd" "$(tr '\0' ' ' </proc/$pid/cmdline)"

vm_host_netdev 5
h=$VM_HOST_NETDEV
[ -e /run/netns/$VM_NETNS ] || vm_run "$VM_IP" netns add $VM_NETNS
vm_run "$VM_IP" link set "$h" netns $VM_NETNS
vm_run "$VM_IP" -n $VM_NETNS link set "$h" up
vm_host_wait_carrier "$h" 10
t0=$(vm_now)
vm_host_dhcp "$h"
t1=$(vm_now)
vm_log "figure: lease after $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"
# host_addr = auto is the host netdev's MAC: its fixed lease is .1.
vm_expect_eq "host lease address" 192.168.7.1 "$VM_LEASE_IP"
vm_expect_eq "host lease netmask" 255.255.255.0 "$VM_LEASE_SUBNET"
vm_expect_eq "lease server id" 192.168.7.2 "$VM_LEASE_SERVER"
vm_expect_eq "host lease router (none offered)" "" "$VM_LEASE_ROUTER"
vm_host_netns_ping 192.168.7.2

# The supervisor: a server that dies is started again (after 1 s).
kill -9 "$pid"
newpid_running() {
	p=$(dhcp_status | sed -n 's/^running pid \([0-9]*\).*/\1/p')
	[ -n "$p" ] && [ "$p" != "$pid" ] && [ -e /proc/$p ]
}
vm_wait 5 "status: a new dhcp server after kill -9 (saw '$(dhcp_status)')" newpid_running
pid=$(dhcp_status | sed 's/^running pid \([0-9]*\).*/\1/')
vm_log "dhcp server restarted as pid $pid after $VM_WAITED s"
"$VM_IP" -n $VM_NETNS addr flush dev "$h"
vm_host_dhcp "$h"
vm_expect_eq "host lease address from the restarted server" 192.168.7.1 "$VM_LEASE_IP"

# A daemon killed with -9 leaves its server behind (unless the server
# dies of the closed log pipe first); the next daemon stops a leftover
# before it starts its own, and the host gets its lease again.
old=$pid
kill -9 "$VM_DAEMON_PID"
vm_wait 5 "killed daemon gone" sh -c "! kill -0 $VM_DAEMON_PID 2>/dev/null"
vm_run "$VM_IP" netns del $VM_NETNS
vm_daemon_start --profile /tmp/ecm-dhcp.ini
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_wait 5 "status: dhcp running after the restart (saw '$(dhcp_status)')" newpid_running
pid=$(dhcp_status | sed 's/^running pid \([0-9]*\).*/\1/')
[ ! -e /proc/$old ] || vm_fail "server pid $old of the killed daemon still running"
vm_host_netdev 5
h=$VM_HOST_NETDEV
vm_run "$VM_IP" netns add $VM_NETNS
vm_run "$VM_IP" link set "$h" netns $VM_NETNS
vm_run "$VM_IP" -n $VM_NETNS link set "$h" up
vm_host_wait_carrier "$h" 10
vm_host_dhcp "$h"
vm_expect_eq "host lease address after a daemon restart" 192.168.7.1 "$VM_LEASE_IP"
vm_host_netns_ping 192.168.7.2

vm_run vm_gadgetd down
[ ! -e /proc/$pid ] || vm_fail "dhcp server pid $pid still running after gadgetd down: $(tr '\0' ' ' </proc/$pid/cmdline)"
vm_expect_eq "status dhcp after down" stopped "$(dhcp_status)"
vm_expect_eq "udhcpd processes after down" "" \
	"$(for c in /proc/[0-9]*/cmdline; do tr '\0' ' ' <"$c" 2>/dev/null; echo; done | grep '[u]dhcpd')"
vm_daemon_stop
