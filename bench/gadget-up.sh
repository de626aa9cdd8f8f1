#!/bin/sh
# The bench gadget (bench.ini) as board notes build it today: mkdir, echo,
# ln, then bind.  Same entries as bench/floor.c's gadget A.
#   sh gadget-up.sh UDC
set -e
G=/sys/kernel/config/usb_gadget/gadgetd
mkdir $G
echo 0x1d6b >$G/idVendor
echo 0x0104 >$G/idProduct
echo 0x0100 >$G/bcdDevice
echo 0x0200 >$G/bcdUSB
mkdir $G/strings/0x409
echo gadgetd >$G/strings/0x409/manufacturer
echo "gadgetd bench" >$G/strings/0x409/product
echo BENCH0001 >$G/strings/0x409/serialnumber
mkdir $G/functions/ecm.usb0
echo 02:00:00:00:00:01 >$G/functions/ecm.usb0/dev_addr
echo 02:00:00:00:00:02 >$G/functions/ecm.usb0/host_addr
mkdir $G/functions/acm.GS0
mkdir $G/functions/mass_storage.0
echo 1 >$G/functions/mass_storage.0/stall
echo /tmp/bench-msd.img >$G/functions/mass_storage.0/lun.0/file
mkdir $G/configs/c.1
echo 250 >$G/configs/c.1/MaxPower
mkdir $G/configs/c.1/strings/0x409
echo "ECM + ACM + MSD" >$G/configs/c.1/strings/0x409/configuration
ln -s $G/functions/ecm.usb0 $G/configs/c.1/ecm.usb0
ln -s $G/functions/acm.GS0 $G/configs/c.1/acm.GS0
ln -s $G/functions/mass_storage.0 $G/configs/c.1/mass_storage.0
echo "$1" >$G/UDC
