# The kernel's SourceSink function (usb_f_ss_lb) through raw configfs,
# judged from the host through usbdevfs (vm-usbbulk): 1 MiB read from its
# bulk IN endpoint carries pattern 1 (byte k of each packet is k % 63)
# without one wrong byte, 1 MiB of that pattern written to bulk OUT is
# accepted, and zeros are refused (the gadget checks every byte and halts
# the endpoint: EPIPE on the host, "bad OUT byte" in the gadget's log).
# Its alternate setting 1 (isochronous endpoints) exists only where the
# UDC has isochronous endpoints: usbip-vudc yes, dummy_hcd no; and
# usbip-vudc moves no isochronous data (-EXDEV for every URB).
# docs/functions-kernel.md has what this pins.
# vm: timeout=90
# vm: beds=dummy usbip
. "$VM_LIB/vm.sh"
. "$VM_LIB/function.sh"

vm_need_tool vm-usbbulk
vm_gadget_create sourcesink 0x1d6b 0x0104
vm_gadget_function SourceSink.0
f=$VM_GADGET/functions/SourceSink.0
vm_function_attrs "$f"
vm_expect_eq "SourceSink attributes (Debian 6.1)" \
	"bulk_buflen bulk_qlen iso_qlen isoc_interval isoc_maxburst isoc_maxpacket isoc_mult pattern" \
	"$VM_FUNCTION_ATTRS"
vm_expect_eq "SourceSink defaults" "0 4096 1 8 4 1024 0 0" \
	"$(for a in pattern bulk_buflen bulk_qlen iso_qlen isoc_interval isoc_maxpacket isoc_mult isoc_maxburst; do cat "$f/$a"; done | tr '\n' ' ' | sed 's/ $//')"
vm_write 1 "$f/pattern"
vm_gadget_config_add SourceSink.0
vm_gadget_bind
vm_bed_attach

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_interfaces | sed 's/^/    /'
iface=$VM_HOST_DEV/${VM_HOST_DEV##*/}:1.0
vm_expect_eq "host interface class (vendor specific, no driver)" "ff 00 00 -" \
	"$(cat "$iface/bInterfaceClass") $(cat "$iface/bInterfaceSubClass") $(cat "$iface/bInterfaceProtocol") $(vm_host_interfaces | awk '{ print $3 }')"
vm_expect_eq "host endpoints, alt 0" "Bulk-in 512,Bulk-out 512" "$(vm_host_endpoints 0)"
# The configuration descriptor (sysfs "descriptors": device, then config)
# has interface 0 once (dummy_hcd, no isochronous endpoints) or twice
# (alt 1 with two isochronous endpoints).
alts=$(od -An -v -tx1 "$VM_HOST_DEV/descriptors" | tr -s ' \n' '  ' |
	grep -o '09 04 00 0[0-9]' | wc -l)
case $VM_BED in
dummy) vm_expect_eq "alternate settings of interface 0 (dummy_hcd: no iso)" 1 "$alts" ;;
usbip) vm_expect_eq "alternate settings of interface 0 (usbip-vudc: iso alt 1)" 2 "$alts" ;;
esac

vm_host_endpoint 0 Bulk in
ep_in=$VM_HOST_EP
vm_host_endpoint 0 Bulk out
ep_out=$VM_HOST_EP
vm_run vm-usbbulk "$VM_HOST_DEV" 0 in "$ep_in" 1048576
vm_expect_match "source: 1 MiB of pattern 1" "in ep=$ep_in bytes=1048576 errors=0 first_error=- ms=*" "$VM_OUT"
vm_run vm-usbbulk "$VM_HOST_DEV" 0 out "$ep_out" 1048576
vm_expect_match "sink: 1 MiB of pattern 1 accepted" "out ep=$ep_out bytes=1048576 ms=*" "$VM_OUT"
dmesg | grep -q 'bad OUT byte' && vm_fail "the gadget refused the pattern: $(dmesg | grep 'bad OUT byte' | head -n 1)"
# Isochronous, where alt 1 exists: usbip-vudc gives every isochronous URB
# back at its next frame with -EXDEV and no data (vudc_transfer.c,
# v_timer(): "case USB_ENDPOINT_XFER_ISOC: /* TODO: support */"), while
# the gadget's own requests stay queued.  uac1, uac2 and uvc stream
# nothing over this bed for that reason (docs/functions-kernel.md).
if [ "$VM_BED" = usbip ]; then
	iso=$(od -An -v -tx1 "$VM_HOST_DEV/descriptors" | tr -s ' \n' '  ' |
		grep -o '07 05 [0-9a-f][0-9a-f] 01' | awk '{ printf "0x%s ", $3 }')
	vm_log "isochronous endpoints of alt 1: $iso"
	for ep in $iso; do
		vm_run vm-usbbulk "$VM_HOST_DEV" 0 iso 1 "$ep" 8
		vm_expect_match "isochronous URB on $ep (usbip-vudc)" \
			"iso ep=$ep alt=1 status=-18 packets=8 bytes=0 *" "$VM_OUT"
	done
	vm_expect_eq "isochronous endpoints tried" 2 "$(echo $iso | wc -w)"
fi

# The check is real: zeros are off the pattern from byte 1 on.
vm_run_fails vm-usbbulk "$VM_HOST_DEV" 0 out "$ep_out" 65536 zeros
vm_expect_match "sink: zeros refused" "out ep=$ep_out bytes=* error=EPIPE" "$VM_OUT"
vm_wait 5 "the gadget's 'bad OUT byte' in the kernel log" sh -c "dmesg | grep -q 'bad OUT byte'"
vm_log "kernel: $(dmesg | grep 'bad OUT byte' | head -n 1)"

vm_bed_detach
vm_gadget_teardown sourcesink
vm_wait_host_gone 5
