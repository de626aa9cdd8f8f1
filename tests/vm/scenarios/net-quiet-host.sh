# The host-link check with a host that sends nothing (issue 5): no IPv6,
# no address, so the daemon's check cannot see it send and asks it with
# probes instead (docs/networking.md).  Four binds of ecm-only, the host
# opening its netdev when it appears.  Each: host carrier within 2 s,
# link_check settles with nothing received from the host (the probes
# decided), the host never loses carrier it had, and when link_check says
# host-active the host's rx_dropped grew by at least the two probes since
# it opened (a Linux host has no handler for their Ethertype and counts
# them there).
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

binds=4
vm_need_gadgetd
vm_udc
vm_daemon_config
[ -e /run/netns/$VM_NETNS ] || vm_run "$VM_IP" netns add $VM_NETNS
# Netdevs moved in later take the namespace's defaults.
"$VM_IP" netns exec $VM_NETNS sh -c \
	'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' ||
	vm_fail "cannot disable IPv6 in namespace $VM_NETNS"

host_stat() {
	"$VM_IP" netns exec $VM_NETNS cat "/sys/class/net/$1/$2"
}

active=0
for i in $(seq 1 "$binds"); do
	if [ "$i" = 1 ]; then
		vm_daemon_start
	else
		vm_gadgetd up >/dev/null || vm_fail "bind $i: gadgetd up failed"
	fi
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_host_netdev 10
	n=$VM_HOST_NETDEV
	vm_run "$VM_IP" link set "$n" netns $VM_NETNS
	# Before the host opens its side: nothing can be read before that,
	# and the first probe can come before this script sees carrier.
	dropped_before=$(host_stat "$n" statistics/rx_dropped)
	vm_run "$VM_IP" -n $VM_NETNS link set "$n" up
	vm_expect_eq "bind $i: IPv6 on host $n" 1 \
		"$("$VM_IP" netns exec $VM_NETNS cat /proc/sys/net/ipv6/conf/$n/disable_ipv6)"
	vm_host_wait_carrier "$n" 2
	down_at_carrier=$(host_stat "$n" carrier_down_count)
	vm_wait 8 "bind $i: link_check settled" \
		vm__daemon_link_check_is host-active reasserted
	check=$(vm_daemon_link_check)
	dropped=$(($(host_stat "$n" statistics/rx_dropped) - dropped_before))
	vm_log "bind $i: link_check $check, host rx_dropped +$dropped since it opened, gadget rx_packets $(cat /sys/class/net/usb0/statistics/rx_packets)"
	vm_expect_eq "bind $i: packets the host sent" 0 \
		"$(host_stat "$n" statistics/tx_packets)"
	vm_expect_eq "bind $i: host carrier lost after it came (carrier_down_count)" \
		"$down_at_carrier" "$(host_stat "$n" carrier_down_count)"
	if [ "$check" = host-active ]; then
		active=$((active + 1))
		[ "$dropped" -ge 2 ] ||
			vm_fail "bind $i: host-active, but the host's rx_dropped grew by $dropped, not by the 2 probes"
	fi
	vm_gadgetd down >/dev/null || vm_fail "bind $i: gadgetd down failed"
	vm_wait_host_gone 5
done
vm_log "figure: quiet host judged by probes: host-active $active of $binds binds"
# Most binds get the first NetworkConnection through; one that did not is
# re-asserted, so at least one bind must have shown the probe path.
[ "$active" -ge 1 ] || vm_fail "no bind ended host-active: the probe path never decided"
vm_daemon_stop
