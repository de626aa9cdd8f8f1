# Stable MACs (issue 5, scenario 4): dev_addr = auto and host_addr = auto
# come from the board's id (here /etc/machine-id; the device-tree serial
# wins where there is one).  Two boots of a board are emulated by two
# daemon runs, each building the gadget from scratch: the same id gives
# the host the same MAC (and USB serial) again, another id another one.
# Every MAC is locally administered unicast.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

vm_need_gadgetd
vm_udc

# run ID: start the daemon on board id ID, set MAC (host side) and SERIAL.
run() {
	echo "$1" >/etc/machine-id
	vm_daemon_config
	vm_daemon_start
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_wait_host_drivers 10 cdc_ether
	vm_host_netdev 5
	MAC=$(cat /sys/class/net/$VM_HOST_NETDEV/address)
	SERIAL=$(vm_host_attr serial)
	GADGET_MAC=$(cat $VM_GADGETS/gadgetd/functions/ecm.usb0/dev_addr)
	vm_log "board $1: host netdev $VM_HOST_NETDEV MAC $MAC, serial $SERIAL, gadget MAC $GADGET_MAC"
	# The first octet: bit 1 set (local), bit 0 clear (unicast).
	for m in $MAC $GADGET_MAC; do
		o=$((0x${m%%:*}))
		vm_expect_eq "$m locally administered unicast (first octet & 3)" 2 $((o & 3))
	done
	vm_expect_ne "host and gadget MAC" "$MAC" "$GADGET_MAC"
	vm_daemon_stop
	vm_wait_host_gone 5
}

run 5f3a9c0e8d7b4a61b2c4d6e8f0a1b3c5
mac1=$MAC serial1=$SERIAL
run 5f3a9c0e8d7b4a61b2c4d6e8f0a1b3c5
vm_expect_eq "host MAC, same board again" "$mac1" "$MAC"
vm_expect_eq "USB serial, same board again" "$serial1" "$SERIAL"
run 0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f6
vm_expect_ne "host MAC, another board" "$mac1" "$MAC"
vm_expect_ne "USB serial, another board" "$serial1" "$SERIAL"
vm_log "figure: host MAC $mac1 twice on one board, $MAC on another"
