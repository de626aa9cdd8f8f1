# The guest half of scripts/demo: gadgetd's main job on the embedded default,
# shown to a person and checked like a scenario.  The board starts
# `gadgetd daemon` with the shipped gadgetd.conf (ecm-only); the USB host on
# the other end of dummy_hcd enumerates it, binds cdc_ether, gets carrier
# and pings 192.168.7.2 from its own network namespace; a switch to ecm+msd
# gives the host a disk; SIGTERM removes the gadget.
#
# Lines for the person start with "demo| " (scripts/demo shows only those);
# everything else on the console is the usual scenario log.  Any step that
# does not happen fails the run, as in a scenario.
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

DEMO_LOG=/var/log/gadgetd.log
DEMO_IMAGE=/var/lib/gadgetd/msd.img

# busybox ash would run its own `ip` applet (no netns): the demo shows
# plain `ip` commands and means iproute2.
ip() {
	"$VM_IP" "$@"
}

demo() {
	printf 'demo| %s\n' "$*"
}

demo_section() {
	demo ""
	demo "=== $* ==="
}

# demo__run SIDE SHOWN CMD...: show SHOWN after the side's prompt ("board"
# or "host"), run CMD and show its output; a non-zero exit fails the demo.
# Sets DEMO_OUT.
demo__run() {
	local side=$1 shown=$2 out rc
	shift 2
	demo "$side# $shown"
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/demo|     /'
	[ $rc = 0 ] ||
		vm_fail "$side: '$shown' exited with status $rc: $(printf '%s\n' "$out" | tail -n 1)"
	DEMO_OUT=$out
}

# demo_cmd SIDE CMD...: a command.
demo_cmd() {
	local side=$1
	shift
	demo__run "$side" "$*" "$@"
}

# demo_sh SIDE 'SHELL CODE': a line of shell, shown as written.
demo_sh() {
	demo__run "$1" "$2" sh -c "$2"
}

demo__gadget_link() {
	ip -o link show dev "$1" | grep -q '[<,]UP[,>]' &&
		ip -o addr show dev "$1" | grep -q ' 192\.168\.7\.2/24 '
}

# The daemon's log goes to a file (as it would on a board with an init
# script); on a failure it goes to the console for whoever reads the log.
demo_on_exit() {
	rc=$?
	if [ $rc != 0 ] && [ -s "$DEMO_LOG" ]; then
		echo "---- $DEMO_LOG ----"
		cat "$DEMO_LOG"
	fi
	exit $rc
}
trap demo_on_exit EXIT

vm_need_gadgetd
vm_udc
# The board's identity: serial = auto and the MACs derive from it.
[ -s /etc/machine-id ] ||
	echo 5f3a9c0e8d7b4a61b2c4d6e8f0a1b3c5 >/etc/machine-id
[ -f /etc/gadgetd/gadgetd.conf ] ||
	vm_fail "the install has no /etc/gadgetd/gadgetd.conf"

demo_section "1. The board: gadgetd daemon with the shipped config (profile ecm-only)"
demo "One kernel plays both sides: the board's UDC is $VM_UDC (dummy_hcd),"
demo "the USB host is the same kernel's host controller on the other end."
demo_sh board "grep -E '^(profile|udc) ' /etc/gadgetd/gadgetd.conf"
start=$(vm__now_cs)
mkdir -p "${DEMO_LOG%/*}"
# In the foreground as a job of this shell, as a supervisor would run it:
# its log stays on stderr whatever --background does with it.
demo "board# gadgetd daemon 2>$DEMO_LOG &"
gadgetd daemon 2>"$DEMO_LOG" &
VM_DAEMON_PID=$!
vm_daemon_wait_state configured 20
demo "    (the host configured the device $(vm__cs_to_s $(($(vm__now_cs) - start))) s later)"
vm_gadget_netdev "$VM_GADGETS/gadgetd/functions/ecm.usb0"
gadget_if=$VM_GADGET_NETDEV
# The daemon brings the link up itself (link = auto): that is what makes
# f_ecm send the host its NetworkConnection notification.
n=0
until demo__gadget_link "$gadget_if"; do
	n=$((n + 1))
	[ $n -le 100 ] ||
		vm_fail "gadget: $gadget_if not up with 192.168.7.2/24 10 s after configured (gadgetd brings it up, link = auto): $(ip -br addr show dev "$gadget_if" | tr -s " " | sed "s/ $//")"
	sleep 0.1
done
demo_cmd board gadgetd status
vm_expect_contains "status text" "configured" "$DEMO_OUT"
vm_daemon_status_json
vm_expect_eq "status profile" ecm-only "$(vm_json profile)"
vm_expect_contains "status functions" \
	"{\"name\":\"ecm.usb0\",\"type\":\"ecm\",\"ifname\":\"$gadget_if\",\"link\":\"up\"" "$VM_STATUS"
