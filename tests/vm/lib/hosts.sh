# Host personalities (tests/vm/hosts/README.md): the gadget as Linux,
# macOS, Windows 10 and Windows 11 enumerate it.  Linux is the kernel's
# class drivers; the others are the vm-host tool on the usbdevfs node,
# with the kernel's drivers kept off the device.  Source it after vm.sh
# (and daemon.sh, host.sh, net.sh, bed.sh, which it uses).
#
# A personality's result is a "cell": the functions that moved data,
# sorted and space-separated (acm ecm msc ncm rndis), or "no" when none
# did.  docs/hosts.md holds the expected cell of every shipped profile and
# personality; the matrix scenarios compare against it (the runner copies
# it into the guest as /vm/hosts.md) and print each as
# "host-cell PROFILE PERSONALITY CELL" for scripts/host-table.

VM_HOSTS_PERSONALITIES="linux macos windows10 windows11"
VM_HOSTS_EXPECTED=/vm/hosts.md

# vm_hosts_autoprobe 0|1: whether the host's USB bus binds drivers to a
# new device.  0 keeps even the generic device driver off: the device
# stays unconfigured, and vm-host chooses its configuration itself.
vm_hosts_autoprobe() {
	vm_write "$1" /sys/bus/usb/drivers_autoprobe
}

vm__hosts_find_any() {
	local d
	for d in /sys/bus/usb/devices/*; do
		case "${d##*/}" in usb* | *:*) continue ;; esac
		[ "$(cat "$d/idVendor" 2>/dev/null)" = "$1" ] || continue
		[ "$(cat "$d/idProduct" 2>/dev/null)" = "$2" ] || continue
		printf '%s\n' "$d"
		return 0
	done
	VM_WAIT_SAW="host sees: $(vm_host_devices)"
	return 1
}

# vm_hosts_wait_device VID PID DEADLINE: the device is on the host's bus,
# configured or not (with autoprobe off it stays unconfigured); sets
# VM_HOST_DEV.
vm_hosts_wait_device() {
	vm_wait "$3" "host: a device $1:$2 (configured or not)" \
		vm__hosts_find_any "$1" "$2"
	VM_HOST_DEV=$(vm__hosts_find_any "$1" "$2")
	vm_log "host: $1:$2 at ${VM_HOST_DEV##*/} after $VM_WAITED s"
}

# vm_host_personality NAME [VM-HOST ARGS...]: run vm-host as macos,
# windows10 or windows11 on VM_HOST_DEV.  Sets VM_HOST_RESULT to "ok
# DRIVER..." or "fail WHY" (its result line); never fails the run.
vm_host_personality() {
	local name=$1
	shift
	VM_OUT=$(vm-host "$name" "$VM_HOST_DEV" "$@" 2>&1)
	VM_RC=$?
	printf '%s\n' "$VM_OUT" | sed "s/^/[vm-host] /"
	VM_HOST_RESULT=$(printf '%s\n' "$VM_OUT" | sed -n "s/^result $name: //p" | tail -n 1)
	[ -n "$VM_HOST_RESULT" ] ||
		VM_HOST_RESULT="fail vm-host exited with status $VM_RC and no result line"
}

# vm__hosts_cell RESULT: "ok ecm msc" -> "ecm msc"; "fail ..." -> "no".
vm__hosts_cell() {
	case "$1" in
	"ok "*) printf '%s\n' "${1#ok }" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//' ;;
	*) echo no ;;
	esac
}

