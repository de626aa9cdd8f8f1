# The shipped auto-net profile (gadgetd.profile(5), fallback) against a
# Linux host, with its fallback_after of 8 s (3 s was too short for this
# bed under load: cdc_ncm on the host had not set its data interface
# yet).  A host with cdc_ncm takes up the NCM function (the gadget's usb0
# gets carrier), auto-net stays, status says why, and the host pings the
# board over NCM.  A host without cdc_ncm (removed, then a replug) leaves
# NCM untouched: after 8 s the daemon falls back to ecm-only, cdc_ether
# takes it up, status says ecm-only won and why, and the host pings the
# board over ECM.  The last step, a Linux host on which rndis_host alone
# drives the gadget (cdc_ether stays loaded: rndis_host needs it), is
# vm/net-auto-net-rndis.
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
shipped=$(sed -n 's/^profile_dirs = //p' $VM_GADGETD_CONF)
grep -q '^fallback = ecm-only rndis$' "$shipped/auto-net.ini" || vm_fail "auto-net.ini: no fallback list"
vm_run gadgetd check "$shipped/auto-net.ini"
vm_daemon_config profile=auto-net
g=$VM_GADGETS/gadgetd

reason_has() {
	vm_daemon_status_json
	case $VM_STATUS in *"$1"*) return 0 ;; esac
	return 1
}
ping_over() {
	vm_host_netdev 5
	vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
	vm_host_wait_carrier "$VM_HOST_NETDEV" 10
	vm_host_netns_ping 192.168.7.2
	"$VM_IP" netns del "$VM_NETNS"
}

# A: the host drives NCM.
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ncm
# The host's side up at once, as a host does: a netdev opened after the
# host-link check's re-asserts would miss NetworkConnection (usbnet
# reads notifications only while open).
ping_over
vm_wait 20 "status: auto-net won ($(vm_daemon_status_json; printf '%s' "$VM_STATUS"))" \
	reason_has 'auto-net: the host took up ncm.usb0'
vm_expect_contains "status fallback chain" \
	'"fallback":{"chain":["auto-net","ecm-only","rndis"]' "$VM_STATUS"
vm_expect_contains "status profile" '"profile":"auto-net"' "$VM_STATUS"

# B: a host without cdc_ncm: the next host session falls back to ECM.
vm_run rmmod cdc_ncm
vm_run vm_gadgetd replug
vm_wait 40 "status: ecm-only after auto-net's 8 s ($(vm_daemon_status_json; printf '%s' "$VM_STATUS"))" \
	reason_has '"profile":"ecm-only"'
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
ping_over
vm_wait 15 "status: ecm-only won" reason_has 'ecm-only: the host took up ecm.usb0'
vm_expect_contains "status chain kept" \
	'"fallback":{"chain":["auto-net","ecm-only","rndis"]' "$VM_STATUS"
vm_expect_eq "configfs: ECM now" "ecm.usb0" "$(ls $g/functions)"
vm_daemon_stop
