# A function's `program` (gadgetd.profile(5)): gadgetd starts the
# FunctionFS daemon (vm-ffs) after the mount and before the bind, and the
# host enumerates.  kill -9 of the program: the host loses the device,
# gadgetd starts the program again after the back-off and the host
# enumerates a new device (another devnum); status shows restarts 1 and
# signal 9.  An ACM function's program that exits at once (/bin/false) is
# started again with growing delays that status shows, while the gadget
# stays up for the host.  The program keeps no fd of the daemon's, reads
# /dev/null and leads its own process group.  Non-root: bob cannot make
# gadgetd run his program (his profile path is refused; root's profile
# naming bob's program gets it refused, one line naming it); positive
# control: root's profile in profile_dirs runs vm-ffs.  `switch` away
# stops the program while its functionfs is still mounted; SIGTERM to
# gadgetd leaves no program behind.
# vm: timeout=180
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_need_tool vm-ffs
vm_need_tool vm-runas
[ -x /bin/false ] || vm_skip "no /bin/false in the image"
vm_udc
vm_daemon_users
vm_daemon_config socket_group=gadget
dir=$(sed -n 's/^profile_dirs *= *\([^ ;]*\).*/\1/p' "$VM_GADGETD_CONF")
mkdir -p "$dir"
cat >"$dir/ffs-prog.ini" <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0105
product = gadgetd FunctionFS program
[config 1]
functions = ffs.test acm.GS0
[function ffs.test]
program = /usr/bin/vm-ffs /dev/usb-ffs/test
[function acm.GS0]
program = /bin/false
INI
vm_daemon_config socket_group=gadget "profile=ffs-prog"

# prog FUNCTION: that function's entry of status --json (VM_STATUS), one
# line: "name":"F",...,"program":{...}
prog() {
	printf '%s\n' "$VM_STATUS" | sed -n "s/.*{\"name\":\"$1\"/\"name\":\"$1\"/p" |
		sed -e 's/{"name":.*//' -e 's/\],"luns".*//'
}
# prog_num FUNCTION KEY: a number (or null) of its program.
prog_num() {
	prog "$1" | sed -n "s/.*\"$2\":\([0-9a-z]*\).*/\1/p"
}
prog_state() {
	prog "$1" | sed -n 's/.*"program":{[^}]*"run_state":"\([^"]*\)".*/\1/p'
}
# A vm_wait predicate: FUNCTION's program has restarted N times and waits
# (the status seen stays in VM_STATUS).
prog_waiting_after() {
	VM_STATUS=$(vm_gadgetd status --json 2>/dev/null) || return 1
	VM_WAIT_SAW=$(prog "$1")
	[ "$(prog_num "$1" restarts)" -ge "$2" ] &&
		[ "$(prog_state "$1")" = "waiting to restart" ]
}
prog_running_after() {
	VM_STATUS=$(vm_gadgetd status --json 2>/dev/null) || return 1
	VM_WAIT_SAW=$(prog "$1")
	[ "$(prog_num "$1" restarts)" = "$2" ] &&
		[ "$(prog_state "$1")" = running ]
}
# ffs_programs: pids of the vm-ffs processes, space-separated.
ffs_programs() {
	local p out=""
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = vm-ffs ] && out="$out ${p#/proc/}"
	done
	echo $out
}

t0=$(vm__now_cs)
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0105 15
vm_log "figure: daemon start to host enumeration: $(vm__cs_to_s $(($(vm__now_cs) - t0))) s"
vm_host_expect_attr product "gadgetd FunctionFS program"
vm_expect_match "host interfaces" "1.0 ff *" "$(vm_host_interfaces)"
vm_daemon_wait_state configured 5
vm_daemon_status_json
pid=$(prog_num ffs.test pid)
vm_expect_eq "ffs.test program state" running "$(prog_state ffs.test)"
vm_expect_eq "ffs.test restarts" 0 "$(prog_num ffs.test restarts)"
vm_expect_eq "ffs.test last exit" null "$(prog_num ffs.test last_exit)"
vm_expect_eq "the vm-ffs gadgetd started" "$pid" "$(ffs_programs)"

# What the program got from the daemon: stdin /dev/null, its output in a
# pipe, nothing else of the daemon's (no control socket), its own group.
vm_expect_eq "program stdin" /dev/null "$(readlink "/proc/$pid/fd/0")"
vm_expect_match "program stdout" "pipe:*" "$(readlink "/proc/$pid/fd/1")"
fds=$(ls -l "/proc/$pid/fd" | sed -n 's/.*-> //p' | tr '\n' ' ')
vm_log "program fds: $fds"
case "$fds" in
*socket:* | *anon_inode:* | *gadgetd* | *netlink*)
	vm_fail "the program holds an fd of the daemon's: $fds" ;;
esac
vm_expect_eq "program's process group" "$pid" \
	"$(cut -d' ' -f5 "/proc/$pid/stat")"
vm_expect_eq "program's parent" "$VM_DAEMON_PID" \
	"$(cut -d' ' -f4 "/proc/$pid/stat")"

