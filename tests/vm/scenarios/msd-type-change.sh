# Mass storage at run time (gadgetd(8), msd insert): two mass_storage
# functions changed independently, by name, and changes of type and
# access the kernel allows only without a medium.  `msd insert cd:0 ISO
# --cdrom` turns the second function's disk into a CD-ROM: the daemon
# takes the medium out, sets cdrom, inserts the ISO and replugs, and the
# host then sees SCSI type 5 (sr) reading the ISO, while the first
# function's disk stays type 0 with its data.  `msd insert disk:0 IMG
# --ro` protects the first disk without a replug (removable: the host
# sees it from the sense data); `--disk --rw` turns the CD-ROM back.
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/storage.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
truncate -s 4M /tmp/a.img /tmp/b.img
printf 'DISK-A' | dd of=/tmp/a.img conv=notrunc 2>/dev/null
head -c 4194304 /dev/urandom >/tmp/c.iso
cat >/tmp/two.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
product = gadgetd two disks
[config 1]
functions = mass_storage.disk mass_storage.cd
[function mass_storage.disk]
lun.0.file = /tmp/a.img
lun.0.removable = yes
[function mass_storage.cd]
lun.0.file = /tmp/b.img
lun.0.removable = yes
INI
vm_run gadgetd check /tmp/two.ini
vm_daemon_config profile=/tmp/two.ini
vm_daemon_start
g=$VM_GADGETS/gadgetd

# The host's SCSI device of interface N's LUN 0, and its block device.
scsi_dir() {
	local d
	for d in "$VM_HOST_DEV"/"${VM_HOST_DEV##*/}":1."$1"/host*/target*/*:*:*:0; do
		[ -e "$d/type" ] && { printf '%s\n' "$d"; return 0; }
	done
	return 1
}
scsi_type_is() {
	local d
	d=$(scsi_dir "$1") && [ "$(cat "$d/type")" = "$2" ]
}
block_of() {
	local b
	for b in "$(scsi_dir "$1")"/block/*; do
		[ -e "$b" ] && { printf '%s\n' "${b##*/}"; return 0; }
	done
	return 1
}
# A removable medium's host looks again when the device is opened.
block_ro_is() {
	local b
	b=$(block_of "$1") || return 1
	dd if=/dev/$b of=/dev/null bs=512 count=1 2>/dev/null
	[ "$(cat /sys/class/block/$b/ro)" = "$2" ] && [ "$(cat /sys/class/block/$b/size)" != 0 ]
}

vm_wait_host_device 0x1d6b 0x0104 10
vm_wait 20 "host: interface 0 LUN 0 is a disk" scsi_type_is 0 0
vm_wait 20 "host: interface 1 LUN 0 is a disk" scsi_type_is 1 0
vm_wait 10 "host: the first disk read-write" block_ro_is 0 0

# The second function becomes a CD-ROM: out, cdrom, in, replug.
vm_run vm_gadgetd msd insert cd:0 /tmp/c.iso --cdrom
vm_expect_contains "insert --cdrom answer" \
	"lun.0: /tmp/c.iso (cdrom, read-only); the host enumerates the gadget again to see it" "$VM_OUT"
vm_expect_eq "configfs cd lun.0/cdrom" 1 "$(cat $g/functions/mass_storage.cd/lun.0/cdrom)"
vm_expect_eq "configfs cd lun.0/ro" 1 "$(cat $g/functions/mass_storage.cd/lun.0/ro)"
vm_expect_eq "configfs disk lun.0/cdrom" 0 "$(cat $g/functions/mass_storage.disk/lun.0/cdrom)"
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait 20 "host: interface 1 LUN 0 is a CD-ROM (type 5) after the replug" scsi_type_is 1 5
vm_wait 20 "host: interface 0 LUN 0 still a disk" scsi_type_is 0 0
sr=$(block_of 1) || vm_fail "host: no block device for the CD-ROM"
vm_wait_path /dev/$sr 5
vm_expect_eq "host /dev/$sr reads the ISO" "$(head -c 2048 /tmp/c.iso | sha256sum | cut -d' ' -f1)" \
	"$(dd if=/dev/$sr bs=2048 count=1 2>/dev/null | sha256sum | cut -d' ' -f1)"
sd=$(block_of 0) || vm_fail "host: no block device for the disk"
vm_expect_eq "host /dev/$sd keeps DISK-A" DISK-A "$(dd if=/dev/$sd bs=6 count=1 2>/dev/null)"

# The first disk read-only, without a replug.
vm_run vm_gadgetd msd insert disk:0 /tmp/a.img --ro
vm_expect_eq "insert --ro answer" "lun.0: /tmp/a.img (read-only)" "$VM_OUT"
vm_wait 10 "host: the first disk read-only" block_ro_is 0 1
vm_run_fails dd if=/dev/zero of=/dev/$(block_of 0) bs=512 count=1 oflag=direct
vm_expect_eq "host: the CD-ROM untouched (type 5)" 5 "$(cat "$(scsi_dir 1)/type")"

# And the CD-ROM back to a read-write disk.
vm_run vm_gadgetd msd insert mass_storage.cd:0 /tmp/b.img --disk --rw
vm_expect_contains "insert --disk answer" \
	"lun.0: /tmp/b.img (disk); the host enumerates the gadget again to see it" "$VM_OUT"
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait 20 "host: interface 1 LUN 0 a disk again" scsi_type_is 1 0
vm_wait 10 "host: the second disk read-write" block_ro_is 1 0
vm_run dd if=/dev/zero of=/dev/$(block_of 1) bs=512 count=1 oflag=direct
vm_daemon_status_json
vm_expect_contains "status luns" \
	'{"function":"mass_storage.disk","lun":0,"file":"/tmp/a.img","ro":true}' "$VM_STATUS"
vm_expect_contains "status luns" \
	'{"function":"mass_storage.cd","lun":0,"file":"/tmp/b.img","ro":false}' "$VM_STATUS"
vm_daemon_stop
