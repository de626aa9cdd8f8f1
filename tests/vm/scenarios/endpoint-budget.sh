# The endpoint budget: a profile whose configuration needs more endpoints
# than the UDC has (7 CDC-ECM functions: 14 IN endpoints, dummy_udc has
# 12) is refused by `check --udc dummy_udc.0` and by `switch` before
# configfs is touched, naming what it needs and what the UDC has, and the
# running gadget stays as the host sees it.  One function fewer fits: the
# switch binds and the host enumerates all 12 interfaces (the kernel's own
# limit, kernel-side, matches the table).  uac2 is refused for want of
# isochronous endpoints.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 10
before=$(vm_configfs_listing)

# N ECM functions in config 1 (link = manual: nothing to bring up).
ecms() {
	printf '[gadget]\nvendor_id = 0x1d6b\nproduct_id = 0x0104\nproduct = %s ECM\n[config 1]\nfunctions =' "$1"
	i=0
	while [ $i -lt "$1" ]; do printf ' ecm.e%d' $i; i=$((i + 1)); done
	printf '\n'
	i=0
	while [ $i -lt "$1" ]; do printf '[function ecm.e%d]\nlink = manual\n' $i; i=$((i + 1)); done
}
ecms 7 >/tmp/seven.ini
ecms 6 >/tmp/six.ini
printf '[gadget]\nvendor_id = 0x1d6b\nproduct_id = 0x0104\n[config 1]\nfunctions = uac2.a\n[function uac2.a]\n' >/tmp/audio.ini
want="/tmp/seven.ini:5: [config 1] needs 14 IN endpoints (7 bulk, 7 interrupt), more than UDC $VM_UDC has: 12 (4 bulk, 3 interrupt, 5 bulk or interrupt)"

vm_run_fails vm_gadgetd check --udc "$VM_UDC" /tmp/seven.ini
vm_expect_eq "check --udc of 7 ECM functions: exit status" 1 "$VM_RC"
vm_expect_eq "check --udc of 7 ECM functions" "$want" "$VM_OUT"
vm_run vm_gadgetd check /tmp/seven.ini
vm_run_fails vm_gadgetd switch /tmp/seven.ini
vm_expect_eq "switch to 7 ECM functions: exit status" 1 "$VM_RC"
vm_expect_contains "switch to 7 ECM functions" "$want" "$VM_OUT"
vm_expect_eq "configfs after the refused switch" "$before" "$(vm_configfs_listing)"
vm_daemon_expect profile ecm-only
vm_daemon_expect state configured
vm_host_expect_attr product "gadgetd Ethernet (ECM)"

vm_run_fails vm_gadgetd switch /tmp/audio.ini
vm_expect_contains "switch to uac2" "needs 2 isochronous IN endpoints, and UDC $VM_UDC has none that can be isochronous" "$VM_OUT"
vm_expect_eq "configfs after the refused uac2" "$before" "$(vm_configfs_listing)"

# One fewer fits, here and in the kernel.
vm_run vm_gadgetd check --udc "$VM_UDC" /tmp/six.ini
vm_run vm_gadgetd switch /tmp/six.ini
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "6 ECM"
interfaces() { VM_WAIT_SAW=$(vm_host_interfaces | wc -l); [ "$VM_WAIT_SAW" = 12 ]; }
vm_wait 10 "the host seeing 12 interfaces" interfaces
vm_daemon_stop
