#!/bin/sh
# gadgetd plan of profile msd: build usb_gadget/gadgetd in configfs and bind it.
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
echo 0x106 > "$G/bcdDevice"
echo 0x200 > "$G/bcdUSB"

# gadget strings, language 0x0409
mkdir "$G/strings/0x409"
echo gadgetd > "$G/strings/0x409/manufacturer"
echo 'gadgetd Mass Storage' > "$G/strings/0x409/product"
echo gadgetd-test-board > "$G/strings/0x409/serialnumber"

# function mass_storage.0
mkdir "$G/functions/mass_storage.0"
echo 1 > "$G/functions/mass_storage.0/stall"

# mass_storage.0 lun.0
echo 0 > "$G/functions/mass_storage.0/lun.0/cdrom"
echo 0 > "$G/functions/mass_storage.0/lun.0/ro"
echo 0 > "$G/functions/mass_storage.0/lun.0/nofua"
echo 0 > "$G/functions/mass_storage.0/lun.0/removable"
echo /dev/mmcblk0 > "$G/functions/mass_storage.0/lun.0/file"

# mass_storage.0 lun.0/inquiry_string (libusbgx 0.2.0 has no call for it)
echo 'gadgetd eMMC' > "$G/functions/mass_storage.0/lun.0/inquiry_string"

# configuration c.1
mkdir "$G/configs/c.1"
echo 250 > "$G/configs/c.1/MaxPower"
echo 0x80 > "$G/configs/c.1/bmAttributes"
mkdir "$G/configs/c.1/strings/0x409"
echo 'Mass Storage' > "$G/configs/c.1/strings/0x409/configuration"

# c.1: mass_storage.0
ln -s "$G/functions/mass_storage.0" "$G/configs/c.1/mass_storage.0"

# bind to the UDC
echo "$UDC" > "$G/UDC"
