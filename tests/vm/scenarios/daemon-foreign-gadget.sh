# A gadget made by hand in configfs holds the only UDC: gadgetd never
# touches it, waits in waiting-udc and reports who holds the UDC; when the
# foreign gadget unbinds, gadgetd binds without any command.  Logs which
# kernel notifications arrived (uevent and/or POLLPRI on the UDC state).
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
vm_gadget_create g1 0x1d6b 0x0101
vm_gadget_function acm.GS0
vm_gadget_config_add acm.GS0
vm_gadget_bind
vm_wait_host_device 0x1d6b 0x0101 10
vm_configfs_listing | grep "/g1" >/tmp/g1-before.txt

vm_daemon_start
vm_daemon_wait_state waiting-udc 5
vm_daemon_status_json
vm_log "status --json: $VM_STATUS"
vm_expect_contains "status error" "udc $VM_UDC: held by gadget g1" "$(vm_json error)"
vm_expect_eq "status udc" null "$(vm_json udc)"
vm_expect_eq "our gadget's UDC" "" "$(cat $VM_GADGETS/gadgetd/UDC)"
vm_expect_eq "foreign gadget's UDC" "$VM_UDC" "$(cat $VM_GADGETS/g1/UDC)"
vm_configfs_listing | grep "/g1" >/tmp/g1-during.txt
cmp -s /tmp/g1-before.txt /tmp/g1-during.txt ||
	vm_fail "gadgetd changed the foreign gadget g1"
vm_host_expect_attr idProduct 0101

t0=$(vm__now_cs)
vm_write "" $VM_GADGETS/g1/UDC
vm_daemon_wait_state configured 10
vm_log "figure: foreign unbind to configured: $(vm__cs_to_s $(($(vm__now_cs) - t0))) s"
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_daemon_expect error null
vm_expect_eq "gadgets" "g1 gadgetd" "$(vm_gadgets)"

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" g1 "$(vm_gadgets)"
vm_gadget_teardown g1
