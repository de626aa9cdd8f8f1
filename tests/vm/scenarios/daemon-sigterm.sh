# SIGTERM (and SIGINT): the daemon unbinds and removes its gadget and exits
# 0; the host sees the device leave.  With keep_on_exit = yes the gadget
# stays bound and the host keeps it.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config

vm_daemon_start_fg
vm_daemon_wait_state configured 10
vm_wait_host_device 0x1d6b 0x0104 10
kill -TERM "$VM_DAEMON_PID"
wait "$VM_DAEMON_PID"
vm_expect_eq "exit status after SIGTERM" 0 "$?"
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
vm_wait_host_gone 5
vm_expect_no_file "socket removed" /run/gadgetd/gadgetd.sock

vm_daemon_start_fg
vm_daemon_wait_state configured 10
vm_wait_host_device 0x1d6b 0x0104 10
kill -INT "$VM_DAEMON_PID"
wait "$VM_DAEMON_PID"
vm_expect_eq "exit status after SIGINT" 0 "$?"
vm_expect_eq "gadgets after SIGINT" "" "$(vm_gadgets)"
vm_wait_host_gone 5

vm_daemon_config keep_on_exit=yes
vm_daemon_start_fg
vm_daemon_wait_state configured 10
vm_wait_host_device 0x1d6b 0x0104 10
devnum=$(cat $VM_HOST_DEV/devnum)
kill -TERM "$VM_DAEMON_PID"
wait "$VM_DAEMON_PID"
vm_expect_eq "exit status after SIGTERM with keep_on_exit" 0 "$?"
vm_expect_eq "gadgets after SIGTERM with keep_on_exit" gadgetd "$(vm_gadgets)"
vm_expect_eq "still bound" "$VM_UDC" "$(cat $VM_GADGETS/gadgetd/UDC)"
vm_expect_eq "host keeps the device" "$devnum" "$(cat $VM_HOST_DEV/devnum)"
vm_expect_eq "host device still configured" 1 "$(cat $VM_HOST_DEV/bConfigurationValue)"
vm_gadget_teardown gadgetd
vm_wait_host_gone 5
