# gadgetd's netlink module on a real gadget netdev (through tests/vm/tools
# vm-net): link_configure adds the addresses (IPv4 with its broadcast) and
# sets the link up, the host gets carrier and pings across; down clears
# IFF_UP and the host loses carrier, IPv4 stays and IPv6 goes; and the
# notification socket reports up/down, carrier on unbind/bind, and removal.
# vm: timeout=90
. "$VM_LIB/vm.sh"

vm_need_tool vm-net
vm_gadget_create g1 0x1d6b 0x0104
vm_gadget_function ecm.usb0
vm_write 02:00:00:00:00:01 "$VM_GADGET/functions/ecm.usb0/dev_addr"
vm_write 02:00:00:00:00:02 "$VM_GADGET/functions/ecm.usb0/host_addr"
vm_gadget_config_add ecm.usb0
vm_gadget_bind
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_host_netdev
vm_gadget_netdev "$VM_GADGET/functions/ecm.usb0"
h=$VM_HOST_NETDEV u=$VM_GADGET_NETDEV
vm_host_netns_add "$h" 192.168.7.1/24

# watch_start COND / watch_end: a vm-net watch in the background, started
# before the change it must report.
watch_start() {
	vm-net watch "$u" 5 "$1" >/tmp/watch.out 2>&1 &
	watch_pid=$!
	watch_cond=$1
	vm_wait 5 "vm-net watch $u: ready" grep -q '^ready' /tmp/watch.out
}
watch_end() {
	wait $watch_pid
	rc=$?
	sed 's/^/    | /' /tmp/watch.out
	[ $rc = 0 ] || vm_fail "netlink notification for $u with $watch_cond: $(tail -n 1 /tmp/watch.out)"
	vm_log "ok: notification: $(grep '^event' /tmp/watch.out | tail -n 1)"
}

vm_run vm-net link "$u"
vm_expect_contains "vm-net link $u before configure" "up=0" "$VM_OUT"
vm_expect_contains "vm-net link $u MAC" "mac=02:00:00:00:00:01" "$VM_OUT"

watch_start up=1
vm_run vm-net configure "$u" up 192.168.7.2/24 fd00::2/64
watch_end
vm_run vm-net link "$u"
vm_expect_contains "vm-net link $u after configure up" "up=1" "$VM_OUT"
vm_run vm-net addresses "$u"
vm_expect_contains "addresses of $u" 192.168.7.2/24 "$VM_OUT"
vm_expect_contains "addresses of $u" fd00::2/64 "$VM_OUT"
vm_expect_contains "iproute2's view of $u" "inet 192.168.7.2/24 brd 192.168.7.255" \
	"$("$VM_IP" -4 addr show dev "$u")"
vm_run vm-net configure "$u" up 192.168.7.2/24
vm_log "ok: configuring an address that is already there succeeds"

vm_host_wait_carrier "$h" 5 "$u"
vm_host_netns_ping 192.168.7.2

watch_start up=0
vm_run vm-net configure "$u" down
watch_end
host_carrier_0() { ! "$VM_IP" -n "$VM_NETNS" -o link show dev "$h" | grep -q LOWER_UP; }
vm_wait 5 "host $h carrier gone after gadget $u down" host_carrier_0
vm_log "ok: host $h lost carrier after $VM_WAITED s"
vm_run vm-net addresses "$u"
vm_expect_contains "addresses of $u while down (IPv4 stays)" 192.168.7.2/24 "$VM_OUT"
case "$VM_OUT" in
*fd00::2*) vm_fail "addresses of $u while down: expected the kernel to drop fd00::2/64, saw: $VM_OUT" ;;
esac

vm_run vm-net configure "$u" up 192.168.7.2/24 fd00::2/64
vm_host_wait_carrier "$h" 5 "$u"
vm_host_netns_ping 192.168.7.2

# Carrier on the gadget side follows the USB connection.
watch_start carrier=0
vm_write "" "$VM_GADGET/UDC"
watch_end
watch_start carrier=1
vm_gadget_bind
watch_end
vm_wait_host_device 0x1d6b 0x0104 10

watch_start removed
vm_gadget_teardown g1
watch_end
