#!/bin/sh
# gadgetd plan of profile ncm: build usb_gadget/gadgetd in configfs and bind it.
# CONFIGFS and UDC can be set in the environment.
set -e
CONFIGFS=${CONFIGFS:-/sys/kernel/config}
G="$CONFIGFS/usb_gadget/gadgetd"
UDC=${UDC:-$(ls /sys/class/udc | head -n 1)}
[ -n "$UDC" ] || { echo "no UDC in /sys/class/udc" >&2; exit 1; }

# gadget gadgetd: device descriptor
mkdir "$G"
echo 0x1d6b > "$G/idVendor"
echo 0x104 > "$G/idProduct"
echo 0x105 > "$G/bcdDevice"
echo 0x200 > "$G/bcdUSB"
echo 0xef > "$G/bDeviceClass"
echo 0x2 > "$G/bDeviceSubClass"
echo 0x1 > "$G/bDeviceProtocol"

# gadget strings, language 0x0409
mkdir "$G/strings/0x409"
echo gadgetd > "$G/strings/0x409/manufacturer"
echo 'gadgetd Ethernet (NCM)' > "$G/strings/0x409/product"
echo gadgetd-test-board > "$G/strings/0x409/serialnumber"

# function ncm.usb0
mkdir "$G/functions/ncm.usb0"
echo 1a:7c:ec:ed:63:5b > "$G/functions/ncm.usb0/dev_addr"
echo 1a:98:c6:2e:92:95 > "$G/functions/ncm.usb0/host_addr"
echo 5 > "$G/functions/ncm.usb0/qmult"

# ncm.usb0: interface OS descriptor
echo WINNCM > "$G/functions/ncm.usb0/os_desc/interface.ncm/compatible_id"

# configuration c.1
mkdir "$G/configs/c.1"
echo 250 > "$G/configs/c.1/MaxPower"
echo 0x80 > "$G/configs/c.1/bmAttributes"
mkdir "$G/configs/c.1/strings/0x409"
echo NCM > "$G/configs/c.1/strings/0x409/configuration"

# c.1: ncm.usb0
ln -s "$G/functions/ncm.usb0" "$G/configs/c.1/ncm.usb0"

# Microsoft OS descriptors
echo MSFT100 > "$G/os_desc/qw_sign"
echo 0xcd > "$G/os_desc/b_vendor_code"
echo 1 > "$G/os_desc/use"

# Microsoft OS descriptors: configuration c.1
ln -s "$G/configs/c.1" "$G/os_desc/c.1"

# bind to the UDC
echo "$UDC" > "$G/UDC"
