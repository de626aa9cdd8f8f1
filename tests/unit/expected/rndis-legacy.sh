#!/bin/sh
# gadgetd plan of profile rndis-legacy: build usb_gadget/gadgetd in configfs and bind it.
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
echo 0x104 > "$G/bcdDevice"
echo 0x200 > "$G/bcdUSB"
echo 0xef > "$G/bDeviceClass"
echo 0x2 > "$G/bDeviceSubClass"
echo 0x1 > "$G/bDeviceProtocol"

# gadget strings, language 0x0409
mkdir "$G/strings/0x409"
echo gadgetd > "$G/strings/0x409/manufacturer"
echo 'gadgetd Ethernet (RNDIS/ECM)' > "$G/strings/0x409/product"
echo gadgetd-test-board > "$G/strings/0x409/serialnumber"

# function rndis.usb0
mkdir "$G/functions/rndis.usb0"
echo ea:ea:54:64:c3:75 > "$G/functions/rndis.usb0/dev_addr"
echo 12:90:42:92:5b:3b > "$G/functions/rndis.usb0/host_addr"
echo 5 > "$G/functions/rndis.usb0/qmult"

# function ecm.usb1
mkdir "$G/functions/ecm.usb1"
echo 0e:8c:ed:bb:0f:7d > "$G/functions/ecm.usb1/dev_addr"
echo 42:b0:77:97:40:82 > "$G/functions/ecm.usb1/host_addr"
echo 5 > "$G/functions/ecm.usb1/qmult"

# rndis.usb0: interface OS descriptor
echo RNDIS > "$G/functions/rndis.usb0/os_desc/interface.rndis/compatible_id"
echo 5162001 > "$G/functions/rndis.usb0/os_desc/interface.rndis/sub_compatible_id"

# configuration c.1
mkdir "$G/configs/c.1"
echo 250 > "$G/configs/c.1/MaxPower"
echo 0x80 > "$G/configs/c.1/bmAttributes"
mkdir "$G/configs/c.1/strings/0x409"
echo RNDIS > "$G/configs/c.1/strings/0x409/configuration"

# configuration c.2
mkdir "$G/configs/c.2"
echo 250 > "$G/configs/c.2/MaxPower"
echo 0x80 > "$G/configs/c.2/bmAttributes"
mkdir "$G/configs/c.2/strings/0x409"
echo ECM > "$G/configs/c.2/strings/0x409/configuration"

# c.1: rndis.usb0
ln -s "$G/functions/rndis.usb0" "$G/configs/c.1/rndis.usb0"

# c.2: ecm.usb1
ln -s "$G/functions/ecm.usb1" "$G/configs/c.2/ecm.usb1"

# Microsoft OS descriptors
echo MSFT100 > "$G/os_desc/qw_sign"
echo 0xcd > "$G/os_desc/b_vendor_code"
echo 1 > "$G/os_desc/use"

# Microsoft OS descriptors: configuration c.1
ln -s "$G/configs/c.1" "$G/os_desc/c.1"

# bind to the UDC
echo "$UDC" > "$G/UDC"
