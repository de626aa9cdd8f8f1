# The vendor-specific functions, through `gadgetd daemon` in one
# configuration: gser (generic serial) and Loopback (two bulk endpoints).
# The host sees both as vendor-specific interfaces (class 0xff); the
# generic USB serial driver, given the device's ID at run time as a user
# would, turns gser into a ttyUSB and a line crosses it to /dev/ttyGS0 and
# back.  Loopback's buffer length reaches the kernel, whose f_loopback
# calls it bulk_buflen (libusbgx 0.2.0 writes "buflen", which fails).
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/usbhost.sh"

vm_need_gadgetd
vm_udc
cat >/tmp/vendor.ini <<'INI'
[profile]
description = Generic serial and loopback
[gadget]
vendor_id = 0x1d6b
product_id = 0x0107
product = gadgetd vendor functions
[config 1]
functions = gser.0 loopback.0
[function gser.0]
[function loopback.0]
buflen = 2048
qlen = 8
INI
vm_run gadgetd check /tmp/vendor.ini
vm_daemon_config profile=/tmp/vendor.ini
vm_daemon_start
g=$VM_GADGETS/gadgetd

vm_expect_eq "configfs Loopback.0/bulk_buflen" 2048 "$(cat $g/functions/Loopback.0/bulk_buflen)"
vm_expect_eq "configfs Loopback.0/qlen" 8 "$(cat $g/functions/Loopback.0/qlen)"
vm_expect_eq "gser.0 port_num" 0 "$(cat $g/functions/gser.0/port_num)"

vm_wait_host_device 0x1d6b 0x0107 10
vm_host_expect_interface 0 ff 00 00 -
vm_host_expect_interface 1 ff 00 00 -
vm_daemon_wait_state configured 5

# What a user does for a vendor-specific serial port on a Linux host.
vm_run modprobe usbserial
vm_write "1d6b 0107" /sys/bus/usb-serial/drivers/generic/new_id
vm_host_expect_interface 0 ff 00 00 usbserial_generic 5
# The generic driver takes every interface with bulk endpoints; gser's
# is interface 0.
tty=$(ls $VM_HOST_DEV/${VM_HOST_DEV##*/}:1.0 | grep '^ttyUSB' | head -n 1)
[ -n "$tty" ] || vm_fail "host: no ttyUSB under interface 1.0"
vm_serial_echo /dev/$tty /dev/ttyGS0

# export reads the live gadget back with the profile's key names.
vm_run vm_gadgetd export
vm_expect_contains "export: loopback" "$(printf '[function Loopback.0]\nbuflen = 2048\nqlen = 8')" "$VM_OUT"

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
