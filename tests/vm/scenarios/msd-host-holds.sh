# The host holds the medium: while /dev/sdX is open, Linux has sent
# PREVENT ALLOW MEDIUM REMOVAL (the LUN is removable), and the kernel
# refuses a new file with EBUSY: `msd insert` says the host holds it and
# changes nothing.  `msd eject` uses forced_eject, which the kernel does not
# refuse: the medium goes even while the host has it open.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
mkdir -p /var/lib/gadgetd
truncate -s 4M /var/lib/gadgetd/msd.img
truncate -s 6M /tmp/other.img
lun=$VM_GADGETS/gadgetd/functions/mass_storage.0/lun.0

vm_daemon_start --profile ecm+msd
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_block_dev 0 20
b=$VM_HOST_BLOCK
vm_expect_eq "forced_eject exists in this kernel" yes \
	"$([ -e $lun/forced_eject ] && echo yes)"

# Not held: a new file replaces the old one in one write.
vm_run vm_gadgetd msd insert 0 /tmp/other.img
vm_expect_eq "insert over a medium nobody holds" "lun.0: /tmp/other.img" "$VM_OUT"
vm_run vm_gadgetd msd insert 0 /var/lib/gadgetd/msd.img

# The host opens the disk and keeps it open.
exec 3</dev/$b
vm_log "host: /dev/$b held open (fd 3)"
vm_run_fails vm_gadgetd msd insert 0 /tmp/other.img
vm_expect_eq "insert while the host holds the medium: exit status" 1 "$VM_RC"
vm_expect_eq "insert while the host holds the medium" \
	"msd insert: $lun/file: Device or resource busy: the host holds the medium (it prevented removal); eject it on the host, or force it out with 'gadgetd msd eject 0'" \
	"$VM_OUT"
vm_expect_eq "lun.0/file unchanged" /var/lib/gadgetd/msd.img "$(cat $lun/file)"
vm_expect_eq "lun.0/ro unchanged" 0 "$(cat $lun/ro)"
vm_daemon_status_json
vm_expect_contains "status luns unchanged" \
	'"luns":[{"function":"mass_storage.0","lun":0,"file":"/var/lib/gadgetd/msd.img","ro":false}]' \
	"$VM_STATUS"
vm_expect_eq "host: /dev/$b still has its medium (sectors)" 8192 "$(cat /sys/class/block/$b/size)"
dd if=/dev/$b of=/dev/null bs=4096 count=1 iflag=direct 2>/tmp/dd.err ||
	vm_fail "host: /dev/$b unreadable after the refused insert: $(tail -n 1 /tmp/dd.err)"

# The kernel's own eject path is refused the same way (no forced_eject).
if (printf '\n' >$lun/file) 2>/dev/null; then
	vm_fail "empty lun.0/file accepted while the host holds the medium"
fi
vm_expect_eq "lun.0/file after a refused empty write" /var/lib/gadgetd/msd.img "$(cat $lun/file)"

# forced_eject: the medium goes although the host still holds it.
vm_run vm_gadgetd msd eject 0
vm_expect_eq "eject while held" "lun.0: ejected /var/lib/gadgetd/msd.img" "$VM_OUT"
vm_expect_eq "lun.0/file after forced eject" "" "$(cat $lun/file)"
vm_run_fails dd if=/dev/$b of=/dev/null bs=4096 count=1 iflag=direct
vm_expect_contains "host read after the forced eject" "No medium found" "$VM_OUT"
# And the prevent flag went with it: an insert is accepted, fd 3 still open.
vm_run vm_gadgetd msd insert 0 /tmp/other.img
exec 3<&-
vm_log "host: /dev/$b closed"
media_is() {
	dd if=/dev/$b of=/dev/null bs=512 count=1 2>/dev/null
	[ "$(cat /sys/class/block/$b/size)" = "$1" ]
}
vm_wait 10 "host /dev/$b with other.img: 12288 sectors (it shows $(cat /sys/class/block/$b/size))" media_is 12288
# Closed: nothing held, a plain file change works again.
vm_run vm_gadgetd msd insert 0 /var/lib/gadgetd/msd.img

vm_daemon_stop
vm_wait_host_gone 5
