# CDC OBEX, as Debian's 6.1 kernel has it: gadgetd applies and binds an
# obex function, but f_obex holds the whole gadget off the bus
# (usb_function_deactivate at bind) until its OBEX server is connected,
# and it only hears of that server once the host has selected the data
# interface, which needs the gadget on the bus.  So the host never sees
# the gadget, even with /dev/ttyGS0 open on the board.  This scenario pins
# that down (the UDC stays "not attached"); if a kernel changes it, the
# scenario fails and should then check the host's view (class 02/0b).
# vm: timeout=60
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
cat >/tmp/obex.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0108
product = gadgetd OBEX
[config 1]
functions = obex.0
[function obex.0]
INI
vm_run gadgetd check /tmp/obex.ini
vm_expect_contains "check warns about f_obex" "obex.0 keeps the whole gadget off the bus" "$VM_OUT"
vm_daemon_config profile=/tmp/obex.ini
vm_daemon_start
g=$VM_GADGETS/gadgetd
vm_expect_eq "configfs UDC" "$VM_UDC" "$(cat $g/UDC)"
vm_expect_file "config link" $g/configs/c.1/obex.0
vm_wait_path /dev/ttyGS0 5

exec 9<>/dev/ttyGS0
# Absence needs a time bound: a host enumerates a device it sees within
# a second here (0.3-0.5 s in the other scenarios); watch for three.
end=$(($(vm__now_cs) + 300))
while [ "$(vm__now_cs)" -lt $end ]; do
	[ -e /sys/bus/usb/devices/1-1 ] &&
		vm_fail "the host sees the OBEX gadget: f_obex changed, check the host's view now"
	sleep 0.1
done
vm_expect_eq "UDC state with /dev/ttyGS0 open" "not attached" "$(vm_udc_state)"
vm_daemon_expect state bound
exec 9<&-

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
