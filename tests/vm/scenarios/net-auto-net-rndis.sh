# The shipped auto-net profile's whole walk against a Linux host whose
# only network driver is rndis_host: NCM, not taken up; ecm-only, not
# taken up; rndis, which rndis_host initialises; ping across; status says
# rndis won and why; and the walk is once per host: after rndis nothing
# more happens (no fallback line, the same device) through a ping that
# lasts longer than fallback_after.
#
# How the host is made: cdc_ncm and cdc_ether stay loaded (rndis_host
# needs cdc_ether's code, so unloading it is no way), but the host's USB
# bus does not bind drivers by itself (drivers_autoprobe 0) and a policy
# binds the generic device driver to each new device and then offers its
# interfaces to rndis_host alone (vm_host_only_driver, tests/vm/lib/
# host.sh).  The kernel's own id matching decides what rndis_host takes:
# it refuses the NCM and ECM interfaces (ENODEV) and takes RNDIS.
# Nothing on the gadget side is faked.  The other ways: unbinding
# cdc_ncm/cdc_ether after they bound races with their probe (and with
# the link they already brought up); 6.1's USB bus has no driver_override
# for interfaces.
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config profile=auto-net
g=$VM_GADGETS/gadgetd

status_has() {
	vm_daemon_status_json
	VM_WAIT_SAW=$VM_STATUS
	case $VM_STATUS in *"$1"*) return 0 ;; esac
	return 1
}
# The daemon's log, one clock with the kernel's: its "fallback:" lines.
fallback_lines() {
	dmesg | grep -o 'fallback: .*'
}

echo on >/proc/sys/kernel/printk_devkmsg
vm_write 0 /sys/bus/usb/drivers_autoprobe
vm_daemon_start 2>/dev/kmsg

# NCM (bcdDevice 0x0106): configured, no interface taken up.
vm_host_only_driver rndis_host 0106 10
vm_expect_eq "host: rndis_host on NCM's interfaces" "1.0 refused; 1.1 refused" "$VM_HOST_OFFERED"
vm_wait 30 "status: auto-net falls back to ecm-only" status_has '"profile":"ecm-only"'
vm_log "auto-net -> ecm-only after $VM_WAITED s"

# ECM (0x0101): the same.
vm_host_only_driver rndis_host 0101 10
vm_expect_eq "host: rndis_host on ECM's interfaces" "1.0 refused; 1.1 refused" "$VM_HOST_OFFERED"
vm_wait 30 "status: ecm-only falls back to rndis" status_has '"profile":"rndis"'
vm_log "ecm-only -> rndis after $VM_WAITED s"

# RNDIS (0x0107): rndis_host binds the control interface and claims the
# data one.
vm_host_only_driver rndis_host 0107 10
vm_expect_eq "host: rndis_host on RNDIS's interfaces" "1.0 bound; 1.1 claimed by rndis_host" "$VM_HOST_OFFERED"
vm_expect_eq "configfs: RNDIS now" "rndis.usb0" "$(ls $g/functions)"
devnum=$(cat "$VM_HOST_DEV/devnum")
vm_host_netdev 5
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
vm_host_wait_carrier "$VM_HOST_NETDEV" 10
vm_host_netns_ping 192.168.7.2
vm_wait 15 "status: rndis won" status_has 'rndis: the host took up rndis.usb0'
vm_expect_contains "status fallback chain" \
	'"fallback":{"chain":["auto-net","ecm-only","rndis"]' "$VM_STATUS"

# Once per host: through more than fallback_after (8 s) of traffic, the
# gadget stays on rndis, the host keeps the same device, and the daemon
# fell back exactly twice.
vm_run "$VM_IP" netns exec "$VM_NETNS" ping -c 10 -i 1 -W 2 192.168.7.2
vm_expect_eq "host: the same device after the ping" "$devnum" "$(cat "$VM_HOST_DEV/devnum" 2>/dev/null)"
status_has '"profile":"rndis"' || vm_fail "status: not rndis after the ping: $VM_STATUS"
vm_expect_contains "status reason after the ping" 'rndis: the host took up rndis.usb0' "$VM_STATUS"
fallback_lines | sed 's/^/[log] /'
vm_expect_eq "daemon: fallbacks" 2 "$(fallback_lines | grep -c 'falling back to')"
"$VM_IP" netns del "$VM_NETNS"
vm_write 1 /sys/bus/usb/drivers_autoprobe
vm_daemon_stop
