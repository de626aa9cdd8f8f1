#!/bin/sh
# gadgetd teardown of profile ncm: remove usb_gadget/gadgetd from configfs,
# the plan's steps undone in reverse order.
set -e
CONFIGFS=${CONFIGFS:-/sys/kernel/config}
G="$CONFIGFS/usb_gadget/gadgetd"

# unbind from the UDC
[ -z "$(cat "$G/UDC")" ] || echo '' > "$G/UDC"

# Microsoft OS descriptors: configuration c.1
rm "$G/os_desc/c.1"

# c.1: ncm.usb0
rm "$G/configs/c.1/ncm.usb0"

# configuration c.1
rmdir "$G/configs/c.1/strings/0x409"
rmdir "$G/configs/c.1"

# function ncm.usb0
rmdir "$G/functions/ncm.usb0"

# gadget strings, language 0x0409
rmdir "$G/strings/0x409"

# gadget gadgetd: device descriptor
rmdir "$G"
