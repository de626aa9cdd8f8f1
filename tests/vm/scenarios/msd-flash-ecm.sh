# The flashing flow on the shipped ecm+msd profile.  The board starts
# without the image: the optional, removable LUN stays with no medium (the
# daemon logs why), and `msd insert` puts the image in later.  The host
# sees a network interface and a disk; it writes a known image through /dev/sdX
# (O_DIRECT, fsync) and the gadget's backing file then has the same
# sha256; it reads the image back with its caches out of the way.
# vm: timeout=180
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
mkdir -p /var/lib/gadgetd
backing=/var/lib/gadgetd/msd.img
rm -f $backing
kib=4096

vm_daemon_start --profile ecm+msd 2>/tmp/daemon.log
vm_expect_contains "daemon log says why lun.0 is empty" \
	"lun.0 of mass_storage.0 has no medium: $backing does not exist" \
	"$(cat /tmp/daemon.log)"
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Ethernet + Storage"
vm_wait_host_drivers 20 cdc_ether usb-storage
vm_host_netdev
vm_daemon_status_json
vm_expect_contains "status luns without the image" \
	'"luns":[{"function":"mass_storage.0","lun":0,"file":null,"ro":false}]' "$VM_STATUS"

truncate -s 4M $backing
vm_run vm_gadgetd msd insert 0 $backing
vm_host_block_dev 0 20
b=$VM_HOST_BLOCK
vm_expect_eq "host /dev/$b sectors" $((kib * 2)) "$(cat /sys/class/block/$b/size)"
vm_expect_eq "host /dev/$b ro" 0 "$(cat /sys/class/block/$b/ro)"
vm_daemon_wait_state configured 10

# A known image as large as the disk: numbered lines, so a block at the
# wrong offset changes the hash.
vm__pattern flash $kib >/tmp/known.img
want=$(vm__sha </tmp/known.img)
vm_expect_eq "known image size" $((kib * 1024)) "$(wc -c </tmp/known.img)"
vm_expect_ne "backing file before the flash" "$want" "$(vm__sha <$backing)"

start=$(vm__now_cs)
vm_run dd if=/tmp/known.img of=/dev/$b bs=64k oflag=direct conv=fsync
vm_log "figure: host wrote $kib KiB through /dev/$b in $(vm__cs_to_s $(($(vm__now_cs) - start))) s"
# O_DIRECT and fsync on the host: every block crossed USB before dd
# returned, none waits in the host's page cache.  The guest's root is an
# initramfs, whose page cache is the storage: the gadget's file holds
# what the kernel's mass-storage function wrote into it.
sync
vm_expect_eq "sha256 of the gadget's backing file after the flash" "$want" "$(vm__sha <$backing)"
vm_expect_eq "backing file size unchanged" $((kib * 1024)) "$(wc -c <$backing)"

# And back: the host reads the disk with O_DIRECT (no host page cache).
got=$(dd if=/dev/$b bs=64k iflag=direct 2>/dev/null | vm__sha)
vm_expect_eq "sha256 of /dev/$b read back by the host" "$want" "$got"

vm_daemon_status_json
vm_expect_contains "status luns" \
	"\"luns\":[{\"function\":\"mass_storage.0\",\"lun\":0,\"file\":\"$backing\",\"ro\":false}]" \
	"$VM_STATUS"
vm_daemon_stop
vm_wait_host_gone 5
