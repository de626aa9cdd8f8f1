# ncm profile: the daemon sets address and link (no `ip` on the gadget),
# the host in its own namespace pings it; `link-event` from the ifupdown
# hook is shown as host_link on that interface, and on a link the daemon
# sets it takes the link down and up: the host's carrier follows (issue
# 5, scenario 3 with link-event).
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config profile=ncm
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ncm
vm_daemon_wait_state configured 10
vm_gadget_netdev $VM_GADGETS/gadgetd/functions/ncm.usb0
vm_run "$VM_IP" -o -4 addr show dev "$VM_GADGET_NETDEV"
vm_expect_contains "gadget address" "inet 192.168.7.2/24" "$VM_OUT"

vm_host_netdev 5
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
vm_host_wait_carrier "$VM_HOST_NETDEV" 10
vm_host_netns_ping 192.168.7.2

vm_daemon_status_json
vm_expect_eq "no host_link before any link-event" "" \
	"$(printf '%s' "$VM_STATUS" | grep -o host_link)"
no_carrier() { ! vm__host_carrier "$VM_HOST_NETDEV"; }
# link-event down on a link the daemon sets: it takes the link down, and
# the host loses carrier; up gives it back.
vm_run vm_gadgetd link-event down "$VM_GADGET_NETDEV"
vm_wait 5 "host: $VM_HOST_NETDEV loses carrier after link-event down" no_carrier
vm_log "host: carrier gone $VM_WAITED s after link-event down"
vm_daemon_status_json
vm_log "status --json: $VM_STATUS"
vm_expect_contains "status after link-event down" \
	"\"ifname\":\"$VM_GADGET_NETDEV\",\"link\":\"down\"" "$VM_STATUS"
vm_expect_contains "host_link down" '"host_link":"down"' "$VM_STATUS"
vm_run vm_gadgetd link-event up "$VM_GADGET_NETDEV"
vm_host_wait_carrier "$VM_HOST_NETDEV" 5
vm_host_netns_ping 192.168.7.2
vm_daemon_status_json
vm_expect_contains "host_link up" '"host_link":"up"' "$VM_STATUS"
vm_expect_contains "status after link-event up" \
	"\"ifname\":\"$VM_GADGET_NETDEV\",\"link\":\"up\"" "$VM_STATUS"

vm_daemon_stop
vm_wait_host_gone 5