# /bin/false exits at once: 1 s, then 2 s, then 4 s; the gadget stays up.
devnum=$(vm_host_attr devnum)
vm_wait 15 "acm.GS0's program restarted twice" prog_waiting_after acm.GS0 2
vm_log "acm.GS0: $(prog acm.GS0)"
restarts=$(prog_num acm.GS0 restarts)
delay=$(prog_num acm.GS0 restart_delay_ms)
next=$(prog_num acm.GS0 next_restart_ms)
vm_expect_match "acm.GS0 last exit" '*"last_exit":{"code":1}*' "$(prog acm.GS0)"
# After restart N the back-off is 2^N s (the status seen may be a later
# one than the second restart's).
vm_expect_eq "acm.GS0's back-off after $restarts restarts" \
	$((1000 << restarts)) "$delay"
[ "$next" -le "$delay" ] ||
	vm_fail "acm.GS0's next start in $next ms, more than its back-off $delay ms"
vm_expect_eq "host device while acm's program restarts" "$devnum" \
	"$(vm_host_attr devnum)"
vm_daemon_expect state configured

# kill -9: the kernel unbinds, gadgetd starts it again, the host sees a
# new device.
t0=$(vm__now_cs)
kill -9 "$pid"
vm_wait_host_gone 5
vm_wait 10 "ffs.test's program back" prog_running_after ffs.test 1
vm_log "figure: kill -9 to program restarted: $(vm__cs_to_s $(($(vm__now_cs) - t0))) s"
vm_expect_match "ffs.test last exit" '*"last_exit":{"signal":9}*' "$(prog ffs.test)"
vm_wait_host_device 0x1d6b 0x0105 10
vm_log "figure: kill -9 to host enumeration: $(vm__cs_to_s $(($(vm__now_cs) - t0))) s"
vm_expect_ne "host devnum after the restart" "$devnum" "$(vm_host_attr devnum)"
vm_daemon_wait_state configured 5
pid2=$(ffs_programs)
vm_expect_ne "vm-ffs after the restart" "$pid" "$pid2"
vm_expect_eq "vm-ffs processes" 1 "$(echo "$pid2" | wc -w)"

# Non-root: bob's profile path is refused before anything runs; root's
# profile naming bob's program gets it refused when it would start.
as_bob() { vm-runas bob gadgetd -c "$VM_GADGETD_CONF" "$@"; }
vm_run vm-runas bob sh -c 'cat >/home/bob/evil.sh <<SH
#!/bin/sh
touch /tmp/evil-ran
exec /usr/bin/vm-ffs "\$@"
SH
chmod 755 /home/bob/evil.sh
cat >/home/bob/evil.ini <<INI
[config 1]
functions = ffs.test
[function ffs.test]
program = /home/bob/evil.sh /dev/usb-ffs/test
INI'
vm_run_fails as_bob switch /home/bob/evil.ini
vm_expect_contains "bob switches to his profile" "a profile path needs root" "$VM_OUT"
vm_expect_no_file "bob's program did not run" /tmp/evil-ran
vm_daemon_expect state configured
cp /home/bob/evil.ini /tmp/bob-program.ini
vm_run vm_gadgetd switch /tmp/bob-program.ini
vm_daemon_status_json
vm_expect_eq "bob's program" refused "$(prog_state ffs.test)"
vm_expect_no_file "bob's program did not run" /tmp/evil-ran
vm_expect_eq "vm-ffs after the switch" "" "$(ffs_programs)"

# `switch` away stops the program while its functionfs is still mounted.
mkdir -p /usr/local/bin
cat >/usr/local/bin/ffs-wrap <<'SH'
#!/bin/sh
trap 'grep -c " $1 functionfs " /proc/mounts >/tmp/at-term; exit 0' TERM
/usr/bin/vm-ffs "$1" &
wait
SH
chmod 755 /usr/local/bin/ffs-wrap
cat >/tmp/wrap.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0106
[config 1]
functions = ffs.wrap
[function ffs.wrap]
program = /usr/local/bin/ffs-wrap /dev/usb-ffs/wrap
INI
cat >/tmp/acm.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
[config 1]
functions = acm.GS0
[function acm.GS0]
INI
vm_run vm_gadgetd switch /tmp/wrap.ini
vm_wait_host_device 0x1d6b 0x0106 10
vm_run vm_gadgetd switch /tmp/acm.ini
vm_expect_eq "functionfs mounts when the program got SIGTERM" 1 "$(cat /tmp/at-term)"
vm_expect_eq "vm-ffs after switching away" "" "$(ffs_programs)"
grep -q ' /dev/usb-ffs/wrap ' /proc/mounts &&
	vm_fail "functionfs still mounted on /dev/usb-ffs/wrap after the switch"
vm_wait_host_device 0x1d6b 0x0104 10

# SIGTERM to gadgetd: no program left behind.
vm_run vm_gadgetd switch ffs-prog
vm_wait_host_device 0x1d6b 0x0105 10
pid=$(ffs_programs)
vm_expect_eq "vm-ffs processes" 1 "$(echo "$pid" | wc -w)"
vm_daemon_stop
vm_expect_eq "vm-ffs after SIGTERM" "" "$(ffs_programs)"
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
grep -q ' /dev/usb-ffs/test ' /proc/mounts &&
	vm_fail "functionfs still mounted on /dev/usb-ffs/test after SIGTERM"
true
