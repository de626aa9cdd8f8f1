# The installed SysV init script under busybox (ash, start-stop-daemon, no
# udev), as on a Buildroot board: start returns once the gadget is applied,
# start and stop are idempotent (LSB), status asks the daemon, reload keeps
# it running, stop leaves no gadget, restart brings it back.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config

# Wherever the install's sysconfdir put it (see vm_daemon_config).
script=""
for d in /etc /usr/etc /usr/local/etc; do
	[ -x "$d/init.d/gadgetd" ] && script=$d/init.d/gadgetd && break
done
[ -n "$script" ] || vm_fail "no installed init.d/gadgetd in the image"
pidfile=/run/gadgetd.pid
# The daemon's log, into the console log whatever the outcome.
trap 'sed "s/^/    gadgetd.log | /" /var/log/gadgetd.log 2>/dev/null' EXIT
mkdir -p /etc/default
printf 'GADGETD_OPTS="%s"\n' "$VM_GADGETD_GLOBAL" >/etc/default/gadgetd
# The script names the binary by the prefix the build was configured for;
# `cmake --install --prefix` may have put it elsewhere.  /etc/default may
# set DAEMON, so point it at the binary the image has.
daemon=$(sed -n 's/^DAEMON=//p' "$script")
if [ ! -x "$daemon" ]; then
	vm_log "$script names $daemon, not installed; DAEMON=$VM_GADGETD"
	printf 'DAEMON=%s\n' "$VM_GADGETD" >>/etc/default/gadgetd
fi

vm_run "$script" start
vm_expect_eq "start says" "Starting gadgetd: OK" "$VM_OUT"
vm_expect_file "pidfile after start" "$pidfile"
pid=$(cat "$pidfile")
vm_daemon_wait_state configured 10
vm_wait_host_device 0x1d6b 0x0104 10

vm_run "$script" start
vm_expect_eq "second start says" "Starting gadgetd: OK" "$VM_OUT"
vm_expect_eq "pid after a second start" "$pid" "$(cat "$pidfile")"

vm_run "$script" status
vm_expect_contains "status names the profile" "ecm-only" "$VM_OUT"

vm_run "$script" reload
vm_daemon_wait_state configured 10
vm_expect_eq "pid after reload" "$pid" "$(cat "$pidfile")"

vm_run "$script" stop
vm_expect_eq "stop says" "Stopping gadgetd: OK" "$VM_OUT"
vm__pid_gone "$pid" || vm_fail "gadgetd (pid $pid) still running after stop"
vm_expect_no_file "pidfile after stop" "$pidfile"
vm_expect_eq "gadgets after stop" "" "$(vm_gadgets)"
vm_wait_host_gone 5

vm_run "$script" stop
vm_expect_eq "second stop says" "Stopping gadgetd: OK" "$VM_OUT"

vm_log "run (status 3 expected): $script status"
out=$("$script" status 2>&1)
vm_expect_eq "status exit code when stopped" 3 "$?"
vm_expect_eq "status says" "gadgetd: not running" "$out"

vm_run_fails "$script" reload

vm_run "$script" restart
vm_expect_eq "restart says" "Restarting gadgetd: OK" "$VM_OUT"
vm_daemon_wait_state configured 10
vm_wait_host_device 0x1d6b 0x0104 10
vm_run "$script" stop
vm_expect_eq "gadgets after the last stop" "" "$(vm_gadgets)"
