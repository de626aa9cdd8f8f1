# `gadgetd msd insert 0 other.img --ro` over the running ecm+msd gadget's
# medium and back with --rw (the old medium out first, no replug for a
# removable LUN), then `msd eject 0` and `msd insert 0 other.img --ro`:
# the host sees each medium with its size and protection, then no medium,
# then the new one; `status --json` follows (file null after the eject,
# the new file and ro after the insert).  Errors name the path.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
mkdir -p /var/lib/gadgetd
truncate -s 4M /var/lib/gadgetd/msd.img
truncate -s 6M /tmp/other.img
: >/tmp/empty.img
lun=$VM_GADGETS/gadgetd/functions/mass_storage.0/lun.0

vm_daemon_start --profile ecm+msd
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_block_dev 0 20
b=$VM_HOST_BLOCK
vm_expect_eq "host /dev/$b sectors (msd.img)" 8192 "$(cat /sys/class/block/$b/size)"
vm_expect_eq "host /dev/$b ro (msd.img)" 0 "$(cat /sys/class/block/$b/ro)"
vm_daemon_status_json
vm_expect_contains "status luns before" \
	'"luns":[{"function":"mass_storage.0","lun":0,"file":"/var/lib/gadgetd/msd.img","ro":false}]' \
	"$VM_STATUS"

# What cannot be done is refused before anything is written.
vm_run_fails vm_gadgetd msd insert 0 /tmp/nonexistent.img
vm_expect_eq "insert of a missing file: exit status" 1 "$VM_RC"
vm_expect_eq "insert of a missing file" \
	"msd insert: /tmp/nonexistent.img: No such file or directory" "$VM_OUT"
vm_run_fails vm_gadgetd msd eject 1
vm_expect_eq "eject of an absent LUN" \
	"msd eject: mass_storage.0 has no LUN 1: $VM_GADGETS/gadgetd/functions/mass_storage.0/lun.1: No such file or directory" \
	"$VM_OUT"
media_is() {
	dd if=/dev/$b of=/dev/null bs=512 count=1 2>/dev/null
	[ "$(cat /sys/class/block/$b/size)" = "$1" ] &&
		[ "$(cat /sys/class/block/$b/ro)" = "$2" ]
}
# The kernel changes ro only without a medium (EBUSY): insert --ro over
# a medium takes the old one out first (forced_eject), then ro, then the
# new one.  This LUN is removable: the host learns the new medium and its
# protection from the sense data, no replug.
vm_run vm_gadgetd msd insert 0 /tmp/other.img --ro
vm_expect_eq "insert --ro over a medium" "lun.0: /tmp/other.img (read-only)" "$VM_OUT"
vm_expect_eq "lun.0/ro" 1 "$(cat $lun/ro)"
vm_wait 10 "host /dev/$b with other.img read-only (it shows $(cat /sys/class/block/$b/size) sectors, ro $(cat /sys/class/block/$b/ro))" \
	media_is 12288 1
vm_run_fails dd if=/dev/zero of=/dev/$b bs=512 count=1 oflag=direct
# And back, read-write.
vm_run vm_gadgetd msd insert 0 /var/lib/gadgetd/msd.img --rw
vm_expect_eq "insert --rw over a read-only medium" "lun.0: /var/lib/gadgetd/msd.img" "$VM_OUT"
vm_wait 10 "host /dev/$b with msd.img read-write" media_is 8192 0
vm_run dd if=/dev/zero of=/dev/$b bs=512 count=1 oflag=direct
vm_expect_eq "udc state (no replug)" configured "$(cat /sys/class/udc/$VM_UDC/state)"

vm_run vm_gadgetd msd eject 0
vm_expect_eq "eject answer" "lun.0: ejected /var/lib/gadgetd/msd.img" "$VM_OUT"
vm_expect_eq "lun.0/file after eject" "" "$(cat $lun/file)"
no_medium() {
	dd if=/dev/$b of=/dev/null bs=512 count=1 2>/tmp/dd.err
	[ "$(cat /sys/class/block/$b/size)" = 0 ] && grep -q "No medium found" /tmp/dd.err
}
vm_wait 10 "host /dev/$b: no medium (size $(cat /sys/class/block/$b/size), $(cat /tmp/dd.err 2>/dev/null | tail -n 1))" no_medium
vm_log "host: /dev/$b has no medium after $VM_WAITED s: $(tail -n 1 /tmp/dd.err)"
vm_daemon_status_json
vm_expect_contains "status luns after eject" \
	'"luns":[{"function":"mass_storage.0","lun":0,"file":null,"ro":false}]' "$VM_STATUS"
vm_run vm_gadgetd msd eject 0
vm_expect_eq "second eject" "lun.0: no medium" "$VM_OUT"

# A file the kernel refuses (too small to be a medium) after ro was
# written: ro goes back, nothing changed.
vm_run_fails vm_gadgetd msd insert 0 /tmp/empty.img --ro
vm_expect_eq "insert of an empty file" "msd insert: $lun/file: too small to be a medium (ETOOSMALL)" "$VM_OUT"
vm_expect_eq "lun.0/ro restored" 0 "$(cat $lun/ro)"
vm_expect_eq "lun.0/file still empty" "" "$(cat $lun/file)"

# A relative FILE is the client's: made absolute before it is sent.
vm_run sh -c "cd /tmp && gadgetd $VM_GADGETD_GLOBAL msd insert 0 other.img --ro"
vm_expect_eq "insert answer" "lun.0: /tmp/other.img (read-only)" "$VM_OUT"
vm_expect_eq "lun.0/file" /tmp/other.img "$(cat $lun/file)"
vm_expect_eq "lun.0/ro" 1 "$(cat $lun/ro)"
vm_wait 10 "host /dev/$b with other.img: 12288 sectors, ro 1 (it shows $(cat /sys/class/block/$b/size) sectors, ro $(cat /sys/class/block/$b/ro))" \
	media_is 12288 1
vm_log "host: /dev/$b shows other.img (12288 sectors, ro) after $VM_WAITED s"
vm_run_fails dd if=/dev/zero of=/dev/$b bs=512 count=1 oflag=direct
vm_daemon_status_json
vm_expect_contains "status luns after insert" \
	'"luns":[{"function":"mass_storage.0","lun":0,"file":"/tmp/other.img","ro":true}]' "$VM_STATUS"
vm_run vm_gadgetd status
vm_expect_contains "status text" "/tmp/other.img" "$VM_OUT"

vm_daemon_stop
vm_wait_host_gone 5
