# gadgetd's dhcp module with busybox udhcpd (what small boards have): the
# server it finds and configures for usb0 leases the USB host, whose MAC is
# known (host_addr), the fixed 192.168.7.1, with neither router nor DNS;
# the host then pings the gadget across USB.
# vm: timeout=90
. "$VM_LIB/vm.sh"

vm_need_tool vm-net
vm_gadget_create g1 0x1d6b 0x0104
vm_gadget_function ecm.usb0
vm_write 02:00:00:00:00:02 "$VM_GADGET/functions/ecm.usb0/host_addr"
vm_gadget_config_add ecm.usb0
vm_gadget_bind
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_host_netdev
vm_gadget_netdev "$VM_GADGET/functions/ecm.usb0"
h=$VM_HOST_NETDEV u=$VM_GADGET_NETDEV

[ -e /run/netns/$VM_NETNS ] || vm_run "$VM_IP" netns add $VM_NETNS
vm_run "$VM_IP" link set "$h" netns $VM_NETNS
vm_run "$VM_IP" -n $VM_NETNS link set "$h" up
vm_run vm-net configure "$u" up 192.168.7.2/24
vm_host_wait_carrier "$h" 5 "$u"

vm-net dhcp "$u" 192.168.7.2/24 --host-mac 02:00:00:00:00:02 \
	--runtime-dir /run/gadgetd >/tmp/server.log 2>&1 &
server=$!
vm_wait 5 "vm-net dhcp: server started" grep -q '^vm-net: ' /tmp/server.log
vm_expect_contains "the server gadgetd picked" "vm-net: udhcpd for $u" "$(cat /tmp/server.log)"
sed 's/^/    | /' /run/gadgetd/dhcp-$u.conf

vm_host_dhcp "$h"
vm_expect_eq "host lease address" 192.168.7.1 "$VM_LEASE_IP"
vm_expect_eq "host lease netmask" 255.255.255.0 "$VM_LEASE_SUBNET"
vm_expect_eq "lease server id" 192.168.7.2 "$VM_LEASE_SERVER"
vm_expect_eq "lease time" 3600 "$VM_LEASE_TIME"
vm_expect_eq "host lease router (none offered)" "" "$VM_LEASE_ROUTER"
vm_expect_eq "host lease DNS (none offered)" "" "$VM_LEASE_DNS"
vm_host_netns_ping 192.168.7.2

kill $server
wait $server
vm_gadget_teardown g1
