# Each host personality of vm-host can fail, and says why: gadgets built
# by hand in configfs that break one requirement a host has
# (tests/vm/hosts/README.md) must make that personality fail with a
# message naming it.  The positive cells are the hosts-PROFILE matrix.
# vm: beds=usbip
# vm: timeout=150
# vm: keep-log
. "$VM_LIB/vm.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/hosts.sh"

vm_need_tool vm-host
vm_udc
vm_hosts_autoprobe 0

# vm__neg PERSONALITY GLOB WHAT: plug the gadget built in VM_GADGET into
# the personality; its result must be a failure matching GLOB.
vm__neg() {
	vm_gadget_bind
	vm_bed_attach
	VM_HOST_DEV=
	vm_hosts_wait_device 1d6b 0104 10
	vm_host_personality "$1"
	vm_expect_match "$1 on $3" "fail $2" "$VM_HOST_RESULT"
	vm_log "ok: $1 on $3: $VM_HOST_RESULT"
	echo "host-negative $1 | $3 | ${VM_HOST_RESULT#fail }"
	vm_gadget_teardown neg
	vm_wait_host_gone 5
}

vm__neg_rndis() {
	vm_gadget_function rndis.usb0
}

vm__neg_os_desc() {
	vm_write 1 "$VM_GADGET/os_desc/use"
	vm_write 0xcd "$VM_GADGET/os_desc/b_vendor_code"
	vm_write MSFT100 "$VM_GADGET/os_desc/qw_sign"
	vm_write RNDIS "$VM_GADGET/functions/rndis.usb0/os_desc/interface.rndis/compatible_id"
	vm_write 5162001 "$VM_GADGET/functions/rndis.usb0/os_desc/interface.rndis/sub_compatible_id"
	ln -s "$VM_GADGET/configs/$1" "$VM_GADGET/os_desc/$1" ||
		vm_fail "gadget: ln -s configs/$1 os_desc/ failed"
}

# macOS: ECM only in configuration 2, RNDIS in configuration 1.
vm_gadget_create neg 0x1d6b 0x0104
vm__neg_rndis
vm_gadget_function ecm.usb1
vm_gadget_config_add rndis.usb0 c.1
vm_gadget_config_add ecm.usb1 c.2
vm__neg macos "*macOS has no RNDIS driver*configuration 1 only*" \
	"ECM in configuration 2 only (RNDIS in 1)"

# macOS: CDC EEM, which it has no driver for.
vm_gadget_create neg 0x1d6b 0x0104
vm_gadget_function eem.usb0
vm_gadget_config_add eem.usb0
vm__neg macos "*macOS has no EEM driver*" "EEM only"

# Windows: RNDIS (with its compatible ID) only in configuration 2, ECM in
# configuration 1, the OS descriptors on configuration 1.  Linking them
# to c.2 instead would pass: the kernel's composite driver answers for
# configuration index 0 with the configuration the OS descriptors link
# to (tests/vm/hosts/README.md).
for w in windows10 windows11; do
	vm_gadget_create neg 0x1d6b 0x0104
	vm_gadget_function ecm.usb1
	vm__neg_rndis
	vm_gadget_config_add ecm.usb1 c.1
	vm_gadget_config_add rndis.usb0 c.2
	vm__neg_os_desc c.1
	vm__neg $w "*configuration 1: interface 0 CDC ECM*no Windows class driver*configuration 1 only*" \
		"RNDIS in configuration 2 only"
done

# Windows: RNDIS in configuration 1 without Microsoft OS descriptors.
for w in windows10 windows11; do
	vm_gadget_create neg 0x1d6b 0x0104
	vm__neg_rndis
	vm_gadget_config_add rndis.usb0 c.1
	vm__neg $w "*usbser*SET_LINE_CODING*without the compatible ID RNDIS*" \
		"RNDIS without OS descriptors"
done

# Windows 10: NCM without Microsoft OS descriptors (no WINNCM).
vm_gadget_create neg 0x1d6b 0x0104
vm_gadget_function ncm.usb0
vm_gadget_config_add ncm.usb0
vm__neg windows10 "*CDC NCM without the compatible ID WINNCM*" "NCM without OS descriptors"

# macOS: CDC ECM whose iMACAddress is not a MAC address, and ECM with no
# iMACAddress at all.  Served through gadgetfs: configfs' f_ecm always has
# a valid one.
modprobe gadgetfs || vm_fail "modprobe gadgetfs failed"
mkdir -p /dev/gadget
mount -t gadgetfs gadgetfs /dev/gadget || vm_fail "mount -t gadgetfs failed"
for mac in not-a-mac-addr --none; do
	vm-gadgetfs-ecm /dev/gadget "$mac" >/tmp/gadgetfs.out 2>&1 &
	pid=$!
	vm_wait 5 "vm-gadgetfs-ecm ready ($(cat /tmp/gadgetfs.out))" grep -q ready /tmp/gadgetfs.out
	vm_bed_attach
	VM_HOST_DEV=
	vm_hosts_wait_device 1d6b 0104 10
	vm_host_personality macos
	case $mac in
	--none) want="*iMACAddress is 0*12 hex digits*" what="ECM without iMACAddress" ;;
	*) want="*iMACAddress string 4 is 'not-a-mac-addr', not 12 hex digits*" what="ECM with iMACAddress 'not-a-mac-addr'" ;;
	esac
	vm_expect_match "macos on $what" "fail $want" "$VM_HOST_RESULT"
	echo "host-negative macos | $what (gadgetfs) | ${VM_HOST_RESULT#fail }"
	# Unplug first: closing gadgetfs with the host attached oopsed
	# usbip-vudc (1 in 3 here; vudc_shutdown() reads the gadget driver
	# that the unbind had just cleared, tests/vm/hosts/README.md).
	vm_bed_detach
	kill $pid
	wait $pid 2>/dev/null
	vm_wait 5 "$VM_UDC free after vm-gadgetfs-ecm" \
		sh -c "[ -z \"\$(cat /sys/class/udc/$VM_UDC/function 2>/dev/null)\" ]"
done
umount /dev/gadget

vm_hosts_autoprobe 1
