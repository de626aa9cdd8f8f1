# The host-link check when the host's driver comes late (issue 5): a host
# that configured the device but has not selected the ECM data interface
# yet (its driver still loading: the first plug of a device on a PC) has
# nothing to read and nothing to miss, so the daemon looks again instead
# of giving up; once cdc_ether binds, 2.5 s after configured, the check
# goes on and the host gets carrier within 2 s of opening its netdev,
# and keeps it.  With no driver at all the check ends as host-inactive,
# nothing re-asserted; a driver that comes after that (the host selects
# the data interface, the gadget side gets carrier) starts the check
# again, and the host gets carrier and a ping across.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
[ -e /run/netns/$VM_NETNS ] || vm_run "$VM_IP" netns add $VM_NETNS

# rndis_host and cdc_ncm use cdc_ether's helpers: they go first (a reference
# on cdc_ether can take a moment to drop: rmmod says EAGAIN until then).
unloaded() {
	VM_WAIT_SAW=$(grep "^$1 " /proc/modules)
	! grep -q "^$1 " /proc/modules || rmmod "$1" 2>/dev/null
}
no_host_driver() {
	for m in rndis_host cdc_ncm cdc_ether; do
		vm_wait 5 "rmmod $m" unloaded $m
	done
	vm_log "host: no rndis_host, cdc_ncm, cdc_ether"
}
gadget_carrier() { cat /sys/class/net/usb0/carrier 2>/dev/null; }

# 1: the driver comes 2.5 s after the host configured the device.
no_host_driver
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 10
vm_expect_eq "link_check while the host has no driver" pending "$(vm_daemon_link_check)"
sleep 2.5
vm_expect_eq "gadget usb0 carrier without a host driver" 0 "$(gadget_carrier)"
vm_run modprobe cdc_ether
vm_wait_host_drivers 10 cdc_ether
vm_host_netdev 10
n=$VM_HOST_NETDEV
vm_host_netns_add "$n" 192.168.7.1/24
vm_host_wait_carrier "$n" 2
down_at_carrier=$("$VM_IP" netns exec $VM_NETNS cat /sys/class/net/$n/carrier_down_count)
vm_wait 10 "link_check settled after the late driver" \
	vm__daemon_link_check_is host-active reasserted
vm_log "late driver: link_check $(vm_daemon_link_check)"
vm_expect_eq "host carrier lost after it came (carrier_down_count)" \
	"$down_at_carrier" \
	"$("$VM_IP" netns exec $VM_NETNS cat /sys/class/net/$n/carrier_down_count)"
vm_host_netns_ping 192.168.7.2 1
vm_gadgetd down >/dev/null || vm_fail "gadgetd down failed"
vm_wait_host_gone 5

# 2: no driver at all: host-inactive, and the link never re-asserted.
no_host_driver
vm_gadgetd up >/dev/null || vm_fail "gadgetd up failed"
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 10
vm_wait 10 "link_check host-inactive without a host driver" \
	vm__daemon_link_check_is host-inactive
vm_log "no driver: link_check host-inactive after $VM_WAITED s"
vm_expect_eq "gadget usb0 carrier without a host driver" 0 "$(gadget_carrier)"
vm_expect_eq "usb0 still up (IFF_UP)" 1 \
	"$(($(cat /sys/class/net/usb0/flags) & 1))"

# 3: the driver comes after the check gave up (a PC that takes longer than
# the looks): the host selecting the data interface starts it again.
vm_run modprobe cdc_ether
vm_wait_host_drivers 10 cdc_ether
vm_host_netdev 10
n=$VM_HOST_NETDEV
vm_host_netns_add "$n" 192.168.7.1/24
vm_host_wait_carrier "$n" 2
vm_wait 10 "link_check settled after a driver later than the looks" \
	vm__daemon_link_check_is host-active reasserted
vm_log "driver after host-inactive: link_check $(vm_daemon_link_check) after $VM_WAITED s"
vm_host_netns_ping 192.168.7.2 1
vm_daemon_stop
