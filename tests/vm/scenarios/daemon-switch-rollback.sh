# A switch the kernel refuses: rndis-legacy on a kernel without
# usb_f_rndis.  The client exits 1 with one line naming the errno text and
# the configfs path, the previous profile (ecm-only) is bound again and the
# host sees it, and status keeps the error.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
vm_remove_module usb_f_rndis
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 5

vm_run_fails vm_gadgetd switch rndis-legacy
vm_expect_eq "switch exit status" 1 "$VM_RC"
vm_expect_eq "error lines" 1 "$(printf '%s\n' "$VM_OUT" | wc -l)"
vm_expect_contains "error names the function" \
	"$VM_GADGETS/gadgetd/functions/rndis.usb0" "$VM_OUT"
vm_expect_contains "error has the errno text" "No such" "$VM_OUT"
vm_expect_contains "error says what was restored" \
	"previous profile ecm-only bound again" "$VM_OUT"
rndis_error=$VM_OUT

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Ethernet (ECM)"
vm_wait_host_drivers 10 cdc_ether
vm_daemon_wait_state configured 5
vm_daemon_status_json
vm_log "status --json: $VM_STATUS"
vm_expect_eq "status profile" ecm-only "$(vm_json profile)"
vm_expect_contains "status error" "functions/rndis.usb0" "$(vm_json error)"
vm_expect_eq "functions in configfs" ecm.usb0 "$(ls $VM_GADGETS/gadgetd/functions)"
vm_expect_eq "gadgets" gadgetd "$(vm_gadgets)"

# The error stays until the next successful apply.
vm_run vm_gadgetd switch ncm
vm_daemon_wait_state configured 10
vm_daemon_expect error null
vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
