# Strings in two languages and max_speed, through `gadgetd daemon`: the
# host asks for the product string in German (0x407) and in English
# (0x409) and gets each, as a host whose user picked that language would
# (sysfs shows one language only, so the string descriptors are read with
# GET_DESCRIPTOR); the configuration string too.  max_speed = full-speed
# makes the high-speed dummy UDC offer the host a 12 Mb/s device.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/usbhost.sh"

vm_need_gadgetd
vm_udc
cat >/tmp/strings.ini <<'INI'
[profile]
description = ACM with German strings at full speed
[gadget]
vendor_id = 0x1d6b
product_id = 0x0108
manufacturer = Example
product = gadgetd serial port
strings.0x407.manufacturer = Beispiel
strings.0x407.product = gadgetd Schnittstelle
max_speed = full-speed
[config 1]
name = Serial
name.0x407 = Seriell
functions = acm.GS0
[function acm.GS0]
INI
vm_run gadgetd check /tmp/strings.ini
vm_daemon_config profile=/tmp/strings.ini
vm_daemon_start
g=$VM_GADGETS/gadgetd

vm_expect_eq "configfs max_speed" full-speed "$(cat $g/max_speed)"
vm_expect_eq "configfs strings/0x407/product" "gadgetd Schnittstelle" \
	"$(cat $g/strings/0x407/product)"
vm_expect_eq "configfs c.1 strings/0x407" Seriell \
	"$(cat $g/configs/c.1/strings/0x407/configuration)"

vm_wait_host_device 0x1d6b 0x0108 10
vm_daemon_wait_state configured 5
vm_expect_eq "host: speed" 12 "$(cat $VM_HOST_DEV/speed)"

# String descriptor 0: the languages, each a little-endian LANGID.
vm_usbctl string 0 0
vm_expect_contains "host: languages" "0904" "$VM_OUT"
vm_expect_contains "host: languages" "0704" "$VM_OUT"

# iProduct is byte 15 of the device descriptor, iConfiguration byte 6 of
# the configuration descriptor.
vm_usbctl control 0x80 6 0x0100 0 18
iproduct=$((0x$(printf '%s' "$VM_OUT" | cut -c31-32)))
vm_usbctl control 0x80 6 0x0200 0 9
iconfig=$((0x$(printf '%s' "$VM_OUT" | cut -c13-14)))
[ "$iproduct" -gt 0 ] || vm_fail "host: the device has no product string"
[ "$iconfig" -gt 0 ] || vm_fail "host: the configuration has no string"

vm_usbctl string "$iproduct" 0x407
vm_expect_contains "host: product, 0x407" "text=gadgetd Schnittstelle" "$VM_OUT"
vm_usbctl string "$iproduct" 0x409
vm_expect_contains "host: product, 0x409" "text=gadgetd serial port" "$VM_OUT"
vm_usbctl string "$iconfig" 0x407
vm_expect_contains "host: configuration, 0x407" "text=Seriell" "$VM_OUT"
vm_usbctl string "$iconfig" 0x409
vm_expect_contains "host: configuration, 0x409" "text=Serial" "$VM_OUT"

# export reads every language and the cap back.
vm_run vm_gadgetd export
vm_expect_contains "export: German strings" "$(printf 'strings.0x407.manufacturer = Beispiel\nstrings.0x407.product = gadgetd Schnittstelle\nmax_speed = full-speed')" "$VM_OUT"
vm_expect_contains "export: German name" "$(printf 'name = Serial\nname.0x407 = Seriell')" "$VM_OUT"

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
