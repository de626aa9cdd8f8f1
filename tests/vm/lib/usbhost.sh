# The host's view of a function, one level below host.sh: the interface
# descriptors as the host read them (class, subclass, protocol, driver),
# the host choosing another configuration, and control transfers through
# usbdevfs (vm-usbctl) for what sysfs does not show, like the Microsoft OS
# descriptors.  Not sourced by vm.sh: function scenarios add
#	. "$VM_LIB/usbhost.sh"
# Every helper works on VM_HOST_DEV (vm_wait_host_device sets it).

# vm_host_interface IFNUM: sets VM_HOST_IF ("CLASS SUBCLASS PROTOCOL DRIVER",
# e.g. "02 06 00 cdc_ether", DRIVER "-" when none is bound) for interface
# IFNUM of the active configuration, as the host's sysfs shows it.
vm_host_interface() {
	local cfg dir drv
	[ -n "$VM_HOST_DEV" ] || vm_fail "vm_host_interface: call vm_wait_host_device first"
	cfg=$(cat "$VM_HOST_DEV/bConfigurationValue")
	dir=$VM_HOST_DEV/${VM_HOST_DEV##*/}:$cfg.$1
	[ -d "$dir" ] ||
		vm_fail "host: no interface $cfg.$1 (interfaces: $(vm_host_interfaces | tr '\n' ';'))"
	drv=-
	[ -L "$dir/driver" ] && drv=$(readlink "$dir/driver") && drv=${drv##*/}
	VM_HOST_IF="$(cat "$dir/bInterfaceClass") $(cat "$dir/bInterfaceSubClass") $(cat "$dir/bInterfaceProtocol") $drv"
}

# vm_host_expect_interface IFNUM CLASS SUBCLASS PROTOCOL [DRIVER [DEADLINE]]:
# the interface's class triple (two hex digits each, as sysfs prints them;
# "*" matches any) and, when given, its driver, waited for up to DEADLINE
# seconds (default 5): drivers bind a moment after the configuration.
vm_host_expect_interface() {
	local want="$2 $3 $4" deadline=${6:-5} until
	until=$(($(vm__now_cs) + $(vm__to_cs "$deadline")))
	while :; do
		vm_host_interface "$1"
		case "$VM_HOST_IF" in
		$want" "${5:-*}) break ;;
		esac
		if [ "$(vm__now_cs)" -ge "$until" ]; then
			vm_fail "host interface $1: expected '$want ${5:-*}', saw '$VM_HOST_IF'"
		fi
		sleep 0.1
	done
	vm_log "host interface $1: $VM_HOST_IF"
}

# vm_host_set_config N [DEADLINE]: make the host select configuration N (as
# a user's `echo N > bConfigurationValue` does) and wait until it is active.
vm_host_set_config() {
	[ -n "$VM_HOST_DEV" ] || vm_fail "vm_host_set_config: call vm_wait_host_device first"
	vm_write "$1" "$VM_HOST_DEV/bConfigurationValue"
	vm_wait "${2:-5}" "host configuration $1 active" \
		vm__host_config_is "$1"
	vm_log "host: configuration $1 active after $VM_WAITED s"
}

vm__host_config_is() {
	[ "$(cat "$VM_HOST_DEV/bConfigurationValue" 2>/dev/null)" = "$1" ] &&
		[ -d "$VM_HOST_DEV/${VM_HOST_DEV##*/}:$1.0" ]
}

# vm_usbctl ARGS...: vm-usbctl on VM_HOST_DEV (its usbdevfs node); must
# succeed; sets VM_OUT and VM_RC like vm_run.
vm_usbctl() {
	[ -n "$VM_HOST_DEV" ] || vm_fail "vm_usbctl: call vm_wait_host_device first"
	vm_run vm-usbctl "$VM_HOST_DEV" "$@"
}

# vm_host_os_string: sets VM_OS_SIGNATURE and VM_OS_VENDOR_CODE (0xNN) from
# the Microsoft OS string descriptor (string 0xEE, language 0), as Windows
# reads it before any OS feature request.
vm_host_os_string() {
	vm_usbctl os-string
	VM_OS_SIGNATURE=$(printf '%s\n' "$VM_OUT" | sed -n 's/.*signature=\([^ ]*\) .*/\1/p')
	VM_OS_VENDOR_CODE=$(printf '%s\n' "$VM_OUT" | sed -n 's/.*vendor_code=\(0x[0-9a-f]*\).*/\1/p')
	[ -n "$VM_OS_SIGNATURE" ] && [ -n "$VM_OS_VENDOR_CODE" ] ||
		vm_fail "host: OS string descriptor not understood: $VM_OUT"
}

# vm_host_compat_ids VENDOR_CODE: sets VM_COMPAT_IDS to the extended compat
# ID OS feature descriptor, one line per function section:
# "interface=0 compatible_id=RNDIS sub_compatible_id=5162001".
vm_host_compat_ids() {
	vm_usbctl compat-id "$1"
	VM_COMPAT_IDS=$(printf '%s\n' "$VM_OUT" | grep '^interface=')
}
