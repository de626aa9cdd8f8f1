# `gadgetd switch acm+ecm` on a running ecm-only gadget: the host
# re-enumerates with a serial port (/dev/ttyACM0, data crosses it) and a
# network interface, and `status` follows.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Ethernet (ECM)"
vm_daemon_wait_state configured 5
old_dev=$VM_HOST_DEV

start=$(vm__now_cs)
vm_run vm_gadgetd switch acm+ecm
vm_log "figure: switch returned after $(vm__cs_to_s $(($(vm__now_cs) - start))) s"
vm_expect_match "switch answer" "acm+ecm: *" "$VM_OUT"
# Same VID:PID, so wait for the product string to change.
vm_wait 10 "host re-enumerated with acm+ecm" sh -c \
	"grep -qx 'gadgetd Serial + Ethernet' $old_dev/product 2>/dev/null || \
	 grep -qx 'gadgetd Serial + Ethernet' /sys/bus/usb/devices/1-1/product"
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Serial + Ethernet"
vm_wait_host_drivers 10 cdc_acm cdc_ether
vm_wait_path /dev/ttyACM0 5
vm_wait_path /dev/ttyGS0 5
vm_serial_echo /dev/ttyACM0 /dev/ttyGS0
vm_host_netdev
vm_daemon_wait_state configured 5

vm_daemon_status_json
vm_log "status --json: $VM_STATUS"
vm_expect_eq "status profile" acm+ecm "$(vm_json profile)"
vm_expect_contains "status acm function" '{"name":"acm.GS0","type":"acm"}' "$VM_STATUS"
vm_gadget_netdev $VM_GADGETS/gadgetd/functions/ecm.usb0
vm_expect_contains "status ecm function" \
	"{\"name\":\"ecm.usb0\",\"type\":\"ecm\",\"ifname\":\"$VM_GADGET_NETDEV\"" "$VM_STATUS"
vm_expect_eq "status error" null "$(vm_json error)"
vm_expect_eq "gadgets" gadgetd "$(vm_gadgets)"
vm_expect_eq "functions in configfs" "acm.GS0 ecm.usb0" \
	"$(ls $VM_GADGETS/gadgetd/functions | tr '\n' ' ' | sed 's/ $//')"
vm_run vm_gadgetd list
vm_expect_contains "list marks acm+ecm" "* acm+ecm" "$VM_OUT"

# And back: the serial port goes away.
vm_run vm_gadgetd switch ecm-only
vm_wait 10 "host tty gone" vm__not_exists /dev/ttyACM0
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Ethernet (ECM)"
vm_daemon_wait_state configured 5
vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
