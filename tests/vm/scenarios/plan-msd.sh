# `gadgetd plan msd` as sh, on a board without NVMe and then with it: the
# optional lun.1 is skipped with a warning (one LUN on the host), then
# present (two LUNs, each with its inquiry string and size).  The block
# devices are stand-in files at the profile's paths.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/plan.sh"

vm_need_gadgetd
vm_plan_board_id 5555555555555555dddddddddddddddd

dd if=/dev/zero of=/dev/mmcblk0 bs=1M count=4 2>/dev/null
rm -f /dev/nvme0n1
vm_plan_apply msd
vm_expect_contains "plan warning" \
	"lun.1 of mass_storage.0 skipped: /dev/nvme0n1 does not exist" "$VM_PLAN_ERR"
vm_expect_no_file "lun.1 without NVMe" $VM_PLAN_GADGET/functions/mass_storage.0/lun.1
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_block_dev 0
vm_expect_eq "host LUN 0 size (512-byte sectors)" 8192 \
	"$(cat /sys/class/block/$VM_HOST_BLOCK/size)"
vm_expect_eq "host LUN 0 vendor and model" "gadgetd eMMC" "$(vm_plan_host_scsi 0)"
vm_expect_eq "host LUN 1 without NVMe" "" "$(vm_plan_host_scsi 1)"
vm_host_block_check $VM_HOST_BLOCK /dev/mmcblk0 128
vm_plan_teardown msd

dd if=/dev/zero of=/dev/nvme0n1 bs=1M count=2 2>/dev/null
VM_HOST_DEV=
vm_plan_apply msd
vm_expect_eq "plan warnings with NVMe" "" "$VM_PLAN_ERR"
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_block_dev 1
vm_expect_eq "host LUN 1 size (512-byte sectors)" 4096 \
	"$(cat /sys/class/block/$VM_HOST_BLOCK/size)"
vm_expect_eq "host LUN 1 vendor and model" "gadgetd NVMe" "$(vm_plan_host_scsi 1)"
vm_host_block_check $VM_HOST_BLOCK /dev/nvme0n1 128
vm_plan_teardown msd
