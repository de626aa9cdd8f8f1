# The host's carrier follows the gadget's link (f_ecm's NetworkConnection
# notification, KERNEL-NOTES.md): usb0 up -> host carrier 1, down -> 0,
# up again -> 1.  gadgetd's link = auto policy is built on it.  No
# namespace move here, so no bounce is allowed either.
# vm: timeout=60
. "$VM_LIB/vm.sh"

g=$VM_GADGETS/g1
mkdir $g $g/functions/ecm.usb0 $g/configs/c.1 || vm_fail "mkdir in $g failed"
vm_write 0x1d6b $g/idVendor
vm_write 0x0104 $g/idProduct
ln -s $g/functions/ecm.usb0 $g/configs/c.1/
vm_udc
vm_write "$VM_UDC" $g/UDC
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 5 cdc_ether
vm_host_netdev
vm_gadget_netdev $g/functions/ecm.usb0
h=$VM_HOST_NETDEV
vm_run "$VM_IP" link set "$h" up

carrier() { [ "$(cat /sys/class/net/$h/carrier 2>/dev/null)" = "$1" ]; }
vm_expect_eq "host $h carrier with gadget $VM_GADGET_NETDEV down" 0 \
	"$(cat /sys/class/net/$h/carrier)"
for round in 1 2; do
	vm_run "$VM_IP" link set "$VM_GADGET_NETDEV" up
	vm_wait 5 "host $h carrier 1 after gadget $VM_GADGET_NETDEV up (round $round)" carrier 1
	vm_log "host $h carrier 1 after $VM_WAITED s"
	vm_run "$VM_IP" link set "$VM_GADGET_NETDEV" down
	vm_wait 5 "host $h carrier 0 after gadget $VM_GADGET_NETDEV down (round $round)" carrier 0
	vm_log "host $h carrier 0 after $VM_WAITED s"
done
vm_gadget_teardown g1
