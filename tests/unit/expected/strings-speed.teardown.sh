#!/bin/sh
# gadgetd teardown of profile t: remove usb_gadget/gadgetd from configfs,
# the plan's steps undone in reverse order.
set -e
CONFIGFS=${CONFIGFS:-/sys/kernel/config}
G="$CONFIGFS/usb_gadget/gadgetd"

# unbind from the UDC
[ -z "$(cat "$G/UDC")" ] || echo '' > "$G/UDC"

# c.1: acm.GS0
rm "$G/configs/c.1/acm.GS0"

# configuration c.1
rmdir "$G/configs/c.1/strings/0x407"
rmdir "$G/configs/c.1/strings/0x409"
rmdir "$G/configs/c.1"

# function acm.GS0
rmdir "$G/functions/acm.GS0"

# gadget strings, language 0x0409 (also 0x0407, 0x040c)
rmdir "$G/strings/0x40c"
rmdir "$G/strings/0x407"
rmdir "$G/strings/0x409"

# gadget gadgetd: device descriptor
rmdir "$G"
