# The systemd bed's view of a unit (scenarios with "# vm: init=systemd").
# Source it after vm.sh:
#	. "$VM_LIB/vm.sh"
#	. "$VM_LIB/systemd.sh"
# Everything is read from systemd itself (systemctl show, journalctl), so
# a check says what systemd saw, not what the unit file claims.

# Each systemctl is a process that loads libsystemd-shared, a few tenths
# of a second under TCG: the helpers ask for every property they need in
# one call.

# vm_unit_show UNIT PROP...: one `systemctl show`, kept in VM_UNIT_SHOW;
# vm_unit_field PROP then prints a value from it.
vm_unit_show() {
	local u=$1
	shift
	VM_UNIT_SHOW=$(systemctl show -p "$(printf '%s' "$*" | tr ' ' ',')" "$u" 2>&1)
}

vm_unit_field() {
	printf '%s\n' "$VM_UNIT_SHOW" | sed -n "s/^$1=//p"
}

# vm_unit_prop UNIT PROP: print one property now.
vm_unit_prop() {
	systemctl show --value -p "$2" "$1" 2>/dev/null
}

# The unit's state from VM_UNIT_SHOW, for messages:
# "ActiveState/SubState (StatusText)".
vm__unit_state_text() {
	printf '%s/%s (%s)' "$(vm_unit_field ActiveState)" \
		"$(vm_unit_field SubState)" "$(vm_unit_field StatusText)"
}

# vm_unit_state UNIT: the same, asked now.
vm_unit_state() {
	vm_unit_show "$1" ActiveState SubState StatusText
	vm__unit_state_text
}

# vm_unit_expect UNIT PROP EXPECTED: the property must be EXPECTED now.
vm_unit_expect() {
	vm_expect_eq "$1 $2" "$3" "$(vm_unit_prop "$1" "$2")"
}

vm__unit_prop_is() {
	local v
	vm_unit_show "$1" "$2" ActiveState SubState StatusText
	v=$(vm_unit_field "$2")
	VM_WAIT_SAW="$2=$v, $(vm__unit_state_text)"
	# shellcheck disable=SC2254 # $3 is a glob on purpose
	case "$v" in
	$3) return 0 ;;
	esac
	return 1
}

# vm_unit_wait UNIT PROP GLOB DEADLINE: wait until the property matches the
# shell glob; the failure shows the last value and the unit's state.  Sets
# VM_WAITED.
vm_unit_wait() {
	vm_wait "$4" "$1 $2 matching '$3'" vm__unit_prop_is "$1" "$2" "$3"
	vm_log "$1: $2 '$(vm_unit_field "$2")' after $VM_WAITED s"
}

vm__unit_running() {
	vm_unit_show "$1" ActiveState SubState StatusText MainPID
	VM_WAIT_SAW=$(vm__unit_state_text)
	[ "$(vm_unit_field ActiveState)/$(vm_unit_field SubState)" = active/running ]
}

# vm_unit_wait_running UNIT DEADLINE: wait for active/running; sets
# VM_MAIN_PID to its main process.
vm_unit_wait_running() {
	vm_wait "$2" "$1 active/running" vm__unit_running "$1"
	VM_MAIN_PID=$(vm_unit_field MainPID)
	vm_log "$1: $(vm__unit_state_text), main pid $VM_MAIN_PID, after $VM_WAITED s"
	[ "${VM_MAIN_PID:-0}" -gt 0 ] || vm_fail "$1 running without a main pid"
}

# vm_unit_mono UNIT PROP: a *TimestampMonotonic property in seconds
# (12.345678), for comparing and reporting when things happened.
vm_unit_mono() {
	awk -v us="$(vm_unit_prop "$1" "$2")" 'BEGIN { printf "%.3f", us / 1000000 }'
}

# vm_journal_unit UNIT [JOURNALCTL ARGS...]: the unit's messages of this
# boot, as "PRIORITY MESSAGE" lines (the priority as journald stored it),
# into VM_JOURNAL.
vm_journal_unit() {
	local u=$1
	shift
	VM_JOURNAL=$(journalctl -b -u "$u" --no-pager -o verbose "$@" 2>&1 |
		awk '/^    PRIORITY=/ { p = substr($0, 14) }
		     /^    MESSAGE=/ { print p, substr($0, 13) }')
}

# vm_pid_in_unit PID UNIT: the process runs in the unit's cgroup (a child
# of the unit's main process, under its sandbox), or the failure says where.
vm_pid_in_unit() {
	local cg
	cg=$(sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null)
	vm_expect_eq "cgroup of pid $1 ($(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null))" \
		"/system.slice/$2" "$cg"
}
