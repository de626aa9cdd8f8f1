# A foreign gadget with a function libusbgx 0.2.0 does not know (printer)
# makes usbg_init() fail for all of configfs; apply's private view keeps
# gadgetd working and never touches the foreign gadget.  A gadget left by
# a killed process (bound, two LUNs, a FunctionFS mount) is removed
# without its plan, mount included.
# vm: timeout=120
. "$VM_LIB/vm.sh"

vm_need_gadgetd
vm_need_tool vm-apply
vm_udc

other=$VM_GADGETS/other
mkdir $other $other/functions/printer.0 $other/configs/c.1 ||
	vm_fail "mkdir of the foreign gadget failed"
ln -s $other/functions/printer.0 $other/configs/c.1/

vm_run vm-apply up ecm-only "$VM_UDC"
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_run vm-apply remove ecm-only
vm_wait_host_gone 5
vm_expect_eq "gadgets left: the foreign one" other "$(ls $VM_GADGETS)"
vm_expect_file "the foreign gadget's link" $other/configs/c.1/printer.0

# The leftover: msd with both LUNs, bound, plus a FunctionFS function
# mounted; built by one process, removed by another that has no plan.
dd if=/dev/zero of=/dev/mmcblk0 bs=1M count=2 2>/dev/null
dd if=/dev/zero of=/dev/nvme0n1 bs=1M count=1 2>/dev/null
cat >/tmp/leftover.ini <<'INI'
[config 1]
functions = mass_storage.0 ffs.left
[function mass_storage.0]
lun.0.file = /dev/mmcblk0
lun.1.file = /dev/nvme0n1
[function ffs.left]
mountpoint = /tmp/ffs-left
INI
vm_run vm-apply build /tmp/leftover.ini
vm_expect_file "lun.1 of the leftover" $VM_GADGETS/gadgetd/functions/mass_storage.0/lun.1
vm_expect_contains "FunctionFS mounted" "left /tmp/ffs-left functionfs" "$(cat /proc/mounts)"
vm_run vm-apply remove
vm_expect_eq "gadgets left: the foreign one" other "$(ls $VM_GADGETS)"
case "$(cat /proc/mounts)" in
*"/tmp/ffs-left"*) vm_fail "the leftover's FunctionFS is still mounted" ;;
esac
vm_gadget_teardown other
