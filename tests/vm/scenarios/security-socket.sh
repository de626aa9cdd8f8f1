# gadgetd.conf(5) and gadgetd(8): the control socket, the pid file and hooks against a member of
# socket_group.  A socket directory the group may write is refused at
# start; a socket swapped for a link to a root-only file does not make
# `reload` hand that file to the group; a member holding 40 connections
# does not keep root or another member out (20 of 20 `status` each); a
# second daemon leaves the first one's pid file alone; hooks run only when
# root owns them and nobody else may write them or their directory.
# Positive controls: the first daemon answers, owns and at SIGTERM removes
# its pid file, root's own hook runs.
# vm: timeout=180
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_need_tool vm-runas
vm_need_tool vm-control
vm_udc
vm_daemon_users
mkdir -p /root
chmod 0700 /root
printf 'root only\n' >/root/victim
chmod 0600 /root/victim

# A socket directory the group may write: refused before anything is made.
mkdir -p /tmp/gsock
chown 0:500 /tmp/gsock
chmod 0770 /tmp/gsock
vm_daemon_config socket_group=gadget socket=/tmp/gsock/gadgetd.sock
vm_run_fails gadgetd -c /tmp/gadgetd.conf daemon
vm_expect_eq "daemon with a group-writable socket dir: exit status" 1 "$VM_RC"
vm_expect_contains "daemon with a group-writable socket dir" \
	"/tmp/gsock: owned by uid 0, mode 770: the socket's directory must be owned by uid 0 and not writable by group or others" \
	"$VM_OUT"
vm_expect_no_file "socket in the group-writable dir" /tmp/gsock/gadgetd.sock
vm_expect_eq "gadgets after the refused start" "" "$(vm_gadgets)"

# Hooks: root's (runs), a member's 0777 one and a group-writable one of
# root's (skipped), and a last one of root's that says the others had
# their turn.
mkdir -p /tmp/hooks.d
chmod 0755 /tmp/hooks.d
hook() {
	printf '#!/bin/sh\necho "$1 $GADGETD_STATE" >>/tmp/hook-%s.log\n' "$2" >"/tmp/hooks.d/$1"
	chmod "$3" "/tmp/hooks.d/$1"
}
hook 10-root root 0755
hook 20-bob bob 0777
chown 1001:1001 /tmp/hooks.d/20-bob
hook 30-groupw groupw 0775
hook 99-last last 0755

vm_daemon_config socket_group=gadget
sock=/run/gadgetd/gadgetd.sock
# The daemon's log into a file (a regular file stays its stderr after
# --background) so that its warnings can be waited for.
vm_log "run: gadgetd -c /tmp/gadgetd.conf -v daemon --background --pidfile $VM_DAEMON_PIDFILE 2>/tmp/daemon.log"
gadgetd -c /tmp/gadgetd.conf -v daemon --background --pidfile $VM_DAEMON_PIDFILE 2>/tmp/daemon.log ||
	vm_fail "gadgetd daemon --background failed: $(tail -n 3 /tmp/daemon.log)"
first=$(cat $VM_DAEMON_PIDFILE)
VM_DAEMON_PID=$first
vm_daemon_wait_state configured 10
vm_wait 10 "hook 99-last ran" test -s /tmp/hook-last.log
vm_expect_file "root's hook ran" /tmp/hook-root.log
vm_expect_no_file "bob's 0777 hook ran" /tmp/hook-bob.log
vm_expect_no_file "root's group-writable hook ran" /tmp/hook-groupw.log
vm_expect_contains "daemon log" "hook /tmp/hooks.d/20-bob: not owned by root; skipped" "$(cat /tmp/daemon.log)"
vm_expect_contains "daemon log" "hook /tmp/hooks.d/30-groupw: writable by group or others; skipped" "$(cat /tmp/daemon.log)"
# A directory others may write: none of its hooks.
chmod 0777 /tmp/hooks.d
rm -f /tmp/hook-*.log
vm_run vm_gadgetd down
dir_refused() {
	grep -q "hooks /tmp/hooks.d: writable by group or others; running none of its hooks" /tmp/daemon.log
}
vm_wait 10 "the daemon refusing the 0777 hooks dir" dir_refused
vm_expect_no_file "root's hook in a 0777 dir ran" /tmp/hook-root.log
vm_expect_no_file "last hook in a 0777 dir ran" /tmp/hook-last.log
chmod 0755 /tmp/hooks.d
vm_run vm_gadgetd up
vm_daemon_wait_state configured 10

# A second daemon: refused before it touches anything of the first's.
vm_run_fails gadgetd -c /tmp/gadgetd.conf daemon --background --pidfile $VM_DAEMON_PIDFILE
vm_expect_eq "second daemon: exit status" 1 "$VM_RC"
vm_expect_contains "second daemon" "pidfile $VM_DAEMON_PIDFILE: locked by another gadgetd" "$VM_OUT"
vm_expect_eq "pid file after the second daemon" "$first" "$(cat $VM_DAEMON_PIDFILE 2>&1)"
vm_run vm_gadgetd status
vm_daemon_expect state configured

# The socket swapped for a link to a root-only file, then `reload` (which
# sets the socket's group again): the file keeps its owner and mode.
mv $sock /run/gadgetd/other.sock
ln -s /root/victim $sock
vm_run gadgetd -c /tmp/gadgetd.conf -s /run/gadgetd/other.sock reload
vm_expect_eq "victim after reload" "-rw------- root root" \
	"$(ls -l /root/victim | awk '{print $1, $3, $4}')"
rm $sock
mv /run/gadgetd/other.sock $sock
vm_expect_eq "socket after reload" "srw-rw---- root gadget" \
	"$(ls -l $sock | awk '{print $1, $3, $4}')"

# Bob holds 40 connections (the daemon drops idle ones after 2 s; he opens
# them again at once); root and carol are answered 20 times of 20.
vm-runas bob vm-control $sock hold 40 100 >/tmp/hold.out 2>&1 &
holder=$!
held() {
	VM_WAIT_SAW=$(grep -c "$sock" /proc/net/unix)
	[ "$VM_WAIT_SAW" -ge 5 ]
}
vm_wait 5 "bob's connections in /proc/net/unix" held
root_ok=0 carol_ok=0
for i in $(seq 1 20); do
	vm_gadgetd status >/dev/null 2>&1 && root_ok=$((root_ok + 1))
	vm-runas carol gadgetd -c /tmp/gadgetd.conf status >/dev/null 2>&1 &&
		carol_ok=$((carol_ok + 1))
done
kill -0 $holder 2>/dev/null || vm_fail "bob's connection holder ended early: $(cat /tmp/hold.out)"
kill $holder
wait $holder
vm_log "figure: during bob's 40 connections root answered $root_ok of 20, carol $carol_ok of 20"
vm_expect_eq "root's status during bob's flood" 20 "$root_ok"
vm_expect_eq "carol's status during bob's flood" 20 "$carol_ok"

vm_daemon_stop
vm_expect_no_file "pid file removed by its daemon" $VM_DAEMON_PIDFILE
