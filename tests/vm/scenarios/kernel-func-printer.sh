# The kernel's printer function (usb_f_printer) through raw configfs,
# judged from the host: usblp binds and makes /dev/usb/lp0, bytes written
# there arrive unchanged at the gadget's /dev/g_printer0 and back, the
# host's GET_DEVICE_ID returns the pnp_string, and GET_PORT_STATUS the
# status byte the gadget side sets.  Pins what gadgetd's printer type
# relies on (docs/functions-kernel.md), including two quirks of this
# kernel: the device ID loses the pnp_string's last two bytes (two bytes
# of padding make up for it), and q_len is refused while the function is
# bound.
# vm: timeout=90
# vm: beds=dummy usbip
. "$VM_LIB/vm.sh"
. "$VM_LIB/function.sh"

vm_need_tool vm-printer
vm_host_modprobe usblp
pnp="MFG:gadgetd;MDL:test bed;CMD:PS;CLS:PRINTER;SN:VM0001;"

vm_gadget_create printer 0x1d6b 0x0104
vm_gadget_function printer.0
f=$VM_GADGET/functions/printer.0
vm_function_attrs "$f"
vm_expect_eq "printer attributes (Debian 6.1)" "pnp_string q_len" "$VM_FUNCTION_ATTRS"
vm_expect_eq "printer default q_len" 10 "$(cat "$f/q_len")"
vm_expect_eq "printer default pnp_string" "" "$(cat "$f/pnp_string")"
# configfs keeps the written bytes as they are (a newline too): no echo.
printf '%s' "$pnp" >"$f/pnp_string" || vm_fail "write pnp_string failed"
vm_write 4 "$f/q_len"
vm_gadget_config_add printer.0
vm_gadget_bind
vm_bed_attach
vm_wait_path /dev/g_printer0 5

vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 usblp
vm_host_interfaces | sed 's/^/    /'
# Printer class, subclass 1, protocol 2 (bidirectional: bulk IN and OUT).
iface=$VM_HOST_DEV/${VM_HOST_DEV##*/}:1.0
vm_expect_eq "host interface class" "07 01 02" \
	"$(cat "$iface/bInterfaceClass") $(cat "$iface/bInterfaceSubClass") $(cat "$iface/bInterfaceProtocol")"
vm_expect_eq "host endpoints" "Bulk-in 512,Bulk-out 512" "$(vm_host_endpoints 0)"
vm_wait_path /dev/usb/lp0 5
vm_run_fails sh -c "echo 8 >$f/q_len"
vm_expect_contains "q_len while bound" "Device or resource busy" "$VM_OUT"

# GET_DEVICE_ID: f_printer's length field is strlen(pnp_string), while
# IEEE 1284 (and usblp) count the two length bytes in it; the device sends
# that many bytes, so the last two characters never reach the host.
vm_run vm-printer device-id /dev/usb/lp0
vm_expect_eq "host device ID (GET_DEVICE_ID)" \
	"length=${#pnp} id=${pnp%??}" "$VM_OUT"
# pnp_string may change while bound (f_printer reads it at each request):
# two bytes of padding, which never cross, make the host see it whole.
printf '%s\n\n' "$pnp" >"$f/pnp_string" || vm_fail "rewrite pnp_string while bound failed"
vm_run vm-printer device-id /dev/usb/lp0
vm_expect_eq "host device ID, pnp_string padded with two newlines" \
	"length=$((${#pnp} + 2)) id=$pnp" "$VM_OUT"

# GET_PORT_STATUS: PRINTER_NOT_ERROR (0x08) while nobody has the gadget's
# device open, PRINTER_SELECTED (0x10) added while it is open, and
# whatever the gadget side sets.
vm_run vm-printer host-status /dev/usb/lp0
vm_expect_eq "host status, gadget device closed" "status=0x08" "$VM_OUT"
vm_run vm-printer gadget-status /dev/g_printer0 0x38
vm_expect_eq "gadget status set (NOT_ERROR|SELECTED|PAPER_EMPTY)" "status=0x38" "$VM_OUT"
vm_run vm-printer host-status /dev/usb/lp0
vm_expect_eq "host status after the gadget set paper-empty, closed again" \
	"status=0x28" "$VM_OUT"
vm_run vm-printer gadget-status /dev/g_printer0 0x18
vm_run vm-printer host-status /dev/usb/lp0
vm_expect_eq "host status, back to NOT_ERROR (closed)" "status=0x08" "$VM_OUT"

# Host -> gadget: a print job through usblp, read on the gadget side.
size=65536
vm_random_file /tmp/job $size
timeout 15 head -c $size /dev/g_printer0 >/tmp/job.got &
reader=$!
sleep 0.2
start=$(vm__now_cs)
cat /tmp/job >/dev/usb/lp0 || vm_fail "host: write to /dev/usb/lp0 failed"
wait $reader || vm_fail "gadget: reading /dev/g_printer0 failed or timed out ($(wc -c </tmp/job.got) bytes)"
vm_expect_same_file "host -> gadget (lp0 -> g_printer0)" /tmp/job /tmp/job.got
vm_log "host -> gadget: $size bytes in $(vm__cs_to_s $(($(vm__now_cs) - start))) s"

# Gadget -> host: the printer's answer, read back through usblp.
size=16384
vm_random_file /tmp/back $size
timeout 15 head -c $size /dev/usb/lp0 >/tmp/back.got &
reader=$!
sleep 0.2
start=$(vm__now_cs)
cat /tmp/back >/dev/g_printer0 || vm_fail "gadget: write to /dev/g_printer0 failed"
wait $reader || vm_fail "host: reading /dev/usb/lp0 failed or timed out ($(wc -c </tmp/back.got) bytes)"
vm_expect_same_file "gadget -> host (g_printer0 -> lp0)" /tmp/back /tmp/back.got
vm_log "gadget -> host: $size bytes in $(vm__cs_to_s $(($(vm__now_cs) - start))) s"

vm_bed_detach
vm_gadget_teardown printer
vm_wait_host_gone 5
vm_expect_no_file "host lp0 after teardown" /dev/usb/lp0
