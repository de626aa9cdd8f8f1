# Host presence (SPEC 7.2), judged from the host side and the daemon's.
# usbip bed: `usbip detach` and `attach` pull and plug the cable with the
# gadget bound; status host.attached, the state (no-host <-> configured)
# and the host-detach / host-attach hooks follow, in that order; the
# figure printed is the time from the detach or attach command to the
# hook.  dummy bed: dummy_udc's state does not move when the host side
# powers its port off (port/disable) and on: the board cannot tell, so
# attached stays null, the state stays what the UDC says and no host hook
# runs.  The figures printed: from the UDC's state change (seen by
# vm-udc-watch beside the daemon) to the hook, and from the usbip command
# to it.  On both, the daemon does not wake up while nothing is attached
# (voluntary context switches over 5 s; a status request is the positive
# control).  extcon, Type-C and power_supply cannot be made in this
# kernel (no test driver): tests/unit/test-host-presence covers them.
# vm: beds=dummy usbip
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc

vm_need_tool vm-udc-watch

# A hook that logs when it ran and what for: /proc/uptime (10 ms steps)
# by the shell's own read, as its first act, so that no program start
# counts.
mkdir -p /tmp/hooks.d
chmod 0755 /tmp/hooks.d
cat >/tmp/hooks.d/10-log <<'EOF'
#!/bin/sh
read -r up _ </proc/uptime
echo "hook: $GADGETD_EVENT $GADGETD_STATE" >/dev/kmsg
echo "$up $GADGETD_EVENT $GADGETD_STATE $GADGETD_PROFILE $GADGETD_UDC" >>/tmp/hooks.log
EOF
chmod 0755 /tmp/hooks.d/10-log
: >/tmp/hooks.log

# The figures come from the kernel's log, one clock for all: gadgetd's
# log (its stderr), vm-udc-watch's lines and the hook's go to /dev/kmsg,
# unthrottled.
echo on >/proc/sys/kernel/printk_devkmsg
vm_daemon_config
vm_daemon_start 2>/dev/kmsg

# The host object of status --json, as printed.
host_json() {
	vm_daemon_status_json
	printf '%s\n' "$VM_STATUS" | sed -n 's/.*"host":{\([^}]*\)}.*/\1/p'
}
expect_host() {
	vm_expect_eq "status host ($1)" "$2" "$(host_json)"
}
# The hook log's events, one word each, space-separated.
hook_events() {
	cut -d' ' -f2 /tmp/hooks.log | tr '\n' ' ' | sed 's/ $//'
}
# hook_logged N EVENT STATE: the hooks ran N times for EVENT, the last
# with STATE.
hook_logged() {
	VM_WAIT_SAW="hooks: $(hook_events)"
	[ "$(grep -c " $2 " /tmp/hooks.log)" = "$1" ] &&
		grep " $2 " /tmp/hooks.log | tail -n 1 | grep -q " $2 $3 "
}
# Milliseconds from time $1 to hook event $2's last run.
hook_latency_ms() {
	grep " $2 " /tmp/hooks.log | tail -n 1 |
		awk -v t0="$1" '{ printf "%.1f\n", ($1 - t0) * 1000 }'
}
# vm-udc-watch beside the daemon, until stop_watch.
start_watch() {
	dmesg -c >/dev/null
	vm-udc-watch "$VM_UDC" 30 >/dev/kmsg &
	VM_WATCH_PID=$!
	vm_wait 5 "vm-udc-watch ready" watch_ready
}
watch_ready() {
	dmesg | grep -q '\] ready$'
}
stop_watch() {
	kill "$VM_WATCH_PID" 2>/dev/null
	wait "$VM_WATCH_PID" 2>/dev/null
	dmesg | sed -n 's/^\[ *[0-9.]*\] \([0-9.]* [a-z ]*\)$/\1/p' >/tmp/udc-watch.log
	vm_log "UDC states seen: $(tr '\n' ' ' </tmp/udc-watch.log)"
}
# When the UDC last changed to state $1.
state_changed_at() {
	grep " $1\$" /tmp/udc-watch.log | tail -n 1 | cut -d' ' -f1
}
# The kernel log's time of the last line matching $1, in ms.
kmsg_ms() {
	dmesg | grep -- "$1" | tail -n 1 |
		sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p' | awk '{ printf "%.1f\n", $1 * 1000 }'
}
# kmsg_figures STATE EVENT: from the UDC's change to STATE (vm-udc-watch's
# line) to gadgetd reading it, to gadgetd starting the hook for EVENT,
# to the hook's first line.
kmsg_figures() {
	local w d s h
	w=$(kmsg_ms "\] [0-9.]* $1\$")
	d=$(kmsg_ms "gadgetd: udc $VM_UDC: state $1\$")
	s=$(kmsg_ms "event $2, state")
	h=$(kmsg_ms "hook: $2 ")
	vm_log "$2 (kernel log clock): UDC state $1 seen by vm-udc-watch at $w ms, by gadgetd at $d ms; gadgetd started the hook at $s ms, the hook ran at $h ms: $(awk -v a="$w" -v b="$h" 'BEGIN { printf "%.1f", b - a }') ms from state change to hook"
	# What else ran meanwhile (the host side's enumeration shares the
	# one CPU): the kernel log between gadgetd's read and the hook.
	dmesg | awk -v a="$d" -v b="$h" '{ t = substr($0, 2, index($0, "]") - 2) * 1000 }
		t >= a && t <= b { print "    | " $0 }' | head -n 30
}
# Hooks done (no child of the daemon left), so nothing is pending.
daemon_quiet() {
	VM_WAIT_SAW="children: $(cat /proc/$VM_DAEMON_PID/task/*/children 2>/dev/null)"
	[ -z "$(cat /proc/$VM_DAEMON_PID/task/*/children 2>/dev/null | tr -d ' ')" ]
}
ctxt() {
	sed -n "s/^$1:[[:space:]]*//p" /proc/$VM_DAEMON_PID/status
}
# No wakeup in 5 s with no host; a status request then does wake it.
expect_idle() {
	local v0 n0 v1 n1 v2
	vm_wait 10 "gadgetd's hooks finished" daemon_quiet
	v0=$(ctxt voluntary_ctxt_switches)
	n0=$(ctxt nonvoluntary_ctxt_switches)
	sleep 5
	v1=$(ctxt voluntary_ctxt_switches)
	n1=$(ctxt nonvoluntary_ctxt_switches)
	vm_log "idle, $1: voluntary context switches $v0 -> $v1, nonvoluntary $n0 -> $n1 over 5 s"
	vm_expect_eq "gadgetd's voluntary context switches over 5 s idle ($1)" "$v0" "$v1"
	vm_run vm_gadgetd status
	v2=$(ctxt voluntary_ctxt_switches)
	vm_log "after one status request: voluntary context switches $v1 -> $v2"
	[ "$v2" -gt "$v1" ] ||
		vm_fail "positive control: expected gadgetd's voluntary context switches to grow at a status request, saw $v1 -> $v2"
}

