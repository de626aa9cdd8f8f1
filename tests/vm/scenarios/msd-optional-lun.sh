# The shipped msd profile on a board without NVMe: lun.1 is optional and
# its file absent, so the daemon leaves it out and logs why; the host sees
# one disk (LUN 0) that carries data both ways, `msd` on LUN 1 names the
# missing configfs path, status lists one LUN, and the fixed LUN 0 can be
# ejected.
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/storage.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
# Stand-ins for the board's block devices: eMMC present, NVMe absent.
dd if=/dev/zero of=/dev/mmcblk0 bs=1M count=4 2>/dev/null
rm -f /dev/nvme0n1
truncate -s 2M /tmp/x.img
ms=$VM_GADGETS/gadgetd/functions/mass_storage.0

vm_daemon_start --profile msd 2>/tmp/daemon.log
vm_log "daemon log:"
sed 's/^/    | /' /tmp/daemon.log
vm_expect_contains "daemon log says why lun.1 is missing" \
	"lun.1 of mass_storage.0 skipped: /dev/nvme0n1 does not exist" \
	"$(cat /tmp/daemon.log)"
# One severity label per line: the log's, not diag's a second time.
vm_expect_match "the skip's log line" \
	"gadgetd: warning: */msd.ini:[0-9]*: lun.1 of mass_storage.0 skipped: *" \
	"$(grep 'lun.1 of mass_storage.0 skipped' /tmp/daemon.log)"
vm_expect_file "configfs lun.0" $ms/lun.0
vm_expect_no_file "configfs lun.1" $ms/lun.1

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_block_dev 0 20
vm_expect_eq "host LUN 0 sectors" 8192 "$(cat /sys/class/block/$VM_HOST_BLOCK/size)"
luns=$(ls -d "$VM_HOST_DEV"/"${VM_HOST_DEV##*/}":*/host*/target*/*:*:*:* 2>/dev/null | wc -l)
vm_expect_eq "SCSI devices the host found" 1 "$luns"
vm_host_block_check $VM_HOST_BLOCK /dev/mmcblk0 128

vm_run_fails vm_gadgetd msd insert 1 /tmp/x.img
vm_expect_eq "insert into the skipped LUN" \
	"msd insert: mass_storage.0 has no LUN 1: $ms/lun.1: No such file or directory" "$VM_OUT"
vm_daemon_status_json
vm_expect_contains "status luns" \
	'"luns":[{"function":"mass_storage.0","lun":0,"file":"/dev/mmcblk0","ro":false}]' "$VM_STATUS"

# lun.0 is not removable, yet the kernel takes forced_eject there too
# (the board gets its eMMC back); the host's reads then fail.
vm_run vm_gadgetd msd eject 0
vm_expect_eq "eject of the fixed LUN" "lun.0: ejected /dev/mmcblk0" "$VM_OUT"
vm_expect_eq "lun.0/file after eject" "" "$(cat $ms/lun.0/file)"
vm_run_fails dd if=/dev/$VM_HOST_BLOCK of=/dev/null bs=4096 count=1 iflag=direct
vm_log "host read of the fixed LUN without medium: $(vm__first_line "$VM_OUT")"

vm_daemon_stop
vm_wait_host_gone 5
