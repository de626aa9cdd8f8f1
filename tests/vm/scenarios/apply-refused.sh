# All or nothing on the kernel: a function whose module is missing, and a
# LUN file the kernel cannot open, are refused with the errno text and the
# configfs path, and nothing of the gadget is left; the gadget builds once
# the cause is gone.
# vm: timeout=90
. "$VM_LIB/vm.sh"

vm_need_gadgetd
vm_need_tool vm-apply
vm_udc
g=$VM_GADGETS/gadgetd

vm_remove_module usb_f_rndis
vm_run_fails vm-apply up rndis-legacy "$VM_UDC"
vm_expect_eq "refusal of a missing function" \
	"vm-apply up: mkdir $g/functions/rndis.usb0: No such file or directory" \
	"$(printf '%s\n' "$VM_OUT" | grep '^vm-apply')"
vm_expect_eq "gadgets left after the refusal" "" "$(ls $VM_GADGETS)"
vm_expect_eq "functions left loaded: ecm" "" "$(grep '^usb_f_ecm .* [1-9] ' /proc/modules)"

# msd's lun.0 (/dev/mmcblk0) is not optional: the kernel opens it.
rm -f /dev/mmcblk0
vm_run_fails vm-apply up msd "$VM_UDC"
vm_expect_eq "refusal of an absent LUN file" \
	"vm-apply up: write $g/functions/mass_storage.0/lun.0/file: No such file or directory" \
	"$(printf '%s\n' "$VM_OUT" | grep '^vm-apply')"
vm_expect_eq "gadgets left after the refusal" "" "$(ls $VM_GADGETS)"

dd if=/dev/zero of=/dev/mmcblk0 bs=1M count=2 2>/dev/null
vm_run vm-apply up msd "$VM_UDC"
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 usb-storage
vm_run vm-apply remove msd
vm_expect_eq "gadgets left" "" "$(ls $VM_GADGETS)"
