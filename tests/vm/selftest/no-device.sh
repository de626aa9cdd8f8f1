# Self-check: waiting for a device the host never sees must give up at the
# deadline and say what the host does see.
# vm: expect=FAIL host: no configured USB device 1234:5678 after 1.5 s (host sees: 1-1 1d6b:0104 config '1')
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
vm_wait_host_device 0x1234 0x5678 1.5
vm_log "self-check: not reached"
