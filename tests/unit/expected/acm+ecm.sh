#!/bin/sh
# gadgetd plan of profile acm+ecm: build usb_gadget/gadgetd in configfs and bind it.
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
echo 0x103 > "$G/bcdDevice"
echo 0x200 > "$G/bcdUSB"
echo 0xef > "$G/bDeviceClass"
echo 0x2 > "$G/bDeviceSubClass"
echo 0x1 > "$G/bDeviceProtocol"

# gadget strings, language 0x0409
mkdir "$G/strings/0x409"
echo gadgetd > "$G/strings/0x409/manufacturer"
echo 'gadgetd Serial + Ethernet' > "$G/strings/0x409/product"
echo gadgetd-test-board > "$G/strings/0x409/serialnumber"

# function acm.GS0
mkdir "$G/functions/acm.GS0"

# function ecm.usb0
mkdir "$G/functions/ecm.usb0"
echo 3a:a1:2f:97:4f:2e > "$G/functions/ecm.usb0/dev_addr"
echo ee:ca:3f:e9:71:90 > "$G/functions/ecm.usb0/host_addr"
echo 5 > "$G/functions/ecm.usb0/qmult"

# configuration c.1
mkdir "$G/configs/c.1"
echo 250 > "$G/configs/c.1/MaxPower"
echo 0x80 > "$G/configs/c.1/bmAttributes"
mkdir "$G/configs/c.1/strings/0x409"
echo 'ACM + ECM' > "$G/configs/c.1/strings/0x409/configuration"

# c.1: acm.GS0
ln -s "$G/functions/acm.GS0" "$G/configs/c.1/acm.GS0"

# c.1: ecm.usb0
ln -s "$G/functions/ecm.usb0" "$G/configs/c.1/ecm.usb0"

# bind to the UDC
echo "$UDC" > "$G/UDC"
