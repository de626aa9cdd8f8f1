# rndis-legacy through the daemon (issue 5, scenario 6): a Linux host takes
# config 2 (ECM), so the gadget has two up links with 192.168.7.2/24, the
# RNDIS one without carrier.  The host in its own namespace gets carrier
# and pings 192.168.7.2: the gadget's reply must leave by the ECM link,
# which needs ignore_routes_with_linkdown on the gadget's links (set by the
# daemon; without it the route via the carrier-less RNDIS link won and the
# host got 0 of 3 replies).
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config profile=rndis-legacy
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_host_expect_attr bConfigurationValue 2
vm_daemon_wait_state configured 10
vm_gadget_netdev $VM_GADGETS/gadgetd/functions/ecm.usb1
ecm=$VM_GADGET_NETDEV
vm_gadget_netdev $VM_GADGETS/gadgetd/functions/rndis.usb0
rndis=$VM_GADGET_NETDEV
for i in $ecm $rndis; do
	vm_expect_eq "$i ignore_routes_with_linkdown" 1 \
		"$(cat /proc/sys/net/ipv4/conf/$i/ignore_routes_with_linkdown)"
done
vm_run "$VM_IP" -4 route show 192.168.7.0/24
# The host-link check may be re-asserting the links (down, up 100 ms
# later) while the host has not set its side up yet: the route is there
# once the link is, and it is ECM's, never RNDIS's.
route_via_ecm() {
	VM_OUT=$("$VM_IP" -4 route get 192.168.7.1 2>&1)
	case $VM_OUT in *"dev $rndis "*) vm_fail "gadget route to the host via RNDIS: $VM_OUT" ;; esac
	case $VM_OUT in *"dev $ecm "*) return 0 ;; esac
	return 1
}
vm_wait 10 "gadget route to the host via $ecm ($VM_OUT)" route_via_ecm
vm_log "gadget route: $VM_OUT"

vm_host_netdev 5
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
vm_host_wait_carrier "$VM_HOST_NETDEV" 10
vm_host_netns_ping 192.168.7.2

vm_daemon_stop
vm_wait_host_gone 5
