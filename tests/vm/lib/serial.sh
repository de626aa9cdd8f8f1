# Serial: bytes through the host's ttyACMn and the gadget's ttyGSn.

# vm_wait_path PATH DEADLINE: wait until PATH exists.
vm_wait_path() {
	vm_wait "$2" "$1 does not exist" test -e "$1"
	vm_log "$1 exists after $VM_WAITED s"
}

# vm__tty_pass FROM_FD TO_FD WHAT: write a line on one fd and expect the
# same bytes on the other within 5 s.
vm__tty_pass() {
	local msg="gadgetd-vm $3 $$ $(vm__now_cs)" got pid
	timeout 5 head -c ${#msg} <&"$2" >/tmp/vm-tty.out &
	pid=$!
	printf '%s' "$msg" >&"$1"
	wait $pid
	got=$(cat /tmp/vm-tty.out)
	rm -f /tmp/vm-tty.out
	vm_expect_eq "serial $3" "$msg" "$got"
}

# vm_serial_echo HOST_TTY GADGET_TTY: open both ends raw (no echo, no line
# discipline rewriting), pass a line host -> gadget and gadget -> host.
# Both ends stay open for the whole exchange, so that nothing is lost to a
# close and the raw settings hold.
vm_serial_echo() {
	vm_wait_path "$1" 5
	vm_wait_path "$2" 5
	exec 7<>"$2" 8<>"$1" ||
		vm_fail "serial: cannot open $1 and $2"
	stty raw -echo <&7 || vm_fail "serial: stty raw -echo on $2 failed"
	stty raw -echo <&8 || vm_fail "serial: stty raw -echo on $1 failed"
	vm__tty_pass 8 7 "${1##*/}->${2##*/}"
	vm__tty_pass 7 8 "${2##*/}->${1##*/}"
	exec 7<&- 8<&-
}
