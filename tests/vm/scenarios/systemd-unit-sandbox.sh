# Everything gadgetd does works inside gadgetd.service's sandbox, shown by
# doing it under the unit (not by reading the unit): configfs, the UDC and
# its state file, rtnetlink and the host-link check's AF_PACKET probes
# (the host gets carrier and pings), hooks (run with the unit's NoNewPrivs
# and bounding set, in its cgroup), socket_group with real users (a
# member's status and `switch ecm+msd`, whose LUN image the host then
# reads and writes; an outsider refused), the DHCP server child (the host
# gets its lease), ifupdown's ifup child, and the uevents of a UDC that
# goes away and comes back.
# vm: init=systemd
# vm: timeout=200
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/systemd.sh"

vm_need_gadgetd
vm_need_tool vm-runas
vm_udc
u=gadgetd.service
conf=/etc/gadgetd/gadgetd.conf
profiles=/etc/gadgetd/profiles
sock=/run/gadgetd/gadgetd.sock
vm_unit_wait_running $u 60
vm_wait_host_device 0x1d6b 0x0104 10

# A hook that records what it ran under; socket_group for the gadget
# group (gadgetuser is a member, outsider is not); the image ecm+msd's LUN
# names.  systemctl reload makes the daemon take both.
mkdir -p /etc/gadgetd/hooks.d /var/lib/gadgetd
cat >/etc/gadgetd/hooks.d/50-sandbox <<'HOOK'
#!/bin/sh
{
	echo "event $GADGETD_EVENT $GADGETD_STATE $GADGETD_PROFILE"
	grep -E '^(NoNewPrivs|CapBnd):' /proc/self/status | tr -s '\t' ' '
	echo "cgroup $(sed -n 's/^0:://p' /proc/self/cgroup)"
} >>/run/vm-hooks.log
HOOK
chmod 755 /etc/gadgetd/hooks.d/50-sandbox
sed -i 's/^socket_group *=.*/socket_group = gadget/' $conf
dd if=/dev/zero of=/var/lib/gadgetd/msd.img bs=1024 count=4096 2>/dev/null
socket_group_is() {
	VM_WAIT_SAW=$(ls -l $sock | awk '{ print $1, $3, $4 }')
	[ "$VM_WAIT_SAW" = "$1" ]
}
vm_run systemctl reload $u
vm_wait 10 "control socket 0660 root:gadget after reload" \
	socket_group_is "srw-rw---- root gadget"

# A new host session under the unit: restart, the host opens its netdev
# in its namespace (first: the link check gives a host about 4 s), the
# check's probes decide, carrier and a ping.
vm_run systemctl restart $u
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_host_netdev 5
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
vm_unit_wait_running $u 10
vm_daemon_wait_link_checked 15
case "$(vm_json link_check)" in
host-active | reasserted) ;;
*) vm_fail "link_check under the unit: expected host-active or reasserted, saw '$(vm_json link_check)'" ;;
esac
vm_host_wait_carrier "$VM_HOST_NETDEV" 10
vm_host_netns_ping 192.168.7.2
vm_log "journal: $(journalctl -b -u $u --no-pager -o cat | grep 'link check\|re-assert' | tail -n 3 | tr '\n' ';')"

# The hooks ran in the unit's cgroup with its restrictions.
vm_wait 10 "hook run for the restart's configured state" \
	grep -q "^event .* configured ecm-only" /run/vm-hooks.log
sed 's/^/    | /' /run/vm-hooks.log | head -n 12
bnd=$(sed -n 's/^CapBnd:[[:space:]]*//p' "/proc/$VM_MAIN_PID/status")
vm_expect_eq "hook runs' cgroups" "cgroup /system.slice/$u" \
	"$(grep '^cgroup' /run/vm-hooks.log | sort -u)"
vm_expect_eq "hook runs' NoNewPrivs" "NoNewPrivs: 1" \
	"$(grep '^NoNewPrivs' /run/vm-hooks.log | sort -u)"
vm_expect_eq "hook runs' CapBnd (the daemon's)" "CapBnd: $bnd" \
	"$(grep '^CapBnd' /run/vm-hooks.log | sort -u)"
vm_expect_ne "the unit's CapBnd" 000001ffffffffff "$bnd"

