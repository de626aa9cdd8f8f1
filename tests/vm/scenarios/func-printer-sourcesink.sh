# printer and SourceSink through `gadgetd daemon`: two types libusbgx
# 0.2.0 has no type for, so apply builds the gadget with plain configfs
# calls (apply.c, workaround 9).  configfs holds the profile's
# attributes, the host enumerates both functions with their class codes
# and endpoints, `switch` to ecm-only and back works (removal walks
# configfs, not libusbgx), and `export` says plainly that it cannot read
# such a gadget.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/usbhost.sh"

vm_need_gadgetd
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
vm_host_expect_interface 0 07 01 02 "*" 10
vm_host_expect_interface 1 ff 00 00 "*" 10
vm_expect_eq "host: printer endpoints" 02 \
	"$(cat $VM_HOST_DEV/${VM_HOST_DEV##*/}:1.0/bNumEndpoints)"
vm_expect_eq "host: source/sink endpoints" 02 \
	"$(cat $VM_HOST_DEV/${VM_HOST_DEV##*/}:1.1/bNumEndpoints)"
vm_daemon_wait_state configured 5

vm_run_fails vm_gadgetd export gadgetd
vm_log "export: $VM_OUT"

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
