# A profile's LUN keys as the host sees them: a read-only disk, a CD-ROM
# and a disk with nofua, each with its inquiry string; status --json lists
# each LUN with its file and ro.
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/storage.sh"

vm_need_gadgetd
vm_udc
mkdir -p /tmp/profiles
cat >/tmp/profiles/luns.ini <<'INI'
[profile]
description = LUN attributes

[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
product = gadgetd LUNs

[config 1]
name = Mass Storage
functions = mass_storage.luns

[function mass_storage.luns]
lun.0.file = /tmp/ro.img
lun.0.ro = yes
lun.0.removable = no
lun.0.inquiry_string = gadgetd ReadOnly
lun.1.file = /tmp/cd.iso
lun.1.cdrom = yes
lun.1.removable = yes
lun.1.inquiry_string = gadgetd CD
lun.2.file = /tmp/fua.img
lun.2.nofua = yes
lun.2.removable = no
INI
vm_daemon_config "profile_dirs=/tmp/profiles"
truncate -s 1M /tmp/ro.img
truncate -s 2M /tmp/cd.iso
truncate -s 3M /tmp/fua.img
ms=$VM_GADGETS/gadgetd/functions/mass_storage.luns

vm_daemon_start --profile luns
vm_expect_eq "lun.0 ro cdrom nofua removable" "1 0 0 0" \
	"$(cat $ms/lun.0/ro) $(cat $ms/lun.0/cdrom) $(cat $ms/lun.0/nofua) $(cat $ms/lun.0/removable)"
vm_expect_eq "lun.1 ro cdrom removable" "1 1 1" \
	"$(cat $ms/lun.1/ro) $(cat $ms/lun.1/cdrom) $(cat $ms/lun.1/removable)"
vm_expect_eq "lun.2 ro cdrom nofua removable" "0 0 1 0" \
	"$(cat $ms/lun.2/ro) $(cat $ms/lun.2/cdrom) $(cat $ms/lun.2/nofua) $(cat $ms/lun.2/removable)"
# The kernel sets ro with cdrom = 1, and a later ro = 0 would clear it
# again: the plan writes ro = 1 for a cdrom LUN, so status says ro too.

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_block_dev 0 20
b0=$VM_HOST_BLOCK
vm_host_block_dev 2 20
b2=$VM_HOST_BLOCK
vm_host_block_dev 1 20
b1=$VM_HOST_BLOCK
vm_expect_eq "host LUN 0 inquiry" "gadgetd ReadOnly" "$(vm_host_scsi_attr 0 vendor) $(vm_host_scsi_attr 0 model)"
vm_expect_eq "host LUN 1 inquiry" "gadgetd CD" "$(vm_host_scsi_attr 1 vendor) $(vm_host_scsi_attr 1 model)"
vm_expect_eq "host LUN 0 SCSI type (disk)" 0 "$(vm_host_scsi_attr 0 type)"
vm_expect_eq "host LUN 1 SCSI type (CD-ROM)" 5 "$(vm_host_scsi_attr 1 type)"
vm_expect_eq "host LUN 2 SCSI type (disk)" 0 "$(vm_host_scsi_attr 2 type)"
vm_expect_match "host LUN 1 block device" "sr*" "$b1"
vm_expect_eq "host LUN 0 removable" 0 "$(cat /sys/class/block/$b0/removable)"
vm_expect_eq "host LUN 1 removable" 1 "$(cat /sys/class/block/$b1/removable)"

vm_expect_eq "host /dev/$b0 (ro.img) ro" 1 "$(cat /sys/class/block/$b0/ro)"
vm_expect_eq "host /dev/$b0 sectors" 2048 "$(cat /sys/class/block/$b0/size)"
vm_run_fails dd if=/dev/zero of=/dev/$b0 bs=512 count=1 oflag=direct
vm_expect_eq "host /dev/$b1 (cd.iso) ro" 1 "$(cat /sys/class/block/$b1/ro)"
vm_expect_eq "host /dev/$b1 sectors" 4096 "$(cat /sys/class/block/$b1/size)"
vm_expect_eq "host /dev/$b2 (fua.img) ro" 0 "$(cat /sys/class/block/$b2/ro)"
vm_expect_eq "host /dev/$b2 sectors" 6144 "$(cat /sys/class/block/$b2/size)"
vm_host_block_check $b2 /tmp/fua.img 64

vm_daemon_status_json
vm_expect_contains "status lun 0" \
	'{"function":"mass_storage.luns","lun":0,"file":"/tmp/ro.img","ro":true}' "$VM_STATUS"
vm_expect_contains "status lun 1" \
	'{"function":"mass_storage.luns","lun":1,"file":"/tmp/cd.iso","ro":true}' "$VM_STATUS"
vm_expect_contains "status lun 2" \
	'{"function":"mass_storage.luns","lun":2,"file":"/tmp/fua.img","ro":false}]' "$VM_STATUS"

vm_daemon_stop
vm_wait_host_gone 5