if [ "$VM_BED" = usbip ]; then
	# Bound, no host yet: usbip-vudc says "not attached".
	vm_daemon_wait_state no-host 10
	expect_host "bound, before the first attach" \
		'"attached":false,"source":"udc","speed":null'
	vm_run vm_gadgetd status
	vm_expect_contains "text status" "host:      none (udc)" "$VM_OUT"

	start_watch
	t0=$(vm-udc-watch now)
	vm_bed_attach
	# Waiting on the hook's log costs the one CPU little; status
	# requests (a sanitized client each) would slow the daemon down.
	vm_wait 10 "the host-attach hook" hook_logged 1 host-attach configured
	stop_watch
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_daemon_wait_state configured 10
	kmsg_figures configured host-attach
	vm_log "host-attach: hook $(hook_latency_ms "$(state_changed_at configured)" host-attach) ms after the UDC state turned configured, $(hook_latency_ms "$t0" host-attach) ms after vm_bed_attach began (the host's enumeration included)"
	expect_host "attached" '"attached":true,"source":"udc","speed":"high-speed"'
	vm_run vm_gadgetd status
	vm_expect_contains "text status" "host:      attached (udc, high-speed)" "$VM_OUT"

	start_watch
	t0=$(vm-udc-watch now)
	vm_bed_detach
	vm_wait 5 "the host-detach hook" hook_logged 1 host-detach no-host
	stop_watch
	vm_daemon_wait_state no-host 5
	kmsg_figures default host-detach
	vm_log "host-detach: hook $(hook_latency_ms "$(state_changed_at default)" host-detach) ms after the UDC state turned default, $(hook_latency_ms "$t0" host-detach) ms after vm_bed_detach began"
	vm_expect_eq "UDC state after the detach" default "$(vm_udc_state)"
	expect_host "detached" '"attached":false,"source":"udc","speed":null'
	expect_idle "usbip, detached"

	start_watch
	t0=$(vm-udc-watch now)
	vm_bed_attach
	vm_wait 10 "the second host-attach hook" hook_logged 2 host-attach configured
	stop_watch
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_daemon_wait_state configured 10
	kmsg_figures configured host-attach
	vm_log "host-attach again: hook $(hook_latency_ms "$(state_changed_at configured)" host-attach) ms after the UDC state turned configured, $(hook_latency_ms "$t0" host-attach) ms after vm_bed_attach began"
	expect_host "attached again" '"attached":true,"source":"udc","speed":"high-speed"'
	vm_expect_match "hook events in order" \
		"start*host-attach*host-detach*host-attach" "$(hook_events)"
	vm_bed_detach
	vm_daemon_wait_state no-host 5
else
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_daemon_wait_state configured 10
	expect_host "dummy_udc" '"attached":null,"source":null,"speed":null'
	vm_run vm_gadgetd status
	vm_expect_contains "text status" "host:      unknown" "$VM_OUT"
	port=$(readlink -f "$VM_HOST_DEV/port")
	[ -e "$port/disable" ] || vm_fail "host port: expected $port/disable, saw none"
	vm_write 1 "$port/disable"
	vm_wait_host_gone 5
	# dummy_udc: the host powered the port off and the UDC still says
	# configured; gadgetd cannot tell and does not pretend to.
	vm_expect_eq "UDC state with the host port off" configured "$(vm_udc_state)"
	vm_daemon_expect state configured
	expect_host "host port off" '"attached":null,"source":null,"speed":null'
	# The daemon still believes in a configured host: its host-link
	# check runs its course first (link_check.h).
	vm_daemon_wait_link_checked 30
	expect_idle "dummy, host port off"
	vm_write 0 "$port/disable"
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_daemon_wait_state configured 10
	expect_host "host port on" '"attached":null,"source":null,"speed":null'
	case " $(hook_events) " in
	*" host-"*) vm_fail "hooks: expected no host-attach or host-detach with dummy_udc, saw: $(hook_events)" ;;
	esac
fi
vm_log "hooks: $(hook_events)"
vm_daemon_stop
