# `gadgetd plan acm+ecm` as sh: ACM before ECM in interface order, both
# bound on the host, bytes through the tty, then the teardown script.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/plan.sh"

vm_need_gadgetd
vm_plan_board_id 10000000c0ffee0110000000c0ffee01

vm_plan_apply acm+ecm
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Serial + Ethernet"
vm_host_expect_attr bcdDevice 0103
vm_wait_host_drivers 10 cdc_acm cdc_ether
# Interface order is link order: ACM (comm + data) first, then ECM.
vm_expect_eq "host interfaces in order" "cdc_acm cdc_acm cdc_ether cdc_ether" \
	"$(vm_host_interfaces | awk '{ printf "%s%s", sep, $3; sep = " " }')"
vm_serial_echo /dev/ttyACM0 /dev/ttyGS0

vm_plan_teardown acm+ecm