# socket_group: a member asks and switches by profile name; the host gets
# the LUN's image, which the kernel opened in the daemon's context.
vm_run vm-runas gadgetuser gadgetd status
vm_expect_contains "member's status" "state:     configured" "$VM_OUT"
vm_run vm-runas gadgetuser gadgetd switch ecm+msd
vm_unit_wait $u StatusText "configured: profile ecm+msd, udc $VM_UDC" 10
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether usb-storage
vm_host_block_dev 0 10
vm_host_block_check "$VM_HOST_BLOCK" /var/lib/gadgetd/msd.img 64
# An outsider is refused (by the socket's mode, or by the daemon's check
# of its credentials), and nothing changes.
vm_run_fails vm-runas outsider gadgetd switch ecm-only
vm_expect_contains "outsider's switch refused" "ermission denied" "$VM_OUT"
vm_unit_expect $u StatusText "configured: profile ecm+msd, udc $VM_UDC"

# The DHCP server: a child in the unit's cgroup, answering the host.
sed '/^\[function ecm.usb0\]/a dhcp = yes' $profiles/ecm-only.ini >$profiles/ecm-dhcp.ini
vm_run gadgetd switch ecm-dhcp
vm_unit_wait $u StatusText "configured: profile ecm-dhcp, udc $VM_UDC" 10
dhcp_status() { gadgetd status --json | sed -n 's/.*"dhcp":"\([^"]*\)".*/\1/p'; }
dhcp_running() {
	VM_WAIT_SAW=$(dhcp_status)
	case "$VM_WAIT_SAW" in
	"running pid "*) return 0 ;;
	esac
	return 1
}
vm_wait 10 "status: dhcp running" dhcp_running
dpid=$(dhcp_status | sed 's/^running pid \([0-9]*\).*/\1/')
vm_log "dhcp server: pid $dpid: $(tr '\0' ' ' <"/proc/$dpid/cmdline")"
vm_pid_in_unit "$dpid" $u
vm_expect_eq "dhcp server's NoNewPrivs" 1 \
	"$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "/proc/$dpid/status")"
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_host_netdev 5
vm_run "$VM_IP" link set "$VM_HOST_NETDEV" netns "$VM_NETNS"
vm_run "$VM_IP" -n "$VM_NETNS" link set "$VM_HOST_NETDEV" up
vm_host_wait_carrier "$VM_HOST_NETDEV" 10
vm_host_dhcp "$VM_HOST_NETDEV"
vm_expect_eq "host lease address" 192.168.7.1 "$VM_LEASE_IP"
vm_expect_eq "lease server id" 192.168.7.2 "$VM_LEASE_SERVER"
vm_host_netns_ping 192.168.7.2

# ifupdown: a stanza for usb0, so the daemon's child runs ifup; the host
# reaches the stanza's address, not the profile's.
mkdir -p /etc/network/if-pre-up.d /etc/network/if-up.d \
	/etc/network/if-down.d /etc/network/if-post-down.d
cat >/etc/network/interfaces <<'CONF'
auto lo
iface lo inet loopback

iface usb0 inet static
	address 192.168.7.20
	netmask 255.255.255.0
CONF
usb0_has() {
	VM_WAIT_SAW=$("$VM_IP" -4 -o addr show dev usb0 2>&1 | awk '{ print $4 }' | tr '\n' ' ')
	case "$VM_WAIT_SAW" in
	*"$1"*) return 0 ;;
	esac
	return 1
}
vm_run gadgetd switch ecm-only
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_host_netdev 5
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
vm_wait 10 "ifup usb0 by the daemon's child" usb0_has 192.168.7.20/24
vm_unit_wait $u StatusText "configured: profile ecm-only, udc $VM_UDC" 10
vm_daemon_wait_link_checked 15
vm_host_wait_carrier "$VM_HOST_NETDEV" 10
vm_host_netns_ping 192.168.7.20
vm_wait 5 "status host_link up from the if-up.d hook" \
	sh -c 'gadgetd status --json | grep -q "\"host_link\":\"up\""'

# Uevents under the unit: the UDC goes away and comes back (once: Debian's
# 6.1 refuses an ECM gadget's bind after a second time, docs/daemon.md).
vm_run rmmod dummy_hcd
vm_unit_wait $u StatusText "waiting-udc: profile ecm-only*" 10
vm_wait_host_gone 5
vm_run modprobe dummy_hcd
vm_wait_host_device 0x1d6b 0x0104 15
vm_wait_host_drivers 10 cdc_ether
vm_unit_wait $u StatusText "configured: profile ecm-only, udc $VM_UDC" 15
vm_unit_expect $u NRestarts 0
journalctl -b -u $u -p warning --no-pager -o cat | sed 's/^/    warning| /'
