# Self-check (tests/vm/run --self-check): a wrong expectation about what the
# host sees must fail, saying what was expected and what was seen.
# vm: expect=FAIL host idVendor: expected 'dead', saw '1d6b'
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
vm_host_expect_attr idVendor dead
vm_log "self-check: not reached"
