# gadgetd.service recovers under systemd: a main process killed with -9 is
# started again by Restart= (the gadget it left is removed and rebuilt, the
# host enumerates it anew), and one that stops answering (SIGSTOP) is
# killed by systemd's watchdog (WatchdogSec=, shortened by a drop-in) and
# started again the same way; a healthy daemon keeps the watchdog fed.
# vm: init=systemd
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/systemd.sh"

vm_need_gadgetd
vm_udc
u=gadgetd.service

vm_unit_wait_running $u 60
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_unit_wait $u StatusText "configured: profile ecm-only, udc $VM_UDC" 10
vm_unit_expect $u NRestarts 0
vm_configfs_listing >/tmp/first.txt

# $1 restarts so far, $2 the main pid before: systemd started a new one.
restarted() {
	local n p
	vm_unit_show $u NRestarts MainPID ActiveState SubState StatusText
	n=$(vm_unit_field NRestarts)
	p=$(vm_unit_field MainPID)
	VM_WAIT_SAW="NRestarts=$n MainPID=$p $(vm__unit_state_text)"
	[ "$n" = "$1" ] && [ "$p" != "$2" ] && [ "$p" != 0 ] &&
		[ "$(vm_unit_field ActiveState)/$(vm_unit_field SubState)" = active/running ]
}

# $1: what happened to the old process.  The host must lose the old
# session and configure the rebuilt gadget, the same as the first.
expect_recovered() {
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_wait_host_drivers 10 cdc_ether
	vm_expect_ne "host device number after $1 (re-enumerated)" "$devnum" \
		"$(cat "$VM_HOST_DEV/devnum")"
	vm_unit_wait $u StatusText "configured: profile ecm-only, udc $VM_UDC" 10
	vm_expect_eq "gadgets after $1" gadgetd "$(vm_gadgets)"
	vm_configfs_listing >/tmp/again.txt
	if ! cmp -s /tmp/first.txt /tmp/again.txt; then
		diff /tmp/first.txt /tmp/again.txt | head -n 20
		vm_fail "the gadget rebuilt after $1 differs from the first one"
	fi
	vm_run gadgetd status
	vm_expect_contains "status after $1" "state:     configured" "$VM_OUT"
}

# kill -9: no teardown, the gadget stays bound; Restart=on-failure.
pid=$VM_MAIN_PID
devnum=$(cat "$VM_HOST_DEV/devnum")
t0=$(vm__now_cs)
kill -KILL "$pid"
vm_wait 15 "systemd restarting $u after kill -9" restarted 1 "$pid"
vm_log "figure: kill -9 to a new main pid running: $(vm__cs_to_s $(($(vm__now_cs) - t0))) s (RestartSec=$(vm_unit_prop $u RestartUSec))"
vm_unit_expect $u ActiveState active
journalctl -b -u $u --no-pager -o cat | grep -q "Main process exited, code=killed, status=9/KILL" ||
	vm_fail "journal: no 'Main process exited, code=killed, status=9/KILL' for $u"
expect_recovered "kill -9"
leftovers() {
	journalctl -b -u $u --no-pager -o cat |
		grep -c "gadget gadgetd: left over from an earlier run, removing it"
}
vm_expect_eq "journal: leftover gadgets removed after kill -9" 1 "$(leftovers)"

# The watchdog.  The unit's WatchdogSec (30 s) shortened to 3 s by a
# drop-in, as an administrator would; it takes effect at the next start.
vm_unit_expect $u WatchdogUSec 30s
mkdir -p /run/systemd/system/gadgetd.service.d
printf '[Service]\nWatchdogSec=3s\n' >/run/systemd/system/gadgetd.service.d/watchdog.conf
vm_run systemctl daemon-reload
vm_run systemctl restart $u
vm_unit_wait_running $u 10
vm_unit_expect $u WatchdogUSec 3s
vm_expect_contains "WATCHDOG_USEC in the daemon's environment" WATCHDOG_USEC=3000000 \
	"$(tr '\0' '\n' <"/proc/$VM_MAIN_PID/environ")"
vm_wait_host_device 0x1d6b 0x0104 10
vm_unit_wait $u StatusText "configured: profile ecm-only, udc $VM_UDC" 10
# Fed: systemd records each WATCHDOG=1; three in a row, and it lives on.
fed=$(vm_unit_prop $u WatchdogTimestampMonotonic)
for n in 1 2 3; do
	vm_wait 4 "watchdog ping $n from gadgetd" \
		sh -c '[ "$(systemctl show --value -p WatchdogTimestampMonotonic '$u')" != "$0" ]' "$fed"
	fed=$(vm_unit_prop $u WatchdogTimestampMonotonic)
done
vm_log "watchdog: fed three times, last at $(vm_unit_mono $u WatchdogTimestampMonotonic) s"
# systemctl restart starts the count of automatic restarts again.
vm_unit_expect $u NRestarts 0

# Stopped: no more WATCHDOG=1.  systemd sends SIGABRT (and SIGCONT) after
# 3 s, the process dies, Restart= starts a new one.
pid=$(vm_unit_prop $u MainPID)
devnum=$(cat "$VM_HOST_DEV/devnum")
t0=$(vm__now_cs)
kill -STOP "$pid"
vm_wait 20 "systemd's watchdog restarting a stopped $u" restarted 1 "$pid"
vm_log "figure: SIGSTOP to a new main pid running: $(vm__cs_to_s $(($(vm__now_cs) - t0))) s (WatchdogSec=3s, RestartSec=1s)"
journalctl -b -u $u --no-pager -o cat | grep -q "Watchdog timeout (limit 3s)" ||
	vm_fail "journal: no 'Watchdog timeout (limit 3s)' for $u"
[ ! -d "/proc/$pid" ] || vm_fail "stopped gadgetd (pid $pid) still there after the watchdog"
expect_recovered "the watchdog"
vm_expect_eq "journal: leftover gadgets removed after the watchdog" 2 "$(leftovers)"
vm_journal_unit $u
printf '%s\n' "$VM_JOURNAL" | grep -i 'watchdog\|main process\|leftover\|scheduled restart' |
	sed 's/^/    | /'
