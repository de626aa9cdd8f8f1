# A kernel without a function module: with usb_f_rndis deleted, mkdir of
# functions/rndis.* fails (the on-demand modprobe finds nothing) while
# other functions still load.  This is how scenarios fake such a kernel
# (vm_remove_module), so it has to keep working.
# vm: timeout=60
. "$VM_LIB/vm.sh"

g=$VM_GADGETS/g1
mkdir $g || vm_fail "mkdir $g failed"
vm_expect_eq "usb_f_rndis loaded before the test" "" \
	"$(grep '^usb_f_rndis ' /proc/modules)"
vm_remove_module usb_f_rndis
vm_run_fails mkdir $g/functions/rndis.usb0
vm_expect_contains "mkdir functions/rndis.usb0 error" "No such file or directory" "$VM_OUT"
vm_expect_no_file "rndis function" $g/functions/rndis.usb0

vm_run mkdir $g/functions/ecm.usb0
vm_expect_ne "usb_f_ecm in /proc/modules" "" "$(grep '^usb_f_ecm ' /proc/modules)"
vm_gadget_teardown g1
