# apply.c (through the vm-apply tool) builds every shipped profile's
# gadget exactly as its `gadgetd plan` script does: the two configfs trees
# read back the same, attribute for attribute; the host enumerates the
# gadget; applier_remove() leaves configfs empty.
# vm: timeout=240
. "$VM_LIB/vm.sh"
. "$VM_LIB/plan.sh"

vm_need_gadgetd
vm_need_tool vm-apply
vm_plan_board_id 6666666666666666eeeeeeeeeeeeeeee
vm_udc
mkdir -p /var/lib/gadgetd
dd if=/dev/zero of=/var/lib/gadgetd/msd.img bs=1M count=2 2>/dev/null
dd if=/dev/zero of=/dev/mmcblk0 bs=1M count=2 2>/dev/null
dd if=/dev/zero of=/dev/nvme0n1 bs=1M count=1 2>/dev/null

for profile in ecm-only ecm+msd acm+ecm rndis-legacy ncm msd; do
	VM_HOST_DEV=
	vm_plan_apply $profile
	vm_plan_dump $VM_PLAN_GADGET >/tmp/tree-sh
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_plan_teardown $profile

	VM_HOST_DEV=
	vm_run vm-apply up $profile "$VM_UDC"
	vm_plan_dump $VM_PLAN_GADGET >/tmp/tree-apply
	vm_expect_eq "$profile: configfs entries (sh, apply)" \
		"$(wc -l </tmp/tree-sh)" "$(wc -l </tmp/tree-apply)"
	diff /tmp/tree-sh /tmp/tree-apply >/tmp/tree-diff || sed 's/^/    /' /tmp/tree-diff
	[ ! -s /tmp/tree-diff ] ||
		vm_fail "$profile: apply and the plan's sh differ: $(head -n 4 /tmp/tree-diff | tr '\n' ' ')"
	vm_log "ok: $profile: apply built what the sh script built ($(wc -l </tmp/tree-apply) entries)"
	vm_run vm-apply bound
	vm_expect_eq "$profile: vm-apply bound" "$VM_UDC" "$VM_OUT"
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_run vm-apply remove $profile
	vm_expect_eq "$profile: gadgets left after applier_remove" "" "$(ls $VM_GADGETS)"
	vm_wait_host_gone 5
done
