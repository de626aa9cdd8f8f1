# The daemon sets the gadget's link itself (issue 5): ecm-only with
# `address = 192.168.7.2/24` and `link = auto`; the host's netdev, in its
# own namespace, gets carrier and pings 192.168.7.2 with no `ip` command
# run on the gadget side; `gadgetd down` takes the link down and the
# address off before unbind.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_daemon_wait_state configured 10
vm_gadget_netdev $VM_GADGETS/gadgetd/functions/ecm.usb0

# What the daemon did, read back from the kernel.
vm_wait 5 "gadget: $VM_GADGET_NETDEV up" \
	sh -c "[ \$((\$(cat /sys/class/net/$VM_GADGET_NETDEV/flags) & 1)) = 1 ]"
vm_run "$VM_IP" -o -4 addr show dev "$VM_GADGET_NETDEV"
vm_expect_contains "gadget address" "inet 192.168.7.2/24" "$VM_OUT"

vm_daemon_status_json
vm_log "status --json: $VM_STATUS"
vm_expect_contains "status link" \
	"\"ifname\":\"$VM_GADGET_NETDEV\",\"link\":\"up\"" "$VM_STATUS"

vm_host_netdev 5
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
# No bounce helper: carrier must come from the daemon's own handling.
vm_host_wait_carrier "$VM_HOST_NETDEV" 10
vm_host_netns_ping 192.168.7.2

# Before unbind the daemon sets the link down and removes the address it
# added (the netdev stays with the function).
vm_run vm_gadgetd down
vm_wait_host_gone 5
vm_run "$VM_IP" -o link show dev "$VM_GADGET_NETDEV"
vm_expect_eq "gadget link UP flag after down" "" \
	"$(printf '%s' "$VM_OUT" | grep '[<,]UP[,>]')"
vm_run "$VM_IP" -o -4 addr show dev "$VM_GADGET_NETDEV"
vm_expect_eq "gadget address after down" "" "$VM_OUT"
vm_daemon_stop
