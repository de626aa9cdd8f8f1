# gadgetd killed with SIGKILL while bound leaves its gadget behind; started
# again it removes the leftover and builds it anew: one gadget, whole, and
# the host enumerates it again.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 5
vm_configfs_listing >/tmp/first.txt

kill -KILL "$VM_DAEMON_PID"
vm_wait 5 "gadgetd gone after SIGKILL" vm__pid_gone "$VM_DAEMON_PID"
vm_expect_eq "gadget left by the killed daemon" "$VM_UDC" "$(cat $VM_GADGETS/gadgetd/UDC)"
vm_expect_file "socket file left behind" /run/gadgetd/gadgetd.sock
old_devnum=$(cat $VM_HOST_DEV/devnum)

vm_daemon_start
vm_daemon_wait_state configured 10
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_expect_ne "host device number (re-enumerated)" "$old_devnum" "$(cat $VM_HOST_DEV/devnum)"
vm_expect_eq "gadgets" gadgetd "$(vm_gadgets)"
vm_configfs_listing >/tmp/second.txt
if ! cmp -s /tmp/first.txt /tmp/second.txt; then
	diff /tmp/first.txt /tmp/second.txt | head -n 20
	vm_fail "the rebuilt gadget differs from the first one"
fi
vm_log "rebuilt gadget equals the first one ($(wc -l </tmp/first.txt) lines compared)"
vm_daemon_status_json
vm_expect_eq "status error" null "$(vm_json error)"
vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
