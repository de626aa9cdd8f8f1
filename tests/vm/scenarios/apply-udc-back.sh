# applier_bind() after the UDC went away and came back: the kernel has
# bound the pending gadget by itself, so the UDC write fails with EBUSY;
# reading UDC back gives our UDC and the bind counts as done.  Also the
# cost of applier_refresh() (usbg_cleanup + usbg_init) on the kernel.
# vm: timeout=90
. "$VM_LIB/vm.sh"

vm_need_gadgetd
vm_need_tool vm-apply
vm_udc

vm_run vm-apply up ecm-only "$VM_UDC"
vm_wait_host_device 0x1d6b 0x0104 10
vm_run rmmod dummy_hcd
vm_wait 5 "/sys/class/udc/$VM_UDC still there after rmmod" \
	sh -c "! test -e /sys/class/udc/$VM_UDC"
vm_run modprobe dummy_hcd
vm_wait_host_device 0x1d6b 0x0104 10
vm_run_fails sh -c "echo $VM_UDC > $VM_GADGETS/gadgetd/UDC"
vm_expect_contains "a plain UDC write now" "Device or resource busy" "$VM_OUT"
vm_run vm-apply bind "$VM_UDC"
vm_run vm-apply bound
vm_expect_eq "bound UDC" "$VM_UDC" "$VM_OUT"

# Unbind, then unbind again: both succeed.
vm_run vm-apply unbind
vm_wait_host_gone 5
vm_run vm-apply unbind
vm_run vm-apply bound
vm_expect_eq "bound UDC after unbind" "" "$VM_OUT"
vm_run vm-apply bind "$VM_UDC"
vm_wait_host_device 0x1d6b 0x0104 10

vm_run vm-apply refresh 100
vm_log "applier_refresh() with our gadget: $VM_OUT us on average (TCG)"
vm_run vm-apply remove ecm-only
vm_wait_host_gone 5
vm_expect_eq "gadgets left" "" "$(ls $VM_GADGETS)"