# vm_hosts_expected PROFILE PERSONALITY: the cell docs/hosts.md expects.
vm_hosts_expected() {
	local col
	case "$2" in
	linux) col=3 ;; macos) col=4 ;; windows10) col=5 ;; windows11) col=6 ;;
	*) vm_fail "vm_hosts_expected: no personality '$2'" ;;
	esac
	[ -f "$VM_HOSTS_EXPECTED" ] ||
		vm_fail "no $VM_HOSTS_EXPECTED in the guest (run with --add docs/hosts.md:$VM_HOSTS_EXPECTED)"
	awk -F'|' -v p="$1" -v c=$col '
		{ for (i = 2; i <= NF; i++) gsub(/^ +| +$/, "", $i) }
		$2 == "`" p "`" { gsub(/`/, "", $c); print $c; exit }' "$VM_HOSTS_EXPECTED"
}

# vm__hosts_linux_net: the host netdev in the namespace, carrier, ping.
vm__hosts_linux_net() {
	vm_host_netdev 5
	vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
	vm_host_wait_carrier "$VM_HOST_NETDEV" 10
	vm_host_netns_ping 192.168.7.2
	"$VM_IP" netns del "$VM_NETNS"
}

# vm__hosts_linux_tty TTY: a line to the gadget's echo and back.
vm__hosts_linux_tty() {
	local msg="linux echo $$ $(vm__now_cs)" got pid
	vm_wait_path "$1" 5
	exec 8<>"$1" || vm_fail "linux: cannot open $1"
	stty raw -echo <&8 || vm_fail "linux: stty raw -echo on $1 failed"
	timeout 5 head -c ${#msg} <&8 >/tmp/vm-hosts-tty &
	pid=$!
	printf '%s' "$msg" >&8
	wait $pid
	got=$(cat /tmp/vm-hosts-tty)
	exec 8<&-
	vm_expect_eq "linux: the gadget's echo through $1" "$msg" "$got"
}

# vm__hosts_linux_msc IMAGE: block 0 of the host's disk equals IMAGE's.
vm__hosts_linux_msc() {
	vm_host_block_dev 0 10
	dd if="/dev/$VM_HOST_BLOCK" of=/tmp/vm-hosts-b0 bs=512 count=1 iflag=direct 2>/dev/null ||
		dd if="/dev/$VM_HOST_BLOCK" of=/tmp/vm-hosts-b0 bs=512 count=1 2>/dev/null ||
		vm_fail "linux: reading block 0 of /dev/$VM_HOST_BLOCK failed"
	dd if="$1" of=/tmp/vm-hosts-i0 bs=512 count=1 2>/dev/null
	cmp -s /tmp/vm-hosts-b0 /tmp/vm-hosts-i0 ||
		vm_fail "linux: block 0 of /dev/$VM_HOST_BLOCK differs from $1"
}

# vm_host_linux IMAGE: the kernel's class drivers on the configured
# device; data through each one that bound.  Sets VM_HOST_RESULT.
vm_host_linux() {
	local image=$1 drivers done="" d
	vm_wait_host_device 0x1d6b 0x0104 10
	# Every shipped profile's functions have a Linux class driver, which
	# claims the data interfaces too: each interface gets one.
	vm_wait 10 "linux: a driver on every interface" vm__hosts_all_bound
	drivers=$(vm_host_interfaces | awk '{ print $3 }' | sort -u)
	vm_log "linux: configuration $(vm_host_attr bConfigurationValue), drivers: $(echo $drivers)"
	for d in $drivers; do
		case $d in
		cdc_ether) vm__hosts_linux_net; done="$done ecm" ;;
		rndis_host) vm__hosts_linux_net; done="$done rndis" ;;
		cdc_ncm) vm__hosts_linux_net; done="$done ncm" ;;
		cdc_acm)
			vm__hosts_linux_tty "/dev/$(ls "$VM_HOST_DEV"/*/tty 2>/dev/null | head -n 1)"
			done="$done acm" ;;
		usb-storage) vm__hosts_linux_msc "$image"; done="$done msc" ;;
		esac
	done
	if [ -n "$done" ]; then
		VM_HOST_RESULT="ok${done}"
	else
		VM_HOST_RESULT="fail no class driver moved data (drivers: $(echo $drivers))"
	fi
}

vm__hosts_all_bound() {
	VM_WAIT_SAW="interfaces: $(vm_host_interfaces | tr '\n' ';')"
	[ -n "$(vm_host_interfaces)" ] &&
		vm_host_interfaces | awk '$3 == "-" { f = 1 } END { exit f }'
}

# vm_hosts_gadget_echo: echo what the host sends on the gadget's
# /dev/ttyGS0 (what a getty would answer), in the background.
vm_hosts_gadget_echo() {
	vm_wait_path /dev/ttyGS0 5
	(stty raw -echo && exec cat) <>/dev/ttyGS0 >&0 2>/dev/null &
	VM_HOSTS_ECHO_PID=$!
}

# vm_hosts_matrix PROFILE: gadgetd runs PROFILE; each personality in turn
# plugs in (the bed's attach), drives it and unplugs (gadgetd down, up);
# every cell must equal docs/hosts.md.
vm_hosts_matrix() {
	local profile=$1 p cell want image=/var/lib/gadgetd/msd.img bad=""
	mkdir -p /var/lib/gadgetd
	# A block 0 no zeroed disk would have.
	{ printf 'gadgetd host personalities %s\n' "$profile"; seq 1 200; } |
		dd of=/tmp/vm-hosts-image bs=512 count=4 conv=sync 2>/dev/null
	dd if=/tmp/vm-hosts-image of=$image bs=1M count=2 conv=sync 2>/dev/null
	# The msd profile's eMMC and NVMe, as files (apply-shipped does so).
	[ "$profile" != msd ] || {
		cp $image /dev/mmcblk0
		cp $image /dev/nvme0n1
		image=/dev/mmcblk0
	}
	vm_hosts_autoprobe 1
	vm_daemon_config profile="$profile"
	vm_daemon_start
	for p in $VM_HOSTS_PERSONALITIES; do
		vm_log "hosts: $profile as $p"
		if [ "$p" = linux ]; then
			vm_hosts_autoprobe 1
		else
			vm_hosts_autoprobe 0
		fi
		if [ "$p" != linux ] || [ "$VM_BED" = usbip ]; then
			[ "$p" = linux ] || vm_gadgetd up >/dev/null ||
				vm_fail "hosts: $profile: gadgetd up for $p failed"
		fi
		# u_serial hangs the gadget's tty up at every disconnect: the
		# echo starts again for each host.
		[ ! -e /dev/ttyGS0 ] || vm_hosts_gadget_echo
		if [ "$p" != linux ] || [ "$VM_BED" = usbip ]; then
			vm_bed_attach
		fi
		VM_HOST_DEV=
		if [ "$p" = linux ]; then
			vm_host_linux "$image"
		else
			vm_hosts_wait_device 1d6b 0104 10
			vm_host_personality "$p" --image "$image"
		fi
		cell=$(vm__hosts_cell "$VM_HOST_RESULT")
		want=$(vm_hosts_expected "$profile" "$p")
		echo "host-cell $profile $p $cell"
		vm_log "hosts: $profile as $p: $VM_HOST_RESULT (cell '$cell', docs/hosts.md '$want')"
		[ "$cell" = "$want" ] ||
			bad="$bad${bad:+; }$p: expected '$want' (docs/hosts.md), saw '$cell' ($VM_HOST_RESULT)"
		vm_gadgetd down >/dev/null || vm_fail "hosts: $profile: gadgetd down after $p failed"
		vm_wait_host_gone 5
		[ -z "${VM_HOSTS_ECHO_PID-}" ] || kill "$VM_HOSTS_ECHO_PID" 2>/dev/null
		VM_HOSTS_ECHO_PID=
	done
	vm_hosts_autoprobe 1
	[ -z "$bad" ] || vm_fail "hosts: $profile: $bad"
	vm_daemon_stop
}
