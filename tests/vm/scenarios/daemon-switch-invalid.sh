# A switch to an invalid profile: exit 1 with every FILE:LINE problem, and
# nothing in configfs changed (compared as a full listing with values);
# the host never sees the device leave.
# vm: timeout=60
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 5
host_dev=$VM_HOST_DEV
devnum=$(cat $host_dev/devnum)

cat >/tmp/bad.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = banana
[config 1]
functions = ecm.usb0 acm.nothere
[function ecm.usb0]
qmult = 5
INI
vm_configfs_listing >/tmp/before.txt
vm_run_fails vm_gadgetd switch /tmp/bad.ini
vm_expect_eq "switch exit status" 1 "$VM_RC"
vm_expect_contains "FILE:LINE of the bad value" "/tmp/bad.ini:3:" "$VM_OUT"
vm_expect_contains "FILE:LINE of the undefined function" "/tmp/bad.ini:5:" "$VM_OUT"
vm_configfs_listing >/tmp/after.txt
if ! cmp -s /tmp/before.txt /tmp/after.txt; then
	diff /tmp/before.txt /tmp/after.txt | head -n 20
	vm_fail "configfs changed by a switch to an invalid profile"
fi
vm_log "configfs unchanged ($(wc -l </tmp/before.txt) lines compared)"
vm_expect_eq "host device number (no re-enumeration)" "$devnum" "$(cat $host_dev/devnum)"

# A profile that does not exist: also exit 1, also nothing touched.
vm_run_fails vm_gadgetd switch no-such-profile
vm_expect_eq "switch to a missing profile" 1 "$VM_RC"
vm_expect_contains "missing profile message" "no-such-profile" "$VM_OUT"
vm_configfs_listing >/tmp/after2.txt
cmp -s /tmp/before.txt /tmp/after2.txt ||
	vm_fail "configfs changed by a switch to a missing profile"

vm_daemon_expect state configured
vm_daemon_expect profile ecm-only
vm_daemon_stop
