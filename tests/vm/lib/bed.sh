# The bed: what carries the gadget's UDC to the host side
# (tests/vm/README.md, "The two beds").  VM_BED comes from guest-init
# (tests/vm/run --bed):
#   dummy  dummy_hcd, UDC dummy_udc.0, host bus 1: a bind is a plug-in.
#   usbip  usbip-vudc, UDC usbip-vudc.0, exported by usbipd (guest-init
#          starts it) and attached over loopback to vhci-hcd: a bind
#          reaches the host only once vm_bed_attach has attached it, and
#          every unbind detaches it.
# A scenario that should run on both calls vm_bed_attach after every bind
# (the daemon's start, `gadgetd up`, a switch, vm_gadget_bind) and
# vm_bed_detach before every unbind it makes, and finds the host device
# with vm_wait_host_device or under /sys/bus/usb/devices/*, never by a
# bus number (1-1 is dummy_hcd's, and vhci-hcd's when dummy_hcd is not
# loaded).

VM_BED=${VM_BED:-dummy}

vm__bed_udc() {
	[ -n "${VM_UDC-}" ] || vm_udc
}

# The usbip bed's UDC can be attached: a gadget bound and connected
# (usbip-vudc reads dev_desc from it only then; usbipd answers an import
# with a device it cannot read with another bus id) and no host attached
# (usbip_status 1, "available").
vm__bed_exportable() {
	local f s d=/sys/class/udc/$VM_UDC/device
	f=$(cat "/sys/class/udc/$VM_UDC/function" 2>/dev/null)
	s=$(cat "$d/usbip_status" 2>/dev/null)
	VM_WAIT_SAW="function '$f', usbip_status '$s', dev_desc $(head -c 18 "$d/dev_desc" 2>/dev/null | wc -c) bytes"
	[ -n "$f" ] && [ "$s" = 1 ] && [ "$(head -c 18 "$d/dev_desc" 2>/dev/null | wc -c)" = 18 ]
}

# The host has a device on a vhci-hcd port (it got past the connection's
# first replies), or the connection is gone again (usbip_status 1).
# Stale replies: a connection that ends (an unbind, a detach) can leave
# replies queued in usbip-vudc, as its vudc_shutdown() does not empty the
# tx_queue; it sends them first on the next connection, where vhci-hcd
# finds no URB for them and drops it ("vhci_hcd: cannot find a urb of
# seqnum N max seqnum M", N from the connection before).  When vudc's
# sender starts before usbipd has written its import reply on the same
# socket, the stale reply lands before or in the middle of it and `usbip
# attach` fails instead ("USBIP Kernel and tool version mismatch: 0 273"
# or "recv different busid", with an empty one).  Either way the stale
# reply is gone with that connection.  Seen after 1 in 3 to 7
# sessions with traffic, with an unbind or a detach first.
vm__bed_attach_settled() {
	local d s
	s=$(cat "/sys/class/udc/$VM_UDC/device/usbip_status" 2>/dev/null)
	VM_WAIT_SAW="usbip_status '$s', host sees: $(vm_host_devices)"
	[ "$s" = 2 ] || return 0
	for d in /sys/bus/usb/devices/*-*; do
		case "${d##*/}" in *:*) continue ;; esac
		case "$(readlink -f "$d")" in */vhci_hcd.*) return 0 ;; esac
	done
	return 1
}

vm__bed_stale_replies() {
	dmesg | grep -c 'vhci_hcd: cannot find a urb of seqnum'
}

