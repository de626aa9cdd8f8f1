# What Debian's 6.1 dummy_udc does with soft_connect, which `gadgetd
# replug` relies on elsewhere: `disconnect` then `connect` leaves a plain
# configfs gadget unable to enumerate (the host's descriptor reads fail
# with EPROTO, the old device is gone and no new one comes), and the UDC
# still reads "configured"; unbinding and binding the gadget recovers it.
# udc_soft_connect_reenumerates() therefore says no for dummy_udc.  When
# a kernel fixes this, this scenario fails: drop that exception then.
# vm: timeout=60
. "$VM_LIB/vm.sh"

vm_udc
vm_gadget_create g1 0x1d6b 0x0104
vm_gadget_function acm.GS0
vm_gadget_config_add acm.GS0
vm_gadget_bind
vm_wait_host_device 0x1d6b 0x0104 10
n0=$(cat $VM_HOST_DEV/devnum)
vm_write disconnect /sys/class/udc/$VM_UDC/soft_connect
vm_wait_host_gone 5
vm_write connect /sys/class/udc/$VM_UDC/soft_connect
gave_up() { dmesg | grep -q "usb usb1-port1: unable to enumerate USB device"; }
vm_wait 15 "the host giving up on the device after soft_connect" gave_up
vm_expect_no_file "host device after soft_connect" /sys/bus/usb/devices/1-1
vm_expect_eq "UDC state after soft_connect" configured "$(vm_udc_state)"
echo >$VM_GADGET/UDC
vm_gadget_bind
vm_wait_host_device 0x1d6b 0x0104 10
vm_log "host: device number $n0 before, $(cat $VM_HOST_DEV/devnum) after unbind and bind"
