#!/bin/sh
# Tear down what gadget-up.sh built, in the kernel's reverse order.
set -e
G=/sys/kernel/config/usb_gadget/gadgetd
echo "" >$G/UDC
rm $G/configs/c.1/mass_storage.0 $G/configs/c.1/acm.GS0 $G/configs/c.1/ecm.usb0
rmdir $G/configs/c.1/strings/0x409 $G/configs/c.1
rmdir $G/functions/mass_storage.0 $G/functions/acm.GS0 $G/functions/ecm.usb0
rmdir $G/strings/0x409 $G
