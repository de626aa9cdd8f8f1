# Changing a mass-storage LUN's medium while bound (KERNEL-NOTES.md):
# forced_eject, ro, a new file; the host sees the new size and ro=1 after
# its next access.  This is what `gadgetd msd insert/eject` does.
# vm: timeout=60
. "$VM_LIB/vm.sh"

g=$VM_GADGETS/g1
lun=$g/functions/mass_storage.0/lun.0
dd if=/dev/zero of=/tmp/a.img bs=1M count=4 2>/dev/null
dd if=/dev/zero of=/tmp/b.img bs=1M count=8 2>/dev/null
mkdir $g $g/functions/mass_storage.0 $g/configs/c.1 || vm_fail "mkdir in $g failed"
vm_write 0x1d6b $g/idVendor
vm_write 0x0104 $g/idProduct
vm_expect_eq "lun.0 attributes" "cdrom file forced_eject inquiry_string nofua removable ro" \
	"$(ls $lun | tr '\n' ' ' | sed 's/ $//')"
vm_write /tmp/a.img $lun/file
vm_write 1 $lun/removable
ln -s $g/functions/mass_storage.0 $g/configs/c.1/
vm_udc
vm_write "$VM_UDC" $g/UDC
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_block_dev 0
b=$VM_HOST_BLOCK
vm_expect_eq "host /dev/$b sectors (a.img)" 8192 "$(cat /sys/class/block/$b/size)"
vm_expect_eq "host /dev/$b ro (a.img)" 0 "$(cat /sys/class/block/$b/ro)"

vm_write 1 $lun/forced_eject
vm_expect_eq "lun.0 file after forced_eject" "" "$(cat $lun/file)"
vm_write 1 $lun/ro
vm_write /tmp/b.img $lun/file
# The host notices the media change on its next access.
media_is() {
	dd if=/dev/$b of=/dev/null bs=512 count=1 2>/dev/null
	[ "$(cat /sys/class/block/$b/size)" = "$1" ] &&
		[ "$(cat /sys/class/block/$b/ro)" = "$2" ]
}
vm_wait 10 "host /dev/$b with b.img: 16384 sectors, ro 1 (it shows $(cat /sys/class/block/$b/size) sectors, ro $(cat /sys/class/block/$b/ro))" \
	media_is 16384 1
vm_log "host: /dev/$b shows b.img (16384 sectors, ro) after $VM_WAITED s"
vm_run_fails dd if=/dev/zero of=/dev/$b bs=512 count=1 conv=fsync

vm_gadget_teardown g1
