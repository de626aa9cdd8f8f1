# export of a LUN's inquiry_string on the kernel's own configfs: the kernel
# reads the attribute back padded with spaces to 28 characters ("VM disk" +
# 21 spaces), which the profile must get back as "VM disk".
# vm: timeout=60
. "$VM_LIB/vm.sh"

vm_need_tool vm-export
dd if=/dev/zero of=/tmp/lun0.img bs=1M count=1 2>/dev/null
vm_gadget_create g1 0x1d6b 0x0104
vm_gadget_function mass_storage.0
lun=$VM_GADGET/functions/mass_storage.0/lun.0
vm_write /tmp/lun0.img $lun/file
vm_write "VM disk" $lun/inquiry_string
vm_expect_eq "the kernel's inquiry_string" "VM disk                     |" "$(cat $lun/inquiry_string)|"
vm_gadget_config_add mass_storage.0
vm_gadget_bind
vm_wait_host_device 0x1d6b 0x0104 10

vm-export g1 >/tmp/got.ini 2>/tmp/export.err
rc=$?
sed 's/^/    | /' /tmp/export.err /tmp/got.ini
[ $rc = 0 ] || vm_fail "vm-export g1 exited with status $rc, expected 0: $(grep -v '^$' /tmp/export.err | head -n 1)"
vm_expect_eq "exported inquiry_string" "lun.0.inquiry_string = VM disk" \
	"$(grep '^lun.0.inquiry_string' /tmp/got.ini)"
vm_gadget_teardown g1
