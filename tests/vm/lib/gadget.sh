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

# Building a gadget by hand, in the kernel's order; attributes go in between
# with vm_write.  Sets VM_GADGET to the gadget's configfs dir.
# vm_gadget_create NAME VID PID: the gadget with English strings
# ("gadgetd test bed", NAME, "VM0001")
vm_gadget_create() {
	VM_GADGET=$VM_GADGETS/$1
	mkdir "$VM_GADGET" || vm_fail "gadget: mkdir $VM_GADGET failed"
	vm_write "$2" "$VM_GADGET/idVendor"
	vm_write "$3" "$VM_GADGET/idProduct"
	mkdir "$VM_GADGET/strings/0x409"
	vm_write "gadgetd test bed" "$VM_GADGET/strings/0x409/manufacturer"
	vm_write "$1" "$VM_GADGET/strings/0x409/product"
	vm_write VM0001 "$VM_GADGET/strings/0x409/serialnumber"
}

# vm_gadget_function TYPE.INSTANCE: mkdir functions/TYPE.INSTANCE (the
# kernel loads usb_f_TYPE); the error names the errno.
vm_gadget_function() {
	local err
	err=$(mkdir "$VM_GADGET/functions/$1" 2>&1) ||
		vm_fail "gadget: mkdir functions/$1 failed: ${err##*: }"
}

# vm_gadget_config_add TYPE.INSTANCE [CONFIG]: link the function into
# configs/CONFIG (default c.1, made on first use).
vm_gadget_config_add() {
	local c="$VM_GADGET/configs/${2:-c.1}"
	[ -d "$c" ] || mkdir "$c" || vm_fail "gadget: mkdir $c failed"
	ln -s "$VM_GADGET/functions/$1" "$c/$1" ||
		vm_fail "gadget: ln -s functions/$1 ${c##*/}/ failed"
}

# vm_gadget_bind: bind VM_GADGET to the UDC (sets VM_UDC).
vm_gadget_bind() {
	vm_udc
	vm_write "$VM_UDC" "$VM_GADGET/UDC"
	vm_log "gadget: ${VM_GADGET##*/} bound to $VM_UDC"
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
	# mass storage: lun.0 goes with the function, the others first
	for x in "$g"/functions/*/lun.*; do
		case "${x##*/}" in lun.0) ;; *) [ -d "$x" ] && rmdir "$x" ;; esac
	done
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

# vm_need_tool NAME: a tests/vm/tools program (vm-net, ...) must be in the
# image (tests/vm/run --tools BUILD/tests/vm/tools), else SKIP.
vm_need_tool() {
	command -v "$1" >/dev/null ||
		vm_skip "$1 is not in the image (run tests/vm/run with --tools BUILD/tests/vm/tools)"
}
