# Export round-trip through the daemon: the live gadget gadgetd built from
# acm+ecm, exported as an INI profile and switched to, gives the same
# configfs tree (every attribute, MACs and strings included) and the same
# device on the host; exporting it again gives the same profile.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config profile=acm+ecm
vm_daemon_start
vm_daemon_wait_state configured 10
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_acm cdc_ether
vm_configfs_listing | grep -v '/UDC = ' >/tmp/before.txt
host_product=$(vm_host_attr product)
host_serial=$(vm_host_attr serial)

vm_run vm_gadgetd export gadgetd
printf '%s\n' "$VM_OUT" >/tmp/exported.ini
vm_run vm_gadgetd check /tmp/exported.ini
vm_run vm_gadgetd switch /tmp/exported.ini
vm_daemon_wait_state configured 10
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_acm cdc_ether
vm_daemon_expect profile exported
vm_host_expect_attr product "$host_product"
vm_host_expect_attr serial "$host_serial"

vm_configfs_listing | grep -v '/UDC = ' >/tmp/after.txt
if ! cmp -s /tmp/before.txt /tmp/after.txt; then
	diff /tmp/before.txt /tmp/after.txt | head -n 20
	vm_fail "configfs from the exported profile differs from the original"
fi
vm_log "configfs from the exported profile equals the original ($(wc -l </tmp/before.txt) lines)"

vm_run vm_gadgetd export gadgetd
printf '%s\n' "$VM_OUT" >/tmp/exported2.ini
if ! cmp -s /tmp/exported.ini /tmp/exported2.ini; then
	diff /tmp/exported.ini /tmp/exported2.ini | head -n 20
	vm_fail "a second export differs from the first"
fi
vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
