# The network functions besides ECM and RNDIS, one profile each, through
# `gadgetd daemon` and `gadgetd switch`: CDC-EEM (cdc_eem), the CDC
# subset (configfs geth, cdc_subset on the host for the ID it knows,
# 0525:a4a2) and CDC-NCM (cdc_ncm, the shipped ncm profile, whose OS
# descriptors give Windows 10 the compatible ID WINNCM).  For each the
# host shows the class codes, binds its driver and pings the board across
# USB.  Links are `manual` and the scenario addresses both ends itself:
# it tests the functions, not gadgetd's link policy.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/usbhost.sh"

vm_need_tool vm-usbctl

vm_need_gadgetd
vm_udc

# profile NAME FUNCTION VID PID
profile() {
	cat >/tmp/$1.ini <<INI
[profile]
description = $1 test
[gadget]
vendor_id = $3
product_id = $4
product = gadgetd $1
[config 1]
functions = $2
[function $2]
link = manual
$5
INI
	vm_run gadgetd check /tmp/$1.ini
}
# EEM's interface gets a name of the profile's (ifname template).
profile eem eem.usb0 0x1d6b 0x0106 'ifname = board%d'
profile subset subset.usb0 0x0525 0xa4a2

# ping_across FUNCTION_DIR: address both ends, host in its namespace, ping.
ping_across() {
	vm_gadget_netdev "$1"
	vm_gadget_net_up "$VM_GADGET_NETDEV" 192.168.7.2/24
	vm_host_netdev
	vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
	vm_host_wait_carrier "$VM_HOST_NETDEV" 3 "$VM_GADGET_NETDEV"
	vm_host_netns_ping 192.168.7.2
	"$VM_IP" netns del "$VM_NETNS"
}
g=$VM_GADGETS/gadgetd

vm_daemon_config
sed -e 's/^link = auto/link = manual/' -e '/^address = /d' \
	"$(sed -n 's/^profile_dirs = //p' $VM_GADGETD_CONF)/ncm.ini" >/tmp/ncm.ini
vm_run gadgetd check /tmp/ncm.ini
vm_daemon_config profile=/tmp/eem.ini
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0106 10
vm_host_expect_interface 0 02 0c 07 cdc_eem 10
vm_daemon_wait_state configured 5
vm_gadget_netdev $g/functions/eem.usb0
vm_expect_eq "eem's interface, from ifname = board%d" board0 "$VM_GADGET_NETDEV"
ping_across $g/functions/eem.usb0

# Each profile has its own VID:PID: waiting for the new one cannot see
# the old device.
vm_run vm_gadgetd switch /tmp/subset.ini
vm_wait_host_device 0x0525 0xa4a2 10
# MDLM subclass: the subset has no CDC union, just data endpoints.
vm_host_expect_interface 0 02 0a 00 cdc_subset 10
vm_daemon_wait_state configured 5
vm_expect_file "configfs calls it geth" $g/functions/geth.usb0
ping_across $g/functions/geth.usb0

vm_run vm_gadgetd switch /tmp/ncm.ini
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr bDeviceClass ef
vm_host_expect_interface 0 02 0d 00 cdc_ncm 10
vm_host_expect_interface 1 0a 00 01 cdc_ncm
vm_daemon_wait_state configured 5
vm_host_os_string
vm_expect_eq "OS string" "MSFT100 0xcd" "$VM_OS_SIGNATURE $VM_OS_VENDOR_CODE"
vm_host_compat_ids "$VM_OS_VENDOR_CODE"
vm_expect_eq "extended compat ID" \
	"interface=0 compatible_id=WINNCM sub_compatible_id=" "$VM_COMPAT_IDS"
vm_run vm_gadgetd export
vm_expect_contains "export: ncm's compatible ID" \
	"os_desc.compatible_id = WINNCM" "$VM_OUT"
ping_across $g/functions/ncm.usb0

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
