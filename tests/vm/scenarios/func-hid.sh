# Two HID functions through `gadgetd daemon`: a boot keyboard whose report
# descriptor is a hex string in the profile (without spaces: 63 bytes
# spaced out would pass the INI line limit) and whose output reports come
# over the control endpoint (no_out_endpoint), and a vendor-defined device
# whose descriptor comes from a binary file (report_desc_file, relative to
# the profile).  The host binds usbhid to both with the profile's subclass
# and protocol, reads back exactly the descriptors the profile gave, and
# reports cross in both directions: /dev/hidg1 -> the host's hidraw
# (interrupt IN), the host's hidraw -> /dev/hidg1 (interrupt OUT).
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/usbhost.sh"

vm_need_gadgetd
vm_udc

keyboard="05 01 09 06 a1 01 05 07 19 e0 29 e7 15 00 25 01 75 01 95 08 81 02 95 01 75 08 81 03 95 05 75 01 05 08 19 01 29 05 91 02 95 01 75 03 91 03 95 06 75 08 15 00 25 65 05 07 19 00 29 65 81 00 c0"
# Vendor page 0xff00: 8-byte input and output reports.
vendor="06 00 ff 09 01 a1 01 15 00 26 ff 00 75 08 95 08 09 01 81 02 09 01 91 02 c0"
mkdir -p /tmp/hid
printf "$(printf '\\%03o' $(for b in $vendor; do printf '%d ' 0x$b; done))" \
	>/tmp/hid/vendor.bin
vm_expect_eq "vendor.bin size" 25 "$(wc -c </tmp/hid/vendor.bin)"
cat >/tmp/hid/hid.ini <<INI
[profile]
description = HID keyboard and a vendor-defined HID device
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
product = gadgetd HID
[config 1]
functions = hid.kbd hid.vendor
[function hid.kbd]
protocol = 1
subclass = 1
report_length = 8
no_out_endpoint = yes
report_desc = $(printf %s "$keyboard" | tr -d ' ')
[function hid.vendor]
report_length = 8
report_desc_file = vendor.bin
INI
vm_run gadgetd check /tmp/hid/hid.ini
vm_daemon_config profile=/tmp/hid/hid.ini
vm_daemon_start
g=$VM_GADGETS/gadgetd

vm_expect_eq "configfs hid.kbd/report_length" 8 "$(cat $g/functions/hid.kbd/report_length)"
vm_expect_eq "configfs hid.kbd/report_desc" "$keyboard" \
	"$(od -An -v -tx1 $g/functions/hid.kbd/report_desc | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')"

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_interface 0 03 01 01 usbhid 10
vm_host_expect_interface 1 03 00 00 usbhid 10
# The keyboard's LED reports come over ep0 (no_out_endpoint): interrupt
# IN only; the vendor device keeps its interrupt OUT.
vm_expect_eq "host: keyboard endpoints" 01 \
	"$(cat $VM_HOST_DEV/${VM_HOST_DEV##*/}:1.0/bNumEndpoints)"
vm_expect_eq "host: vendor device endpoints" 02 \
	"$(cat $VM_HOST_DEV/${VM_HOST_DEV##*/}:1.1/bNumEndpoints)"
vm_daemon_wait_state configured 5

# The descriptors as the host's HID core read them.
host_desc() {
	local d
	for d in $VM_HOST_DEV/${VM_HOST_DEV##*/}:1.$1/*:*; do
		[ -f "$d/report_descriptor" ] || continue
		od -An -v -tx1 "$d/report_descriptor" | tr -s ' \n' '  ' |
			sed 's/^ //; s/ $//'
		return 0
	done
	vm_fail "host: no HID device under interface 1.$1"
}
vm_expect_eq "host report descriptor, interface 0" "$keyboard" "$(host_desc 0)"
vm_expect_eq "host report descriptor, interface 1" "$vendor" "$(host_desc 1)"

hidraw=$(ls $VM_HOST_DEV/${VM_HOST_DEV##*/}:1.1/*/hidraw 2>/dev/null | head -n 1)
[ -n "$hidraw" ] || vm_fail "host: no hidraw node for interface 1.1"
vm_wait_path /dev/$hidraw 5
hidg=/dev/hidg$(cut -d: -f2 $g/functions/hid.vendor/dev)
vm_wait_path "$hidg" 5

# Board -> host: the reader opens hidraw first (usbhid polls the IN
# endpoint only while the device is open), then the board sends a report.
opened() { ls -l /proc/$1/fd 2>/dev/null | grep -q "$2"; }
timeout 10 head -c 8 /dev/$hidraw >/tmp/hid/in.bin &
reader=$!
vm_wait 5 "host reader has /dev/$hidraw open" opened $reader $hidraw
printf 'gadgetd!' >"$hidg" || vm_fail "write to $hidg failed"
wait $reader
vm_expect_eq "report board -> host" "gadgetd!" "$(cat /tmp/hid/in.bin)"

# Host -> board: an output report written to hidraw (report id 0 first).
timeout 10 head -c 8 "$hidg" >/tmp/hid/out.bin &
reader=$!
vm_wait 5 "board reader has $hidg open" opened $reader ${hidg#/dev/}
printf '\000to-board' >/dev/$hidraw || vm_fail "write to /dev/$hidraw failed"
wait $reader
vm_expect_eq "report host -> board" "to-board" "$(cat /tmp/hid/out.bin)"

# export reads both descriptors back as hex, and the result is a profile.
vm_run vm_gadgetd export
printf '%s\n' "$VM_OUT" >/tmp/hid/exported.ini
# 63 bytes spaced out would not fit on an INI line: export packs them.
vm_expect_contains "export: keyboard descriptor" \
	"report_desc = $(printf %s "$keyboard" | tr -d ' ')" "$VM_OUT"
vm_expect_contains "export: vendor descriptor" "report_desc = $vendor" "$VM_OUT"
vm_run gadgetd check /tmp/hid/exported.ini

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
