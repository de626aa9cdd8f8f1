# The shipped auto-net profile against a Windows without an NCM driver
# (vm-host's windows81 personality, tests/vm/hosts/README.md): the host
# reads the Microsoft OS descriptors, finds WINNCM, which it has no
# driver for, and leaves NCM alone; after fallback_after (8 s) gadgetd
# falls back to ecm-only, which has no Windows driver either; then to
# rndis, whose compatible ID RNDIS the host drives: ARP and ICMP across.
# Status says rndis won and why; the daemon falls back twice, not more.
# macOS and Windows 10/11 take NCM at once (vm/hosts-auto-net@usbip).
# Both beds: on dummy_hcd the daemon's switch is a soft disconnect (the
# device leaves and comes back) and the board cannot tell a host's
# presence; on usbip-vudc every unbind ends the connection, so the
# scenario attaches again after each switch, as a host that sees the
# device come back does, and the UDC's state tells host presence: the
# daemon's own unbinds must not count as the host going (the walk goes
# on, no third fallback), while a real detach (`usbip detach`) after
# rndis won does: the next host starts from auto-net again.
# vm: beds=dummy usbip
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"
. "$VM_LIB/bed.sh"
. "$VM_LIB/hosts.sh"

vm_need_gadgetd
vm_need_tool vm-host
vm_udc
vm_daemon_config profile=auto-net

status_has() {
	vm_daemon_status_json
	VM_WAIT_SAW=$VM_STATUS
	case $VM_STATUS in *"$1"*) return 0 ;; esac
	return 1
}
# windows81 on the device with bcdDevice $1 (each profile of the chain
# has its own); its result must contain $2.
plug() {
	vm_bed_attach
	vm_wait 10 "host: a device 1d6b:0104 with bcdDevice $1 (host sees: $(vm_host_devices))" \
		vm__host_find_bcd "$1"
	VM_HOST_DEV=$(vm__host_find_bcd "$1")
	vm_log "host: bcdDevice $1 at ${VM_HOST_DEV##*/} after $VM_WAITED s"
	vm_host_personality windows81
	vm_expect_contains "windows81 on bcdDevice $1" "$2" "$VM_HOST_RESULT"
}

echo on >/proc/sys/kernel/printk_devkmsg
vm_hosts_autoprobe 0
vm_daemon_start 2>/dev/kmsg

plug 0106 "fail no driver for any function of configuration 1: interface 0 CDC NCM (02/0d/00): the compatible ID WINNCM: Windows 8.1 has no NCM driver"
vm_wait 30 "status: auto-net falls back to ecm-only" status_has '"profile":"ecm-only"'
vm_log "auto-net -> ecm-only after $VM_WAITED s"
plug 0101 "fail no driver for any function of configuration 1: interface 0 CDC ECM (02/06/00): no compatible ID it knows and no Windows class driver"
vm_wait 30 "status: ecm-only falls back to rndis" status_has '"profile":"rndis"'
vm_log "ecm-only -> rndis after $VM_WAITED s"
plug 0107 "ok rndis"
devnum=$(cat "$VM_HOST_DEV/devnum")
vm_wait 15 "status: rndis won" status_has 'rndis: the host took up rndis.usb0'
vm_expect_contains "status fallback chain" \
	'"fallback":{"chain":["auto-net","ecm-only","rndis"]' "$VM_STATUS"
echo "host-walk auto-net windows81 rndis"
vm_expect_eq "host: the same device" "$devnum" "$(cat "$VM_HOST_DEV/devnum" 2>/dev/null)"
dmesg | grep -o 'fallback: .*' | sed 's/^/[log] /'
vm_expect_eq "daemon: fallbacks" 2 "$(dmesg | grep -c 'falling back to')"

# usbip: the host goes; the next one gets auto-net (NCM) again.
if [ "$VM_BED" = usbip ]; then
	vm_expect_contains "status: a host is attached" '"attached":true' "$VM_STATUS"
	vm_bed_detach
	vm_wait 15 "status: auto-net again after the host went" status_has '"profile":"auto-net"'
	vm_expect_contains "status reason after the detach" 'the host went; auto-net again for the next one' "$(vm_daemon_status_json; printf '%s' "$VM_STATUS")"
	vm_bed_attach
	vm_wait 10 "host: NCM (bcdDevice 0106) for the next host" vm__host_find_bcd 0106
fi
vm_hosts_autoprobe 1
vm_daemon_stop
