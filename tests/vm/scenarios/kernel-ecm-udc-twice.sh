# Debian's 6.1 and a network function under a UDC that goes away twice:
# the first time the kernel binds the pending gadget again by itself; the
# second time that bind fails ("udc dummy_udc.0: failed to start g1: -2",
# the UDC's `function` attribute stays empty) and so does writing the UDC
# again.  ACM is not affected.  gadgetd can only report it; if this
# scenario fails, the kernel was fixed: daemon-udc-cycles can then cycle
# with ecm-only.
# vm: timeout=60
. "$VM_LIB/vm.sh"

vm_udc
vm_gadget_create g1 0x1d6b 0x0104
vm_gadget_function ecm.usb0
vm_gadget_config_add ecm.usb0
vm_gadget_bind
vm_wait_host_device 0x1d6b 0x0104 10
vm_expect_eq "UDC function attribute" g1 "$(cat /sys/class/udc/$VM_UDC/function)"

udc_function() { cat /sys/class/udc/$VM_UDC/function 2>/dev/null; }
bound_to_g1() { [ "$(udc_function)" = g1 ]; }

vm_run rmmod dummy_hcd
vm_run modprobe dummy_hcd
vm_wait 5 "first return: the kernel binds g1 again" bound_to_g1
vm_wait_host_device 0x1d6b 0x0104 10

vm_run rmmod dummy_hcd
vm_run modprobe dummy_hcd
vm_wait 5 "UDC back" test -e /sys/class/udc/$VM_UDC/state
sleep 1
vm_expect_eq "second return: UDC attribute still names the UDC" "$VM_UDC" "$(cat $VM_GADGETS/g1/UDC)"
vm_expect_eq "second return: the UDC runs no gadget" "" "$(udc_function)"
echo "" >$VM_GADGETS/g1/UDC
( echo "$VM_UDC" >$VM_GADGETS/g1/UDC ) 2>/dev/null
vm_expect_eq "second return, bound by hand: the UDC runs no gadget" "" "$(udc_function)"
dmesg | grep -q "failed to start g1: -2" ||
	vm_fail "no 'failed to start g1: -2' in the kernel log"
vm_log "kernel: $(dmesg | grep 'failed to start g1' | head -n 1)"
vm_gadget_teardown g1
