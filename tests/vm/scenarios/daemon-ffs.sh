# A FunctionFS profile: gadgetd mounts the function's FunctionFS and waits
# (waiting-udc, saying why) until the user-space function has written its
# descriptors; then it binds and the host enumerates the vendor interface.
# When that daemon exits the kernel unbinds the gadget and gadgetd waits
# again.  With no daemon at all the wait ends after ready_timeout with a
# message, and `gadgetd up` waits again.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_need_tool vm-ffs
vm_udc
cat >/tmp/ffs.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0105
product = gadgetd FunctionFS test
[config 1]
functions = ffs.test
[function ffs.test]
ready_timeout = 3
INI
vm_daemon_config profile=/tmp/ffs.ini
vm_daemon_start
vm_daemon_wait_state waiting-udc 5
vm_daemon_status_json
vm_expect_contains "status error while waiting" \
	"ffs.test: waiting for its daemon to write the descriptors (/dev/usb-ffs/test/ep1)" \
	"$(vm_json error)"
vm_expect_eq "UDC while waiting" "" "$(cat $VM_GADGETS/gadgetd/UDC)"
grep -q ' /dev/usb-ffs/test functionfs ' /proc/mounts ||
	vm_fail "no functionfs mounted on /dev/usb-ffs/test: $(grep usb-ffs /proc/mounts)"

start_ffs() {
	vm-ffs /dev/usb-ffs/test >/tmp/ffs.out 2>&1 &
	FFS_PID=$!
	vm_wait 5 "vm-ffs ready" grep -q ready /tmp/ffs.out
}

start_ffs
t0=$(vm__now_cs)
vm_daemon_wait_state configured 5
vm_log "figure: descriptors written to configured: $(vm__cs_to_s $(($(vm__now_cs) - t0))) s"
vm_wait_host_device 0x1d6b 0x0105 10
vm_host_expect_attr product "gadgetd FunctionFS test"
vm_expect_match "host interfaces" "1.0 ff *" "$(vm_host_interfaces)"
vm_daemon_expect error null

# The function's daemon goes away: the kernel unbinds, gadgetd waits.
kill "$FFS_PID"
wait "$FFS_PID"
vm_daemon_wait_state waiting-udc 5
vm_wait_host_gone 5
start_ffs
vm_daemon_wait_state configured 5
vm_wait_host_device 0x1d6b 0x0105 10

# Nobody writes descriptors: after ready_timeout (3 s) gadgetd says so.
kill "$FFS_PID"
wait "$FFS_PID"
vm_daemon_wait_state waiting-udc 5
vm_wait 6 "gadgetd gives up after ready_timeout" sh -c \
	"gadgetd $VM_GADGETD_GLOBAL status --json | grep -q 'no descriptors from its daemon'"
vm_log "gave up after $VM_WAITED s"
start_ffs
vm_run vm_gadgetd up
vm_daemon_wait_state configured 5
vm_wait_host_device 0x1d6b 0x0105 10

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
grep -q ' /dev/usb-ffs/test ' /proc/mounts &&
	vm_fail "functionfs still mounted on /dev/usb-ffs/test after SIGTERM"
kill "$FFS_PID" 2>/dev/null
wait "$FFS_PID" 2>/dev/null
true
