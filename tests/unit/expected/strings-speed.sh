#!/bin/sh
# gadgetd plan of profile t: build usb_gadget/gadgetd in configfs and bind it.
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
echo 0x200 > "$G/bcdUSB"
echo full-speed > "$G/max_speed"

# gadget strings, language 0x0409 (also 0x0407, 0x040c)
mkdir "$G/strings/0x409"
echo Example > "$G/strings/0x409/manufacturer"
echo 'Serial gadget' > "$G/strings/0x409/product"
echo gadgetd-test-board > "$G/strings/0x409/serialnumber"
mkdir "$G/strings/0x407"
echo Beispiel > "$G/strings/0x407/manufacturer"
echo 'Serielles Geraet' > "$G/strings/0x407/product"
echo gadgetd-test-board > "$G/strings/0x407/serialnumber"
mkdir "$G/strings/0x40c"
echo 'Appareil serie' > "$G/strings/0x40c/product"

# function acm.GS0
mkdir "$G/functions/acm.GS0"

# configuration c.1
mkdir "$G/configs/c.1"
echo 0x80 > "$G/configs/c.1/bmAttributes"
mkdir "$G/configs/c.1/strings/0x409"
echo Serial > "$G/configs/c.1/strings/0x409/configuration"
mkdir "$G/configs/c.1/strings/0x407"
echo Seriell > "$G/configs/c.1/strings/0x407/configuration"

# c.1: acm.GS0
ln -s "$G/functions/acm.GS0" "$G/configs/c.1/acm.GS0"

# bind to the UDC
echo "$UDC" > "$G/UDC"
