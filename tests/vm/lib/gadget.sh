# The gadget side: configfs and the UDC, for scenarios that build a gadget
# by hand, and the gadgetd binary when the image has one.

# vm_udc: set VM_UDC to the first UDC (dummy_udc.0 here).
vm_udc() {
	VM_UDC=$(ls /sys/class/udc 2>/dev/null | head -n 1)
	[ -n "$VM_UDC" ] || vm_fail "gadget: no UDC in /sys/class/udc (dummy_hcd not loaded?)"
}

# vm_udc_state: print the UDC's state ("not attached", "configured", ...).
vm_udc_state() {
	[ -n "${VM_UDC-}" ] || vm_udc
	cat "/sys/class/udc/$VM_UDC/state"
}

# vm_gadget_teardown NAME: unbind and remove a configfs gadget in the order
# the kernel requires; a no-op when it does not exist.
vm_gadget_teardown() {
	local g="$VM_GADGETS/$1" x
	[ -d "$g" ] || return 0
	if [ -n "$(cat "$g/UDC" 2>/dev/null)" ]; then
		echo "" >"$g/UDC" 2>/dev/null
	fi
	for x in "$g"/os_desc/*; do [ -L "$x" ] && rm -f "$x"; done
	for x in "$g"/configs/*/*; do [ -L "$x" ] && rm -f "$x"; done
	for x in "$g"/configs/*/strings/*; do [ -d "$x" ] && rmdir "$x"; done
	for x in "$g"/configs/*; do [ -d "$x" ] && rmdir "$x"; done
	for x in "$g"/functions/*; do [ -d "$x" ] && rmdir "$x"; done
	for x in "$g"/strings/*; do [ -d "$x" ] && rmdir "$x"; done
	rmdir "$g" 2>/dev/null ||
		vm_fail "gadget: cannot remove $g: $(ls -R "$g" 2>&1 | head -n 5 | tr '\n' ' ')"
	vm_log "gadget: removed $1"
}

# vm_need_gadgetd: set VM_GADGETD to the gadgetd binary, or SKIP when the
# image has none (tests/vm/run without --destdir / GADGETD_DESTDIR).
vm_need_gadgetd() {
	VM_GADGETD=$(command -v gadgetd) ||
		vm_skip "gadgetd is not in the image (run tests/vm/run with --destdir or GADGETD_DESTDIR)"
}
