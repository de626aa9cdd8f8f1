# gadgetd's ifupdown module with busybox ifup/ifdown on the real usb0: it
# finds the stanza through source-directory, its ifup configures usb0 (the
# host gets carrier and pings), its ifdown (-f) takes it down, and after the
# gadget took usb0 away under a configured ifupdown, ifdown -f + ifup
# configure the new usb0.
# vm: timeout=90
. "$VM_LIB/vm.sh"

vm_need_tool vm-net
mkdir -p /etc/network/interfaces.d /etc/network/if-pre-up.d \
	/etc/network/if-up.d /etc/network/if-down.d /etc/network/if-post-down.d
cat >/etc/network/interfaces <<'CONF'
auto lo
iface lo inet loopback

source-directory /etc/network/interfaces.d
CONF
cat >/etc/network/interfaces.d/usb0 <<'CONF'
auto usb0
iface usb0 inet static
	address 192.168.7.2
	netmask 255.255.255.0
CONF

vm_run vm-net ifupdown-lookup usb0
vm_expect_eq "stanza for usb0" \
	"found=1 file=/etc/network/interfaces.d/usb0 line=2 method=static inet=1 inet6=0 auto=1 hotplug=0" \
	"$VM_OUT"
vm_run vm-net ifupdown-lookup usb9
vm_expect_eq "stanza for usb9" "found=0" "$VM_OUT"

make_gadget() {
	vm_gadget_create g1 0x1d6b 0x0104
	vm_gadget_function ecm.usb0
	vm_gadget_config_add ecm.usb0
	vm_gadget_bind
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_wait_host_drivers 10 cdc_ether
	vm_host_netdev
	vm_gadget_netdev "$VM_GADGET/functions/ecm.usb0"
	vm_expect_eq "gadget netdev" usb0 "$VM_GADGET_NETDEV"
	vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
}
gadget_ipv4() { "$VM_IP" -4 -o addr show dev usb0 | awk '{ print $4 }'; }
gadget_is_up() { "$VM_IP" -o link show dev usb0 | grep -q '[<,]UP[,>]'; }

make_gadget
vm_run vm-net ifup usb0
vm_expect_contains "ifup command line" "/usr/sbin/ifup usb0" "$VM_OUT"
vm_expect_eq "usb0 address after ifup" 192.168.7.2/24 "$(gadget_ipv4)"
gadget_is_up || vm_fail "usb0 after ifup: expected UP, saw: $("$VM_IP" -o link show dev usb0)"
vm_host_wait_carrier "$VM_HOST_NETDEV" 5 usb0
vm_host_netns_ping 192.168.7.2

vm_run vm-net ifdown usb0
vm_expect_contains "ifdown command line" "/usr/sbin/ifdown -f usb0" "$VM_OUT"
vm_expect_eq "usb0 address after ifdown" "" "$(gadget_ipv4)"
! gadget_is_up || vm_fail "usb0 after ifdown: expected it down, saw: $("$VM_IP" -o link show dev usb0)"
vm_log "ok: usb0 down, no address"

# The gadget goes away while ifupdown has usb0 configured.
vm_run vm-net ifup usb0
vm_gadget_teardown g1
vm_run vm-net ifdown usb0
vm_run "$VM_IP" netns del "$VM_NETNS"
make_gadget
vm_run vm-net ifup usb0
vm_expect_eq "new usb0 address after ifup" 192.168.7.2/24 "$(gadget_ipv4)"
vm_host_wait_carrier "$VM_HOST_NETDEV" 5 usb0
vm_host_netns_ping 192.168.7.2
vm_gadget_teardown g1
