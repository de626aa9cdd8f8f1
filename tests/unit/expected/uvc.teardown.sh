#!/bin/sh
# gadgetd teardown of profile t: remove usb_gadget/gadgetd from configfs,
# the plan's steps undone in reverse order.
set -e
CONFIGFS=${CONFIGFS:-/sys/kernel/config}
G="$CONFIGFS/usb_gadget/gadgetd"

# unbind from the UDC
[ -z "$(cat "$G/UDC")" ] || echo '' > "$G/UDC"

# c.1: uvc.cam
rm "$G/configs/c.1/uvc.cam"

# configuration c.1
rmdir "$G/configs/c.1"

# function uvc.cam
rm "$G/functions/uvc.cam/streaming/class/ss/h"
rm "$G/functions/uvc.cam/streaming/class/hs/h"
rm "$G/functions/uvc.cam/streaming/class/fs/h"
rm "$G/functions/uvc.cam/streaming/header/h/f2"
rm "$G/functions/uvc.cam/streaming/header/h/f1"
rmdir "$G/functions/uvc.cam/streaming/header/h"
rmdir "$G/functions/uvc.cam/streaming/mjpeg/f2/1920x1080"
rmdir "$G/functions/uvc.cam/streaming/mjpeg/f2"
rmdir "$G/functions/uvc.cam/streaming/uncompressed/f1/1280x720"
rmdir "$G/functions/uvc.cam/streaming/uncompressed/f1/640x360"
rmdir "$G/functions/uvc.cam/streaming/uncompressed/f1"
rm "$G/functions/uvc.cam/control/class/ss/h"
rm "$G/functions/uvc.cam/control/class/fs/h"
rmdir "$G/functions/uvc.cam/control/header/h"
rmdir "$G/functions/uvc.cam"

# gadget strings, language 0x0409
rmdir "$G/strings/0x409"

# gadget gadgetd: device descriptor
rmdir "$G"
