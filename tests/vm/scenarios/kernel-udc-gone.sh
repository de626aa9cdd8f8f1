# The UDC going away and coming back (KERNEL-NOTES.md): after rmmod
# dummy_hcd the gadget's UDC attribute still names the UDC; after modprobe
# the kernel binds the pending gadget by itself and writing the UDC again
# fails with EBUSY.  gadgetd's rebind logic relies on exactly this.
# vm: timeout=60
. "$VM_LIB/vm.sh"

g=$VM_GADGETS/g1
mkdir $g $g/functions/acm.GS0 $g/configs/c.1 || vm_fail "mkdir in $g failed"
vm_write 0x1d6b $g/idVendor
vm_write 0x0104 $g/idProduct
ln -s $g/functions/acm.GS0 $g/configs/c.1/
vm_udc
vm_write "$VM_UDC" $g/UDC
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 5 cdc_acm

vm_run rmmod dummy_hcd
vm_wait 5 "/sys/class/udc/$VM_UDC still there after rmmod dummy_hcd" \
	vm__not_exists "/sys/class/udc/$VM_UDC"
vm_expect_eq "gadget UDC attribute with the UDC gone" "$VM_UDC" "$(cat $g/UDC)"

vm_run modprobe dummy_hcd
vm_wait_host_device 0x1d6b 0x0104 10
vm_expect_eq "gadget UDC attribute after the UDC came back" "$VM_UDC" "$(cat $g/UDC)"
vm_wait 5 "UDC state 'configured'" test "$(vm_udc_state)" = configured
vm_run_fails sh -c "echo $VM_UDC > $g/UDC"
vm_expect_contains "writing UDC again" "Device or resource busy" "$VM_OUT"

vm_gadget_teardown g1
vm_wait_host_gone 5
