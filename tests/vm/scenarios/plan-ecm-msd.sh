# `gadgetd plan ecm+msd` as sh.  Without its image the optional, removable
# LUN stays with no medium (a warning says so) and the host sees an empty
# drive with the profile's inquiry string; with the image, data crosses
# USB both ways.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/plan.sh"

vm_need_gadgetd
vm_plan_board_id 4444444444444444cccccccccccccccc
img=/var/lib/gadgetd/msd.img

rm -f $img
vm_plan_apply ecm+msd
vm_expect_contains "plan warning" \
	"lun.0 of mass_storage.0 has no medium: $img does not exist" "$VM_PLAN_ERR"
vm_expect_eq "lun.0/file without the image" "" \
	"$(cat $VM_PLAN_GADGET/functions/mass_storage.0/lun.0/file)"
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether usb-storage
vm_wait 10 "host: no SCSI device for LUN 0" vm_plan_host_scsi 0
vm_expect_eq "host SCSI vendor and model (inquiry_string)" "gadgetd Image" \
	"$(vm_plan_host_scsi 0)"
vm_plan_teardown ecm+msd

mkdir -p ${img%/*}
dd if=/dev/zero of=$img bs=1M count=4 2>/dev/null
VM_HOST_DEV=
vm_plan_apply ecm+msd
vm_expect_eq "plan warnings with the image" "" "$VM_PLAN_ERR"
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_block_dev 0
vm_expect_eq "host block device size (512-byte sectors)" 8192 \
	"$(cat /sys/class/block/$VM_HOST_BLOCK/size)"
vm_host_block_check $VM_HOST_BLOCK $img 256
vm_plan_teardown ecm+msd
