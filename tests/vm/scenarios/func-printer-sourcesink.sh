# printer and SourceSink through `gadgetd daemon`: two types libusbgx
# 0.2.0 has no type for, so apply builds the gadget with plain configfs
# calls (apply.c, workaround 9).  configfs holds the profile's
# attributes; the host binds usblp to the printer, reads the profile's
# device ID and prints a job that arrives whole at /dev/g_printer0, and
# reads the source's pattern 1 (vm-usbbulk) from the SourceSink
# function; `switch` to ecm-only and back works (removal walks configfs,
# not libusbgx), and `export` reads such a gadget back (libusbgx through
# a view without those functions, export_view.h).  What the kernel does
# with these types: docs/functions-kernel.md.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/usbhost.sh"
. "$VM_LIB/function.sh"

vm_need_gadgetd
vm_need_tool vm-printer
vm_need_tool vm-usbbulk
vm_host_modprobe usblp
vm_udc
cat >/tmp/pss.ini <<'INI'
[profile]
description = a printer and a source/sink test function
[gadget]
vendor_id = 0x1d6b
product_id = 0x0107
product = gadgetd printer
[config 1]
functions = printer.0 SourceSink.0
[function printer.0]
pnp_string = MFG:gadgetd;MDL:test bed;CMD:PS;CLS:PRINTER;
q_len = 4
[function SourceSink.0]
pattern = 1
bulk_buflen = 2048
bulk_qlen = 2
INI
vm_run gadgetd check /tmp/pss.ini
vm_daemon_config profile=/tmp/pss.ini
vm_daemon_start
g=$VM_GADGETS/gadgetd

vm_expect_eq "configfs printer.0/q_len" 4 "$(cat $g/functions/printer.0/q_len)"
vm_expect_eq "configfs printer.0/pnp_string" \
	"MFG:gadgetd;MDL:test bed;CMD:PS;CLS:PRINTER;" "$(cat $g/functions/printer.0/pnp_string)"
for kv in pattern=1 bulk_buflen=2048 bulk_qlen=2; do
	vm_expect_eq "configfs SourceSink.0/${kv%%=*}" "${kv#*=}" \
		"$(cat $g/functions/SourceSink.0/${kv%%=*})"
done
vm_expect_file "config link printer.0" $g/configs/c.1/printer.0
vm_expect_file "config link SourceSink.0" $g/configs/c.1/SourceSink.0
vm_wait_path /dev/g_printer0 5

vm_wait_host_device 0x1d6b 0x0107 10
# Printer class, subclass 1, protocol 2 (bidirectional); the source/sink
# function is vendor-specific.
vm_host_expect_interface 0 07 01 02 usblp 10
vm_host_expect_interface 1 ff 00 00 "*" 10
vm_expect_eq "host: printer endpoints" 02 \
	"$(cat $VM_HOST_DEV/${VM_HOST_DEV##*/}:1.0/bNumEndpoints)"
vm_expect_eq "host: source/sink endpoints" 02 \
	"$(cat $VM_HOST_DEV/${VM_HOST_DEV##*/}:1.1/bNumEndpoints)"
vm_daemon_wait_state configured 5

# The device ID as usblp reads it: Linux 6.1's f_printer sends two bytes
# fewer than the string (docs/functions-kernel.md).
pnp="MFG:gadgetd;MDL:test bed;CMD:PS;CLS:PRINTER;"
vm_wait_path /dev/usb/lp0 5
vm_run vm-printer device-id /dev/usb/lp0
vm_expect_eq "host device ID (GET_DEVICE_ID)" "length=${#pnp} id=${pnp%??}" "$VM_OUT"
# A print job, host -> gadget.
vm_random_file /tmp/job 65536
timeout 15 head -c 65536 /dev/g_printer0 >/tmp/job.got &
reader=$!
sleep 0.2
cat /tmp/job >/dev/usb/lp0 || vm_fail "host: write to /dev/usb/lp0 failed"
wait $reader || vm_fail "gadget: reading /dev/g_printer0 failed or timed out"
vm_expect_same_file "print job, lp0 -> g_printer0" /tmp/job /tmp/job.got
# The source's pattern 1, with the profile's bulk_buflen.
vm_host_endpoint 1 Bulk in
vm_run vm-usbbulk "$VM_HOST_DEV" 1 in "$VM_HOST_EP" 262144
vm_expect_match "source: 256 KiB of pattern 1" "in ep=$VM_HOST_EP bytes=262144 errors=0 first_error=- ms=*" "$VM_OUT"

# libusbgx reads the gadget through a view without the two functions;
# export reads those raw.
vm_run vm_gadgetd export gadgetd
vm_expect_contains "export: printer.0" "pnp_string = MFG:gadgetd;MDL:test bed;CMD:PS;CLS:PRINTER;" "$VM_OUT"
vm_expect_contains "export: SourceSink.0" "bulk_buflen = 2048" "$VM_OUT"

# Away and back: the gadget libusbgx cannot read is removed and built
# again.  Each profile has its own VID:PID: waiting for the new one
# cannot see the old device.
vm_run vm_gadgetd switch ecm-only
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_interface 0 02 06 00 cdc_ether 10
vm_expect_no_file "printer.0 after switch" $g/functions/printer.0
vm_run vm_gadgetd switch /tmp/pss.ini
vm_wait_host_device 0x1d6b 0x0107 10
vm_host_expect_interface 0 07 01 02 "*" 10
vm_expect_file "printer.0 again" $g/functions/printer.0
vm_daemon_stop
vm_expect_eq "gadgets after stop" "" "$(vm_gadgets)"
