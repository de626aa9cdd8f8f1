# `gadgetd plan ncm` as sh: the host binds cdc_ncm and pings across it;
# the teardown script removes the gadget.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/plan.sh"

vm_need_gadgetd
vm_plan_board_id 2222222222222222aaaaaaaaaaaaaaaa

vm_plan_apply ncm
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Ethernet (NCM)"
vm_wait_host_drivers 10 cdc_ncm
vm_host_netdev
vm_gadget_netdev $VM_PLAN_GADGET/functions/ncm.usb0
vm_expect_eq "host MAC vs configfs host_addr" "$(cat $VM_PLAN_GADGET/functions/ncm.usb0/host_addr)" \
	"$(cat /sys/class/net/$VM_HOST_NETDEV/address)"
vm_host_netns_add $VM_HOST_NETDEV 192.168.7.1/24
vm_gadget_net_up $VM_GADGET_NETDEV 192.168.7.2/24
vm_host_wait_carrier $VM_HOST_NETDEV 5 $VM_GADGET_NETDEV
vm_host_netns_ping 192.168.7.2

vm_plan_teardown ncm
