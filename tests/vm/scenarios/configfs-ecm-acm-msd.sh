# ECM + ACM + mass storage built by hand through configfs, bound to the
# dummy UDC: the host sees the IDs and strings, binds cdc_ether, cdc_acm
# and usb-storage, pings across USB, moves data through the block device
# and the tty.  The baseline every gadgetd scenario builds on.
# vm: timeout=90
. "$VM_LIB/vm.sh"

g=$VM_GADGETS/g1
backing=/tmp/lun0.img

vm_udc
dd if=/dev/zero of=$backing bs=1M count=4 2>/dev/null

mkdir $g || vm_fail "mkdir $g failed"
vm_write 0x1d6b $g/idVendor
vm_write 0x0104 $g/idProduct
vm_write 0x0100 $g/bcdDevice
vm_write 0x0200 $g/bcdUSB
mkdir $g/strings/0x409
vm_write "gadgetd test bed" $g/strings/0x409/manufacturer
vm_write "ECM ACM MSD" $g/strings/0x409/product
vm_write "VM0001" $g/strings/0x409/serialnumber

mkdir $g/functions/ecm.usb0 || vm_fail "mkdir functions/ecm.usb0 failed"
vm_write 02:00:00:00:00:01 $g/functions/ecm.usb0/dev_addr
vm_write 02:00:00:00:00:02 $g/functions/ecm.usb0/host_addr
mkdir $g/functions/acm.GS0 || vm_fail "mkdir functions/acm.GS0 failed"
mkdir $g/functions/mass_storage.0 || vm_fail "mkdir functions/mass_storage.0 failed"
vm_write $backing $g/functions/mass_storage.0/lun.0/file
vm_write 1 $g/functions/mass_storage.0/lun.0/removable

mkdir $g/configs/c.1
mkdir $g/configs/c.1/strings/0x409
vm_write "ECM+ACM+MSD" $g/configs/c.1/strings/0x409/configuration
vm_write 250 $g/configs/c.1/MaxPower
for f in ecm.usb0 acm.GS0 mass_storage.0; do
	ln -s $g/functions/$f $g/configs/c.1/$f || vm_fail "ln -s $f into c.1 failed"
done
vm_write "$VM_UDC" $g/UDC
vm_log "gadget: bound to $VM_UDC"

# The host's view.
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr manufacturer "gadgetd test bed"
vm_host_expect_attr product "ECM ACM MSD"
vm_host_expect_attr serial "VM0001"
vm_host_expect_attr bcdDevice 0100
vm_host_expect_attr bNumConfigurations 1
vm_wait_host_drivers 10 cdc_ether cdc_acm usb-storage
vm_host_interfaces | sed 's/^/    /'
# ECM: comm 02 + data 0a; ACM: comm 02 + data 0a; MSD: 08.
vm_expect_eq "host interface classes" "02 0a 02 0a 08" \
	"$(vm_host_interfaces | awk '{ printf "%s%s", sep, $2; sep = " " }')"
vm_expect_eq "gadget UDC state" configured "$(vm_udc_state)"

# Network across USB, the host side in its own namespace.
vm_host_netdev
vm_gadget_netdev $g/functions/ecm.usb0
vm_expect_eq "host netdev MAC (host_addr)" 02:00:00:00:00:02 \
	"$(cat /sys/class/net/$VM_HOST_NETDEV/address)"
vm_host_netns_add $VM_HOST_NETDEV 192.168.7.1/24
vm_gadget_net_up $VM_GADGET_NETDEV 192.168.7.2/24
vm_host_wait_carrier $VM_HOST_NETDEV 5 $VM_GADGET_NETDEV
vm_host_netns_ping 192.168.7.2
vm_gadget_ping 192.168.7.1

# Mass storage both ways.
vm_host_block_dev 0
vm_expect_eq "host block device size (512-byte sectors)" 8192 \
	"$(cat /sys/class/block/$VM_HOST_BLOCK/size)"
vm_host_block_check $VM_HOST_BLOCK $backing 256

# Serial both ways.
vm_serial_echo /dev/ttyACM0 /dev/ttyGS0

# Teardown: the host loses the device, configfs is left clean.
vm_gadget_teardown g1
vm_wait_host_gone 5
vm_expect_eq "gadgets left in configfs" "" "$(ls $VM_GADGETS)"
