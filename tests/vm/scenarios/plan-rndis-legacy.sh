# `gadgetd plan rndis-legacy` as sh: two configurations, RNDIS with the
# Microsoft OS descriptors in c.1, ECM in c.2.  The kernel takes every
# attribute (os_desc, interface.rndis); a Linux host skips the RNDIS
# configuration and drives ECM in configuration 2.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/plan.sh"

vm_need_gadgetd
vm_plan_board_id 3333333333333333bbbbbbbbbbbbbbbb

vm_plan_apply rndis-legacy
g=$VM_PLAN_GADGET
vm_expect_eq "os_desc/use" 1 "$(cat $g/os_desc/use)"
# Debian's 6.1 reads b_vendor_code back sign-extended (0xffffffcd): the
# kernel prints a signed char.  The byte is what counts.
vm_expect_eq "os_desc/b_vendor_code (low byte)" 0xcd \
	"$(printf '0x%02x' $(($(cat $g/os_desc/b_vendor_code) & 0xff)))"
vm_expect_eq "os_desc/qw_sign" MSFT100 "$(cat $g/os_desc/qw_sign)"
vm_expect_file "os_desc link to c.1" $g/os_desc/c.1
vm_expect_eq "interface.rndis compatible_id" RNDIS \
	"$(cat $g/functions/rndis.usb0/os_desc/interface.rndis/compatible_id)"
vm_expect_eq "interface.rndis sub_compatible_id" 5162001 \
	"$(cat $g/functions/rndis.usb0/os_desc/interface.rndis/sub_compatible_id)"

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr bNumConfigurations 2
vm_host_expect_attr bConfigurationValue 2
vm_wait_host_drivers 10 cdc_ether
vm_host_netdev
vm_expect_eq "host MAC vs configfs ecm.usb1 host_addr" \
	"$(cat $g/functions/ecm.usb1/host_addr)" \
	"$(cat /sys/class/net/$VM_HOST_NETDEV/address)"

vm_plan_teardown rndis-legacy