demo_cmd board ip -br addr show dev "$gadget_if"

demo_section "2. The USB host's view"
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
demo "host# cd $VM_HOST_DEV"
cd "$VM_HOST_DEV" || vm_fail "cd $VM_HOST_DEV"
demo_cmd host grep -H . idVendor idProduct bcdDevice manufacturer product serial
vm_host_expect_attr manufacturer gadgetd
vm_host_expect_attr product "gadgetd Ethernet (ECM)"
cd / || vm_fail "cd /"
demo "host: interfaces (configuration.interface, class, driver):"
vm_host_interfaces | sed 's/^/demo|     /'
vm_host_netdev 5
host_if=$VM_HOST_NETDEV
demo "host: $host_if goes into its own network namespace, so that the ping crosses USB"
demo_cmd host ip netns add "$VM_NETNS"
demo_cmd host ip link set "$host_if" netns "$VM_NETNS"
demo_cmd host ip -n "$VM_NETNS" addr add 192.168.7.1/24 dev "$host_if"
demo_cmd host ip -n "$VM_NETNS" link set "$host_if" up
# No bounce of the board's link here: the carrier must come from gadgetd's
# own link handling.
n=0
until vm__host_carrier "$host_if"; do
	n=$((n + 1))
	[ $n -le 100 ] ||
		vm_fail "host: $host_if has no carrier 10 s after it came up, while the board's $gadget_if is $(ip -br link show dev "$gadget_if" | tr -s ' ' | cut -d' ' -f2) (a missed NetworkConnection notification? tests/vm/README.md, Kernel behaviour seen here)"
	sleep 0.1
done
demo_cmd host ip -n host -br link show dev "$host_if"
vm_expect_contains "host carrier" LOWER_UP "$DEMO_OUT"
demo_cmd host ip netns exec host ping -c 3 -i 0.2 -W 3 192.168.7.2
vm_expect_contains "ping" " 0% packet loss" "$DEMO_OUT"

demo_section "3. Switch to ecm+msd: the host gets a disk"
mkdir -p "${DEMO_IMAGE%/*}"
demo_cmd board truncate -s 32M "$DEMO_IMAGE"
demo_cmd board mkdosfs -n GADGETD "$DEMO_IMAGE"
old_dev=$VM_HOST_DEV
start=$(vm__now_cs)
demo_cmd board gadgetd switch ecm+msd
demo "    (returned after $(vm__cs_to_s $(($(vm__now_cs) - start))) s)"
vm_wait 10 "host: the ecm-only device leaving the bus" vm__not_exists "$old_dev/product"
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether usb-storage
vm_host_expect_attr product "gadgetd Ethernet + Storage"
vm_daemon_wait_state configured 10
demo_cmd board gadgetd status
vm_expect_contains "status after switch" "ecm+msd" "$DEMO_OUT"
demo "host: product '$(vm_host_attr product)', interfaces:"
vm_host_interfaces | sed 's/^/demo|     /'
vm_host_block_dev 0 15
demo_cmd host lsscsi
demo_cmd host blockdev --getsize64 "/dev/$VM_HOST_BLOCK"
vm_expect_eq "host block device size" $((32 * 1024 * 1024)) "$DEMO_OUT"
# FAT32's volume label: 11 bytes at offset 71 of the boot sector, read by
# the host through USB.
demo_sh host "dd if=/dev/$VM_HOST_BLOCK bs=1 skip=71 count=11 2>/dev/null; echo"
vm_expect_match "volume label the host reads" "GADGETD*" "$DEMO_OUT"

demo_section "4. Stop the daemon: the gadget is gone"
demo "board# kill -TERM %1"
vm_daemon_stop
wait "$VM_DAEMON_PID"
rc=$?
demo "    (gadgetd exited with status $rc)"
vm_expect_eq "gadgetd's exit status after SIGTERM" 0 "$rc"
vm_wait_host_gone 10
demo_cmd board ls "$VM_GADGETS"
vm_expect_eq "gadgets after SIGTERM" "" "$DEMO_OUT"
demo "host: USB devices now: $(vm_host_devices)"
demo "board# gadgetd status"
out=$(gadgetd status 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/demo|     /'
demo "    (exit status $rc: no daemon)"
vm_expect_eq "status exit status without a daemon" 3 "$rc"

demo_section "The daemon's log ($DEMO_LOG)"
sed 's/^/demo|     /' "$DEMO_LOG"
demo ""
demo "Done: each step above was checked, not only shown."
