# `gadgetd plan ecm-only` on a board whose id is a machine-id: the sh
# script builds and binds the gadget; the host sees the serial number and
# MAC addresses derived from the id (the values tests/unit/test-identity
# pins), the same on a second plan; `gadgetd plan --teardown` removes it.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/plan.sh"

vm_need_gadgetd
vm_plan_board_id 0123456789abcdef0123456789abcdef

vm_plan_apply ecm-only
first=$(cat "$VM_PLAN")
vm_plan_print ecm-only
vm_expect_eq "second plan of the same board (cmp)" "" \
	"$(printf '%s\n' "$first" | cmp - "$VM_PLAN" 2>&1)"

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr bcdDevice 0101
vm_host_expect_attr manufacturer gadgetd
vm_host_expect_attr product "gadgetd Ethernet (ECM)"
vm_host_expect_attr serial 929336302974D93C
vm_wait_host_drivers 10 cdc_ether

vm_host_netdev
vm_gadget_netdev $VM_PLAN_GADGET/functions/ecm.usb0
vm_expect_eq "host MAC (host_addr = auto)" 7e:e7:bf:75:a5:ae \
	"$(cat /sys/class/net/$VM_HOST_NETDEV/address)"
vm_expect_eq "gadget MAC (dev_addr = auto)" 72:7f:9c:47:32:58 \
	"$(cat /sys/class/net/$VM_GADGET_NETDEV/address)"
vm_host_netns_add $VM_HOST_NETDEV 192.168.7.1/24
vm_gadget_net_up $VM_GADGET_NETDEV 192.168.7.2/24
vm_host_wait_carrier $VM_HOST_NETDEV 5 $VM_GADGET_NETDEV
vm_host_netns_ping 192.168.7.2

vm_plan_teardown ecm-only
