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

# gadget strings, language 0x0409
mkdir "$G/strings/0x409"
echo Webcam > "$G/strings/0x409/product"

# function uvc.cam
mkdir "$G/functions/uvc.cam"
echo 'Board camera' > "$G/functions/uvc.cam/function_name"
echo 3072 > "$G/functions/uvc.cam/streaming_maxpacket"
mkdir "$G/functions/uvc.cam/control/header/h"
ln -s "$G/functions/uvc.cam/control/header/h" "$G/functions/uvc.cam/control/class/fs/h"
ln -s "$G/functions/uvc.cam/control/header/h" "$G/functions/uvc.cam/control/class/ss/h"
mkdir "$G/functions/uvc.cam/streaming/uncompressed/f1"
mkdir "$G/functions/uvc.cam/streaming/uncompressed/f1/640x360"
echo 640 > "$G/functions/uvc.cam/streaming/uncompressed/f1/640x360/wWidth"
echo 360 > "$G/functions/uvc.cam/streaming/uncompressed/f1/640x360/wHeight"
echo 460800 > "$G/functions/uvc.cam/streaming/uncompressed/f1/640x360/dwMaxVideoFrameBufferSize"
echo 55296000 > "$G/functions/uvc.cam/streaming/uncompressed/f1/640x360/dwMinBitRate"
echo 110592000 > "$G/functions/uvc.cam/streaming/uncompressed/f1/640x360/dwMaxBitRate"
echo 333333 > "$G/functions/uvc.cam/streaming/uncompressed/f1/640x360/dwDefaultFrameInterval"
echo '333333
666667' > "$G/functions/uvc.cam/streaming/uncompressed/f1/640x360/dwFrameInterval"
mkdir "$G/functions/uvc.cam/streaming/uncompressed/f1/1280x720"
echo 1280 > "$G/functions/uvc.cam/streaming/uncompressed/f1/1280x720/wWidth"
echo 720 > "$G/functions/uvc.cam/streaming/uncompressed/f1/1280x720/wHeight"
echo 1843200 > "$G/functions/uvc.cam/streaming/uncompressed/f1/1280x720/dwMaxVideoFrameBufferSize"
echo 147456000 > "$G/functions/uvc.cam/streaming/uncompressed/f1/1280x720/dwMinBitRate"
echo 147456000 > "$G/functions/uvc.cam/streaming/uncompressed/f1/1280x720/dwMaxBitRate"
echo 1000000 > "$G/functions/uvc.cam/streaming/uncompressed/f1/1280x720/dwDefaultFrameInterval"
echo 1000000 > "$G/functions/uvc.cam/streaming/uncompressed/f1/1280x720/dwFrameInterval"
mkdir "$G/functions/uvc.cam/streaming/mjpeg/f2"
mkdir "$G/functions/uvc.cam/streaming/mjpeg/f2/1920x1080"
echo 1920 > "$G/functions/uvc.cam/streaming/mjpeg/f2/1920x1080/wWidth"
echo 1080 > "$G/functions/uvc.cam/streaming/mjpeg/f2/1920x1080/wHeight"
echo 4147200 > "$G/functions/uvc.cam/streaming/mjpeg/f2/1920x1080/dwMaxVideoFrameBufferSize"
echo 995328000 > "$G/functions/uvc.cam/streaming/mjpeg/f2/1920x1080/dwMinBitRate"
echo 1990656000 > "$G/functions/uvc.cam/streaming/mjpeg/f2/1920x1080/dwMaxBitRate"
echo 333333 > "$G/functions/uvc.cam/streaming/mjpeg/f2/1920x1080/dwDefaultFrameInterval"
echo '333333
166667' > "$G/functions/uvc.cam/streaming/mjpeg/f2/1920x1080/dwFrameInterval"
mkdir "$G/functions/uvc.cam/streaming/header/h"
ln -s "$G/functions/uvc.cam/streaming/uncompressed/f1" "$G/functions/uvc.cam/streaming/header/h/f1"
ln -s "$G/functions/uvc.cam/streaming/mjpeg/f2" "$G/functions/uvc.cam/streaming/header/h/f2"
ln -s "$G/functions/uvc.cam/streaming/header/h" "$G/functions/uvc.cam/streaming/class/fs/h"
ln -s "$G/functions/uvc.cam/streaming/header/h" "$G/functions/uvc.cam/streaming/class/hs/h"
ln -s "$G/functions/uvc.cam/streaming/header/h" "$G/functions/uvc.cam/streaming/class/ss/h"

# configuration c.1
mkdir "$G/configs/c.1"
echo 0x80 > "$G/configs/c.1/bmAttributes"

# c.1: uvc.cam
ln -s "$G/functions/uvc.cam" "$G/configs/c.1/uvc.cam"

# bind to the UDC
echo "$UDC" > "$G/UDC"
