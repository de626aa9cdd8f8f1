# Network: the host's netdev goes into its own namespace ($VM_NETNS,
# "host") so that traffic between the two addresses really crosses USB.

# vm_host_netdev [DEADLINE]: set VM_HOST_NETDEV to the host-side netdev of
# VM_HOST_DEV (cdc_ether's usb1, rndis_host's, ...).  Default deadline 5 s.
vm_host_netdev() {
	[ -n "$VM_HOST_DEV" ] || vm_fail "vm_host_netdev: call vm_wait_host_device first"
	vm_wait "${1:-5}" "host: no netdev under ${VM_HOST_DEV##*/} (interfaces: $(vm_host_interfaces | tr '\n' ';'))" \
		vm__host_netdev_find
	VM_HOST_NETDEV=$(vm__host_netdev_find)
	vm_log "host: netdev $VM_HOST_NETDEV"
}

vm__host_netdev_find() {
	local n
	for n in "$VM_HOST_DEV"/"${VM_HOST_DEV##*/}":*/net/*; do
		[ -e "$n" ] || continue
		printf '%s\n' "${n##*/}"
		return 0
	done
	return 1
}

# vm_gadget_netdev FUNCTION_DIR: set VM_GADGET_NETDEV from the function's
# ifname (e.g. $VM_GADGETS/g1/functions/ecm.usb0; valid once bound).
vm_gadget_netdev() {
	VM_GADGET_NETDEV=$(cat "$1/ifname" 2>/dev/null)
	[ -n "$VM_GADGET_NETDEV" ] && [ -e "/sys/class/net/$VM_GADGET_NETDEV" ] ||
		vm_fail "gadget: $1/ifname is '$VM_GADGET_NETDEV', expected a netdev name"
	vm_log "gadget: netdev $VM_GADGET_NETDEV"
}

# vm_host_netns_add NETDEV ADDR/PREFIX: move the host netdev into the
# namespace, give it the address and bring it up.
vm_host_netns_add() {
	[ -e "/run/netns/$VM_NETNS" ] || vm_run "$VM_IP" netns add "$VM_NETNS"
	vm_run "$VM_IP" link set "$1" netns "$VM_NETNS"
	vm_run "$VM_IP" -n "$VM_NETNS" link set lo up
	vm_run "$VM_IP" -n "$VM_NETNS" addr add "$2" dev "$1"
	vm_run "$VM_IP" -n "$VM_NETNS" link set "$1" up
}

# vm_gadget_net_up NETDEV ADDR/PREFIX: address and bring up the gadget side.
vm_gadget_net_up() {
	vm_run "$VM_IP" addr add "$2" dev "$1"
	vm_run "$VM_IP" link set "$1" up
}

vm__host_carrier() {
	"$VM_IP" -n "$VM_NETNS" -o link show dev "$1" 2>/dev/null | grep -q LOWER_UP
}

vm__host_link_line() {
	"$VM_IP" -n "$VM_NETNS" -o link show dev "$1" 2>&1 | sed 's/ \{2,\}/ /g'
}

# vm_host_wait_carrier NETDEV DEADLINE [GADGET_NETDEV]: wait until the host
# netdev (in the namespace) has carrier.  With GADGET_NETDEV, when carrier
# does not come by the deadline, bounce the gadget link once (the host's
# usbnet can lose f_ecm's NetworkConnection, docs/networking.md; down and
# up 0.2 s apart, or the bounce can be lost the same way) and wait once
# more; without it, no second chance, which is what a test of gadgetd's own
# link handling wants.
vm_host_wait_carrier() {
	local start now until
	start=$(vm__now_cs)
	until=$((start + $(vm__to_cs "$2")))
	while ! vm__host_carrier "$1"; do
		now=$(vm__now_cs)
		if [ "$now" -ge "$until" ]; then
			[ -n "${3-}" ] ||
				vm_fail "host: $1 has no carrier after $2 s: $(vm__host_link_line "$1")"
			vm_log "host: $1 no carrier after $2 s; bouncing gadget $3 once (known host miss, docs/networking.md)"
			vm_run "$VM_IP" link set "$3" down
			sleep 0.2
			vm_run "$VM_IP" link set "$3" up
			vm_host_wait_carrier "$1" "$2"
			return 0
		fi
		sleep 0.1
	done
	now=$(vm__now_cs)
	vm_log "host: $1 has carrier after $(vm__cs_to_s $((now - start))) s"
}

