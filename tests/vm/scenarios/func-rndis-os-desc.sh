# The shipped rndis-legacy profile through `gadgetd daemon`: configfs has
# the Microsoft OS descriptors (use, vendor code, signature, the link to
# c.1, RNDIS / 5162001 on interface.rndis); the host reads them the way
# Windows does (string 0xEE "MSFT100" + vendor code, then the extended
# compat ID feature descriptor with that vendor code), takes the ECM
# configuration 2 by itself and pings the board; moved to configuration 1
# it binds rndis_host and pings again.
# The profile is the shipped one with `link = manual` and no addresses:
# the scenario sets up the gadget side of the link itself, so that it
# tests the descriptors and the functions, not gadgetd's link policy.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/usbhost.sh"

vm_need_gadgetd
vm_need_tool vm-usbctl
vm_udc
vm_daemon_config
# RNDIS's function class as USB-IF numbers it (e0/01/03) instead of
# the kernel's CDC default (02/06/00): the rndis function's class keys.
sed -e 's/^link = auto/link = manual/' -e '/^address = /d' \
	"$(sed -n 's/^profile_dirs = //p' $VM_GADGETD_CONF)/rndis-legacy.ini" |
	awk '{ print } /^\[function rndis.usb0\]$/ {
		print "class = 0xe0"; print "subclass = 0x01"; print "protocol = 0x03" }' \
	>/tmp/rndis-legacy.ini
grep -q '^protocol = 0x03$' /tmp/rndis-legacy.ini || vm_fail "no class keys in /tmp/rndis-legacy.ini"
vm_run gadgetd check /tmp/rndis-legacy.ini
vm_daemon_config profile=/tmp/rndis-legacy.ini
vm_daemon_start
g=$VM_GADGETS/gadgetd

vm_expect_eq "os_desc/use" 1 "$(cat $g/os_desc/use)"
# Debian's 6.1 reads b_vendor_code back sign-extended (0xffffffcd).
vm_expect_eq "os_desc/b_vendor_code (low byte)" 0xcd \
	"$(printf '0x%02x' $(($(cat $g/os_desc/b_vendor_code) & 0xff)))"
vm_expect_eq "os_desc/qw_sign" MSFT100 "$(cat $g/os_desc/qw_sign)"
vm_expect_eq "os_desc/c.1 links to" "$(cd $g/configs/c.1 && pwd -P)" \
	"$(cd $g/os_desc/c.1 && pwd -P)"
vm_expect_eq "interface.rndis compatible_id" RNDIS \
	"$(cat $g/functions/rndis.usb0/os_desc/interface.rndis/compatible_id)"
vm_expect_eq "interface.rndis sub_compatible_id" 5162001 \
	"$(cat $g/functions/rndis.usb0/os_desc/interface.rndis/sub_compatible_id)"
vm_expect_eq "first function of c.1" rndis.usb0 "$(ls $g/configs/c.1 | grep '\.')"
vm_expect_eq "rndis.usb0/class" 0xe0 "$(printf '0x%02x' "0x$(cat $g/functions/rndis.usb0/class)")"

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr bNumConfigurations 2
vm_host_expect_attr bDeviceClass ef
# Linux passes over a configuration whose first interface is RNDIS.
vm_host_expect_attr bConfigurationValue 2
vm_host_expect_interface 0 02 06 00 cdc_ether 10
# The interface associations as the host read them, configuration 1's
# then 2's (sysfs `descriptors` holds every configuration): bLength 8,
# type 0x0b, first interface 0, two interfaces, class subclass protocol.
iads=$(od -An -v -tx1 "$VM_HOST_DEV/descriptors" | tr -s ' \n' '  ' |
	grep -o '08 0b 00 02 [0-9a-f][0-9a-f] [0-9a-f][0-9a-f] [0-9a-f][0-9a-f]' | tr '\n' ',')
vm_expect_eq "host: IADs of RNDIS (c.1) and ECM (c.2)" \
	"08 0b 00 02 e0 01 03,08 0b 00 02 02 06 00," "$iads"
vm_daemon_wait_state configured 5

# What Windows asks before it picks a driver.
vm_host_os_string
vm_expect_eq "OS string signature" MSFT100 "$VM_OS_SIGNATURE"
vm_expect_eq "OS string vendor code" 0xcd "$VM_OS_VENDOR_CODE"
vm_host_compat_ids "$VM_OS_VENDOR_CODE"
vm_expect_eq "compat ID header" "version=0x0100 index=4 count=1" \
	"$(printf '%s\n' "$VM_OUT" | head -n 1)"
vm_expect_eq "extended compat ID" \
	"interface=0 compatible_id=RNDIS sub_compatible_id=5162001" \
	"$VM_COMPAT_IDS"
# Without language 0 the 0xEE index is an ordinary (absent) string.
vm_run_fails vm-usbctl "$VM_HOST_DEV" string 0xee 0x409

# ECM in configuration 2: across USB.
vm_gadget_netdev $g/functions/ecm.usb1
vm_gadget_net_up "$VM_GADGET_NETDEV" 192.168.7.2/24
vm_host_netdev
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
vm_host_wait_carrier "$VM_HOST_NETDEV" 3 "$VM_GADGET_NETDEV"
vm_host_netns_ping 192.168.7.2
vm_run "$VM_IP" link set "$VM_GADGET_NETDEV" down
vm_run "$VM_IP" addr flush dev "$VM_GADGET_NETDEV"

# Configuration 1, as Windows would take it: rndis_host on interface 0.
"$VM_IP" netns del "$VM_NETNS"
vm_host_set_config 1 10
vm_host_expect_interface 0 02 02 ff rndis_host 10
vm_host_expect_interface 1 0a 00 00 rndis_host
vm_gadget_netdev $g/functions/rndis.usb0
vm_gadget_net_up "$VM_GADGET_NETDEV" 192.168.7.2/24
vm_host_netdev
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
vm_host_wait_carrier "$VM_HOST_NETDEV" 3 "$VM_GADGET_NETDEV"
vm_host_netns_ping 192.168.7.2

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
