#!/bin/sh
# `gadgetd export` against the real binary: a gadget made the way a shell
# script makes one (mkdir, echo, ln -s) in a fake configfs tree is printed
# as an INI profile that `gadgetd check` accepts; the gadget is chosen as
# SPEC says; every failure is one line on stderr with exit 1, a usage
# error exits 2.  Run by ctest from the source root with GADGETD_BIN set.
set -u

cd "${SOURCE_DIR:-.}" || exit 1
. tests/cli/lib.sh
cli_begin test-export

# w PATH VALUE: an attribute, as the kernel shows it
w() {
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$2" >"$1"
}

# gadget NAME: what a fresh mkdir in configfs holds
gadget() {
	gd=$cfs/usb_gadget/$1
	w "$gd/idVendor" 0x1d6b
	w "$gd/idProduct" 0x0104
	w "$gd/bcdDevice" 0x0100
	w "$gd/bcdUSB" 0x0200
	w "$gd/bDeviceClass" 0x00
	w "$gd/bDeviceSubClass" 0x00
	w "$gd/bDeviceProtocol" 0x00
	w "$gd/bMaxPacketSize0" 0x40
	w "$gd/UDC" ""
	w "$gd/os_desc/use" 0
	w "$gd/os_desc/b_vendor_code" 0x00
	w "$gd/os_desc/qw_sign" ""
	mkdir -p "$gd/functions" "$gd/configs" "$gd/strings"
}

cfs=$tmp/configfs
gadget g1
g=$cfs/usb_gadget/g1
w "$g/strings/0x409/manufacturer" "Example"
w "$g/strings/0x409/product" "Shell-made gadget"
w "$g/strings/0x409/serialnumber" "0042"
w "$g/functions/ecm.usb0/dev_addr" 02:00:00:00:00:01
w "$g/functions/ecm.usb0/host_addr" 02:00:00:00:00:02
w "$g/functions/ecm.usb0/ifname" usb0
w "$g/functions/ecm.usb0/qmult" 5
w "$g/functions/acm.GS0/port_num" 0
w "$g/configs/c.1/MaxPower" 250
w "$g/configs/c.1/bmAttributes" 0x80
w "$g/configs/c.1/strings/0x409/configuration" "ECM+ACM"
ln -s "$g/functions/acm.GS0" "$g/configs/c.1/acm.GS0"
ln -s "$g/functions/ecm.usb0" "$g/configs/c.1/ecm.usb0"
printf '[daemon]\ngadget = g1\n' >"$tmp/g1.conf"

# The configured gadget, printed as INI (names sorted off configfs).
run 0 "$bin" -c "$tmp/g1.conf" --configfs "$cfs" export
cp "$tmp/out" "$tmp/exported.ini"
expect_file "$tmp/exported.ini" "; exported by gadgetd from configfs gadget g1
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
device_version = 0x0100
usb_version = 0x0200
device_class = 0x00
device_subclass = 0x00
device_protocol = 0x00
max_packet_size0 = 64
language = 0x409
manufacturer = Example
product = Shell-made gadget
serial = 0042

[config 1]
name = ECM+ACM
max_power = 250
self_powered = no
remote_wakeup = no
functions = acm.GS0 ecm.usb0

[function acm.GS0]

[function ecm.usb0]
dev_addr = 02:00:00:00:00:01
host_addr = 02:00:00:00:00:02
qmult = 5"
checks=$((checks + 1))
[ -s "$tmp/err" ] && fail "export printed on stderr: $(cat "$tmp/err")"

# ... which check accepts as it is.
run 0 "$bin" -c "$tmp/g1.conf" check "$tmp/exported.ini"

# No GADGET and no gadget named as in gadgetd.conf (default gadgetd): the
# only one there is.
printf '[daemon]\n' >"$tmp/default.conf"
run 0 "$bin" -c "$tmp/default.conf" --configfs "$cfs" export
checks=$((checks + 1))
cmp -s "$tmp/out" "$tmp/exported.ini" || fail "export of the only gadget differs"

# Two gadgets, neither named gadgetd: one line naming both, exit 1.
gadget other
run 1 "$bin" -c "$tmp/default.conf" --configfs "$cfs" export
expect_file "$tmp/err" "$cfs/usb_gadget: no gadget named gadgetd; name one of: g1 other"
run 0 "$bin" -c "$tmp/default.conf" --configfs "$cfs" export g1
checks=$((checks + 1))
cmp -s "$tmp/out" "$tmp/exported.ini" || fail "export g1 differs"

# A named gadget that does not exist.
run 1 "$bin" -c "$tmp/default.conf" --configfs "$cfs" export nope
expect_file "$tmp/err" "$cfs/usb_gadget/nope: no such gadget"

# Something gadgetd cannot express names the configfs attribute.
w "$g/configs/c.1/bmAttributes" 0x40
run 1 "$bin" -c "$tmp/default.conf" --configfs "$cfs" export g1
expect_file "$tmp/err" "$g/configs/c.1/bmAttributes: 0x40 has bits other than self-powered (0x40) and remote wakeup (0x20)"
checks=$((checks + 1))
[ -s "$tmp/out" ] && fail "a failed export printed a profile: $(head -n 3 "$tmp/out")"

# No configfs there.
run 1 "$bin" -c "$tmp/default.conf" --configfs "$tmp/none" export
expect_file "$tmp/err" "$tmp/none/usb_gadget: No such file or directory (is configfs mounted and libcomposite loaded?)"

# Usage.
run 2 "$bin" export a b
run 0 "$bin" export --help
checks=$((checks + 1))
grep -q '^usage: gadgetd .*export' "$tmp/out" || fail "export --help: $(head -n 1 "$tmp/out")"

cli_end
