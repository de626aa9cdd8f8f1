# The host's view: the USB device dummy_hcd's host controller enumerated
# (/sys/bus/usb/devices/1-1 and its interfaces 1-1:C.I).

# "0x1D6B", "1d6b" -> "1d6b"
vm__hex4() {
	local v
	v=$(printf %s "${1#0x}" | tr 'A-F' 'a-f')
	v=${v#0x}
	while [ ${#v} -lt 4 ]; do v=0$v; done
	printf '%s\n' "$v"
}

# Print the sysfs dir of the configured host device VID:PID, if any.
vm__find_host_device() {
	local d
	for d in /sys/bus/usb/devices/*; do
		case "${d##*/}" in usb* | *:*) continue ;; esac
		[ "$(cat "$d/idVendor" 2>/dev/null)" = "$1" ] || continue
		[ "$(cat "$d/idProduct" 2>/dev/null)" = "$2" ] || continue
		# Configured: the host chose a configuration, interfaces exist.
		[ -n "$(cat "$d/bConfigurationValue" 2>/dev/null)" ] || continue
		printf '%s\n' "$d"
		return 0
	done
	return 1
}

# One line per device the host sees (root hubs left out), for messages.
vm_host_devices() {
	local d found=""
	for d in /sys/bus/usb/devices/*; do
		case "${d##*/}" in usb* | *:*) continue ;; esac
		[ -f "$d/idVendor" ] || continue
		found="$found${found:+; }${d##*/} $(cat "$d/idVendor"):$(cat "$d/idProduct") config '$(cat "$d/bConfigurationValue" 2>/dev/null)'"
	done
	printf '%s\n' "${found:-none}"
}

# vm_wait_host_device VID PID DEADLINE: wait until the host has enumerated
# and configured the device; sets VM_HOST_DEV (its sysfs dir).
vm_wait_host_device() {
	local vid pid start now until
	vid=$(vm__hex4 "$1")
	pid=$(vm__hex4 "$2")
	start=$(vm__now_cs)
	until=$((start + $(vm__to_cs "$3")))
	while :; do
		if VM_HOST_DEV=$(vm__find_host_device "$vid" "$pid"); then
			now=$(vm__now_cs)
			VM_WAITED=$(vm__cs_to_s $((now - start)))
			vm_log "host: $vid:$pid configured at ${VM_HOST_DEV##*/} after $VM_WAITED s"
			return 0
		fi
		[ "$(vm__now_cs)" -ge "$until" ] && break
		sleep 0.1
	done
	VM_HOST_DEV=""
	vm_fail "host: no configured USB device $vid:$pid after $3 s (host sees: $(vm_host_devices))"
}

# vm_wait_host_gone DEADLINE: wait until VM_HOST_DEV has left the bus.
vm_wait_host_gone() {
	[ -n "$VM_HOST_DEV" ] || vm_fail "vm_wait_host_gone: no VM_HOST_DEV"
	vm_wait "$1" "host: ${VM_HOST_DEV##*/} still on the bus" \
		vm__not_exists "$VM_HOST_DEV"
	vm_log "host: ${VM_HOST_DEV##*/} gone after $VM_WAITED s"
}

vm__not_exists() { [ ! -e "$1" ]; }

# vm_host_attr NAME: print the device attribute (idVendor, idProduct,
# bcdDevice, manufacturer, product, serial, bNumConfigurations, ...).
vm_host_attr() {
	[ -n "$VM_HOST_DEV" ] || vm_fail "vm_host_attr $1: call vm_wait_host_device first"
	[ -r "$VM_HOST_DEV/$1" ] ||
		vm_fail "host: device ${VM_HOST_DEV##*/} has no attribute '$1'"
	cat "$VM_HOST_DEV/$1"
}

# vm_host_expect_attr NAME EXPECTED
vm_host_expect_attr() {
	vm_expect_eq "host $1" "$2" "$(vm_host_attr "$1")"
}

# vm_host_interfaces: one line per interface of the active configuration:
# "CONFIG.IFNUM CLASS DRIVER", e.g. "1.0 02 cdc_ether"; DRIVER is "-"
# when none is bound.
vm_host_interfaces() {
	local i drv
	[ -n "$VM_HOST_DEV" ] || vm_fail "vm_host_interfaces: call vm_wait_host_device first"
	for i in "$VM_HOST_DEV"/"${VM_HOST_DEV##*/}":*; do
		[ -d "$i" ] || continue
		drv=-
		[ -L "$i/driver" ] && drv=$(readlink "$i/driver") && drv=${drv##*/}
		printf '%s %s %s\n' "${i##*:}" "$(cat "$i/bInterfaceClass")" "$drv"
	done
}

vm__host_has_drivers() {
	local ifs d
	ifs=$(vm_host_interfaces)
	for d in "$@"; do
		printf '%s\n' "$ifs" | grep -q " $d\$" || return 1
	done
}

# vm_wait_host_drivers DEADLINE DRIVER...: wait until each DRIVER
# (cdc_ether, cdc_acm, usb-storage, rndis_host, cdc_ncm, cdc_eem, usbhid,
# snd-usb-audio, ...) is bound to at least one interface.
vm_wait_host_drivers() {
	local deadline=$1 start now until
	shift
	start=$(vm__now_cs)
	until=$((start + $(vm__to_cs "$deadline")))
	while ! vm__host_has_drivers "$@"; do
		now=$(vm__now_cs)
		if [ "$now" -ge "$until" ]; then
			vm_fail "host: expected drivers '$*' bound after $deadline s, interfaces are: $(vm_host_interfaces | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
		fi
		sleep 0.1
	done
	vm_log "host: drivers bound: $*"
}

# A host whose only network driver is DRIVER (rndis_host, ...), though the
# others are loaded: the scenario writes 0 to
# /sys/bus/usb/drivers_autoprobe before the device comes, so no driver
# binds by itself, and for each device this binds the generic device
# driver (the host chooses a configuration, as always) and then offers
# every interface to DRIVER alone, as a host policy that allows one
# driver would.  The kernel's own matching decides: a bind to an
# interface DRIVER's id table does not list is refused (ENODEV).
#
# vm_host_only_driver DRIVER BCD DEADLINE: wait for the (unconfigured)
# device 1d6b:0104 with bcdDevice BCD, configure it, offer its interfaces
# to DRIVER.  Sets VM_HOST_DEV and VM_HOST_OFFERED ("1.0 refused; 1.1
# bound ...").
vm_host_only_driver() {
	local drv=$1 bcd=$2 i n
	vm_wait "$3" "host: a device 1d6b:0104 with bcdDevice $bcd (host sees: $(vm_host_devices))" \
		vm__host_find_bcd "$bcd"
	VM_HOST_DEV=$(vm__host_find_bcd "$bcd")
	vm_log "host: bcdDevice $bcd at ${VM_HOST_DEV##*/} after $VM_WAITED s"
	vm_write "${VM_HOST_DEV##*/}" /sys/bus/usb/drivers/usb/bind
	[ -n "$(cat "$VM_HOST_DEV/bConfigurationValue" 2>/dev/null)" ] ||
		vm_fail "host: ${VM_HOST_DEV##*/} not configured after the generic driver's bind"
	VM_HOST_OFFERED=""
	for i in "$VM_HOST_DEV"/"${VM_HOST_DEV##*/}":*; do
		[ -d "$i" ] || continue
		n=${i##*/}
		# A data interface DRIVER already claimed with its control one.
		if [ -L "$i/driver" ]; then
			VM_HOST_OFFERED="$VM_HOST_OFFERED${VM_HOST_OFFERED:+; }${n##*:} claimed by $(basename "$(readlink "$i/driver")")"
		elif echo "$n" >"/sys/bus/usb/drivers/$drv/bind" 2>/dev/null; then
			VM_HOST_OFFERED="$VM_HOST_OFFERED${VM_HOST_OFFERED:+; }${n##*:} bound"
		else
			VM_HOST_OFFERED="$VM_HOST_OFFERED${VM_HOST_OFFERED:+; }${n##*:} refused"
		fi
	done
	vm_log "host: ${VM_HOST_DEV##*/} interfaces offered to $drv: $VM_HOST_OFFERED"
}

vm__host_find_bcd() {
	local d
	for d in /sys/bus/usb/devices/*; do
		case "${d##*/}" in usb* | *:*) continue ;; esac
		[ "$(cat "$d/idVendor" 2>/dev/null)" = 1d6b ] || continue
		[ "$(cat "$d/idProduct" 2>/dev/null)" = 0104 ] || continue
		[ "$(cat "$d/bcdDevice" 2>/dev/null)" = "$1" ] || continue
		printf '%s\n' "$d"
		return 0
	done
	return 1
}
