# The shipped acm+ecm profile through `gadgetd daemon`: the host sees the
# interfaces the profile orders (CDC-ACM first, then CDC-ECM) with their
# class codes and drivers; a line written to the host's /dev/ttyACM0
# arrives on the board's /dev/ttyGS0 and one goes back; the ECM link
# carries a ping.  The profile is the shipped one with `link = manual` and
# no address: the scenario sets the gadget side of the link up itself, so
# that it tests the functions, not gadgetd's link policy.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/usbhost.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
sed -e 's/^link = auto/link = manual/' -e '/^address = /d' \
	"$(sed -n 's/^profile_dirs = //p' $VM_GADGETD_CONF)/acm+ecm.ini" \
	>/tmp/acm+ecm.ini
vm_daemon_config profile=/tmp/acm+ecm.ini
vm_daemon_start
g=$VM_GADGETS/gadgetd

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Serial + Ethernet"
# Interface association descriptors group each function's two
# interfaces; the device class says so (Windows needs it to hand both ACM
# interfaces to one driver).
vm_host_expect_attr bDeviceClass ef
vm_host_expect_attr bDeviceSubClass 02
vm_host_expect_attr bDeviceProtocol 01
vm_host_expect_attr bNumInterfaces " 4"
vm_host_expect_interface 0 02 02 01 cdc_acm 10
vm_host_expect_interface 1 0a 00 00 cdc_acm
vm_host_expect_interface 2 02 06 00 cdc_ether 10
vm_host_expect_interface 3 0a 00 00 cdc_ether
vm_daemon_wait_state configured 5

vm_expect_eq "acm.GS0 port_num" 0 "$(cat $g/functions/acm.GS0/port_num)"
vm_serial_echo /dev/ttyACM0 /dev/ttyGS0

vm_gadget_netdev $g/functions/ecm.usb0
vm_gadget_net_up "$VM_GADGET_NETDEV" 192.168.7.2/24
vm_host_netdev
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
vm_host_wait_carrier "$VM_HOST_NETDEV" 3 "$VM_GADGET_NETDEV"
vm_host_netns_ping 192.168.7.2

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