# vm_bed_attach [DEADLINE]: plug the bound gadget in, after a bind.
# usbip: wait (5 s) until the UDC has a gadget bound and no host, `usbip
# attach` it, and wait (5 s) until the host has a device on the vhci-hcd
# port; a no-op when a host is attached already.  A connection vhci-hcd
# dropped for a stale reply (above; the reply is gone with it) is
# attached again, logged, twice at most; one dropped any other way fails
# the run.  dummy: nothing (dummy_hcd connects at bind).
vm_bed_attach() {
	local tries=0 stale why
	[ "$VM_BED" = usbip ] || return 0
	vm__bed_udc
	if [ "$(cat "/sys/class/udc/$VM_UDC/device/usbip_status" 2>/dev/null)" = 2 ]; then
		vm_log "bed usbip: $VM_UDC is attached already"
		return 0
	fi
	while :; do
		vm_wait "${1:-5}" "bed usbip: a gadget bound to $VM_UDC, no host attached" \
			vm__bed_exportable
		stale=$(vm__bed_stale_replies)
		if VM_OUT=$(usbip attach -r 127.0.0.1 -d "$VM_UDC" 2>&1); then
			vm_wait "${1:-5}" "bed usbip: a device on the vhci-hcd port after attaching $VM_UDC" \
				vm__bed_attach_settled
			[ "$(cat "/sys/class/udc/$VM_UDC/device/usbip_status" 2>/dev/null)" = 2 ] && break
			[ "$(vm__bed_stale_replies)" -gt "$stale" ] ||
				vm_fail "bed usbip: the connection to $VM_UDC dropped after attaching, expected it to stay (dmesg: $(dmesg | tail -n 4 | tr '\n' ' '))"
			why="vhci-hcd dropped the connection"
		else
			why="usbip attach: $(vm__first_line "$VM_OUT")"
			case "$VM_OUT" in
			*"recv different busid "* | *"Kernel and tool version mismatch"*) ;;
			*) vm_fail "bed usbip: 'usbip attach -r 127.0.0.1 -d $VM_UDC' failed: $(vm__first_line "$VM_OUT")" ;;
			esac
		fi
		tries=$((tries + 1))
		[ $tries -le 2 ] ||
			vm_fail "bed usbip: vhci-hcd dropped $tries connections to $VM_UDC in a row for replies of earlier ones, expected at most 2"
		vm_log "bed usbip: stale reply: usbip-vudc sent one left from the last connection ($why); attaching again"
	done
	vm_log "bed usbip: attached $VM_UDC"
}

vm__bed_released() {
	local s
	s=$(cat "/sys/class/udc/$VM_UDC/device/usbip_status" 2>/dev/null)
	VM_WAIT_SAW="usbip_status '$s'"
	[ "$s" != 2 ]
}

# vm_bed_detach [DEADLINE]: pull the cable with the gadget still bound.
# usbip: `usbip detach` of the vhci port, then wait (5 s) until the host
# lost VM_HOST_DEV (if set) and the UDC is free again; vm_bed_attach plugs
# it in again.  dummy: nothing (dummy_hcd has no cable: its unbind is the
# unplug).
vm_bed_detach() {
	local port
	[ "$VM_BED" = usbip ] || return 0
	vm__bed_udc
	port=$(usbip port 2>/dev/null | sed -n 's/^Port \([0-9]*\): <Port in Use>.*/\1/p' | head -n 1)
	[ -n "$port" ] ||
		vm_fail "bed usbip: detach: expected a vhci port in use, saw none ($(usbip port 2>&1 | grep -v usb.ids | tr '\n' ' '))"
	VM_OUT=$(usbip detach -p "$port" 2>&1) ||
		vm_fail "bed usbip: 'usbip detach -p $port' failed: $(vm__first_line "$VM_OUT")"
	vm_log "bed usbip: detached port $port"
	[ -z "${VM_HOST_DEV-}" ] || vm_wait_host_gone "${1:-5}"
	vm_wait "${1:-5}" "bed usbip: $VM_UDC free again after the detach" vm__bed_released
}

# vm_bed_host_controller: print the driver of the host controller under
# VM_HOST_DEV (dummy_hcd, vhci_hcd), for checks that the bed is the one
# asked for.
vm_bed_host_controller() {
	local p
	[ -n "${VM_HOST_DEV-}" ] || vm_fail "vm_bed_host_controller: call vm_wait_host_device first"
	p=$(readlink -f "$VM_HOST_DEV")
	p=${p#/sys/devices/platform/}
	printf '%s\n' "${p%%.*}"
}
