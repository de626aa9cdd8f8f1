# Not a test (ctest does not run tests/vm/diag/): shows, with kprobes, what
# the host's usbnet and the gadget's f_ecm do when a host opens its netdev
# on the first bind after boot, and whether carrier came.  Run it by hand:
#	tests/vm/run --destdir DESTDIR --tools TOOLS --keep-logs \
#		tests/vm/diag/ecm-missed-connect.sh
# It passes either way; the console log says "RESULT carrier" or "RESULT
# MISS" and holds the trace.  docs/networking.md ("The host that misses
# NetworkConnection") reads one that missed.  No daemon: a plain configfs
# gadget, usb0 up right after bind (as the daemon does), the host's netdev
# moved into a namespace and opened the moment it appears.
# vm: timeout=60
. "$VM_LIB/vm.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

tracing=/sys/kernel/tracing
mount -t tracefs nodev $tracing 2>/dev/null
[ -e $tracing/kprobe_events ] || vm_skip "no kprobe_events in $tracing"

g=$VM_GADGETS/g1
mkdir $g $g/functions/ecm.usb0 $g/configs/c.1 || vm_fail "mkdir in $g failed"
vm_write 0x1d6b $g/idVendor
vm_write 0x0104 $g/idProduct
ln -s $g/functions/ecm.usb0 $g/configs/c.1/

# After the mkdir: usb_f_ecm and u_ether are loaded by then.  x86-64
# argument registers: %di, %si, %dx.
probe() {
	echo "$1" >>$tracing/kprobe_events || vm_log "kprobe not set: $1"
}
probe 'p:link_change usbnet_link_change link=%si:u8 need_reset=%dx:u8'
probe 'p:defer_kevent usbnet_defer_kevent event=%si:s32'
probe 'p:kevent usbnet_deferred_kevent'
probe 'p:handle_link_change __handle_link_change'
probe 'p:usbnet_open usbnet_open'
probe 'p:status_start usbnet_status_start'
probe 'p:cdc_status usbnet_cdc_status'
probe 'p:set_rx_mode usbnet_set_rx_mode'
probe 'p:carrier_on netif_carrier_on name=+0(%di):string'
probe 'p:carrier_off netif_carrier_off name=+0(%di):string'
probe 'p:ecm_set_alt ecm_set_alt intf=%si:u32 alt=%dx:u32'
probe 'p:ecm_open ecm_open'
probe 'p:ecm_close ecm_close'
probe 'p:ecm_do_notify ecm_do_notify'
probe 'p:ecm_notify_complete ecm_notify_complete'
probe 'p:gether_connect gether_connect'
echo 1 >$tracing/events/kprobes/enable
echo 1 >$tracing/tracing_on

vm_udc
vm_write "$VM_UDC" $g/UDC
vm_run "$VM_IP" link set usb0 up
vm_run "$VM_IP" addr add 192.168.7.2/24 dev usb0
vm_run "$VM_IP" netns add $VM_NETNS
n=""
while [ -z "$n" ]; do
	for d in /sys/bus/usb/devices/1-1/1-1:*/net/*; do
		[ -e "$d" ] && n=${d##*/}
	done
done
"$VM_IP" link set "$n" netns $VM_NETNS &&
	"$VM_IP" -n $VM_NETNS link set "$n" up ||
	vm_fail "cannot open host netdev $n"
host_has_carrier() {
	[ "$("$VM_IP" netns exec $VM_NETNS cat /sys/class/net/$n/carrier 2>/dev/null)" = 1 ]
}
ticks=0
while ! host_has_carrier && [ $ticks -lt 100 ]; do
	sleep 0.02
	ticks=$((ticks + 1))
done
counts=$("$VM_IP" netns exec $VM_NETNS sh -c \
	"cat /sys/class/net/$n/carrier_up_count /sys/class/net/$n/carrier_down_count" |
	tr '\n' / | sed 's,/$,,')
echo 0 >$tracing/tracing_on
if host_has_carrier; then
	vm_log "RESULT carrier after $((ticks * 20)) ms (host carrier up/down counts $counts)"
else
	vm_log "RESULT MISS: no carrier after 2 s (host carrier up/down counts $counts)"
fi
grep -v '^#' $tracing/trace | sed 's/^ *//'
