# `gadgetd replug`: the host sees the device go and come back and
# enumerates it anew (a new device number), and drives it again
# (carrier, ping).  dummy_udc's soft_connect does not re-enumerate
# (kernel-dummy-soft-connect), so the daemon unbinds and binds here, and
# says so.  A member of socket_group may replug; nothing bound: refused.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_need_tool vm-runas
vm_udc
vm_daemon_users
vm_daemon_config socket_group=gadget
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 10
[ -e /run/netns/$VM_NETNS ] || vm_run "$VM_IP" netns add $VM_NETNS

devnum() { cat /sys/bus/usb/devices/1-1/devnum 2>/dev/null; }
new_device() {
	VM_WAIT_SAW=$(devnum)
	[ -n "$VM_WAIT_SAW" ] && [ "$VM_WAIT_SAW" != "$1" ] &&
		[ "$(cat /sys/bus/usb/devices/1-1/bConfigurationValue 2>/dev/null)" = 1 ]
}
host_drives_it() {
	vm_wait_host_drivers 10 cdc_ether
	vm_host_netdev 10
	vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
	vm_host_wait_carrier "$VM_HOST_NETDEV" 5
	vm_host_netns_ping 192.168.7.2 1
}
host_drives_it

# As bob (a member).
n0=$(devnum)
vm_run vm-runas bob gadgetd -c /tmp/gadgetd.conf replug
vm_expect_eq "replug answer" \
	"$VM_UDC: unbound and bound again (its soft_connect does not re-enumerate)" \
	"$VM_OUT"
vm_wait 10 "the host enumerating the device anew (device number $n0 before)" new_device "$n0"
vm_log "host: device number $n0 -> $(devnum) after $VM_WAITED s"
vm_daemon_wait_state configured 10
host_drives_it
# The number before the replug: read after it, a host quick to enumerate
# again has already moved on.
n1=$(devnum)
vm_run vm_gadgetd replug
vm_wait 10 "the host enumerating the device anew a second time (device number $n1 before)" new_device "$n1"
vm_daemon_wait_state configured 10

# Nothing bound: refused, saying so.
vm_run vm_gadgetd down
vm_run_fails vm_gadgetd replug
vm_expect_eq "replug while down" "replug: no gadget bound (state unbound)" "$VM_OUT"
vm_daemon_stop