# vm_host_netns_ping ADDR [COUNT]: ping ADDR from the host namespace.
vm_host_netns_ping() {
	vm_log "run: ping -c ${2:-3} $1 (in netns $VM_NETNS)"
	VM_OUT=$("$VM_IP" netns exec "$VM_NETNS" ping -c "${2:-3}" -i 0.2 -W 3 "$1" 2>&1)
	VM_RC=$?
	printf '%s\n' "$VM_OUT" | sed 's/^/    | /'
	[ "$VM_RC" = 0 ] ||
		vm_fail "host: ping $1 from netns $VM_NETNS failed (status $VM_RC): $(printf '%s\n' "$VM_OUT" | grep -E 'packets|bad|unreachable' | head -n 1)"
}

# vm_gadget_ping ADDR [COUNT]: ping ADDR (the host) from the gadget side.
vm_gadget_ping() {
	vm_log "run: ping -c ${2:-3} $1"
	VM_OUT=$(ping -c "${2:-3}" -i 0.2 -W 3 "$1" 2>&1)
	VM_RC=$?
	printf '%s\n' "$VM_OUT" | sed 's/^/    | /'
	[ "$VM_RC" = 0 ] ||
		vm_fail "gadget: ping $1 failed (status $VM_RC): $(printf '%s\n' "$VM_OUT" | grep -E 'packets|bad|unreachable' | head -n 1)"
}

# vm_host_dhcp NETDEV [DEADLINE]: run busybox udhcpc on the host netdev in
# the namespace until it has a lease (default 10 s), put the address on
# it, and set VM_LEASE_IP, VM_LEASE_SUBNET, VM_LEASE_ROUTER, VM_LEASE_DNS,
# VM_LEASE_SERVER (the server id) and VM_LEASE_TIME (seconds).
vm_host_dhcp() {
	local tries=${2:-10}
	tries=${tries%%.*}
	cat >/tmp/vm-udhcpc.sh <<'SCRIPT'
#!/bin/sh
case "$1" in
bound | renew)
	[ -n "$mask" ] || mask=$(ipcalc -p "$ip" "$subnet" | sed 's/.*=//')
	{
		echo "ip=$ip"
		echo "subnet=$subnet"
		echo "router=$router"
		echo "dns=$dns"
		echo "serverid=$serverid"
		echo "lease=$lease"
	} >/tmp/vm-lease
	/usr/bin/ip addr add "$ip/$mask" dev "$interface"
	;;
esac
exit 0
SCRIPT
	chmod 755 /tmp/vm-udhcpc.sh
	rm -f /tmp/vm-lease
	vm_log "run: udhcpc -i $1 (in netns $VM_NETNS, $tries s)"
	VM_OUT=$("$VM_IP" netns exec "$VM_NETNS" udhcpc -i "$1" -f -q -n \
		-t "$tries" -T 1 -s /tmp/vm-udhcpc.sh 2>&1)
	VM_RC=$?
	printf '%s\n' "$VM_OUT" | sed 's/^/    | /'
	[ "$VM_RC" = 0 ] && [ -s /tmp/vm-lease ] ||
		vm_fail "host: no DHCP lease on $1 within $tries s (udhcpc status $VM_RC): $(printf '%s\n' "$VM_OUT" | tail -n 1)"
	VM_LEASE_IP=$(sed -n 's/^ip=//p' /tmp/vm-lease)
	VM_LEASE_SUBNET=$(sed -n 's/^subnet=//p' /tmp/vm-lease)
	VM_LEASE_ROUTER=$(sed -n 's/^router=//p' /tmp/vm-lease)
	VM_LEASE_DNS=$(sed -n 's/^dns=//p' /tmp/vm-lease)
	VM_LEASE_SERVER=$(sed -n 's/^serverid=//p' /tmp/vm-lease)
	VM_LEASE_TIME=$(sed -n 's/^lease=//p' /tmp/vm-lease)
	vm_log "host: lease $VM_LEASE_IP/$VM_LEASE_SUBNET from $VM_LEASE_SERVER for $VM_LEASE_TIME s"
}
